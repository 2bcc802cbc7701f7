"""Stage 3: the chain scan (ketenscan). Dataset + graph in, plain findings out.

For every municipality the scan answers the questions of the infosheet's quickscan: who helps
whom, where are the gaps and overlaps, do referrals go round in circles or end nowhere, and which
organisations is everything hanging on. Each answer is a `Finding` with a plain-Dutch `tekst` a
coordinator can take to a meeting. The graph work uses NetworkX's own algorithms
(`simple_cycles`, `immediate_dominators`, `betweenness_centrality`, `descendants`).

Definitions (also explained on the site, in site_templates/ketenscan.md.j2):

* Profile: one combination of the four axes (2 x 2 x 3 x 2 = 24 profiles).
* Cell: a profile in a phase. Not every debt level belongs to every phase (the property
  `schulden` of each phase in the vocabulary): prevention is about no or some debts, early
  signalling and stabilisation about arrears, an amicable arrangement and the WSNP about
  problematic debts, aftercare about anyone. That gives 88 cells per chain.
* Support: a service with rol hulp (generator/domain/rules.py); registration, walk-in hours,
  coordination and early signalling are ways in, not help. A provider is a chain member (local,
  or national and directly linked) that the domain rules call a provider (offers support and is
  not a signal partner; the verwijswijzer uses the same rule). A provider serves a cell when the
  phase is one of its phases and the profile lies within its profielen.
* Gap (gat): a cell no provider serves; gaps are described as few, large groups ("minder
  leerbare hulpvragers met problematische schulden") and merged over phases with the same group.
  Also a gap: no provider recorded for urgent (threatening) situations.
* Overlap: two or more LOCAL providers offering the same support service to the same cells
  (national services are a fallback, not part of the local division of work). Cells are grouped
  by the exact set of organisations, one finding per service and set, phases merged.
* Referral graph: referral edges (relation kinds with verwijzing: ja) and consecutive steps of
  the chain's routes among the chain's members, plus signal edges (signaal: ja) from signal
  partners. A route with a condition narrows the
  profiles its steps carry; other referrals carry anyone (their 'wanneer' is free text).
* Ways in (ingangen): the chain's central access point, local organisations of a kind that is a
  way in (wijkteams), local organisations with walk-in hours and signal partners (the domain
  rules, `Domain.entry`).
* Walk: a help seeker with a profile starts at a way in and stays at the first organisation that
  fits the profile; an organisation that does not fit sends them on along a referral that carries
  the profile to an organisation that fits it or that refers on itself.
* Dead end (doodlopend): an organisation a profile reaches on such a walk, that does not serve the
  profile and has no referral to send it on.
* Loop (lus): a directed cycle of referrals (simple_cycles).
* Bottleneck (knelpunt): an organisation that dominates others in the referral graph seen from
  the ways in: every route to them passes through it (immediate_dominators from a virtual start
  linked to every way in and to every organisation with its own phone line, website or walk-in,
  which stays reachable whatever else falls away). Ranked by betweenness centrality.
* Unreachable (onbereikbaar): a local organisation no way in leads to and that has no way in of
  its own (phone, website, walk-in), or a profile that no way in brings to a provider that fits.
* Early signalling (signalering): which of the statutory signal partners (landlords, energy,
  drinking water, health insurance: the vocabulary's signaalsoorten) are connected, recognised by
  words in their name, description and signal conditions, and to whom their signals go.
* Stale records (verouderd): not a finding but a count on each chain's report: how many of the
  chain's records (its chain file and its local organisations) were last checked longer ago than
  the site allows. The rule is generator.upkeep's `Threshold` (the build day and the number of
  months), passed in by the pipeline, so the scan reads no settings and no clock itself; the same
  records are listed by `ketenkaart verouderd`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, fields
from typing import Callable, Iterable

import networkx as nx

from generator.graph.build import chain_edges, chain_members
from generator.model import DataError, Dataset, Keten, Organisatie
from generator.parallel import parallel_map
from generator.domain.rules import Domain, domain, opsomming, vocab_of
from generator.domain.rules import Ingang as EntryKind
from generator.domain.vocab import Vocabulary, in_zin, load_vocabulary
from generator.upkeep import ChainUpkeep, Threshold, chain_upkeep

SOORTEN = ("gat", "overlap", "lus", "doodlopend", "knelpunt", "onbereikbaar", "signalering", "basisdienstverlening")

MAX_LUSSEN = 20
VERWIJZING, SIGNAAL = "verwijzing", "signaal"  # the two kinds of edge in the referral graph


@dataclass(frozen=True)
class Finding:
    """One result of the scan, in the words a coordinator can use.

    profiel holds the axes that define the group the finding is about (axis -> value); an empty
    dict means every profile, None means profiles do not apply. fase is the phase when the
    finding is about exactly one; fasen lists every phase it is about. aandacht is False for
    findings that only inform (a signal partner that is connected).
    """

    gemeente: str  # CBS code
    soort: str  # one of SOORTEN
    tekst: str
    organisaties: tuple[str, ...] = ()
    profiel: dict[str, str] | None = None
    fase: str | None = None
    fasen: tuple[str, ...] = ()
    kenmerk: str | None = None  # a finer kind, e.g. 'spoed' for a gap, 'energie' for signalling
    aandacht: bool = True
    cijfers: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Plain data: tuples become lists, dicts copies (what dataclasses.asdict gives for these
        flat fields, without its deep walk: the exports hold tens of thousands of findings)."""
        data = {}
        for name in FINDING_FIELDS:
            value = getattr(self, name)
            data[name] = list(value) if isinstance(value, tuple) else dict(value) if isinstance(value, dict) else value
        return data


