"""Stage 3: the verwijswijzer. From a short profile of a help seeker to where to refer, and how.

This module is the one place where the matching happens. The command line (`ketenkaart verwijs`)
asks it for one profile; the build asks it for every profile of every municipality and writes the
answers into a compact JSON file per municipality that the page only looks up. Both go through
the same function, `_Engine.run`, so the page and the command line cannot disagree.

The profile
-----------
Every question may be skipped ("weet ik niet"):

* the four axes of the infosheet: leerbaarheid, problematiek, schulden, vertrouwen;
* urgent: a threatening situation (eviction, cut-off of energy or water, cancelled health
  insurance); not urgent and "don't know" are the same answer;
* doelgroepen: any of ouderen, jongeren, lvb, laaggeletterd, ondernemer;
* fase: the phase the help seeker is in.

Which organisations are candidates
----------------------------------
The local organisations of the municipality, except early-signal partners (``soort:
signaalpartner``) and organisations whose only service is early signalling: nobody is referred to
them. National organisations are matched the same way for the fallback list ``landelijk``.

Every answer is scored per organisation, on its own (``_bijdrage``):

==============================================  ==========  ===================================
Answer                                          Effect      Reason shown (redenen / let_op)
==============================================  ==========  ===================================
axis value the organisation does not serve      ruled out   let_op: "Past niet bij ..." (only
                                                            shown when spoed overrules, below)
axis value, organisation serves only some       +2          "Gericht op hulpvragers met dit
values of that axis (it specialises)                        kenmerk: ..."
axis value, organisation serves every value     0           (none)
axis skipped, organisation serves only some     0           let_op: "Alleen voor hulpvragers
values                                                      met: ..."
schulden = problematisch and the organisation   +1          "Richt zich op de doelgroep ..."
has doelgroep problematische-schulden
leerbaarheid = minder-leerbaar and the          +1          "Biedt langdurige steun ..."
organisation supports long-term (duur:                      (infosheet: less able learners
langdurig)                                                  need long-term support)
doelgroep chosen and the organisation has it    +2          "Richt zich op de doelgroep ..."
fase chosen, organisation works in it           +1          "Werkt in de fase ..."
fase chosen, organisation does not work in it   ruled out   let_op: "Werkt niet in de fase ..."
urgent and the organisation handles spoed       priority    "Helpt bij spoed ..."
==============================================  ==========  ===================================

Two scores come from the chain file rather than from one answer:

* +2 for the last organisation of the route the chain prescribes for these answers, when that
  route has a condition (voorwaarde) that the answers meet ("De keten stuurt ... hierheen");
* +1 for the central access point of the chain ("Centraal toegangspunt ...").

Ranking: organisations with priority (urgent and spoed) come first and are never ruled out, since
a threatening situation cannot wait; then the highest score; then the name. An organisation
without any reason gets "Geen van uw antwoorden sluit deze organisatie uit". At most
``MAX_ORGANISATIES`` are listed; ``meer_organisaties`` counts the others that fit. A national
organisation with its own target groups (for example Stichting Lezen en Schrijven) is listed
only when one of those groups was chosen: it is a fallback, not a general address.

Route: of the chain's routes whose condition the answers meet, the most specific one (most
conditions; on a tie the first in the chain file); a route without condition always applies.
Without any route, the central access point is the route. Each step says whether the handover
into it is warm (the route says ``warm: ja`` or the referral between the two is warm). When the
last step refers (``verwijst``) to the organisations that fit best, they are the next step
(``vervolg``); when exactly one fits best, the route continues to it.

Gap (``gat``): when no local organisation that gives help itself (more than registration,
walk-in hours, coordination or early signalling) fits, the answer says so, names the answers that
no local organisation serves, and points to the national services and to the chain's director.
It says so too when the situation is urgent but nobody in the chain is recorded as handling
spoed.

Termijn: Wgs art. 4: the first conversation within 3 working days in a threatening situation,
otherwise within 4 weeks. Instrumenten: the Signaallijst financiën LVB when an LVB is suspected,
the Basismeter for low literacy, Mesis when there are debts.

The page file
-------------
There are 3 x 3 x 4 x 3 x 2 x 2^5 x 7 = 48,384 profiles. The build computes the answer for each
with numpy, all at once: the options of a question that contribute alike to every organisation and
rule are computed once (``_Engine.option_classes``). The answer consists of parts (organisaties,
route, gat, termijn, instrumenten, landelijk). For each part the build then finds which questions,
and which values of a question, make a difference in this municipality; only those span its
lookup table. Each part's answers are stored once (``waarden``) and the table (``index``) holds,
per profile, the number of the answer as a fixed-width base-64 code. Organisations, texts and
listed entries are stored once and referred to by number. `page_data` documents the format;
``site_templates/assets/verwijswijzer.js`` reads it and `read_page` is the same reader in Python.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import networkx as nx
import numpy as np

from generator import urls
from generator.model import Dataset, Keten, Organisatie, Route
from generator.domain.vocab import Vocabulary, in_zin, load_vocabulary

SKIP = ""  # the option value for a skipped question ("weet ik niet")
JA = "ja"
AXES = ("leerbaarheid", "problematiek", "schulden", "vertrouwen")
PROFIEL_DOELGROEPEN = ("ouderen", "jongeren", "lvb", "laaggeletterd", "ondernemer")
MAX_ORGANISATIES = 8
MAX_LANDELIJK = 5
FORMAT_VERSION = 1

# Services that bring a help seeker in or coordinate, without giving help themselves.
WEGWIJS_DIENSTEN = frozenset({"aanmelding", "regie", "inloopspreekuur", "vroegsignalering"})
SIGNAAL_DIENSTEN = frozenset({"vroegsignalering"})

PUNTEN_SPECIALISATIE = 2
PUNTEN_DOELGROEP = 2
PUNTEN_BIJ_DOELGROEP = 1
PUNTEN_LANGDURIG = 1
PUNTEN_FASE = 1
PUNTEN_ROUTE = 2
PUNTEN_TOEGANGSPUNT = 1

REDEN_GEEN = "Geen van uw antwoorden sluit deze organisatie uit."
REDEN_SPOED = "Helpt bij spoed, zoals een dreigende huisuitzetting of afsluiting van energie of water."
REDEN_LANGDURIG = "Biedt langdurige steun; dat past bij een hulpvrager die minder leerbaar is."

WGS_BRON = "Wet gemeentelijke schuldhulpverlening (Wgs), artikel 4"
WGS_PAGINA = "kennisbank/wettelijk-kader/#termijnen"
TERMIJN_SPOED = {
    "termijn": "3 werkdagen",
    "uitleg": ("Er is een dreigende situatie: een huisuitzetting, afsluiting van gas, elektriciteit, "
               "stadsverwarming of water, of opzegging van de zorgverzekering. Dan vindt het eerste "
               "gesprek met de gemeente binnen 3 werkdagen na de aanmelding plaats."),
    "bron": WGS_BRON,
    "pagina": WGS_PAGINA,
}
TERMIJN_GEWOON = {
    "termijn": "4 weken",
    "uitleg": ("Het eerste gesprek met de gemeente vindt binnen 4 weken na de aanmelding plaats. "
               "Is er een dreigende situatie, zoals een huisuitzetting of afsluiting, dan binnen "
               "3 werkdagen. Na het eerste gesprek beslist de gemeente binnen 8 weken."),
    "bron": WGS_BRON,
    "pagina": WGS_PAGINA,
}


@dataclass(frozen=True)
class Instrument:
    """A screening instrument and when it is worth using (the infosheet's list)."""

    naam: str
    pagina: str  # site path of the guidance page (content/instrumenten/*.md)
    reden: str


SIGNAALLIJST = Instrument(
    "Signaallijst financiën LVB", "instrumenten/signaallijst-lvb/",
    "U vermoedt een licht verstandelijke beperking. De signaallijst geeft zicht op de geldzaken "
    "van iemand met een LVB.")
BASISMETER = Instrument(
    "Basismeter", "instrumenten/basismeter/",
    "De hulpvrager heeft moeite met lezen, schrijven of rekenen. De Basismeter geeft een eerste "
    "indruk of steun bij taal, rekenen of digitale vaardigheden nodig is.")
MESIS = Instrument(
    "Mesis", "instrumenten/mesis/",
    "Er zijn schulden. Mesis helpt in te schatten of iemand na de hulp zonder schulden kan "
    "blijven, en wat daarvoor nodig is.")
MESIS_LEERBAARHEID = " Mesis kijkt ook naar leerbaarheid, die u nog niet kon invullen."


# -- the profile ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Profiel:
    """A help seeker's answers; None (or False, or empty) means the question was skipped."""

    leerbaarheid: str | None = None
    problematiek: str | None = None
    schulden: str | None = None
    vertrouwen: str | None = None
    urgent: bool = False
    doelgroepen: frozenset[str] = frozenset()
    fase: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "leerbaarheid": self.leerbaarheid, "problematiek": self.problematiek,
            "schulden": self.schulden, "vertrouwen": self.vertrouwen, "urgent": self.urgent,
            "doelgroepen": [d for d in PROFIEL_DOELGROEPEN if d in self.doelgroepen],
            "fase": self.fase,
        }


