"""The kinds of value a field can hold: one small class per type (see generator.domain.fields)."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Iterable, Protocol

from generator.domain.gemeenten import CODE_RE
from generator.urls import SLUG_RE  # what a slug is: one definition, also for every path

if TYPE_CHECKING:
    from generator.domain.vocab import TermList, Vocabulary

LANDELIJK = "landelijk"
# Patterns end in \Z, not $ (which also matches before a final newline), and use [0-9], not \d
# (which also matches Arabic-Indic and other digits).
CBS_RE = re.compile(rf"^{CODE_RE.pattern}\Z")  # the one code pattern (generator.domain.gemeenten)
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s<>\"']*\Z", re.IGNORECASE)
DATE_RE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?\Z")
MAX_TEXT = 4000
MAX_ID = 80
YES_NO = ("ja", "nee")

# The same patterns for JSON Schema (ECMA 262 regular expressions, without inline flags).
SLUG_PATTERN = SLUG_RE.pattern
CBS_PATTERN = CBS_RE.pattern
URL_PATTERN = r"^[hH][tT][tT][pP][sS]?://[^\s/$.?#][^\s<>\"']*$"
DATE_PATTERN = DATE_RE.pattern
YES_NO_PATTERN = r"^([jJ][aA]|[nN][eE][eE])$"

# Where a field travels (Field.hsds, Field.graph).
NATIVE = "native"  # an HSDS field of its own, mapped by name in generator.exchange.hsds
ATTRIBUTE = "attribute"  # an HSDS attribute pointing to a term of the Ketenkaart taxonomy
NONE = "none"  # not at all
NODE = "node"  # an attribute of the nodes of the pipeline's graph (generator.graph.build)
EXPORT = "export"  # an attribute of the nodes of the graph downloads only (GraphML, GEXF, JSON)


# -- helpers shared with the loader -----------------------------------------------------------------

def slugify(text: str) -> str:
    """A URL-safe, lower-case slug: 'Súdwest-Fryslân' -> 'sudwest-fryslan'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# Characters no text field may hold: control characters other than tab and line breaks (NUL, ESC,
# DEL, the C1 range), lone surrogates (they cannot be written as UTF-8) and the two non-characters.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


# What a one-line message must not print as it is: every control character, line and paragraph
# separators, lone surrogates and the non-characters.
UNPRINTABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """Text for a one-line message: line breaks and control characters written as escapes."""
    return UNPRINTABLE_RE.sub(lambda m: _ESCAPES.get(m.group()) or f"\\u{ord(m.group()):04x}", text)


def quoted(value: Any, limit: int = 60) -> str:
    """A value as a message shows it: control characters escaped, long values clipped."""
    text = value if isinstance(value, str) else str(value)
    return printable(text if len(text) <= limit else f"{text[:limit]}... ({len(text)} tekens)")


def control_character(text: str) -> str | None:
    """'Bevat een stuurteken ...' when the text holds a character no text field may hold."""
    found = CONTROL_RE.search(text)
    if found is None:
        return None
    return f"bevat een onzichtbaar stuurteken (U+{ord(found.group()):04X}); verwijder het"


