"""The interactive referral map of one chain: a standalone HTML document (pyvis data, vis-network).

The map is drawn by vis-network 9.1.2 as shipped inside pyvis, served from the site itself
(nothing from other hosts). This is the only module that imports pyvis: it assembles nodes and
edges; the document is the engine's own template kaart.html (HTML autoescaping; the data passed
only through |tojson into a JSON script element) and its script assets/kaart.js (tooltips and
details are set as plain text, never as HTML). Every map has its text equivalent on the chain page.

The layout is computed here, once per build: `layout` is a small force layout in numpy, started
from the phases (earliest phase left, latest right) and without randomness, so equal data gives
equal positions on every build and every load. The browser never runs physics; when the map is
taller than wide (a phone) it shows the upright version of the same layout, with the phases from
top to bottom (`staand` in the map data). Its parts (`force`, `screen_shape`, `spread`) also lay
out the national overview map (generator.render.overzicht). When the whole map would show its
labels below 12 px (a big chain, or a phone), the map starts readable on the chain's way in
(`start` in the map data; assets/kaartbeeld.js).
"""

from __future__ import annotations

from importlib.resources import files
from typing import Iterable

import networkx as nx
import numpy as np
from jinja2 import Environment
from markupsafe import Markup
from pyvis.network import Network

from generator import urls
from generator.graph.build import chain_edges, chain_members
from generator.model import Dataset, Keten, Organisatie
from generator.domain.rules import domain
from generator.domain.vocab import Vocabulary
from generator.project import engine_path

VIS_DIR = "assets/vis-network"  # only its script: the few styles the map needs are in kaart.css
KAART_JS = "assets/kaart.js"
BEELD_JS = "assets/kaartbeeld.js"  # the view both maps share: fitting, a readable start, zooming
OVERZICHT_JS = "assets/overzicht.js"  # the national overview map (generator.render.overzicht)
KAART_CSS = "assets/kaart.css"
FONT_SIZE = 16  # label size on the map, in map units (a scale of 1 shows it at 16 CSS px)
SPACING = 110   # the aimed distance between neighbouring organisations, in map units
BOX = (200, 86)  # the room an organisation and its label take (width, height), kept free of others
# Steps of the force layout, its temperature falling to 0 over them. On the 344 chains of the
# national set, 150 gave the same edge crossings (8.3 per map), phase order and spread as 300,
# in 6.4 instead of 11.0 ms per layout (BENCHMARKS.md, 2026-11-30).
FORCE_ITERATIONS = 150

# What the map's colours, shapes and lines mean comes from the vocabulary: inzet (kleur,
# kleurnaam), soorten (vorm, vormnaam) and relaties (kleur, streep, pijl, lijn). `legend` gives
# the same as the legend next to the map.


def legend(vocab: Vocabulary, orgs: Iterable[Organisatie]) -> dict:
    """The legend of a map, for the chain page and the map page: colours, shapes and lines, from
    the vocabulary (only the kinds of organisation that are on the map)."""
    inzet = vocab["inzet"].terms
    orgs = list(orgs)
    used = {o.soort for o in orgs}
    return {
        "kleuren": {k: t["kleur"] for k, t in inzet.items()},
        "kleurnaam": {k: t["kleurnaam"] for k, t in inzet.items()},
        "vormen": legend_shapes(vocab, orgs),
        "relatie_lijn": {k: t["lijn"] for k, t in vocab["relaties"].terms.items()},
        # the same, drawn (for the map page's legend)
        "legenda": {
            "vormen": [{"label": t.label, "naam": t["vormnaam"], "teken": shape_svg(t["vorm"])}
                       for s, t in vocab["soorten"].terms.items() if s in used],
            "kleuren": [{"label": t.label, "naam": t["kleurnaam"], "kleur": t["kleur"]} for t in inzet.values()],
            "lijnen": [{"label": t.label, "naam": t["lijn"], "teken": line_svg(t["kleur"], t["streep"], t["pijl"])}
                       for t in vocab["relaties"].terms.values()],
        },
    }


def legend_shapes(vocab: Vocabulary, orgs: Iterable[Organisatie]) -> list[tuple[str, str]]:
    used = {o.soort for o in orgs}
    return [(t.label, t["vormnaam"]) for s, t in vocab["soorten"].terms.items() if s in used]