@dataclass(frozen=True)
class Vraag:
    """One question as a dimension of the profile space. Option 0 is always SKIP."""

    sleutel: str  # 'urgent', an axis, 'doelgroep.<term>' or 'fase'
    opties: tuple[str, ...]

    @property
    def soort(self) -> str:
        if self.sleutel.startswith("doelgroep."):
            return "doelgroep"
        return "as" if self.sleutel in AXES else self.sleutel

    @property
    def term(self) -> str:
        return self.sleutel.partition(".")[2] if self.soort == "doelgroep" else self.sleutel

    def optie(self, profiel: Profiel) -> int:
        if self.soort == "urgent":
            value = JA if profiel.urgent else SKIP
        elif self.soort == "doelgroep":
            value = JA if self.term in profiel.doelgroepen else SKIP
        else:
            value = getattr(profiel, self.sleutel) or SKIP
        try:
            return self.opties.index(value)
        except ValueError:
            raise ValueError(f"onbekende waarde {value!r} voor {self.sleutel}") from None


def vragen(vocab: Vocabulary | None = None) -> tuple[Vraag, ...]:
    """The questions in the order of the profile space (and of the page's lookup tables)."""
    vocab = vocab or load_vocabulary()
    result = [Vraag("urgent", (SKIP, JA))]
    result += [Vraag(axis, (SKIP, *vocab.axes[axis].terms)) for axis in AXES]
    result += [Vraag(f"doelgroep.{d}", (SKIP, JA)) for d in PROFIEL_DOELGROEPEN]
    result.append(Vraag("fase", (SKIP, *vocab["fasen"].terms)))
    return tuple(result)


def keuzes(vocab: Vocabulary | None = None) -> dict[str, tuple[str, ...]]:
    """Valid values per question, for the command line and the form."""
    vocab = vocab or load_vocabulary()
    result = {axis: tuple(vocab.axes[axis].terms) for axis in AXES}
    result["doelgroep"] = PROFIEL_DOELGROEPEN
    result["fase"] = tuple(vocab["fasen"].terms)
    return result


def alle_profielen(vocab: Vocabulary | None = None) -> list[Profiel]:
    """Every profile, in the order of the profile space."""
    qs = vragen(vocab)
    return [_profiel_uit_opties(qs, combo) for combo in itertools.product(*(range(len(q.opties)) for q in qs))]


def _profiel_uit_opties(qs: Sequence[Vraag], combo: Sequence[int]) -> Profiel:
    values = {q.sleutel: q.opties[i] for q, i in zip(qs, combo)}
    return Profiel(
        **{axis: values[axis] or None for axis in AXES},
        urgent=values["urgent"] == JA,
        doelgroepen=frozenset(d for d in PROFIEL_DOELGROEPEN if values[f"doelgroep.{d}"] == JA),
        fase=values["fase"] or None,
    )


# -- per answer, per organisation -------------------------------------------------------------------

@dataclass(frozen=True)
class Bijdrage:
    """What one answer does to one organisation (see the table in the module docstring)."""

    uit: bool = False
    voorrang: bool = False
    punten: int = 0
    redenen: tuple[str, ...] = ()
    let_op: str | None = None
    doelgroep: bool = False  # the answer matched one of the organisation's target groups