def impossible_date(text: str) -> str | None:
    """Why a date that matches DATE_RE does not exist (2020-02-31, 0000-01), or None."""
    year, month = int(text[:4]), int(text[5:7])
    if year == 0:
        return f"'{text}' bestaat niet; verwacht een jaartal vanaf 0001"
    if len(text) == 10:
        try:
            dt.date(year, month, int(text[8:]))
        except ValueError:
            days = ((dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
                    if year < 9999 or month < 12 else 31)
            return f"'{text}' bestaat niet; {MONTHS[month - 1]} {year} heeft {days} dagen"
    return None


def suggestion(value: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
    return f" Bedoelde u '{match[0]}'?" if match else ""


def listing(choices: list[str], limit: int = 12) -> str:
    shown = ", ".join(choices[:limit])
    return shown + (f" (en {len(choices) - limit} meer)" if len(choices) > limit else "")


def split_cell(text: str, separator: str = ";") -> list[str]:
    return [v.strip() for v in str(text).split(separator) if v.strip()]


class Context(Protocol):
    """What a kind needs while checking one file (the loader's checker implements it)."""

    vocab: Vocabulary
    own_id: str  # the id of the organisation being checked (or the file's stem)

    def error(self, path: tuple, message: str) -> None: ...

    def line(self, path: tuple) -> int | None: ...

    def reference(self, ident: str, path: tuple) -> None:
        """An organisation id, checked once every file is read."""

    def municipality(self, code: str, path: tuple) -> None:
        """A CBS code, checked against the chain files once every file is read."""


class NotMapped(Exception):
    """An HSDS attribute that cannot be taken over; the message says what it was."""


# == kinds ==========================================================================================

class Kind:
    """One type of field value. Subclasses override what differs from a plain optional value."""

    list_cell = False  # a spreadsheet cell holds several values separated by ';'

    # -- checking ------------------------------------------------------------------------------------
    def expect(self, field: Field, vocab: Vocabulary) -> str:
        """What a missing required value should have been ('verwacht ...')."""
        return "verwacht een waarde"

    def check(self, ctx: Context, field: Field, raw: Any, path: tuple) -> Any:
        """The model value of a raw YAML value that is present (not None); reports problems."""
        return raw

    def missing(self, vocab: Vocabulary) -> Any:
        """The model value when the field is absent."""
        return None

    # -- the model -----------------------------------------------------------------------------------
    def attributes(self, field: Field) -> list[tuple[str, Any]]:
        """(model attribute, default) pairs this field fills in."""
        return [(field.attr, self.default())]

    def default(self) -> Any:
        return None

    def store(self, field: Field, value: Any) -> dict[str, Any]:
        return {field.attr: value}

    def restore(self, field: Field, obj: Any) -> Any:
        return getattr(obj, field.attr)

    # -- writing -------------------------------------------------------------------------------------
    def to_data(self, value: Any, vocab: Vocabulary) -> Any:
        """The data-file form of a model value; None means: leave the key out."""
        return value if value not in (None, "", (), [], {}) else None

    def to_json(self, value: Any) -> Any:
        return value

    def json_items(self, field: Field, obj: Any) -> dict[str, Any]:
        return {field.attr: self.to_json(self.restore(field, obj))}

    def json_docs(self, field: Field, vocab: Vocabulary, record: Record) -> list[tuple[str, str]]:
        note = "" if field.required else " Leeg (null) als het niet bekend is."
        return [(field.attr, field.help + note)]

    def graph_items(self, field: Field, obj: Any) -> dict[str, Any]:
        return {field.attr: self.restore(field, obj)}

    # -- spreadsheets --------------------------------------------------------------------------------
    def cells(self, field: Field, vocab: Vocabulary) -> list[Column]:
        return [Column(field.key, self, field.required, field.help, self.allowed(vocab), (field.key,), field)]

    def to_cell(self, raw: Any) -> str:
        """A spreadsheet cell for a data-file value."""
        if raw is None:
            return ""
        if isinstance(raw, bool):
            return "ja" if raw else "nee"
        if isinstance(raw, (list, tuple)):
            return "; ".join(self.to_cell(v) for v in raw)
        return str(raw)

    def from_cell(self, text: str) -> Any:
        """The data-file value of a non-empty cell."""
        return split_cell(text) if self.list_cell else text

    # -- describing ----------------------------------------------------------------------------------
    def choices(self, vocab: Vocabulary) -> list[str] | None:
        return None

    def allowed(self, vocab: Vocabulary) -> str:
        """The allowed values, for the spreadsheet's Uitleg sheet."""
        choices = self.choices(vocab)
        return ", ".join(choices) if choices else ""

    def hint(self, vocab: Vocabulary) -> str:
        """The allowed values in a sentence, for comments in data files ('' when free)."""
        return ""

    def schema(self, field: Field, vocab: Vocabulary) -> dict[str, Any]:
        return {}

    def example(self, field: Field, vocab: Vocabulary) -> Any:
        return "..."

    # -- HSDS ----------------------------------------------------------------------------------------
    def vocab_list(self) -> str | None:
        """The vocabulary list whose terms the HSDS attributes point to (None: a value term)."""
        return None

    def hsds_routes(self, field: Field, code: str, vocab: Vocabulary) -> list[str]:
        """The term codes (or code prefixes before '/') whose attributes `hsds_decode` reads."""
        return [code]

    def hsds_encode(self, field: Field, code: str, value: Any) -> list[tuple[str, Any]]:
        """(term code, attribute value or None) pairs; a dict value is JSON."""
        return [(code, str(value))] if value not in (None, "") else []

    def hsds_decode(self, field: Field, route: str, key: str, value: Any, raw: Any) -> Any:
        """The data-file value after one attribute (raw: the value so far)."""
        return value if value not in (None, "") else raw


@dataclass(frozen=True)
class Column:
    """One spreadsheet column: a field, or one part of a block or profile."""

    name: str
    kind: Kind
    required: bool
    help: str
    allowed: str
    path: tuple[str, ...]  # where its value goes in a data file
    field: Field


class Text(Kind):
    def __init__(self, limit: int = MAX_TEXT, paragraphs: bool = False):
        self.limit = limit
        self.paragraphs = paragraphs  # keep line breaks (a description), else one line

    def expect(self, field, vocab):
        return "verwacht een tekst"

    def check(self, ctx, field, raw, path):
        if isinstance(raw, (dict, list)):
            ctx.error(path, "verwacht een tekst, geen lijst of blok")
            return None
        problem = control_character(str(raw))
        if problem:
            ctx.error(path, problem)
            return None
        text = str(raw).strip() if self.paragraphs else " ".join(str(raw).split())
        if not text:
            if field.required:
                ctx.error(path, "mag niet leeg zijn; verwacht een tekst")
            return None
        if len(text) > self.limit:
            ctx.error(path, f"is {len(text)} tekens lang; verwacht hoogstens {self.limit}")
        return text

    def schema(self, field, vocab):
        schema: dict[str, Any] = {"type": ["string", "number"], "maxLength": self.limit}
        if field.required:
            schema["pattern"] = r"\S"
        return schema

    def example(self, field, vocab):
        return field.example or "..."


class Url(Kind):
    def expect(self, field, vocab):
        return "verwacht een webadres dat begint met https://"

    def check(self, ctx, field, raw, path):
        if isinstance(raw, str) and control_character(raw):
            ctx.error(path, control_character(raw))
            return None
        if not isinstance(raw, str) or not URL_RE.match(raw.strip()):
            ctx.error(path, f"'{quoted(raw)}' is geen webadres; verwacht een adres dat begint met https:// of http://")
            return None
        return raw.strip()

    def hint(self, vocab):
        return "Begint met https:// of http://."

    def schema(self, field, vocab):
        return {"type": "string", "pattern": URL_PATTERN, "format": "uri"}

    def example(self, field, vocab):
        return field.example or "https://www.voorbeeld.nl/"


class Slug(Kind):
    """An id: of this organisation, or (ref) of another one, checked once all files are read."""

    def __init__(self, ref: bool = False):
        self.ref = ref

    def expect(self, field, vocab):
        return "verwacht een id, bijvoorbeeld humanitas-zwolle"

    def check(self, ctx, field, raw, path):
        if not isinstance(raw, str) or not SLUG_RE.match(raw) or len(raw) > MAX_ID:
            ctx.error(path, f"'{quoted(raw)}' is geen geldig id; verwacht kleine letters, cijfers en streepjes "
                            f"(zoals '{slugify(str(raw))[:MAX_ID].strip('-') or 'mijn-organisatie'}')")
            return None
        if self.ref:
            ctx.reference(raw, path)
        return raw

    def schema(self, field, vocab):
        return {"type": "string", "pattern": SLUG_PATTERN, "maxLength": MAX_ID}

    def example(self, field, vocab):
        return field.example or "id-van-een-organisatie"


class Cbs(Kind):
    """One CBS municipality code (the code of a chain file)."""

    def expect(self, field, vocab):
        return "verwacht de CBS-gemeentecode, zoals GM0193"

    def check(self, ctx, field, raw, path):
        if not isinstance(raw, str) or not CBS_RE.match(raw):
            ctx.error(path, f"'{quoted(raw)}' is geen CBS-gemeentecode; verwacht GM gevolgd door vier cijfers, "
                            "zoals GM0193")
            return None
        return raw

    def schema(self, field, vocab):
        return {"type": "string", "pattern": CBS_PATTERN}

    def example(self, field, vocab):
        return "GM0193"


class Date(Kind):
    def expect(self, field, vocab):
        return "verwacht een datum als 2019-03 of 2019-03-31"

    def check(self, ctx, field, raw, path):
        if isinstance(raw, dt.date):
            return raw.isoformat()
        if isinstance(raw, str) and DATE_RE.match(raw):
            problem = impossible_date(raw)
            if problem is None:
                return raw
            ctx.error(path, problem)
            return ""
        ctx.error(path, f"'{quoted(raw)}' is geen datum; verwacht jaar-maand (2019-03) of jaar-maand-dag (2019-03-31)")
        return ""

    def missing(self, vocab):
        return ""

    def default(self):
        return ""

    def hint(self, vocab):
        return "Jaar-maand (2019-03) of jaar-maand-dag (2019-03-31)."

    def json_docs(self, field, vocab, record):
        return [(field.attr, f"{field.help} Jaar-maand of jaar-maand-dag.")]

    def schema(self, field, vocab):
        return {"type": "string", "pattern": DATE_PATTERN}

    def example(self, field, vocab):
        return dt.date.today().strftime("%Y-%m")


class YesNo(Kind):
    def expect(self, field, vocab):
        return "verwacht ja of nee"

    def check(self, ctx, field, raw, path):
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in YES_NO:
            return raw.lower() == "ja"
        ctx.error(path, f"verwacht ja of nee, niet '{quoted(raw)}'")
        return False

    def missing(self, vocab):
        return False

    def default(self):
        return False

    def to_data(self, value, vocab):
        return "ja" if value else None

    def json_docs(self, field, vocab, record):
        return [(field.attr, f"{field.help} In JSON: true (ja) of false (nee).")]

    def choices(self, vocab):
        return list(YES_NO)

    def hint(self, vocab):
        return "ja of nee."

    def schema(self, field, vocab):
        return {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": list(YES_NO)},
                          {"type": "string", "pattern": YES_NO_PATTERN}]}

    def example(self, field, vocab):
        return field.example or "ja"

    def hsds_encode(self, field, code, value):
        return [(code, "ja" if value else "nee")]

    def hsds_decode(self, field, route, key, value, raw):
        return "ja" if value == "ja" else raw


class Term(Kind):
    """One term of a vocabulary list (or of a profile axis)."""

    def __init__(self, list_name: str, axis: bool = False):
        self.list_name = list_name
        self.axis = axis

    def termlist(self, vocab: Vocabulary) -> TermList:
        return vocab.axes[self.list_name] if self.axis else vocab[self.list_name]

    def choices(self, vocab):
        return list(self.termlist(vocab).terms)

    def label(self, vocab: Vocabulary) -> str:
        return self.list_name if self.axis else self.termlist(vocab).label.lower()

    def expect(self, field, vocab):
        return f"verwacht een van: {listing(self.choices(vocab))}"

    def check_term(self, ctx: Context, raw: Any, path: tuple) -> str | None:
        choices = self.choices(ctx.vocab)
        if not isinstance(raw, str) or raw not in choices:
            ctx.error(path, f"onbekende waarde '{quoted(raw)}' voor {self.label(ctx.vocab)}; verwacht een van: "
                            f"{listing(choices)}." + suggestion(str(raw), choices))
            return None
        return raw

    def check(self, ctx, field, raw, path):
        return self.check_term(ctx, raw, path)

    def hint(self, vocab):
        return f"Een van: {', '.join(self.choices(vocab))}."

    def term_schema(self, vocab: Vocabulary) -> dict[str, Any]:
        tl = self.termlist(vocab)
        return {"type": "string", "enum": list(tl.terms),
                "enumDescriptions": [f"{t.label}: {t.uitleg}" for t in tl.terms.values()]}

    def schema(self, field, vocab):
        return self.term_schema(vocab)

    def example(self, field, vocab):
        return field.example or self.choices(vocab)[0]

    def vocab_list(self):
        return None if self.axis else self.list_name

    def hsds_routes(self, field, code, vocab):
        return [self.list_name]

    def hsds_encode(self, field, code, value):
        return [(f"{self.list_name}/{value}", None)] if value else []

    def hsds_decode(self, field, route, key, value, raw):
        if not key:
            raise NotMapped(f"Ketenkaart-term '{route}'")
        return key


class Terms(Term):
    """A list of terms; a single term may be written without brackets."""

    list_cell = True

    def expect(self, field, vocab):
        return f"verwacht een lijst, bijvoorbeeld [{', '.join(self.choices(vocab)[:2])}]"

    def check(self, ctx, field, raw, path):
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list):
            ctx.error(path, "verwacht een lijst van termen")
            return ()
        found = [self.check_term(ctx, v, path + (i,)) for i, v in enumerate(raw)]
        if field.required and not raw:
            ctx.error(path, "de lijst is leeg; verwacht ten minste één term")
        return tuple(dict.fromkeys(v for v in found if v))

    def missing(self, vocab):
        return ()

    def default(self):
        return ()

    def to_data(self, value, vocab):
        return list(value) if value else None

    def to_json(self, value):
        return list(value)

    def json_docs(self, field, vocab, record):
        return [(field.attr, field.help + ("" if field.required else " Een lege lijst als de bron het niet noemt."))]

    def hint(self, vocab):
        return f"Een of meer van: {', '.join(self.choices(vocab))}."

    def schema(self, field, vocab):
        term = self.term_schema(vocab)
        array: dict[str, Any] = {"type": "array", "items": term}
        if field.required:
            array["minItems"] = 1
        return {"anyOf": [term, array]}

    def example(self, field, vocab):
        return field.example or self.choices(vocab)[:2]

    def hsds_encode(self, field, code, value):
        return [(f"{self.list_name}/{v}", None) for v in value]

    def hsds_decode(self, field, route, key, value, raw):
        if not key:
            raise NotMapped(f"Ketenkaart-term '{route}'")
        return [*(raw or []), key]


