"""What a rebuild can take over from the previous build: an edit costs what it changes.

Most files of the site belong to one municipality (`urls.keten_bestanden`: its page, map, scan
figure, verwijswijzer answers and downloads) or to one organisation (its page). Each such unit
gets a fingerprint: a digest of everything its files are made from. A build remembers, per unit,
its fingerprint and the digests of the files it made (the `Memo`, kept in the work folder); the
next build makes a unit again only when its fingerprint changed, and otherwise passes its files on
as `Unchanged` (the publish stage leaves them as they are). The files of the whole site (overviews,
the national map and downloads, the search, the exports) are made on every build.

What a unit is made from (checked by tests/integration/test_reuse.py, which compares a rebuild
after many kinds of edit with a clean build, file by file):

* everything: the engine (its code and templates), the vocabulary, mkdocs.yml, the abbreviations,
  the guidance pages, the day of the build, the name, code and slug of every municipality, and
  whether organisations' search entries are short (pages.search_details);
* a municipality: its chain file; its local organisations and every organisation linked to one
  of them (the national ones on its map, partners elsewhere that routes and answers name); the
  organisations its chain file names (access point, regie, route steps); and all national
  organisations (the verwijswijzer ranks them in every municipality);
* an organisation: its own file, the organisations it is linked to (their names and
  municipalities show on its page), and the chain files of its municipalities.

A record's digest is that of its pickle: records are frozen dataclasses of text, numbers, tuples
and dicts, whose pickles are the same in every process. The scan's report of a municipality is
kept in the memo too: the scan overview needs every chain's report.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Iterable

import networkx as nx

from generator import cachefile, urls
from generator.analyse.scan import ChainReport
from generator.model import Dataset, Scope, Unchanged, digest, digest_of
from generator.project import engine_path
from generator.render.pages import search_details

VERSION = 1
MEMO_FILE = "hergebruik.pickle"  # in the work folder
LIBRARIES = ("jinja2", "markupsafe", "networkx", "numpy", "pyvis", "openpyxl", "pyyaml", "mkdocs-material")


def engine_digest() -> str:
    """A digest of the engine's own files (code, templates, assets) and the libraries it renders
    with: a change to any of them (also in a working copy whose version number stays the same)
    makes everything again."""
    versions = []
    for library in LIBRARIES:
        try:
            versions.append(f"{library}={metadata.version(library)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{library}=?")
    found = cachefile.code_digest(Path(__file__).resolve().parent, engine_path(),
                                  extra="\0".join([*versions, sys.version]))
    return found or digest_of(time.time_ns())  # unreadable: a digest no other build has


@dataclass(frozen=True)
class Fingerprints:
    """Per unit, a digest of everything its files are made from (see the module docstring)."""

    ketens: dict[str, str]  # CBS code -> digest
    organisaties: dict[str, str]  # id -> digest


def fingerprints(dataset: Dataset, graph: nx.MultiDiGraph, site: str) -> Fingerprints:
    """`site`: the digest of what every page is made from (the first point of the module docstring)."""
    records = {org_id: digest_of(org) for org_id, org in dataset.organisaties.items()}
    chain_records = {cbs: digest_of(keten) for cbs, keten in dataset.ketens.items()}
    identities = sorted((k.cbs, k.naam, k.slug) for k in dataset.ketens.values())
    common = digest_of(VERSION, site, identities, search_details(dataset))
    national = digest_of(sorted((o.id, records[o.id]) for o in dataset.landelijke()))

    def linked(org_id: str) -> set[str]:
        return {*graph.successors(org_id), *graph.predecessors(org_id)} if org_id in graph else set()

    ketens = {}
    for cbs, keten in dataset.ketens.items():
        local = {o.id for o in dataset.in_gemeente(cbs)}
        named = {keten.toegang, keten.regie, *(step for route in keten.routes for step in route.stappen)}
        uses = local.union(*(linked(o) for o in local), named)
        ketens[cbs] = digest_of(common, chain_records[cbs], national,
                          sorted((o, records[o]) for o in uses if o in records))
    organisaties = {}
    for org_id, org in dataset.organisaties.items():
        uses = linked(org_id) | {org_id}
        organisaties[org_id] = digest_of(common, sorted((o, records[o]) for o in uses if o in records),
                                   sorted((c, chain_records[c]) for c in set(org.gemeenten) if c in chain_records))
    return Fingerprints(ketens, organisaties)


@dataclass
class Unit:
    fingerprint: str
    files: dict[str, str]  # path (relative to the docs folder) -> digest of its content
    report: ChainReport | None = None  # a municipality's scan report


@dataclass
class Memo:
    """What a build made, per unit: the previous build's memo tells the next what it may keep."""

    ketens: dict[str, Unit] = field(default_factory=dict)  # by CBS code
    organisaties: dict[str, Unit] = field(default_factory=dict)  # by id

    def file_digests(self) -> dict[str, str]:
        """The digest of every file of every unit, by path relative to the docs folder."""
        return {path: d for units in (self.ketens, self.organisaties) for unit in units.values()
                for path, d in unit.files.items()}


