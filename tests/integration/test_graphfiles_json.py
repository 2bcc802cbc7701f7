"""The graph downloads' JSON (generator/exchange/graphfiles.node_link_bytes), written node by node
and edge by edge, against json.dumps of NetworkX's node_link_data: the same bytes, also when the
JSON of nodes and edges is shared between the files (as graph_files shares it)."""

from __future__ import annotations

import json

import networkx as nx

from generator.exchange.graphfiles import node_link_bytes, rich_graph
from generator.graph.build import build_graph, chain_members
from generator.load.loader import load

from sitebuild import EXAMPLE_DATA


def networkx_json(graph: nx.Graph) -> bytes:
    data = nx.node_link_data(graph, edges="edges")
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def test_node_link_json_is_what_networkx_and_json_dumps_write():
    dataset, _errors = load(EXAMPLE_DATA)
    graph = build_graph(dataset)
    known_attrs: dict = {}
    known_json: dict = {}
    parts = [None] + [chain_members(graph, keten) for keten in dataset.ketens.values()]  # the country first
    for members in parts:
        rich = rich_graph(graph, dataset, members, known_attrs)
        assert node_link_bytes(rich, known_json) == networkx_json(rich)
        assert node_link_bytes(rich) == networkx_json(rich)


def test_odd_values_and_graphs():
    nasty = 'A & B <c> "d" \'e\' \t tab \n newline ü € 𝄞 \u2028'
    graph = nx.MultiDiGraph(name=nasty, extra=[1, 2])
    graph.add_node("a", id="own id", naam=nasty, lijst=["x", 2], ander={"b": 1, "a": None}, getal=float("nan"),
                   groot=10**20, ja=True)
    graph.add_node(3)
    graph.add_edge("a", 3, key="verwijst", wanneer=nasty, warm=False)
    graph.add_edge("a", 3, key=7)
    for example in (graph, nx.MultiDiGraph(), nx.DiGraph([(1, 2)]), nx.Graph([("a", "b")])):
        assert node_link_bytes(example) == networkx_json(example)
