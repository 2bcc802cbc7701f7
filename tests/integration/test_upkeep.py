"""Keeping the data true: site settings (beheerder), 'Mogelijk verouderd' notices, 'Klopt er iets
niet?' links and `ketenkaart verouderd`, in a scaffolded project with fictitious data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import fictief
from generator.cli import main as ketenkaart

TODAY = dt.date.today()
FRESH = TODAY.strftime("%Y-%m")
OLD = f"{TODAY.year - 3}-01"
SETTINGS = """  ketenkaart:
    gebied: Fictiefstad
    beheerder:
      naam: Team Sociale Kaart Fictiefstad
      email: kaart@fictiefstad.example
    verouderd_na_maanden: 12
"""


def _project(tmp_path: Path, settings: str = SETTINGS) -> Path:
    target = tmp_path / "fictiefstad"
    assert ketenkaart(["nieuw", "site", str(target), "--naam", "Sociale kaart Fictiefstad"]) == 0
    config = (target / "mkdocs.yml").read_text(encoding="utf-8")
    start = config.index("  ketenkaart:\n")
    (target / "mkdocs.yml").write_text(config[:start] + settings, encoding="utf-8")
    chain = fictief.chain(gecontroleerd=FRESH)
    fresh = fictief.org("vers", "Vers Loket", "professionele-organisatie", ["sociaal-juridisch-advies"], ["preventie"],
                        toegang=["telefoon"])
    old = fictief.org("oud", "Oud Budgetteam", "professionele-organisatie", ["budgetbegeleiding"], ["stabilisatie"],
                      toegang=["telefoon"])
    fictief.write(target / "organisaties", chain, [fresh, old])
    # fictief.org sets gecontroleerd; give each record its own date
    for rid, date in (("vers", FRESH), ("oud", OLD)):
        path = target / "organisaties" / f"{rid}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("gecontroleerd: 2026-01", f"gecontroleerd: {date}"),
                        encoding="utf-8")
    chain_file = target / "organisaties" / "gemeenten" / "fictiefstad.yaml"
    chain_file.write_text(chain_file.read_text(encoding="utf-8").replace("gecontroleerd: 2026-01",
                                                                         f"gecontroleerd: {FRESH}"), encoding="utf-8")
    return target


def test_verouderd_lists_exactly_the_records_past_the_threshold(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(_project(tmp_path))
    capsys.readouterr()
    assert ketenkaart(["verouderd", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["gecontroleerd"]) for r in rows] == [("oud", OLD)]
    assert ketenkaart(["verouderd", "--maanden", "120", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_pages_show_the_beheerder_the_notice_and_a_report_link(tmp_path, monkeypatch):
    target = _project(tmp_path)
    monkeypatch.chdir(target)
    assert ketenkaart(["build"]) == 0
    oud = (target / "site" / "organisaties" / "oud" / "index.html").read_text(encoding="utf-8")
    vers = (target / "site" / "organisaties" / "vers" / "index.html").read_text(encoding="utf-8")
    assert "Mogelijk verouderd" in oud and "Mogelijk verouderd" not in vers
    for page, naam in ((oud, "Oud%20Budgetteam"), (vers, "Vers%20Loket")):
        assert "mailto:kaart@fictiefstad.example?subject=Klopt%20er%20iets%20niet%3F%20" + naam in page
        assert "bijgehouden door Team Sociale Kaart Fictiefstad" in page  # the footer
    index = (target / "site" / "index.html").read_text(encoding="utf-8")
    assert "Sociale kaart Fictiefstad" in index and "voorbeeldgegevens" not in index.lower()
    # the chain scan counts the same records: the chain file and 'vers' are fresh, 'oud' is not
    chain = (target / "site" / "gemeenten" / "fictiefstad" / "index.html").read_text(encoding="utf-8")
    assert "1 van de 3 bestanden van deze keten" in chain
    overview = (target / "site" / "gemeenten" / "ketenscan" / "index.html").read_text(encoding="utf-8")
    assert ">Verouderd</th>" in overview and ">1 van 3</td>" in overview


def test_bad_settings_are_located_errors(tmp_path, monkeypatch, capsys):
    bad = SETTINGS.replace("kaart@fictiefstad.example", "geen adres").replace("verouderd_na_maanden: 12",
                                                                           "verouderd_na_maanden: nooit\n    kleur: rood")
    target = _project(tmp_path, bad)
    monkeypatch.chdir(target)
    capsys.readouterr()
    assert ketenkaart(["check"]) == 1
    out = capsys.readouterr().out.splitlines()
    lines = (target / "mkdocs.yml").read_text(encoding="utf-8").splitlines()

    def line(needle: str) -> int:
        return next(n for n, text in enumerate(lines, 1) if needle in text)

    assert f"mkdocs.yml:{line('email: geen adres')}: extra.ketenkaart.beheerder.email: 'geen adres' is geen e-mailadres" \
        in "\n".join(out)
    assert any(l.startswith(f"mkdocs.yml:{line('verouderd_na_maanden')}: extra.ketenkaart.verouderd_na_maanden:")
               for l in out)
    assert any(l.startswith(f"mkdocs.yml:{line('kleur: rood')}: extra.ketenkaart.kleur: onbekende instelling")
               for l in out)
