"""Stage 2: turn a Dataset into one NetworkX MultiDiGraph.

Nodes are organisation ids with their record as attributes; edges are typed relations
(key = relation kind: verwijst, werkt-samen, signaleert). Chains stay in the Dataset; the graph
holds only what graph algorithms need.
"""

from __future__ import annotations

import networkx as nx

from generator.domain.fields import NODE, ORGANISATIE
from generator.model import Dataset, Keten


MEMBERS = "leden"  # graph attribute: chain members per CBS code, computed once (see chain_members)


def build_graph(dataset: Dataset) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    local: dict[str, set[str]] = {}
    for org in dataset.organisaties.values():
        for code in org.gemeenten:
            local.setdefault(code, set()).add(org.id)
        # The fields the registry (generator.domain.fields) marks NODE: naam, soort, inzet,
        # gemeenten, landelijk, diensten, fasen, doelgroepen.
        graph.add_node(org.id, **ORGANISATIE.graph_of(org, (NODE,)))
    for org in dataset.organisaties.values():
        for rel in org.relaties:
            if rel.naar in graph:
                graph.add_edge(rel.van, rel.naar, key=rel.soort, soort=rel.soort,
                               wanneer=rel.wanneer or "", warm=rel.warm)
    # An index instead of a scan of every node per chain and per question (the pages, the map,
    # the scan and the downloads all ask): at national scale the scans grew with the square.
    graph.graph[MEMBERS] = {code: frozenset(_with_linked(graph, ids)) for code, ids in local.items()}
    return graph


def _with_linked(graph: nx.MultiDiGraph, local: set[str]) -> set[str]:
    linked = {other for node in local for other in (*graph.successors(node), *graph.predecessors(node))
              if graph.nodes[other]["landelijk"]}
    return local | linked


def chain_members(graph: nx.MultiDiGraph, keten: Keten) -> set[str]:
    """Organisations that belong on one municipality's map.

    The local organisations, plus the national ones directly linked to them (a national
    service that a local organisation refers to, or an energy company that signals to it).
    """
    index = graph.graph.get(MEMBERS)
    if index is not None:
        return set(index.get(keten.cbs, ()))
    return _with_linked(graph, {n for n, data in graph.nodes(data=True) if keten.cbs in data["gemeenten"]})


def chain_edges(graph: nx.MultiDiGraph, members: set[str]) -> list[tuple[str, str, str, dict]]:
    """The relations with both ends in `members` (a chain's part of the graph) as (van, naar,
    soort, data), sorted by those three; data is the graph's own (read it, do not change it).
    Faster than the edges of a subgraph view, which test every neighbour through filters."""
    edges = []
    for u in members:
        out = graph.succ[u]  # a national organisation's reaches every municipality: look up instead
        for v in ((v for v in members if v in out) if len(out) > len(members) else (v for v in out if v in members)):
            edges.extend((u, v, key, data) for key, data in out[v].items())
    return sorted(edges, key=lambda e: e[:3])
