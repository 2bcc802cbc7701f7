"""The chain scan: small chains with known problems, the command line, and the site section.

The test chain "Testdorp" is written as real YAML files. Its problems are built in on purpose:

* gap: nobody serves less able learners in aftercare (the only provider for them, Begeleiding,
  stops before nazorg, and Raad serves only learners);
* overlap: Administratie A and Administratie B both offer thuisadministratie to learners in
  prevention;
* loop: wijkteam -> loket -> raad -> wijkteam;
* dead end: the walk-in point Infopunt serves nobody and refers nobody on;
* bottleneck: Raad is only reached through Loket (every other organisation has a second way in).

`fixed=True` writes the same chain with each of those problems repaired.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.cli import main as ketenkaart
from generator.graph.build import build_graph
from generator.load.loader import load
from generator.analyse.verwijs import build_verwijswijzer
from generator.render.site import SiteContext, render_site
from generator.settings import Settings
from generator.analyse.scan import SOORTEN, scan, scan_reports
from generator.upkeep import Threshold, stale
from sitebuild import EXAMPLE_DATA

from fictief import ALLE_FASEN, BRON, CBS
from fictief import org as _org




def write_chain(folder: Path, fixed: bool = False, niet_toegestaan: list[str] | None = None,
                naam_extra: str = "") -> Path:
    """Write the Testdorp chain as YAML files in folder/organisaties and return that folder."""
    data = folder / "organisaties"
    (data / "gemeenten").mkdir(parents=True)
    (data / "testdorp").mkdir()
    orgs = [
        _org("loket", "Loket Testdorp", "samenwerkingsverband", ["aanmelding"], ["preventie"],
             toegang=["telefoon"], verwijst=[{"naar": "raad", "wanneer": "Elke aanmelding"}]),
        _org("wijkteam", "Wijkteam Testdorp", "wijkteam", ["aanmelding", "inloopspreekuur"],
             ["preventie", "vroegsignalering"], toegang=["inloop"],
             verwijst=["loket", "begeleiding", "admin-a"] + ([] if fixed else ["admin-b"])),
        _org("raad", "Raad Testdorp" + naam_extra, "professionele-organisatie", ["sociaal-juridisch-advies"], ALLE_FASEN,
             profielen={"leerbaarheid": ["leerbaar"]}, spoed=True,
             toegang=["verwijzing", "telefoon"] if fixed else ["verwijzing"],
             verwijst=["begeleiding", "admin-a"] + ([] if fixed else ["admin-b", "wijkteam"])),
        _org("begeleiding", "Begeleiding Testdorp", "professionele-organisatie", ["budgetbegeleiding"],
             ALLE_FASEN if fixed else ALLE_FASEN[:-1], profielen={"leerbaarheid": ["minder-leerbaar"]},
             toegang=["verwijzing"]),
        _org("admin-a", "Administratie A Testdorp", "vrijwilligersorganisatie", ["thuisadministratie"], ["preventie"],
             profielen={"leerbaarheid": ["leerbaar"]}, toegang=["verwijzing"]),
        _org("infopunt", "Infopunt Testdorp", "vrijwilligersorganisatie", ["aanmelding", "inloopspreekuur"], ["preventie"],
             toegang=["inloop"], **({"verwijst": ["loket"]} if fixed else {})),
        _org("woningstichting", "Woningstichting Testdorp", "signaalpartner", ["vroegsignalering"], ["vroegsignalering"],
             beschrijving="Woningcorporatie; geeft huurachterstanden door.",
             signaleert=[{"naar": "wijkteam", "wanneer": "Huurachterstand"}]),
    ]
    if not fixed:
        orgs.append(_org("admin-b", "Administratie B Testdorp", "vrijwilligersorganisatie", ["thuisadministratie"],
                         ["preventie"], profielen={"leerbaarheid": ["leerbaar"]}, toegang=["verwijzing"]))
    for org in orgs:
        (data / "testdorp" / f"{org['id']}.yaml").write_text(yaml.safe_dump(org, allow_unicode=True), encoding="utf-8")
    chain = {"gemeente": "Testdorp", "cbs": CBS, "toegang": "loket", "regie": "loket",
             "beschrijving": "Een verzonnen keten om de ketenscan te testen.", "bron": BRON,
             "gecontroleerd": "2026-01", "fictief": True}
    if niet_toegestaan is not None:
        chain["niet-toegestaan"] = niet_toegestaan
    (data / "gemeenten" / "testdorp.yaml").write_text(yaml.safe_dump(chain, allow_unicode=True), encoding="utf-8")
    return data


def scan_folder(data: Path):
    dataset, errors = load(data)
    assert errors == []
    return dataset, scan(dataset, build_graph(dataset))


def of_kind(findings, soort):
    return [f for f in findings if f.soort == soort and f.aandacht]


def test_known_gap_overlap_loop_dead_end_and_bottleneck_are_found_exactly(tmp_path):
    _dataset, findings = scan_folder(write_chain(tmp_path))

    [gap] = of_kind(findings, "gat")
    assert gap.profiel == {"leerbaarheid": "minder-leerbaar"} and gap.fase == "nazorg"
    assert gap.tekst == "Niemand in de keten ondersteunt minder leerbare hulpvragers in de nazorg."
    assert gap.cijfers["cellen"] == 12  # 2 problematiek x 3 schulden x 2 vertrouwen

    [overlap] = of_kind(findings, "overlap")
    assert set(overlap.organisaties) == {"admin-a", "admin-b"}
    assert overlap.kenmerk == "thuisadministratie" and overlap.fase == "preventie"
    assert overlap.profiel == {"leerbaarheid": "leerbaar"}

    [loop] = of_kind(findings, "lus")
    assert set(loop.organisaties) == {"wijkteam", "loket", "raad"}
    order = loop.organisaties
    for a, b in zip(order, order[1:] + order[:1]):  # the loop is listed in referral order
        assert (a, b) in {("wijkteam", "loket"), ("loket", "raad"), ("raad", "wijkteam")}

    [dead_end] = of_kind(findings, "doodlopend")
    assert dead_end.organisaties == ("infopunt",) and dead_end.profiel == {}

    [bottleneck] = of_kind(findings, "knelpunt")
    assert bottleneck.organisaties == ("loket", "raad")
    assert "sociaal-juridisch advies" in bottleneck.tekst  # Raad is the only one offering it

    assert of_kind(findings, "onbereikbaar") == []


def test_repaired_chain_has_none_of_those_findings(tmp_path):
    _dataset, findings = scan_folder(write_chain(tmp_path, fixed=True))
    for soort in ("gat", "overlap", "lus", "doodlopend", "knelpunt", "onbereikbaar"):
        assert of_kind(findings, soort) == [], soort


def test_signal_partners_are_recognised_and_missing_ones_named(tmp_path):
    _dataset, findings = scan_folder(write_chain(tmp_path))
    signals = {f.kenmerk: f for f in findings if f.soort == "signalering"}
    assert signals["huur"].organisaties == ("woningstichting", "wijkteam") and not signals["huur"].aandacht
    missing = signals["ontbreekt"].tekst
    assert "energieleveranciers" in missing and "drinkwaterbedrijven" in missing and "zorgverzekeraars" in missing
    assert "verhuurders" not in missing


def test_a_route_condition_limits_who_a_referral_carries(tmp_path):
    """Route with a condition: only help seekers with debts go Loket -> Raad. Others get stuck at Loket,
    and at Infopunt, whose only referral goes to Loket."""
    data = write_chain(tmp_path, fixed=True)
    chain_file = data / "gemeenten" / "testdorp.yaml"
    chain = yaml.safe_load(chain_file.read_text(encoding="utf-8"))
    chain["routes"] = [{"naam": "Met schulden naar de raad", "voorwaarde": {"schulden": ["beperkt", "problematisch"]},
                        "stappen": ["loket", "raad"]}]
    chain_file.write_text(yaml.safe_dump(chain, allow_unicode=True), encoding="utf-8")
    _dataset, findings = scan_folder(data)
    dead_ends = of_kind(findings, "doodlopend")
    assert sorted(f.organisaties for f in dead_ends) == [("infopunt",), ("loket",)]
    assert all(f.profiel == {"schulden": "geen"} for f in dead_ends)


def test_example_bottlenecks_follow_the_infosheet():
    """Infosheet: in Zwolle every case with debts goes via the sociaal raadslieden to the municipal
    debt service; in Almere the municipality directs debt services through one central access point."""
    dataset, findings = scan_folder(EXAMPLE_DATA)
    bottlenecks = {f.organisaties[0]: f.organisaties[1:] for f in of_kind(findings, "knelpunt")}
    assert "gemeente-zwolle-schulddienstverlening" in bottlenecks["sociaal-raadslieden-de-kern"]
    assert "plangroep-almere" in bottlenecks["toegangspunt-schulddienstverlening-almere"]
    for f in findings:
        assert f.soort in SOORTEN and f.gemeente in dataset.ketens and f.tekst


# -- stale records -----------------------------------------------------------------------------------

SCAN_DAY = dt.date(2027, 2, 10)  # a fixed build day: the counts do not depend on when the test runs
CHECKED = {  # record -> gecontroleerd, and whether it is stale on SCAN_DAY with a 12-month threshold
    "gemeenten/testdorp": ("2026-01", True),  # 13 months
    "testdorp/loket": ("2026-02", False),  # 12 months: not more than the threshold
    "testdorp/raad": ("2026-02-28", False),  # only months count
    "testdorp/admin-a": ("2025-12-31", True),  # 14 months
    "testdorp/infopunt": ("2019-03", True),
    "testdorp/wijkteam": ("2027-02", False),
}


def write_dated_chain(folder: Path) -> Path:
    """The Testdorp chain with the dates of CHECKED (others: 2026-09), and a national organisation
    the chain refers to, checked long ago: it is a national record, not one of the chain's."""
    data = write_chain(folder)
    for path in data.rglob("*.yaml"):
        key = path.relative_to(data).with_suffix("").as_posix()
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("gecontroleerd: 2026-01", f"gecontroleerd: '{CHECKED.get(key, ('2026-09',))[0]}'"),
                        encoding="utf-8")
    (data / "landelijk").mkdir()
    (data / "landelijk" / "landelijk-fonds.yaml").write_text(yaml.safe_dump(
        _org("landelijk-fonds", "Landelijk Fonds (fictief)", "professionele-organisatie", ["sociaal-juridisch-advies"],
             ["preventie"], gemeenten="landelijk", toegang=["telefoon"]) | {"gecontroleerd": "2018-01"},
        allow_unicode=True), encoding="utf-8")
    raad = data / "testdorp" / "loket.yaml"
    record = yaml.safe_load(raad.read_text(encoding="utf-8"))
    record["verwijst"].append("landelijk-fonds")
    raad.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    return data


