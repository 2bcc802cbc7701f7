"""The spreadsheet round trip: export the data, edit it in a spreadsheet, read the changes back.

Export (`export_xlsx`, `export_csv`): the sheet Organisaties holds one row per organisation, with
the columns of the spreadsheet template (generator.exchange.table), so that `import` reads it;
the sheet Verwijzingen holds one row per relation (van, naar, soort, wanneer, warm). For one
municipality: the organisations on its map (graph.build.chain_members) and their relations. A
workbook also holds both sheets a second time, very hidden, as exported (the base). A CSV file is
the Organisaties sheet alone, without a base.

Import (`plan_import`) turns a spreadsheet into a Plan: the new organisation files and, with
`update` (`import --bijwerken`), the new text of every existing file that changes, with a line per
change. `check_plan` runs the real loader over a copy of the data folder with the plan applied;
`write_plan` writes only then, and only if no file changed in between. The rules of updating,
also explained to editors in organisaties/README.md and on the workbook's Uitleg sheet:

* a row belongs to the organisation with its id; a row with an id the data lacks is a new one;
* an empty cell changes nothing; CLEAR_MARKER ("(verwijderen)") removes the field;
* a cell that says what the file says (also in another spelling: 'a;b' for [a, b], 'nee' for an
  absent ja/nee field, a bare title for `bron: titel`) changes nothing, so importing an unchanged
  export changes no byte;
* with a base, a cell as exported changes nothing either: a field changed in its file after the
  export keeps that change. A field changed in both places is an error (a conflict), never
  silently decided;
* a relation column (verwijst, werkt-samen, signaleert) lists ids: an id taken out (compared with
  the base, else with the file) removes that relation, a new id adds one; a row on Verwijzingen
  adds a relation or changes its wanneer and warm; a row deleted there changes nothing. A
  relation taken out of the column whose row was changed (or, without a base, left) is an error;
* files are edited in place (generator.exchange.yamledit): comments, key order and every field
  the spreadsheet does not hold stay as they are, byte for byte.
"""

from __future__ import annotations

import os
import stat
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from generator.domain.fields import (
    ORGANISATIE, RELATION_ITEM_FIELDS, RELATION_KEYS, Block, Column, Profile, Text, YesNo, quoted, split_cell,
    suggestion,
)
from generator.domain.vocab import Vocabulary, load_vocabulary
from generator.exchange.orgfile import NewFile, check_new_files, dump_organisation, folder_for, organisation_data, \
    write_new_files
from generator.exchange.table import (
    BASE_REL_SHEET, BASE_SHEET, CLEAR_MARKER, RELATION_COLUMNS, Sheet, Table, Tables, column_letter,
    csv_bytes, data_date, describe, help_sheet, organisation_row, organisation_sheet, relation_sheet, row_data,
    shape_problems, table_columns, workbook_bytes,
)
from generator.load.yamlfile import FAST_LOADER
from generator.exchange.yamledit import APPEND, DELETE, SET, Edit, EditError, apply_edits, apply_to_data
from generator.model import Dataset, Keten, Organisatie

EMPTY = "(leeg)"
GONE = "(verwijderd)"
BLOCK_TEXT = frozenset(f.key for f in ORGANISATIE.fields if isinstance(f.kind, Text) and f.kind.paragraphs)


# == export ========================================================================================

def export_members(dataset: Dataset, keten: Keten | None = None) -> list[Organisatie]:
    """The organisations to export, by id: all, or those on one municipality's map."""
    if keten is None:
        ids: Iterable[str] = dataset.organisaties
    else:
        from generator.graph.build import build_graph, chain_members

        ids = chain_members(build_graph(dataset), keten)
    return [dataset.organisaties[i] for i in sorted(ids)]


