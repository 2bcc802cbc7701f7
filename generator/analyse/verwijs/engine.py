"""The engine of the verwijswijzer: every part of the answer for many profiles at once, with numpy.

`_Engine.run` is the one place where the matching happens; the command line (`verwijs`,
`verwijs_alle`) and the page file (pagefile.py) both go through it.
"""

from __future__ import annotations

import collections.abc
from dataclasses import dataclass
from typing import Any, NamedTuple, Sequence

import networkx as nx
import numpy as np

from generator import urls
from generator.analyse.verwijs.rules import (
    BASISMETER, JA, MAX_LANDELIJK, MAX_ORGANISATIES, MESIS, MESIS_LEERBAARHEID, PUNTEN_ROUTE, PUNTEN_TOEGANGSPUNT,
    SIGNAALLIJST, TERMIJN_GEWOON, TERMIJN_SPOED, Bijdrage, Instrument, Profiel, Vraag, _bijdrage, bijdrage_sleutel,
    vragen,
)
from generator.domain.rules import domain, vocab_of
from generator.domain.vocab import Vocabulary, in_zin
from generator.model import Dataset, Keten, Organisatie, Route

SCORE_VOORRANG = 10_000  # priority (spoed) outranks any number of points
# The questions the instruments read directly (in the order of _instrumenten_value's flags), and
# the debt levels that call for Mesis.
INSTRUMENT_GROEPEN = ("doelgroep.lvb", "doelgroep.laaggeletterd")
SCHULDEN_MET = ("beperkt", "problematisch")

# -- the engine: every profile at once, with numpy -------------------------------------------------

# The contributions of all answers to one organisation are added up as one int64 per profile,
# in fields: by default bits 0-7 the points, 8-11 how many answers rule it out, 12 priority,
# 13-15 how many answers matched one of its target groups, from bit 16 on the number that
# identifies its texts. A sum that outgrows its field would silently spill into the next one, so
# `_Layout` computes, when a table is built, the largest sum each field can reach for these
# organisations and questions: a field that needs more bits is widened, and when everything no
# longer fits in 63 bits (or a field has a forced width that is too small) it raises PackingError.
VELDEN = ("punten", "uit", "voorrang", "doelgroep")
MIN_BREEDTE = {"punten": 8, "uit": 4, "voorrang": 1, "doelgroep": 3}
INT64_BITS = 63  # bits of an int64 below the sign bit


class PackingError(ValueError):
    """The counters of the verwijswijzer do not fit in one int64; nothing is computed."""


def _bits(largest: int) -> int:
    """Bits needed to hold every value 0..largest."""
    return max(int(largest).bit_length(), 1)


def _bits_text(n: int) -> str:
    return f"{n} bit" if n == 1 else f"{n} bits"


class _Layout:
    """Where each counter sits in the packed int64, checked against the largest possible sums."""

    def __init__(self, maxima: dict[str, int], code_max: int, key_max: int,
                 breedtes: dict[str, int] | None = None):
        forced = breedtes or {}
        self.breedte: dict[str, int] = {}
        self.shift: dict[str, int] = {}
        at = 0
        for veld in VELDEN:
            need = _bits(maxima[veld])
            width = forced.get(veld, max(MIN_BREEDTE[veld], need))
            if need > width:
                raise PackingError(
                    f"De verwijswijzer kan dit niet berekenen: het veld '{veld}' kan oplopen tot {maxima[veld]}, "
                    f"en dat past niet in {_bits_text(width)} (nodig: {_bits_text(need)}). Verklein het aantal vragen "
                    "of maak het veld breder.")
            self.shift[veld], self.breedte[veld] = at, width
            at += width
        self.code_shift = at
        code_bits = INT64_BITS - at
        if code_max >= 1 << code_bits:
            raise PackingError(
                f"De verwijswijzer kan dit niet berekenen: de teksten van één organisatie hebben {code_max + 1} "
                f"mogelijke combinaties, en die passen niet in de {_bits_text(code_bits)} die overblijven. "
                "Verklein het aantal vragen of het aantal verschillende redenen per vraag.")
        if key_max >= 1 << INT64_BITS:
            raise PackingError(
                f"De verwijswijzer kan dit niet berekenen: er zijn te veel combinaties van organisaties, "
                f"routes en teksten ({key_max}) voor één getal van 64 bits.")

    def mask(self, veld: str) -> int:
        return (1 << self.breedte[veld]) - 1


