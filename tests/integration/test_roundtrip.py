"""The spreadsheet round trip: `export xlsx|csv`, an edit with openpyxl, `import --bijwerken`.

Real files throughout: a copy of the frozen example data plus one fictitious organisation file
written the way a person might (CRLF line endings, a byte order mark, flow blocks, the short
form of bron, comments on value lines), the real command line, the real loader. Trees are
compared byte for byte.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.cli import main as ketenkaart
from generator.exchange.orgfile import organisation_data
from generator.exchange.table import COLUMNS, RELATION_COLUMNS, column_letter, data_date, template_xlsx
from generator.load.loader import load

from sitebuild import EXAMPLE_DATA, ROOT

# A fictitious organisation in Zwolle's chain, written by hand: CRLF, a byte order mark, flow
# blocks, `bron` in its short form, a literal description, comments above and beside values.
PROEF_ID = "proef-bijwerken"
PROEF = "\ufeff" + "\r\n".join([
    "# Verzonnen organisatie voor de test van import --bijwerken (fictief).",
    f"id: {PROEF_ID}",
    'naam: "Proef Bijwerken (fictief)"   # tussen aanhalingstekens',
    "soort: vrijwilligersorganisatie",
    "gemeenten: GM0193",
    "inzet: vrijwilligers",
    "beschrijving: |",
    "  Een verzonnen organisatie voor de test.",
    "",
    "  Met een tweede alinea.",
    "diensten:",
    "  - thuisadministratie",
    "  - formulieren",
    "fasen: [preventie]",
    "profielen: {schulden: [geen, beperkt]}",
    "# Het telefoonnummer is verzonnen.",
    "contact: {telefoon: 038 000 0000}",
    "verwijst:",
    "  - op-orde-zwolle",
    "  - naar: sociaal-raadslieden-de-kern",
    "    wanneer: Bij schulden   # opmerking bij wanneer",
    "werkt-samen: [humanitas-zwolle]",
    "bron: Eigen verzinsel",
    "gecontroleerd: 2026-01",
    "fictief: ja",
    "# slotopmerking",
    "",
])


@pytest.fixture
def data(data_copy: Path) -> Path:
    (data_copy / "zwolle" / f"{PROEF_ID}.yaml").write_bytes(PROEF.encode("utf-8"))
    _dataset, errors = load(data_copy)
    assert errors == []
    return data_copy


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def run(args: list[str], capsys) -> tuple[int, str, str]:
    status = ketenkaart(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def export(data: Path, out: Path, capsys, *extra: str) -> Path:
    status, stdout, _err = run(["export", out.suffix[1:], "--data", str(data), "--out", str(out), *extra], capsys)
    assert status == 0, stdout
    return out


def import_(path: Path, data: Path, capsys, *extra: str) -> tuple[int, str, str]:
    return run(["import", path.suffix[1:], str(path), "--data", str(data), "--bijwerken", *extra], capsys)


class Workbook:
    """An exported workbook, edited the way a person does: cell by cell, found by id and column."""

    def __init__(self, path: Path):
        self.path = path
        self.book = load_workbook(path)
        self.orgs = self.book["Organisaties"]
        self.relations = self.book["Verwijzingen"]

    def header(self, sheet) -> list[str]:
        return [c.value for c in sheet[1]]

    def row_of(self, ident: str) -> int:
        return next(r for r in range(2, self.orgs.max_row + 1) if self.orgs.cell(r, 1).value == ident)

    def relation_row(self, van: str, naar: str, soort: str) -> int:
        header = self.header(self.relations)
        for r in range(2, self.relations.max_row + 1):
            values = {h: self.relations.cell(r, i + 1).value for i, h in enumerate(header)}
            if (values["van"], values["naar"], values["soort"]) == (van, naar, soort):
                return r
        raise AssertionError(f"geen rij {van} -> {naar} ({soort})")

    def org_cell(self, ident: str, column: str):
        return self.orgs.cell(self.row_of(ident), self.header(self.orgs).index(column) + 1)

    def relation_cell(self, van: str, naar: str, soort: str, column: str):
        return self.relations.cell(self.relation_row(van, naar, soort), self.header(self.relations).index(column) + 1)

    def add_relation(self, **values: str) -> int:
        self.relations.append([values.get(c, "") for c in self.header(self.relations)])
        return self.relations.max_row

    def save(self, path: Path | None = None) -> Path:
        self.book.save(path or self.path)
        return path or self.path


# == an unchanged export changes nothing ============================================================

@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_reimporting_an_unchanged_export_changes_no_byte(suffix, data, tmp_path, capsys):
    before = tree(data)
    sheet = export(data, tmp_path / f"alles{suffix}", capsys)
    status, out, _err = import_(sheet, data, capsys)
    assert status == 0, out
    dataset, _errors = load(data)
    assert f"0 organisaties bijgewerkt, 0 nieuw, {len(dataset.organisaties)} ongewijzigd" in out
    assert tree(data) == before


def test_the_export_holds_every_organisation_and_relation(data, tmp_path, capsys):
    dataset, _errors = load(data)
    book = Workbook(export(data, tmp_path / "alles.xlsx", capsys))
    assert book.book.sheetnames == ["Organisaties", "Verwijzingen", "Uitleg", "Export Organisaties",
                                    "Export Verwijzingen"]
    assert [sheet.sheet_state for sheet in book.book.worksheets] == ["visible"] * 3 + ["veryHidden"] * 2
    assert book.header(book.orgs) == list(COLUMNS)  # the template's columns: import reads them
    assert book.header(book.relations) == list(RELATION_COLUMNS)
    assert [book.orgs.cell(r, 1).value for r in range(2, book.orgs.max_row + 1)] == sorted(dataset.organisaties)
    rows = [[c.value or "" for c in row] for row in book.relations.iter_rows(min_row=2)]
    expected = [[o.id, r.naar, r.soort, r.wanneer or "", "ja" if r.warm else ""]
                for o in sorted(dataset.organisaties.values(), key=lambda o: o.id) for r in o.relaties]
    assert rows == expected
    assert any(row[3] and row[4] == "ja" for row in rows)  # wanneer and warm travel


def test_export_of_one_municipality_holds_the_organisations_on_its_map(data, tmp_path, capsys, example_site):
    from generator.graph.build import build_graph, chain_members

    dataset, _errors = load(data)
    zwolle = next(k for k in dataset.ketens.values() if k.naam == "Zwolle")
    members = chain_members(build_graph(dataset), zwolle)
    for value in ("Zwolle", zwolle.cbs, zwolle.slug):
        book = Workbook(export(data, tmp_path / f"{value}.xlsx", capsys, "--gemeente", value))
        assert {book.orgs.cell(r, 1).value for r in range(2, book.orgs.max_row + 1)} == members
        assert {book.relations.cell(r, 1).value for r in range(2, book.relations.max_row + 1)} <= members
    assert PROEF_ID in members and len(members) < len(dataset.organisaties)
    status, _out, err = run(["export", "xlsx", "--data", str(data), "--out", str(tmp_path / "x.xlsx"),
                             "--gemeente", "Zwole"], capsys)
    assert status == 2
    assert "onbekende gemeente 'Zwole'" in err and "Bedoelde u 'Zwolle'?" in err
    assert not (tmp_path / "x.xlsx").exists()


# == one cell, one field ===========================================================================

ONE_CELL = [  # (sheet, where, value, the field that must change)
    ("org", (PROEF_ID, "naam"), "Proef Bijgewerkt (fictief)", "naam"),
    ("org", ("humanitas-zwolle", "fasen"), "preventie; minnelijk", "fasen"),
    ("org", (PROEF_ID, "contact.email"), "proef@example.org", "contact"),  # into a flow block
    ("org", (PROEF_ID, "bron.url"), "https://example.org/proef", "bron"),  # the short form grows
    ("org", ("humanitas-zwolle", "duur"), "jaar", "duur"),  # a field the file lacks
    ("org", ("humanitas-zwolle", "profielen.leerbaarheid"), "(verwijderen)", "profielen"),
    ("rel", (PROEF_ID, "sociaal-raadslieden-de-kern", "verwijst", "wanneer"), "Bij problematische schulden",
     "relaties"),
    ("rel", ("sociale-wijkteams-zwolle", "op-orde-zwolle", "verwijst", "warm"), "ja", "relaties"),
    ("rel", (PROEF_ID, "op-orde-zwolle", "verwijst", "warm"), "ja", "relaties"),  # a bare id becomes a block
]


@pytest.mark.parametrize("sheet, where, value, field", ONE_CELL, ids=[f"{c[1][0]}-{c[1][-1]}" for c in ONE_CELL])
def test_changing_one_cell_changes_one_field_of_one_file(sheet, where, value, field, data, tmp_path, capsys):
    before = tree(data)
    original, _errors = load(data)
    book = Workbook(export(data, tmp_path / "alles.xlsx", capsys))
    cell = book.org_cell(*where) if sheet == "org" else book.relation_cell(*where)
    cell.value = value
    status, out, _err = import_(book.save(), data, capsys)
    assert status == 0, out
    assert "1 organisatie bijgewerkt" in out

    after = tree(data)
    (name,) = changed(before, after)
    assert Path(name).stem == where[0]
    again, errors = load(data)
    assert errors == []
    old, new = (organisation_data(ds.organisaties[where[0]]) for ds in (original, again))
    differs = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
    expected_keys = {"verwijst"} if field == "relaties" else {field}
    assert differs == expected_keys
    # Every line that is not about the field is still there, comments included.
    old_text, new_text = before[name].decode("utf-8"), after[name].decode("utf-8")
    kept = [line for line in old_text.splitlines() if line not in new_text.splitlines()]
    assert all(not line.lstrip().startswith("#") for line in kept), kept
    assert len(kept) <= 2, kept  # only the lines of the value itself
    if where[0] == PROEF_ID:  # the file's own conventions stay: byte order mark and CRLF
        assert after[name].startswith("\ufeff".encode("utf-8"))
        assert after[name].count(b"\n") == after[name].count(b"\r\n")


def test_an_edit_keeps_comments_key_order_and_fields_the_sheet_does_not_hold(data, tmp_path, capsys):
    path = data / "zwolle" / f"{PROEF_ID}.yaml"
    book = Workbook(export(data, tmp_path / "alles.xlsx", capsys))
    book.org_cell(PROEF_ID, "naam").value = "Proef Bijgewerkt (fictief)"
    book.org_cell(PROEF_ID, "fasen").value = "preventie; nazorg"
    book.org_cell(PROEF_ID, "website").value = "https://example.org/"
    book.org_cell(PROEF_ID, "werkt-samen").value = "humanitas-zwolle; wijz-zwolle"
    book.relation_cell(PROEF_ID, "sociaal-raadslieden-de-kern", "verwijst", "wanneer").value = "Bij grote schulden"
    book.add_relation(van=PROEF_ID, naar="gemeente-zwolle-schulddienstverlening", soort="verwijst",
                      wanneer="Bij problematische schulden", warm="ja")
    status, out, _err = import_(book.save(), data, capsys)
    assert status == 0, out
    text = path.read_bytes().decode("utf-8")
    old_lines = PROEF.lstrip("\ufeff").split("\r\n")
    new_lines = text.lstrip("\ufeff").split("\r\n")
    comments = [line for line in old_lines if line.lstrip().startswith("#")]
    assert [line for line in new_lines if line.lstrip().startswith("#")] == comments
    assert 'naam: Proef Bijgewerkt (fictief)   # tussen aanhalingstekens' in new_lines
    assert "    wanneer: Bij grote schulden   # opmerking bij wanneer" in new_lines
    keys = [line.split(":")[0] for line in new_lines if line[:1].isalpha()]
    assert keys == ["id", "naam", "soort", "gemeenten", "inzet", "beschrijving", "diensten", "fasen", "profielen",
                    "contact", "website", "verwijst", "werkt-samen", "bron", "gecontroleerd", "fictief"]
    org = load(data)[0].organisaties[PROEF_ID]
    assert org.beschrijving == "Een verzonnen organisatie voor de test.\n\nMet een tweede alinea."
    assert org.contact == {"telefoon": "038 000 0000"} and org.profielen["schulden"] == ("geen", "beperkt")
    assert [(r.soort, r.naar, r.wanneer, r.warm) for r in org.relaties] == [
        ("verwijst", "op-orde-zwolle", None, False),
        ("verwijst", "sociaal-raadslieden-de-kern", "Bij grote schulden", False),
        ("verwijst", "gemeente-zwolle-schulddienstverlening", "Bij problematische schulden", True),
        ("werkt-samen", "humanitas-zwolle", None, False),
        ("werkt-samen", "wijz-zwolle", None, False),
    ]
    for line in ("naam: 'Proef Bijwerken (fictief)' -> Proef Bijgewerkt (fictief)",
                 "verwijst: gemeente-zwolle-schulddienstverlening toegevoegd",
                 "verwijst sociaal-raadslieden-de-kern: wanneer: Bij schulden -> Bij grote schulden",
                 "werkt-samen: wijz-zwolle toegevoegd"):
        assert line.split(" -> ")[-1] in out


# == empty cells, the marker, removing a relation ==================================================

def test_empty_cells_change_nothing_and_the_marker_removes_a_field(data, tmp_path, capsys):
    book = Workbook(export(data, tmp_path / "alles.xlsx", capsys))
    for column in ("naam", "beschrijving", "contact.telefoon", "verwijst", "werkt-samen", "fictief"):
        book.org_cell(PROEF_ID, column).value = None  # emptied: still no change
    book.relation_cell(PROEF_ID, "sociaal-raadslieden-de-kern", "verwijst", "wanneer").value = None
    before = tree(data)
    status, out, _err = import_(book.save(), data, capsys)
    assert status == 0, out
    assert tree(data) == before

    book.org_cell(PROEF_ID, "contact.telefoon").value = "(verwijderen)"
    book.relation_cell(PROEF_ID, "sociaal-raadslieden-de-kern", "verwijst", "wanneer").value = "(verwijderen)"
    status, out, _err = import_(book.save(), data, capsys)
    assert status == 0, out
    org = load(data)[0].organisaties[PROEF_ID]
    assert org.contact == {}  # the block went with its only field
    assert [(r.naar, r.wanneer) for r in org.relaties if r.soort == "verwijst"] == [
        ("op-orde-zwolle", None), ("sociaal-raadslieden-de-kern", None)]
    text = (data / "zwolle" / f"{PROEF_ID}.yaml").read_bytes().decode("utf-8")
    assert "contact" not in text and "# Het telefoonnummer is verzonnen." in text


def test_a_relation_goes_when_its_id_leaves_the_column(data, tmp_path, capsys):
    book = Workbook(export(data, tmp_path / "alles.xlsx", capsys))
    book.org_cell(PROEF_ID, "verwijst").value = "op-orde-zwolle"  # sociaal-raadslieden-de-kern taken out
    status, out, _err = import_(book.save(), data, capsys)  # its row on Verwijzingen left as exported
    assert status == 0, out
    assert "verwijst: sociaal-raadslieden-de-kern weggehaald" in out
    org = load(data)[0].organisaties[PROEF_ID]
    assert [r.naar for r in org.relaties if r.soort == "verwijst"] == ["op-orde-zwolle"]
    text = (data / "zwolle" / f"{PROEF_ID}.yaml").read_bytes().decode("utf-8")
    assert "opmerking bij wanneer" not in text and "  - op-orde-zwolle\r\n" in text


def test_a_relation_taken_out_of_the_column_but_changed_on_its_row_is_refused(data, tmp_path, capsys):
    book = Workbook(export(data, tmp_path / "alles.xlsx", capsys))
    book.org_cell(PROEF_ID, "verwijst").value = "op-orde-zwolle"
    book.relation_cell(PROEF_ID, "sociaal-raadslieden-de-kern", "verwijst", "warm").value = "ja"
    row = book.relation_row(PROEF_ID, "sociaal-raadslieden-de-kern", "verwijst")
    before = tree(data)
    status, out, _err = import_(book.save(), data, capsys)
    assert status == 1
    assert out.startswith(f"{book.path}: blad Verwijzingen: rij {row}, kolom naar (B): de relatie naar "
                          "'sociaal-raadslieden-de-kern' is hier veranderd, maar staat niet meer in kolom verwijst")
    assert tree(data) == before
    # Without the export's hidden copy (a workbook made by hand) a row left behind is refused too.
    del book.book["Export Organisaties"], book.book["Export Verwijzingen"]
    book.relation_cell(PROEF_ID, "sociaal-raadslieden-de-kern", "verwijst", "warm").value = None
    status, out, _err = import_(book.save(), data, capsys)
    assert status == 1 and "staat hier nog, maar niet meer in kolom verwijst" in out
    assert tree(data) == before


# == a file changed after the export ===============================================================

def test_changes_made_to_the_files_after_the_export_are_kept(data, tmp_path, capsys):
    book = Workbook(export(data, tmp_path / "alles.xlsx", capsys))
    path = data / "zwolle" / "humanitas-zwolle.yaml"
    text = path.read_text(encoding="utf-8")  # meanwhile, someone edits the file itself
    text = text.replace("naam: Humanitas Thuisadministratie Zwolle", "naam: Humanitas Zwolle (intussen)")
    text = text.replace("werkt-samen: [op-orde-zwolle,", "werkt-samen: [sociaal-raadslieden-de-kern, op-orde-zwolle,")
    path.write_text(text, encoding="utf-8")
    book.org_cell("humanitas-zwolle", "fasen").value = "preventie"  # the editor changes another field ...
    book.org_cell("humanitas-zwolle", "werkt-samen").value = "op-orde-zwolle; wijz-zwolle"  # ... and the list
    status, out, _err = import_(book.save(), data, capsys)
    assert status == 0, out
    org = load(data)[0].organisaties["humanitas-zwolle"]
    assert org.naam == "Humanitas Zwolle (intussen)" and org.fasen == ("preventie",)
    assert [r.naar for r in org.relaties if r.soort == "werkt-samen"] == [
        "sociaal-raadslieden-de-kern", "op-orde-zwolle", "wijz-zwolle"]  # schuldhulpmaatje-zwolle went

    book.org_cell("humanitas-zwolle", "naam").value = "Humanitas (spreadsheet)"  # the same field as meanwhile
    before = tree(data)
    status, out, _err = import_(book.save(), data, capsys)
    assert status == 1
    assert (f"{book.path}: blad Organisaties: rij {book.row_of('humanitas-zwolle')}, kolom naam (B): u veranderde "
            "Humanitas Thuisadministratie Zwolle in Humanitas (spreadsheet), maar in ") in out
    assert "staat sinds de export Humanitas Zwolle (intussen)" in out
    assert tree(data) == before


# == new rows next to updates; --droog ==============================================================

def test_droog_prints_the_changes_and_writes_nothing(data, tmp_path, capsys):
    book = Workbook(export(data, tmp_path / "alles.xlsx", capsys))
    book.org_cell("humanitas-zwolle", "naam").value = "Humanitas Zwolle (fictief gewijzigd)"
    row = [c.value for c in book.orgs[book.row_of(PROEF_ID)]]
    row[0], row[1] = "proef-nieuw", "Proef Nieuw (fictief)"
    book.orgs.append(row)
    book.add_relation(van="proef-nieuw", naar="op-orde-zwolle", soort="verwijst", wanneer="Altijd eerst", warm="ja")
    book.save()
    before = tree(data)
    status, out, err = import_(book.path, data, capsys, "--droog")
    assert status == 0, out
    assert tree(data) == before
    assert "Proefdraaien (--droog): er is niets geschreven." in err
    assert "Zou bijwerken:" in out and "Humanitas Thuisadministratie Zwolle -> Humanitas Zwolle" in out
    assert "Zou nieuw maken:" in out and "proef-nieuw.yaml" in out

    status, real, _err = import_(book.path, data, capsys)
    assert status == 0
    assert real.replace("Bijwerken:", "Zou bijwerken:").replace("Nieuw:", "Zou nieuw maken:").split("Geschreven")[0] \
        == out
    assert changed(before, tree(data)) == ["zwolle/humanitas-zwolle.yaml", "zwolle/proef-nieuw.yaml"]
    new = load(data)[0].organisaties["proef-nieuw"]
    assert [(r.naar, r.wanneer, r.warm) for r in new.relaties if r.soort == "verwijst"] == [
        ("op-orde-zwolle", "Altijd eerst", True), ("sociaal-raadslieden-de-kern", None, False)]


def test_without_bijwerken_existing_ids_are_refused_as_before(data, tmp_path, capsys):
    sheet = export(data, tmp_path / "alles.xlsx", capsys)
    before = tree(data)
    status, out, err = run(["import", "xlsx", str(sheet), "--data", str(data)], capsys)
    assert status == 1
    assert "is al gebruikt" in out and "--bijwerken" in err
    assert tree(data) == before


# == bad cells ======================================================================================

def test_bad_cells_on_both_sheets_give_located_dutch_errors_and_write_nothing(data, tmp_path, capsys):
    book = Workbook(export(data, tmp_path / "alles.xlsx", capsys))
    book.org_cell("humanitas-zwolle", "fasen").value = "preventie; nazrg"
    book.org_cell(PROEF_ID, "gecontroleerd").value = "2026-02-31"
    book.org_cell("op-orde-zwolle", "spoed").value = "misschien"
    bad_warm = book.add_relation(van="wijz-zwolle", naar="op-orde-zwolle", soort="verwijst", warm="soms")
    bad_target = book.add_relation(van="wijz-zwolle", naar="bestaat-niet", soort="verwijst")
    bad_kind = book.add_relation(van="wijz-zwolle", naar="op-orde-zwolle", soort="verwijs")
    bad_van = book.add_relation(van="onbekend", naar="op-orde-zwolle", soort="verwijst")
    book.save()
    before = tree(data)
    status, out, err = import_(book.path, data, capsys)
    assert status == 1
    assert tree(data) == before
    assert "er is niets geschreven" in err
    orgs, rels = f"{book.path}: blad Organisaties", f"{book.path}: blad Verwijzingen"
    col = lambda name: column_letter(list(COLUMNS).index(name))  # noqa: E731
    rcol = lambda name: column_letter(list(RELATION_COLUMNS).index(name))  # noqa: E731
    expected = [
        f"{orgs}: rij {book.row_of('humanitas-zwolle')}, kolom fasen ({col('fasen')}): onbekende waarde 'nazrg'",
        f"{orgs}: rij {book.row_of(PROEF_ID)}, kolom gecontroleerd ({col('gecontroleerd')}): '2026-02-31' bestaat niet",
        f"{orgs}: rij {book.row_of('op-orde-zwolle')}, kolom spoed ({col('spoed')}): verwacht ja of nee, niet 'misschien'",
        f"{rels}: rij {bad_warm}, kolom warm ({rcol('warm')}): verwacht ja of nee, niet 'soms'",
        f"{rels}: rij {bad_target}, kolom naar ({rcol('naar')}): onbekende organisatie 'bestaat-niet'",
        f"{rels}: rij {bad_kind}, kolom soort ({rcol('soort')}): onbekende waarde 'verwijs'",
        f"{rels}: rij {bad_van}, kolom van ({rcol('van')}): onbekende organisatie 'onbekend'",
    ]
    lines = out.splitlines()
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, lines)
    assert len(lines) == len(expected), lines
    assert "Bedoelde u 'nazorg'?" in out and "Bedoelde u 'verwijst'?" in out


def test_bijwerken_refuses_data_that_does_not_load(data, tmp_path, capsys):
    sheet = export(data, tmp_path / "alles.xlsx", capsys)
    broken = data / "zwolle" / "wijz-zwolle.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("soort: ", "soort: onzin-"), encoding="utf-8")
    before = tree(data)
    status, out, err = import_(sheet, data, capsys)
    assert status == 1
    assert "wijz-zwolle.yaml" in out and "los die eerst op" in err
    assert tree(data) == before


# == reproducible workbooks =========================================================================

RENDER = """
import hashlib, sys
from generator.load.loader import load
from generator.exchange.roundtrip import export_members, export_xlsx
from generator.exchange.table import template_xlsx
dataset, _ = load(sys.argv[1])
print(hashlib.sha256(template_xlsx(dataset)).hexdigest())
print(hashlib.sha256(export_xlsx(dataset, export_members(dataset))).hexdigest())
"""


def test_template_and_export_are_byte_identical_between_renders(example_site, tmp_path):
    dataset, _errors = load(EXAMPLE_DATA)
    hashes = []
    for seed in ("1", "2"):  # separate processes: other hash seeds, other clock times
        result = subprocess.run([sys.executable, "-c", RENDER, str(EXAMPLE_DATA)], capture_output=True, text=True,
                                cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        hashes.append(result.stdout.split())
    assert hashes[0] == hashes[1]
    built = (example_site / "downloads" / "organisaties-sjabloon.xlsx").read_bytes()  # an earlier build
    assert hashlib.sha256(built).hexdigest() == hashes[0][0]
    # What makes it so: every date inside is the data's newest check, not the clock.
    newest = data_date(dataset)
    with zipfile.ZipFile(io.BytesIO(template_xlsx(dataset))) as archive:
        assert {info.date_time for info in archive.infolist()} == {newest.timetuple()[:6]}
        core = archive.read("docProps/core.xml").decode("utf-8")
    stamp = newest.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f">{stamp}</dcterms:created>" in core and f">{stamp}</dcterms:modified>" in core


def test_the_template_imports_with_its_example_referral(example_site, data_copy, capsys):
    template = example_site / "downloads" / "organisaties-sjabloon.xlsx"
    status, out, _err = run(["import", "xlsx", str(template), "--data", str(data_copy)], capsys)
    assert status == 0, out
    dataset, errors = load(data_copy)
    assert errors == []
    org = dataset.organisaties["voorbeeld-budgetcafe"]
    first = min(dataset.ketens.values(), key=lambda k: k.naam.casefold())
    assert [(r.naar, bool(r.wanneer), r.warm) for r in org.relaties] == [(first.toegang, True, True)]


def test_text_that_looks_like_a_formula_stays_text_both_ways(data, tmp_path, capsys):
    path = data / "zwolle" / f"{PROEF_ID}.yaml"
    formula = '=HYPERLINK("https://example.org","klik")'
    path.write_bytes(path.read_bytes().replace(b'naam: "Proef Bijwerken (fictief)"',
                                               b"naam: '" + formula.encode() + b"'"))
    before = tree(data)
    book = export(data, tmp_path / "alles.xlsx", capsys)
    with zipfile.ZipFile(book) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "HYPERLINK" in sheet  # a text cell, not a formula
    rows = (export(data, tmp_path / "alles.csv", capsys)).read_text(encoding="utf-8-sig").splitlines()
    assert any(f"'{formula}".replace('"', '""') in row for row in rows)  # the spreadsheet's mark for text
    for sheet_file in (book, tmp_path / "alles.csv"):
        status, out, _err = import_(sheet_file, data, capsys)
        assert status == 0 and "0 organisaties bijgewerkt" in out, out
    assert tree(data) == before
