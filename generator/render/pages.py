"""The Markdown pages of the site: one per organisation, one per chain, the overview and glossary.

Each page function gets what it shows as arguments; the templates get addresses from
generator.urls (the `urls` global and the `van` filter, which makes an address relative to the
page being written, `hier`).

No page may grow with municipalities x organisations. An organisation page names its partners
one by one only while a relation list is short (LIST_LIMIT); a longer list becomes a count with
the municipalities they work in, whose chain pages list each relation with its reason. It names
the municipalities it serves in its opening line only when they are few (INLINE_MUNICIPALITIES);
more go to a "Werkgebied" section, at most one link per municipality. Organisation pages carry no
tags: the tag overview (content/over/onderwerpen.md) lists guidance pages only, and organisations
are grouped by phase on the chain page of their municipality.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
from jinja2 import Environment
from markupsafe import Markup

from generator import urls
from generator.domain.rules import domain
from generator.domain.vocab import Vocabulary
from generator.graph.build import chain_edges, chain_members
from generator.model import Dataset, Keten, Organisatie
from generator.render import kaart, overzicht
from generator.render.markdown import front_matter, link_url, md_text
from generator.settings import Settings

LIST_LIMIT = 25  # a list of organisations or municipalities longer than this is summarised
INLINE_MUNICIPALITIES = 3  # more municipalities than this: a count in the opening line, the list below
SEARCH_BOOST = 2  # an organisation page's weight in the site search (the theme's default is 1)
_BOOSTED = front_matter({"search": {"boost": SEARCH_BOOST}})  # the front matter of an organisation page, made once
# Up to this many organisations their search entries also hold services and target groups and a
# boost (about 205 bytes each); beyond it only the name (about 126 bytes), so that the index stays
# under 5 MB (issue 16: 7.2 MB at 34,000 organisations with services, 5.04 MB with name and boost). A search by service then finds the
# guidance, the verwijswijzer and the chain pages, which list organisations per service.
SEARCH_DETAILS_UP_TO = 20_000


def search_details(dataset: Dataset) -> bool:
    """Whether organisations' search entries hold services, target groups and a boost."""
    return len(dataset.organisaties) <= SEARCH_DETAILS_UP_TO


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
            sections += [self._section(kop, rows) for kop, rows in parts if rows]
        return sections

    def _section(self, kop: str, rows: list[dict]) -> dict:
        """One relation section: every row while there are at most LIST_LIMIT; otherwise a
        summary (`samenvatting`) that stays bounded at any scale: the count, the municipalities
        of the partners with a count each (their chain pages list every relation with its reason)
        while those are at most LIST_LIMIT, and the national partners by name while they are few."""
        if len(rows) <= LIST_LIMIT:
            return {"kop": kop, "rijen": rows, "samenvatting": None}
        per_cbs: dict[str, int] = {}
        landelijk = []
        for row in rows:
            partner = self.ds.organisaties[row["org"]]
            if partner.landelijk:
                landelijk.append(row["org"])
            for cbs in partner.gemeenten:
                if cbs in self.ds.ketens:
                    per_cbs[cbs] = per_cbs.get(cbs, 0) + 1
        gemeenten = sorted(((self.ds.ketens[c], n) for c, n in per_cbs.items()), key=lambda kn: kn[0].naam.casefold())
        return {"kop": kop, "rijen": [], "samenvatting": {
            "aantal": len(rows), "gemeenten": len(gemeenten),
            "per_gemeente": gemeenten if len(gemeenten) <= LIST_LIMIT else [],
            "landelijk": landelijk if len(landelijk) <= LIST_LIMIT else [], "landelijk_aantal": len(landelijk)}}

    # -- pages --------------------------------------------------------------------------------------
    def organisation_page(self, org: Organisatie) -> str:
        # No tags (see the module docstring): with them the tag overview listed every organisation.
        vrijwilligers = domain(self.vocab).volunteers(org)
        ketens = sorted((self.ds.ketens[c] for c in org.gemeenten if c in self.ds.ketens), key=lambda k: k.naam.casefold())
        beperkt = {axis: vals for axis, vals in org.profielen.items()
                   if len(vals) < len(self.vocab.axes[axis].terms)}
        body = self.md.get_template("organisatie.md.j2").render(
            org=org, ketens=ketens, ketens_in_kop=len(ketens) <= INLINE_MUNICIPALITIES, beperkt=beperkt,
            hier=urls.organisatie_bron(org.id), vrijwilligers=vrijwilligers, relaties=self.relation_sections(org.id),
            aanbod_in_zoekindex=self.search_details,
        )
        # The search index holds only the name, services and target groups of an organisation (so
        # that it stays small); the boost keeps her page above guidance that mentions her name.
        # Beyond SEARCH_DETAILS_UP_TO organisations an entry is the name alone: no boost either (11
        # bytes an entry), and the name is the title, which the search weighs most already.
        return (_BOOSTED if self.search_details else "") + body

    @property
    def search_details(self) -> bool:
        return search_details(self.ds)

    def chain_page(self, keten: Keten, ketenscan: dict) -> str:
        members = chain_members(self.graph, keten)
        orgs = sorted((self.ds.organisaties[m] for m in members), key=lambda o: o.naam.casefold())
        local = [o for o in orgs if keten.cbs in o.gemeenten]
        national = [o for o in orgs if keten.cbs not in o.gemeenten]
        per_fase = {f: [o for o in local if f in o.fasen] for f in self.vocab["fasen"].terms}
        edges = sorted(
            kaart.unique_edges(chain_edges(self.graph, members), self.vocab),
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
            ketens=ketens, counts=counts, orgs=self.ds.organisaties, hier=urls.GEMEENTEN_OVERZICHT,
            # the national map in an iframe (raw HTML, resolved from the built page's URL), and its text
            kaart_src=Markup(urls.relative(urls.OVERZICHTSKAART, urls.url_of(urls.GEMEENTEN_OVERZICHT) + "index.html")),
            **overzicht.shared_text(self.ds, self.graph, links=LIST_LIMIT))

    def glossary_page(self, abbreviations: list[tuple[str, str]]) -> str:
        return self.md.get_template("woordenlijst.md.j2").render(afkortingen=abbreviations, hier=urls.WOORDENLIJST)
