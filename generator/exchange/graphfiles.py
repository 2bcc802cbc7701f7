"""Graph exports for Gephi, yEd and scripts: GraphML, GEXF and JSON (node-link).

One export per municipality (its chain: local organisations and the national ones linked to them,
as on its map) and one for the whole country. Nodes are organisation ids, edges are the typed
relations with the relation kind as edge key, exactly as in `graph.build_graph`.

Every node carries the graph's own attributes plus the fields the registry
(generator.domain.fields) marks EXPORT (profile axes, duration, access, urgency, website, ...),
the page on the site, and a
`label` with the name so Gephi and yEd show names. GraphML and GEXF only hold plain values, so
lists become text with '; ' between the values (an empty list becomes an empty text) and a missing
value becomes empty text; the JSON keeps lists as lists. GEXF edges get an id of their own
('van>naar>soort'), because GEXF numbers edges otherwise.
"""

from __future__ import annotations

import io
import json
from typing import Any

import networkx as nx

from generator import urls
from generator.domain.fields import EXPORT, ORGANISATIE
from generator.graph.build import chain_members
from generator.model import Dataset, Keten

LIST_SEPARATOR = "; "


def flat(value: Any) -> str | int | float | bool:
    """A value GraphML and GEXF can hold."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return LIST_SEPARATOR.join(str(flat(v)) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def rich_graph(graph: nx.MultiDiGraph, dataset: Dataset, members: set[str] | None = None) -> nx.MultiDiGraph:
    """The graph (or the part with `members`) with the full organisation record on each node."""
    nodes = sorted(members if members is not None else graph.nodes)
    out = nx.MultiDiGraph(name="Ketenkaart")
    for node in nodes:
        attrs = dict(graph.nodes[node])
        org = dataset.organisaties.get(node)
        if org is not None:
            attrs.setdefault("naam", org.naam)
            attrs["label"] = org.naam
            for key, value in ORGANISATIE.graph_of(org, (EXPORT,)).items():
                attrs[key] = "" if value is None else value
            attrs["pagina"] = urls.organisatie(org.id)
        out.add_node(node, **{k: list(v) if isinstance(v, tuple) else v for k, v in attrs.items()})
    part = graph if members is None else graph.subgraph(nodes)
    for van, naar, key, data in sorted(part.edges(keys=True, data=True), key=lambda e: e[:3]):
        out.add_edge(van, naar, key=key, **data)
    return out


def flat_graph(rich: nx.MultiDiGraph, gexf: bool = False) -> nx.MultiDiGraph:
    """The same graph with every attribute made a plain value (what GraphML/GEXF files hold)."""
    out = nx.MultiDiGraph(name=rich.graph.get("name", ""))
    for node, data in rich.nodes(data=True):
        out.add_node(node, **{k: flat(v) for k, v in data.items()})
    for van, naar, key, data in rich.edges(keys=True, data=True):
        extra = {"id": f"{van}>{naar}>{key}"} if gexf else {}
        out.add_edge(van, naar, key=key, **{k: flat(v) for k, v in data.items()}, **extra)
    return out


def graphml_bytes(rich: nx.MultiDiGraph) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(flat_graph(rich), out, encoding="utf-8", prettyprint=False)
    return out.getvalue()


def gexf_bytes(rich: nx.MultiDiGraph) -> bytes:
    out = io.BytesIO()
    nx.write_gexf(flat_graph(rich, gexf=True), out, encoding="utf-8", prettyprint=False)
    return out.getvalue()


def node_link_bytes(rich: nx.MultiDiGraph) -> bytes:
    data = nx.node_link_data(rich, edges="edges")
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def graph_files(graph: nx.MultiDiGraph, dataset: Dataset) -> dict[str, bytes]:
    """GraphML, GEXF and JSON for every municipality (by slug) and for the country (nederland)."""
    files: dict[str, bytes] = {}
    parts: list[tuple[str, set[str] | None]] = [(keten.slug, chain_members(graph, keten))
                                                for keten in dataset.ketens.values()]
    parts.append((urls.NATIONAAL, None))
    for slug, members in parts:
        rich = rich_graph(graph, dataset, members)
        files[urls.download(slug, "graphml")] = graphml_bytes(rich)
        files[urls.download(slug, "gexf")] = gexf_bytes(rich)
        files[urls.download(slug, "json")] = node_link_bytes(rich)
    return files


def read_gexf(path) -> nx.MultiDiGraph:
    """Read a GEXF file of this module back as a MultiDiGraph with the relation kinds as keys.

    NetworkX's reader turns a graph without parallel edges into a DiGraph and so drops the edge
    keys; the edge ids written here ('van>naar>soort') bring them back.
    """
    graph = nx.read_gexf(path)
    if graph.is_multigraph():
        return graph
    multi = nx.MultiDiGraph()
    multi.graph.update(graph.graph)
    multi.add_nodes_from(graph.nodes(data=True))
    for van, naar, data in graph.edges(data=True):
        multi.add_edge(van, naar, key=str(data["id"]).rsplit(">", 1)[-1], **data)
    return multi


def chain_graph(graph: nx.MultiDiGraph, dataset: Dataset, keten: Keten) -> nx.MultiDiGraph:
    return rich_graph(graph, dataset, chain_members(graph, keten))
