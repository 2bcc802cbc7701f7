"""Build-time downloads: graph files, the static JSON view (/api/) and the spreadsheet template.

`graph_downloads(dataset, graph, scope)` (or, one part at a time, `graph_downloads_by_part`) and
`other_downloads(dataset, graph, md_env, scope)` return site files by path (relative to the docs
folder), for `render.render_site` to add to the site:

* ``downloads/<gemeente>.graphml|.gexf|.json`` and ``downloads/nederland.*`` (exchange_graph);
* ``downloads/organisaties-sjabloon.csv`` and ``.xlsx`` (exchange_table);
* ``downloads/schema/organisatie.schema.json`` and ``keten.schema.json``: the JSON Schemas of the
  data files (generator.domain.jsonschema), for editors that check YAML while you type;
* ``api/organisaties.json``, ``api/gemeenten.json`` and ``api/gemeenten/<gemeente>.json``: the data
  as plain JSON, with Dutch keys as in the data files and every list spelled out;
* ``api/index.md``: the page that documents all of these (site_templates/api.md.j2); it links
  each municipality's files only while there are at most pages.LIST_LIMIT municipalities, so
  that it stays small at national scale (each chain page links its own files under Downloads).
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx
from jinja2 import Environment

from generator import urls
from generator.exchange.graphfiles import GraphFiles, graph_files
from generator.exchange.table import column_help, template_csv, template_xlsx
from generator.graph.build import chain_edges, chain_members
from generator.domain.fields import KETEN, ORGANISATIE, RECORDS
from generator.domain.jsonschema import schema_bytes
from generator.domain.rules import vocab_of
from generator.domain.vocab import Vocabulary
from generator.model import ALLES, Dataset, Keten, Organisatie, Scope
from generator.render.pages import LIST_LIMIT

API_VERSION = 1
TEMPLATE_CSV = urls.download("organisaties-sjabloon", "csv")
TEMPLATE_XLSX = urls.download("organisaties-sjabloon", "xlsx")


def organisation_json(org: Organisatie) -> dict[str, Any]:
    """Every field of the registry (generator.domain.fields) that is in the JSON view, and the page."""
    return {**ORGANISATIE.json_of(org), "pagina": urls.organisatie(org.id)}


def chain_json(keten: Keten) -> dict[str, Any]:
    data = KETEN.json_of(keten)
    return {"cbs": data.pop("cbs"), "naam": data.pop("naam"), "slug": keten.slug, **data,
            "pagina": urls.gemeente(keten.slug), "kaart": urls.kaart(keten.slug),
            "downloads": {fmt: urls.download(keten.slug, fmt) for fmt in urls.GRAPH_FORMATS}}


def schema_files(vocab: Vocabulary | None = None) -> dict[str, bytes]:
    """The JSON Schemas of organisation and chain files (downloads/schema/*.schema.json)."""
    return {urls.schema(noun): schema_bytes(noun, vocab) for noun in RECORDS}


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def api_files(dataset: Dataset, graph: nx.MultiDiGraph, scope: Scope = ALLES) -> dict[str, bytes]:
    """The JSON view: all organisations, all municipalities, and one file per municipality in `scope`."""
    orgs = sorted(dataset.organisaties.values(), key=lambda o: o.id)
    ketens = sorted(dataset.ketens.values(), key=lambda k: k.naam.casefold())
    views = {o.id: organisation_json(o) for o in orgs}  # made once: national ones are in every file
    files = {
        urls.API_ORGANISATIES: _json({"versie": API_VERSION, "aantal": len(orgs),
                                        "organisaties": list(views.values())}),
        urls.API_GEMEENTEN: _json({"versie": API_VERSION, "aantal": len(ketens), "gemeenten": [
            {"cbs": k.cbs, "naam": k.naam, "slug": k.slug, "bestand": urls.api_gemeente(k.slug),
             "pagina": urls.gemeente(k.slug)} for k in ketens]}),
    }
    for keten in (k for k in ketens if scope.keten(k.cbs)):
        members = chain_members(graph, keten)
        edges = chain_edges(graph, members)
        files[urls.api_gemeente(keten.slug)] = _json({
            "versie": API_VERSION,
            "gemeente": chain_json(keten),
            # Relations are listed once below, limited to this chain; a national organisation's
            # own list would repeat its links to every municipality in every file.
            "organisaties": [{k: v for k, v in views[m].items() if k != "relaties"} for m in sorted(members)],
            "relaties": [{"van": u, "naar": v, "soort": k, "wanneer": d.get("wanneer") or None,
                          "warm": bool(d.get("warm"))} for u, v, k, d in edges],
        })
    return files


def graph_downloads(dataset: Dataset, graph: nx.MultiDiGraph, scope: Scope = ALLES) -> dict[str, bytes]:
    """The graph files of the country and of the municipalities in `scope` (exchange.graphfiles)."""
    return graph_files(graph, dataset, scope)


def graph_downloads_by_part(dataset: Dataset, graph: nx.MultiDiGraph) -> GraphFiles:
    """The same files one part at a time (`of_chain(keten)`, `of_country()`), for a caller that
    makes them beside other work."""
    return GraphFiles(graph, dataset)


def other_downloads(dataset: Dataset, graph: nx.MultiDiGraph, md_env: Environment,
                    scope: Scope = ALLES) -> dict[str, str | bytes]:
    """Every download but the graph files, and the /api/ page."""
    files: dict[str, str | bytes] = {}
    files.update(api_files(dataset, graph, scope))
    files[TEMPLATE_CSV] = template_csv(dataset)
    files[TEMPLATE_XLSX] = template_xlsx(dataset)
    files.update(schema_files(dataset.vocab))
    vocab = vocab_of(dataset)
    files[urls.OPEN_GEGEVENS] = md_env.get_template("api.md.j2").render(hier=urls.OPEN_GEGEVENS,
        ketens=sorted(dataset.ketens.values(), key=lambda k: k.naam.casefold()),
        kolommen=column_help(vocab), vocab=vocab, lijstgrens=LIST_LIMIT,
        organisatievelden=[*ORGANISATIE.json_docs(vocab), ("pagina", "Adres van de pagina van de organisatie op deze site.")],
    )
    return files
