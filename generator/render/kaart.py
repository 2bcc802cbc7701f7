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
from generator.domain.rules import domain
from generator.domain.vocab import Vocabulary

VIS_DIR = "assets/vis-network"
PHYSICS_LIMIT = 150  # nodes; above this the map is laid out in Python

# What the map's colours, shapes and lines mean comes from the vocabulary: inzet (kleur,
# kleurnaam), soorten (vorm, vormnaam) and relaties (kleur, streep, pijl, lijn). `legend` gives
# the same as the legend next to the map.


def legend(vocab: Vocabulary, orgs: Iterable[Organisatie]) -> dict:
    """The legend of a map, for the chain page: colours, shapes and lines, from the vocabulary."""
    inzet = vocab["inzet"].terms
    return {
        "kleuren": {k: t["kleur"] for k, t in inzet.items()},
        "kleurnaam": {k: t["kleurnaam"] for k, t in inzet.items()},
        "vormen": legend_shapes(vocab, orgs),
        "relatie_lijn": {k: t["lijn"] for k, t in vocab["relaties"].terms.items()},
    }


def legend_shapes(vocab: Vocabulary, orgs: Iterable[Organisatie]) -> list[tuple[str, str]]:
    used = {o.soort for o in orgs}
    return [(t.label, t["vormnaam"]) for s, t in vocab["soorten"].terms.items() if s in used]


def map_document(env: Environment, dataset: Dataset, graph: nx.MultiDiGraph, vocab: Vocabulary, keten: Keten) -> str:
    members = chain_members(graph, keten)
    rules = domain(vocab)
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
        net.add_node(node, label=_wrap(org.naam), title=tooltip, shape=rules.shape(org.soort),
                     color=rules.colour(org.inzet), size=18, **place,
                     url=urls.relative(urls.organisatie(org.id), page),
                     font={"color": "#1a1a1a", "face": "system-ui, sans-serif", "size": 14})
    for van, naar, key, data in unique_edges(sub, vocab):
        style = rules.line_style(key)
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
        **legend(vocab, [dataset.organisaties[n] for n in members]), labels=vocab["inzet"],
    )



def unique_edges(graph: nx.MultiDiGraph, vocab: Vocabulary | None = None):
    """Edges of a chain, with mutual relations (wederzijds: ja, such as working together; often
    recorded by both partners) once per pair."""
    rules = domain(vocab)
    seen: set[frozenset] = set()
    for van, naar, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        if rules.is_mutual(key):
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
