"""The interactive referral map of one chain: a standalone HTML document (pyvis data, vis-network).

The map is drawn by vis-network 9.1.2 as shipped inside pyvis, served from the site itself
(nothing from other hosts). pyvis is used to assemble nodes and edges; the document comes from
the engine's own template kaart.html (HTML autoescaping; data passed only through |tojson), and
tooltips are shown as plain text. Every map has its text equivalent on the chain page.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Iterable

import networkx as nx
from jinja2 import Environment
from pyvis.network import Network

from generator import urls
from generator.graph.build import chain_members
from generator.model import Dataset, Keten, Organisatie
from generator.domain.vocab import Vocabulary

VIS_DIR = "assets/vis-network"
PHYSICS_LIMIT = 150  # nodes; above this the map is laid out in Python

# What the map's colours and shapes mean; the same table is printed as the legend.
INZET_KLEUR = {  # light fills; labels are dark text below the shape
    "vrijwilligers": "#F4B183",
    "beroepskrachten": "#9DC3E6",
    "beide": "#C5E0B4",
    "onbekend": "#D9D9D9",
}
KLEUR_NAAM = {"vrijwilligers": "oranje", "beroepskrachten": "blauw", "beide": "groen", "onbekend": "grijs"}
SOORT_VORM = {
    "gemeentelijke-dienst": "star",
    "professionele-organisatie": "dot",
    "vrijwilligersorganisatie": "triangle",
    "wijkteam": "square",
    "samenwerkingsverband": "hexagon",
    "signaalpartner": "diamond",
    "landelijke-dienst": "triangleDown",
}
VORM_NAAM = {
    "star": "ster", "dot": "rondje", "triangle": "driehoek", "square": "vierkant",
    "hexagon": "zeshoek", "diamond": "ruit", "triangleDown": "omgekeerde driehoek",
}
RELATIE_STIJL = {
    "verwijst": {"color": "#1F3864", "dashes": False, "arrows": "to"},
    "werkt-samen": {"color": "#7F7F7F", "dashes": [6, 6], "arrows": ""},
    "signaleert": {"color": "#C55A11", "dashes": [2, 5], "arrows": "to"},
}
RELATIE_LIJN = {"verwijst": "doorgetrokken lijn met pijl", "werkt-samen": "gestreepte grijze lijn",
                "signaleert": "gestippelde oranje lijn met pijl"}



def legend_shapes(vocab: Vocabulary, orgs: Iterable[Organisatie]) -> list[tuple[str, str]]:
    used = {o.soort for o in orgs}
    return [(vocab.label("soorten", s), VORM_NAAM[SOORT_VORM[s]]) for s in SOORT_VORM if s in used]


def map_document(env: Environment, dataset: Dataset, graph: nx.MultiDiGraph, vocab: Vocabulary, keten: Keten) -> str:
    members = chain_members(graph, keten)
    page = urls.kaart(keten.slug)
    sub = nx.MultiDiGraph(graph.subgraph(members))  # a copy: pyvis must not touch ours
    # Small maps settle in the browser (vis-network physics, then frozen); past
    # PHYSICS_LIMIT nodes the positions are computed here, so the page stays fast.
    layout = len(sub) > PHYSICS_LIMIT
    positions = nx.spring_layout(nx.Graph(sub), seed=7, scale=60 * len(sub) ** 0.5) if layout else {}
    net = Network(directed=True)
    for node in sorted(sub.nodes):
        org = dataset.organisaties[node]
        x, y = positions.get(node, (0.0, 0.0))
        tooltip = f"{org.naam}\n{vocab.label('soorten', org.soort)}\n{vocab.label('inzet', org.inzet)}"
        place = {"x": float(x), "y": float(y)} if layout else {}
        net.add_node(node, label=_wrap(org.naam), title=tooltip, shape=SOORT_VORM[org.soort],
                     color=INZET_KLEUR[org.inzet], size=18, **place,
                     url=urls.relative(urls.organisatie(org.id), page),
                     font={"color": "#1a1a1a", "face": "system-ui, sans-serif", "size": 14})
    for van, naar, key, data in unique_edges(sub):
        style = RELATIE_STIJL[key]
        title = vocab.label("relaties", key) + (f": {data['wanneer']}" if data["wanneer"] else "")
        if data["warm"]:
            title += " (warme overdracht)"
        net.add_edge(van, naar, title=title, color=style["color"], dashes=style["dashes"],
                     arrows=style["arrows"], width=3 if data["warm"] else 1.5)
    nodes, edges, _heading, _h, _w, _options = net.get_network_data()
    options = {
        "physics": {"enabled": not layout, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -120, "springLength": 140},
                    "stabilization": {"iterations": 300, "fit": True}},
        "interaction": {"hover": True, "keyboard": {"enabled": True}, "navigationButtons": True,
                        "tooltipDelay": 150},
        "edges": {"smooth": {"type": "curvedCW", "roundness": 0.15}},
    }
    return env.get_template("kaart.html").render(
        keten=keten, nodes=nodes, edges=edges, options=options, vis_dir=urls.relative(VIS_DIR, page),
        kleuren=INZET_KLEUR, kleurnaam=KLEUR_NAAM,
        vormen=legend_shapes(vocab, [dataset.organisaties[n] for n in members]),
        relatie_lijn=RELATIE_LIJN, labels=vocab["inzet"],
    )



def unique_edges(graph: nx.MultiDiGraph):
    """Edges of a chain, with 'werkt-samen' (often recorded by both partners) once per pair."""
    seen: set[frozenset] = set()
    for van, naar, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        if key == "werkt-samen":
            pair = frozenset((van, naar))
            if pair in seen:
                continue
            seen.add(pair)
        yield van, naar, key, data


def _wrap(text: str, width: int = 22) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)



def vis_assets() -> dict[str, bytes]:
    """vis-network's script and style, from the copy inside the pyvis package."""
    vis = files("pyvis") / "lib" / "vis-9.1.2"
    return {f"{VIS_DIR}/vis-network.min.js": (vis / "vis-network.min.js").read_bytes(),
            f"{VIS_DIR}/vis-network.min.css": (vis / "vis-network.css").read_bytes()}
