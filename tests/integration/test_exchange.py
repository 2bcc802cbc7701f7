"""Exchange: HSDS import/export, spreadsheet import, graph downloads, the JSON view and `nieuw`.

Everything runs through the real command line (generator.cli.main) and the real loader; the
site checks use the session's example site.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import shutil
from pathlib import Path

import networkx as nx
import pytest
import yaml

from generator.cli import main as ketenkaart
from generator.exchange.graphfiles import flat, flat_graph, read_gexf, rich_graph
from generator.exchange.hsds import AS_ATTRIBUTES, FILES, NOT_EXPORTED, export_package, validate_package
from generator.exchange.table import COLUMNS, column_letter
from generator.graph.build import build_graph, chain_members
from generator.load.loader import load

from sitebuild import EXAMPLE_DATA, ROOT  # the frozen example chains
FIXTURES = ROOT / "tests" / "fixtures"
OFFICIAL = FIXTURES / "hsds-voorbeeld"
SMALL = FIXTURES / "hsds-klein" / "pakket.json"


@pytest.fixture(scope="module")
def example():
    dataset, errors = load(EXAMPLE_DATA)
    assert errors == []
    return dataset, build_graph(dataset)


def yaml_files(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*.yaml")}


def chains_only(tmp_path: Path) -> Path:
    """A data folder with only the example chain files (organisations come from an import)."""
    target = tmp_path / "organisaties"
    shutil.copytree(EXAMPLE_DATA / "gemeenten", target / "gemeenten")
    return target


# == HSDS export ===================================================================================

def test_hsds_export_of_the_example_data_validates_against_the_hsds_3_schemas(example):
    dataset, _graph = example
    package = export_package(dataset)
    assert validate_package(package) == []
    orgs = package["organizations.json"]["contents"]
    assert len(orgs) == len(dataset.organisaties)
    assert all(len(o["services"]) == 1 for o in orgs)
    # The check can fail: a service without its required status, an id that is no UUID.
    broken = json.loads(json.dumps(package))
    del broken["organizations.json"]["contents"][0]["services"][0]["status"]
    broken["taxonomy_terms.json"]["contents"][0]["id"] = "geen-uuid"
    problems = validate_package(broken)
    assert any("'status' is a required property" in p for p in problems)
    assert any("geen-uuid" in p for p in problems)


def test_hsds_round_trip_gives_back_equal_organisations(tmp_path, capsys, example):
    dataset, _graph = example
    out = tmp_path / "hsds"
    assert ketenkaart(["export", "hsds", "--data", str(EXAMPLE_DATA), "--out", str(out)]) == 0
    report = capsys.readouterr().out
    for what in (*AS_ATTRIBUTES, *NOT_EXPORTED):  # what HSDS cannot hold is listed
        assert what in report
    written = {name: json.loads((out / name).read_text(encoding="utf-8")) for name in FILES}
    assert validate_package(written) == []

    target = chains_only(tmp_path)
    assert ketenkaart(["import", "hsds", str(out), "--data", str(target)]) == 0
    report = capsys.readouterr().out
    assert "Niet overgenomen" not in report and "Voorlopig ingevuld" not in report
    again, errors = load(target)
    assert errors == []
    assert sorted(again.organisaties) == sorted(dataset.organisaties)
    for org_id, original in dataset.organisaties.items():
        copy = again.organisaties[org_id]
        for f in dataclasses.fields(original):
            if f.name != "bestand":
                assert getattr(copy, f.name) == getattr(original, f.name), f"{org_id}.{f.name}"


# == HSDS import ===================================================================================

def _csv_ids(name: str) -> list[str]:
    with open(OFFICIAL / "csv" / name, encoding="utf-8", newline="") as handle:
        return [row["id"] for row in csv.DictReader(handle)]


@pytest.mark.parametrize("source", ["", "tabular.json", "csv"], ids=["json-map", "tabular-json", "csv-datapackage"])
def test_official_example_package_imports_without_losing_organisations_or_services(source, data_copy, capsys):
    # The official package describes the same organisations and services in JSON and in CSV.
    organisations, services = _csv_ids("organizations.csv"), _csv_ids("services.csv")
    with open(OFFICIAL / "csv" / "services.csv", encoding="utf-8", newline="") as handle:
        service_names = [row["name"] for row in csv.DictReader(handle)]
    before = yaml_files(data_copy)
    path = OFFICIAL / source if source else OFFICIAL

    # Its service areas name no Dutch municipality: without --gemeente nothing is written.
    assert ketenkaart(["import", "hsds", str(path), "--data", str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert "--gemeente" in out and "gemeenten: de lijst is leeg" in out
    assert yaml_files(data_copy) == before

    assert ketenkaart(["import", "hsds", str(path), "--data", str(data_copy), "--gemeente", "GM0193"]) == 0
    out = capsys.readouterr().out
    plural = lambda n, one, more: f"{n} {one if n == 1 else more}"  # noqa: E731
    assert f"{plural(len(organisations), 'organisatie', 'organisaties')} en {plural(len(services), 'dienst', 'diensten')}" in out
    assert "service.fees" in out and "tabel locations" in out  # what could not be mapped is reported
    new = yaml_files(data_copy) - before
    assert len(new) == len(services)  # every organisation of the package has a service
    texts = [(data_copy / p).read_text(encoding="utf-8") for p in new]
    for ident in organisations + services:  # every HSDS record is in a file
        assert any(ident in t for t in texts)
    dataset, errors = load(data_copy)
    assert errors == []
    imported = [o for o in dataset.organisaties.values() if Path(o.bestand).name in {p.name for p in new}]
    assert len(imported) == len(services)
    for name in service_names:
        assert any(name in o.naam for o in imported)


def test_small_hsds_package_maps_names_areas_phones_and_terms(data_copy, capsys):
    before = yaml_files(data_copy)
    assert ketenkaart(["import", "hsds", str(SMALL), "--data", str(data_copy), "--gemeente", "GM0193"]) == 0
    out = capsys.readouterr().out
    for unmapped in ("taxonomieterm 'Avondcursus'", "service.fees", "organization.locations",
                     "organization.legal_status"):
        assert unmapped in out
    package = json.loads(SMALL.read_text(encoding="utf-8"))
    org_a, org_b = package["contents"]
    course, forms = org_a["services"]
    dataset, errors = load(data_copy)
    assert errors == []
    new = {o.naam: o for o in dataset.organisaties.values()
           if Path(o.bestand).relative_to(data_copy.name) in (yaml_files(data_copy) - before)}
    assert len(new) == 3  # two services of one organisation, one organisation without services

    course_org = new[f"{org_a['name']} – {course['name']}"]
    assert course_org.diensten == ("budgetbegeleiding",)  # by the term's name (a Ketenkaart label)
    assert course_org.fasen == ("nazorg",)
    assert course_org.gemeenten == ("GM0193",)  # service area "Gemeente Zwolle"
    assert course_org.contact == {"telefoon": course["phones"][0]["number"], "email": org_a["email"]}
    assert course_org.website == org_a["website"]
    assert org_a["description"] in course_org.beschrijving and course["description"] in course_org.beschrijving

    forms_org = new[f"{org_a['name']} – {forms['name']}"]
    assert forms_org.diensten == ("formulieren",)  # by the term's code
    assert forms_org.gemeenten == ("GM0034",)  # service area "Almere"
    text = Path(data_copy.parent / forms_org.bestand).read_text(encoding="utf-8")
    assert re.search(r"# CONTROLEER[^\n]*\nfasen:", text)  # not in the package: filled in, marked
    assert "fasen" in out.split("Voorlopig ingevuld")[1]

    no_services = new[org_b["name"]]
    assert no_services.gemeenten == ("GM0193",)  # from --gemeente

    # The same package again: the ids exist, so nothing is added twice.
    files = yaml_files(data_copy)
    assert ketenkaart(["import", "hsds", str(SMALL), "--data", str(data_copy), "--gemeente", "GM0193"]) == 1
    assert "is al gebruikt" in capsys.readouterr().out
    assert yaml_files(data_copy) == files


# == spreadsheets ==================================================================================

GOOD_ROW = {
    "id": "budgetcafe-proef", "naam": "Budgetcafé De Proef (fictief)", "soort": "vrijwilligersorganisatie",
    "gemeenten": "GM0193", "inzet": "vrijwilligers", "beschrijving": "Verzonnen inloop voor de tests.",
    "diensten": "thuisadministratie; formulieren", "fasen": "preventie;nazorg", "profielen.schulden": "geen; beperkt",
    "contact.telefoon": "038 000 0001", "verwijst": "op-orde-zwolle", "bron.titel": "Test",
    "gecontroleerd": "2024-05", "fictief": "ja",
}
BAD_ROWS = [  # (row changes, column with the problem, the same value in a YAML data file)
    ({"id": "tweede-proef", "fasen": "nazrg"}, "fasen", {"fasen": ["nazrg"]}),
    ({"id": "Derde Proef"}, "id", {"id": "Derde Proef"}),
    ({"id": "vierde-proef", "gemeenten": "GM9999"}, "gemeenten", {"gemeenten": ["GM9999"]}),
    ({"id": "vijfde-proef", "profielen.schulden": "heel-veel"}, "profielen.schulden",
     {"profielen": {"schulden": ["heel-veel"]}}),
    ({"id": "op-orde-zwolle"}, "id", None),  # an id the data already has
]


def _rows(with_bad: bool) -> list[list[str]]:
    rows = [[GOOD_ROW.get(c, "") for c in COLUMNS]]
    if with_bad:
        rows += [[{**GOOD_ROW, **change}.get(c, "") for c in COLUMNS] for change, _col, _yaml in BAD_ROWS]
    return rows


def _write_table(path: Path, rows: list[list[str]]) -> Path:
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        workbook.active.append(list(COLUMNS))
        for row in rows:
            workbook.active.append(row)
        workbook.save(path)
    else:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows(rows)
    return path


def _loader_message(data_dir: Path, change: dict, column: str) -> str:
    """What `ketenkaart check` says about the same value in a YAML file."""
    org = yaml.safe_load((EXAMPLE_DATA / "zwolle" / "humanitas-zwolle.yaml").read_text(encoding="utf-8"))
    org.update(change)
    path = data_dir / "zwolle" / "humanitas-zwolle.yaml"
    path.write_text(yaml.safe_dump(org, allow_unicode=True), encoding="utf-8")
    _dataset, errors = load(data_dir)
    return next(e.message for e in errors if e.path.endswith("humanitas-zwolle.yaml")
                and re.sub(r"\[\d+\]", "", e.field) == column)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_spreadsheet_import_names_row_and_column_of_every_bad_row(suffix, data_copy, tmp_path, capsys):
    before = {p: (data_copy / p).read_bytes() for p in yaml_files(data_copy)}
    table = _write_table(tmp_path / f"organisaties{suffix}", _rows(with_bad=True))
    assert ketenkaart(["import", "csv", str(table), "--data", str(data_copy)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert {p: (data_copy / p).read_bytes() for p in yaml_files(data_copy)} == before  # nothing written
    assert not any(" rij 2," in line for line in lines)  # the good row
    sheet = ": blad Sheet" if suffix == ".xlsx" else ""  # a workbook names the sheet (openpyxl's default name)
    for row, (change, column, as_yaml) in enumerate(BAD_ROWS, start=3):
        where = f"{table}{sheet}: rij {row}, kolom {column} ({column_letter(COLUMNS.index(column))}): "
        found = [line for line in lines if line.startswith(where)]
        assert found, f"geen melding voor rij {row}, kolom {column}"
        if as_yaml is not None:  # the loader's own words
            scratch = tmp_path / f"yaml-{row}"
            shutil.copytree(EXAMPLE_DATA, scratch)
            assert found[0] == where + _loader_message(scratch, as_yaml, column)
    assert any("'nazrg'" in line and "Bedoelde u 'nazorg'?" in line for line in lines)
    assert any("is al gebruikt" in line for line in lines)

    good = _write_table(tmp_path / f"goed{suffix}", _rows(with_bad=False))
    assert ketenkaart(["import", "csv", str(good), "--data", str(data_copy)]) == 0
    dataset, errors = load(data_copy)
    assert errors == []
    org = dataset.organisaties[GOOD_ROW["id"]]
    assert org.diensten == ("thuisadministratie", "formulieren")
    assert org.fasen == ("preventie", "nazorg")
    assert org.profielen["schulden"] == ("geen", "beperkt")
    assert org.contact == {"telefoon": GOOD_ROW["contact.telefoon"]}
    assert [r.naar for r in org.relaties] == [GOOD_ROW["verwijst"]]
    assert org.fictief


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_template_from_the_site_imports_as_it_is(suffix, example_site, data_copy):
    template = example_site / "downloads" / f"organisaties-sjabloon{suffix}"
    before = yaml_files(data_copy)
    assert ketenkaart(["import", "csv", str(template), "--data", str(data_copy)]) == 0
    dataset, errors = load(data_copy)
    assert errors == []
    (new,) = yaml_files(data_copy) - before  # the template's one example row
    org = dataset.organisaties[new.stem]
    assert org.fictief and "fictief" in org.naam


def test_row_wider_than_the_header_is_reported_and_other_rows_still_checked(data_copy, tmp_path, capsys):
    table = tmp_path / "scheef.csv"
    with open(table, "w", encoding="utf-8", newline="") as handle:  # ';' between cells, as Dutch Excel does
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(COLUMNS)
        writer.writerow([GOOD_ROW.get(c, "") for c in COLUMNS] + ["over"])
        writer.writerow([{**GOOD_ROW, "id": "nog-een", "fasen": "nazrg"}.get(c, "") for c in COLUMNS])
    assert ketenkaart(["import", "csv", str(table), "--data", str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert f"rij 2, kolom {column_letter(len(COLUMNS))}: deze rij heeft meer cellen" in out
    assert "rij 3, kolom fasen" in out


# == graph downloads ===============================================================================

def _parts(dataset, graph):
    return [(k.slug, chain_members(graph, k)) for k in dataset.ketens.values()] + [("nederland", set(graph))]


def test_graphml_and_gexf_downloads_read_back_into_the_same_graph(example_site, example):
    dataset, graph = example
    for slug, members in _parts(dataset, graph):
        rich = rich_graph(graph, dataset, members)
        graphml = nx.read_graphml(example_site / "downloads" / f"{slug}.graphml", force_multigraph=True,
                                  edge_key_type=str)
        gexf = read_gexf(example_site / "downloads" / f"{slug}.gexf")  # nx.read_gexf, keys kept
        for reread, expected in ((graphml, flat_graph(rich)), (gexf, flat_graph(rich, gexf=True))):
            assert isinstance(reread, nx.MultiDiGraph)
            assert set(reread.nodes) == members
            assert dict(reread.nodes(data=True)) == dict(expected.nodes(data=True))
            assert sorted(reread.edges(keys=True, data=True)) == sorted(expected.edges(keys=True, data=True))
            # Against the pipeline's own graph: the same edges with their keys, every attribute.
            original = graph.subgraph(members)
            assert sorted(reread.edges(keys=True)) == sorted(original.edges(keys=True))
            for node, data in original.nodes(data=True):
                assert {k: reread.nodes[node][k] for k in data} == {k: flat(v) for k, v in data.items()}
                assert reread.nodes[node]["fasen"] == "; ".join(data["fasen"])  # lists as documented
                assert reread.nodes[node]["label"] == data["naam"]
            for van, naar, key, data in original.edges(keys=True, data=True):
                assert {k: reread.edges[van, naar, key][k] for k in data} == {k: flat(v) for k, v in data.items()}
        linked = nx.node_link_graph(json.loads((example_site / "downloads" / f"{slug}.json").read_text(encoding="utf-8")),
                                    edges="edges")
        assert sorted(linked.edges(keys=True)) == sorted(rich.edges(keys=True))
        for node, data in rich.nodes(data=True):
            assert linked.nodes[node] == data


# == the site: download links and the JSON view ====================================================

def test_chain_pages_link_their_downloads_and_the_api_page(example_site, example):
    dataset, graph = example
    for keten in dataset.ketens.values():
        html = (example_site / "gemeenten" / keten.slug / "index.html").read_text(encoding="utf-8")
        for target in (f"downloads/{keten.slug}.graphml", f"downloads/{keten.slug}.gexf",
                       f"downloads/{keten.slug}.json", f"api/gemeenten/{keten.slug}.json", "api/"):
            assert f'href="../../{target}"' in html, target
            assert (example_site / target).exists()
        view = json.loads((example_site / "api" / "gemeenten" / f"{keten.slug}.json").read_text(encoding="utf-8"))
        assert view["gemeente"]["cbs"] == keten.cbs
        assert [o["id"] for o in view["organisaties"]] == sorted(chain_members(graph, keten))
        assert len(view["relaties"]) == graph.subgraph(chain_members(graph, keten)).number_of_edges()
    overview = (example_site / "gemeenten" / "index.html").read_text(encoding="utf-8")
    assert 'href="../api/"' in overview
    api_page = (example_site / "api" / "index.html").read_text(encoding="utf-8")
    for name in ("organisaties.json", "gemeenten.json", "organisaties-sjabloon.xlsx", "nederland.gexf"):
        assert name in api_page
    everything = json.loads((example_site / "api" / "organisaties.json").read_text(encoding="utf-8"))
    assert [o["id"] for o in everything["organisaties"]] == sorted(dataset.organisaties)
    op_orde = next(o for o in everything["organisaties"] if o["id"] == "op-orde-zwolle")
    assert op_orde["relaties"] == [{"soort": r.soort, "naar": r.naar, "wanneer": r.wanneer, "warm": r.warm}
                                   for r in dataset.organisaties["op-orde-zwolle"].relaties]


# == nieuw organisatie =============================================================================

ANSWERS = [
    "Budgetcafé De Proef (fictief)",  # naam
    "",  # id: take the suggestion
    "3",  # soort by number
    "zwolle",  # gemeente by name
    "vrijwilligers",  # inzet by key
    "Verzonnen inloop voor de tests.",  # beschrijving
    "2, formulieren",  # diensten: a number and a key
    "nazrg",  # a typo: asked again
    "nazorg, preventie",
    "Test",  # bron
]


def test_nieuw_organisatie_writes_a_valid_commented_file(data_copy, monkeypatch, capsys, example):
    dataset, _graph = example
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(ANSWERS) + "\n"))
    assert ketenkaart(["nieuw", "organisatie", "--data", str(data_copy)]) == 0
    out = capsys.readouterr().out
    assert "Bedoelde u 'nazorg'?" in out
    path = data_copy / "zwolle" / "budgetcafe-de-proef-fictief.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("\n#") >= 10  # explained field by field
    loaded, errors = load(data_copy)
    assert errors == []
    org = loaded.organisaties["budgetcafe-de-proef-fictief"]
    soorten = list(load_vocab_terms("soorten"))
    assert org.soort == soorten[2]
    assert org.gemeenten == (next(k.cbs for k in dataset.ketens.values() if k.naam == "Zwolle"),)
    assert org.inzet == "vrijwilligers"
    assert org.diensten == (list(load_vocab_terms("diensten"))[1], "formulieren")
    assert org.fasen == ("nazorg", "preventie")
    assert org.bron.titel == "Test"


def test_nieuw_organisatie_writes_nothing_when_input_stops(data_copy, monkeypatch):
    before = yaml_files(data_copy)
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(ANSWERS[:4]) + "\n"))
    assert ketenkaart(["nieuw", "organisatie", "--data", str(data_copy)]) == 2
    assert yaml_files(data_copy) == before


def load_vocab_terms(name: str):
    from generator.domain.vocab import load_vocabulary

    return load_vocabulary()[name].terms
