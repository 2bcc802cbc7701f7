"""The graph downloads' own XML writers against NetworkX's: the same bytes (GEXF without the date).

generator/exchange/graphfiles.py writes GraphML and GEXF itself, for speed and so that the files do
not change with the day; these tests hold its output against nx.write_graphml and nx.write_gexf on
the example data, on text that XML must escape, and on graphs the fast writers leave to NetworkX.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import networkx as nx
import pytest

from generator.exchange import graphfiles
from generator.exchange.graphfiles import flat_graph, gexf_bytes, graphml_bytes, rich_graph
from generator.graph.build import build_graph, chain_members
from generator.load.loader import load

from sitebuild import EXAMPLE_DATA

DATASET, _ERRORS = load(EXAMPLE_DATA)
GRAPH = build_graph(DATASET)
NX_META = re.compile(rb'<meta lastmodifieddate="\d{4}-\d\d-\d\d"><creator>NetworkX [^<]*</creator></meta>')


def networkx_graphml(rich: nx.MultiDiGraph) -> bytes:
    out = io.BytesIO()
    nx.write_graphml_xml(flat_graph(rich), out, encoding="utf-8", prettyprint=False)
    return out.getvalue()


def networkx_gexf(rich: nx.MultiDiGraph) -> bytes:
    """NetworkX's GEXF with its <meta> (today's date, its version) as the fast writer writes it."""
    out = io.BytesIO()
    nx.write_gexf(flat_graph(rich, gexf=True), out, encoding="utf-8", prettyprint=False)
    written = out.getvalue()
    assert len(NX_META.findall(written)) == 1
    return NX_META.sub(b"<meta><creator>Ketenkaart</creator></meta>", written)


def example_graphs() -> list[nx.MultiDiGraph]:
    parts = [chain_members(GRAPH, keten) for keten in DATASET.ketens.values()] + [None]
    return [rich_graph(GRAPH, DATASET, members) for members in parts]


def hostile_graph() -> nx.MultiDiGraph:
    """Every character XML escapes, in names, values and ids; empty values; numbers; true/false."""
    nasty = 'A & B <c> "d" \'e\' \t tab \n newline \r return ü € 𝄞 ]]> &amp;'
    graph = nx.MultiDiGraph(name=f"Keten {nasty}")
    graph.add_node("a&b", naam=nasty, label=nasty, leeg="", aantal=3, groot=10**20, ratio=0.5, oneindig=float("inf"),
                   niets=float("nan"), min_oneindig=float("-inf"), ja=True, nee=False, lijst=["x & y", "<z>"],
                   ander={"sleutel": nasty})
    graph.add_node('c"d', naam="C")
    graph.add_node("kaal")  # no attributes at all
    graph.add_node("zelfde-naam", naam=True)  # the same attribute name with another type
    graph.add_edge("a&b", 'c"d', key="verwijst", soort="verwijst", wanneer=nasty, warm=True)
    graph.add_edge("a&b", 'c"d', key="werkt-samen", soort="werkt-samen", wanneer="", warm=False)
    graph.add_edge('c"d', "kaal", key="signaleert")
    return graph


@pytest.mark.parametrize("graph", example_graphs() + [hostile_graph(), nx.MultiDiGraph(name="Leeg")],
                         ids=[*(k.slug for k in DATASET.ketens.values()), "nederland", "vijandig", "leeg"])
def test_the_fast_writers_write_what_networkx_writes(graph):
    assert graphml_bytes(graph) == networkx_graphml(graph)
    assert gexf_bytes(graph) == networkx_gexf(graph)


def test_the_files_do_not_depend_on_the_day():
    for graph in example_graphs():
        assert b"lastmodifieddate" not in gexf_bytes(graph)
        assert b"<meta><creator>Ketenkaart</creator></meta>" in gexf_bytes(graph)


@pytest.mark.parametrize("extra", [{"start": "2026-01-01"}, {"end": 3}, {"pid": "a"}, {"id": "ander-id"}])
def test_graphs_beyond_the_fast_writers_go_to_networkx(extra):
    graph = hostile_graph()
    graph.nodes["kaal"].update(extra)
    with pytest.raises(graphfiles._Unsupported):
        graphfiles._gexf(graph)
    assert gexf_bytes(graph) == networkx_gexf(graph)


def test_other_values_become_text_in_both():
    graph = nx.MultiDiGraph(name="x")
    graph.add_node("a", waarde=object(), datum=dt.date(2026, 1, 2))  # flat() makes text of it
    assert graphml_bytes(graph) == networkx_graphml(graph)
    assert gexf_bytes(graph) == networkx_gexf(graph)
