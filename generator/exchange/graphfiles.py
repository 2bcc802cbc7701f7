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

The files are the same bytes for the same data, whatever the day or the machine: the XML is
written here, exactly as NetworkX's writers (xml.etree, no pretty-printing) write it, but faster and
without the date that NetworkX puts in a GEXF file's <meta> (here: <meta><creator>Ketenkaart</creator>
</meta>). Graphs with attributes these writers do not cover (GEXF's reserved names such as
`start` or `viz`, values other than text, numbers and true/false) go to NetworkX's writers
instead. tests/integration/test_graphfiles.py holds the two side by side. The JSON is what json.dumps
makes of NetworkX's node_link_data, written node by node (tests/integration/test_graphfiles_json.py).
A node or edge is in several files (its municipality's, the country's; a national organisation in
many): a GraphFiles maker makes its attributes, plain values and JSON once for all of them (once
per worker process, when the files are made on several cores).
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

import networkx as nx

from generator import urls
from generator.domain.fields import EXPORT, ORGANISATIE
from generator.graph.build import chain_edges, chain_members
from generator.model import ALLES, Dataset, Keten, Scope
from generator.parallel import parallel_map

LIST_SEPARATOR = "; "


def flat(value: Any) -> str | int | float | bool:
    """A value GraphML and GEXF can hold."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        if all(type(v) is str for v in value):  # the usual list: texts, each its own flat value
            return LIST_SEPARATOR.join(value)
        return LIST_SEPARATOR.join(str(flat(v)) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else "{}"
    return str(value)


def _node_attrs(graph: nx.MultiDiGraph, dataset: Dataset, node: str) -> dict[str, Any]:
    attrs = dict(graph.nodes[node])
    org = dataset.organisaties.get(node)
    if org is not None:
        attrs.setdefault("naam", org.naam)
        attrs["label"] = org.naam
        for key, value in ORGANISATIE.graph_of(org, (EXPORT,)).items():
            attrs[key] = "" if value is None else value
        attrs["pagina"] = urls.organisatie(org.id)
    return attrs


def rich_graph(graph: nx.MultiDiGraph, dataset: Dataset, members: set[str] | None = None,
               known: dict[str, dict[str, Any]] | None = None) -> nx.MultiDiGraph:
    """The graph (or the part with `members`) with the full organisation record on each node.
    `known`: node attributes made before (GraphFiles shares them between the files; the graphs
    made with it share the lists in those attributes, so nothing may change them)."""
    nodes = sorted(members if members is not None else graph.nodes)
    out = nx.MultiDiGraph(name="Ketenkaart")
    for node in nodes:
        attrs = None if known is None else known.get(node)
        if attrs is None:
            attrs = {k: list(v) if isinstance(v, tuple) else v for k, v in _node_attrs(graph, dataset, node).items()}
            if known is not None:
                known[node] = attrs
        out.add_node(node, **attrs)
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]) if members is None \
        else chain_edges(graph, members)
    for van, naar, key, data in edges:
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


def _nx_graphml_bytes(rich: nx.MultiDiGraph) -> bytes:
    out = io.BytesIO()
    # the xml.etree writer, also where lxml is installed (NetworkX's lxml writer formats otherwise)
    nx.write_graphml_xml(flat_graph(rich), out, encoding="utf-8", prettyprint=False)
    return out.getvalue()


GEXF_CREATOR = "Ketenkaart"
_NX_META = re.compile(rb"<meta lastmodifieddate=\"[^\"]*\"><creator>[^<]*</creator></meta>")


def _nx_gexf_bytes(rich: nx.MultiDiGraph) -> bytes:
    out = io.BytesIO()
    nx.write_gexf(flat_graph(rich, gexf=True), out, encoding="utf-8", prettyprint=False)
    return _NX_META.sub(f"<meta><creator>{GEXF_CREATOR}</creator></meta>".encode(), out.getvalue(), count=1)


# -- the XML writers -------------------------------------------------------------------------------
# What xml.etree.ElementTree writes (its _escape_cdata and _escape_attrib, short empty elements,
# the declaration with single quotes), for the elements NetworkX's GraphML and GEXF writers make.

XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
GRAPHML_ROOT = ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="' + NS_XSI + '" xsi:schemaLocation='
                '"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">')
GEXF_ROOT = ('<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="' + NS_XSI + '" xsi:schemaLocation='
             '"http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">')
# Python type -> the attribute type NetworkX writes (its construct_types: the last entry wins)
GRAPHML_TYPES = {str: "string", bool: "boolean", int: "long", float: "double"}
GEXF_TYPES = {str: "string", bool: "boolean", int: "long", float: "double"}
# attributes NetworkX's GEXF writer reads as structure rather than as data
GEXF_NODE_RESERVED = frozenset({"id", "pid", "start", "end", "parents", "spells", "viz"})
GEXF_EDGE_RESERVED = frozenset({"id", "key", "networkx_key", "label", "weight", "type", "start", "end", "spells", "viz"})
_FLOAT_NAMES = {"inf": "INF", "nan": "NaN", "-inf": "-INF"}


# What xml.etree escapes in text, and additionally in attribute values, in this order.
_TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ATTR_ESCAPES = (*_TEXT_ESCAPES, ('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def _escaped(text: str, escapes: tuple[tuple[str, str], ...]) -> str:
    for char, entity in escapes:
        if char in text:
            text = text.replace(char, entity)
    return text


def _text(text: str) -> str:
    return _escaped(text, _TEXT_ESCAPES)


def _attr(text: str) -> str:
    return _escaped(text, _ATTR_ESCAPES)


def _xml_bytes(parts: list[str]) -> bytes:
    return "".join(parts).encode("utf-8", "xmlcharrefreplace")


class _Unsupported(Exception):
    """The graph has something the fast writers do not write; NetworkX's writers do."""


