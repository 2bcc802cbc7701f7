"""Spreadsheets in and out: one organisation per row, the data file's Dutch keys as columns.

Columns are the keys of an organisation file (`id`, `naam`, `soort`, ...), derived from the field
registry (generator.domain.fields). A field inside a block gets a dotted name: `contact.telefoon`,
`profielen.schulden`, `bron.titel`. Cells of list fields (gemeenten, diensten, fasen, doelgroepen,
toegang, the profile axes and the relations verwijst, werkt-samen and signaleert) hold several
values separated by ';'. A relation cell holds only ids; a condition (wanneer) or a warm handover
is added afterwards in the YAML file.

A workbook may hold a second sheet, Verwijzingen: one relation per row (van, naar, soort and the
other fields of a relation item in the registry: wanneer, warm). `import` and `import
--bijwerken` read it (generator.exchange.roundtrip); a CSV file is the Organisaties sheet alone.

Rows are checked by the same loader as the YAML files (through `orgfile.check_new_files`), so
the messages are the loader's, with "rij N, kolom X" (and, in a workbook, "blad B") instead of a
line number. Files are written only when every row is valid.

`template_csv` and `template_xlsx` make the template (sjabloon) offered on the site. Every
workbook Ketenkaart writes (`workbook_bytes`) is reproducible: the same data gives the same bytes,
because the document dates and the dates of the zip entries are those of the data (its newest
`gecontroleerd`), not of the clock.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import stat
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from generator.domain.fields import DATE_RE, ORGANISATIE, RELATION_ITEM_FIELDS, RELATION_KEYS, Column, printable
from generator.domain.vocab import Vocabulary, load_vocabulary
from generator.exchange.orgfile import Problem, organisation_data
from generator.model import LANDELIJK, Dataset, Organisatie

LIST_SEPARATOR = ";"
MB = 1024 * 1024
MAX_FILE_BYTES = 20 * MB  # a .csv or .xlsx file as it is on disk
MAX_UNPACKED_BYTES = 100 * MB  # an .xlsx is a zip: all its parts together, unpacked
MAX_ROWS = 20_000  # organisations in one spreadsheet
MAX_RELATION_ROWS = 100_000  # relations on the Verwijzingen sheet
MAX_COLUMNS = 500

ORG_SHEET = "Organisaties"
REL_SHEET = "Verwijzingen"
HELP_SHEET = "Uitleg"
# An export also holds both sheets as exported, hidden: `import --bijwerken` compares each cell with
# them, so that a field changed in its file after the export is not set back (generator.exchange.roundtrip).
BASE_SHEET = "Export Organisaties"
BASE_REL_SHEET = "Export Verwijzingen"
# The Verwijzingen sheet: who (van), to whom (naar), which kind (soort: a relation field of the
# registry), then the other fields of a relation item (wanneer, warm).
RELATION_COLUMNS = ("van", RELATION_ITEM_FIELDS[0].key, "soort", *(f.key for f in RELATION_ITEM_FIELDS[1:]))
FALLBACK_DATE = dt.datetime(2024, 1, 1)
# A cell starting with one of these is a formula to a spreadsheet program. Text from data is data:
# a workbook stores such a cell as text; a CSV file puts an apostrophe before it (a spreadsheet's
# own mark for "text"), which reading a CSV file takes off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEMPLATE_ID = "voorbeeld-budgetcafe"  # the template's example row  # the dates of a workbook made from data without any date


def table_columns(vocab: Vocabulary | None = None) -> list[Column]:
    """The spreadsheet's columns, in the order of the registry."""
    return ORGANISATIE.columns(vocab or load_vocabulary())


COLUMNS = tuple(c.name for c in table_columns())
LIST_COLUMNS = {c.name for c in table_columns() if c.kind.list_cell}
REQUIRED = {c.name for c in table_columns() if c.required}


class TableError(Exception):
    """The file cannot be read as a table at all (not the content of a row)."""


@dataclass
class Table:
    name: str  # the file, as shown in messages
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)
    sheet: str | None = None  # the sheet of a workbook (None: a CSV file)

    @property
    def label(self) -> str:
        """How messages name it: the file, and in a workbook the sheet."""
        return f"{self.name}: blad {self.sheet}" if self.sheet else self.name

    def cell(self, cells: list[str], column: str) -> str:
        """The cell of `column` in a row ('' when the table has no such column)."""
        if column not in self.header:
            return ""
        i = self.header.index(column)
        return cells[i] if i < len(cells) else ""