class TermLines(Terms):
    """A list of terms, each remembered with its line in the file (niet-toegestaan)."""

    def check(self, ctx, field, raw, path):
        found = super().check(ctx, field, raw, path)
        items = raw if isinstance(raw, list) else [raw]
        return {term: ctx.line(path + (items.index(term),) if isinstance(raw, list) else path) for term in found}

    def missing(self, vocab):
        return {}

    def default(self):
        return {}

    def to_json(self, value):
        return list(value)


class Gemeenten(Kind):
    """CBS codes of municipalities, or the word landelijk: fills `gemeenten` and `landelijk`."""

    list_cell = True

    def expect(self, field, vocab):
        return "verwacht CBS-codes zoals [GM0193] of het woord landelijk"

    def check(self, ctx, field, raw, path):
        items = raw if isinstance(raw, list) else [raw]
        codes: list[str] = []
        for i, code in enumerate(items):
            where = path + (i,) if isinstance(raw, list) else path
            if code == LANDELIJK:
                codes.append(LANDELIJK)
            elif isinstance(code, str) and CBS_RE.match(code):
                codes.append(code)
                ctx.municipality(code, where)
            else:
                ctx.error(where, f"'{quoted(code)}' is geen CBS-gemeentecode; verwacht GM gevolgd door vier cijfers "
                                 "(zoals GM0193) of het woord landelijk")
        if not items:
            ctx.error(path, "de lijst is leeg; verwacht ten minste één CBS-code of landelijk")
        return tuple(dict.fromkeys(codes))

    def missing(self, vocab):
        return ()

    def attributes(self, field):
        return [(field.attr, ()), (LANDELIJK, False)]

    def store(self, field, value):
        return {field.attr: tuple(c for c in value if c != LANDELIJK), LANDELIJK: LANDELIJK in value}

    def restore(self, field, obj):
        return tuple(getattr(obj, field.attr)) + ((LANDELIJK,) if getattr(obj, LANDELIJK) else ())

    def to_data(self, value, vocab):
        return list(value) if value else None

    def json_items(self, field, obj):
        return {field.attr: list(getattr(obj, field.attr)), LANDELIJK: getattr(obj, LANDELIJK)}

    def json_docs(self, field, vocab, record):
        return [(field.attr, "CBS-codes van de gemeenten waar de organisatie werkt."),
                (LANDELIJK, "true als de organisatie in heel Nederland werkt.")]

    def graph_items(self, field, obj):
        return {field.attr: getattr(obj, field.attr), LANDELIJK: getattr(obj, LANDELIJK)}

    def allowed(self, vocab):
        return "CBS-codes zoals GM0193, of landelijk"

    def schema(self, field, vocab):
        item = {"type": "string", "pattern": f"^(GM\\d{{4}}|{LANDELIJK})$"}
        return {"anyOf": [item, {"type": "array", "items": item, "minItems": 1}]}

    def example(self, field, vocab):
        return ["GM0193"]

    def hsds_encode(self, field, code, value):
        return [(code, c) for c in value]

    def hsds_decode(self, field, route, key, value, raw):
        return [*(raw or []), value] if value else raw


