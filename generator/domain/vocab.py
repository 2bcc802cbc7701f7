"""The controlled vocabularies (vocabulaire.yaml), read once and shared by every stage.

Every term has a label and an explanation (uitleg) for the reader, and the properties that say
what the term means to the engine (shape and colour on the map, the role of a service, the debt
levels of a phase, ...). `SPEC` declares per list which properties a term has and of which type;
`check_vocabulary` checks a vocabulary file against it and reports every problem with its line,
so that a missing property is an error in `ketenkaart check`, never a KeyError halfway a build.
What the properties mean to the chain is decided in one place: generator/domain/rules.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.model import DataError

VOCAB_FILE = Path(__file__).with_name("vocabulaire.yaml")

# The shapes vis-network can draw (https://visjs.github.io/vis-network/docs/network/nodes.html).
VIS_SHAPES = ("ellipse", "circle", "database", "box", "text", "diamond", "dot", "star", "triangle",
              "triangleDown", "hexagon", "square")
ROLLEN = ("hulp", "toegang", "regie", "signaal")
GROEPSVORMEN = ("bijvoeglijk", "met", "zonder")
PROFIELEN = "profielen"


# -- the spec --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Prop:
    """One property of the terms of a list.

    kind: 'tekst' (non-empty text), 'kleur' (#RRGGBB), 'janee' (ja or nee), 'keuze' (one of
    `keuzes`), 'termen' (a list of terms of the list `van`; 'profielen.<as>' for an axis),
    'regex' (a regular expression that compiles), 'streep' (nee, or a list of positive numbers).
    """

    naam: str
    kind: str
    verplicht: bool = True
    keuzes: tuple[str, ...] = ()
    van: str = ""
    standaard: Any = None
    uitleg: str = ""


def _ja(naam: str, uitleg: str = "") -> Prop:
    return Prop(naam, "janee", verplicht=False, standaard=False, uitleg=uitleg)


SPEC: dict[str, tuple[Prop, ...]] = {
    "soorten": (
        Prop("vorm", "keuze", keuzes=VIS_SHAPES, uitleg="de vorm op de kaart"),
        Prop("vormnaam", "tekst", uitleg="die vorm in woorden, voor de legenda"),
        _ja("signaalpartner"), _ja("ingang"),
    ),
    "inzet": (
        Prop("kleur", "kleur", uitleg="de kleur op de kaart"),
        Prop("kleurnaam", "tekst", uitleg="die kleur in woorden, voor de legenda"),
        Prop("vrijwilligers", "janee"),
    ),
    "diensten": (Prop("rol", "keuze", keuzes=ROLLEN),),
    "fasen": (
        Prop("schulden", "termen", van=f"{PROFIELEN}.schulden"),
        Prop("in_zin", "tekst", uitleg="de fase in een zin, zoals 'in de preventie'"),
        _ja("signaalfase"),
    ),
    "doelgroepen": (
        _ja("vraag"),
        Prop("schulden", "termen", verplicht=False, van=f"{PROFIELEN}.schulden", standaard=(),
             uitleg="de antwoorden over schulden die een hulpvrager tot deze doelgroep maken"),
    ),
    "duur": (
        Prop("leerbaarheid", "termen", verplicht=False, van=f"{PROFIELEN}.leerbaarheid", standaard=(),
             uitleg="de antwoorden over leerbaarheid waar deze duur bij past"),
        Prop("reden", "tekst", verplicht=False, uitleg="waarom, zoals de verwijswijzer het zegt"),
    ),
    "toegang": (Prop("eigen_ingang", "janee"), _ja("ingang")),
    "relaties": (
        Prop("kleur", "kleur"),
        Prop("streep", "streep"),
        Prop("pijl", "janee"),
        Prop("lijn", "tekst", uitleg="de lijn in woorden, voor de legenda"),
        Prop("kop_uit", "tekst", uitleg="kop op de pagina van de organisatie van wie de relatie uitgaat"),
        Prop("kop_in", "tekst", verplicht=False,
             uitleg="kop op de pagina van de andere organisatie (niet bij wederzijdse relaties)"),
        _ja("verwijzing"), _ja("signaal"), _ja("wederzijds"),
    ),
    "bevindingen": (Prop("kop", "tekst"), Prop("geen", "tekst", verplicht=False),
                    Prop("pagina", "tekst", verplicht=False, uitleg="een pagina van content/ die de bevinding uitlegt")),
    "basiselementen": (
        Prop("fasen", "termen", verplicht=False, van="fasen", standaard=()),
        Prop("diensten", "termen", verplicht=False, van="diensten", standaard=()),
        Prop("doelgroepen", "termen", verplicht=False, van="doelgroepen", standaard=()),
    ),
    "signaalsoorten": (Prop("herkenning", "regex"),),
}
# Properties of the terms of every axis of the profile ('profielen' -> 'assen' -> axis -> 'termen').
AXIS_SPEC: tuple[Prop, ...] = (
    Prop("groepsvorm", "keuze", keuzes=GROEPSVORMEN),
    Prop("groepstekst", "tekst", uitleg="hoe de waarde in een groep hulpvragers klinkt"),
    Prop("kort", "tekst", verplicht=False),
)
# The profile axes every vocabulary must have: the verwijswijzer asks one question per axis.
AXES_REQUIRED = ("leerbaarheid", "problematiek", "schulden", "vertrouwen")
BASE_KEYS = ("label", "uitleg")


# -- the model -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    key: str
    label: str
    uitleg: str
    props: dict[str, Any] = field(default_factory=dict, compare=False)

    def __getitem__(self, name: str) -> Any:
        return self.props[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.props.get(name, default)


@dataclass(frozen=True)
class TermList:
    key: str
    label: str
    uitleg: str
    terms: dict[str, Term]

    def label_of(self, key: str) -> str:
        term = self.terms.get(key)
        return term.label if term else key

    def with_prop(self, name: str, value: Any = True) -> tuple[str, ...]:
        """Keys of the terms whose property `name` has `value`, in list order."""
        return tuple(k for k, t in self.terms.items() if t.get(name) == value)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity, so it can key a cache
class Vocabulary:
    lists: dict[str, TermList]  # soorten, inzet, diensten, fasen, doelgroepen, duur, toegang, relaties, ...
    axes: dict[str, TermList]  # leerbaarheid, problematiek, schulden, vertrouwen
    profiel_label: str
    profiel_uitleg: str
    bestand: str = ""

    def __getitem__(self, name: str) -> TermList:
        return self.lists[name]

    def label(self, name: str, key: str) -> str:
        return self.lists[name].label_of(key)

    def term(self, name: str, key: str) -> Term:
        """A term of a list, or of an axis ('profielen.<as>')."""
        if name.startswith(PROFIELEN + "."):
            return self.axes[name.partition(".")[2]].terms[key]
        return self.lists[name].terms[key]


class VocabularyError(ValueError):
    """A vocabulary file that cannot be used; `errors` holds every located problem."""

    def __init__(self, errors: list[DataError]):
        self.errors = list(errors)
        shown = "\n".join(f"  {e}" for e in self.errors[:20])
        more = f"\n  en nog {len(self.errors) - 20} fouten" if len(self.errors) > 20 else ""
        super().__init__(f"De woordenlijst (vocabulaire.yaml) is niet bruikbaar:\n{shown}{more}")


def meervoud(n: int, enkel: str, meer: str) -> str:
    """'1 gemeente', '2 gemeenten': a count with the Dutch noun in the right form."""
    return f"{n} {enkel if n == 1 else meer}"


def in_zin(label: str) -> str:
    """A label inside a sentence: first letter lower case, except for an abbreviation (WSNP)."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


