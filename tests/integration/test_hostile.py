"""Hostile and odd input (issue 14), fed through the real command line.

Every case ends in a clear Dutch message that names the file (and the line where it is known)
with a nonzero exit, or is handled correctly; never in a traceback, a silent overwrite of a page,
or a file that says something else than what was imported.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from datafiles import edit, line_of
from generator.cli import main as ketenkaart
from generator.load.loader import load

from sitebuild import EXAMPLE_DATA, build_site

LOCATED = re.compile(r"^(?P<path>[^:\n]+\.ya?ml):(?:(?P<line>\d+):)? \S")
ZWOLLE = "zwolle/humanitas-zwolle.yaml"


def run(argv: list[str], capsys) -> tuple[int, list[str]]:
    status = ketenkaart(argv)
    captured = capsys.readouterr()
    return status, [line for line in captured.out.splitlines() if line.strip()]


def check(data: Path, capsys) -> tuple[int, list[str]]:
    return run(["check", "--data", str(data)], capsys)




def yaml_files(data: Path) -> set[Path]:
    return {p.relative_to(data) for p in data.rglob("*.yaml")}


# -- values YAML cannot turn into Python values ------------------------------------------------------

HUGE = "9" * 5000
SEXAGESIMAL = "190:" + ":".join(["20", "30", "40", "50"] * 1200)  # YAML 1.1: a base-60 integer


@pytest.mark.parametrize("key, old, new, expected", [
    ("gecontroleerd", "gecontroleerd: 2019-03", "gecontroleerd: 2020-02-31", "bestaat niet"),
    ("gecontroleerd", "gecontroleerd: 2019-03", "gecontroleerd: 2019-13-01", "geen datum"),
    ("gecontroleerd", "gecontroleerd: 2019-03", "gecontroleerd: 0000-01-01", "bestaat niet"),
    ("gecontroleerd", "gecontroleerd: 2019-03", f"gecontroleerd: {HUGE}", "geen datum"),
    ("naam", "naam: Humanitas Thuisadministratie Zwolle", f"naam: {HUGE}", "5000 tekens"),
    ("naam", "naam: Humanitas Thuisadministratie Zwolle", f"naam: {SEXAGESIMAL}", "tekens lang"),
    ("inzet", "inzet: vrijwilligers", f"inzet: {SEXAGESIMAL}", "onbekende waarde"),
    ("gecontroleerd", "gecontroleerd: 2019-03", "gecontroleerd: !!timestamp gisteren", "geen datum"),
    ("inzet", "inzet: vrijwilligers", "inzet: !!bool misschien", "onbekende waarde"),
    ("gecontroleerd", "gecontroleerd: 2019-03", "gecontroleerd: ٢٠١٩-٠٣", "geen datum"),
], ids=["2020-02-31", "2019-13-01", "year-0", "5000-digits-date", "5000-digits-name", "sexagesimal-name",
        "sexagesimal-term", "bad-timestamp-tag", "bad-bool-tag", "arabic-indic-date"])
def test_values_yaml_cannot_construct_are_located_errors_and_others_stay_visible(
        key, old, new, expected, data_copy, capsys):
    target = data_copy / ZWOLLE
    edit(target, old, new)
    other = data_copy / "zwolle" / "wijz-zwolle.yaml"
    edit(other, "duur: langdurig", "duur: eeuwig")  # an ordinary error in another file
    status, lines = check(data_copy, capsys)
    assert status == 1
    for line in lines:
        assert LOCATED.match(line), line
        assert len(line) < 600, "a message repeats a huge value in full"
    mine = [l for l in lines if l.startswith(f"{target}:{line_of(target, key + ':')}: {key}: ")]
    assert mine and expected in mine[0], lines
    assert any(l.startswith(f"{other}:") and "eeuwig" in l for l in lines)


def test_impossible_chain_date_names_the_chain_file(data_copy, capsys):
    chain = data_copy / "gemeenten" / "zwolle.yaml"
    edit(chain, "gecontroleerd: 2019-03", "gecontroleerd: 2019-02-29")
    status, lines = check(data_copy, capsys)
    assert status == 1
    assert lines == [f"{chain}:{line_of(chain, 'gecontroleerd')}: gecontroleerd: '2019-02-29' bestaat niet; "
                     "februari 2019 heeft 28 dagen"]


def test_cbs_with_a_final_newline_or_other_digits_is_refused(data_copy, capsys):
    chain = data_copy / "gemeenten" / "zwolle.yaml"
    edit(chain, "cbs: GM0193", 'cbs: "GM0193\\n"')
    org = data_copy / ZWOLLE
    edit(org, "gemeenten: [GM0193]", "gemeenten: [GM٠١٩٣]")
    status, lines = check(data_copy, capsys)
    assert status == 1
    assert any(l.startswith(f"{chain}:{line_of(chain, 'cbs:')}: cbs: ") and "geen CBS-gemeentecode" in l for l in lines)
    assert any(l.startswith(f"{org}:{line_of(org, 'gemeenten:')}: gemeenten[1]: ") for l in lines)


@pytest.mark.parametrize("value, shown", [('"Humanitas\\0Zwolle"', "U+0000"), ('"Humanitas\\eZwolle"', "U+001B"),
                                          ('"Humanitas\\x7fZwolle"', "U+007F"), ('"Humanitas\\x9b31mZwolle"', "U+009B")])
def test_control_characters_in_text_fields_are_located_errors(value, shown, data_copy, capsys):
    target = data_copy / ZWOLLE
    edit(target, "naam: Humanitas Thuisadministratie Zwolle", f"naam: {value}")
    status, lines = check(data_copy, capsys)
    assert status == 1
    assert lines == [f"{target}:{line_of(target, 'naam:')}: naam: bevat een onzichtbaar stuurteken ({shown}); "
                     "verwijder het"]


def test_nul_in_a_spreadsheet_name_is_reported_with_row_and_column(data_copy, tmp_path, capsys):
    table = tmp_path / "organisaties.csv"
    table.write_text("id;naam;soort;gemeenten;inzet;beschrijving;diensten;fasen;bron.titel;gecontroleerd\n"
                     "budget-nul;Budget\0café;vrijwilligersorganisatie;GM0193;vrijwilligers;Helpt.;"
                     "thuisadministratie;preventie;Eigen gegevens;2026-01\n", encoding="utf-8")
    before = yaml_files(data_copy)
    status, lines = run(["import", "csv", str(table), "--data", str(data_copy)], capsys)
    assert status == 1
    assert any(l.startswith(f"{table}: rij 2, kolom naam (B): bevat een onzichtbaar stuurteken (U+0000)")
               for l in lines), lines
    assert yaml_files(data_copy) == before


# -- chain names that make the same page ---------------------------------------------------------------

def _second_chain(data: Path, naam: str) -> Path:
    path = data / "gemeenten" / "tweede.yaml"
    record = {"gemeente": naam, "cbs": "GM9999", "beschrijving": "Een verzonnen keten.",
              "bron": {"titel": "Test"}, "gecontroleerd": "2026-01", "fictief": True}
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("naam", ["Zwolle!", "ZWOLLE", " zwolle ", "Zwollé"])
def test_two_chains_whose_names_slugify_alike_are_located_errors_in_both_files(naam, data_copy, capsys):
    path = _second_chain(data_copy, naam)
    zwolle = data_copy / "gemeenten" / "zwolle.yaml"
    status, lines = check(data_copy, capsys)
    assert status == 1
    shown = naam.strip()
    assert lines == sorted([
        f"{path}:{line_of(path, 'gemeente:')}: gemeente: de naam '{shown}' geeft hetzelfde paginaadres "
        f"(gemeenten/zwolle/) als de gemeente Zwolle in {zwolle}; verwacht een eigen naam per gemeente",
        f"{zwolle}:{line_of(zwolle, 'gemeente:')}: gemeente: de naam 'Zwolle' geeft hetzelfde paginaadres "
        f"(gemeenten/zwolle/) als de gemeente {shown} in {path}; verwacht een eigen naam per gemeente",
    ])


@pytest.mark.parametrize("naam, expected", [
    ("Index", "de naam 'Index' geeft het adres 'index', dat Ketenkaart al gebruikt voor het overzicht van de "
              "gemeenten (gemeenten/); kies een andere naam, zoals 'Gemeente Index'"),
    ("Ketenscan", "geeft het adres 'ketenscan', dat Ketenkaart al gebruikt voor de ketenscan"),
    ("Nederland", "geeft het adres 'nederland', dat Ketenkaart al gebruikt voor de landelijke kaart (kaarten/nederland.html) en de landelijke downloads"),
    ("???", "de naam '???' geeft geen paginaadres: er staat geen letter of cijfer (a-z, 0-9) in"),
    ("日本", "de naam '日本' geeft geen paginaadres"),
])
def test_chain_names_with_a_reserved_or_empty_slug_are_located_errors(naam, expected, data_copy, capsys):
    path = _second_chain(data_copy, naam)
    status, lines = check(data_copy, capsys)
    assert status == 1
    [message] = lines
    assert message.startswith(f"{path}:{line_of(path, 'gemeente:')}: gemeente: "), message
    assert expected in message


def test_build_stops_on_a_colliding_chain_instead_of_overwriting_a_page(data_copy, tmp_path, capsys):
    _second_chain(data_copy, "Zwolle!")
    assert build_site(data_copy, tmp_path / "site", tmp_path / "build") == 1
    assert not (tmp_path / "site").exists()
    assert "hetzelfde paginaadres" in capsys.readouterr().out


def test_empty_slug_no_longer_crashes_the_build(data_copy, tmp_path, capsys):
    _second_chain(data_copy, "???")
    assert build_site(data_copy, tmp_path / "site", tmp_path / "build") == 1
    assert "geeft geen paginaadres" in capsys.readouterr().out


# -- files outside the data folder ---------------------------------------------------------------------

def test_symlink_to_a_file_outside_the_data_folder_is_refused(data_copy, tmp_path, capsys):
    secret = tmp_path / "elders" / "geheim.yaml"
    secret.parent.mkdir()
    secret.write_text((data_copy / ZWOLLE).read_text(encoding="utf-8").replace("humanitas-zwolle", "geheim"),
                      encoding="utf-8")
    link = data_copy / "zwolle" / "geheim.yaml"
    link.symlink_to(secret)
    status, lines = check(data_copy, capsys)
    assert status == 1
    assert lines == [f"{link}: is een symbolische koppeling (naar {secret}); Ketenkaart leest alleen gewone "
                     "bestanden en mappen in de datamap: kopieer het bestand hierheen"]
    assert build_site(data_copy, tmp_path / "site", tmp_path / "build") == 1
    assert not (tmp_path / "site").exists()


def test_symlinked_folder_is_refused_not_silently_skipped(data_copy, tmp_path, capsys):
    elders = tmp_path / "elders"
    elders.mkdir()
    (data_copy / "extra").symlink_to(elders)
    status, lines = check(data_copy, capsys)
    assert status == 1
    assert lines[0].startswith(f"{data_copy / 'extra'}: is een symbolische koppeling")


# -- HSDS import ---------------------------------------------------------------------------------------

def _hsds(org_id: str, **service) -> dict:
    return {"id": org_id, "name": "Budgetcafé Injectie", "description": "Helpt met post.",
            "services": [{"id": "dienst-1", "name": "Budgetcafé Injectie", "status": "active",
                          "description": "Helpt met post.", **service}]}


@pytest.mark.parametrize("sep", ["\n", "\r", "\r\n", "\u2028", "\x85"], ids=["LF", "CR", "CRLF", "LS", "NEL"])
def test_hsds_id_with_line_breaks_cannot_inject_fields(sep, data_copy, tmp_path, capsys):
    evil = f"abc{sep}spoed: ja{sep}website: https://kwaad.example/{sep}#"
    package = tmp_path / "pakket.json"
    package.write_text(json.dumps(_hsds(evil)), encoding="utf-8")
    before = yaml_files(data_copy)
    status, _lines = run(["import", "hsds", str(package), "--data", str(data_copy), "--gemeente", "GM0193"], capsys)
    assert status == 0
    [new] = yaml_files(data_copy) - before
    text = (data_copy / new).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert "spoed" not in data and "website" not in data
    dataset, errors = load(data_copy)
    assert errors == []
    org = dataset.organisaties[data["id"]]
    assert not org.spoed and org.website is None


def test_hsds_deep_nesting_is_refused_with_a_message(tmp_path, data_copy, capsys):
    package = tmp_path / "diep.json"
    package.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    status, lines = run(["import", "hsds", str(package), "--data", str(data_copy)], capsys)
    assert status == 1
    assert len(lines) == 1 and lines[0].startswith(f"{package}: de gegevens zijn dieper genest dan 64 niveaus")


def test_hsds_number_of_5000_digits_is_refused_with_file_and_line(tmp_path, data_copy, capsys):
    package = tmp_path / "getal.json"
    package.write_text('{"id": "o1",\n "name": "Getal",\n "year_incorporated": ' + HUGE + "}", encoding="utf-8")
    status, lines = run(["import", "hsds", str(package), "--data", str(data_copy)], capsys)
    assert status == 1
    assert lines == [f"{package}:3: een getal van 5000 cijfers; verwacht hoogstens 4300 cijfers"]


def test_hsds_organisation_without_id_is_imported(tmp_path, data_copy, capsys):
    record = _hsds("x")
    del record["id"]
    package = tmp_path / "zonder-id.json"
    package.write_text(json.dumps(record), encoding="utf-8")
    before = yaml_files(data_copy)
    status, _lines = run(["import", "hsds", str(package), "--data", str(data_copy), "--gemeente", "GM0193"], capsys)
    assert status == 0
    assert len(yaml_files(data_copy) - before) == 1
    assert load(data_copy)[1] == []


@pytest.mark.parametrize("value", ["[" * 100_000, '{"naar": ' + HUGE + "}", '["naar"]'], ids=["deep", "digits", "list"])
def test_hsds_relation_attribute_that_cannot_be_read_is_reported_not_a_traceback(value, tmp_path, data_copy, capsys):
    record = _hsds("o1")
    record["attributes"] = [{"id": "a1", "value": value, "taxonomy_term": {
        "id": "t1", "code": "relaties/verwijst", "name": "Verwijst", "taxonomy": "Ketenkaart"}}]
    package = tmp_path / "relatie.json"
    package.write_text(json.dumps(record), encoding="utf-8")
    status, lines = run(["import", "hsds", str(package), "--data", str(data_copy), "--gemeente", "GM0193"], capsys)
    assert status == 0
    assert any("Ketenkaart-relatie met onleesbare waarde" in line for line in lines), lines
    assert all(len(line) < 600 for line in lines)


def test_hsds_link_to_dev_zero_is_refused(tmp_path, data_copy, capsys):
    folder = tmp_path / "pakket"
    folder.mkdir()
    (folder / "organizations.json").write_text(json.dumps([_hsds("o1")]), encoding="utf-8")
    (folder / "zero.json").symlink_to("/dev/zero")
    before = yaml_files(data_copy)
    status, lines = run(["import", "hsds", str(folder), "--data", str(data_copy), "--gemeente", "GM0193"], capsys)
    assert status == 1
    assert f"{folder / 'zero.json'}: is geen gewoon bestand in de map van het pakket; Ketenkaart leest het niet" \
        in lines, lines
    assert yaml_files(data_copy) == before


def test_hsds_file_larger_than_the_limit_is_refused(tmp_path, data_copy, capsys):
    package = tmp_path / "groot.json"
    with open(package, "w", encoding="utf-8") as handle:
        handle.write('{"id": "o1", "name": "Groot", "description": "')
        handle.write("x" * (51 * 1024 * 1024))
        handle.write('"}')
    status, lines = run(["import", "hsds", str(package), "--data", str(data_copy)], capsys)
    assert status == 1
    assert lines == [f"{package}: het bestand is 51 MB; verwacht hoogstens 50 MB"]


def test_hsds_csv_with_an_oversized_field_is_reported(tmp_path, data_copy, capsys):
    folder = tmp_path / "tabel"
    folder.mkdir()
    (folder / "datapackage.json").write_text(json.dumps(
        {"resources": [{"name": "organization", "path": "organizations.csv"}]}), encoding="utf-8")
    (folder / "organizations.csv").write_text('id,name,description\no1,Groot,"' + "x" * 200_000 + '"\n',
                                              encoding="utf-8")
    status, lines = run(["import", "hsds", str(folder), "--data", str(data_copy)], capsys)
    assert status == 1
    assert lines and lines[0].startswith(f"{folder / 'organizations.csv'}:2: geen geldige CSV")


# -- spreadsheets --------------------------------------------------------------------------------------

def _template_xlsx() -> bytes:
    from generator.exchange.table import template_xlsx

    dataset, _ = load(EXAMPLE_DATA)
    return template_xlsx(dataset)


def _replace_member(xlsx: bytes, name: str, write) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == name:
                member = zipfile.ZipInfo(name)
                member.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(member, "w", force_zip64=True) as handle:
                    write(handle, src.read(name))
            else:
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


def test_xlsx_with_broken_sheet_xml_is_reported(tmp_path, data_copy, capsys):
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(_replace_member(_template_xlsx(), "xl/worksheets/sheet1.xml",
                                     lambda handle, old: handle.write(old[: len(old) // 2])))
    status, lines = run(["import", "xlsx", str(path), "--data", str(data_copy)], capsys)
    assert status == 1
    assert len(lines) == 1 and lines[0].startswith(f"{path}: geen leesbaar Excel-bestand (.xlsx)"), lines


def test_xlsx_that_unpacks_beyond_the_limit_is_refused_before_reading(tmp_path, data_copy, capsys):
    def padded(handle, old: bytes) -> None:  # valid XML with 120 MB of blank space in the sheet
        head, sep, tail = old.partition(b"<sheetData>")
        handle.write(head + sep)
        block = b" " * (1 << 20)
        for _ in range(120):
            handle.write(block)
        handle.write(tail)

    path = tmp_path / "bom.xlsx"
    path.write_bytes(_replace_member(_template_xlsx(), "xl/worksheets/sheet1.xml", padded))
    assert path.stat().st_size < 2 * 1024 * 1024
    status, lines = run(["import", "xlsx", str(path), "--data", str(data_copy)], capsys)
    assert status == 1
    assert lines == [f"{path}: het Excel-bestand pakt uit tot 120 MB; verwacht hoogstens 100 MB"]


def test_csv_larger_than_the_limit_is_refused(tmp_path, data_copy, capsys):
    path = tmp_path / "groot.csv"
    path.write_bytes(b"id;naam\n" + b"a;b\n" * (21 * 1024 * 1024 // 4))
    status, lines = run(["import", "csv", str(path), "--data", str(data_copy)], capsys)
    assert status == 1
    assert lines == [f"{path}: het bestand is 21 MB; verwacht hoogstens 20 MB"]