# How vis-network draws each of its shapes, as a small SVG for the legend (24 x 24). Keyed by
# vis-network's shape names (generator.domain.vocab.VIS_SHAPES), never by a term of ours.
_SHAPES = {
    "dot": '<circle cx="12" cy="12" r="8"/>',
    "circle": '<circle cx="12" cy="12" r="8"/>',
    "ellipse": '<ellipse cx="12" cy="12" rx="10" ry="6"/>',
    "box": '<rect x="3" y="6" width="18" height="12" rx="2"/>',
    "database": '<ellipse cx="12" cy="12" rx="8" ry="9"/>',
    "text": '<rect x="4" y="8" width="16" height="8"/>',
    "square": '<rect x="4" y="4" width="16" height="16"/>',
    "diamond": '<polygon points="12,2 22,12 12,22 2,12"/>',
    "triangle": '<polygon points="12,3 21,19 3,19"/>',
    "triangleDown": '<polygon points="3,5 21,5 12,21"/>',
    "hexagon": '<polygon points="7,3.5 17,3.5 22,12 17,20.5 7,20.5 2,12"/>',
    "star": '<polygon points="12,2 14.6,9 22,9 16,13.5 18.2,21 12,16.5 5.8,21 8,13.5 2,9 9.4,9"/>',
}


def shape_svg(vorm: str) -> Markup:
    """A vis-network shape as an inline SVG (grey fill, dark outline) for the legend."""
    inner = _SHAPES.get(vorm, _SHAPES["dot"])
    return Markup('<svg class="kk-teken" width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" '
                  f'focusable="false"><g fill="#d9d9d9" stroke="#4d4d4d" stroke-width="1.5">{inner}</g></svg>')


def line_svg(kleur: str, streep, pijl: bool) -> Markup:
    """A relation's line as an inline SVG (40 x 24) for the legend: colour, dashes and arrow."""
    colour = str(Markup.escape(kleur))
    dash = f' stroke-dasharray="{" ".join(str(int(d)) for d in streep)}"' if isinstance(streep, list) else ""
    head = f'<polygon points="30,7 40,12 30,17" fill="{colour}"/>' if pijl else ""
    end = 30 if pijl else 40
    return Markup(f'<svg class="kk-teken" width="40" height="24" viewBox="0 0 40 24" aria-hidden="true" focusable="false">'
                  f'<line x1="0" y1="12" x2="{end}" y2="12" stroke="{colour}" stroke-width="2.5"{dash}/>{head}</svg>')


# -- the layout --------------------------------------------------------------------------------------

def layout(graph: nx.Graph, phase_of: dict[str, float]) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """Positions (map units, whole numbers) for every node of `graph`, deterministic for equal input:
    for a wide screen, and the same layout turned for a screen taller than wide (phases from top
    to bottom), each spread so that no labels overlap.

    A Fruchterman-Reingold force layout in plain numpy (no scipy, any size), started from columns
    per phase (`phase_of`: 0 for the earliest phase of an organisation, 1 for the latest) with the
    organisations of a column in the order of their ids, a weak pull back towards the column and
    towards the middle (so loose organisations stay near), then spread so that no two
    organisations and their labels (BOX) overlap.
    """
    nodes = sorted(graph.nodes)
    n = len(nodes)
    if n == 0:
        return {}, {}
    if n == 1:
        return {nodes[0]: (0, 0)}, {nodes[0]: (0, 0)}
    adjacency = adjacency_matrix(graph, nodes)
    # start: one column per phase position, nodes spread evenly (in id order) within it
    column = np.array([phase_of.get(node, 0.5) for node in nodes])
    pos = np.zeros((n, 2))
    for value in sorted(set(column)):
        members = np.flatnonzero(column == value)
        pos[members, 0] = value
        pos[members, 1] = (np.arange(len(members)) + 0.5) / len(members)
    pos[:, 0] = pos[:, 0] * 1.6  # wider than tall: a screen
    pos = screen_shape(force(pos, adjacency, target_x=column * 1.6), SPACING)
    wide, upright = spread(pos), spread(pos[:, ::-1].copy())
    return ({node: (int(round(x)), int(round(y))) for node, (x, y) in zip(nodes, wide)},
            {node: (int(round(x)), int(round(y))) for node, (x, y) in zip(nodes, upright)})


def adjacency_matrix(graph: nx.Graph, nodes: list, weight: str | None = None) -> np.ndarray:
    """The symmetric adjacency of `graph` in the order of `nodes` (1 per edge, or its `weight`)."""
    index = {node: i for i, node in enumerate(nodes)}
    adjacency = np.zeros((len(nodes), len(nodes)))
    for u, v, data in graph.edges(data=True):
        if u != v:
            adjacency[index[u], index[v]] = adjacency[index[v], index[u]] = data.get(weight, 1.0) if weight else 1.0
    return adjacency