# -- checking a vocabulary file --------------------------------------------------------------------

_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


class _Checker:
    def __init__(self, doc, shown: str):
        self.doc, self.shown = doc, shown
        self.errors: list[DataError] = []

    def error(self, path: tuple, message: str) -> None:
        shown_field = ".".join(str(p) for p in path if p not in ("termen", "assen"))
        self.errors.append(DataError(self.shown, self.doc.line(path), shown_field, message))

    def mapping(self, value: Any, path: tuple, what: str) -> dict | None:
        if not isinstance(value, dict):
            self.error(path, f"verwacht {what} (sleutels met daaronder hun waarden), gevonden: {_shown(value)}")
            return None
        return value

    def text(self, block: dict, key: str, path: tuple, required: bool = True) -> str | None:
        if key not in block:
            if required:
                self.error(path + (key,), f"verplichte eigenschap '{key}' ontbreekt; verwacht een tekst")
            return None
        value = block[key]
        if not isinstance(value, str) or not value.strip():
            self.error(path + (key,), f"verwacht een tekst, gevonden: {_shown(value)}")
            return None
        return value.strip()

    def term_list(self, key: str, raw: Any, path: tuple, spec: tuple[Prop, ...]) -> tuple[TermList | None, dict]:
        """A list with its terms; the properties of type 'termen' are checked later (cross refs)."""
        block = self.mapping(raw, path, "een lijst met label, uitleg en termen")
        if block is None:
            return None, {}
        for extra in sorted(set(block) - {"label", "uitleg", "termen"}):
            self.error(path + (extra,), f"onbekende sleutel '{extra}'; verwacht label, uitleg en termen")
        label = self.text(block, "label", path)
        uitleg = self.text(block, "uitleg", path)
        if "termen" not in block:
            self.error(path + ("termen",), "verplichte sleutel 'termen' ontbreekt; verwacht de termen van de lijst")
            return None, {}
        termen = self.mapping(block["termen"], path + ("termen",), "de termen van de lijst")
        if termen is None:
            return None, {}
        if not termen:
            self.error(path + ("termen",), "de lijst heeft geen termen; verwacht er minstens een")
        terms, pending = {}, {}
        for term_key, term_raw in termen.items():
            tpath = path + ("termen", term_key)
            tblock = self.mapping(term_raw, tpath, "een term met label, uitleg en eigenschappen")
            if tblock is None:
                continue
            known = {p.naam: p for p in spec}
            for extra in sorted(set(tblock) - set(BASE_KEYS) - set(known)):
                allowed = ", ".join(BASE_KEYS + tuple(known))
                self.error(tpath + (extra,), f"onbekende eigenschap '{extra}'; verwacht een van: {allowed}")
            tlabel = self.text(tblock, "label", tpath)
            tuitleg = self.text(tblock, "uitleg", tpath)
            props: dict[str, Any] = {}
            for prop in spec:
                ppath = tpath + (prop.naam,)
                if prop.naam not in tblock:
                    if prop.verplicht:
                        self.error(ppath, f"verplichte eigenschap '{prop.naam}' ontbreekt; verwacht {_expected(prop)}")
                    else:
                        props[prop.naam] = prop.standaard
                    continue
                if prop.kind == "termen":
                    pending[(term_key, prop.naam)] = (prop, tblock[prop.naam], ppath)
                    continue
                ok, value = self.value(prop, tblock[prop.naam], ppath)
                if ok:
                    props[prop.naam] = value
            terms[term_key] = Term(str(term_key), tlabel or str(term_key), tuitleg or "", props)
        return TermList(key, label or key, uitleg or "", terms), pending

    def value(self, prop: Prop, value: Any, path: tuple) -> tuple[bool, Any]:
        def bad(message: str | None = None) -> tuple[bool, Any]:
            self.error(path, message or f"verwacht {_expected(prop)}, gevonden: {_shown(value)}")
            return False, None

        if prop.kind == "tekst":
            return (True, value.strip()) if isinstance(value, str) and value.strip() else bad()
        if prop.kind == "kleur":
            return (True, value.upper()) if isinstance(value, str) and _COLOUR.fullmatch(value) else bad()
        if prop.kind == "janee":
            return (True, value == "ja") if value in ("ja", "nee") else bad()
        if prop.kind == "keuze":
            return (True, value) if value in prop.keuzes else bad()
        if prop.kind == "streep":
            if value == "nee":
                return True, False
            if (isinstance(value, list) and value
                    and all(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in value)):
                return True, list(value)
            return bad()
        if prop.kind == "regex":
            if not isinstance(value, str) or not value:
                return bad()
            try:
                return True, re.compile(value, re.IGNORECASE)
            except re.error as exc:
                return bad(f"verwacht een reguliere expressie, maar deze klopt niet: {exc}")
        raise ValueError(prop.kind)

    def cross(self, lists: dict[str, TermList], axes: dict[str, TermList], name: str, pending: dict) -> None:
        for (term_key, _naam), (prop, value, path) in pending.items():
            target = axes.get(prop.van.partition(".")[2]) if prop.van.startswith(PROFIELEN + ".") else lists.get(prop.van)
            if target is None:
                self.error(path, f"verwijst naar de lijst '{prop.van}', maar die ontbreekt of is niet bruikbaar")
                continue
            if not isinstance(value, list) or not value:
                self.error(path, f"verwacht {_expected(prop, target)}, gevonden: {_shown(value)}")
                continue
            unknown = [v for v in value if v not in target.terms]
            if unknown:
                self.error(path, f"onbekende term {', '.join(repr(v) for v in unknown)}; verwacht {_expected(prop, target)}")
                continue
            term = lists[name].terms.get(term_key) if name in lists else None
            if term is not None:
                term.props[prop.naam] = tuple(value)


