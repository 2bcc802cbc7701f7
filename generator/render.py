"""Stage 4: render pages, maps and assets as files in memory.

`render_site` returns a mapping of site-relative paths to their contents (str or bytes);
the publish stage writes them. Two Jinja2 environments:

* HTML templates (the map documents) use Jinja2's HTML autoescaping.
* Markdown templates use a finalize hook that turns every printed value into inert Markdown:
  characters that Markdown or HTML would interpret become numeric character references. Only
  values wrapped in Markup (links built here from validated slugs) pass through unchanged.
  Text from data is therefore shown literally: a name containing <script> or *stars* is
  printed as those characters, never run as HTML or read as formatting.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote

import networkx as nx
import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pyvis.network import Network

from .exchange_site import exchange_files
from .graph import chain_members
from .load import SLUG_RE
from .model import Dataset, Keten, Organisatie
from .scan_site import scan_files
from .verwijs_site import verwijswijzer_files
from .vocab import Vocabulary, load_vocabulary

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "site_templates"
MD_SPECIAL = set("\\`*_{}[]()<>#+-.!|~^=:&\"'$%@")
VIS_DIR = "assets/vis-network"
LUNR_NL = "assets/javascripts/lunr/min/lunr.nl.min.js"  # the theme's Dutch search module
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


def md_text(value: Any) -> str:
    """Make any value inert inside Markdown (and HTML): special characters become references."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    text = str(value)
    return "".join(f"&#{ord(ch)};" if ch in MD_SPECIAL else ch for ch in text)


def md_paragraphs(text: str) -> Markup:
    """Data text with blank-line paragraphs kept; each paragraph made inert."""
    parts = [" ".join(p.split()) for p in str(text).split("\n\n")]
    return Markup("\n\n".join(md_text(p) for p in parts if p))


def link_url(url: str) -> Markup:
    """A validated http(s) URL, made safe as a Markdown link target."""
    return Markup(quote(url, safe=":/?#@!$&'*+,;=%~-._"))


def slug(value: str) -> Markup:
    """A validated slug, safe to print as part of a path."""
    if not SLUG_RE.match(value):
        raise ValueError(f"not a slug: {value!r}")
    return Markup(value)


@dataclass(frozen=True)
class Paths:
    """Where each kind of page lives, relative to the docs folder."""

    @staticmethod
    def gemeente(keten: Keten) -> Markup:
        return Markup(f"gemeenten/{slug(keten.slug)}.md")

    @staticmethod
    def organisatie(org_id: str) -> Markup:
        return Markup(f"organisaties/{slug(org_id)}.md")

    @staticmethod
    def kaart(keten: Keten) -> Markup:
        return Markup(f"kaarten/{slug(keten.slug)}.html")


def _markdown_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=False,
        finalize=md_text,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["alinea"] = md_paragraphs
    env.filters["url"] = link_url
    env.filters["slug"] = slug
    return env


def _html_env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
    )


def front_matter(meta: dict) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n"


