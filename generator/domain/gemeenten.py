"""The official list of Dutch municipalities (CBS codes), read once from gemeenten.yaml.

gemeenten.yaml holds every municipality on the reference date (PEILDATUM) with its CBS code
(GM + four digits) and its name as CBS writes it, plus the municipalities abolished by a merger
since 1 January 2019 with the code(s) that replaced them. Its header names the sources.

What this module offers:

- `bestaat(code)`: is this the code of a municipality on the reference date?
- `naam(code)`: the CBS name of that municipality.
- `opgeheven(code)`: for an abolished code, (naam, nieuwe code, nieuwe naam, datum).
- `melding_opgeheven(code)`: the same as a Dutch sentence ("... opgegaan in ...").
- `zoek(tekst)`: a code, name or other name (ook) to the current code; `zoek_opgeheven(tekst)`
  does the same for abolished municipalities.
- `suggestie(tekst)`: the nearest real municipality name, for "bedoelde u ...?".
- `is_fictief_code(code)`: GM9000-GM9999, the range fictitious data uses (fictief: ja).

Fictitious codes: the CBS municipal classification uses no code from GM9000 up (the highest on
the reference date is GM1992; `_check` verifies that the list has none). CBS does use GM9001,
GM9002 and GM9003 for the public bodies Bonaire, Sint Eustatius and Saba (Caribisch
Nederland) in its StatLine tables on the Caribbean Netherlands. Those are not municipalities
and are not in the list, so in this project they are fictitious like the rest of the range.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import yaml

from generator.load.yamlfile import FAST_LOADER

GEMEENTEN_FILE = Path(__file__).with_name("gemeenten.yaml")

CODE_RE = re.compile(r"GM[0-9]{4}")  # a CBS municipality code; fields.kinds.CBS_RE is built from it
FICTIEF_RE = re.compile(r"GM9[0-9]{3}")

_MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
            "september", "oktober", "november", "december")


class GemeentenError(ValueError):
    """gemeenten.yaml is not usable; the message says why, in Dutch."""


class Opheffing(NamedTuple):
    """An abolished municipality: its name, what replaced it and from when.

    A municipality that was divided over several (Winsum 2019, Haaren 2021) has all their
    codes in `nieuwe_code`, joined by ", ", and their names in `nieuwe_naam`, joined by ", " and
    " en "; `nieuwe_codes` gives the codes one by one.
    """

    naam: str
    nieuwe_code: str
    nieuwe_naam: str
    datum: dt.date

    @property
    def nieuwe_codes(self) -> tuple[str, ...]:
        """The code(s) of the municipality or municipalities it went into."""
        return tuple(self.nieuwe_code.split(", "))


class _Lijst(NamedTuple):
    peildatum: dt.date
    bron: Mapping[str, str]
    namen: Mapping[str, str]  # code -> CBS name
    ook: Mapping[str, tuple[str, ...]]  # code -> other names
    opgeheven: Mapping[str, tuple[str, tuple[str, ...], dt.date]]  # code -> (naam, nieuw, datum)
    index: Mapping[str, str]  # normalised name -> current code
    index_opgeheven: Mapping[str, str]  # normalised name -> abolished code


def normaliseer(tekst: str) -> str:
    """A name in the form used for matching.

    Lower case, accents removed (Súdwest-Fryslân = sudwest fryslan), quotes dropped
    ('s-Gravenhage = s gravenhage), hyphens, dots, commas and brackets read as spaces, runs of
    spaces as one, and a leading "gemeente " dropped.
    """
    tekst = unicodedata.normalize("NFKD", tekst)
    tekst = "".join(c for c in tekst if not unicodedata.combining(c)).casefold()
    tekst = re.sub(r"['\u2018\u2019`\u00b4\"]", "", tekst)
    tekst = re.sub(r"[-\u2010-\u2015_.,()/]", " ", tekst)
    tekst = " ".join(tekst.split())
    return tekst.removeprefix("gemeente ")


def _datum(waarde: Any, waar: str) -> dt.date:
    if isinstance(waarde, dt.date):
        return waarde
    try:
        return dt.date.fromisoformat(str(waarde))
    except ValueError:
        raise GemeentenError(f"{waar}: '{waarde}' is geen datum (JJJJ-MM-DD)") from None


def _lees(path: Path = GEMEENTEN_FILE) -> _Lijst:
    """Read and check gemeenten.yaml; raise GemeentenError on any problem."""
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_LOADER)  # libyaml: a tenth of the time
    except (OSError, yaml.YAMLError) as fout:
        raise GemeentenError(f"{path.name} is niet te lezen: {fout}") from None
    if not isinstance(doc, dict):
        raise GemeentenError(f"{path.name}: verwacht een mapping met peildatum, bron, gemeenten")
    peildatum = _datum(doc.get("peildatum"), "peildatum")
    bron = doc.get("bron") or {}
    if not isinstance(bron, dict) or not bron.get("titel") or not bron.get("url"):
        raise GemeentenError(f"{path.name}: bron heeft een titel en een url nodig")

    namen: dict[str, str] = {}
    ook: dict[str, tuple[str, ...]] = {}
    for code, rij in (doc.get("gemeenten") or {}).items():
        if not isinstance(rij, dict) or not isinstance(rij.get("naam"), str):
            raise GemeentenError(f"gemeenten.{code}: naam ontbreekt")
        namen[str(code)] = rij["naam"]
        ook[str(code)] = tuple(rij.get("ook") or ())

    opgeheven: dict[str, tuple[str, tuple[str, ...], dt.date]] = {}
    for code, rij in (doc.get("opgeheven") or {}).items():
        if not isinstance(rij, dict) or not rij.get("naam") or not rij.get("opgegaan_in"):
            raise GemeentenError(f"opgeheven.{code}: naam en opgegaan_in zijn verplicht")
        nieuw = rij["opgegaan_in"]
        nieuw = (nieuw,) if isinstance(nieuw, str) else tuple(nieuw)
        opgeheven[str(code)] = (rij["naam"], nieuw, _datum(rij.get("datum"), f"opgeheven.{code}.datum"))

    index, index_opgeheven = _check(namen, ook, opgeheven)
    return _Lijst(peildatum, MappingProxyType(dict(bron)), MappingProxyType(namen), MappingProxyType(ook),
                  MappingProxyType(opgeheven), MappingProxyType(index), MappingProxyType(index_opgeheven))


def _check(namen: dict[str, str], ook: dict[str, tuple[str, ...]],
           opgeheven: dict[str, tuple[str, tuple[str, ...], dt.date]]) -> tuple[dict[str, str], dict[str, str]]:
    """Check codes and names; return the name indexes (current and abolished)."""
    problemen: list[str] = []
    for code in [*namen, *opgeheven]:
        if not CODE_RE.fullmatch(code):
            problemen.append(f"{code}: geen CBS-code (GM gevolgd door vier cijfers)")
        elif FICTIEF_RE.fullmatch(code):
            problemen.append(f"{code}: het CBS gebruikt geen gemeentecodes vanaf GM9000 (fictief)")
    for code in set(namen) & set(opgeheven):
        problemen.append(f"{code}: staat zowel bij gemeenten als bij opgeheven")
    for code, (_naam, nieuw, _datum) in opgeheven.items():
        for doel in nieuw:
            if doel not in namen:
                problemen.append(f"opgeheven.{code}: opgegaan_in {doel} is geen gemeente op de peildatum")

    index: dict[str, str] = {}
    for code, naam in namen.items():
        for variant in (naam, *ook[code]):
            sleutel = normaliseer(variant)
            if index.setdefault(sleutel, code) != code:
                problemen.append(f"{code}: de naam '{variant}' hoort ook bij {index[sleutel]}")
    index_opgeheven: dict[str, str] = {}
    for code, (naam, _nieuw, _datum) in opgeheven.items():
        sleutel = normaliseer(naam)
        if sleutel not in index:  # a current name always wins
            index_opgeheven.setdefault(sleutel, code)
    if problemen:
        raise GemeentenError("gemeenten.yaml klopt niet:\n" + "\n".join(f"  - {p}" for p in problemen))
    return index, index_opgeheven


_LIJST = _lees()

PEILDATUM: dt.date = _LIJST.peildatum
"""The reference date of the list (1 January of its year)."""
BRON: Mapping[str, str] = _LIJST.bron
"""The source of the list: {'titel': ..., 'url': ...}."""
GEMEENTEN: Mapping[str, str] = _LIJST.namen
"""Every municipality on the reference date: code -> name as CBS writes it (read-only)."""


def _code(code: object) -> str:
    return str(code).strip().upper() if code is not None else ""


def bestaat(code: object) -> bool:
    """True if `code` (GM + four digits, any case) is a municipality on the reference date."""
    return _code(code) in _LIJST.namen


def naam(code: object) -> str | None:
    """The CBS name of the municipality with this code, or None if there is none."""
    return _LIJST.namen.get(_code(code))


def ook(code: object) -> tuple[str, ...]:
    """The other names of the municipality with this code ("Den Haag" for 's-Gravenhage)."""
    return _LIJST.ook.get(_code(code), ())


def opgeheven(code: object) -> Opheffing | None:
    """For a municipality abolished since 1 January 2019: (naam, nieuwe code, nieuwe naam, datum).

    None if the code was not abolished in that period (a current code, or an unknown one).
    """
    rij = _LIJST.opgeheven.get(_code(code))
    if rij is None:
        return None
    oude_naam, nieuw, datum = rij
    namen = [_LIJST.namen[c] for c in nieuw]
    nieuwe_naam = namen[0] if len(namen) == 1 else ", ".join(namen[:-1]) + " en " + namen[-1]
    return Opheffing(oude_naam, ", ".join(nieuw), nieuwe_naam, datum)


def datum_tekst(datum: dt.date) -> str:
    """A date in Dutch: 24 maart 2022."""
    return f"{datum.day} {_MAANDEN[datum.month - 1]} {datum.year}"


def melding_opgeheven(code: object) -> str | None:
    """The Dutch sentence for an abolished code, or None if the code was not abolished.

    "GM0457 (Weesp) bestaat niet meer: op 24 maart 2022 opgegaan in GM0363 (Amsterdam)."
    A municipality divided over several gets "verdeeld over GM1966 (...) en GM1969 (...)".
    """
    oud = opgeheven(code)
    if oud is None:
        return None
    doelen = [f"{c} ({_LIJST.namen[c]})" for c in oud.nieuwe_codes]
    if len(doelen) == 1:
        wat = f"opgegaan in {doelen[0]}"
    else:
        wat = "verdeeld over " + ", ".join(doelen[:-1]) + " en " + doelen[-1]
    return f"{_code(code)} ({oud.naam}) bestaat niet meer: op {datum_tekst(oud.datum)} {wat}."


def _lookup(tekst: object, codes, names: dict[str, str]) -> str | None:
    """A code in `codes` given as a code (any case, spaces ignored) or as a name in `names`."""
    if tekst is None:
        return None
    tekst = str(tekst).strip()
    code = tekst.replace(" ", "").upper()
    if CODE_RE.fullmatch(code):
        return code if code in codes else None
    return names.get(normaliseer(tekst))


def zoek(tekst: object) -> str | None:
    """The code of a current municipality, given its code, CBS name or other name.

    Codes match in any case ("gm0150"); names match without regard to case, accents, quotes,
    hyphens or extra spaces ("s-gravenhage", "Den  Haag", "sudwest fryslan"). None if nothing
    matches, also for an abolished code or name (see `zoek_opgeheven`).
    """
    return _lookup(tekst, _LIJST.namen, _LIJST.index)


def zoek_opgeheven(tekst: object) -> str | None:
    """The code of a municipality abolished since 2019, given its code or name; else None."""
    return _lookup(tekst, _LIJST.opgeheven, _LIJST.index_opgeheven)


def suggestie(tekst: object) -> str | None:
    """The real municipality name nearest to `tekst` (difflib), for "bedoelde u ...?".

    Returns the name as it matched: the CBS name, or an other name ("Den Haag") if that was
    nearer. None if nothing is close enough, or if `tekst` looks like a code.
    """
    if tekst is None:
        return None
    sleutel = normaliseer(str(tekst))
    if not sleutel or CODE_RE.fullmatch(str(tekst).replace(" ", "").upper()):
        return None
    varianten = {normaliseer(v): v for c, n in _LIJST.namen.items() for v in (n, *_LIJST.ook[c])}
    beste = difflib.get_close_matches(sleutel, list(varianten), n=1, cutoff=0.75)
    return varianten[beste[0]] if beste else None


def is_fictief_code(code: object) -> bool:
    """True for GM9000-GM9999: the codes of fictitious data (fictief: ja).

    The CBS municipal classification uses none of them (checked when the list is read). Note
    that CBS does use GM9001-GM9003 for Bonaire, Sint Eustatius and Saba in tables on the
    Caribbean Netherlands; they are no municipalities, so they count as fictitious here too.
    """
    return bool(FICTIEF_RE.fullmatch(_code(code)))