def test_the_scan_counts_the_chains_stale_records_with_the_upkeep_rule(tmp_path):
    dataset, errors = load(write_dated_chain(tmp_path))
    assert errors == []
    graph = build_graph(dataset)
    assert "landelijk-fonds" in {m for r in scan_reports(dataset, graph).values() for m in r.members}
    [report] = scan_reports(dataset, graph, drempel=Threshold(SCAN_DAY, 12)).values()
    upkeep = report.bijhouden
    assert upkeep.bestanden == 9  # the chain file and its 8 local organisations; not the national one
    assert [r.id for r in upkeep.verouderd] == ["infopunt", "admin-a", CBS]  # oldest first
    assert [r.id for r in upkeep.verouderd] == [r.id for r in stale(dataset, Settings(), SCAN_DAY) if r.groep == CBS]
    assert upkeep.tekst() == ("3 van de 9 bestanden van deze keten (het ketenbestand en de organisaties uit de "
                              "gemeente) zijn langer dan 12 maanden geleden gecontroleerd.")
    # the threshold and the day are data: a longer threshold or an earlier day counts fewer
    assert len(scan_reports(dataset, graph, drempel=Threshold(SCAN_DAY, 13))[CBS].bijhouden.verouderd) == 2
    assert len(scan_reports(dataset, graph, drempel=Threshold(dt.date(2026, 1, 1), 12))[CBS].bijhouden.verouderd) == 1
    assert scan_reports(dataset, graph)[CBS].bijhouden is None  # not counted without a rule