def force(pos: np.ndarray, adjacency: np.ndarray, target_x: np.ndarray | None = None,
          gravity: float = 0.05) -> np.ndarray:
    """Fruchterman-Reingold in a 1.6 x 1 field from the start positions `pos` (deterministic):
    neighbours attract (by their adjacency), all repel, with a pull towards the middle (`gravity`:
    weak by default) and, given `target_x`, a pull back towards those columns.

    A map has 30 to 40 nodes, so the time goes to the number of numpy calls (FORCE_ITERATIONS of
    about 20), not to the arithmetic: every step writes into arrays made once (out=). Real values
    that meet complex ones are kept in complex arrays with imaginary part 0, which is what numpy
    makes of them for each such operation: the values and the order of the operations are those
    of the plain formula in the comments (tests/unit/test_kaart_layout.py holds the two side by
    side)."""
    n = len(pos)
    # positions as complex numbers x + iy: one array op where two were needed, about half the time
    z = pos[:, 0] + 1j * pos[:, 1]
    k = np.sqrt(1.6 / n)  # the ideal distance in a 1.6 x 1 field
    kk = k * k
    iterations = FORCE_ITERATIONS
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    pull = adjacency / k
    rows, columns = z[:, None], z[None, :]  # views of z, which is updated in place
    delta, push = np.empty((n, n), complex), np.empty((n, n), complex)
    distance, repulsion = np.empty((n, n)), np.empty((n, n))
    pair_force = np.zeros((n, n), complex)  # real: its imaginary part stays 0
    displacement, middle = np.empty(n, complex), np.empty(n, complex)
    column_pull, step = np.zeros(n, complex), np.zeros(n, complex)  # real: imaginary parts stay 0
    length = np.empty(n)
    for _ in range(iterations):
        # delta = z[:, None] - z[None, :]; distance = max(|delta|, 0.01)
        np.subtract(rows, columns, out=delta)
        np.abs(delta, out=distance)
        np.maximum(distance, 0.01, out=distance)
        # force = k * k / (distance * distance) - pull * distance
        np.multiply(distance, distance, out=repulsion)
        np.divide(kk, repulsion, out=repulsion)
        np.multiply(pull, distance, out=distance)  # the attraction (distance is not needed after this)
        np.subtract(repulsion, distance, out=pair_force.real)
        # displacement = (delta * force).sum(axis=1): a node's own term is 0, as its delta is
        np.multiply(delta, pair_force, out=push)
        np.add.reduce(push, axis=1, out=displacement)
        if target_x is not None:  # phases left to right: displacement += 0.3 * (target_x - z.real) / k
            np.subtract(target_x, z.real, out=column_pull.real)
            np.multiply(0.3, column_pull.real, out=column_pull.real)
            np.divide(column_pull.real, k, out=column_pull.real)
            np.add(displacement, column_pull, out=displacement)
        # loose parts stay near (mean: slower): displacement -= gravity * (z - z.sum() / n) / k
        np.subtract(z, np.add.reduce(z) / n, out=middle)
        np.multiply(gravity, middle, out=middle)
        np.divide(middle, k, out=middle)
        np.subtract(displacement, middle, out=displacement)
        # z = z + displacement * (temperature / max(|displacement|, 0.01))
        np.abs(displacement, out=length)
        np.maximum(length, 0.01, out=length)
        np.divide(temperature, length, out=step.real)
        np.multiply(displacement, step, out=displacement)
        np.add(z, displacement, out=z)
        temperature -= cooling
    return np.column_stack([z.real, z.imag])


def screen_shape(pos: np.ndarray, spacing: float) -> np.ndarray:
    """Centred, 1.6 times as wide as tall (a screen), and scaled so that neighbouring nodes are
    `spacing` map units apart (the median distance to the nearest other)."""
    pos = pos - pos.mean(axis=0)
    spread_ = pos.std(axis=0)
    if spread_.min() > 1e-9:
        pos[:, 1] *= spread_[0] / spread_[1] / 1.6
    delta = pos[:, None, :] - pos[None, :, :]
    distance = np.sqrt((delta ** 2).sum(axis=-1))
    np.fill_diagonal(distance, np.inf)
    nearest = np.median(distance.min(axis=1))
    return pos * (spacing / max(nearest, 1e-9))