def is_list_column(column: str) -> bool:
    return column in LIST_COLUMNS


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# == reading =======================================================================================

def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_limited(path: Path, shown: str) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise TableError(f"{shown}: is geen gewoon bestand; verwacht een .csv- of .xlsx-bestand")
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
            size = max(len(raw), os.fstat(handle.fileno()).st_size)
    except OSError as exc:
        raise TableError(f"{shown}: kan niet gelezen worden ({exc.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise TableError(f"{shown}: het bestand is {size // MB} MB; verwacht hoogstens {MAX_FILE_BYTES // MB} MB")
    return raw


def _table(shown: str, records: list[list[str]], sheet: str | None = None, relations: bool = False) -> Table:
    where = f"{shown}: blad {sheet}" if sheet else shown
    limit, what = (MAX_RELATION_ROWS, "verwijzingen") if relations else (MAX_ROWS, "organisaties")
    if len(records) > limit + 1:
        raise TableError(f"{where}: meer dan {limit} rijen; verwacht hoogstens {limit} {what} per bestand")
    if records and len(records[0]) > MAX_COLUMNS:
        raise TableError(f"{where}: de kopregel heeft {len(records[0])} kolommen; verwacht hoogstens {MAX_COLUMNS}")
    return Table(shown, records[0], [(n, cells) for n, cells in enumerate(records[1:], 2)], sheet)


def _text_mark_off(cell: str) -> str:
    """'=x as csv_bytes wrote it -> =x (see FORMULA_START)."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] and cell[1] in FORMULA_START else cell


def read_csv(path: Path, shown: str) -> Table:
    raw = _read_limited(path, shown)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TableError(f"{shown}: regel {line}: het bestand is geen UTF-8; sla het op als 'CSV UTF-8'") from None
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    try:
        for cells in reader:
            records.append([_text_mark_off(c.strip()) for c in cells])
            if len(records) > MAX_ROWS + 1:
                break
    except csv.Error as exc:
        raise TableError(f"{shown}: regel {reader.line_num + 1}: geen geldige CSV ({exc})") from None
    if not records:
        raise TableError(f"{shown}: het bestand is leeg; verwacht een kopregel met kolomnamen")
    return _table(shown, [[h.strip() for h in records[0]], *records[1:]])


def _unpacked_size(raw: bytes, shown: str) -> None:
    """Refuse an .xlsx whose parts unpack beyond MAX_UNPACKED_BYTES (a "zip bomb"), before openpyxl
    reads it. Python's zipfile never unpacks a part beyond the size its directory states."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise TableError(f"{shown}: geen leesbaar Excel-bestand (.xlsx) ({exc})") from None
    if total > MAX_UNPACKED_BYTES:
        raise TableError(f"{shown}: het Excel-bestand pakt uit tot {total // MB} MB; verwacht hoogstens "
                         f"{MAX_UNPACKED_BYTES // MB} MB")


def _sheet_records(sheet: Any, limit: int) -> list[list[str]]:
    # The sheet's own dimension (A1:XFD1048576) is not trusted: it would pad every row.
    sheet.reset_dimensions()
    records = []
    for row in sheet.iter_rows(values_only=True):
        records.append([_cell(v).strip() for v in row[:MAX_COLUMNS + 1]])
        if len(records) > limit + 1:
            break
    while records and not any(records[-1]):  # rows a spreadsheet program left empty at the end
        records.pop()
    return records


@dataclass
class Tables:
    """What a spreadsheet holds: the organisations and, in a workbook, the relations and (in an
    export) both sheets as they were exported."""

    organisations: Table
    relations: Table | None = None
    base: Table | None = None
    base_relations: Table | None = None


def read_xlsx_sheets(path: Path, shown: str) -> Tables:
    """The Organisaties sheet (or, without one, the first sheet) and, when the workbook has them,
    the sheets Verwijzingen, Export Organisaties and Export Verwijzingen; names in any case."""
    from openpyxl import load_workbook

    raw = _read_limited(path, shown)  # read once: what is checked is what openpyxl reads
    _unpacked_size(raw, shown)
    found: dict[str, tuple[str, list[list[str]]]] = {}
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            names = {name.casefold(): name for name in workbook.sheetnames}
            first = names.get(ORG_SHEET.casefold(), workbook.sheetnames[0] if workbook.sheetnames else None)
            if first is None:
                raise TableError(f"{shown}: de werkmap heeft geen werkbladen; verwacht een blad {ORG_SHEET}")
            for wanted, limit in ((first, MAX_ROWS), (REL_SHEET, MAX_RELATION_ROWS), (BASE_SHEET, MAX_ROWS),
                                  (BASE_REL_SHEET, MAX_RELATION_ROWS)):
                name = names.get(wanted.casefold())
                if name is not None:
                    found[wanted] = (name, _sheet_records(workbook[name], limit))
        finally:
            workbook.close()
    except TableError:
        raise
    except Exception as exc:  # openpyxl on a damaged file: ParseError, KeyError, ValueError, zlib.error, ...
        raise TableError(f"{shown}: geen leesbaar Excel-bestand (.xlsx); het is beschadigd of geen Excel-werkmap "
                         f"({type(exc).__name__}: {printable(str(exc))[:200]})") from None
    if not found[first][1]:
        raise TableError(f"{shown}: blad {first}: het werkblad is leeg; verwacht een kopregel met kolomnamen")

    def table(wanted: str, relations: bool = False) -> Table | None:
        name, records = found.get(wanted, (wanted, []))
        return _table(shown, records, name, relations) if records else None

    return Tables(table(first), table(REL_SHEET, True), table(BASE_SHEET), table(BASE_REL_SHEET, True))


def read_xlsx(path: Path, shown: str) -> Table:
    return read_xlsx_sheets(path, shown).organisations


def read_tables(path: Path, shown: str | None = None) -> Tables:
    """The sheets of a workbook, or the one table of a CSV file."""
    path = Path(path)
    shown = shown or str(path)
    if not path.exists():
        raise TableError(f"{shown}: het bestand bestaat niet")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx_sheets(path, shown)
    return Tables(read_csv(path, shown))


def read_table(path: Path, shown: str | None = None) -> Table:
    return read_tables(path, shown).organisations


# == rows to organisation files ====================================================================

def row_data(header: list[str], cells: list[str], vocab: Vocabulary | None = None) -> dict[str, Any]:
    """A data-file dict from one row; empty cells are left out, so the loader sees them missing."""
    kinds = {c.name: c for c in table_columns(vocab)}
    data: dict[str, Any] = {}
    for column, cell in zip(header, cells):
        if not column or not cell:
            continue
        known = kinds.get(column)
        value: Any = known.kind.from_cell(cell) if known else cell
        *blocks, last = known.path if known else column.split(".")
        target = data
        for part in blocks:
            target = target.setdefault(part, {})
            if not isinstance(target, dict):
                break
        else:
            target[last] = value
    return data


def organisation_row(org: Organisatie, vocab: Vocabulary | None = None) -> list[str]:
    """The cells of one organisation, in the order of COLUMNS (a relation cell holds ids only)."""
    data = organisation_data(org, vocab)
    row = []
    for column in table_columns(vocab):
        value: Any = data
        for part in column.path:
            value = value.get(part) if isinstance(value, dict) else None
        row.append(column.kind.to_cell(value))
    return row


def column_of(field: str, header: list[str]) -> str:
    """The column a loader field name is about: 'fasen[2]' -> fasen, 'verwijst[1].naar' -> verwijst."""
    plain = re.sub(r"\[\d+\]", "", field)
    candidates = [c for c in header if c and (plain == c or plain.startswith(c + "."))]
    if candidates:
        return max(candidates, key=len)
    for columns in (header, COLUMNS):
        below = [c for c in columns if c and c.startswith(plain + ".")]
        if below:
            return below[0]
    return plain


def shape_problems(table: Table) -> dict[int, str]:
    """Problems with the table itself, by row: repeated column names (row 1), rows wider than
    the header (their cells have shifted, so their content is not checked further)."""
    seen: dict[str, int] = {}
    problems: dict[int, str] = {}
    for i, column in enumerate(table.header):
        if column and column in seen:
            problems.setdefault(1, f"{table.label}: rij 1, kolom {column} ({column_letter(i)}): staat ook in kolom "
                                   f"{column_letter(seen[column])}; verwacht elke kolomnaam één keer")
        seen.setdefault(column, i)
    width = len(table.header)
    for number, cells in table.rows:
        extra = [i for i, cell in enumerate(cells) if i >= width and cell]
        if extra:
            problems[number] = (f"{table.label}: rij {number}, kolom {column_letter(extra[0])}: deze rij heeft meer "
                                f"cellen dan de kopregel kolommen ({width}); staat er een scheidingsteken in een cel "
                                "zonder aanhalingstekens?")
    return problems


RELATION_FIELD_RE = re.compile(r"^([a-z-]+)\[(\d+)\](?:\.([a-z-]+))?")


def _where(problem: Problem, table: Table, relations: Table | None) -> tuple[Table, int | None, str]:
    """(sheet, row, column) a loader problem is about. A relation that came from a row of the
    Verwijzingen sheet (meta "relations": (field, position) -> row) is located there."""
    field = problem.error.field
    found = RELATION_FIELD_RE.match(field)
    sources = problem.new.meta.get("relations", {})
    if relations is not None and found and (found[1], int(found[2]) - 1) in sources:
        return relations, sources[(found[1], int(found[2]) - 1)], found[3] or RELATION_COLUMNS[1]
    return table, problem.new.meta.get("row"), column_of(field, table.header)


def describe(problems: list[Problem], table: Table, relations: Table | None = None) -> list[str]:
    """Loader problems as lines naming sheet, row and column; identical messages share one line."""
    grouped: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    sheets = [table, relations]
    other: list[str] = []
    for problem in problems:
        if problem.new is None:
            other.append(str(problem.error))
            continue
        sheet, row, column = _where(problem, table, relations)
        if row is None:  # a record changed through the Verwijzingen sheet only, about another field
            other.append(printable(f"{problem.new.label}: {problem.error.field}: {problem.error.message}"))
            continue
        grouped[(sheets.index(sheet), column, problem.error.message)].append(row)

    def position(sheet: int, column: str) -> int:
        header = sheets[sheet].header
        return header.index(column) if column in header else len(header)

    lines = []
    for (sheet, column, message), rows in sorted(grouped.items(),
                                                 key=lambda kv: (kv[0][0], kv[1][0], position(*kv[0][:2]))):
        where = f"rij {rows[0]}" if len(rows) == 1 else "rijen " + ", ".join(map(str, rows))
        header = sheets[sheet].header
        letter = f" ({column_letter(header.index(column))})" if column in header else ""
        lines.append(printable(f"{sheets[sheet].label}: {where}, kolom {column}{letter}: {message}"))
    return lines + other


# == workbooks =====================================================================================

CLEAR_MARKER = "(verwijderen)"  # in a cell of `import --bijwerken`: remove this field (an empty cell changes nothing)

UPDATE_NOTES = (
    "Bestaande organisaties bijwerken: ketenkaart import xlsx BESTAND --bijwerken. Een rij met een id dat al "
    "bestaat, werkt die organisatie bij; een rij met een nieuw id wordt een nieuwe organisatie. Met --droog ziet "
    "u eerst wat er verandert, zonder dat er iets wordt opgeslagen.",
    f"Een lege cel verandert niets. Wilt u een veld weghalen, typ dan {CLEAR_MARKER} in de cel.",
    "Een verwijzing haalt u weg door haar id uit de kolom verwijst, werkt-samen of signaleert op het blad "
    f"{ORG_SHEET} te halen. Een rij weghalen op het blad {REL_SHEET} verandert niets.",
    "Is een bestand na de export nog veranderd, dan blijft die wijziging staan. Hebt u hetzelfde veld ook "
    "veranderd, dan meldt Ketenkaart dat en verandert er niets.",
    "Het id van een organisatie verandert nooit.",
)


def data_date(records: Dataset | Iterable[Any]) -> dt.datetime:
    """The newest `gecontroleerd` of the data (organisations and chains, or the records given):
    the date every workbook made from it carries, so that the same data always gives the same
    bytes."""
    if isinstance(records, Dataset):
        records = (*records.organisaties.values(), *records.ketens.values())
    dates = []
    for record in records:
        text = str(record.gecontroleerd or "")
        if DATE_RE.match(text):
            year, month, day = (text.split("-") + ["01"])[:3]
            try:
                dates.append(dt.datetime(int(year), int(month), int(day)))
            except ValueError:
                continue
    return max(dates, default=FALLBACK_DATE)


@dataclass
class Sheet:
    """One sheet of a workbook Ketenkaart writes."""

    title: str
    header: list[str]
    rows: list[list[str]]
    widths: list[int] | None = None  # per column (default: from the column names)
    choices: dict[str, list[str]] = field(default_factory=dict)  # a drop-down list per column
    freeze: str | None = "B2"
    text_cells: bool = True  # cells formatted as text, so that a spreadsheet keeps 0038 or 2024-05 as typed
    hidden: bool = False  # not shown, not even in a spreadsheet's list of hidden sheets


class _FixedDateZip(zipfile.ZipFile):
    """A zip file for writing whose entries all carry one date, not the clock's."""

    def __init__(self, file: Any, date_time: tuple[int, ...]):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.fixed_date = date_time

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None, compresslevel: Any = None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.fixed_date)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None, compress_type: Any = None, compresslevel: Any = None):
        # openpyxl writes each worksheet through a temporary file: its date would be the clock's
        with open(filename, "rb") as handle:
            self.writestr(arcname or os.path.basename(filename), handle.read(), compress_type, compresslevel)