def test_the_chain_page_and_the_overview_show_the_count(tmp_path):
    dataset, _errors = load(write_dated_chain(tmp_path))
    graph = build_graph(dataset)
    files = render_site(SiteContext(dataset, graph, scan_reports(dataset, graph, drempel=Threshold(SCAN_DAY, 12)),
                                    build_verwijswijzer(dataset, graph), [], frozenset(), Settings(), SCAN_DAY))
    page = text(files["gemeenten/testdorp.md"])
    section = page[page.index("### Hoe actueel zijn de gegevens?"):page.index("### Wie helpt welke hulpvragers?")]
    assert "3 van de 9 bestanden" in section
    assert [line.split(" (laatst")[0] for line in section.splitlines() if line.startswith("- ")] == [
        "- [Infopunt Testdorp](../organisaties/infopunt.md)", "- [Administratie A Testdorp](../organisaties/admin-a.md)",
        "- het ketenbestand"]
    overview = text(files["gemeenten/ketenscan.md"])
    header = next(line for line in overview.splitlines() if line.startswith("| Gemeente |"))
    row = next(line for line in overview.splitlines() if line.startswith("| [Testdorp]"))
    cells = dict(zip([c.strip() for c in header.split("|")], [c.strip() for c in row.split("|")]))
    assert cells["Verouderd"] == "3 van 9"