def _flat_attrs(data: dict) -> dict:
    flat_data = {}
    for key, value in data.items():
        if type(value) not in GRAPHML_TYPES:  # text, a number, true/false: flat already
            value = flat(value)
            if type(value) not in GRAPHML_TYPES:
                raise _Unsupported
        flat_data[key] = value
    return flat_data


class _Flat:
    """The rich graph's name, nodes and edges with plain values, as flat_graph makes them (once,
    for both writers); _Unsupported when a value is not text, a number or true/false.

    `known`: the plain values of nodes (by node) and edges (by van, naar, key) made before, for
    rich graphs whose nodes and edges with those names hold the same values (GraphFiles: all
    made with the same `known` node attributes, from one graph)."""

    def __init__(self, rich: nx.MultiDiGraph, known: dict | None = None):
        self.name = flat(rich.graph.get("name", ""))
        if type(self.name) not in GRAPHML_TYPES:
            raise _Unsupported
        known = {} if known is None else known
        self.nodes = []
        for node, attrs in rich.nodes(data=True):
            flat_data = known.get(node)
            if flat_data is None:
                flat_data = known[node] = _flat_attrs(attrs)
            self.nodes.append((node, flat_data))
        self.edges = []
        for van, naar, key, attrs in rich.edges(keys=True, data=True):
            flat_data = known.get((van, naar, key))
            if flat_data is None:
                flat_data = known[van, naar, key] = _flat_attrs(attrs)
            self.edges.append((van, naar, key, flat_data))


def _graphml(rich: nx.MultiDiGraph | _Flat) -> bytes:
    flat_rich = rich if isinstance(rich, _Flat) else _Flat(rich)
    keys: dict[tuple[str, str, str], str] = {}
    key_parts: list[str] = []
    escaped: dict[str, str] = {}  # values met before in this file (most are), escaped

    def data(scope: str, flat_data: dict) -> str:
        """The <data> elements of a node or edge."""
        parts = []
        for name, value in flat_data.items():
            name = str(name)
            kind = GRAPHML_TYPES[type(value)]
            key = keys.get((name, kind, scope))
            if key is None:
                key = keys[name, kind, scope] = f"d{len(keys)}"
                key_parts.append(f'<key id="{key}" for="{scope}" attr.name="{_attr(name)}" attr.type="{kind}" />')
            text = str(value)
            if text:
                escaped_text = escaped.get(text)
                if escaped_text is None:
                    escaped_text = escaped[text] = _text(text)
                parts.append(f'<data key="{key}">{escaped_text}</data>')
            else:
                parts.append(f'<data key="{key}" />')
        return "".join(parts)

    graph_tail = [data("graph", {"name": flat_rich.name})]  # keys are numbered graph, nodes, edges (the name
    body: list[str] = []                                    # is all that flat_graph keeps of the graph's attributes)
    for node, flat_data in flat_rich.nodes:
        if flat_data:
            body.append(f'<node id="{_attr(str(node))}">{data("node", flat_data)}</node>')
        else:
            body.append(f'<node id="{_attr(str(node))}" />')
    for van, naar, key, flat_data in flat_rich.edges:
        head = f'<edge source="{_attr(str(van))}" target="{_attr(str(naar))}" id="{_attr(str(key))}"'
        if flat_data:
            body.append(f'{head}>{data("edge", flat_data)}</edge>')
        else:
            body.append(head + " />")
    return _xml_bytes([XML_DECLARATION, GRAPHML_ROOT, *reversed(key_parts), '<graph edgedefault="directed">',
                       *body, *graph_tail, "</graph></graphml>"])