def _of(words: Iterable[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " of " + words[-1]


def _bijdrage(org: Organisatie, vraag: Vraag, optie: str, vocab: Vocabulary) -> Bijdrage:
    soort = vraag.soort
    if soort == "urgent":
        return Bijdrage(voorrang=True, redenen=(REDEN_SPOED,)) if optie == JA and org.spoed else Bijdrage()
    if soort == "as":
        axis = vocab.axes[vraag.sleutel]
        served = org.profielen[vraag.sleutel]
        specialised = len(served) < len(axis.terms)
        if optie == SKIP:
            if specialised:
                labels = _of(in_zin(axis.terms[v].label) for v in served)
                return Bijdrage(let_op=f"Alleen voor hulpvragers met: {labels} ({in_zin(axis.label)}).")
            return Bijdrage()
        label = in_zin(axis.terms[optie].label)
        if optie not in served:
            return Bijdrage(uit=True, let_op=f"Past niet bij uw antwoord: {label} ({in_zin(axis.label)}).")
        punten, redenen = 0, []
        if specialised:
            punten += PUNTEN_SPECIALISATIE
            redenen.append(f"Gericht op hulpvragers met dit kenmerk: {label}.")
        matched_group = False
        if vraag.sleutel == "schulden" and optie == "problematisch" and "problematische-schulden" in org.doelgroepen:
            punten += PUNTEN_BIJ_DOELGROEP
            matched_group = True
            redenen.append(f"Richt zich op de doelgroep ‘{vocab.label('doelgroepen', 'problematische-schulden')}’.")
        if vraag.sleutel == "leerbaarheid" and optie == "minder-leerbaar" and org.duur == "langdurig":
            punten += PUNTEN_LANGDURIG
            redenen.append(REDEN_LANGDURIG)
        return Bijdrage(punten=punten, redenen=tuple(redenen), doelgroep=matched_group)
    if soort == "doelgroep":
        if optie == JA and vraag.term in org.doelgroepen:
            return Bijdrage(punten=PUNTEN_DOELGROEP, doelgroep=True,
                            redenen=(f"Richt zich op de doelgroep ‘{vocab.label('doelgroepen', vraag.term)}’.",))
        return Bijdrage()
    if soort == "fase":
        if optie == SKIP:
            return Bijdrage()
        label = in_zin(vocab.label("fasen", optie))
        if optie in org.fasen:
            return Bijdrage(punten=PUNTEN_FASE, redenen=(f"Werkt in de fase: {label}.",))
        return Bijdrage(uit=True, let_op=f"Werkt niet in de fase: {label}.")
    raise ValueError(vraag.sleutel)


def verwijsbaar(org: Organisatie) -> bool:
    """Can a help seeker be referred to this organisation at all?"""
    return org.soort != "signaalpartner" and not set(org.diensten) <= SIGNAAL_DIENSTEN


def helpt_zelf(org: Organisatie) -> bool:
    """Does the organisation give help itself, beyond registration, walk-in hours or coordination?"""
    return not set(org.diensten) <= WEGWIJS_DIENSTEN


# -- the engine: every profile at once, with numpy -------------------------------------------------

# The contributions of all answers to one organisation are added up as one int64 per profile:
# bits 0-7 the points, 8-11 how many answers rule it out, 12 priority, 13-15 how many answers
# matched one of its target groups, from bit 16 on the number that identifies its texts.
_PUNTEN, _UIT, _VOORRANG, _DOELGROEP, _CODE = 0, 8, 12, 13, 16


class _Tabel:
    """Per question and option, the contribution to each candidate organisation, as arrays."""

    def __init__(self, orgs: list[Organisatie], qs: Sequence[Vraag], vocab: Vocabulary):
        self.orgs = orgs
        n = len(orgs)
        self.packed: list[np.ndarray] = []  # per question: (options, organisations)
        self.uit: list[np.ndarray] = []  # per question: (options, organisations), for the gap
        self.klassen: list[list[list[tuple[tuple[str, ...], str | None]]]] = []  # [q][org] -> class -> texts
        self.radix = np.ones((len(qs), n), dtype=np.int64)
        contributions = [[[_bijdrage(org, q, optie, vocab) for org in orgs] for optie in q.opties] for q in qs]
        klasse = []
        for qi, q in enumerate(qs):
            k = np.zeros((len(q.opties), n), dtype=np.int64)
            per_org = []
            for oi in range(n):
                seen: list[tuple[tuple[str, ...], str | None]] = []
                for vi in range(len(q.opties)):
                    b = contributions[qi][vi][oi]
                    texts = (b.redenen, b.let_op)
                    if texts not in seen:
                        seen.append(texts)
                    k[vi, oi] = seen.index(texts)
                per_org.append(seen)
                self.radix[qi, oi] = len(seen)
            klasse.append(k)
            self.klassen.append(per_org)
        # mixed-radix multipliers: an organisation's texts for a profile become one integer
        self.mult = np.ones((len(qs), n), dtype=np.int64)
        for qi in range(1, len(qs)):
            self.mult[qi] = self.mult[qi - 1] * self.radix[qi - 1]
        self.totaal = self.mult[-1] * self.radix[-1] if len(qs) else np.ones(n, dtype=np.int64)
        for qi, q in enumerate(qs):
            rows = contributions[qi]
            field = lambda attr: np.array([[getattr(b, attr) for b in row] for row in rows], dtype=np.int64).reshape(len(q.opties), n)
            self.uit.append(field("uit").astype(bool))
            self.packed.append((field("punten") << _PUNTEN) + (field("uit") << _UIT) + (field("voorrang") << _VOORRANG)
                               + (field("doelgroep") << _DOELGROEP) + ((klasse[qi] * self.mult[qi]) << _CODE))
        names = sorted(range(n), key=lambda i: (orgs[i].naam.casefold(), orgs[i].id))
        self.naamrang = np.empty(n, dtype=np.int64)
        self.naamrang[names] = np.arange(n)

    def combine(self, P: np.ndarray, grid: Sequence[Sequence[int]] | None = None):
        """Add up the contributions for profiles P (rows of option numbers).

        When P is the product of the options in `grid` (one list per question) in row-major order,
        the sums are built question by question over that product, which is much faster.
        Returns (ruled out, priority, target group matched, points, text code), each (profiles, orgs).
        """
        n = len(self.orgs)
        if grid is not None:
            total = np.zeros((1, n), dtype=np.int64)
            for table, options in zip(self.packed, grid):
                total = (total[:, None, :] + table[list(options)][None, :, :]).reshape(total.shape[0] * len(options), n)
        else:
            total = np.zeros((P.shape[0], n), dtype=np.int64)
            for qi, table in enumerate(self.packed):
                total += table[P[:, qi]]
        return (((total >> _UIT) & 15) > 0, ((total >> _VOORRANG) & 1) > 0, ((total >> _DOELGROEP) & 7) > 0,
                (total >> _PUNTEN) & 255, total >> _CODE)

    def teksten(self, oi: int, code: int, qs: Sequence[Vraag]) -> tuple[list[str], list[str]]:
        """Reasons and warnings (per question, in question order) encoded in one code."""
        redenen_per_vraag, let_op = [], []
        for qi in range(len(qs)):
            k = (code // int(self.mult[qi, oi])) % int(self.radix[qi, oi])
            redenen, waarschuwing = self.klassen[qi][oi][k]
            redenen_per_vraag.append(list(redenen))
            if waarschuwing:
                let_op.append(waarschuwing)
        return redenen_per_vraag, let_op


@dataclass(frozen=True)
class _Zinnen:
    """The gap statement as separate sentences (stored once each in the page file)."""

    zinnen: tuple[str, ...]


@dataclass(frozen=True)
class _Lijst:
    """Listed organisations as keys into _Engine.items[tabel], and how many more fit."""

    tabel: str
    keys: tuple[int, ...]
    meer: int = 0


def _rank(score: np.ndarray, included: np.ndarray, naamrang: np.ndarray, limit: int):
    """Column order per row: included first, by score (high first), then by name."""
    n = score.shape[1]
    key = np.where(included, score * (n + 1) + (n - naamrang), -1)
    order = np.argsort(-key, axis=1, kind="stable")[:, :limit]
    shown = np.take_along_axis(included, order, axis=1)
    return np.where(shown, order, -1)


def _unique_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows and, per row, the number of its distinct row.

    The columns are folded into one int64 key per row (mixed radix over each column's range),
    renumbering the key whenever the next column would not fit.
    """
    rows = matrix.shape[0]
    matrix = matrix.reshape(rows, -1).astype(np.int64)
    key = np.zeros(rows, dtype=np.int64)
    radix = 1
    for column in matrix.T:
        low = int(column.min(initial=0))
        span = int(column.max(initial=0)) - low + 1
        if span > 1 << 24:
            _, column = np.unique(column, return_inverse=True)
            column, low, span = column.reshape(-1), 0, int(column.max(initial=0)) + 1
        if radix * span >= 1 << 62:
            _, key = np.unique(key, return_inverse=True)
            key = key.reshape(-1)
            radix = int(key.max(initial=0)) + 1
        key = key * span + (column - low)
        radix *= span
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return matrix[first], inverse.reshape(-1)


SCORE_VOORRANG = 10_000  # priority (spoed) outranks any number of points


class _Engine:
    """The matching for one municipality: every part of the answer for many profiles at once."""

    def __init__(self, dataset: Dataset, graph: nx.MultiDiGraph, keten: Keten, vocab: Vocabulary | None = None):
        self.ds, self.graph, self.keten = dataset, graph, keten
        self.vocab = vocab or load_vocabulary()
        self.qs = vragen(self.vocab)
        self.qindex = {q.sleutel: i for i, q in enumerate(self.qs)}
        local = [o for o in dataset.in_gemeente(keten.cbs) if verwijsbaar(o)]
        national = [o for o in dataset.landelijke() if verwijsbaar(o)]
        self.lokaal = _Tabel(local, self.qs, self.vocab)
        self.landelijk = _Tabel(national, self.qs, self.vocab)
        self.helper = np.array([helpt_zelf(o) for o in local], dtype=bool)
        self.spoed = np.array([o.spoed for o in local], dtype=bool)
        self.bonus = np.array([PUNTEN_TOEGANGSPUNT if o.id == keten.toegang else 0 for o in local], dtype=np.int64)
        self.lokaal_index = {o.id: i for i, o in enumerate(local)}
        self.routes = keten.routes
        self.items: dict[str, dict[int, dict]] = {}  # listed organisations by table and key, filled by run

    def fragment(self, name: str, value) -> dict:
        """One part of the plain answer: lists of organisations are kept as keys until here."""
        if name == "organisaties":
            return {"organisaties": [self.items["lokaal"][k] for k in value.keys], "meer_organisaties": value.meer}
        if name == "landelijk":
            return {"landelijk": [self.items["landelijk"][k] for k in value.keys]}
        if name == "gat":
            return {"gat": " ".join(value.zinnen) or None}
        return value

    # -- parts ---------------------------------------------------------------------------------------
    def _route_choice(self, P: np.ndarray) -> np.ndarray:
        """Index of the route that applies per profile, -1 when none does."""
        if not self.routes:
            return np.full(P.shape[0], -1, dtype=np.int64)
        spec = np.empty((P.shape[0], len(self.routes)), dtype=np.int64)
        for ri, route in enumerate(self.routes):
            applies = np.ones(P.shape[0], bool)
            for key, values in route.voorwaarde.items():
                if key == "spoed":
                    q = self.qindex["urgent"]
                    applies &= (P[:, q] == 1) == (JA in values)
                else:
                    q = self.qindex[key]
                    allowed = np.array([opt in values for opt in self.qs[q].opties])
                    applies &= allowed[P[:, q]]
            spec[:, ri] = np.where(applies, len(route.voorwaarde), -1)
        choice = np.argmax(spec, axis=1)
        return np.where(spec[np.arange(P.shape[0]), choice] >= 0, choice, -1)

    def option_classes(self) -> list[list[int]]:
        """Per question, a class per option: options in one class give the same answer in every part.

        Two options are alike when they contribute the same to every organisation (points, ruled
        out, priority, target group, texts), meet the same route conditions, and no other rule
        below reads the option itself: the questions in EXACT are read directly (termijn,
        instrumenten), and an answer that no helping organisation serves is named in the gap.
        Any new rule in `run` that reads P directly must be reflected here.
        """
        exact = {"urgent", "leerbaarheid", "schulden", "doelgroep.lvb", "doelgroep.laaggeletterd"}
        helpers = self.helper
        result = []
        for qi, q in enumerate(self.qs):
            served = (~self.lokaal.uit[qi])[:, helpers].any(axis=1)
            signatures: list[tuple] = []
            classes = []
            for opt, value in enumerate(q.opties):
                routes = tuple(value in r.voorwaarde[q.sleutel] if q.sleutel in r.voorwaarde
                               else (value == JA) == (JA in r.voorwaarde["spoed"]) if q.sleutel == "urgent" and "spoed" in r.voorwaarde
                               else None for r in self.routes)
                named = opt if (q.sleutel in exact or (q.soort in ("as", "fase") and opt > 0 and not served[opt]
                                                        and helpers.any())) else -1
                signature = (self.lokaal.packed[qi][opt].tobytes(), self.landelijk.packed[qi][opt].tobytes(), routes, named)
                if signature not in signatures:
                    signatures.append(signature)
                classes.append(signatures.index(signature))
            result.append(classes)
        return result

    def run(self, P: np.ndarray, grid: Sequence[Sequence[int]] | None = None) -> dict[str, tuple[np.ndarray, list]]:
        """For profiles P (rows of option numbers), per part: the answer number per row and the answers.

        `grid` (see _Tabel.combine) tells that P is a product of options, for speed.
        """
        rows = P.shape[0]
        T = self.lokaal
        n = len(T.orgs)
        uit, voorrang, _dg, punten, code = T.combine(P, grid)
        punten = punten + self.bonus
        route = self._route_choice(P)
        # +2 for the end of a conditional route that applies; its reason names the route
        for ri, r in enumerate(self.routes):
            end = self.lokaal_index.get(r.stappen[-1]) if r.stappen else None
            if r.voorwaarde and end is not None:
                hit = route == ri
                punten[hit, end] += PUNTEN_ROUTE
                code[hit, end] += (ri + 1) * T.totaal[end]
        included = ~uit | voorrang
        score = voorrang * SCORE_VOORRANG + punten
        order = _rank(score, included, T.naamrang, n)
        shown = order[:, :MAX_ORGANISATIES]
        meer = np.maximum(included.sum(axis=1) - MAX_ORGANISATIES, 0)

        parts: dict[str, tuple[np.ndarray, list]] = {}
        # organisaties: (org, code) per listed position, plus how many more fit
        item_keys = np.where(shown >= 0, np.take_along_axis(code, np.maximum(shown, 0), axis=1) * n + shown, -1)
        values, inverse = _unique_rows(np.column_stack([item_keys, meer]))
        self.items["lokaal"] = {int(k): self._item(T, int(k)) for k in np.unique(values[:, :-1]) if k >= 0}
        parts["organisaties"] = (inverse, [_Lijst("lokaal", tuple(int(k) for k in row[:-1] if k >= 0), int(row[-1]))
                                           for row in values])

        # route: the chosen route and the best-fitting organisations its last step refers to
        if n:
            top = np.where(order[:, 0] >= 0, np.take_along_axis(score, np.maximum(order[:, :1], 0), axis=1)[:, 0], -1)
        else:
            top = np.full(rows, -1, dtype=np.int64)
        succ = np.zeros((len(self.routes) + 1, n), bool)  # last row: no route (access point only)
        for ri, steps in enumerate(self._route_steps()):
            if steps:
                for _u, v, key in self.graph.out_edges(steps[-1], keys=True):
                    if key == "verwijst" and v in self.lokaal_index and v not in steps:
                        succ[ri, self.lokaal_index[v]] = True
        vervolg = succ[route] & included & (score == top[:, None]) & (score > 0)
        values, inverse = _unique_rows(np.column_stack([route, vervolg]))
        parts["route"] = (inverse, [self._route_value(int(row[0]), row[1:]) for row in values])

        # gat: no local organisation that helps itself fits; which answers nobody serves
        served = [(~T.uit[qi])[:, self.helper].any(axis=1) for qi in range(len(self.qs))]
        no_help = ~(included & self.helper).any(axis=1)
        # per question: the chosen option when no helping organisation serves it at all, else 0
        unserved = np.column_stack([
            np.where(no_help & (P[:, qi] > 0) & ~served[qi][P[:, qi]], P[:, qi], 0)
            if self.qs[qi].soort in ("as", "fase") and self.helper.any() else np.zeros(rows, np.int64)
            for qi in range(len(self.qs))
        ])
        urgent = P[:, self.qindex["urgent"]] == 1
        no_spoed = urgent & ~self.spoed.any()
        values, inverse = _unique_rows(np.column_stack([no_help, no_spoed, unserved]))
        parts["gat"] = (inverse, [self._gat_value(row) for row in values])

        values, inverse = _unique_rows(urgent[:, None])
        parts["termijn"] = (inverse, [{"termijn": dict(TERMIJN_SPOED if row[0] else TERMIJN_GEWOON)} for row in values])

        schulden = self.qs[self.qindex["schulden"]]
        debts = np.isin(P[:, self.qindex["schulden"]], [schulden.opties.index(v) for v in ("beperkt", "problematisch")])
        flags = np.column_stack([
            P[:, self.qindex["doelgroep.lvb"]] == 1,
            P[:, self.qindex["doelgroep.laaggeletterd"]] == 1,
            debts,
            debts & (P[:, self.qindex["leerbaarheid"]] == 0),
        ])
        values, inverse = _unique_rows(flags)
        parts["instrumenten"] = (inverse, [self._instrumenten_value(row) for row in values])

        L = self.landelijk
        l_uit, l_voorrang, l_dg, l_punten, l_code = L.combine(P, grid)
        needs_group = np.array([bool(o.doelgroepen) for o in L.orgs], dtype=bool)
        l_included = (~l_uit | l_voorrang) & ~(needs_group & ~l_dg)
        l_score = l_voorrang * SCORE_VOORRANG + l_punten
        l_order = _rank(l_score, l_included, L.naamrang, MAX_LANDELIJK)
        m = len(L.orgs)
        l_keys = np.where(l_order >= 0, np.take_along_axis(l_code, np.maximum(l_order, 0), axis=1) * m + l_order, -1)
        values, inverse = _unique_rows(l_keys)
        self.items["landelijk"] = {int(k): self._item(L, int(k), national=True) for k in np.unique(values) if k >= 0}
        parts["landelijk"] = (inverse, [_Lijst("landelijk", tuple(int(k) for k in row if k >= 0)) for row in values])
        return parts

    # -- turning codes into plain data ----------------------------------------------------------------
    def _route_steps(self) -> list[tuple[str, ...]]:
        steps = [r.stappen for r in self.routes]
        steps.append((self.keten.toegang,) if self.keten.toegang else ())
        return steps

    def _item(self, T: _Tabel, key: int, national: bool = False) -> dict:
        n = len(T.orgs)
        oi, code = key % n, key // n
        org = T.orgs[oi]
        route_nr, code = divmod(code, int(T.totaal[oi]))
        per_vraag, let_op = T.teksten(oi, code, self.qs)
        redenen = list(per_vraag[self.qindex["urgent"]])
        if route_nr:
            redenen.append(f"De keten stuurt hulpvragers met deze antwoorden hierheen: {self.routes[route_nr - 1].naam}.")
        for qi, texts in enumerate(per_vraag):
            if qi != self.qindex["urgent"]:
                redenen += texts
        if not national and org.id == self.keten.toegang:
            redenen.append(f"Centraal toegangspunt van de keten in {self.keten.naam}: hier komen aanmeldingen binnen.")
        return self._org_dict(org, redenen or [REDEN_GEEN], let_op)

    def _org_dict(self, org: Organisatie, redenen: list[str], let_op: list[str]) -> dict:
        return {"id": org.id, "naam": org.naam, "redenen": redenen, "let_op": let_op,
                "toegang": toegang(org, self.vocab), "website": org.website, "pagina": urls.organisatie(org.id)}

    def _handover(self, van: str | None, naar: str, route_warm: bool) -> tuple[bool, str | None]:
        data = self.graph.get_edge_data(van, naar, key="verwijst") if van else None
        warm = bool(route_warm or (data and data.get("warm")))
        return (warm if van else False), ((data.get("wanneer") or None) if data else None)

    def _route_value(self, ri: int, vervolg_mask: np.ndarray) -> dict:
        route: Route | None = self.routes[ri] if ri >= 0 else None
        steps = list(route.stappen) if route else ([self.keten.toegang] if self.keten.toegang else [])
        stappen = []
        for i, step in enumerate(steps):
            warm, wanneer = self._handover(steps[i - 1] if i else None, step, bool(route and route.warm))
            stappen.append({"id": step, "naam": self.ds.organisaties[step].naam, "pagina": urls.organisatie(step),
                            "warme_overdracht": warm, "wanneer": wanneer})
        volgende = [self.lokaal.orgs[i] for i in np.flatnonzero(vervolg_mask)]
        volgende.sort(key=lambda o: (o.naam.casefold(), o.id))
        vervolg = []
        for org in volgende:
            warm, wanneer = self._handover(steps[-1], org.id, False)
            vervolg.append({"id": org.id, "naam": org.naam, "pagina": urls.organisatie(org.id),
                            "warme_overdracht": warm, "wanneer": wanneer})
        if len(vervolg) == 1:  # exactly one organisation fits best: the route continues to it
            stappen.append(vervolg.pop())
        return {"route": [s["id"] for s in stappen], "route_naam": route.naam if route else None,
                "route_stappen": stappen, "vervolg": vervolg}

    def _gat_value(self, row: np.ndarray) -> "_Zinnen":
        no_help, no_spoed, unserved = bool(row[0]), bool(row[1]), row[2:]
        sentences = []
        regie = self.ds.organisaties[self.keten.regie].naam if self.keten.regie else f"de gemeente {self.keten.naam}"
        if no_help and not self.helper.any():
            sentences.append(f"In de gegevens van de keten van {self.keten.naam} staat nog geen organisatie die zelf hulp biedt.")
        elif no_help:
            sentences.append(f"In de keten van {self.keten.naam} past geen organisatie die zelf hulp biedt bij deze antwoorden.")
            missing = [(self.qs[qi], self.qs[qi].opties[int(opt)]) for qi, opt in enumerate(unserved) if opt > 0]
            for q, optie in missing:
                sentences.append(self._unserved_sentence(q, optie))
            if not missing:
                sentences.append("Het gaat om de combinatie van uw antwoorden.")
        if no_help:
            sentences.append(f"Dat is een gat in de keten. Kijk bij de landelijke diensten, en meld het gat bij {regie}.")
        if no_spoed:
            first = self.ds.organisaties[self.keten.toegang].naam if self.keten.toegang else regie
            sentences.append("In de gegevens van deze keten staat geen organisatie die hulp bij spoed biedt.")
            sentences.append(f"Meld de hulpvrager meteen bij {first}: bij een dreigende situatie moet het eerste "
                             "gesprek binnen 3 werkdagen plaatsvinden.")
        return _Zinnen(tuple(sentences))

    def _unserved_sentence(self, q: Vraag, optie: str) -> str:
        if q.soort == "fase":
            return f"Niemand in de keten werkt in de fase {in_zin(self.vocab.label('fasen', optie))}."
        axis = self.vocab.axes[q.sleutel]
        return f"Niemand in de keten is er voor hulpvragers met: {in_zin(axis.terms[optie].label)} ({in_zin(axis.label)})."

    def _instrumenten_value(self, row: np.ndarray) -> dict:
        lvb, laag, debts, leer_unknown = (bool(x) for x in row)
        chosen = []
        if lvb:
            chosen.append(_instrument(SIGNAALLIJST))
        if laag:
            chosen.append(_instrument(BASISMETER))
        if debts:
            chosen.append(_instrument(MESIS, MESIS_LEERBAARHEID if leer_unknown else ""))
        return {"instrumenten": chosen}


def _instrument(instrument: Instrument, extra: str = "") -> dict:
    return {"naam": instrument.naam, "pagina": instrument.pagina, "reden": instrument.reden + extra}


def toegang(org: Organisatie, vocab: Vocabulary) -> list[str]:
    """How to get in, in plain Dutch: the ways in, then the contact details from the data."""
    lines = [vocab.label("toegang", t) for t in org.toegang]
    names = {"telefoon": "Telefoon", "email": "E-mail", "adres": "Adres", "spreekuur": "Spreekuur"}
    lines += [f"{names[k]}: {v}" for k, v in org.contact.items()]
    return lines or ["Niet bekend; kijk op de pagina van de organisatie."]


# -- public functions ------------------------------------------------------------------------------

PART_ORDER = ("organisaties", "route", "termijn", "instrumenten", "landelijk", "gat")


def _gemeente(keten: Keten) -> dict:
    return {"naam": keten.naam, "cbs": keten.cbs, "pagina": urls.gemeente(keten.slug)}


def verwijs_alle(dataset: Dataset, graph: nx.MultiDiGraph, keten: Keten, profielen: Sequence[Profiel]) -> list[dict]:
    """The answer for each profile, as plain data (what `ketenkaart verwijs --json` prints)."""
    engine = _Engine(dataset, graph, keten)
    P = np.array([[q.optie(p) for q in engine.qs] for p in profielen], dtype=np.int64).reshape(len(profielen), len(engine.qs))
    parts = engine.run(P)
    answers = []
    for row, profiel in enumerate(profielen):
        answer: dict[str, Any] = {"gemeente": _gemeente(keten), "profiel": profiel.as_dict()}
        for name in PART_ORDER:
            ids, values = parts[name]
            answer.update(engine.fragment(name, values[int(ids[row])]))
        answers.append(answer)
    return answers


def verwijs(dataset: Dataset, graph: nx.MultiDiGraph, keten: Keten, profiel: Profiel) -> dict:
    """The answer for one profile, as plain data."""
    return verwijs_alle(dataset, graph, keten, [profiel])[0]


# -- the page file ---------------------------------------------------------------------------------

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"


def _encode_ids(ids: np.ndarray) -> tuple[str, int]:
    """Fixed-width base-64 codes (ALPHABET), most significant digit first."""
    top = int(ids.max(initial=0))
    width = 1
    while 64 ** width <= top:
        width += 1
    digits = (ids.reshape(-1, 1) // (64 ** np.arange(width - 1, -1, -1))) % 64
    return np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)[digits].tobytes().decode("ascii"), width


def _compress(ids: np.ndarray, shape: tuple[int, ...]) -> tuple[list, np.ndarray]:
    """Drop the questions (and merge the options) that make no difference to a part.

    Returns the axes that remain, each as [question number, class per option], and the answer
    numbers over the remaining axes in row-major order.
    """
    arr = ids.reshape(shape)
    assen = []
    for d, size in enumerate(shape):
        reps: list[int] = []
        classes: list[int] = []
        for opt in range(size):
            sl = np.take(arr, opt, axis=d)
            for ci, rep in enumerate(reps):
                if np.array_equal(sl, np.take(arr, rep, axis=d)):
                    classes.append(ci)
                    break
            else:
                reps.append(opt)
                classes.append(len(reps) - 1)
        arr = np.take(arr, reps, axis=d)
        if len(reps) > 1:
            assen.append([d, classes])
    return assen, arr.reshape(-1)


def _frozen(value):
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


class _Interner:
    """Numbers equal values (texts, or lists of numbers and texts) in order of first use."""

    def __init__(self):
        self.items: list = []
        self.index: dict = {}

    def __call__(self, value) -> int:
        key = _frozen(value)
        if key not in self.index:
            self.index[key] = len(self.items)
            self.items.append(value)
        return self.index[key]


def page_data(dataset: Dataset, graph: nx.MultiDiGraph, keten: Keten) -> dict:
    """Every answer for one municipality, in the compact form the page looks up.

    Format (version 1)::

        gemeente  {naam, cbs, pagina}
        vragen    [[sleutel, [optie, ...]], ...]      questions in order; option 0 = skipped
        teksten   [tekst, ...]                          every text, once
        orgs      [[id, naam, pagina, [tekst], website|null], ...]   toegang as text numbers
        items     [[org, [reden tekst], [let_op tekst]], ...]        a listed organisation
        delen     {deel: {assen: [[vraag, [klasse per optie]], ...], breedte, index, waarden}}

    To look up a part: start at 0; for every axis, multiply by its number of classes and add the
    class of the chosen option; read `breedte` characters at that position of `index` as a
    base-64 number (ALPHABET); that is the position in `waarden`. Part values:
    organisaties [[item, ...], meer], landelijk [item, ...],
    route [[[org, warm, wanneer-tekst|-1], ...], naam-tekst|-1, [[org, warm, wanneer-tekst|-1], ...]],
    gat [tekst, ...] (sentences, joined with spaces; none: no gap), termijn and instrumenten as in
    the plain answer.
    """
    engine = _Engine(dataset, graph, keten)
    qs = engine.qs
    shape = tuple(len(q.opties) for q in qs)
    # Compute one representative option per class of alike options, then spread to every profile.
    classes = engine.option_classes()
    reps = [[cls.index(c) for c in range(max(cls) + 1)] for cls in classes]
    reduced = tuple(len(r) for r in reps)
    P = np.indices(reduced).reshape(len(reduced), -1).T
    P = np.column_stack([np.asarray(r)[P[:, qi]] for qi, r in enumerate(reps)]) if len(P) else P
    parts = engine.run(P, grid=reps)
    spread = np.ravel_multi_index(
        tuple(np.asarray(cls)[axis] for cls, axis in zip(classes, np.indices(shape).reshape(len(shape), -1))), reduced)
    teksten, orgs, items = _Interner(), _Interner(), _Interner()
    org_rows: dict[str, int] = {}

    def org_nr(org_id: str) -> int:
        if org_id not in org_rows:
            org = dataset.organisaties[org_id]
            org_rows[org_id] = orgs([org.id, org.naam, urls.organisatie(org.id),
                                     [teksten(t) for t in toegang(org, engine.vocab)], org.website])
        return org_rows[org_id]

    item_rows: dict[tuple[str, int], int] = {}

    def item_nr(table: str, key: int) -> int:
        if (table, key) not in item_rows:
            entry = engine.items[table][key]
            item_rows[table, key] = items([org_nr(entry["id"]), [teksten(t) for t in entry["redenen"]],
                                           [teksten(t) for t in entry["let_op"]]])
        return item_rows[table, key]

    def opt_text(value: str | None) -> int:
        return teksten(value) if value else -1

    def compact(name: str, value):
        if name == "organisaties":
            return [[item_nr(value.tabel, k) for k in value.keys], value.meer]
        if name == "landelijk":
            return [item_nr(value.tabel, k) for k in value.keys]
        if name == "gat":
            return [teksten(z) for z in value.zinnen]
        if name == "route":
            return [[[org_nr(s["id"]), int(s["warme_overdracht"]), opt_text(s["wanneer"])] for s in value["route_stappen"]],
                    opt_text(value["route_naam"]),
                    [[org_nr(v["id"]), int(v["warme_overdracht"]), opt_text(v["wanneer"])] for v in value["vervolg"]]]
        return value[name]

    delen = {}
    for name in PART_ORDER:
        ids, values = parts[name]
        assen, reduced = _compress(ids[spread], shape)
        # number the answers in order of first use, so the table starts with small codes
        first_use = list(dict.fromkeys(reduced.tolist()))
        renumber = np.zeros(len(values), dtype=np.int64)
        renumber[first_use] = np.arange(len(first_use))
        index, width = _encode_ids(renumber[reduced])
        delen[name] = {"assen": assen, "breedte": width, "index": index,
                       "waarden": [compact(name, values[i]) for i in first_use]}
    return {
        "versie": FORMAT_VERSION,
        "gemeente": _gemeente(keten),
        "vragen": [[q.sleutel, list(q.opties)] for q in qs],
        "teksten": teksten.items,
        "orgs": orgs.items,
        "items": items.items,
        "delen": delen,
    }


def read_page(data: dict, profiel: Profiel) -> dict:
    """Look an answer up in a page file, exactly as verwijswijzer.js does (the reference reader).

    Returns the same plain data as `verwijs` for that profile.
    """
    options = []
    for key, opties in data["vragen"]:
        if key == "urgent":
            value = JA if profiel.urgent else SKIP
        elif key.startswith("doelgroep."):
            value = JA if key.partition(".")[2] in profiel.doelgroepen else SKIP
        else:
            value = getattr(profiel, key) or SKIP
        options.append(opties.index(value) if value in opties else 0)

    def part(name: str):
        p = data["delen"][name]
        index = 0
        for question, classes in p["assen"]:
            index = index * (max(classes) + 1) + classes[options[question]]
        code = 0
        for ch in p["index"][index * p["breedte"]:(index + 1) * p["breedte"]]:
            code = code * 64 + ALPHABET.index(ch)
        return p["waarden"][code]

    text = data["teksten"].__getitem__

    def opt_text(i: int) -> str | None:
        return None if i < 0 else text(i)

    def org(i: int) -> dict:
        o = data["orgs"][i]
        return {"id": o[0], "naam": o[1], "pagina": o[2], "toegang": [text(t) for t in o[3]], "website": o[4]}

    def item(i: int) -> dict:
        org_nr, redenen, let_op = data["items"][i]
        o = org(org_nr)
        return {"id": o["id"], "naam": o["naam"], "redenen": [text(t) for t in redenen],
                "let_op": [text(t) for t in let_op], "toegang": o["toegang"], "website": o["website"],
                "pagina": o["pagina"]}

    def step(s: list) -> dict:
        o = org(s[0])
        return {"id": o["id"], "naam": o["naam"], "pagina": o["pagina"], "warme_overdracht": s[1] == 1,
                "wanneer": opt_text(s[2])}

    orgs = part("organisaties")
    route = part("route")
    stappen = [step(s) for s in route[0]]
    return {
        "gemeente": data["gemeente"], "profiel": profiel.as_dict(),
        "organisaties": [item(i) for i in orgs[0]], "meer_organisaties": orgs[1],
        "route": [s["id"] for s in stappen], "route_naam": opt_text(route[1]), "route_stappen": stappen,
        "vervolg": [step(s) for s in route[2]],
        "termijn": part("termijn"), "instrumenten": part("instrumenten"),
        "landelijk": [item(i) for i in part("landelijk")], "gat": " ".join(text(t) for t in part("gat")) or None,
    }


def page_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def build_verwijswijzer(dataset: Dataset, graph: nx.MultiDiGraph) -> dict[str, str]:
    """The build stage: the page file (JSON text) of every municipality, by chain slug."""
    return {keten.slug: page_json(page_data(dataset, graph, keten))
            for keten in sorted(dataset.ketens.values(), key=lambda k: k.slug)}


# -- text for the command line ---------------------------------------------------------------------

def as_text(answer: dict, vocab: Vocabulary | None = None) -> str:
    """The answer in plain Dutch, for the terminal."""
    vocab = vocab or load_vocabulary()
    g = answer["gemeente"]
    p = answer["profiel"]
    lines = [f"Verwijswijzer voor {g['naam']} ({g['cbs']})", ""]
    given = []
    for axis in AXES:
        if p[axis]:
            given.append(f"{in_zin(vocab.axes[axis].label)}: {in_zin(vocab.axes[axis].terms[p[axis]].label)}")
    if p["urgent"]:
        given.append("dreigende situatie")
    if p["doelgroepen"]:
        given.append("doelgroep: " + ", ".join(vocab.label("doelgroepen", d) for d in p["doelgroepen"]))
    if p["fase"]:
        given.append(f"fase: {in_zin(vocab.label('fasen', p['fase']))}")
    lines.append("Uw antwoorden: " + ("; ".join(given) if given else "geen (alle vragen overgeslagen)"))
    lines.append("")
    if answer["gat"]:
        lines += ["Let op, gat in de keten:", f"  {answer['gat']}", ""]
    lines.append("Organisaties die passen (beste eerst):")
    if not answer["organisaties"]:
        lines.append("  Geen.")
    for i, org in enumerate(answer["organisaties"], 1):
        lines += _org_lines(i, org)
    if answer["meer_organisaties"]:
        lines.append(f"  En nog {answer['meer_organisaties']} andere; zie de ketenpagina.")
    lines.append("")
    lines.append("Route in de keten:" + (f" {answer['route_naam']}" if answer["route_naam"] else ""))
    if answer["route_stappen"]:
        for i, step in enumerate(answer["route_stappen"], 1):
            how = " (warme overdracht)" if step["warme_overdracht"] else ""
            lines.append(f"  {i}. {step['naam']}{how}")
    else:
        lines.append("  Deze keten heeft geen vaste route en geen centraal toegangspunt.")
    if answer["vervolg"]:
        lines.append("  Daarna verwijst de laatste stap door naar een van:")
        for step in answer["vervolg"]:
            lines.append(f"  - {step['naam']}" + (f": {step['wanneer']}" if step["wanneer"] else ""))
    lines.append("")
    t = answer["termijn"]
    lines += [f"Termijn: eerste gesprek binnen {t['termijn']}.", f"  {t['uitleg']}", f"  Bron: {t['bron']}.", ""]
    lines.append("Instrumenten:")
    if not answer["instrumenten"]:
        lines.append("  Geen instrument in het bijzonder bij deze antwoorden.")
    for ins in answer["instrumenten"]:
        lines.append(f"  - {ins['naam']}: {ins['reden']} (zie {ins['pagina']})")
    lines += ["", "Landelijke diensten (als de keten geen passende hulp heeft):"]
    if not answer["landelijk"]:
        lines.append("  Geen.")
    for i, org in enumerate(answer["landelijk"], 1):
        lines += _org_lines(i, org)
    return "\n".join(lines) + "\n"


def _org_lines(i: int, org: dict) -> list[str]:
    lines = [f"  {i}. {org['naam']}"]
    lines += [f"     - {r}" for r in org["redenen"]]
    lines += [f"     Let op: {w}" for w in org["let_op"]]
    lines.append("     Hoe kom je binnen: " + "; ".join(org["toegang"]) + (f" ({org['website']})" if org["website"] else ""))
    return lines