# -- the command line --------------------------------------------------------------------------------

def run(capsys, *args):
    status = ketenkaart(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_scan_json_shape(tmp_path, capsys):
    data = write_chain(tmp_path)
    status, out, _err = run(capsys, "scan", "--data", str(data), "--json")
    assert status == 0
    result = json.loads(out)
    rows = result["bevindingen"]
    assert rows and isinstance(rows, list)
    for row in rows:
        assert {"gemeente", "soort", "organisaties", "profiel", "fase", "tekst"} <= set(row)
        assert row["gemeente"] == CBS and row["soort"] in SOORTEN and isinstance(row["organisaties"], list)
    assert result["peildatum"] == dt.date.today().isoformat() and result["verouderd_na_maanden"] == 12
    status, out_by_name, _err = run(capsys, "scan", "--data", str(data), "--json", "--gemeente", "testdorp")
    assert status == 0 and json.loads(out_by_name) == result


def test_scan_reports_the_stale_records_per_chain(tmp_path, capsys):
    """The command counts on the day it runs: dates relative to today, one record stale."""
    data = write_chain(tmp_path)
    today = dt.date.today()
    old, fresh = f"{today.year - 2}-{today.month:02d}", today.strftime("%Y-%m")
    for path in data.rglob("*.yaml"):
        date = old if path.stem == "infopunt" else fresh
        path.write_text(path.read_text(encoding="utf-8").replace("gecontroleerd: 2026-01", f"gecontroleerd: '{date}'"),
                        encoding="utf-8")
    status, out, _err = run(capsys, "scan", "--data", str(data), "--json")
    assert status == 0
    [keten] = json.loads(out)["ketens"]
    assert keten["gemeente"] == CBS and keten["bestanden"] == 9
    assert [(r["id"], r["gecontroleerd"]) for r in keten["verouderd"]] == [("infopunt", old)]
    status, out, _err = run(capsys, "scan", "--data", str(data))
    assert status == 0
    assert ("Bijhouden: 1 van de 9 bestanden van deze keten (het ketenbestand en de organisaties uit de gemeente) "
            "is langer dan 12 maanden geleden gecontroleerd.") in out.splitlines()
    assert f"  {old:<10}  Infopunt Testdorp  ({data / 'testdorp' / 'infopunt.yaml'})" in out.splitlines()


def test_scan_unknown_municipality_exits_2_with_choices(tmp_path, capsys):
    data = write_chain(tmp_path)
    status, out, err = run(capsys, "scan", "--data", str(data), "--gemeente", "Nergenshuizen")
    assert status == 2 and out == ""
    assert "Nergenshuizen" in err and "Testdorp (GM9999)" in err


def test_scan_text_output_names_the_municipality(tmp_path, capsys):
    data = write_chain(tmp_path)
    status, out, _err = run(capsys, "scan", "--data", str(data), "--gemeente", CBS)
    assert status == 0
    assert out.startswith("Ketenscan Testdorp (GM9999)")
    assert "Niemand in de keten ondersteunt minder leerbare hulpvragers in de nazorg." in out


def test_check_strict_fails_on_a_disallowed_loop(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = write_chain(tmp_path, niet_toegestaan=["lus"])
    chain_file = Path("organisaties") / "gemeenten" / "testdorp.yaml"
    line = next(n for n, text in enumerate(chain_file.read_text(encoding="utf-8").splitlines(), 1) if "- lus" in text)
    status, _out, _err = run(capsys, "check", "--data", str(data))
    assert status == 0  # without --strict, findings are not errors
    status, out, _err = run(capsys, "check", "--strict", "--data", str(data))
    assert status == 1
    [message] = out.splitlines()
    assert message.startswith(f"{chain_file}:{line}: niet-toegestaan:") and "Raad Testdorp" in message


def test_check_strict_passes_when_the_loop_is_gone(tmp_path, capsys):
    data = write_chain(tmp_path, fixed=True, niet_toegestaan=["lus", "doodlopend"])
    status, out, _err = run(capsys, "check", "--strict", "--data", str(data))
    assert status == 0 and out == ""


def test_unknown_kind_in_niet_toegestaan_is_a_data_error(tmp_path, capsys):
    data = write_chain(tmp_path, niet_toegestaan=["lussen"])
    status, out, _err = run(capsys, "check", "--data", str(data))
    assert status == 1  # (the organisations of the rejected chain are reported too)
    [message] = [line for line in out.splitlines() if "niet-toegestaan" in line]
    assert "testdorp.yaml:" in message
    assert "'lussen'" in message and "Bedoelde u 'lus'?" in message


# -- the site ----------------------------------------------------------------------------------------

def _svg(document: str | bytes) -> ET.Element:
    return ET.fromstring(document.encode("utf-8") if isinstance(document, str) else document)  # well-formed XML: data text was escaped


def text(content: str | bytes) -> str:
    """A generated file's text (render_site gives a file as text or as its UTF-8 bytes)."""
    return content if isinstance(content, str) else content.decode("utf-8")


SVG = "{http://www.w3.org/2000/svg}"


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's text with references decoded and markup (such as <abbr>) removed."""
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def test_example_municipality_pages_show_the_scan_with_an_accessible_figure(example_site):
    dataset, findings = scan_folder(EXAMPLE_DATA)
    for keten in dataset.ketens.values():
        html = (example_site / "gemeenten" / keten.slug / "index.html").read_text(encoding="utf-8")
        assert 'id="ketenscan"' in html
        img = re.search(r'<img src="\.\./\.\./(assets/ketenscan/[a-z0-9-]+\.svg)" alt="([^"]+)"', html)
        assert img and keten.naam in img.group(2)
        svg = _svg((example_site / img.group(1)).read_text(encoding="utf-8"))
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title is not None and keten.naam in title.text and desc is not None and len(desc.text) > 80
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert "De figuur in tekst" in html
        texts = "".join(svg.itertext())
        for finding in findings:
            if finding.gemeente == keten.cbs:
                assert finding.tekst in visible_text(html)
        for org_id in (f.organisaties[0] for f in findings if f.gemeente == keten.cbs and f.soort == "overlap"):
            assert dataset.organisaties[org_id].naam[:30] in texts  # providers are drawn as rows


def test_the_figure_draws_a_cell_for_each_profile_a_provider_serves_and_counts_each_phase(tmp_path):
    """The scan figure's filled cells (one path of rectangles per organisation, in the figure's own
    order) and the numbers under it follow the chain's report: a cell per profile each provider
    serves, and per phase a number for each profile that belongs to it."""
    dataset, _findings = scan_folder(EXAMPLE_DATA)
    graph = build_graph(dataset)
    reports = scan_reports(dataset, graph)
    files = render_site(SiteContext(dataset, graph, reports, build_verwijswijzer(dataset, graph), [], frozenset(),
                                    Settings(), dt.date(2026, 11, 29)))
    for keten in dataset.ketens.values():
        report = reports[keten.cbs]
        svg = _svg(files[f"assets/ketenscan/{keten.slug}.svg"])
        filled = [path.get("d").count("M") for path in svg.iter(f"{SVG}path") if path.get("fill") == "#1F3864"]
        assert sorted(filled) == sorted(bin(report.fit[m]).count("1") for m in report.providers if report.fit[m])
        numbers = [int(t.text) for g in svg.iter(f"{SVG}g") if g.get("text-anchor") == "middle" for t in g]
        assert sorted(numbers) == sorted(len(cell) for cells in report.dekking.values() for cell in cells
                                         if cell is not None)


def test_overview_and_exports(example_site):
    dataset, findings = scan_folder(EXAMPLE_DATA)
    index = (example_site / "gemeenten" / "index.html").read_text(encoding="utf-8")
    assert 'href="ketenscan/"' in index
    overview = (example_site / "gemeenten" / "ketenscan" / "index.html").read_text(encoding="utf-8")
    for keten in dataset.ketens.values():
        assert f'href="../{keten.slug}/#ketenscan"' in overview
    assert 'href="../../downloads/ketenscan.csv"' in overview and 'href="../../downloads/ketenscan.json"' in overview
    exported = json.loads((example_site / "downloads" / "ketenscan.json").read_text(encoding="utf-8"))
    assert [(r["gemeente"], r["soort"], r["tekst"]) for r in exported] == [(f.gemeente, f.soort, f.tekst) for f in findings]
    rows = list(csv.DictReader(io.StringIO((example_site / "downloads" / "ketenscan.csv").read_text(encoding="utf-8"))))
    assert [r["tekst"] for r in rows] == [f.tekst for f in findings]


def test_data_text_in_the_figure_is_escaped(tmp_path):
    data = write_chain(tmp_path, naam_extra=' <i>&"</i>')
    dataset, findings = scan_folder(data)
    graph = build_graph(dataset)
    files = render_site(SiteContext(dataset, graph, scan_reports(dataset, graph), build_verwijswijzer(dataset, graph), [], frozenset(),
                      Settings(), dt.date(2026, 11, 29)))
    svg = _svg(files["assets/ketenscan/testdorp.svg"])
    assert any('Raad Testdorp <i>&"</i>' in (t or "") for t in svg.itertext())
    assert "<i>" not in text(files["gemeenten/testdorp.md"])


def test_render_site_without_findings_fails_loudly(tmp_path):
    """Rendering never runs the scan itself: a missing stage is an error, not a page without it."""
    dataset, _findings = scan_folder(write_chain(tmp_path))
    graph = build_graph(dataset)
    with pytest.raises(TypeError, match="scan"):
        SiteContext(dataset, graph, None, build_verwijswijzer(dataset, graph), [], frozenset(),
                      Settings(), dt.date(2026, 11, 29))