class Profile(Kind):
    """Per profile axis (vocab.axes) the values served. For an organisation every axis is filled
    in (absent = all values); a route's condition (`voorwaarde`) keeps only the axes it names and
    may also name spoed."""

    def __init__(self, spoed: bool = False, fill: bool = True):
        self.spoed = spoed
        self.fill = fill

    def expect(self, field, vocab):
        return f"verwacht een blok met de kenmerken {', '.join(vocab.axes)}"

    def check(self, ctx, field, raw, path):
        axes = ctx.vocab.axes
        result = {axis: tuple(tl.terms) for axis, tl in axes.items()}
        if not isinstance(raw, dict):
            ctx.error(path, self.expect(field, ctx.vocab))
            return self.missing(ctx.vocab)
        allowed = tuple(axes) + (("spoed",) if self.spoed else ())
        unknown_keys(ctx, raw, allowed, path)
        for axis in axes:
            if axis in raw:
                axis_field = Field(axis, Terms(axis, axis=True), "", required=True)
                if raw[axis] is None:
                    ctx.error(path + (axis,), f"verplicht veld '{axis}' ontbreekt; "
                                              f"{axis_field.kind.expect(axis_field, ctx.vocab)}")
                    continue
                found = axis_field.kind.check(ctx, axis_field, raw[axis], path + (axis,))
                if found:
                    result[axis] = found
        if self.spoed and "spoed" in raw:
            yes = YesNo().check(ctx, Field("spoed", YesNo(), ""), raw["spoed"], path + ("spoed",))
            result["spoed"] = ("ja",) if yes else ("nee",)
        return result if self.fill else {k: v for k, v in result.items() if k in raw}

    def missing(self, vocab):
        return {axis: tuple(tl.terms) for axis, tl in vocab.axes.items()} if self.fill else {}

    def default(self):
        return {}

    def attributes(self, field):
        return [(field.attr, dc_field(default_factory=dict))]

    def to_data(self, value, vocab):
        if self.fill:
            data = {axis: list(values) for axis, values in value.items()
                    if axis in vocab.axes and tuple(values) != tuple(vocab.axes[axis].terms)}
        else:
            data = {axis: (values[0] if axis == "spoed" else list(values)) for axis, values in value.items()}
        return data or None

    def to_json(self, value):
        return {axis: list(values) for axis, values in value.items()}

    def json_docs(self, field, vocab, record):
        return [(field.attr, f"{vocab.profiel_uitleg} Per kenmerk ({', '.join(vocab.axes)}) de waarden "
                             "die de organisatie aankan.")]

    def graph_items(self, field, obj):
        return {f"{field.attr}.{axis}": values for axis, values in getattr(obj, field.attr).items()}

    def cells(self, field, vocab):
        return [Column(f"{field.key}.{axis}", Terms(axis, axis=True), False, f"{tl.uitleg} Leeg = alle hulpvragers.",
                       ", ".join(tl.terms), (field.key, axis), field)
                for axis, tl in vocab.axes.items()]

    def hint(self, vocab):
        return "; ".join(f"{axis}: {', '.join(tl.terms)}" for axis, tl in vocab.axes.items()) + "."

    def schema(self, field, vocab):
        properties: dict[str, Any] = {}
        for axis, tl in vocab.axes.items():
            axis_schema = Terms(axis, axis=True).schema(Field(axis, Terms(axis, axis=True), "", required=True), vocab)
            properties[axis] = {"description": f"{tl.label}: {tl.uitleg}", **axis_schema}
        if self.spoed:
            properties["spoed"] = {"description": "ja: de route geldt alleen bij een dringende of dreigende situatie.",
                                   **YesNo().schema(field, vocab)}
        return {"type": "object", "properties": properties, "additionalProperties": False}

    def example(self, field, vocab):
        axis, tl = next(iter(vocab.axes.items()))
        return {axis: list(tl.terms)[:1]}

    def hsds_routes(self, field, code, vocab):
        return [f"{code}.{axis}" for axis in vocab.axes]

    def hsds_encode(self, field, code, value):
        return [(f"{code}.{axis}/{v}", None) for axis, values in value.items() for v in values]

    def hsds_decode(self, field, route, key, value, raw):
        if not key:
            raise NotMapped(f"Ketenkaart-term '{route}'")
        data = dict(raw or {})
        axis = route.rsplit(".", 1)[1]
        data[axis] = [*data.get(axis, []), key]
        return data