def _gexf_value(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    text = str(value)
    return _FLOAT_NAMES.get(text, text) if type(value) is float else text


def _gexf(rich: nx.MultiDiGraph | _Flat) -> bytes:
    flat_rich = rich if isinstance(rich, _Flat) else _Flat(rich)
    ids = {"node": {}, "edge": {}}  # title -> id, per class; one counter for both
    declared: dict[str, list[str]] = {"node": [], "edge": []}
    created: list[str] = []  # classes in the order their <attributes> element was made

    escaped: dict[str, str] = {}  # values met before in this file (most are), escaped

    def attvalues(cls: str, flat_data: dict) -> str:
        class_ids = ids[cls]
        out = ["<attvalues>"]
        for title, value in flat_data.items():
            attr_id = class_ids.get(title)
            if attr_id is None:
                attr_id = class_ids[title] = str(len(ids["node"]) + len(ids["edge"]))
                if not declared[cls]:
                    created.append(cls)
                declared[cls].append(f'<attribute id="{attr_id}" title="{_attr(title)}" '
                                     f'type="{GEXF_TYPES[type(value)]}" />')
            text = value if type(value) is str else _gexf_value(value)
            escaped_text = escaped.get(text)
            if escaped_text is None:
                escaped_text = escaped[text] = _attr(text)
            out.append(f'<attvalue for="{attr_id}" value="{escaped_text}" />')
        out.append("</attvalues>")
        return "".join(out)

    nodes: list[str] = []
    for node, attrs in flat_rich.nodes:
        if GEXF_NODE_RESERVED & attrs.keys():
            raise _Unsupported
        flat_data = dict(attrs)
        label = str(flat_data.pop("label", node))
        head = f'<node id="{_attr(str(node))}" label="{_attr(label)}"'
        nodes.append(f"{head}>{attvalues('node', flat_data)}</node>" if flat_data else head + " />")
    edges: list[str] = []
    for van, naar, key, attrs in flat_rich.edges:
        if GEXF_EDGE_RESERVED & attrs.keys():
            raise _Unsupported
        flat_data = {**attrs, "networkx_key": key}  # NetworkX's name for the edge key
        if type(key) not in GEXF_TYPES:
            raise _Unsupported
        edge_id = f"{van}>{naar}>{key}"  # as flat_graph(gexf=True) sets it
        edges.append(f'<edge source="{_attr(str(van))}" target="{_attr(str(naar))}" id="{_attr(edge_id)}">'
                     f"{attvalues('edge', flat_data)}</edge>")
    name = flat_rich.name
    if not isinstance(name, str):
        raise _Unsupported
    attributes = [f'<attributes mode="static" class="{cls}">{"".join(declared[cls])}</attributes>'
                  for cls in reversed(created)]
    return _xml_bytes([
        XML_DECLARATION, GEXF_ROOT, f"<meta><creator>{GEXF_CREATOR}</creator></meta>",
        f'<graph defaultedgetype="directed" mode="static" name="{_attr(name)}">', *attributes,
        f"<nodes>{''.join(nodes)}</nodes>" if nodes else "<nodes />",
        f"<edges>{''.join(edges)}</edges>" if edges else "<edges />",
        "</graph></gexf>"])


def graphml_bytes(rich: nx.MultiDiGraph, _flat: _Flat | None = None) -> bytes:
    """GraphML as NetworkX's writer makes it (write_graphml of flat_graph, no pretty-printing)."""
    try:
        return _graphml(_flat or rich)
    except _Unsupported:
        return _nx_graphml_bytes(rich)


def gexf_bytes(rich: nx.MultiDiGraph, _flat: _Flat | None = None) -> bytes:
    """GEXF as NetworkX's writer makes it (write_gexf of flat_graph(gexf=True)), without the date."""
    try:
        return _gexf(_flat or rich)
    except _Unsupported:
        return _nx_gexf_bytes(rich)


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # what json.dumps(..., ensure_ascii=False,
                                                                     # separators=(",", ":")) uses


def node_link_bytes(rich: nx.MultiDiGraph, known: dict | None = None) -> bytes:
    """nx.node_link_data(rich, edges="edges") as compact JSON (json.dumps with these separators).

    Written part by part, exactly as json.dumps writes the whole: the head, then each node's and
    each edge's object as NetworkX's node_link_data makes it. `known`: those objects' JSON made
    before, by node and by (van, naar, key), for rich graphs whose nodes and edges with those names
    hold the same values (GraphFiles)."""
    if not rich.is_multigraph() or not rich.is_directed():
        return (_JSON.encode(nx.node_link_data(rich, edges="edges")) + "\n").encode("utf-8")
    known = {} if known is None else known
    nodes = []
    for node, attrs in rich.nodes(data=True):
        text = known.get(node)
        if text is None:
            text = known[node] = _JSON.encode({**attrs, "id": node})
        nodes.append(text)
    edges = []
    for van, naar, key, attrs in rich.edges(keys=True, data=True):
        text = known.get((van, naar, key))
        if text is None:
            text = known[van, naar, key] = _JSON.encode({**attrs, "source": van, "target": naar, "key": key})
        edges.append(text)
    head = _JSON.encode({"directed": True, "multigraph": True, "graph": rich.graph})[:-1]  # without its "}"
    return f'{head},"nodes":[{",".join(nodes)}],"edges":[{",".join(edges)}]}}\n'.encode("utf-8")


class GraphFiles:
    """GraphML, GEXF and JSON of one part of the graph at a time: a municipality's chain
    (`of_chain`) or the whole country (`of_country`). What nodes and edges have in common between
    the files (attributes, plain values, JSON) is made once per maker and process."""

    def __init__(self, graph: nx.MultiDiGraph, dataset: Dataset):
        self.graph, self.dataset = graph, dataset
        self.known: dict[str, dict[str, Any]] = {}  # node attributes, shared by the files a node is in
        self.known_flat: dict = {}  # their plain values, and those of the edges
        self.known_json: dict = {}  # their JSON, and that of the edges

    def _files(self, slug: str, members: set[str] | None) -> dict[str, bytes]:
        rich = rich_graph(self.graph, self.dataset, members, self.known)
        try:
            flattened = _Flat(rich, self.known_flat)
        except _Unsupported:
            flattened = None
        made = graphml_bytes(rich, flattened), gexf_bytes(rich, flattened), node_link_bytes(rich, self.known_json)
        return {urls.download(slug, fmt): content for fmt, content in zip(urls.GRAPH_FORMATS, made)}

    def of_chain(self, keten: Keten) -> dict[str, bytes]:
        return self._files(keten.slug, chain_members(self.graph, keten))

    def of_country(self) -> dict[str, bytes]:
        return self._files(urls.NATIONAAL, None)


def graph_files(graph: nx.MultiDiGraph, dataset: Dataset, scope: Scope = ALLES) -> dict[str, bytes]:
    """GraphML, GEXF and JSON for every municipality in `scope` (by slug) and for the country (nederland).

    With many municipalities the files are made on every core (generator.parallel); the country
    first, as it is the largest."""
    maker = GraphFiles(graph, dataset)
    ketens = [keten for keten in dataset.ketens.values() if scope.keten(keten.cbs)]
    # the country first: the largest, so no core waits for it at the end
    country, *chains = parallel_map(lambda keten: maker.of_country() if keten is None else maker.of_chain(keten),
                                     [None, *ketens])
    files: dict[str, bytes] = {}
    for made in chains:
        files.update(made)
    files.update(country)
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