@dataclass(frozen=True)
class _Kolom:
    """What one question's options contribute to one organisation: per option its counters (in the
    order of VELDEN) and the number of its texts, and the distinct texts (reasons, warning)."""

    velden: tuple[tuple[int, ...], ...]
    klasse: tuple[int, ...]
    teksten: list[tuple[tuple[str, ...], str | None]]

    @staticmethod
    def of(bijdragen: list[Bijdrage]) -> "_Kolom":
        teksten: list[tuple[tuple[str, ...], str | None]] = []
        klasse = []
        for b in bijdragen:
            texts = (b.redenen, b.let_op)
            if texts not in teksten:
                teksten.append(texts)
            klasse.append(teksten.index(texts))
        return _Kolom(tuple(tuple(int(getattr(b, veld)) for veld in VELDEN) for b in bijdragen), tuple(klasse), teksten)


class _Tabel:
    """Per question and option, the contribution to each candidate organisation, as arrays."""

    def __init__(self, orgs: list[Organisatie], qs: Sequence[Vraag], vocab: Vocabulary, routes: int = 0,
                 breedtes: dict[str, int] | None = None, columns: dict | None = None):
        """`routes`: how many route codes the engine adds to a text code later (Engine.run);
        `breedtes`: forced field widths in bits (for tests), else they follow the largest sums;
        `columns`: a memo of _Kolom by question and rules.bijdrage_sleutel, shared between tables
        made with the same vocabulary and questions."""
        self.orgs = orgs
        n = len(orgs)
        self.packed: list[np.ndarray] = []  # per question: (options, organisations)
        self.uit: list[np.ndarray] = []  # per question: (options, organisations), for the gap
        self.klassen: list[list[list[tuple[tuple[str, ...], str | None]]]] = []  # [q][org] -> class -> texts
        self.radix = np.ones((len(qs), n), dtype=np.int64)
        memo = {} if columns is None else columns
        klasse = []
        fields = []  # per question and field: the contribution per option and organisation, (options, organisations)
        for qi, q in enumerate(qs):
            cols = []
            for org in orgs:
                key = (q, bijdrage_sleutel(org, q))
                col = memo.get(key)
                if col is None:
                    col = memo[key] = _Kolom.of([_bijdrage(org, q, optie, vocab) for optie in q.opties])
                cols.append(col)
            self.klassen.append([col.teksten for col in cols])
            self.radix[qi] = [len(col.teksten) for col in cols]
            klasse.append(np.array([col.klasse for col in cols], dtype=np.int64).reshape(n, len(q.opties)).T.copy())
            values = np.array([col.velden for col in cols], dtype=np.int64).reshape(n, len(q.opties), len(VELDEN))
            values = values.transpose(2, 1, 0).copy()  # (fields, options, organisations)
            fields.append(dict(zip(VELDEN, values)))
        # Guard the packing before anything is added up: the largest sum per field over all
        # questions (small numbers: a few per question), and the largest text code.
        maxima = {veld: int(sum((f[veld].max(axis=0) for f in fields), np.zeros(n, dtype=np.int64)).max(initial=0))
                  for veld in VELDEN}
        totaal = [1] * n
        for qi in range(len(qs)):
            for oi in range(n):
                totaal[oi] *= int(self.radix[qi, oi])
        code_max = max(((routes + 1) * t - 1 for t in totaal), default=0)
        self.layout = _Layout(maxima, max(totaal, default=1) - 1, (code_max + 1) * max(n, 1), breedtes)
        if maxima["punten"] + PUNTEN_TOEGANGSPUNT + PUNTEN_ROUTE >= SCORE_VOORRANG:
            raise PackingError(f"De verwijswijzer kan dit niet berekenen: een organisatie kan {maxima['punten']} "
                               f"punten halen, en dan weegt voorrang bij spoed ({SCORE_VOORRANG}) niet meer zwaarder.")
        L = self.layout.shift
        # mixed-radix multipliers: an organisation's texts for a profile become one integer
        self.mult = np.ones((len(qs), n), dtype=np.int64)
        for qi in range(1, len(qs)):
            self.mult[qi] = self.mult[qi - 1] * self.radix[qi - 1]
        self.totaal = self.mult[-1] * self.radix[-1] if len(qs) else np.ones(n, dtype=np.int64)
        for qi, f in enumerate(fields):
            self.uit.append(f["uit"].astype(bool))
            self.packed.append((f["punten"] << L["punten"]) + (f["uit"] << L["uit"])
                               + (f["voorrang"] << L["voorrang"]) + (f["doelgroep"] << L["doelgroep"])
                               + ((klasse[qi] * self.mult[qi]) << self.layout.code_shift))
        self._digits: list[list[tuple[int, int]]] | None = None  # for teksten, made on first use
        names = sorted(range(n), key=lambda i: (orgs[i].naam.casefold(), orgs[i].id))
        self.naamrang = np.empty(n, dtype=np.int64)
        self.naamrang[names] = np.arange(n)

    def combine(self, P: np.ndarray, grid: Sequence[Sequence[int]] | None = None):
        """Add up the contributions for profiles P (rows of option numbers).

        When P is the product of the options in `grid` (one list per question) in row-major order,
        the sums are built question by question over that product, which is much faster.
        Returns (ruled out, priority, target group matched, points, text code), each (profiles, orgs).
        """
        total = self.sums(P, grid)
        L = self.layout
        field = lambda veld: (total >> L.shift[veld]) & L.mask(veld)
        return (field("uit") > 0, field("voorrang") > 0, field("doelgroep") > 0, field("punten"),
                total >> L.code_shift)

    def sums(self, P: np.ndarray, grid: Sequence[Sequence[int]] | None = None) -> np.ndarray:
        """The packed sums of `combine`, (profiles, orgs); `flag` and `field` read them."""
        n = len(self.orgs)
        if grid is not None:
            total = np.zeros((1, n), dtype=np.int64)
            for table, options in zip(self.packed, grid):
                total = (total[:, None, :] + table[list(options)][None, :, :]).reshape(total.shape[0] * len(options), n)
        else:
            total = np.zeros((P.shape[0], n), dtype=np.int64)
            for qi, table in enumerate(self.packed):
                total += table[P[:, qi]]
        return total

    def flag(self, total: np.ndarray, veld: str) -> np.ndarray:
        """Whether a counter of the packed sums is above 0."""
        return (total & (self.layout.mask(veld) << self.layout.shift[veld])) != 0

    def field(self, total: np.ndarray, veld: str) -> np.ndarray:
        return (total >> self.layout.shift[veld]) & self.layout.mask(veld)

    def teksten(self, oi: int, code: int, qs: Sequence[Vraag]) -> tuple[list[str], list[str]]:
        """Reasons and warnings (per question, in question order) encoded in one code."""
        if self._digits is None:  # per organisation: (multiplier, radix) per question, as Python ints
            self._digits = [list(zip(m, r)) for m, r in zip(self.mult.T.tolist(), self.radix.T.tolist())]
        digits = self._digits[oi]
        redenen_per_vraag, let_op = [], []
        for qi in range(len(qs)):
            mult, radix = digits[qi]
            redenen, waarschuwing = self.klassen[qi][oi][(code // mult) % radix]
            redenen_per_vraag.append(list(redenen))
            if waarschuwing:
                let_op.append(waarschuwing)
        return redenen_per_vraag, let_op


class _Item(NamedTuple):
    """A listed organisation with the reasons and warnings of one answer (_Engine._org_dict makes
    the plain data of it)."""

    org: Organisatie
    redenen: list[str]
    let_op: list[str]


@dataclass(frozen=True)
class _Zinnen:
    """The gap statement as separate sentences (stored once each in the page file)."""

    zinnen: tuple[str, ...]


@dataclass(frozen=True)
class _Lijst:
    """Listed organisations as keys into _Engine.items[tabel] (see _Item), and how many more fit."""

    tabel: str
    keys: tuple[int, ...]
    meer: int = 0


class _Lijsten(collections.abc.Sequence):
    """The distinct lists of a part, as one matrix of keys (one row per list, -1 after its last
    key) and how many more fit per list; item i is the _Lijst of row i, made when asked for.
    (The page file reads the matrix itself: see pagefile.py.)"""

    def __init__(self, tabel: str, keys: np.ndarray, meer: np.ndarray | None = None):
        self.tabel = tabel
        self.keys = keys
        self.meer = meer if meer is not None else np.zeros(keys.shape[0], dtype=np.int64)

    def __len__(self) -> int:
        return self.keys.shape[0]

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        row = self.keys[i]
        return _Lijst(self.tabel, tuple(row[row >= 0].tolist()), int(self.meer[i]))


def _rank(score: np.ndarray, included: np.ndarray, naamrang: np.ndarray, limit: int):
    """Column order per row, at most `limit` columns: included first, by score (high first), then
    by name; -1 where fewer are included. Scores are 0 or more.

    Every included column gets a distinct positive sort key (score, then name rank), with the
    column number in the low bits, and a left-out column the key 0, so one plain sort of the keys,
    in place, gives the order (faster than an argsort)."""
    n = score.shape[1]
    bits = max(n.bit_length(), 1)
    # (score * (n + 1) + n - naamrang + 1) << bits | column where included, else 0; in 32 bits
    # when the largest key fits (sorting them is about a third quicker)
    largest = ((int(score.max(initial=0)) * (n + 1) + n + 1) << bits) | max(n - 1, 0)
    key = score.astype(np.int32 if largest < 2 ** 31 else np.int64)
    key *= (n + 1) << bits
    key += (((n - naamrang + 1) << bits) | np.arange(n)).astype(key.dtype)
    key *= included
    key.sort(axis=1)
    top = key[:, :-limit - 1:-1] if limit < n else key[:, ::-1]
    return np.where(top >> bits > 0, top & ((1 << bits) - 1), -1)


def _unique_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows, in lexicographic order, and per row the number of its distinct row.

    The columns that vary are folded into one int64 key per row (mixed radix over each column's
    range), renumbering the key whenever the next column would not fit. When the key has few
    possible values, a table of them numbers the rows without sorting.
    """
    rows = matrix.shape[0]
    matrix = matrix.reshape(rows, -1).astype(np.int64)
    columns = matrix.T  # column by column: faster than reductions over axis 0 of a narrow matrix
    key = np.zeros(rows, dtype=np.int64)
    radix = 1
    for column in columns:
        low = int(column.min(initial=0))
        span = int(column.max(initial=0)) - low + 1
        if span == 1:
            continue
        if span > 1 << 24:
            _, column = np.unique(column, return_inverse=True)
            column, low, span = column.reshape(-1), 0, int(column.max(initial=0)) + 1
        if radix * span >= 1 << 62:
            _, key = np.unique(key, return_inverse=True)
            key = key.reshape(-1)
            radix = int(key.max(initial=0)) + 1
        key = key * span + (column - low)
        radix *= span
    if radix <= 2 * rows:
        seen = np.zeros(radix, dtype=bool)
        seen[key] = True
        number = np.cumsum(seen) - 1
        inverse = number[key]
        first = np.zeros(int(number[-1]) + 1 if rows else 0, dtype=np.int64)
        first[inverse] = np.arange(rows)  # any row with the key will do: they are equal
        return matrix[first], inverse
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return matrix[first], inverse.reshape(-1)


def _national_table(dataset: Dataset, vocab: Vocabulary, qs: Sequence[Vraag]) -> _Tabel:
    """The table of the national organisations: the same for every municipality, so made once per
    dataset and vocabulary (it is only read). The cache keeps the vocabulary alive, so its id
    cannot pass to another one."""
    def make():
        rules = domain(vocab)
        return vocab, _Tabel([o for o in dataset.landelijke() if rules.is_referable(o)], qs, vocab)

    return dataset.derived(("verwijs.landelijk", id(vocab)), make)[1]


def _columns(dataset: Dataset, vocab: Vocabulary) -> dict:
    """The memo of _Kolom for the local tables of every municipality (see _Tabel), one per dataset
    and vocabulary; like _national_table's cache it keeps the vocabulary alive."""
    return dataset.derived(("verwijs.kolommen", id(vocab)), lambda: (vocab, {}))[1]


class _Engine:
    """The matching for one municipality: every part of the answer for many profiles at once."""

    def __init__(self, dataset: Dataset, graph: nx.MultiDiGraph, keten: Keten, vocab: Vocabulary | None = None):
        self.ds, self.graph, self.keten = dataset, graph, keten
        self.vocab = vocab or vocab_of(dataset)
        self.rules = domain(self.vocab)
        self.qs = vragen(self.vocab)
        self.qindex = {q.sleutel: i for i, q in enumerate(self.qs)}
        self.groepen = tuple(q.term for q in self.qs if q.soort == "doelgroep")
        local = [o for o in dataset.in_gemeente(keten.cbs) if self.rules.is_referable(o)]
        self.lokaal = _Tabel(local, self.qs, self.vocab, routes=len(keten.routes), columns=_columns(dataset, self.vocab))
        self.landelijk = _national_table(dataset, self.vocab, self.qs)
        # the organisations that give help itself: the scan's providers (Domain.is_provider)
        self.helper = np.array([self.rules.is_provider(o) for o in local], dtype=bool)
        self.spoed = np.array([o.spoed for o in local], dtype=bool)
        self.bonus = np.array([PUNTEN_TOEGANGSPUNT if o.id == keten.toegang else 0 for o in local], dtype=np.int64)
        self.lokaal_index = {o.id: i for i, o in enumerate(local)}
        self.routes = keten.routes
        self.items: dict[str, dict[int, dict]] = {}  # listed organisations by table and key, filled by run
        self._about_cache: dict[str, tuple[list[str], str, dict]] = {}

    def fragment(self, name: str, value) -> dict:
        """One part of the plain answer: lists of organisations are kept as keys until here."""
        if name == "organisaties":
            return {"organisaties": [self._org_dict(*self.items["lokaal"][k]) for k in value.keys],
                    "meer_organisaties": value.meer}
        if name == "landelijk":
            return {"landelijk": [self._org_dict(*self.items["landelijk"][k]) for k in value.keys]}
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
        exact = {"urgent", "leerbaarheid", "schulden", *INSTRUMENT_GROEPEN}
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
                                                        and helpers.any())
                                 or (q.soort == "doelgroep" and opt > 0 and self._group_gap(q))) else -1
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
        total = T.sums(P, grid)
        uit, voorrang = T.flag(total, "uit"), T.flag(total, "voorrang")
        punten = T.field(total, "punten") + self.bonus
        code = total >> T.layout.code_shift
        del total
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
        shown = _rank(score, included, T.naamrang, MAX_ORGANISATIES)
        meer = np.maximum(included.sum(axis=1) - MAX_ORGANISATIES, 0)

        parts: dict[str, tuple[np.ndarray, list]] = {}
        # organisaties: (org, code) per listed position, plus how many more fit
        item_keys = np.where(shown >= 0, np.take_along_axis(code, np.maximum(shown, 0), axis=1) * n + shown, -1)
        values, inverse = _unique_rows(np.column_stack([item_keys, meer]))
        self.items["lokaal"] = {k: self._item(T, k) for k in np.unique(values[:, :-1]).tolist() if k >= 0}
        parts["organisaties"] = (inverse, _Lijsten("lokaal", values[:, :-1], values[:, -1]))

        # route: the chosen route and the best-fitting organisations its last step refers to
        if n:
            top = np.where(shown[:, 0] >= 0, np.take_along_axis(score, np.maximum(shown[:, :1], 0), axis=1)[:, 0], -1)
        else:
            top = np.full(rows, -1, dtype=np.int64)
        succ = np.zeros((len(self.routes) + 1, n), bool)  # last row: no route (access point only)
        for ri, steps in enumerate(self._route_steps()):
            if steps:
                for _u, v, key in self.graph.out_edges(steps[-1], keys=True):
                    if self.rules.is_referral(key) and v in self.lokaal_index and v not in steps:
                        succ[ri, self.lokaal_index[v]] = True
        # only the organisations that some route's last step refers to can follow it
        follow = np.flatnonzero(succ.any(axis=0))
        vervolg = succ[route][:, follow] & included[:, follow] & (score[:, follow] == top[:, None]) & (score[:, follow] > 0)
        values, inverse = _unique_rows(np.column_stack([route, vervolg]))
        routes = [self._route_value(int(row[0]), follow[row[1:] > 0]) for row in values]
        parts["route"] = (inverse, routes)
        parts["eerste_stap"] = (inverse, [{"eerste_stap": self._eerste_stap(r)} for r in routes])

        # gat: no local organisation that helps itself fits; which answers nobody serves. A phase
        # that no helping organisation works in, and a target group that no local organisation
        # focuses on, are named even when others fit (they help, but not in that phase or group).
        served = [(~T.uit[qi])[:, self.helper].any(axis=1) for qi in range(len(self.qs))]
        no_help = ~(included & self.helper).any(axis=1)

        # per question that can have one: the chosen option when nobody serves it (see _gat_value), else 0
        def unserved_column(qi: int) -> np.ndarray | None:
            q = self.qs[qi]
            if q.soort == "as" and self.helper.any():
                return np.where(no_help & (P[:, qi] > 0) & ~served[qi][P[:, qi]], P[:, qi], 0)
            if q.soort == "fase" and self.helper.any():
                return np.where((P[:, qi] > 0) & ~served[qi][P[:, qi]], P[:, qi], 0)
            if q.soort == "doelgroep" and self._group_gap(q):
                return np.where(P[:, qi] > 0, P[:, qi], 0)
            return None

        unserved = {qi: column for qi in range(len(self.qs)) if (column := unserved_column(qi)) is not None}
        urgent = P[:, self.qindex["urgent"]] == 1
        no_spoed = urgent & ~self.spoed.any()
        values, inverse = _unique_rows(np.column_stack([no_help, no_spoed, *unserved.values()]))
        parts["gat"] = (inverse, [self._gat_value(row[0], row[1], dict(zip(unserved, row[2:].tolist()))) for row in values])

        values, inverse = _unique_rows(urgent[:, None])
        parts["termijn"] = (inverse, [{"termijn": dict(TERMIJN_SPOED if row[0] else TERMIJN_GEWOON)} for row in values])

        schulden = self.qs[self.qindex["schulden"]]
        debts = np.isin(P[:, self.qindex["schulden"]], [schulden.opties.index(v) for v in SCHULDEN_MET if v in schulden.opties])

        def asked(sleutel: str) -> np.ndarray:
            return P[:, self.qindex[sleutel]] == 1 if sleutel in self.qindex else np.zeros(rows, bool)

        flags = np.column_stack([
            *(asked(sleutel) for sleutel in INSTRUMENT_GROEPEN),
            debts,
            debts & (P[:, self.qindex["leerbaarheid"]] == 0),
        ])
        values, inverse = _unique_rows(flags)
        parts["instrumenten"] = (inverse, [self._instrumenten_value(row) for row in values])

        values, inverse = self._national_lists(P, grid)
        self.items["landelijk"] = {k: self._item(self.landelijk, k, national=True)
                                   for k in np.unique(values).tolist() if k >= 0}
        parts["landelijk"] = (inverse, _Lijsten("landelijk", values))
        return parts

    def _national_lists(self, P: np.ndarray, grid: Sequence[Sequence[int]] | None) -> tuple[np.ndarray, np.ndarray]:
        """The national organisations listed per profile (keys, distinct lists and the number of
        each row's list). They depend on the profiles only, not on the municipality: for a product
        of options (`grid`) they are computed once per dataset and shared."""
        def compute() -> tuple[np.ndarray, np.ndarray]:
            L = self.landelijk
            l_uit, l_voorrang, l_dg, l_punten, l_code = L.combine(P, grid)
            needs_group = np.array([bool(o.doelgroepen) for o in L.orgs], dtype=bool)
            l_included = (~l_uit | l_voorrang) & ~(needs_group & ~l_dg)
            l_score = l_voorrang * SCORE_VOORRANG + l_punten
            l_order = _rank(l_score, l_included, L.naamrang, MAX_LANDELIJK)
            m = len(L.orgs)
            l_keys = np.where(l_order >= 0, np.take_along_axis(l_code, np.maximum(l_order, 0), axis=1) * m + l_order, -1)
            values, inverse = _unique_rows(l_keys)
            values.flags.writeable = inverse.flags.writeable = False  # shared between municipalities
            return values, inverse

        if grid is None:
            return compute()
        return self.ds.derived(("verwijs.landelijk.lijsten", id(self.landelijk), tuple(map(tuple, grid))), compute)

    # -- turning codes into plain data ----------------------------------------------------------------
    def _route_steps(self) -> list[tuple[str, ...]]:
        steps = [r.stappen for r in self.routes]
        steps.append((self.keten.toegang,) if self.keten.toegang else ())
        return steps

    def _item(self, T: _Tabel, key: int, national: bool = False) -> _Item:
        """A listed organisation: who, and its reasons and warnings, from its key in table T."""
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
        return _Item(org, redenen, let_op)

    def _org_dict(self, org: Organisatie, redenen: list[str], let_op: list[str]) -> dict:
        """A listed organisation. Without a reason of its own (no answer points to it, none rules it
        out) it is 'ook mogelijk': it ranks below every organisation with a reason (its score is 0)."""
        toegang, pagina, verwijzen = self._about(org)
        return {"id": org.id, "naam": org.naam, "redenen": redenen, "ook_mogelijk": not redenen, "let_op": let_op,
                "toegang": list(toegang), "website": org.website, "pagina": pagina,
                **verwijzen, "overdracht": list(verwijzen["overdracht"])}

    def _about(self, org: Organisatie) -> tuple[list[str], str, dict]:
        """What every listing of an organisation repeats (ways in, page, how to refer), made once."""
        found = self._about_cache.get(org.id)
        if found is None:
            found = self._about_cache[org.id] = (self.rules.how_to_get_in(org), urls.organisatie(org.id),
                                                  self.verwijzen(org))
        return found

    # -- how to refer -------------------------------------------------------------------------------
    def verwijzen(self, org: Organisatie) -> dict:
        """How a professional refers to the organisation, as far as its file says, and whom to ask."""
        return {"aanmelden": org.aanmelden, "wachttijd": org.wachttijd, "meenemen": org.meenemen,
                "overdracht": self.rules.handover_forms(org), "vraag": self.vraag(org),
                "bereikbaar": self.bereikbaar(org)}

    def bereikbaar(self, org: Organisatie) -> bool:
        """A professional can get in touch directly: a way in of its own, contact details, or the way
        to refer is known."""
        return bool(self.rules.own_ways_in(org) or org.contact or org.aanmelden)

    def vraag_bij(self, org_id: str | None) -> str:
        """Whom to ask how to refer: the chain's access point, else the organisation with the regie,
        else the municipality."""
        toegang, regie = self.keten.toegang, self.keten.regie
        if toegang and toegang != org_id:
            return f"Vraag het aan {self.ds.organisaties[toegang].naam} (centraal toegangspunt)."
        if regie and regie != org_id:
            return f"Vraag het aan {self.ds.organisaties[regie].naam} (regie over de keten)."
        return f"Vraag het aan de gemeente {self.keten.naam}."

    def vraag(self, org: Organisatie) -> str | None:
        """None when the file says how to refer; else that it is not known, and whom to ask."""
        if org.aanmelden:
            return None
        if org.id not in self.lokaal_index and org.website and self.rules.own_ways_in(org):
            return "Hoe u iemand hier aanmeldt, staat niet in de gegevens. Kijk op de website van de organisatie."
        return "Hoe u iemand hier aanmeldt, staat niet in de gegevens. " + self.vraag_bij(org.id)

    def _eerste_stap(self, route: dict) -> dict:
        """The first step of the route that applies: whom to contact, how, and whom to ask."""
        stappen = route["route_stappen"]
        if not stappen:
            return {"id": None, "naam": None, "pagina": None, "toegang": [], "website": None, "aanmelden": None,
                    "wachttijd": None, "meenemen": None, "overdracht": [], "bereikbaar": False, "via": [],
                    "warme_overdracht": False, "daarna": None,
                    "vraag": f"In de gegevens van de keten van {self.keten.naam} staat geen vaste route en geen "
                             "centraal toegangspunt. Waar u iemand aanmeldt, staat dus niet in de gegevens. "
                             + self.vraag_bij(None)}
        org = self.ds.organisaties[stappen[0]["id"]]
        info = self.verwijzen(org)
        via = []
        if not info["bereikbaar"]:
            senders = {u for u, _v, key in self.graph.in_edges(org.id, keys=True)
                       if self.rules.is_referral(key) and u in self.ds.organisaties
                       and self.keten.cbs in self.ds.organisaties[u].gemeenten}
            via = [{"id": u, "naam": self.ds.organisaties[u].naam, "pagina": urls.organisatie(u)}
                   for u in sorted(senders, key=lambda u: (self.ds.organisaties[u].naam.casefold(), u))]
        daarna = stappen[1] if len(stappen) > 1 else None
        return {"id": org.id, "naam": org.naam, "pagina": urls.organisatie(org.id),
                "toegang": self.rules.how_to_get_in(org), "website": org.website, **info, "via": via,
                "warme_overdracht": bool(daarna and daarna["warme_overdracht"]),
                "daarna": {"id": daarna["id"], "naam": daarna["naam"], "pagina": daarna["pagina"]} if daarna else None}

    def _handover(self, van: str | None, naar: str, route_warm: bool) -> tuple[bool, str | None]:
        data = next((self.graph.get_edge_data(van, naar, key=k) for k in sorted(self.rules.verwijzing)
                     if self.graph.has_edge(van, naar, key=k)), None) if van else None
        warm = bool(route_warm or (data and data.get("warm")))
        return (warm if van else False), ((data.get("wanneer") or None) if data else None)

    def _route_value(self, ri: int, vervolg: np.ndarray) -> dict:
        """Route `ri` (-1: none, the access point) and the local organisations (numbers) that follow it."""
        route: Route | None = self.routes[ri] if ri >= 0 else None
        steps = list(route.stappen) if route else ([self.keten.toegang] if self.keten.toegang else [])
        stappen = []
        for i, step in enumerate(steps):
            warm, wanneer = self._handover(steps[i - 1] if i else None, step, bool(route and route.warm))
            stappen.append({"id": step, "naam": self.ds.organisaties[step].naam, "pagina": urls.organisatie(step),
                            "warme_overdracht": warm, "wanneer": wanneer})
        volgende = [self.lokaal.orgs[i] for i in vervolg.tolist()]
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

    def _group_gap(self, q: Vraag) -> bool:
        """A target group that no local organisation (that can be referred to) focuses on."""
        return bool(self.lokaal.orgs) and not any(q.term in o.doelgroepen for o in self.lokaal.orgs)

    def _gat_value(self, no_help: bool, no_spoed: bool, unserved: dict[int, int]) -> "_Zinnen":
        """The gap statement: `unserved` holds, by question number, the chosen option when no
        one serves it (0: served or not chosen)."""
        no_help, no_spoed = bool(no_help), bool(no_spoed)
        sentences = []
        regie = self.ds.organisaties[self.keten.regie].naam if self.keten.regie else f"de gemeente {self.keten.naam}"
        missing = [(self.qs[qi], self.qs[qi].opties[opt]) for qi, opt in sorted(unserved.items()) if opt > 0]
        groups = [q for q, _optie in missing if q.soort == "doelgroep"]
        missing = [(q, optie) for q, optie in missing if q.soort != "doelgroep"]
        if no_help and not self.helper.any():
            sentences.append(f"In de gegevens van de keten van {self.keten.naam} staat nog geen organisatie die zelf hulp biedt.")
        elif no_help:
            sentences.append(f"In de keten van {self.keten.naam} past geen organisatie die zelf hulp biedt bij deze antwoorden.")
            for q, optie in missing:
                sentences.append(self._unserved_sentence(q, optie))
            if not missing:
                sentences.append("Het gaat om de combinatie van uw antwoorden.")
        else:
            for q, optie in missing:  # a phase nobody helps in, while others fit (spoed)
                sentences.append(self._unserved_sentence(q, optie))
        for q in groups:
            sentences.append(f"Geen organisatie in de keten van {self.keten.naam} richt zich speciaal op de doelgroep "
                             f"‘{self.vocab.label('doelgroepen', q.term)}’.")
        if groups and not no_help:
            sentences.append("De organisaties hieronder helpen ook deze hulpvrager, maar hebben geen aanbod speciaal voor "
                             + ("deze doelgroep." if len(groups) == 1 else "deze doelgroepen."))
        if no_help or missing or groups:
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



