"""The map documents (generator/render/kaart.py): a stable layout computed at build time, the map
data and page it makes, and a chain of 520 fictitious organisations laid out without scipy."""

from __future__ import annotations

import json
import re
import time

import networkx as nx
import pytest

import fictief
from generator.graph.build import build_graph, chain_members
from generator.load.loader import load
from generator.domain.rules import vocab_of
from generator.render import kaart
from generator.render.markdown import html_env
from sitebuild import EXAMPLE_DATA

DATA = re.compile(r'<script type="application/json" id="kk-data">(.*?)</script>', re.S)


def big_chain(n: int = 520) -> tuple[dict, list[dict]]:
    """A fictitious chain (GM9999) of n organisations: a central access point, wijkteams and
    walk-in points that refer to it, helpers that refer onwards and work together, signal partners."""
    soorten = ["wijkteam", "vrijwilligersorganisatie", "professionele-organisatie", "signaalpartner"]
    diensten = {"wijkteam": ["aanmelding"], "vrijwilligersorganisatie": ["thuisadministratie"],
                "professionele-organisatie": ["budgetbegeleiding"], "signaalpartner": ["vroegsignalering"]}
    fasen = fictief.ALLE_FASEN
    orgs = [fictief.org("toegang-fictiefstad", "Toegang Fictiefstad", "gemeentelijke-dienst", ["aanmelding"],
                        fasen[:4])]
    for i in range(1, n):
        soort = soorten[i % len(soorten)]
        extra = {"verwijst": [{"naar": orgs[(i - 1) // 3]["id"]}]}
        if i % 7 == 0:
            extra["werkt-samen"] = [orgs[i - 5]["id"]]
        if soort == "signaalpartner":
            extra = {"signaleert": [{"naar": orgs[(i - 1) // 3]["id"]}]}
        orgs.append(fictief.org(f"org-{i:03d}", f"Fictieve organisatie nummer {i:03d}", soort, diensten[soort],
                                [fasen[i % 6], fasen[(i + 2) % 6]],
                                inzet=["vrijwilligers", "beroepskrachten", "beide"][i % 3], **extra))
    chain = fictief.chain(toegang="toegang-fictiefstad", routes=[
        {"naam": "Van de wijk naar de toegang", "stappen": ["org-004", "org-001", "toegang-fictiefstad"]}])
    return chain, orgs


@pytest.fixture(scope="module")
def example():
    dataset, errors = load(EXAMPLE_DATA)
    assert not errors, errors
    return dataset, build_graph(dataset)


def map_json(document: str) -> dict:
    return json.loads(DATA.search(document).group(1))


def test_map_data_has_positions_from_the_build_and_no_physics(example):
    dataset, graph = example
    vocab = vocab_of(dataset)
    for keten in dataset.ketens.values():
        data = kaart.map_data(dataset, graph, vocab, keten)
        assert data["options"]["physics"] == {"enabled": False}
        assert data["start"] == keten.toegang  # a view that cannot show it all readably starts at the way in
        assert {n["id"] for n in data["nodes"]} == chain_members(graph, keten)
        for node in data["nodes"]:
            assert isinstance(node["x"], int) and isinstance(node["y"], int) and len(node["staand"]) == 2
        # no two organisations (with their labels) on top of each other
        for layout in ([(n["x"], n["y"]) for n in data["nodes"]], [tuple(n["staand"]) for n in data["nodes"]]):
            for i, (x1, y1) in enumerate(layout):
                for x2, y2 in layout[i + 1:]:
                    assert abs(x1 - x2) >= kaart.BOX[0] - 1 or abs(y1 - y2) >= kaart.BOX[1] - 1
        # the same data gives the same map, byte for byte
        again = kaart.map_document(html_env(), dataset, graph, vocab, keten)
        assert kaart.map_document(html_env(), dataset, graph, vocab, keten) == again


def test_map_page_has_title_legend_way_back_and_text_only_data(example):
    dataset, graph = example
    vocab = vocab_of(dataset)
    keten = next(iter(dataset.ketens.values()))
    document = kaart.map_document(html_env(), dataset, graph, vocab, keten)
    assert f"<h1>Verwijskaart {keten.naam}</h1>" in document
    assert f'href="../gemeenten/{keten.slug}/index.html"' in document
    assert 'src="../assets/kaart.js"' in document and "vis.Network" not in document  # the script is ours, not inline
    for term in vocab["relaties"].terms.values():
        assert term["lijn"] in document
    for term in vocab["inzet"].terms.values():
        assert term["kleurnaam"] in document
    data = map_json(document)
    assert "<" not in DATA.search(document).group(1)  # |tojson escapes markup in the data
    assert {r["naam"] for r in data["routes"]} == {r.naam for r in keten.routes}


def test_layout_is_deterministic_and_needs_only_numpy():
    graph = nx.gnm_random_graph(60, 90, seed=3)
    graph = nx.relabel_nodes(graph, {i: f"o{i:02d}" for i in graph})
    phases = {node: (i % 6) / 5 for i, node in enumerate(sorted(graph))}
    first = kaart.layout(graph, phases)
    assert kaart.layout(graph, phases) == first
    shuffled = nx.Graph()
    shuffled.add_nodes_from(sorted(graph, reverse=True))
    shuffled.add_edges_from(sorted(graph.edges(), reverse=True))
    assert kaart.layout(shuffled, phases) == first  # the order of the input does not matter
    assert kaart.layout(nx.Graph(), {}) == ({}, {})


def test_a_chain_of_520_organisations_lays_out_without_scipy(tmp_path):
    chain, orgs = big_chain(520)
    data_dir = fictief.write(tmp_path / "organisaties", chain, orgs)
    dataset, errors = load(data_dir)
    assert not errors, errors[:5]
    graph = build_graph(dataset)
    [keten] = dataset.ketens.values()
    started = time.perf_counter()
    document = kaart.map_document(html_env(), dataset, graph, vocab_of(dataset), keten)
    seconds = time.perf_counter() - started
    data = map_json(document)
    assert len(data["nodes"]) == 520
    assert seconds < 15, f"de kaart van 520 organisaties kostte {seconds:.1f} s"
    assert len(document.encode()) < 450_000, len(document.encode())