def workbook_bytes(sheets: list[Sheet], when: dt.datetime) -> bytes:
    """An .xlsx file of the sheets, dated `when` inside (docProps) and in its zip entries."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title)
        sheet.append(spec.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for number, row in enumerate(spec.rows, 2):
            for column, value in enumerate(row, 1):
                if value != "":  # an empty cell is not written at all
                    cell = sheet.cell(number, column, value)
                    cell.data_type = "s"  # text, also when it starts with '=' (openpyxl would make it a formula)
                    if spec.text_cells:
                        cell.number_format = "@"
        if spec.freeze:
            sheet.freeze_panes = spec.freeze
        for i, column in enumerate(spec.header):
            width = spec.widths[i] if spec.widths else 40 if column == "beschrijving" else max(14, len(column) + 2)
            sheet.column_dimensions[column_letter(i)].width = width
        last = max(1000, len(spec.rows) + 1000)
        for column, choices in spec.choices.items():
            if column not in spec.header:
                continue
            letter = column_letter(spec.header.index(column))
            check = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
            check.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(check)
        if spec.hidden:
            sheet.sheet_state = "veryHidden"
    when = max(when, dt.datetime(1980, 1, 1))  # the earliest date a zip entry can hold
    workbook.properties.creator = "Ketenkaart"
    workbook.properties.created = when
    workbook.properties.modified = when  # openpyxl's save_workbook would put the clock's time here
    out = io.BytesIO()
    ExcelWriter(workbook, _FixedDateZip(out, when.timetuple()[:6])).save()
    return out.getvalue()


def choice_columns(vocab: Vocabulary) -> dict[str, list[str]]:
    """A drop-down list for every single-value column with fixed choices (soort, inzet, ja/nee)."""
    choices = {}
    for column in table_columns(vocab):
        found = column.kind.choices(vocab)
        if found and not column.kind.list_cell:
            choices[column.name] = found
    return choices


def organisation_sheet(header: list[str], rows: list[list[str]], vocab: Vocabulary) -> Sheet:
    return Sheet(ORG_SHEET, header, rows, choices=choice_columns(vocab))


def relation_sheet(rows: list[list[str]]) -> Sheet:
    return Sheet(REL_SHEET, list(RELATION_COLUMNS), rows, widths=[30, 30, 14, 50, 8],
                 choices={"soort": list(RELATION_KEYS), "warm": ["ja", "nee"]})


def relation_help(vocab: Vocabulary | None = None) -> list[tuple[str, str, str, str]]:
    """(column, required, explanation, allowed values) of the Verwijzingen sheet."""
    vocab = vocab or load_vocabulary()
    item = {f.key: f for f in RELATION_ITEM_FIELDS}
    rows = []
    for column in RELATION_COLUMNS:
        if column == "van":
            rows.append((column, "ja", "Id van de organisatie die verwijst, samenwerkt of signaleert: in haar bestand "
                                       "staat de verwijzing.", ""))
        elif column == "soort":
            terms = vocab["relaties"].terms
            rows.append((column, "ja", "Soort verbinding: " + "; ".join(f"{k}: {t.label.lower()}" for k, t in
                                                                         terms.items()) + ".", ", ".join(RELATION_KEYS)))
        else:
            f = item[column]
            rows.append((column, "ja" if f.required else "nee", f.help, f.kind.allowed(vocab)))
    return rows


def help_sheet(vocab: Vocabulary) -> Sheet:
    rows = [list(row) for row in column_help(vocab)]
    rows.append(["", "", "", ""])
    rows.append([f"Blad {REL_SHEET}", "", "Eén rij per verwijzing, samenwerking of signaal. Een nieuwe rij voegt "
                                          "die toe; zo vult u ook wanneer en warm in.", ""])
    rows.extend(list(row) for row in relation_help(vocab))
    rows.append(["", "", "", ""])
    rows.extend(["Bijwerken", "", note, ""] for note in UPDATE_NOTES)
    return Sheet(HELP_SHEET, ["Kolom", "Verplicht", "Uitleg", "Mogelijke waarden"], rows, widths=[24, 10, 70, 70],
                 freeze=None, text_cells=False)


# == the template ==================================================================================

def template_rows(dataset: Dataset) -> tuple[list[str], list[str]]:
    """The header and one clearly fictitious example row."""
    keten = min(dataset.ketens.values(), key=lambda k: k.naam.casefold(), default=None)
    example = {
        "id": TEMPLATE_ID,
        "naam": "Voorbeeld Budgetcafé (fictief)",
        "soort": "vrijwilligersorganisatie",
        "gemeenten": keten.cbs if keten else LANDELIJK,
        "inzet": "vrijwilligers",
        "beschrijving": "Fictief voorbeeld: vervang deze rij door uw eigen organisatie. Vrijwilligers helpen "
                        "bewoners op een inloopspreekuur met post, rekeningen en formulieren.",
        "diensten": "thuisadministratie; formulieren; inloopspreekuur",
        "fasen": "preventie; stabilisatie",
        "profielen.schulden": "geen; beperkt",
        "duur": "kort",
        "toegang": "inloop; telefoon",
        "spoed": "nee",
        "verwijst": keten.toegang if keten and keten.toegang else "",
        "bron.titel": "Gegevens van de organisatie zelf",
        "gecontroleerd": data_date(dataset).strftime("%Y-%m"),  # not today: the same data, the same template
        "fictief": "ja",
    }
    columns = [c.name for c in table_columns(dataset.vocab)]
    return columns, [example.get(c, "") for c in columns]



def template_relation_rows(dataset: Dataset) -> list[list[str]]:
    """The example row's referral, with when and a warm handover (when the data has a way in)."""
    keten = min(dataset.ketens.values(), key=lambda k: k.naam.casefold(), default=None)
    if keten is None or not keten.toegang:
        return []
    example = {"van": TEMPLATE_ID, "naar": keten.toegang, "soort": RELATION_KEYS[0],
               "wanneer": "Er zijn schulden die de hulpvrager niet zelf kan regelen", "warm": "ja"}
    return [[example.get(c, "") for c in RELATION_COLUMNS]]


def template_csv(dataset: Dataset) -> bytes:
    header, example = template_rows(dataset)
    return csv_bytes(header, [example])


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """A CSV file as Dutch Excel reads it: ';' between cells, UTF-8 with a byte order mark."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["'" + cell if cell.startswith(FORMULA_START) else cell for cell in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")  # the mark lets Excel read the file as UTF-8


def column_help(vocab: Vocabulary | None = None) -> list[tuple[str, str, str, str]]:
    """(column, required, explanation, allowed values) for the template's Uitleg sheet."""
    rows = []
    for column in table_columns(vocab):
        text = column.help
        if column.kind.list_cell:
            text += " Meer waarden scheiden met ;"
        rows.append((column.name, "ja" if column.required else "nee", text, column.allowed))
    return rows


def template_xlsx(dataset: Dataset) -> bytes:
    vocab = dataset.vocab or load_vocabulary()
    header, example = template_rows(dataset)
    return workbook_bytes([organisation_sheet(header, [example], vocab), relation_sheet(template_relation_rows(dataset)),
                           help_sheet(vocab)], data_date(dataset))