def relation_rows(orgs: Iterable[Organisatie], vocab: Vocabulary | None = None) -> list[list[str]]:
    """One row per relation of the organisations, in the order of their files."""
    vocab = vocab or load_vocabulary()
    rows = []
    for org in orgs:
        for relation in org.relaties:
            values = {"van": org.id, "soort": relation.soort}
            for f in RELATION_ITEM_FIELDS:
                values[f.key] = f.kind.to_cell(f.kind.to_data(getattr(relation, f.attr), vocab))
            rows.append([values[c] for c in RELATION_COLUMNS])
    return rows


def export_xlsx(dataset: Dataset, orgs: list[Organisatie], keten: Keten | None = None) -> bytes:
    """A workbook with the sheets Organisaties, Verwijzingen and Uitleg; dated by the data."""
    vocab = dataset.vocab or load_vocabulary()
    header = [c.name for c in table_columns(vocab)]  # a project's own vocabulary may add profile axes
    rows = [organisation_row(org, vocab) for org in orgs]
    relations = relation_rows(orgs, vocab)
    dated = [*orgs, *([keten] if keten else dataset.ketens.values())]
    # The hidden copies: what the editor starts from, for import --bijwerken to compare with.
    base = [Sheet(BASE_SHEET, header, rows, freeze=None, hidden=True),
            Sheet(BASE_REL_SHEET, list(RELATION_COLUMNS), relations, freeze=None, hidden=True)]
    return workbook_bytes([organisation_sheet(header, rows, vocab), relation_sheet(relations),
                           help_sheet(vocab), *base], data_date(dated))


def export_csv(orgs: list[Organisatie], vocab: Vocabulary | None = None) -> bytes:
    """The Organisaties sheet as CSV (relation cells hold ids only)."""
    header = [c.name for c in table_columns(vocab)]
    return csv_bytes(header, [organisation_row(org, vocab) for org in orgs])


# == import: the plan ==============================================================================

@dataclass
class RelationRow:
    row: int
    van: str
    naar: str
    soort: str
    cells: dict[str, str]  # the other columns of a relation item (wanneer, warm)


@dataclass
class Update:
    """An existing organisation file that the import changes."""

    org_id: str
    path: Path
    shown: str  # the file as messages show it
    row: int | None  # on the Organisaties sheet (None: changed through Verwijzingen only)
    before: str
    after: str
    changes: list[str]
    check: NewFile  # the new text, labelled for the loader check


@dataclass
class Plan:
    updates: list[Update] = field(default_factory=list)
    new: list[NewFile] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)  # found before the loader's check
    header: list[str] = field(default_factory=list)  # a header that cannot be read: nothing else is checked


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else "" if value is None else str(value)
    return quoted(text) if text else EMPTY


def _norm(kind: Any, text: str) -> Any:
    """A cell's text in a form where two spellings of the same value are equal."""
    if isinstance(kind, YesNo):
        lowered = text.strip().lower()
        return {"ja": True, "nee": False, "": False}.get(lowered, lowered)
    if kind.list_cell:
        return tuple(dict.fromkeys(split_cell(text)))
    if isinstance(kind, Text) and kind.paragraphs:
        return text.replace("\r\n", "\n").strip()
    return " ".join(text.split())


def _value(kind: Any, text: str) -> Any:
    """The data-file value of a (changed) cell."""
    if isinstance(kind, YesNo):
        return text.lower() if text.lower() in ("ja", "nee") else text
    if kind.list_cell:
        return list(dict.fromkeys(split_cell(text)))
    if isinstance(kind, Text) and kind.paragraphs:
        return text.replace("\r\n", "\n").strip()
    return " ".join(text.split())


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _shorthand(column: Column, raw: dict) -> str | None:
    """The sub-field a block written as plain text stands for (`bron: Titel` -> titel), or None."""
    kind = ORGANISATIE.by_key[column.path[0]].kind  # column.field is the part inside the block
    if len(column.path) == 2 and isinstance(kind, Block) and kind.shorthand and isinstance(raw.get(column.path[0]), str):
        return kind.shorthand
    return None