class Block(Kind):
    """A block of fields: a dict of the values present (contact), or a model class (bron, a route)."""

    def __init__(self, fields: Iterable[Field], name: str | None = None, shorthand: str | None = None):
        self.fields = tuple(fields)
        self.name = name  # the model class to build; None: a dict of the values present
        self.shorthand = shorthand  # a plain text stands for this sub-field ('bron: Titel')

    @cached_property
    def model(self) -> type | None:
        return model_class(self.name, self.fields) if self.name else None

    def describe(self) -> str:
        required = [f"'{f.key}'" for f in self.fields if f.required]
        optional = [f"'{f.key}'" for f in self.fields if not f.required]
        if not required:
            return f"verwacht een blok met {_or(optional)}"
        text = f"verwacht een blok met {_and(required)}"
        return text + (f" en eventueel {_or(optional)}" if optional else "")

    def expect(self, field, vocab):
        return self.describe()

    def check(self, ctx, field, raw, path):
        if isinstance(raw, str) and self.shorthand:
            raw = {self.shorthand: raw}
        if not isinstance(raw, dict):
            ctx.error(path, self.describe())
            return None
        return self.build(check_fields(ctx, self.fields, raw, path))

    def build(self, values: dict[str, Any]) -> Any:
        if self.model is None:
            return {f.key: values[f.key] for f in self.fields if values.get(f.key) not in (None, "", (), {})}
        return self.model(**build_attributes(self.fields, values))

    def values(self, value: Any) -> dict[str, Any]:
        """Field key -> model value of a block value."""
        if value is None:
            return {}
        if self.model is None:
            return dict(value)
        return {f.key: f.kind.restore(f, value) for f in self.fields}

    def missing(self, vocab):
        return {} if self.model is None else None

    def default(self):
        return None

    def attributes(self, field):
        return [(field.attr, dc_field(default_factory=dict) if self.model is None else None)]

    def to_data(self, value, vocab):
        values = self.values(value)
        data = {}
        for f in self.fields:
            if f.key in values:
                written = f.kind.to_data(values[f.key], vocab)
                if written is not None:
                    data[f.key] = written
        return data or None

    def to_json(self, value):
        values = self.values(value)
        if self.model is None:
            return {f.key: f.kind.to_json(values[f.key]) for f in self.fields if f.key in values}
        return {f.attr: f.kind.to_json(values.get(f.key)) for f in self.fields}

    def json_docs(self, field, vocab, record):
        return [(field.attr, f"{field.help} Met: {', '.join(f.key for f in self.fields)}.")]

    def cells(self, field, vocab):
        columns = []
        for f in self.fields:
            for column in f.kind.cells(f, vocab):
                columns.append(Column(f"{field.key}.{column.name}", column.kind, field.required and column.required,
                                      column.help, column.allowed, (field.key, *column.path), column.field))
        return columns

    def schema(self, field, vocab):
        schema = {"type": "object", "properties": {f.key: property_schema(f, vocab) for f in self.fields},
                  "additionalProperties": False}
        required = [f.key for f in self.fields if f.required]
        if required:
            schema["required"] = required
        if self.shorthand:
            short = property_schema(next(f for f in self.fields if f.key == self.shorthand), vocab)
            return {"anyOf": [short, schema]}
        return schema

    def example(self, field, vocab):
        return {f.key: f.kind.example(f, vocab) for f in self.fields[:1]}