def spread(pos: np.ndarray, boxes: np.ndarray | None = None, rounds: int = 60) -> np.ndarray:
    """Push apart nodes whose boxes overlap, along the direction in which they overlap least;
    deterministic (no randomness). A box is the room a node with its label takes, centred on the
    node: BOX for every node, or per node (`boxes`: width and height per row).

    x and y are worked out together (arrays with a row for x and one for y). Few pairs overlap,
    so once they are found the moves are worked out for those pairs only; a node moves by the sum
    of its row of pair moves (0 for the other pairs), summed as that full row, so that the floats
    are those of working out every pair (tests/unit/test_kaart_layout.py holds the two side by
    side)."""
    n = len(pos)
    if boxes is None:
        size = np.empty((2, n, n))  # per pair: the width and the height within which boxes overlap
        size[0], size[1] = BOX
        limit = BOX[1]
    else:  # per pair: half of each box
        size = (boxes.T[:, :, None] + boxes.T[:, None, :]) / 2
        limit = boxes[:, 1]  # per node
    xy = pos.T.copy()  # a row of x and a row of y
    for _ in range(rounds):
        delta = xy[:, :, None] - xy[:, None, :]  # dx and dy of every pair (i, j)
        # boxes overlap where both overlaps, width - |dx| and height - |dy|, are above 0: where
        # they are less far apart than wide and than high
        near = np.abs(delta) < size
        pairs = np.flatnonzero(near[0] & near[1])  # the pair (i, j) as i * n + j
        pairs = pairs[pairs % (n + 1) != 0]  # not a node and itself
        if not len(pairs):
            break
        i, j = np.divmod(pairs, n)
        delta, pair_size = delta.reshape(2, -1)[:, pairs], size.reshape(2, -1)[:, pairs]
        over = pair_size - np.abs(delta)
        # equal positions: separate by index, so the result stays deterministic
        sign = np.where(delta != 0, np.sign(delta), np.sign(i - j).astype(float))
        ratio = over / pair_size
        along_x = ratio[0] <= ratio[1]
        # a pair's move: half its overlap and half a unit, along x or along y
        moves = np.zeros((2, n * n))
        moves[:, pairs] = np.where(np.stack((along_x, ~along_x)), over * sign / 2 + 0.5 * sign, 0.0)
        xy = xy + np.clip(moves.reshape(2, n, n).sum(axis=2), -limit, limit)
    return np.ascontiguousarray(xy.T)


def phase_positions(vocab: Vocabulary, orgs: Iterable[Organisatie]) -> dict[str, float]:
    """Per organisation where its phases lie, from 0 (the vocabulary's first phase) to 1 (the last):
    the middle of its earliest and latest phase."""
    order = {f: i for i, f in enumerate(vocab["fasen"].terms)}
    last = max(len(order) - 1, 1)
    result = {}
    for org in orgs:
        places = [order[f] for f in org.fasen if f in order]
        result[org.id] = (min(places) + max(places)) / 2 / last if places else 0.5
    return result


# -- the document ------------------------------------------------------------------------------------

