"""The national overview map: every municipality and the organisations their chains share.

One page of its own (urls.OVERZICHTSKAART), also shown in an iframe on the Gemeenten page, with
its text equivalent on that page (`shared_text`). It shows an aggregate that stays readable at
national scale (342 municipalities), not every organisation:

* one node per shared organisation: an organisation on the map of more than one chain, or a
  national one (landelijk) on the map of at least one. Which organisations are on a chain's map
  is the graph's answer (generator.graph.build.chain_members, the index graph.graph["leden"]);
  nothing here re-derives membership. The node's size grows with the number of municipalities,
  its shape is its kind (the vocabulary's soorten, as on the chain maps), its colour says national
  or shared; only these nodes carry a label.
* one small dot per municipality (chain), without a label (its name is its tooltip, and shows
  when it is chosen); choosing it leads to its chain page.
* municipalities that share exactly the same organisations form one group: their dots lie
  together around a hub, and one line per group and organisation (thicker for a bigger group)
  stands for the lines of all its municipalities. At national scale that is some 200 lines
  instead of 3,000.

The layout is computed here, at build time, with the force layout of generator.render.kaart
(deterministic: equal data, equal positions), for a wide screen and turned for an upright one.
The document is the engine's template overzicht.html (HTML autoescaping, the data only through
|tojson in a JSON script element) with the script assets/overzicht.js, which sets every text
with textContent. The map's drawing and view are shared with the chain maps (vis-network,
assets/kaartbeeld.js, assets/kaart.css).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import cos, pi, sin, sqrt

import networkx as nx
import numpy as np
from jinja2 import Environment

from generator import urls
from generator.domain.rules import domain
from generator.domain.vocab import Vocabulary, meervoud
from generator.graph.build import chain_members
from generator.model import Dataset, Keten, Organisatie
from generator.render import kaart

# map units; the labels use kaart.FONT_SIZE, so a scale of 1 shows them at 16 CSS px
DOT = 7            # the radius of a municipality's dot
DOT_SPACING = 24   # the distance between neighbouring dots of a group
ORG_MIN, ORG_MAX = 12, 30  # the radius of an organisation node: used by one chain .. by the most
LINE_HEIGHT = 20   # one line of a label
LABEL_WIDTH = 200  # the room a label takes (kaart._wrap breaks it at 22 characters)
SPACING = 170      # the aimed distance between neighbouring nodes of the layout (groups, organisations)
GRAVITY = 0.3      # the pull towards the middle: municipalities that share nothing stay near
NAMES_MAX = 40     # up to this many municipalities, each is its own group and has its name on the map

KLEUR_GEMEENTE = "#4051b5"   # the theme's indigo
RAND_GEMEENTE = "#26338a"
KLEUR_LANDELIJK = "#e69f00"  # orange (Okabe-Ito): a national organisation
KLEUR_GEDEELD = "#56b4e9"    # sky blue (Okabe-Ito): shared by several municipalities, not national
LIJN = "#8c8c8c"


@dataclass(frozen=True)
class Gedeeld:
    """A shared organisation with the chains on whose map it is (in name order)."""

    org: Organisatie
    ketens: tuple[Keten, ...]


def chains_by_name(dataset: Dataset) -> list[Keten]:
    return sorted(dataset.ketens.values(), key=lambda k: k.naam.casefold())


def shared_organisations(dataset: Dataset, graph: nx.MultiDiGraph) -> list[Gedeeld]:
    """The shared organisations, most municipalities first (then by name): on the map of more
    than one chain, or national and on the map of at least one."""
    users: dict[str, list[Keten]] = {}
    for keten in chains_by_name(dataset):
        for member in chain_members(graph, keten):
            users.setdefault(member, []).append(keten)
    shared = [Gedeeld(dataset.organisaties[o], tuple(ketens)) for o, ketens in users.items()
              if len(ketens) > 1 or dataset.organisaties[o].landelijk]
    return sorted(shared, key=lambda g: (-len(g.ketens), g.org.naam.casefold(), g.org.id))


def shared_text(dataset: Dataset, graph: nx.MultiDiGraph, links: int) -> dict:
    """The map's text equivalent, for the Gemeenten page: per shared organisation the
    municipalities on whose map it is, summarised so that the page stays bounded at national
    scale: "all", "all but" the fewer others, or the list; names are links while a list has at
    most `links` of them (the pages' list limit). And the national organisations on no chain's map."""
    ketens = chains_by_name(dataset)
    rows = []
    for entry in shared_organisations(dataset, graph):
        users = set(k.cbs for k in entry.ketens)
        others = [k for k in ketens if k.cbs not in users]
        alle = not others
        behalve = bool(others) and len(others) < len(entry.ketens)
        listed = [] if alle else others if behalve else list(entry.ketens)
        rows.append({"org": entry.org, "aantal": len(entry.ketens), "alle": alle, "behalve": behalve,
                     "lijst": listed, "links": len(listed) <= links})
    shown = {r["org"].id for r in rows}
    return {"gedeeld": rows, "totaal": len(ketens),
            "los": [o for o in dataset.landelijke() if o.id not in shown]}


# -- the layout --------------------------------------------------------------------------------------

def layout(orgs: dict[str, int], groups: list[tuple[frozenset[str], list[str]]],
           names: bool = False) -> tuple[dict, dict]:
    """Positions (map units, whole numbers) for the organisations (`orgs`: id -> number of
    municipalities), the group hubs ('groep:<i>') and the municipalities (the ids in `groups`:
    (the organisations they share, their ids in display order)): for a wide screen and for an
    upright one. Deterministic for equal input.

    The organisations and the groups are laid out by the chain maps' force layout (a group is
    drawn to the organisations it uses), spread so that no label or group overlaps another, and
    the dots of a group are placed around its hub in a sunflower pattern, in display order. With
    `names` every group is one municipality with its name below its dot (a map of a few)."""
    hubs = [f"groep:{i}" for i in range(len(groups))]
    nodes = sorted(orgs, key=lambda o: (-orgs[o], o)) + hubs
    n = len(nodes)
    if n == 0:
        return {}, {}
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for hub, (profile, members) in zip(hubs, groups):  # a bigger group pulls harder
        graph.add_edges_from(((hub, org) for org in profile), weight=sqrt(len(members)))
    # start on a circle: the most shared organisations first, then the groups
    angle = 2 * pi * np.arange(n) / n
    start = np.stack([0.8 + 0.5 * np.cos(angle), 0.5 + 0.3 * np.sin(angle)], axis=1)
    adjacency = kaart.adjacency_matrix(graph, nodes, "weight")
    pos = kaart.force(start, adjacency, gravity=GRAVITY) if n > 1 else np.zeros((1, 2))
    pos = kaart.screen_shape(pos, SPACING) if n > 1 else pos
    most = max(orgs.values(), default=1)
    named = (LABEL_WIDTH, 2 * DOT + 2 * LINE_HEIGHT + 16)  # a dot with its name (up to two lines)
    boxes = np.array([org_box(orgs[o], most) for o in nodes[:len(orgs)]]
                     + [named if names else (2 * group_radius(len(m)) + DOT_SPACING,) * 2 for _p, m in groups]
                     ).reshape(n, 2)
    result = []
    for turned in (pos, pos[:, ::-1].copy()):
        spread = kaart.spread(turned, boxes, rounds=120) if n > 1 else turned
        places = {node: (float(x), float(y)) for node, (x, y) in zip(nodes, spread)}
        for hub, (_profile, members) in zip(hubs, groups):
            cx, cy = places[hub]
            for k, member in enumerate(members):
                r, a = sunflower(k) if len(members) > 1 else (0.0, 0.0)  # one alone: on its hub
                places[member] = (cx + r * cos(a), cy + r * sin(a))
        result.append({node: (int(round(x)), int(round(y))) for node, (x, y) in places.items()})
    return result[0], result[1]


def sunflower(k: int) -> tuple[float, float]:
    """Radius and angle of the k-th dot around its hub (Vogel's spiral, the centre left free)."""
    return 0.525 * DOT_SPACING * sqrt(k + 1.5), k * pi * (3 - sqrt(5))


def group_radius(count: int) -> float:
    return sunflower(max(count - 1, 0))[0] + DOT


def org_size(count: int, most: int) -> float:
    return ORG_MIN + (ORG_MAX - ORG_MIN) * sqrt(count / max(most, 1))


def org_box(count: int, most: int) -> tuple[float, float]:
    """The room an organisation with its label (name and count, below it) takes."""
    size = org_size(count, most)
    return max(LABEL_WIDTH, 2 * size), 2 * size + 3 * LINE_HEIGHT + 16


# -- the document ------------------------------------------------------------------------------------

def map_data(dataset: Dataset, graph: nx.MultiDiGraph, vocab: Vocabulary) -> dict:
    """Everything the overview's script needs, as plain data: nodes with their build-time
    positions (organisations, group hubs, municipalities), the lines of the groups, the labels of
    the terms used and vis-network's options."""
    rules = domain(vocab)
    page = urls.OVERZICHTSKAART
    shared = shared_organisations(dataset, graph)
    ids = {g.org.id for g in shared}
    counts = {g.org.id: len(g.ketens) for g in shared}
    most = max(counts.values(), default=1)
    names = len(dataset.ketens) <= NAMES_MAX
    by_profile: dict[tuple, list[Keten]] = {}
    for keten in chains_by_name(dataset):
        profile = frozenset(chain_members(graph, keten) & ids)
        by_profile.setdefault((profile, keten.cbs if names else ""), []).append(keten)
    # groups: the biggest first, then by the organisations they share (deterministic)
    ordered = sorted(((p, ketens) for (p, _own), ketens in by_profile.items()),
                     key=lambda item: (-len(item[1]), sorted(item[0]), item[1][0].naam.casefold()))
    groups = [(profile, [gemeente_id(k) for k in ketens]) for profile, ketens in ordered]
    wide, upright = layout(counts, groups, names)
    # At national scale, a line from every group to an organisation that every municipality
    # shares says nothing: those organisations lie in the middle (the layout draws them there) and
    # have no lines; choosing one still lights up every municipality.
    everywhere = set() if names else {o for o, n in counts.items() if n == len(dataset.ketens)}

    nodes = []
    for entry in shared:
        org = entry.org
        x, y = wide[org.id]
        nodes.append({
            "id": org.id, "x": x, "y": y, "staand": list(upright[org.id]), "soort": "organisatie",
            "label": kaart.wrap(org.naam) + "\n" + meervoud(len(entry.ketens), "gemeente", "gemeenten"),
            "shape": rules.shape(org.soort), "size": round(org_size(len(entry.ketens), most), 1),
            "color": KLEUR_LANDELIJK if org.landelijk else KLEUR_GEDEELD,
            "naam": org.naam, "orgsoort": org.soort, "landelijk": org.landelijk, "aantal": len(entry.ketens),
            "url": urls.relative(urls.organisatie(org.id), page),
        })
    edges = []
    most_group = max((len(m) for _p, m in groups), default=1)
    for i, ((profile, members), (_p, ketens)) in enumerate(zip(groups, ordered)):
        hub = f"groep:{i}"
        x, y = wide[hub]
        nodes.append({"id": hub, "x": x, "y": y, "staand": list(upright[hub]), "soort": "groep",
                      "aantal": len(members), "orgs": sorted(profile, key=lambda o: (-counts[o], o))})
        for keten, member in zip(ketens, members):
            x, y = wide[member]
            nodes.append({"id": member, "x": x, "y": y, "staand": list(upright[member]), "soort": "gemeente",
                          "naam": keten.naam, "groep": hub, "url": urls.relative(urls.gemeente(keten.slug), page),
                          **({"label": kaart.wrap(keten.naam)} if names else {})})
        width = round(1 + 4 * sqrt(len(members) / most_group), 1)
        for org in sorted(profile - everywhere):
            edges.append({"id": f"l{len(edges)}", "from": hub, "to": org, "width": width})
    return {
        "nodes": nodes,
        "edges": edges,
        "start": shared[0].org.id if shared else None,
        "namen": names,  # every municipality has its name on the map (a map of a few)
        "midden": sorted(everywhere),  # shared by every municipality: in the middle, without lines
        "totaal": len(dataset.ketens),
        "termen": {"soorten": {k: t.label for k, t in vocab["soorten"].terms.items()}},
        "kleuren": {"gemeente": KLEUR_GEMEENTE, "rand": RAND_GEMEENTE, "lijn": LIJN},
        "options": {
            "physics": {"enabled": False},
            "layout": {"improvedLayout": False},
            "interaction": {"hover": True, "dragNodes": False, "navigationButtons": False,
                            "keyboard": {"enabled": False}, "tooltipDelay": 150, "multiselect": False},
            "nodes": {"font": {"color": "#1a1a1a", "face": "system-ui, sans-serif", "size": kaart.FONT_SIZE,
                               "strokeWidth": 3, "strokeColor": "#ffffff", "background": "rgba(255,255,255,0.85)"},
                      "borderWidth": 1.5, "color": {"border": "#4d4d4d"}},
            "edges": {"smooth": False, "color": {"color": LIJN}, "selectionWidth": 1},
        },
    }


def gemeente_id(keten: Keten) -> str:
    """The node id of a municipality: never an organisation id (those have no colon)."""
    return f"gemeente:{keten.slug}"


def legend(vocab: Vocabulary, orgs: list[Organisatie]) -> dict:
    """The overview's legend: shapes (kinds of the organisations shown, from the vocabulary),
    the colours and what a dot and a line stand for."""
    used = {o.soort for o in orgs}
    return {
        "vormen": [{"label": t.label, "naam": t["vormnaam"], "teken": kaart.shape_svg(t["vorm"])}
                   for s, t in vocab["soorten"].terms.items() if s in used],
        "kleuren": {"gemeente": KLEUR_GEMEENTE, "landelijk": KLEUR_LANDELIJK, "gedeeld": KLEUR_GEDEELD,
                    "lijn": LIJN, "rand": RAND_GEMEENTE},
    }


def map_document(env: Environment, dataset: Dataset, graph: nx.MultiDiGraph, vocab: Vocabulary) -> str:
    page = urls.OVERZICHTSKAART
    data = map_data(dataset, graph, vocab)
    shared = sorted((n for n in data["nodes"] if n["soort"] == "organisatie"), key=lambda n: n["naam"].casefold())
    gemeenten = sorted((n for n in data["nodes"] if n["soort"] == "gemeente"), key=lambda n: n["naam"].casefold())
    return env.get_template("overzicht.html").render(
        data=data, organisaties=shared, gemeenten=gemeenten,
        legenda=legend(vocab, [dataset.organisaties[n["id"]] for n in shared]),
        vis_dir=urls.relative(kaart.VIS_DIR, page), scripts=[urls.relative(s, page) for s in (kaart.BEELD_JS, kaart.OVERZICHT_JS)],
        stijl=urls.relative(kaart.KAART_CSS, page),
        terug=urls.relative(urls.url_of(urls.GEMEENTEN_OVERZICHT) + "index.html", page),
        tekst=urls.relative(urls.url_of(urls.GEMEENTEN_OVERZICHT) + "index.html", page) + "#gedeelde-organisaties",
        zelf=urls.relative(page, page),
    )