class ListOf(Kind):
    """A list of blocks (the routes of a chain)."""

    def __init__(self, item: Block, plural: str):
        self.item = item
        self.plural = plural

    def expect(self, field, vocab):
        return f"verwacht een lijst van {self.plural}"

    def check(self, ctx, field, raw, path):
        if not isinstance(raw, list):
            ctx.error(path, f"verwacht een lijst van {self.plural}")
            return ()
        items = [self.item.check(ctx, field, item, path + (i,)) for i, item in enumerate(raw)]
        return tuple(item for item in items if item is not None)

    def missing(self, vocab):
        return ()

    def default(self):
        return ()

    def to_data(self, value, vocab):
        return [self.item.to_data(v, vocab) for v in value] or None

    def to_json(self, value):
        return [self.item.to_json(v) for v in value]

    def json_docs(self, field, vocab, record):
        return [(field.attr, f"{field.help} Elk met: {', '.join(f.key for f in self.item.fields)}.")]

    def schema(self, field, vocab):
        return {"type": "array", "items": self.item.schema(field, vocab)}


class IdList(Kind):
    """A non-empty list of organisation ids (the steps of a route)."""

    list_cell = True

    def __init__(self, what: str):
        self.what = what

    def expect(self, field, vocab):
        return f"verwacht een lijst van {self.what}"

    def check(self, ctx, field, raw, path):
        if not isinstance(raw, list) or not raw:
            ctx.error(path, f"verwacht een lijst van {self.what}")
            return ()
        ids = [Slug(ref=True).check(ctx, field, item, path + (i,)) for i, item in enumerate(raw)]
        return tuple(i for i in ids if i)

    def missing(self, vocab):
        return ()

    def default(self):
        return ()

    def to_data(self, value, vocab):
        return list(value) or None

    def to_json(self, value):
        return list(value)

    def schema(self, field, vocab):
        return {"type": "array", "items": Slug().schema(field, vocab), "minItems": 1}