class SiteRenderer:
    def __init__(self, dataset: Dataset, graph: nx.MultiDiGraph, vocab: Vocabulary | None = None):
        self.ds = dataset
        self.graph = graph
        self.vocab = vocab or load_vocabulary()
        self.md = _markdown_env()
        self.html = _html_env()
        self.md.globals.update(vocab=self.vocab, link=self.link, label=self.vocab.label)

    # -- helpers used by templates ----------------------------------------------------------------
    def link(self, org_id: str, from_dir: str) -> Markup:
        """Markdown link to an organisation page, from a page in the folder from_dir."""
        org = self.ds.organisaties[org_id]
        target = f"{org.id}.md" if from_dir == "organisaties" else f"../organisaties/{org.id}.md"
        return Markup(f"[{md_text(org.naam)}]({target})")

    def relations(self, org_id: str, soort: str, incoming: bool = False) -> list[dict]:
        edges = self.graph.in_edges(org_id, keys=True, data=True) if incoming else \
            self.graph.out_edges(org_id, keys=True, data=True)
        rows = []
        for van, naar, key, data in edges:
            if key == soort:
                rows.append({"org": van if incoming else naar, "wanneer": data["wanneer"], "warm": data["warm"]})
        return sorted(rows, key=lambda r: self.ds.organisaties[r["org"]].naam.casefold())

    # -- pages --------------------------------------------------------------------------------------
    def organisation_page(self, org: Organisatie) -> str:
        tags = [self.vocab.label("fasen", f) for f in org.fasen] + \
               [self.vocab.label("doelgroepen", d) for d in org.doelgroepen]
        if org.inzet in ("vrijwilligers", "beide"):
            tags.append("Vrijwilligers")
        ketens = [self.ds.ketens[c] for c in org.gemeenten if c in self.ds.ketens]
        beperkt = {axis: vals for axis, vals in org.profielen.items()
                   if len(vals) < len(self.vocab.axes[axis].terms)}
        body = self.md.get_template("organisatie.md.j2").render(
            org=org, ketens=ketens, beperkt=beperkt, paths=Paths,
            verwijst_naar=self.relations(org.id, "verwijst"),
            verwezen_door=self.relations(org.id, "verwijst", incoming=True),
            samen=list({r["org"]: r for r in self.relations(org.id, "werkt-samen")
                        + self.relations(org.id, "werkt-samen", incoming=True)}.values()),
            signaleert=self.relations(org.id, "signaleert"),
            signalen_van=self.relations(org.id, "signaleert", incoming=True),
        )
        return front_matter({"tags": list(dict.fromkeys(tags))}) + body

    def chain_page(self, keten: Keten) -> str:
        members = chain_members(self.graph, keten)
        orgs = sorted((self.ds.organisaties[m] for m in members), key=lambda o: o.naam.casefold())
        local = [o for o in orgs if keten.cbs in o.gemeenten]
        national = [o for o in orgs if keten.cbs not in o.gemeenten]
        per_fase = {f: [o for o in local if f in o.fasen] for f in self.vocab["fasen"].terms}
        edges = sorted(
            ((u, v, k, d) for u, v, k, d in _unique_edges(self.graph.subgraph(members))),
            key=lambda e: (self.ds.organisaties[e[0]].naam.casefold(), e[2], self.ds.organisaties[e[1]].naam.casefold()),
        )
        return self.md.get_template("gemeente.md.j2").render(
            keten=keten, local=local, national=national, per_fase=per_fase, edges=edges,
            kaart_src=Markup(f"../../{Paths.kaart(keten)}"), vormen=self.legend_shapes(orgs),
            kleuren=INZET_KLEUR, kleurnaam=KLEUR_NAAM, relatie_lijn=RELATIE_LIJN,
            orgs=self.ds.organisaties,
        )

    def overview_page(self) -> str:
        ketens = sorted(self.ds.ketens.values(), key=lambda k: k.naam.casefold())
        counts = {k.cbs: len(self.ds.in_gemeente(k.cbs)) for k in ketens}
        return self.md.get_template("gemeenten.md.j2").render(
            ketens=ketens, counts=counts, orgs=self.ds.organisaties, landelijk=self.ds.landelijke())

    def glossary_page(self, abbreviations: list[tuple[str, str]]) -> str:
        return self.md.get_template("woordenlijst.md.j2").render(afkortingen=abbreviations)

    def legend_shapes(self, orgs: Iterable[Organisatie]) -> list[tuple[str, str]]:
        used = {o.soort for o in orgs}
        return [(self.vocab.label("soorten", s), VORM_NAAM[SOORT_VORM[s]]) for s in SOORT_VORM if s in used]

    # -- the map ------------------------------------------------------------------------------------
    def map_document(self, keten: Keten) -> str:
        members = chain_members(self.graph, keten)
        sub = nx.MultiDiGraph(self.graph.subgraph(members))  # a copy: pyvis must not touch ours
        # Small maps settle in the browser (vis-network physics, then frozen); past
        # PHYSICS_LIMIT nodes the positions are computed here, so the page stays fast.
        layout = len(sub) > PHYSICS_LIMIT
        positions = nx.spring_layout(nx.Graph(sub), seed=7, scale=60 * len(sub) ** 0.5) if layout else {}
        net = Network(directed=True)
        for node in sorted(sub.nodes):
            org = self.ds.organisaties[node]
            x, y = positions.get(node, (0.0, 0.0))
            tooltip = f"{org.naam}\n{self.vocab.label('soorten', org.soort)}\n{self.vocab.label('inzet', org.inzet)}"
            place = {"x": float(x), "y": float(y)} if layout else {}
            net.add_node(node, label=_wrap(org.naam), title=tooltip, shape=SOORT_VORM[org.soort],
                         color=INZET_KLEUR[org.inzet], size=18, **place,
                         url=f"../organisaties/{org.id}/",
                         font={"color": "#1a1a1a", "face": "system-ui, sans-serif", "size": 14})
        for van, naar, key, data in _unique_edges(sub):
            style = RELATIE_STIJL[key]
            title = self.vocab.label("relaties", key) + (f": {data['wanneer']}" if data["wanneer"] else "")
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
        return self.html.get_template("kaart.html").render(
            keten=keten, nodes=nodes, edges=edges, options=options, vis_dir=f"../{VIS_DIR}",
            kleuren=INZET_KLEUR, kleurnaam=KLEUR_NAAM,
            vormen=self.legend_shapes(self.ds.organisaties[n] for n in members),
            relatie_lijn=RELATIE_LIJN, labels=self.vocab["inzet"],
        )