def map_data(dataset: Dataset, graph: nx.MultiDiGraph, vocab: Vocabulary, keten: Keten) -> dict:
    """Everything the map's script needs, as plain data: nodes (with their build-time positions),
    edges, the routes of the chain, vis-network's options and the labels of the terms used."""
    members = chain_members(graph, keten)
    rules = domain(vocab)
    page = urls.kaart(keten.slug)
    edges = chain_edges(graph, members)
    linked = nx.Graph()
    linked.add_nodes_from(members)
    linked.add_edges_from((van, naar) for van, naar, _key, _data in edges)
    orgs = {m: dataset.organisaties[m] for m in members}
    phases = phase_positions(vocab, orgs.values())
    positions, upright = layout(linked, phases)
    net = Network(directed=True)
    for node in sorted(members):
        org = orgs[node]
        x, y = positions[node]
        # the tooltip (name, kind, who helps) is made from these by the map's script, as plain text
        net.add_node(node, label=wrap(org.naam), shape=rules.shape(org.soort),
                     color=rules.colour(org.inzet), x=x, y=y, staand=list(upright[node]),
                     url=urls.relative(urls.organisatie(org.id), page), naam=org.naam,
                     soort=org.soort, inzet=org.inzet, fasen=list(org.fasen), doelgroepen=list(org.doelgroepen),
                     landelijk=keten.cbs not in org.gemeenten)
    for van, naar, key, data in unique_edges(edges, vocab):
        style = rules.line_style(key)
        title = vocab.label("relaties", key) + (f": {data['wanneer']}" if data["wanneer"] else "")
        if data["warm"]:
            title += " (warme overdracht)"
        net.add_edge(van, naar, title=title, color=style["color"], dashes=style["dashes"],
                     arrows=style["arrows"], width=3 if data["warm"] else 1.5, soort=key)
    nodes, edges, _heading, _h, _w, _options = net.get_network_data()
    for number, edge in enumerate(edges):  # ids for the script's updates (filters, focus, routes)
        edge["id"] = f"r{number}"
    used = {t for o in orgs.values() for t in o.doelgroepen}
    return {
        "nodes": nodes,
        "edges": edges,
        # where a view that cannot show the whole map readably starts: the chain's way in
        "start": next((o for o in (keten.toegang, keten.regie) if o in members), None),
        "routes": [{"naam": r.naam, "stappen": [s for s in r.stappen if s in members], "warm": bool(r.warm)}
                   for r in keten.routes],
        "termen": {
            "soorten": {k: t.label for k, t in vocab["soorten"].terms.items()},
            "inzet": {k: t.label for k, t in vocab["inzet"].terms.items()},
            "fasen": {k: t.label for k, t in vocab["fasen"].terms.items()},
            "doelgroepen": {k: t.label for k, t in vocab["doelgroepen"].terms.items() if k in used},
            "relaties": {k: t.label for k, t in vocab["relaties"].terms.items()},
        },
        "options": {
            "physics": {"enabled": False},
            "layout": {"improvedLayout": False},
            "interaction": {"hover": True, "dragNodes": False, "navigationButtons": False,
                            "keyboard": {"enabled": False}, "tooltipDelay": 150, "multiselect": False},
            "nodes": {"font": {"color": "#1a1a1a", "face": "system-ui, sans-serif", "size": FONT_SIZE,
                               "strokeWidth": 3, "strokeColor": "#ffffff"},
                      "borderWidth": 1.5, "color": {"border": "#4d4d4d"}, "size": 18},
            "edges": {"smooth": {"type": "curvedCW", "roundness": 0.12}, "selectionWidth": 1.5},
        },
    }


def map_document(env: Environment, dataset: Dataset, graph: nx.MultiDiGraph, vocab: Vocabulary, keten: Keten) -> str:
    members = chain_members(graph, keten)
    page = urls.kaart(keten.slug)
    data = map_data(dataset, graph, vocab, keten)
    orgs = sorted((dataset.organisaties[m] for m in members), key=lambda o: o.naam.casefold())
    return env.get_template("kaart.html").render(
        keten=keten, data=data, orgs=orgs, aantal=len(members),
        vis_dir=urls.relative(VIS_DIR, page), scripts=[urls.relative(s, page) for s in (BEELD_JS, KAART_JS)],
        stijl=urls.relative(KAART_CSS, page),
        # the chain page as a file (index.html): the map also works opened from disk
        terug=urls.relative(urls.gemeente(keten.slug) + "index.html", page),
        zelf=urls.relative(page, page), termen=data["termen"],
        **legend(vocab, orgs),
    )


def unique_edges(edges: Iterable[tuple[str, str, str, dict]], vocab: Vocabulary | None = None):
    """The edges (van, naar, soort, data) of a chain, sorted by those three as graph.build.chain_edges
    gives them, with mutual relations (wederzijds: ja, such as working together; often recorded by
    both partners) once per pair: the first of the two in that order."""
    rules = domain(vocab)
    seen: set[frozenset] = set()
    for van, naar, key, data in edges:
        if rules.is_mutual(key):
            pair = frozenset((van, naar))
            if pair in seen:
                continue
            seen.add(pair)
        yield van, naar, key, data


def wrap(text: str, width: int = 22) -> str:
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
    """The map's files: vis-network's script (from the copy inside the pyvis package) and the
    engine's own map script and style. vis-network's style sheet is left out: 220 KB, nearly all
    of it pictures of navigation buttons the map does not use (its tooltip style is in kaart.css)."""
    vis = files("pyvis") / "lib" / "vis-9.1.2"
    own = {path: engine_path(*path.split("/")).read_bytes() for path in (KAART_JS, BEELD_JS, OVERZICHT_JS, KAART_CSS)}
    return {f"{VIS_DIR}/vis-network.min.js": (vis / "vis-network.min.js").read_bytes(), **own}