def _raw_at(raw: dict, column: Column) -> Any:
    short = _shorthand(column, raw)
    if short is not None:
        return raw[column.path[0]] if column.path[1] == short else None
    return _get(raw, column.path)


def _set_edit(column: Column, raw: dict, value: Any) -> Edit:
    short = _shorthand(column, raw)
    if short is None:
        return Edit(SET, column.path, value)
    if column.path[1] == short:  # keep the short form
        return Edit(SET, column.path[:1], value)
    return Edit(SET, column.path[:1], {short: raw[column.path[0]], column.path[1]: value})


def _delete_edit(column: Column, raw: dict) -> Edit:
    return Edit(DELETE, column.path[:1] if _shorthand(column, raw) else column.path)


def _order(vocab: Vocabulary):
    """The field order of each block of an organisation file, for keys the import adds."""
    item_keys = tuple(f.key for f in RELATION_ITEM_FIELDS)

    def order(path: tuple) -> tuple[str, ...]:
        if not path:
            return ORGANISATIE.keys
        f = ORGANISATIE.by_key.get(path[0]) if isinstance(path[0], str) else None
        if len(path) == 1 and f is not None and isinstance(f.kind, Block):
            return tuple(sub.key for sub in f.kind.fields)
        if len(path) == 1 and f is not None and isinstance(f.kind, Profile):
            return tuple(vocab.axes)
        if len(path) == 2 and path[0] in RELATION_KEYS:
            return item_keys
        return ()

    return order


def _yes(raw: Any) -> bool:
    return raw is True or (isinstance(raw, str) and raw.lower() == "ja")


def _warm_of(text: str, old: Any) -> Any:
    """The warm value after a cell: True, False, or the cell as written (for the loader to refuse)."""
    if not text:
        return _yes(old)
    if text == CLEAR_MARKER:
        return False
    lowered = text.lower()
    return {"ja": True, "nee": False}.get(lowered, text)


def _wanneer_of(text: str, old: Any) -> str | None:
    if not text:
        return " ".join(str(old).split()) if old else None
    if text == CLEAR_MARKER:
        return None
    return " ".join(text.split())


def _relation_value(naar: str, wanneer: str | None, warm: Any) -> Any:
    """A relation item as a data file writes it: a bare id when there is nothing more."""
    if not wanneer and warm is False:
        return naar
    item: dict[str, Any] = {"naar": naar}
    if wanneer:
        item["wanneer"] = wanneer
    if warm is True:
        item["warm"] = "ja"
    elif warm is not False:
        item["warm"] = warm
    return item


def _show_warm(value: Any) -> str:
    return "ja" if value is True else "nee" if value is False else quoted(value)