@dataclass(frozen=True)
class Relatie:
    """A typed, directed link between two organisations."""

    soort: str  # a key of the 'relaties' vocabulary, and the key of the field that holds it
    van: str
    naar: str
    wanneer: str | None = None
    warm: bool = False


class Relations(Kind):
    """The links of one kind (verwijst, werkt-samen, signaleert); every kind fills `relaties`."""

    list_cell = True  # a spreadsheet cell holds the ids only

    def __init__(self, soort: str):
        self.soort = soort

    def expect(self, field, vocab):
        return "verwacht een lijst van organisaties (met '- naar: id')"

    def check(self, ctx, field, raw, path):
        if not isinstance(raw, list):
            ctx.error(path, "verwacht een lijst van organisaties (met '- naar: id')")
            return ()
        item_kind = Block(RELATION_ITEM_FIELDS)
        relations = []
        for i, item in enumerate(raw):
            where = path + (i,)
            if isinstance(item, str):
                item = {"naar": item}
            if not isinstance(item, dict):
                ctx.error(where, "verwacht een id of een blok met 'naar', 'wanneer' en 'warm'")
                continue
            values = check_fields(ctx, item_kind.fields, item, where)
            target = values["naar"]
            if target is None:
                continue
            if target == ctx.own_id:
                ctx.error(where + ("naar",), "een organisatie kan niet naar zichzelf verwijzen")
                continue
            relations.append(Relatie(self.soort, ctx.own_id, target, values["wanneer"], values["warm"]))
        return tuple(relations)

    def missing(self, vocab):
        return ()

    def default(self):
        return ()

    def restore(self, field, obj):
        return tuple(r for r in getattr(obj, field.attr) if r.soort == self.soort)

    def to_data(self, value, vocab):
        return [relation_item(r.naar, r.wanneer, r.warm) for r in value] or None

    def to_json(self, value):
        return [{"soort": r.soort, "naar": r.naar, "wanneer": r.wanneer, "warm": r.warm} for r in value]

    def json_docs(self, field, vocab, record):
        kinds = ", ".join(f.key for f in record.fields if isinstance(f.kind, Relations))
        return [(field.attr, f"Lijst van relaties: soort ({kinds}), naar (id), wanneer (voorwaarde of null), "
                             "warm (true bij een warme overdracht).")]

    def to_cell(self, raw):
        return "; ".join(item if isinstance(item, str) else item["naar"] for item in raw or [])

    def hint(self, vocab):
        return "Id's van organisaties; per organisatie eventueel met wanneer en warm (ja of nee)."

    def schema(self, field, vocab):
        item = Block(RELATION_ITEM_FIELDS).schema(field, vocab)
        return {"type": "array", "items": {"anyOf": [Slug().schema(field, vocab), item]}}

    def example(self, field, vocab):
        return field.example or [{"naar": "id-van-een-andere-organisatie", "wanneer": "Bij schulden", "warm": "ja"}]

    def vocab_list(self):
        return "relaties"

    def hsds_routes(self, field, code, vocab):
        return [f"relaties/{self.soort}"]

    def hsds_encode(self, field, code, value):
        return [(f"relaties/{self.soort}", {"naar": r.naar, "wanneer": r.wanneer, "warm": r.warm}) for r in value]

    def hsds_decode(self, field, route, key, value, raw):
        try:
            rel = json.loads(value)
            item: Any = {"naar": rel["naar"]}
        except (ValueError, KeyError, TypeError, RecursionError):  # not JSON, too deep, a 5,000-digit number
            raise NotMapped(f"Ketenkaart-relatie met onleesbare waarde '{quoted(value)}'") from None
        if not isinstance(rel, dict):
            raise NotMapped(f"Ketenkaart-relatie met onleesbare waarde '{quoted(value)}'")
        if rel.get("wanneer"):
            item["wanneer"] = rel["wanneer"]
        if rel.get("warm"):
            item["warm"] = "ja"
        return [*(raw or []), item if len(item) > 1 else item["naar"]]


def relation_item(naar: str, wanneer: str | None = None, warm: bool = False) -> str | dict[str, str]:
    """One entry of verwijst/werkt-samen/signaleert: a bare id when there is nothing more."""
    if not wanneer and not warm:
        return naar
    item = {"naar": naar}
    if wanneer:
        item["wanneer"] = wanneer
    if warm:
        item["warm"] = "ja"
    return item


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " of " + words[-1]


# The composite kinds (Block, Profile, Relations) check their parts with the field machinery of
# records.py, which in turn builds on the kinds above; imported last to close that circle.
from generator.domain.fields.records import (  # noqa: E402
    Field, Record, build_attributes, check_fields, model_class, property_schema, unknown_keys,
)
from generator.domain.fields.registry import RELATION_ITEM_FIELDS  # noqa: E402