@dataclass(frozen=True)
class Plan:
    """What this build makes again, and what it takes over from the previous one."""

    scope: Scope
    reports: dict[str, ChainReport]  # the scan reports of the municipalities it keeps
    kept: dict[str, Unchanged]  # the files it keeps, by path relative to the docs folder


def plan(fps: Fingerprints, memo: Memo | None, published: dict[str, str] | None) -> Plan:
    """Keep a unit when its fingerprint is the one remembered and every file it made is still
    there with the same content (`published`: the digests the publish stage recorded for the
    work folder, by path relative to the docs folder). Without memo or record: make everything."""
    if memo is None or published is None:
        return Plan(Scope(), {}, {})

    def still_there(unit: Unit | None, fingerprint: str) -> bool:
        return unit is not None and unit.fingerprint == fingerprint and \
            all(published.get(path) == d for path, d in unit.files.items())

    keep_chains = {cbs for cbs, fp in fps.ketens.items()
                   if still_there(memo.ketens.get(cbs), fp) and memo.ketens[cbs].report is not None}
    keep_orgs = {org_id for org_id, fp in fps.organisaties.items() if still_there(memo.organisaties.get(org_id), fp)}
    kept = {path: Unchanged(d) for units, keep in ((memo.ketens, keep_chains), (memo.organisaties, keep_orgs))
            for key in keep for path, d in units[key].files.items()}
    return Plan(Scope(frozenset(fps.ketens.keys() - keep_chains), frozenset(fps.organisaties.keys() - keep_orgs)),
                {cbs: memo.ketens[cbs].report for cbs in keep_chains}, kept)


def remember(fps: Fingerprints, dataset: Dataset, files: dict[str, str | bytes | Unchanged],
             reports: dict[str, ChainReport], previous: Memo | None) -> Memo:
    """The memo of this build: every unit with its fingerprint and the digests of its files
    (taken over from the previous memo for the units that were kept)."""

    def digests(paths: Iterable[str]) -> dict[str, str]:
        found = {}
        for path in paths:
            content = files.get(path)
            if isinstance(content, Unchanged):
                found[path] = content.digest
            elif content is not None:
                found[path] = digest(content if isinstance(content, bytes) else content.encode("utf-8"))
        return found

    memo = Memo()
    for cbs, keten in dataset.ketens.items():
        memo.ketens[cbs] = Unit(fps.ketens[cbs], digests(urls.keten_bestanden(keten.slug)), reports.get(cbs))
    for org_id in dataset.organisaties:
        memo.organisaties[org_id] = Unit(fps.organisaties[org_id], digests([urls.organisatie_bron(org_id)]))
    return memo


def read_memo(work: Path) -> Memo | None:
    """The memo the previous build left in the work folder; None when there is none or it cannot
    be read (the fingerprints in it tell whether anything may be kept)."""
    memo = cachefile.read(work / MEMO_FILE, "ketenkaart-hergebruik", str(VERSION))
    return memo if isinstance(memo, Memo) else None


def write_memo(work: Path, memo: Memo) -> None:
    """Best effort: without a memo the next build makes everything."""
    cachefile.write(work / MEMO_FILE, "ketenkaart-hergebruik", str(VERSION), memo)