class _Planner:
    def __init__(self, tables: Tables, dataset: Dataset, update: bool):
        self.table = tables.organisations
        self.relations = tables.relations
        self.dataset = dataset
        self.update = update
        self.vocab = dataset.vocab or load_vocabulary()
        self.columns = {c.name: c for c in table_columns(self.vocab)}
        self.order = _order(self.vocab)
        self.plan = Plan()
        # The sheets as exported (hidden in an export): what the editor saw before editing.
        self.base: dict[str, dict[str, str]] = {}
        if tables.base is not None:
            for _number, cells in tables.base.rows:
                row = {name: tables.base.cell(cells, name) for name in tables.base.header if name}
                self.base.setdefault(row.get("id", ""), row)
        self.base_relations: dict[tuple[str, str, str], dict[str, str]] = {}
        if tables.base_relations is not None:
            sheet = tables.base_relations
            for _number, cells in sheet.rows:
                row = {name: sheet.cell(cells, name) for name in RELATION_COLUMNS}
                self.base_relations.setdefault((row["van"], row["soort"], row["naar"]), row)

    # -- locating ------------------------------------------------------------------------------------
    def at(self, sheet: Table, row: int | None, column: str, message: str) -> str:
        if row is None:
            return f"{sheet.label}: {message}"
        letter = f" ({column_letter(sheet.header.index(column))})" if column in sheet.header else ""
        return f"{sheet.label}: rij {row}, kolom {column}{letter}: {message}"

    def problem(self, sheet: Table, row: int | None, column: str, message: str) -> None:
        self.plan.problems.append(self.at(sheet, row, column, message))

    def conflict(self, sheet: Table, row: int | None, column: str, base: str, cell: str, now: str,
                 shown: str) -> None:
        self.problem(sheet, row, column, f"u veranderde {_shown(base)} in {_shown(cell)}, maar in {shown} staat "
                                         f"sinds de export {_shown(now)}; maak een nieuwe export (ketenkaart export) "
                                         "en breng uw wijziging daarin over, of pas het bestand met de hand aan")

    # -- the rows ------------------------------------------------------------------------------------
    def run(self) -> Plan:
        shape = shape_problems(self.table)
        if 1 in shape:
            self.plan.header.append(shape[1])
        relation_shape: dict[int, str] = {}
        if self.relations is not None:
            relation_shape = shape_problems(self.relations)
            self.plan.header.extend(relation_shape[n] for n in (1,) if n in relation_shape)
            self.plan.header.extend(self.relation_header())
        if self.plan.header:
            return self.plan
        self.plan.problems.extend(message for row, message in sorted(shape.items()))
        self.plan.problems.extend(message for row, message in sorted(relation_shape.items()))

        existing: dict[str, tuple[int, list[str]]] = {}
        new_rows: list[tuple[int, list[str]]] = []
        for number, cells in self.table.rows:
            if not any(cells) or number in shape:
                continue
            ident = self.table.cell(cells, "id")
            if self.update and ident in self.dataset.organisaties:
                if ident in existing:
                    self.problem(self.table, number, "id", f"'{quoted(ident)}' staat ook in rij {existing[ident][0]}; "
                                                           "verwacht elke organisatie één keer")
                    continue
                existing[ident] = (number, cells)
            else:
                new_rows.append((number, cells))
        new_ids: dict[str, int] = {}
        for number, cells in new_rows:
            new_ids.setdefault(self.table.cell(cells, "id"), number)

        by_org = self.relation_rows(new_ids, relation_shape)
        touched = sorted(set(existing) | {van for van in by_org if van in self.dataset.organisaties and self.update})
        for ident in touched:
            number, cells = existing.get(ident, (None, None))
            self.update_record(self.dataset.organisaties[ident], number, cells, by_org.get(ident, []))
        for number, cells in new_rows:
            ident = self.table.cell(cells, "id")
            rows = by_org.get(ident, []) if new_ids.get(ident) == number else []
            self.new_record(number, cells, rows)
        return self.plan

    def relation_header(self) -> list[str]:
        sheet = self.relations
        lines = []
        for i, name in enumerate(sheet.header):
            if name and name not in RELATION_COLUMNS:
                lines.append(f"{sheet.label}: rij 1, kolom {name} ({column_letter(i)}): onbekende kolom; verwacht de "
                             f"kolommen {', '.join(RELATION_COLUMNS)}." + suggestion(name, list(RELATION_COLUMNS)))
        missing = [c for c in ("van", "naar", "soort") if c not in sheet.header]
        if missing:
            lines.append(f"{sheet.label}: rij 1: de kolom{'men' if len(missing) > 1 else ''} {', '.join(missing)} "
                         f"ontbre{'ken' if len(missing) > 1 else 'ekt'}; verwacht de kolommen {', '.join(RELATION_COLUMNS)}")
        return lines

    def relation_rows(self, new_ids: dict[str, int], skip: dict[int, str]) -> dict[str, list[RelationRow]]:
        """The rows of the Verwijzingen sheet by organisation, each checked for what only this
        sheet can get wrong (the loader checks the rest: unknown targets, warm, length)."""
        by_org: dict[str, list[RelationRow]] = defaultdict(list)
        if self.relations is None:
            return by_org
        sheet = self.relations
        seen: dict[tuple[str, str, str], int] = {}
        known = sorted(self.dataset.organisaties) + sorted(new_ids)
        for number, cells in sheet.rows:
            if not any(cells) or number in skip:
                continue
            row = RelationRow(number, sheet.cell(cells, "van"), sheet.cell(cells, "naar"), sheet.cell(cells, "soort"),
                              {c: sheet.cell(cells, c) for c in RELATION_COLUMNS[3:]})
            before = len(self.plan.problems)
            if not row.van:
                self.problem(sheet, number, "van", "is leeg; verwacht het id van de organisatie die verwijst")
            elif row.van not in new_ids and row.van not in self.dataset.organisaties:
                self.problem(sheet, number, "van", f"onbekende organisatie '{quoted(row.van)}'; verwacht het id van een "
                                                   "organisatie in de gegevens of op het blad Organisaties."
                             + suggestion(row.van, known))
            elif row.van not in new_ids and not self.update:
                if (row.van, row.soort, row.naar) in self.base_relations:
                    continue  # an exported relation, imported without --bijwerken: its organisation row says so
                self.problem(sheet, number, "van", f"organisatie '{quoted(row.van)}' bestaat al; haar verwijzingen "
                                                   "past u aan met import --bijwerken")
            if row.soort not in RELATION_KEYS:
                self.problem(sheet, number, "soort", (f"onbekende waarde '{quoted(row.soort)}'" if row.soort else "is leeg")
                             + f"; verwacht een van: {', '.join(RELATION_KEYS)}." + suggestion(row.soort, list(RELATION_KEYS)))
            if not row.naar:
                self.problem(sheet, number, "naar", "is leeg; verwacht het id van de andere organisatie")
            key = (row.van, row.soort, row.naar)
            if len(self.plan.problems) == before and key in seen:
                self.problem(sheet, number, "naar", f"deze {row.soort}-relatie van {quoted(row.van)} naar "
                                                    f"{quoted(row.naar)} staat ook in rij {seen[key]}; verwacht elke "
                                                    "relatie één keer")
            if len(self.plan.problems) == before:
                seen[key] = number
                by_org[row.van].append(row)
        return by_org

    # -- an existing record --------------------------------------------------------------------------
    def update_record(self, org: Organisatie, number: int | None, cells: list[str] | None,
                      rows: list[RelationRow]) -> None:
        path = Path(org.bestand) if Path(org.bestand).is_absolute() else Path.cwd() / org.bestand
        try:
            before = path.read_bytes().decode("utf-8")
            raw = yaml.load(before, Loader=FAST_LOADER)  # the plain data; the edits read it again with marks
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:  # changed since it was loaded
            self.plan.problems.append(f"{org.bestand}: kan niet opnieuw gelezen worden ({exc})")
            return
        edits: list[Edit] = []
        changes: list[str] = []
        sources: dict[tuple[str, int], int] = {}
        if cells is not None:
            raw = self.field_edits(org, raw, number, cells, edits, changes)
        for kind in RELATION_KEYS:
            self.relation_edits(org, kind, raw, number, cells, [r for r in rows if r.soort == kind], edits, changes,
                                sources)
        if not edits:
            self.plan.unchanged += 1
            return
        try:
            after = apply_edits(before, edits, self.order, BLOCK_TEXT)
        except EditError as exc:
            where = f"{self.table.label}: rij {number}: " if number else ""
            self.plan.problems.append(f"{where}{org.bestand}: dit bestand kan niet veilig aangepast worden ({exc}); "
                                      "pas het met de hand aan")
            return
        if after == before:
            self.plan.unchanged += 1
            return
        check = NewFile({"id": org.id}, after, org.bestand, meta={"row": number, "relations": sources})
        self.plan.updates.append(Update(org.id, path, org.bestand, number, before, after, changes, check))

    def field_edits(self, org: Organisatie, raw: dict, number: int, cells: list[str], edits: list[Edit],
                    changes: list[str]) -> dict:
        """Edits for the cells of the Organisaties sheet; returns the raw data as they leave it."""
        data = organisation_data(org, self.vocab)
        base_row = self.base.get(org.id)
        for i, name in enumerate(self.table.header):
            cell = cells[i] if i < len(cells) else ""
            if not name or name == "id" or not cell:
                continue
            column = self.columns.get(name)
            if column is not None and column.path[0] in RELATION_KEYS:
                continue  # relation_edits
            if column is None:  # a column Ketenkaart does not know: the loader names it
                path = tuple(name.split("."))
                edit = Edit(DELETE, path) if cell == CLEAR_MARKER else Edit(SET, path, cell)
                if edit.op == SET or _get(raw, path) is not None:
                    edits.append(edit)
                    changes.append(f"{name}: {_shown(_get(raw, path))} -> {GONE if edit.op == DELETE else _shown(cell)}")
                    raw = apply_to_data(raw, [edit])
                continue
            kind = column.kind
            model = kind.to_cell(_get(data, column.path))
            written = kind.to_cell(_raw_at(raw, column))
            now = {_norm(kind, model), _norm(kind, written)}  # what the file says, in either spelling
            new = _norm(kind, "" if cell == CLEAR_MARKER else cell)
            if new in now if cell != CLEAR_MARKER else not (model or written):
                continue  # the file says so already
            base = base_row.get(name, "") if base_row is not None else None
            if base is not None and (cell == base or (cell != CLEAR_MARKER and new == _norm(kind, base))):
                continue  # not changed in the spreadsheet (the file was, since the export: that stays)
            if base is not None and _norm(kind, base) not in now:  # changed in both places
                self.conflict(self.table, number, name, base, cell, model or written, org.bestand)
                continue
            old = model or written
            if cell == CLEAR_MARKER:
                edit = _delete_edit(column, raw)
                changes.append(f"{name}: {_shown(old)} -> {GONE}")
            else:
                edit = _set_edit(column, raw, _value(kind, cell))
                changes.append(f"{name}: {_shown(old)} -> {_shown(cell)}")
            edits.append(edit)
            raw = apply_to_data(raw, [edit])  # the next cell of the same block sees this one
        return raw

    def relation_edits(self, org: Organisatie, kind: str, raw: dict, number: int | None,
                       cells: list[str] | None, rows: list[RelationRow], edits: list[Edit], changes: list[str],
                       sources: dict[tuple[str, int], int]) -> None:
        items = raw.get(kind) if isinstance(raw.get(kind), list) else []
        old = [item if isinstance(item, str) else item.get("naar") if isinstance(item, dict) else None for item in items]
        cell = self.table.cell(cells, kind) if cells is not None else ""
        base_row = self.base.get(org.id)
        base_cell = base_row.get(kind, "") if base_row is not None else None
        listed: list[Any] | None = None  # the ids in the cell, when it changes anything
        if cell:
            listed = [] if cell == CLEAR_MARKER else list(dict.fromkeys(split_cell(cell)))
            if base_cell is not None and listed == list(dict.fromkeys(split_cell(base_cell))):
                listed = None  # as exported
        # What the cell is compared with: the export's cell, else the file (a relation added to the
        # file since the export stays, one the editor took out goes).
        reference = list(dict.fromkeys(split_cell(base_cell))) if base_cell is not None else old
        removed = [t for t in old if listed is not None and t in reference and t not in listed]
        from_cell = [t for t in (listed or []) if t not in reference and t not in old]

        by_target: dict[str, RelationRow] = {}
        for row in rows:
            exported = self.base_relations.get((org.id, kind, row.naar))
            untouched = exported is not None and all(
                not row.cells[c] or row.cells[c] == exported.get(c, "") for c in row.cells)
            if row.naar in removed or (exported is not None and row.naar not in old):
                if untouched:
                    continue  # taken out of the column (or out of the file since the export); the row was left
                if row.naar in removed:
                    why = (f"niet meer in kolom {kind} van {self.table.label}, rij {number}; haal haar op "
                           "beide plaatsen weg, of op geen van beide")
                else:
                    why = (f"sinds de export niet meer in {org.bestand}; maak een nieuwe export (ketenkaart "
                           "export) of pas het bestand met de hand aan")
                here = "staat hier nog, maar" if exported is None else "is hier veranderd, maar staat"
                self.problem(self.relations, row.row, "naar", f"de relatie naar '{quoted(row.naar)}' {here} {why}")
                continue
            by_target[row.naar] = row
        added = list(dict.fromkeys(from_cell + [t for t in by_target if t not in old]))

        for i, (item, target) in enumerate(zip(items, old)):
            row = by_target.get(target)
            if target in removed or row is None:
                continue
            detail = self.relation_detail(org, kind, item, row)
            if detail is None:
                continue
            wanneer, warm, before_wanneer, before_warm = detail
            if wanneer != before_wanneer:
                changes.append(f"{kind} {target}: wanneer: {_shown(before_wanneer)} -> "
                               f"{_shown(wanneer) if wanneer else GONE}")
            if warm != before_warm:
                changes.append(f"{kind} {target}: warm: {_show_warm(before_warm)} -> {_show_warm(warm)}")
            if not isinstance(item, dict):
                edits.append(Edit(SET, (kind, i), _relation_value(target, wanneer, warm)))
                continue
            if wanneer != before_wanneer:
                edits.append(Edit(SET, (kind, i, "wanneer"), wanneer) if wanneer else Edit(DELETE, (kind, i, "wanneer")))
            if warm != before_warm:
                edits.append(Edit(DELETE, (kind, i, "warm")) if warm is False
                             else Edit(SET, (kind, i, "warm"), "ja" if warm is True else warm))
        if removed and len(removed) == len(old) and not added:
            edits.append(Edit(DELETE, (kind,)))
        else:
            edits.extend(Edit(DELETE, (kind, i)) for i in reversed(range(len(old))) if old[i] in removed)
        for target in added:
            row = by_target.get(target)
            wanneer = _wanneer_of(row.cells.get("wanneer", ""), None) if row else None
            warm = _warm_of(row.cells.get("warm", ""), None) if row else False
            edits.append(Edit(APPEND, (kind,), _relation_value(target, wanneer, warm)))
            details = ", ".join(filter(None, [f"wanneer: {quoted(wanneer)}" if wanneer else "",
                                              f"warm: {_show_warm(warm)}" if warm is not False else ""]))
            changes.append(f"{kind}: {target} toegevoegd" + (f" ({details})" if details else ""))
        changes.extend(f"{kind}: {target} weggehaald" for target in removed)
        final = [t for t in old if t not in removed] + added
        for position, target in enumerate(final):
            if target in by_target:
                sources[(kind, position)] = by_target[target].row

    def relation_detail(self, org: Organisatie, kind: str, item: Any, row: RelationRow) -> tuple | None:
        """(wanneer, warm, wanneer before, warm before) of an existing relation after its row on
        the Verwijzingen sheet, or None when the row changes nothing (or changes what someone else
        changed in the file since the export: then a problem is reported)."""
        before_wanneer = _wanneer_of("", item.get("wanneer") if isinstance(item, dict) else None)
        before_warm = _yes(item.get("warm")) if isinstance(item, dict) else False
        exported = self.base_relations.get((org.id, kind, row.naar))
        wanneer, warm = before_wanneer, before_warm
        for column in row.cells:
            cell = row.cells[column]
            if not cell or (exported is not None and cell == exported.get(column, "")):
                continue  # empty, or as exported: unchanged
            if column == "wanneer":
                new, now = _wanneer_of(cell, None), before_wanneer
                base = _wanneer_of(exported.get(column, ""), None) if exported is not None else now
            elif column == "warm":
                new, now = _warm_of(cell, None), before_warm
                base = _warm_of(exported.get(column, ""), None) if exported is not None else now
            else:  # a relation field this import does not know yet: the loader will name it
                continue
            if new == now:
                continue
            if base != now:  # changed in the file since the export, and differently in the spreadsheet
                shown_now = _show_warm(now) if column == "warm" else (now or "")
                self.conflict(self.relations, row.row, column, exported.get(column, ""), cell, shown_now, org.bestand)
                return None
            if column == "wanneer":
                wanneer = new
            else:
                warm = new
        if wanneer == before_wanneer and warm == before_warm:
            return None
        return wanneer, warm, before_wanneer, before_warm

    # -- a new record --------------------------------------------------------------------------------
    def new_record(self, number: int, cells: list[str], rows: list[RelationRow]) -> None:
        clean = ["" if cell == CLEAR_MARKER else cell for cell in cells]  # nothing to remove yet
        data = row_data(self.table.header, clean, self.vocab)
        sources: dict[tuple[str, int], int] = {}
        for kind in RELATION_KEYS:
            listed = data.get(kind) if isinstance(data.get(kind), list) else []
            by_target = {row.naar: row for row in rows if row.soort == kind}
            targets = list(dict.fromkeys([*listed, *by_target]))
            items = []
            for position, target in enumerate(targets):
                row = by_target.get(target)
                if row is None:
                    items.append(target)
                    continue
                sources[(kind, position)] = row.row
                items.append(_relation_value(target, _wanneer_of(row.cells.get("wanneer", ""), None),
                                             _warm_of(row.cells.get("warm", ""), None)))
            if items:
                data[kind] = items
        header = [f"Overgenomen uit {Path(self.table.name).name}, rij {number}."]
        self.plan.new.append(NewFile(data, dump_organisation(data, header, vocab=self.vocab), f"rij {number}",
                                     folder_for(data, self.dataset), {"row": number, "relations": sources}))