# -- public functions ------------------------------------------------------------------------------

PART_ORDER = ("eerste_stap", "organisaties", "route", "termijn", "instrumenten", "landelijk", "gat")


def _gemeente(keten: Keten) -> dict:
    return {"naam": keten.naam, "cbs": keten.cbs, "pagina": urls.gemeente(keten.slug)}


def verwijs_alle(dataset: Dataset, graph: nx.MultiDiGraph, keten: Keten, profielen: Sequence[Profiel]) -> list[dict]:
    """The answer for each profile, as plain data (what `ketenkaart verwijs --json` prints).

    `geen_effect` lists the questions (keys, in question order) whose answer makes no difference
    here: the answer with that question skipped is the same in every part.
    """
    engine = _Engine(dataset, graph, keten)
    P = np.array([[q.optie(p) for q in engine.qs] for p in profielen], dtype=np.int64).reshape(len(profielen), len(engine.qs))
    # the same profiles with one answered question skipped, to see which answers make a difference
    rows, questions = np.nonzero(P > 0)
    skipped = P[rows].copy()
    skipped[np.arange(len(rows)), questions] = 0
    parts = engine.run(np.vstack([P, skipped]) if len(rows) else P)
    cache: dict[tuple[str, int], dict] = {}

    def fragment(name: str, row: int) -> dict:
        ids, values = parts[name]
        key = (name, int(ids[row]))
        if key not in cache:
            cache[key] = engine.fragment(name, values[key[1]])
        return cache[key]

    def same(a: int, b: int) -> bool:
        return all(parts[name][0][a] == parts[name][0][b] or fragment(name, a) == fragment(name, b)
                   for name in PART_ORDER)

    geen_effect: list[list[str]] = [[] for _ in profielen]
    for j, (row, qi) in enumerate(zip(rows.tolist(), questions.tolist())):
        if same(row, len(profielen) + j):
            geen_effect[row].append(engine.qs[qi].sleutel)
    answers = []
    for row, profiel in enumerate(profielen):
        answer: dict[str, Any] = {"gemeente": _gemeente(keten), "profiel": profiel.as_dict(engine.groepen)}
        for name in PART_ORDER:
            answer.update(fragment(name, row))
        answer["geen_effect"] = geen_effect[row]
        answers.append(answer)
    return answers


def verwijs(dataset: Dataset, graph: nx.MultiDiGraph, keten: Keten, profiel: Profiel) -> dict:
    """The answer for one profile, as plain data."""
    return verwijs_alle(dataset, graph, keten, [profiel])[0]