def _unique_edges(graph: nx.MultiDiGraph):
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


def read_abbreviations(path: Path) -> list[tuple[str, str]]:
    """The `*[AFK]: uitleg` lines of an abbreviations snippet."""
    result = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("*[") and "]:" in line:
                key, _, text = line[2:].partition("]:")
                result.append((key.strip(), text.strip()))
    return sorted(result, key=lambda kv: kv[0].casefold())


def render_site(dataset: Dataset, graph: nx.MultiDiGraph, abbreviations: list[tuple[str, str]],
                verwijswijzer: dict[str, str] | None = None, findings: list | None = None) -> dict[str, str | bytes]:
    """Every generated file of the site, by path relative to the docs folder.

    `verwijswijzer` holds the precomputed answers per municipality (verwijs.build_verwijswijzer);
    without it the verwijswijzer page only lists the chain pages.
    `findings` are the chain scan's findings (scan.scan); with them every chain page gets its
    Ketenscan section, plus an overview page and exports (scan_site.scan_files).
    """
    r = SiteRenderer(dataset, graph)
    scan_out = scan_files(r.md, dataset, graph, findings) if findings is not None else {}
    out: dict[str, str | bytes] = {
        "gemeenten/index.md": r.overview_page(),
        "woordenlijst.md": r.glossary_page(abbreviations),
    }
    out.update(verwijswijzer_files(r.md, dataset, verwijswijzer, abbreviations))
    for keten in dataset.ketens.values():
        out[Paths.gemeente(keten)] = r.chain_page(keten)
        out[Paths.kaart(keten)] = r.map_document(keten)
    for org in dataset.organisaties.values():
        out[Paths.organisatie(org.id)] = r.organisation_page(org)
    vis = files("pyvis") / "lib" / "vis-9.1.2"
    out[f"{VIS_DIR}/vis-network.min.js"] = (vis / "vis-network.min.js").read_bytes()
    out[f"{VIS_DIR}/vis-network.min.css"] = (vis / "vis-network.css").read_bytes()
    out["assets/ketenkaart.css"] = (TEMPLATE_DIR / "assets" / "ketenkaart.css").read_text(encoding="utf-8")
    # Search: the theme's Dutch lunr module plus a patch that stems wildcard terms, so that
    # "schulden" also finds "schuld". A docs file takes precedence over the theme's copy.
    out[LUNR_NL] = (files("material") / "templates" / LUNR_NL).read_text(encoding="utf-8") + \
        (TEMPLATE_DIR / "assets" / "lunr-nl-woordvormen.js").read_text(encoding="utf-8")
    # Downloads and the static JSON view (/api/): graph files, data as JSON, spreadsheet template.
    out.update(exchange_files(dataset, graph, r.md))
    out.update(scan_out)
    return out

