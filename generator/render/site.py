"""Stage 4: render pages, maps, downloads and assets as files in memory.

`render_site(context)` returns a mapping of site-relative paths (relative to the docs folder) to
their contents (str or bytes); the publish stage writes them (the settings snippets go beside the
docs folder, into ../includes/ketenkaart/: render/settings_snippets.py). Everything it shows comes in the
`SiteContext`: the data, the graph and the results of the analysis stage, each computed once
before rendering starts. Nothing here runs an analysis or fills in another stage's results.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib.resources import files
from typing import Callable

import networkx as nx

from generator import urls
from generator.analyse.scan import ChainReport
from generator.domain.rules import vocab_of
from generator.model import ALLES, Dataset, Scope
from generator.parallel import MIN_ITEMS, parallel_map, parallel_map_while
from generator.project import engine_path
from generator.render import kaart, overzicht
from generator.render.downloads import graph_downloads, graph_downloads_by_part, other_downloads
from generator.render.markdown import html_env, markdown_env
from generator.render.pages import Pages
from generator.render.scan_pages import ScanView, scan_overview_files
from generator.render.settings_snippets import snippet_files
from generator.render.verwijs_pages import verwijswijzer_files
from generator.settings import Settings

LUNR_NL = "assets/javascripts/lunr/min/lunr.nl.min.js"  # the theme's Dutch search module
ORGANISATIONS_PER_ITEM = 30  # organisation pages per work item: about as much work as one chain's files


@dataclass(frozen=True)
class SiteContext:
    """Everything the render stage shows. Every field is required: a missing stage fails here."""

    dataset: Dataset
    graph: nx.MultiDiGraph
    scan: dict[str, ChainReport]  # the chain scan per CBS code (analyse.scan.scan_reports)
    verwijswijzer: dict[str, str]  # page file text per chain slug (analyse.verwijs.build_verwijswijzer)
    abbreviations: list[tuple[str, str]]
    guidance: frozenset[str]  # Markdown sources of the project's own pages (content/), such as 'kennisbank/index.md'
    settings: Settings  # the project's site settings (mkdocs.yml extra: ketenkaart:)
    vandaag: dt.date  # the day of the build: records checked longer ago than the threshold get a notice
    # The municipalities and organisations to make files for (generator.reuse: after an edit, what
    # it can change). `scan` still holds every chain's report (the overview needs them all);
    # `verwijswijzer` the chains in scope.
    scope: Scope = ALLES

    def __post_init__(self):
        for name in ("dataset", "graph", "scan", "verwijswijzer", "abbreviations", "guidance", "settings", "vandaag"):
            if getattr(self, name) is None:
                raise TypeError(f"SiteContext.{name} is missing: run that stage before rendering")


Ready = Callable[[dict[str, str | bytes]], None]  # told of files that are final (render_site)


def render_site(ctx: SiteContext, ready: Ready | None = None) -> dict[str, str | bytes]:
    """Every generated file of the site, by path relative to the docs folder.

    `ready(files)`: told, in this process, of files that are final while the workers still make
    others (the site-wide files, then each run of the workers' files as it comes back), so that
    the caller can start writing them; the returned mapping holds them too.

    When only a few municipalities and organisations are made again (a rebuild after an edit), the
    files of the whole site dominate: the national graph downloads, the other downloads and the
    pages are then made side by side, each part in a process of its own (generator.parallel).
    Otherwise the workers make each chain's page, map and graph downloads and the organisation
    pages, and this process makes the other downloads, the country's graph downloads and the pages
    of the whole site meanwhile."""
    md = markdown_env()
    others = lambda: other_downloads(ctx.dataset, ctx.graph, md, ctx.scope)  # noqa: E731
    if ctx.scope.ketens is None or len(ctx.scope.ketens) + len(ctx.scope.organisaties or ()) >= MIN_ITEMS:
        pages, scan_out, graph_files, other_files = _pages(ctx, md, others, graphs=True, ready=ready)
    else:
        graph_files, other_files, (pages, scan_out, _no_graphs, _no_others) = parallel_map(
            lambda part: part(), [lambda: graph_downloads(ctx.dataset, ctx.graph, ctx.scope), others,
                                  lambda: _pages(ctx, md, dict, graphs=False)], min_items=2)
    out = {**pages, **graph_files, **other_files, **scan_out}
    out.update(snippet_files(md, ctx.settings))  # ../includes/ketenkaart/*.md: the settings for content/ pages
    return out


def _pages(ctx: SiteContext, md, meanwhile: Callable[[], dict[str, str | bytes]], graphs: bool,
           ready: Ready | None = None) -> tuple[
        dict[str, str | bytes], dict[str, str | bytes], dict[str, str | bytes], dict[str, str | bytes]]:
    """The pages, maps and assets with each chain's scan figure and graph downloads; the chain
    scan's overview and exports; the country's graph downloads when `graphs` (else none, and none
    of a chain); and the files `meanwhile` makes, in this process while the workers make each
    chain's files. `ready`: see render_site."""
    dataset, graph = ctx.dataset, ctx.graph
    vocab = vocab_of(dataset)
    html = html_env()
    pages = Pages(md, dataset, graph, vocab, ctx.guidance, ctx.settings, ctx.vandaag)
    scope = ctx.scope
    view = ScanView(dataset, ctx.scan)
    graph_maker = graph_downloads_by_part(dataset, graph) if graphs else None

    def site_wide():
        """The files of the whole site (one each: they cannot be spread over the cores)."""
        head = {
            urls.GEMEENTEN_OVERZICHT: pages.overview_page(),
            urls.WOORDENLIJST: pages.glossary_page(ctx.abbreviations),
            **verwijswijzer_files(md, dataset, ctx.verwijswijzer, ctx.abbreviations, ctx.guidance),
        }
        tail = {urls.OVERZICHTSKAART: overzicht.map_document(html, dataset, graph, vocab), **kaart.vis_assets()}
        tail["assets/ketenkaart.css"] = engine_path("assets", "ketenkaart.css").read_text(encoding="utf-8")
        # Search: the theme's Dutch lunr module plus a patch that stems wildcard terms, so that
        # "schulden" also finds "schuld". A docs file takes precedence over the theme's copy.
        tail[LUNR_NL] = (files("material") / "templates" / LUNR_NL).read_text(encoding="utf-8") + \
            engine_path("assets", "lunr-nl-woordvormen.js").read_text(encoding="utf-8")
        parts = head, tail, scan_overview_files(md, view), graph_maker.of_country() if graph_maker else {}, meanwhile()
        if ready is not None:
            ready({path: content for part in parts for path, content in part.items()})
        return parts

    # The pages, maps and graph downloads of each chain, and the organisation pages in runs of
    # ORGANISATIONS_PER_ITEM: on every core when there are many, in one round of worker processes.
    ketens = [k for k in dataset.ketens.values() if scope.keten(k.cbs)]
    orgs = [o for o in dataset.organisaties.values() if scope.organisatie(o.id)]
    runs = [orgs[i:i + ORGANISATIONS_PER_ITEM] for i in range(0, len(orgs), ORGANISATIONS_PER_ITEM)]

    # The files made in the workers come back encoded (UTF-8): the encoding is then spread over
    # the cores too, and what travels back needs no decoding.
    def chain_files(keten):
        section = view.section(keten)  # the scan's section of the chain page, with its figure
        return (pages.chain_page(keten, section).encode("utf-8"),
                kaart.map_document(html, dataset, graph, vocab, keten).encode("utf-8"), section["svg"].encode("utf-8"),
                graph_maker.of_chain(keten) if graph_maker else {})

    def item_files(item):
        if isinstance(item, list):
            return [pages.organisation_page(org).encode("utf-8") for org in item]
        return chain_files(item)

    def chain_paths(keten, page, map_html, svg, chain_graphs) -> dict[str, bytes]:
        return {urls.gemeente_bron(keten.slug): page, urls.kaart(keten.slug): map_html,
                urls.scan_figuur(keten.slug): svg, **chain_graphs}

    def org_paths(run, made_pages) -> dict[str, bytes]:
        return {urls.organisatie_bron(org.id): page for org, page in zip(run, made_pages)}

    # The organisation pages first: their runs come back while this process still makes the
    # site-wide files, and are ready to be written while the workers make the chains' files.
    items = [*runs, *ketens]

    def each(first, results):
        files: dict[str, bytes] = {}
        for item, result in zip(items[first:], results):
            files.update(org_paths(item, result) if isinstance(item, list) else chain_paths(item, *result))
        ready(files)

    made, (out, tail, scan_out, country, extra) = parallel_map_while(
        item_files, items, site_wide, each=each if ready is not None else None)
    for keten, result in zip(ketens, made[len(runs):]):
        out.update(chain_paths(keten, *result))
    for run, made_pages in zip(runs, made):
        out.update(org_paths(run, made_pages))
    out.update(tail)
    return out, scan_out, country, extra