def _expected(prop: Prop, target: TermList | None = None) -> str:
    if prop.kind == "tekst":
        return "een tekst" + (f" ({prop.uitleg})" if prop.uitleg else "")
    if prop.kind == "kleur":
        return "een kleur als #RRGGBB, bijvoorbeeld \"#9DC3E6\" (tussen aanhalingstekens)"
    if prop.kind == "janee":
        return "ja of nee"
    if prop.kind == "keuze":
        return "een van: " + ", ".join(prop.keuzes)
    if prop.kind == "streep":
        return "nee (een doorgetrokken lijn) of een lijst van getallen groter dan 0, zoals [6, 6]"
    if prop.kind == "regex":
        return "een reguliere expressie, zoals 'drinkwater|waterbedrijf'"
    if prop.kind == "termen":
        keys = ", ".join(target.terms) if target else prop.van
        return f"een lijst van termen uit {prop.van}: [{keys}]"
    return prop.kind


def _shown(value: Any) -> str:
    if value is None:
        return "niets"
    if isinstance(value, bool):  # YAML's yes/no/true/false
        return f"{str(value).lower()} (schrijf ja of nee)"
    if isinstance(value, dict):
        return "een blok"
    if isinstance(value, list):
        return "een lijst"
    return repr(value)


def check_vocabulary(path: Path | str, shown_as: str | None = None) -> tuple[Vocabulary | None, list[DataError]]:
    """Read and check a vocabulary file: the vocabulary, or None and every located error."""
    from generator.load.yamlfile import read_yaml  # the loader imports this module

    path = Path(path)
    shown = shown_as or str(path)
    doc, errors = read_yaml(path, shown)
    if doc is None:
        return None, errors
    c = _Checker(doc, shown)
    raw = c.mapping(doc.data, (), "de lijsten van de woordenlijst")
    if raw is None:
        return None, c.errors
    lists: dict[str, TermList] = {}
    pending: dict[str, dict] = {}
    for name in sorted(set(raw) - set(SPEC) - {PROFIELEN}):
        c.error((name,), f"onbekende lijst '{name}'; verwacht een van: {', '.join(SPEC)}, {PROFIELEN}")
    for name, spec in SPEC.items():
        if name not in raw:
            c.error((), f"de lijst '{name}' ontbreekt; verwacht label, uitleg en termen met de eigenschappen "
                        + (", ".join(p.naam for p in spec) or "label en uitleg"))
            continue
        tl, todo = c.term_list(name, raw[name], (name,), spec)
        if tl is not None:
            lists[name] = tl
            pending[name] = todo
    axes: dict[str, TermList] = {}
    profiel_label = profiel_uitleg = ""
    if PROFIELEN not in raw:
        c.error((), f"de lijst '{PROFIELEN}' ontbreekt; verwacht label, uitleg en assen")
    else:
        block = c.mapping(raw[PROFIELEN], (PROFIELEN,), "label, uitleg en assen")
        if block is not None:
            profiel_label = c.text(block, "label", (PROFIELEN,)) or ""
            profiel_uitleg = c.text(block, "uitleg", (PROFIELEN,)) or ""
            for extra in sorted(set(block) - {"label", "uitleg", "assen"}):
                c.error((PROFIELEN, extra), f"onbekende sleutel '{extra}'; verwacht label, uitleg en assen")
            assen = c.mapping(block.get("assen"), (PROFIELEN, "assen"), "de assen van het profiel")
            if assen is not None:
                for axis, axis_raw in assen.items():
                    tl, _todo = c.term_list(axis, axis_raw, (PROFIELEN, "assen", axis), AXIS_SPEC)
                    if tl is not None:
                        axes[axis] = tl
                for axis in AXES_REQUIRED:
                    if axis not in assen:
                        c.error((PROFIELEN, "assen"), f"de as '{axis}' ontbreekt; verwacht de assen "
                                                      + ", ".join(AXES_REQUIRED))
    for name, todo in pending.items():
        c.cross(lists, axes, name, todo)
    if c.errors:
        return None, c.errors
    return Vocabulary(lists, axes, profiel_label, profiel_uitleg, shown), []


_CACHE: dict[Path, Vocabulary] = {}


def load_vocabulary(path: Path | str | None = None) -> Vocabulary:
    """The vocabulary of a file (default: the engine's own), checked and cached per path.

    Raises VocabularyError, carrying every located error, when the file is not usable.
    """
    resolved = Path(path or VOCAB_FILE).resolve()
    if resolved not in _CACHE:
        vocab, errors = check_vocabulary(resolved, str(path) if path else "generator/domain/vocabulaire.yaml")
        if vocab is None:
            raise VocabularyError(errors)
        _CACHE[resolved] = vocab
    return _CACHE[resolved]
