"""The Markdown pages of the site: one per organisation, one per chain, the overview and glossary.

Each page function gets what it shows as arguments; the templates get addresses from
generator.urls (the `urls` global and the `van` filter, which makes an address relative to the
page being written, `hier`).
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
from jinja2 import Environment
from markupsafe import Markup

from generator import urls
from generator.domain.rules import domain
from generator.domain.vocab import Vocabulary
from generator.graph.build import chain_members
from generator.model import Dataset, Keten, Organisatie
from generator.render import kaart
from generator.render.markdown import front_matter, link_url, md_text
from generator.settings import Settings


class Pages:
    def __init__(self, env: Environment, dataset: Dataset, graph: nx.MultiDiGraph, vocab: Vocabulary,
                 guidance: frozenset[str], settings: Settings, vandaag: dt.date):
        self.settings = settings
        self.vandaag = vandaag
        self.ds = dataset
        self.graph = graph
        self.vocab = vocab
        self.guidance = guidance
        self.md = env
        self.md.globals.update(vocab=vocab, link=self.link, label=vocab.label, gids=self.guide_link, gidsen=guidance,
                               upkeep=self.upkeep)

    # -- helpers used by templates ----------------------------------------------------------------
    def link(self, org_id: str, from_source: str) -> Markup:
        """Markdown link to an organisation page, from the page with source `from_source`."""
        org = self.ds.organisaties[org_id]
        return Markup(f"[{md_text(org.naam)}]({urls.relative(urls.organisatie_bron(org.id), from_source)})")

    def guide_link(self, target: str, text: str, from_source: str) -> Markup:
        """A link to a guidance page of the project's content/ ('kennisbank/x.md#anker'), or the
        text alone when this project has no such page (a municipality's own site may not)."""
        page, _, anchor = target.partition("#")
        if page not in self.guidance:
            return Markup(md_text(text))
        return Markup(f"[{md_text(text)}]({urls.relative(page, from_source)}{'#' + anchor if anchor else ''})")

    def upkeep(self, naam: str, gecontroleerd: str) -> dict:
        """For the 'laatst gecontroleerd' line of a page: is the check older than the project's
        threshold, and where does a reader report an error (None without a beheerder)?"""
        beheerder = self.settings.beheerder
        return {"verouderd": self.settings.verouderd(gecontroleerd, self.vandaag),
                "maanden": self.settings.verouderd_na_maanden,
                "beheerder": beheerder.naam if beheerder else None,
                "melden": Markup(link_url(beheerder.meld_adres(naam))) if beheerder else None}

    def relation_sections(self, org_id: str) -> list[dict]:
        """The relations of one organisation as page sections, kind by kind in vocabulary order:
        for a directed kind who links here (kop_in) and where it links to (kop_uit); for a mutual
        kind (wederzijds: ja) one section with each partner once."""
        rules = domain(self.vocab)
        name = lambda row: self.ds.organisaties[row["org"]].naam.casefold()  # noqa: E731
        sections = []
        for kind, term in self.vocab["relaties"].terms.items():
            out = [{"org": naar, "wanneer": d["wanneer"], "warm": d["warm"]}
                   for _van, naar, key, d in self.graph.out_edges(org_id, keys=True, data=True) if key == kind]
            into = [{"org": van, "wanneer": d["wanneer"], "warm": d["warm"]}
                    for van, _naar, key, d in self.graph.in_edges(org_id, keys=True, data=True) if key == kind]
            if rules.is_mutual(kind):
                both = sorted({r["org"]: r for r in into + out}.values(), key=name)
                parts = [(term["kop_uit"], both)]
            else:
                parts = [(term.get("kop_in") or term.label, sorted(into, key=name)),
                         (term["kop_uit"], sorted(out, key=name))]
            sections += [{"kop": kop, "rijen": rows} for kop, rows in parts if rows]
        return sections

    # -- pages --------------------------------------------------------------------------------------
    def organisation_page(self, org: Organisatie) -> str:
        tags = [self.vocab.label("fasen", f) for f in org.fasen] + \
               [self.vocab.label("doelgroepen", d) for d in org.doelgroepen]
        vrijwilligers = domain(self.vocab).volunteers(org)
        if vrijwilligers:
            tags.append("Vrijwilligers")
        ketens = [self.ds.ketens[c] for c in org.gemeenten if c in self.ds.ketens]
        beperkt = {axis: vals for axis, vals in org.profielen.items()
                   if len(vals) < len(self.vocab.axes[axis].terms)}
        body = self.md.get_template("organisatie.md.j2").render(
            org=org, ketens=ketens, beperkt=beperkt, hier=urls.organisatie_bron(org.id), vrijwilligers=vrijwilligers,
            relaties=self.relation_sections(org.id),
        )
        return front_matter({"tags": list(dict.fromkeys(tags))}) + body

    def chain_page(self, keten: Keten, ketenscan: dict) -> str:
        members = chain_members(self.graph, keten)
        orgs = sorted((self.ds.organisaties[m] for m in members), key=lambda o: o.naam.casefold())
        local = [o for o in orgs if keten.cbs in o.gemeenten]
        national = [o for o in orgs if keten.cbs not in o.gemeenten]
        per_fase = {f: [o for o in local if f in o.fasen] for f in self.vocab["fasen"].terms}
        edges = sorted(
            ((u, v, k, d) for u, v, k, d in kaart.unique_edges(self.graph.subgraph(members), self.vocab)),
            key=lambda e: (self.ds.organisaties[e[0]].naam.casefold(), e[2], self.ds.organisaties[e[1]].naam.casefold()),
        )
        hier = urls.gemeente_bron(keten.slug)
        return self.md.get_template("gemeente.md.j2").render(
            keten=keten, local=local, national=national, per_fase=per_fase, edges=edges, hier=hier,
            # the map is shown in an iframe: raw HTML, resolved from the built page's URL
            kaart_src=Markup(urls.relative(urls.kaart(keten.slug), urls.url_of(hier) + "index.html")),
            **kaart.legend(self.vocab, orgs), orgs=self.ds.organisaties, ketenscan=ketenscan,
        )

    def overview_page(self) -> str:
        ketens = sorted(self.ds.ketens.values(), key=lambda k: k.naam.casefold())
        counts = {k.cbs: len(self.ds.in_gemeente(k.cbs)) for k in ketens}
        return self.md.get_template("gemeenten.md.j2").render(
            ketens=ketens, counts=counts, orgs=self.ds.organisaties, landelijk=self.ds.landelijke(),
            hier=urls.GEMEENTEN_OVERZICHT)

    def glossary_page(self, abbreviations: list[tuple[str, str]]) -> str:
        return self.md.get_template("woordenlijst.md.j2").render(afkortingen=abbreviations, hier=urls.WOORDENLIJST)
