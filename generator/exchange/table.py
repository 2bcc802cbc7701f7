"""Spreadsheets in and out: one organisation per row, the data file's Dutch keys as columns.

Columns are the keys of an organisation file (`id`, `naam`, `soort`, ...), derived from the field
registry (generator.domain.fields). A field inside a block gets a dotted name: `contact.telefoon`,
`profielen.schulden`, `bron.titel`. Cells of list fields (gemeenten, diensten, fasen, doelgroepen,
toegang, the profile axes and the relations verwijst, werkt-samen and signaleert) hold several
values separated by ';'. A relation cell holds only ids; a condition (wanneer) or a warm handover
is added afterwards in the YAML file.

Rows are checked by the same loader as the YAML files (through `orgfile.check_new_files`), so
the messages are the loader's, with "rij N, kolom X" instead of a line number. Files are written
only when every row is valid.

`template_csv` and `template_xlsx` make the template (sjabloon) offered on the site.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from generator.domain.fields import ORGANISATIE, Column, printable
from generator.domain.vocab import Vocabulary, load_vocabulary
from generator.exchange.orgfile import NewFile, Problem, dump_organisation, folder_for, organisation_data
from generator.model import LANDELIJK, Dataset, Organisatie

LIST_SEPARATOR = ";"
MB = 1024 * 1024
MAX_FILE_BYTES = 20 * MB  # a .csv or .xlsx file as it is on disk
MAX_UNPACKED_BYTES = 100 * MB  # an .xlsx is a zip: all its parts together, unpacked
MAX_ROWS = 20_000  # organisations in one spreadsheet
MAX_COLUMNS = 500


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
    name: str  # as shown in messages
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)


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


def _table(shown: str, records: list[list[str]]) -> Table:
    if len(records) > MAX_ROWS + 1:
        raise TableError(f"{shown}: meer dan {MAX_ROWS} rijen; verwacht hoogstens {MAX_ROWS} organisaties per bestand")
    if records and len(records[0]) > MAX_COLUMNS:
        raise TableError(f"{shown}: de kopregel heeft {len(records[0])} kolommen; verwacht hoogstens {MAX_COLUMNS}")
    return Table(shown, records[0], [(n, cells) for n, cells in enumerate(records[1:], 2)])


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
            records.append([c.strip() for c in cells])
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


def read_xlsx(path: Path, shown: str) -> Table:
    from openpyxl import load_workbook

    raw = _read_limited(path, shown)  # read once: what is checked is what openpyxl reads
    _unpacked_size(raw, shown)
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            sheet = workbook["Organisaties"] if "Organisaties" in workbook.sheetnames else workbook.worksheets[0]
            # The sheet's own dimension (A1:XFD1048576) is not trusted: it would pad every row.
            sheet.reset_dimensions()
            records = []
            for row in sheet.iter_rows(values_only=True):
                records.append([_cell(v).strip() for v in row[:MAX_COLUMNS + 1]])
                if len(records) > MAX_ROWS + 1:
                    break
        finally:
            workbook.close()
    except TableError:
        raise
    except Exception as exc:  # openpyxl on a damaged file: ParseError, KeyError, ValueError, zlib.error, ...
        raise TableError(f"{shown}: geen leesbaar Excel-bestand (.xlsx); het is beschadigd of geen Excel-werkmap "
                         f"({type(exc).__name__}: {printable(str(exc))[:200]})") from None
    if not records:
        raise TableError(f"{shown}: het werkblad is leeg; verwacht een kopregel met kolomnamen")
    return _table(shown, records)


def read_table(path: Path, shown: str | None = None) -> Table:
    path = Path(path)
    shown = shown or str(path)
    if not path.exists():
        raise TableError(f"{shown}: het bestand bestaat niet")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(path, shown)
    return read_csv(path, shown)


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
            problems.setdefault(1, f"{table.name}: rij 1, kolom {column} ({column_letter(i)}): staat ook in kolom "
                                   f"{column_letter(seen[column])}; verwacht elke kolomnaam één keer")
        seen.setdefault(column, i)
    width = len(table.header)
    for number, cells in table.rows:
        extra = [i for i, cell in enumerate(cells) if i >= width and cell]
        if extra:
            problems[number] = (f"{table.name}: rij {number}, kolom {column_letter(extra[0])}: deze rij heeft meer "
                                f"cellen dan de kopregel kolommen ({width}); staat er een scheidingsteken in een cel "
                                "zonder aanhalingstekens?")
    return problems


def table_files(table: Table, dataset: Dataset, skip: Iterable[int] = ()) -> list[NewFile]:
    """One new organisation file per row that has any content (rows in `skip` left out)."""
    files = []
    skip = set(skip)
    for number, cells in table.rows:
        if not any(cells) or number in skip:
            continue
        data = row_data(table.header, cells, dataset.vocab)
        header = [f"Overgenomen uit {Path(table.name).name}, rij {number}."]
        files.append(NewFile(data, dump_organisation(data, header), f"rij {number}",
                             folder_for(data, dataset), {"row": number}))
    return files


def describe(problems: list[Problem], table: Table) -> list[str]:
    """Loader problems as lines naming row and column; identical messages share one line."""
    grouped: dict[tuple[str, str], list[int]] = defaultdict(list)
    other: list[str] = []
    for problem in problems:
        if problem.new is None:
            other.append(str(problem.error))
            continue
        column = column_of(problem.error.field, table.header)
        grouped[(column, problem.error.message)].append(problem.new.meta["row"])
    lines = []
    def position(column: str) -> int:
        return table.header.index(column) if column in table.header else len(table.header)

    for (column, message), rows in sorted(grouped.items(), key=lambda kv: (kv[1][0], position(kv[0][0]))):
        where = f"rij {rows[0]}" if len(rows) == 1 else "rijen " + ", ".join(map(str, rows))
        letter = f" ({column_letter(table.header.index(column))})" if column in table.header else ""
        lines.append(printable(f"{table.name}: {where}, kolom {column}{letter}: {message}"))
    return lines + other


# == the template ==================================================================================

def template_rows(dataset: Dataset) -> tuple[list[str], list[str]]:
    """The header and one clearly fictitious example row."""
    keten = min(dataset.ketens.values(), key=lambda k: k.naam.casefold(), default=None)
    example = {
        "id": "voorbeeld-budgetcafe",
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
        "gecontroleerd": dt.date.today().strftime("%Y-%m"),
        "fictief": "ja",
    }
    columns = [c.name for c in table_columns(dataset.vocab)]
    return columns, [example.get(c, "") for c in columns]


def template_csv(dataset: Dataset) -> bytes:
    header, example = template_rows(dataset)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerow(example)
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
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    header, example = template_rows(dataset)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Organisaties"
    sheet.append(header)
    sheet.append(example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    for i, column in enumerate(header):
        sheet.column_dimensions[column_letter(i)].width = 40 if column == "beschrijving" else max(14, len(column) + 2)
    vocab = dataset.vocab or load_vocabulary()
    for column in table_columns(vocab):
        choices = column.kind.choices(vocab)
        if column.kind.list_cell or not choices or column.name not in header:
            continue
        letter = column_letter(header.index(column.name))
        check = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        check.add(f"{letter}2:{letter}1000")
        sheet.add_data_validation(check)
    uitleg = workbook.create_sheet("Uitleg")
    uitleg.append(["Kolom", "Verplicht", "Uitleg", "Mogelijke waarden"])
    for cell in uitleg[1]:
        cell.font = Font(bold=True)
    for row in column_help(vocab):
        uitleg.append(list(row))
    for letter, width in zip("ABCD", (24, 10, 70, 70)):
        uitleg.column_dimensions[letter].width = width
    fixed = dt.datetime(2024, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.creator = "Ketenkaart"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