FINDING_FIELDS = tuple(f.name for f in fields(Finding))


@dataclass(frozen=True)
class Ingang:
    """A way into the chain and what help seekers reach from it."""

    org: str
    soort: str  # the kind of way in (rules.Ingang.soort)
    bereikt: int  # profiles that reach an organisation that fits them
    profielen: int  # profiles that some provider of the chain fits
    min_overdrachten: int | None
    max_overdrachten: int | None
    naam: str = ""  # the kind of way in, in Dutch ("wijkteam")


# -- profiles as bit masks ------------------------------------------------------------------------

class Profiles:
    """The 24 profiles, numbered; sets of profiles are int bit masks."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        self.axes = list(vocab.axes)
        self.values = [list(vocab.axes[a].terms) for a in self.axes]
        self.all = list(itertools.product(*self.values))
        self.full = (1 << len(self.all)) - 1
        self.fasen = list(vocab["fasen"].terms)
        self.domain = domain(vocab)
        self._phase_mask = {f: self.mask({"schulden": self.domain.phase_debts(f)}) for f in self.fasen}
        self._cubes: dict[str, list[tuple[dict[str, str], int, int]]] = {}

    def mask(self, condition: dict[str, Iterable[str]]) -> int:
        """Profiles that meet a condition (axis -> allowed values; other axes: any)."""
        result = 0
        for i, prof in enumerate(self.all):
            if all(prof[k] in condition[a] for k, a in enumerate(self.axes) if a in condition):
                result |= 1 << i
        return result

    def phase(self, fase: str) -> int:
        return self._phase_mask.get(fase, self.full)

    def count(self, mask: int) -> int:
        return bin(mask).count("1")

    def bits(self, mask: int) -> list[int]:
        return [i for i in range(len(self.all)) if mask >> i & 1]

    def as_dict(self, index: int) -> dict[str, str]:
        return dict(zip(self.axes, self.all[index]))

    def cubes(self, fase: str | None) -> list[tuple[dict[str, str], int, int]]:
        """Every group describable in words (each axis one value or any), within a phase."""
        key = fase or ""
        if key not in self._cubes:
            space = self.phase(fase) if fase else self.full
            options = []
            for axis, values in zip(self.axes, self.values):
                present = [v for v in values if space & self.mask({axis: (v,)})]
                options.append([None] + (present if len(present) > 1 else []))
            found = []
            for combo in itertools.product(*options):
                cube = {a: v for a, v in zip(self.axes, combo) if v is not None}
                found.append((cube, self.mask({a: (v,) for a, v in cube.items()}) & space, len(cube)))
            self._cubes[key] = found
        return self._cubes[key]

    def describe(self, mask: int, fase: str | None = None) -> list[dict[str, str]]:
        """Cover a set of profiles with few, large groups (greedy set cover over the cubes)."""
        left, chosen = mask, []
        candidates = [c for c in self.cubes(fase) if c[1] and c[1] & ~mask == 0]
        while left:
            cube, cmask, _n = max(candidates, key=lambda c: (self.count(c[1] & left), -c[2]))
            chosen.append(cube)
            left &= ~cmask
        return chosen


# -- Dutch phrases -----------------------------------------------------------------------------------

def wie(cube: dict[str, str], vocab: Vocabulary | None = None) -> str:
    """'minder leerbare hulpvragers met problematische schulden' for a group of profiles."""
    return domain(vocab or load_vocabulary()).group(cube)


def fasen_in(fasen: Iterable[str], vocab: Vocabulary) -> str:
    return opsomming([domain(vocab).phase_in(f) for f in fasen])


# -- one chain -----------------------------------------------------------------------------------------

class ChainScan:
    """Everything the scan computes for one chain; findings() gives the plain result."""

    def __init__(self, dataset: Dataset, graph: nx.MultiDiGraph, keten: Keten, profiles: Profiles):
        self.ds, self.graph, self.keten, self.p = dataset, graph, keten, profiles
        self.vocab = profiles.vocab
        self.rules: Domain = domain(self.vocab)
        self.members = sorted(chain_members(graph, keten), key=self._order)
        self.orgs: dict[str, Organisatie] = {m: dataset.organisaties[m] for m in self.members}
        self.local = [m for m in self.members if keten.cbs in self.orgs[m].gemeenten]
        self.signal = {m for m in self.members if self.rules.is_signal_partner(self.orgs[m])}
        self.edges = chain_edges(graph, set(self.members))  # (van, naar, soort, data), sorted
        self.fit: dict[str, int] = {}
        for m in self.members:
            org = self.orgs[m]
            self.fit[m] = self.p.mask(org.profielen) if self.rules.is_provider(org) else 0
        self.providers = [m for m in self.members if self.fit[m]]
        self.referrals = self._referral_graph()
        self.entries = self._entries()
        self.admitted_out = {m: 0 for m in self.members}
        for u, v, data in self.referrals.edges(data=True):
            if data["soort"] == VERWIJZING:
                self.admitted_out[u] |= data["mask"]

    # -- building blocks ---------------------------------------------------------------------------
    def _order(self, org_id: str) -> tuple:
        return (self.ds.organisaties[org_id].naam.casefold(), org_id)

    def name(self, org_id: str) -> str:
        return self.orgs[org_id].naam if org_id in self.orgs else self.ds.organisaties[org_id].naam

    def names(self, ids: Iterable[str], limit: int | None = None) -> str:
        shown = [self.name(i) for i in sorted(ids, key=self._order)]
        if limit and len(shown) > limit + 1:
            return opsomming(shown[:limit] + [f"{len(shown) - limit} andere organisaties"])
        return opsomming(shown)

    def _support(self, org: Organisatie) -> set[str]:
        return set(self.rules.help_services(org))

    def _referral_graph(self) -> nx.DiGraph:
        """Referral edges and route steps (with the profiles they carry), signal edges from signal partners."""
        g = nx.DiGraph()
        g.add_nodes_from(self.members)
        members = set(self.members)
        route_masks: dict[tuple[str, str], int] = {}
        for route in self.keten.routes:
            condition = {a: v for a, v in route.voorwaarde.items() if a in self.vocab.axes}
            mask = self.p.mask(condition)
            for u, v in zip(route.stappen, route.stappen[1:]):
                if u in members and v in members and u != v:
                    route_masks[(u, v)] = route_masks.get((u, v), 0) | mask
        for u, v, key, _data in self.edges:
            if self.rules.is_referral(key):
                g.add_edge(u, v, soort=VERWIJZING, mask=route_masks.get((u, v), self.p.full))
            elif self.rules.is_signal(key) and u in self.signal and not g.has_edge(u, v):
                g.add_edge(u, v, soort=SIGNAAL, mask=self.p.full)
        for (u, v), mask in route_masks.items():
            if not g.has_edge(u, v) or g[u][v]["soort"] != VERWIJZING:
                g.add_edge(u, v, soort=VERWIJZING, mask=mask)
        return g

    def _entries(self) -> dict[str, EntryKind]:
        """Ways in, each with its kind (the first that applies; Domain.entry)."""
        found = {}
        if self.keten.toegang in self.orgs:
            found[self.keten.toegang] = self.rules.entry(self.orgs[self.keten.toegang], self.keten)
        for m in self.members:
            if m not in found:
                kind = self.rules.entry(self.orgs[m], self.keten)
                if kind is not None:
                    found[m] = kind
        return found

    # -- the walk --------------------------------------------------------------------------------------
    def walk(self, starts: Iterable[str], removed: str | None = None) -> tuple[dict[int, tuple[str, int]], dict[str, int]]:
        """Help seekers of every profile walk from the ways in; see the module docstring.

        Returns, per profile, the first fitting organisation and the handovers to it, and per
        organisation the profiles that get stuck there (dead ends).
        """
        fit, out = self.fit, self.admitted_out
        helped: dict[int, tuple[str, int]] = {}
        stuck: dict[str, int] = {}
        seen: dict[str, int] = {}
        frontier = {s: self.p.full for s in starts if s != removed}
        for s in frontier:
            seen[s] = self.p.full
        level = 0
        while frontier:
            nxt: dict[str, int] = {}
            for node in sorted(frontier, key=self._order):
                arriving = frontier[node]
                here = arriving & fit[node]
                for i in self.p.bits(here):
                    helped.setdefault(i, (node, level))
                rest = arriving & ~fit[node]
                if not rest:
                    continue
                moved = 0
                for succ in self.referrals.successors(node):
                    if succ == removed:
                        continue
                    edge = self.referrals[node][succ]
                    sensible = fit[succ] | out[succ]
                    go = rest & edge["mask"] & sensible
                    if not go:
                        continue
                    moved |= go
                    new = go & ~seen.get(succ, 0)
                    if new:
                        seen[succ] = seen.get(succ, 0) | new
                        nxt[succ] = nxt.get(succ, 0) | new
                if rest & ~moved and node not in self.signal:
                    stuck[node] = stuck.get(node, 0) | (rest & ~moved)
            frontier = nxt
            level += 1
        return helped, stuck

    def fittable(self) -> int:
        result = 0
        for m in self.providers:
            result |= self.fit[m]
        return result

    def ingangen(self) -> list[Ingang]:
        fittable = self.fittable()
        rows = []
        for org_id, kind in sorted(self.entries.items(), key=lambda kv: (kv[1].rang, self._order(kv[0]))):
            helped, _ = self.walk([org_id])
            steps = [h for _org, h in helped.values()]
            rows.append(Ingang(org_id, kind.soort, len(helped), self.p.count(fittable),
                               min(steps) if steps else None, max(steps) if steps else None, kind.naam))
        return rows

    # -- coverage --------------------------------------------------------------------------------------
    def dekking(self) -> dict[str, list[list[str] | None]]:
        """Per phase, per profile: the providers serving that cell (None where the cell does not apply)."""
        result = {}
        for fase in self.p.fasen:
            space = self.p.phase(fase)
            row: list[list[str] | None] = []
            for i in range(len(self.p.all)):
                if not space >> i & 1:
                    row.append(None)
                else:
                    row.append([m for m in self.providers if fase in self.orgs[m].fasen and self.fit[m] >> i & 1])
            result[fase] = row
        return result

    # -- findings --------------------------------------------------------------------------------------
    def findings(self) -> list[Finding]:
        found = (self.gaps() + self.overlaps() + self.loops() + self.dead_ends() + self.bottlenecks()
                 + self.unreachable() + self.signalling() + self.basic_services())
        return sorted(found, key=lambda f: SOORTEN.index(f.soort))

    def _finding(self, soort: str, tekst: str, **kw) -> Finding:
        return Finding(gemeente=self.keten.cbs, soort=soort, tekst=tekst, **kw)

    def _merge_phases(self, groups: dict[tuple, list[str]]) -> list[tuple[tuple, list[str]]]:
        order = {f: i for i, f in enumerate(self.p.fasen)}
        return sorted(groups.items(), key=lambda kv: (order[kv[1][0]], str(kv[0])))

    def gaps(self) -> list[Finding]:
        groups: dict[tuple, list[str]] = {}
        cells: dict[tuple, int] = {}
        for fase in self.p.fasen:
            covered = 0
            for m in self.providers:
                if fase in self.orgs[m].fasen:
                    covered |= self.fit[m]
            missing = self.p.phase(fase) & ~covered
            if not missing:
                continue
            for cube in self.p.describe(missing, fase):
                key = tuple(cube.items())
                groups.setdefault(key, []).append(fase)
                cube_mask = self.p.mask({a: (v,) for a, v in cube.items()}) & self.p.phase(fase) & missing
                cells[key] = cells.get(key, 0) + self.p.count(cube_mask)
        result = []
        for key, fasen in self._merge_phases(groups):
            cube = dict(key)
            result.append(self._finding(
                "gat", f"Niemand in de keten ondersteunt {wie(cube, self.vocab)} {fasen_in(fasen, self.vocab)}.",
                profiel=cube, fase=fasen[0] if len(fasen) == 1 else None, fasen=tuple(fasen),
                kenmerk="profiel", cijfers={"cellen": cells[key]}))
        if self.providers and not any(self.orgs[m].spoed for m in self.providers):
            result.append(self._finding(
                "gat", "Geen organisatie in de keten is vastgelegd als hulp bij spoed: een dreigende "
                "huisuitzetting, afsluiting van energie of water, of een opgezegde zorgverzekering. In zo'n "
                "situatie moet het eerste gesprek binnen drie werkdagen plaatsvinden.",
                kenmerk="spoed"))
        return result

    def overlaps(self) -> list[Finding]:
        local_providers = [m for m in self.providers if m in self.local]
        groups: dict[tuple, list[str]] = {}
        for fase in self.p.fasen:
            space = self.p.phase(fase)
            services = sorted({d for m in local_providers for d in self._support(self.orgs[m])},
                              key=list(self.vocab["diensten"].terms).index)
            for dienst in services:
                offering = [m for m in local_providers
                            if fase in self.orgs[m].fasen and dienst in self.orgs[m].diensten]
                if len(offering) < 2:
                    continue
                by_set: dict[tuple[str, ...], int] = {}
                for i in self.p.bits(space):
                    who = tuple(m for m in offering if self.fit[m] >> i & 1)
                    if len(who) >= 2:
                        by_set[who] = by_set.get(who, 0) | 1 << i
                for who, mask in by_set.items():
                    cubes = tuple(tuple(c.items()) for c in self.p.describe(mask, fase))
                    groups.setdefault((dienst, who, cubes), []).append(fase)
        result = []
        for (dienst, who, cubes), fasen in self._merge_phases(groups):
            together = all(self.graph.has_edge(a, b) or self.graph.has_edge(b, a)
                           for a, b in itertools.combinations(who, 2))
            aantal = {2: "allebei", 3: "alle drie", 4: "alle vier"}.get(len(who), "allemaal")
            groep = opsomming([wie(dict(c), self.vocab) for c in cubes]) if cubes != ((),) else "alle hulpvragers"
            tekst = (f"{self.names(who)} bieden {aantal} {in_zin(self.vocab.label('diensten', dienst))} aan "
                     f"{groep} {fasen_in(fasen, self.vocab)}. "
                     + ("Zij werken samen; spreek af wie wat doet." if together
                        else "Er is geen samenwerking tussen hen vastgelegd; bespreek wie wat doet."))
            result.append(self._finding(
                "overlap", tekst, organisaties=tuple(sorted(who, key=self._order)),
                profiel=dict(cubes[0]) if len(cubes) == 1 else None,
                fase=fasen[0] if len(fasen) == 1 else None, fasen=tuple(fasen), kenmerk=dienst,
                cijfers={"organisaties": len(who)}))
        return result

    def loops(self) -> list[Finding]:
        refer = nx.DiGraph()
        refer.add_nodes_from(self.members)
        refer.add_edges_from((u, v, d) for u, v, d in self.referrals.edges(data=True) if d["soort"] == VERWIJZING)
        cycles = list(itertools.islice(nx.simple_cycles(refer), MAX_LUSSEN + 1))
        more = len(cycles) > MAX_LUSSEN
        rotated = []
        for cycle in cycles[:MAX_LUSSEN]:
            start = min(range(len(cycle)), key=lambda k: self._order(cycle[k]))
            rotated.append(cycle[start:] + cycle[:start])
        rotated.sort(key=lambda c: (len(c), [self._order(n) for n in c]))
        result = []
        for cycle in rotated:
            names = [self.name(n) for n in cycle]
            parts = [f"{names[0]} verwijst naar {names[1]}"] + [f"{a} naar {b}" for a, b in zip(names[1:-1], names[2:])]
            path = ", ".join(parts) + f" en {names[-1]} weer naar {names[0]}"
            carried = self.p.full
            for a, b in zip(cycle, cycle[1:] + cycle[:1]):
                carried &= refer[a][b]["mask"]
            at_risk = carried
            for n in cycle:
                at_risk &= ~self.fit[n]
            tekst = f"Verwijzingen gaan in een kring rond: {path}. Zo kan een hulpvrager van het kastje naar de muur gestuurd worden."
            profiel = None
            if at_risk and at_risk != self.p.full:
                cubes = self.p.describe(at_risk)
                tekst += f" Dat geldt vooral voor {opsomming([wie(c, self.vocab) for c in cubes])}, die bij geen van hen passen."
                profiel = cubes[0] if len(cubes) == 1 else None
            result.append(self._finding("lus", tekst, organisaties=tuple(cycle), profiel=profiel,
                                        cijfers={"lengte": len(cycle)}))
        if more:
            result.append(self._finding(
                "lus", f"Er zijn meer dan {MAX_LUSSEN} verwijslussen; alleen de eerste {MAX_LUSSEN} staan hierboven.",
                kenmerk="meer"))
        return result

    def dead_ends(self) -> list[Finding]:
        _helped, stuck = self.walk(self.entries)
        result = []
        for org_id in sorted(stuck, key=self._order):
            mask = stuck[org_id]
            cubes = self.p.describe(mask)
            naam = self.name(org_id)
            if mask == self.p.full:
                tekst = (f"Wie bij {naam} binnenkomt, kan nergens verder: {naam} ondersteunt zelf niemand en "
                         "verwijst naar niemand door.")
            else:
                tekst = (f"Bij {naam} loopt de route dood voor {opsomming([wie(c, self.vocab) for c in cubes])}: "
                         f"{naam} ondersteunt hen niet zelf en verwijst hen naar niemand door.")
            result.append(self._finding(
                "doodlopend", tekst, organisaties=(org_id,), profiel=cubes[0] if len(cubes) == 1 else None,
                cijfers={"profielen": self.p.count(mask)}))
        return result

    def bottlenecks(self) -> list[Finding]:
        if not self.entries:
            return []
        start = ("__ingang__",)
        g = nx.DiGraph(self.referrals)
        g.add_edges_from((start, e) for e in self.entries)
        # an organisation with its own phone line, website or walk-in stays reachable without others
        g.add_edges_from((start, m) for m in self.members if self.rules.own_ways_in(self.orgs[m]))
        idom = nx.immediate_dominators(g, start)
        children: dict = {}
        for node, parent in idom.items():
            if node != parent:
                children.setdefault(parent, []).append(node)
        betweenness = nx.betweenness_centrality(self.referrals)
        helped_all, _ = self.walk(self.entries)
        result = []
        for org_id in self.members:
            if org_id not in children:
                continue
            cut = set(nx.descendants(nx.DiGraph([(p, c) for p, cs in children.items() for c in cs]), org_id))
            if not cut:
                continue
            naam = self.name(org_id)
            tekst = (f"Alle verwijzingen naar {self.names(cut, limit=5)} lopen via {naam}. Valt {naam} weg, dan "
                     + ("is die" if len(cut) == 1 else "zijn die")
                     + " vanuit geen enkele ingang meer te bereiken.")
            elsewhere = {d for m in self.providers if m not in cut and m != org_id for d in self._support(self.orgs[m])}
            only_here = sorted({d for m in cut for d in self._support(self.orgs[m]) if m in self.providers} - elsewhere,
                               key=list(self.vocab["diensten"].terms).index)
            if only_here:
                tekst += (" Daarmee valt ook het enige aanbod in de keten weg voor "
                          + opsomming([in_zin(self.vocab.label("diensten", d)) for d in only_here]) + ".")
            helped_without, _ = self.walk(self.entries, removed=org_id)
            lost = 0
            for i in helped_all:
                if i not in helped_without:
                    lost |= 1 << i
            lost &= ~self.fit[org_id]
            profiel = None
            if lost:
                cubes = self.p.describe(lost)
                tekst += f" Dan vinden {opsomming([wie(c, self.vocab) for c in cubes])} nergens meer passende hulp."
                profiel = cubes[0] if len(cubes) == 1 else None
            result.append(self._finding(
                "knelpunt", tekst, organisaties=(org_id, *sorted(cut, key=self._order)), profiel=profiel,
                cijfers={"afhankelijk": len(cut), "tussenligging": round(betweenness.get(org_id, 0.0), 4),
                         "profielen": self.p.count(lost)}))
        result.sort(key=lambda f: (-f.cijfers["tussenligging"], -f.cijfers["afhankelijk"]))
        return result

    def unreachable(self) -> list[Finding]:
        result = []
        reachable = set(self.entries)
        for e in self.entries:
            reachable |= nx.descendants(self.referrals, e)
        for org_id in self.local:
            org = self.orgs[org_id]
            if org_id in reachable or org_id in self.signal or self.rules.own_ways_in(org):
                continue
            naam = self.name(org_id)
            referrers = [u for u in self.referrals.predecessors(org_id)]
            if referrers:
                tekst = (f"{naam} is vanuit geen enkele ingang van de keten te bereiken: alleen "
                         f"{self.names(referrers)} verwijst ernaar, en die is zelf niet bereikbaar.")
            else:
                tekst = (f"Niemand verwijst naar {naam}, en {naam} heeft geen eigen ingang (telefoon, website of "
                         "inloop). Hulpvragers kunnen er zo niet terechtkomen.")
            result.append(self._finding("onbereikbaar", tekst, organisaties=(org_id,), kenmerk="organisatie"))
        helped, _ = self.walk(self.entries)
        helped_mask = 0
        for i in helped:
            helped_mask |= 1 << i
        lost = self.fittable() & ~helped_mask
        if lost and self.entries:
            for cube in self.p.describe(lost):
                cube_mask = self.p.mask({a: (v,) for a, v in cube.items()}) & lost
                who = [m for m in self.providers if self.fit[m] & cube_mask]
                result.append(self._finding(
                    "onbereikbaar",
                    f"{wie(cube, self.vocab)[:1].upper()}{wie(cube, self.vocab)[1:]} komen via geen enkele ingang "
                    f"bij een organisatie die bij hen past, hoewel {self.names(who)} hen wel kan helpen.",
                    organisaties=tuple(who), profiel=cube, kenmerk="profiel",
                    cijfers={"profielen": self.p.count(cube_mask)}))
        return result

    def signal_kind(self, org_id: str) -> str | None:
        return self.rules.signal_kind(self.orgs[org_id])

    def basic_services(self) -> list[Finding]:
        """Elements of basisdienstverlening (vocabulary 'basiselementen') that no local provider
        covers according to the data: a phase or service nobody offers, target groups nobody targets."""
        local = [self.orgs[m] for m in self.providers if m in self.local]
        result = []
        for key, element in self.vocab["basiselementen"].terms.items():
            naam = in_zin(element.label)
            fasen, diensten, groepen = element.get("fasen") or (), element.get("diensten") or (), element.get("doelgroepen") or ()
            if (fasen or diensten) and not any(set(fasen) & set(o.fasen) or set(diensten) & set(o.diensten) for o in local):
                result.append(self._finding(
                    "basisdienstverlening",
                    f"In de gegevens biedt geen organisatie in de keten {naam}. Dat is een element van de "
                    "basisdienstverlening schuldhulpverlening (2024).", kenmerk=key))
            missing = [g for g in groepen if not any(g in o.doelgroepen for o in local)]
            if missing:
                labels = [in_zin(self.vocab.label("doelgroepen", g)) for g in missing]
                result.append(self._finding(
                    "basisdienstverlening",
                    f"Voor {opsomming(labels)} staat in de keten geen organisatie met een aanbod dat zich op hen richt. "
                    f"{element.label} is een element van de basisdienstverlening schuldhulpverlening (2024).",
                    kenmerk=key, cijfers={"doelgroepen": len(missing)}))
        return result

    def signalling(self) -> list[Finding]:
        result = []
        sent: dict[str, list[str]] = {s: [] for s in sorted(self.signal, key=self._order)}
        for u, v, key, _data in self.edges:
            if u in sent and self.rules.is_signal(key):
                sent[u].append(v)
        targets = {s: sorted(to, key=self._order) for s, to in sent.items()}
        by_kind: dict[str | None, list[str]] = {}
        for s in targets:
            by_kind.setdefault(self.signal_kind(s), []).append(s)

        def sends(partners: list[str]) -> str:
            by_target: dict[tuple[str, ...], list[str]] = {}
            for s in partners:
                by_target.setdefault(tuple(targets[s]), []).append(s)
            parts = []
            for to, who in by_target.items():
                verb = "geeft" if len(who) == 1 else "geven"
                parts.append(f"{self.names(who)} {verb} signalen door aan {self.names(to)}" if to else
                             f"{self.names(who)} {verb} aan niemand signalen door")
            return "; ".join(parts)

        missing = []
        for kind, term in self.vocab["signaalsoorten"].terms.items():
            label = in_zin(term.label)
            partners = by_kind.get(kind, [])
            if not partners:
                missing.append(label)
                continue
            silent = [s for s in partners if not targets[s]]
            receivers = sorted({t for s in partners for t in targets[s]}, key=self._order)
            tekst = f"{label[:1].upper()}{label[1:]} zijn als wettelijke signaalpartner aan de keten verbonden: {sends(partners)}."
            if silent:
                tekst += f" Van {self.names(silent)} is niet vastgelegd naar wie de signalen gaan."
            result.append(self._finding("signalering", tekst, organisaties=tuple(partners + receivers),
                                        kenmerk=kind, aandacht=bool(silent)))
        if missing:
            result.append(self._finding(
                "signalering",
                f"Van de wettelijke signaalpartners is in de gegevens niemand aan de keten verbonden voor: "
                f"{opsomming(missing)}. Sinds 2021 geven zij betalingsachterstanden door aan de gemeente; "
                "leg vast wie hun signalen ontvangt.",
                kenmerk="ontbreekt", cijfers={"ontbreekt": len(missing)}))
        other = by_kind.get(None, [])
        connected = [s for s in other if targets[s]]
        if connected:
            result.append(self._finding(
                "signalering", f"Andere signaalpartners: {sends(connected)}.",
                organisaties=tuple(connected + sorted({t for s in connected for t in targets[s]}, key=self._order)),
                kenmerk="overig", aandacht=False))
        for s in other:
            if not targets[s]:
                result.append(self._finding(
                    "signalering", f"{self.name(s)} is als signaalpartner vastgelegd, maar geeft volgens de gegevens "
                    "aan niemand in de keten signalen door.", organisaties=(s,), kenmerk="geen-signalen"))
        receivers = sorted({t for ts in targets.values() for t in ts}, key=self._order)
        later = self.rules.phases_after_signalling()
        for r in receivers:
            refers = any(d["soort"] == VERWIJZING for _u, _v, d in self.referrals.out_edges(r, data=True))
            helps_on = bool(self.fit[r]) and bool(later & set(self.orgs[r].fasen))
            if not refers and not helps_on:
                naam = self.name(r)
                result.append(self._finding(
                    "signalering", f"Signalen komen binnen bij {naam}, maar de gegevens leggen niet vast naar wie "
                    f"{naam} daarna doorverwijst.", organisaties=(r,), kenmerk="niet-doorverwezen"))
        return result


# -- public interface ----------------------------------------------------------------------------------

def scan_keten(dataset: Dataset, graph: nx.MultiDiGraph, keten: Keten, profiles: Profiles | None = None) -> ChainScan:
    return ChainScan(dataset, graph, keten, profiles or Profiles(vocab_of(dataset)))


@dataclass(frozen=True)
class ChainReport:
    """What the scan found in one chain, as plain data for the pages: the findings, and the
    coverage behind them (who fits which profiles, per phase who serves each cell, the ways in)."""

    gemeente: str  # CBS code
    findings: tuple[Finding, ...]
    members: tuple[str, ...]  # in name order
    providers: tuple[str, ...]
    fit: dict[str, int]  # organisation -> the profiles it serves (bit mask, see Profiles)
    dekking: dict[str, list[list[str] | None]]  # phase -> per profile the providers (None: n/a)
    ingangen: tuple[Ingang, ...]
    bijhouden: ChainUpkeep | None = None  # the stale records (None: no threshold was given)


def report(chain: ChainScan, drempel: Threshold | None = None) -> ChainReport:
    return ChainReport(gemeente=chain.keten.cbs, findings=tuple(chain.findings()), members=tuple(chain.members),
                       providers=tuple(chain.providers), fit=dict(chain.fit), dekking=chain.dekking(),
                       ingangen=tuple(chain.ingangen()),
                       bijhouden=chain_upkeep(chain.ds, chain.keten, drempel) if drempel else None)


def report_order(dataset: Dataset, reports: dict[str, ChainReport]) -> dict[str, ChainReport]:
    """Reports in the order of scan_reports (municipality name, then code): the findings and the
    exports list them in that order."""
    return {k.cbs: reports[k.cbs] for k in sorted(dataset.ketens.values(), key=lambda k: (k.naam.casefold(), k.cbs))
            if k.cbs in reports}


def scan_reports(dataset: Dataset, graph: nx.MultiDiGraph, gemeenten: Iterable[str] | None = None,
                 drempel: Threshold | None = None) -> dict[str, ChainReport]:
    """The report of every chain (or of the chains with the given CBS codes), by CBS code, in name order.
    With `drempel` (the upkeep rule: a day and a number of months) each report counts the chain's
    stale records; without it they are not counted."""
    wanted = set(gemeenten) if gemeenten is not None else None
    ketens = [keten for keten in dataset.ketens.values() if wanted is None or keten.cbs in wanted]
    # chains are independent: with many of them, on every core (the same reports as one by one)
    made = parallel_map(chain_reporter(dataset, graph, drempel), ketens)
    return report_order(dataset, {keten.cbs: r for keten, r in zip(ketens, made)})


def chain_reporter(dataset: Dataset, graph: nx.MultiDiGraph, drempel: Threshold | None = None) -> Callable[[Keten], ChainReport]:
    """The report of one chain, as scan_reports makes it: for callers that spread the chains over
    the cores together with other work per chain (pipeline.analyse)."""
    profiles = Profiles(vocab_of(dataset))
    return lambda keten: report(ChainScan(dataset, graph, keten, profiles), drempel)


def findings_of(reports: dict[str, ChainReport]) -> list[Finding]:
    return [f for r in reports.values() for f in r.findings]


def finding_rows(findings: Iterable[Finding], dataset: Dataset) -> list[dict]:
    """Findings as plain rows (Finding.as_dict plus the municipality's name), for JSON and CSV."""
    rows = []
    for f in findings:
        row = f.as_dict()
        row["gemeentenaam"] = dataset.ketens[f.gemeente].naam if f.gemeente in dataset.ketens else f.gemeente
        rows.append(row)
    return rows


def scan(dataset: Dataset, graph: nx.MultiDiGraph, gemeenten: Iterable[str] | None = None) -> list[Finding]:
    """Every finding for every chain (or only the chains with the given CBS codes), chain by chain."""
    profiles = Profiles(vocab_of(dataset))
    wanted = set(gemeenten) if gemeenten is not None else None
    result: list[Finding] = []
    for keten in sorted(dataset.ketens.values(), key=lambda k: (k.naam.casefold(), k.cbs)):
        if wanted is None or keten.cbs in wanted:
            result.extend(ChainScan(dataset, graph, keten, profiles).findings())
    return result


def disallowed(dataset: Dataset, findings: Iterable[Finding]) -> list[DataError]:
    """Findings of a kind their chain marks as niet-toegestaan, as errors pointing at that line."""
    vocab = vocab_of(dataset)
    errors = []
    for f in findings:
        keten = dataset.ketens.get(f.gemeente)
        if keten and f.aandacht and f.soort in keten.niet_toegestaan:
            errors.append(DataError(
                keten.bestand, keten.niet_toegestaan[f.soort], "niet-toegestaan",
                f"{vocab.label('bevindingen', f.soort).lower()} gevonden, en die is in deze keten niet toegestaan: {f.tekst}"))
    return errors


def summary(findings: Iterable[Finding], vocab: Vocabulary | None = None) -> dict[str, dict[str, float]]:
    """Per CBS code: the measures the overview compares (counts per kind, gap cells, signal partners)."""
    signal_kinds = (vocab or load_vocabulary())["signaalsoorten"].terms
    result: dict[str, dict[str, float]] = {}
    for f in findings:
        row = result.setdefault(f.gemeente, {s: 0 for s in SOORTEN} | {"cellen": 0, "signaalsoorten": 0, "spoed": 1})
        if f.aandacht:
            row[f.soort] += 1
        if f.soort == "gat":
            row["cellen"] += f.cijfers.get("cellen", 0)
            if f.kenmerk == "spoed":
                row["spoed"] = 0
        if f.soort == "signalering" and f.kenmerk in signal_kinds:
            row["signaalsoorten"] += 1
    return result


def total_cells(profiles: Profiles | None = None) -> int:
    profiles = profiles or Profiles(load_vocabulary())
    return sum(profiles.count(profiles.phase(f)) for f in profiles.fasen)