def plan_import(tables: Tables, dataset: Dataset, update: bool = False) -> Plan:
    """What importing the spreadsheet would do; nothing is written."""
    return _Planner(tables, dataset, update).run()


def check_plan(data_dir: Path, plan: Plan, tables: Tables, vocabulary: Vocabulary | None = None) -> list[str]:
    """The loader's problems with the data as the plan leaves it, located in the spreadsheet."""
    replaced = {update.path: update.check for update in plan.updates}
    problems = check_new_files(data_dir, plan.new, vocabulary, replaced)
    return describe(problems, tables.organisations, tables.relations)


class ChangedMeanwhile(Exception):
    """A file the plan changes was changed by someone else after it was read."""


def new_path(data_dir: Path, new: NewFile) -> Path:
    return Path(data_dir) / new.folder / f"{new.stem}.yaml"


def write_plan(data_dir: Path, plan: Plan) -> list[Path]:
    """Write the plan: changed files replaced whole (a temporary file, then a rename), new files
    added. Every precondition is checked before the first byte is written."""
    for update in plan.updates:
        if update.path.read_bytes() != update.before.encode("utf-8"):
            raise ChangedMeanwhile(update.shown)
    taken = [str(p) for p in (new_path(data_dir, n) for n in plan.new) if p.exists()]
    if taken:
        raise FileExistsError(", ".join(taken))
    written = []
    for update in plan.updates:
        temporary = update.path.with_name(f".{update.path.name}.ketenkaart-tmp")
        temporary.write_bytes(update.after.encode("utf-8"))
        os.chmod(temporary, stat.S_IMODE(update.path.stat().st_mode))
        os.replace(temporary, update.path)
        written.append(update.path)
    return written + write_new_files(data_dir, plan.new)
