"""The map of a municipality in Chromium: it draws every organisation of the chain (readable when it
opens; every one in view on the whole map), a click on an organisation shows its details with a
link that opens its page, and "De kaart in tekst" lists the same organisations and relations."""

from __future__ import annotations

import pytest

from generator.graph.build import chain_members
from generator.load.loader import load
from generator.domain.vocab import load_vocabulary

from kaart_view import first_view, whole_map
from kk_browser import node_places, open_map, page_point
from sitebuild import EXAMPLE_DATA
SLUGS = sorted(k.slug for k in load(EXAMPLE_DATA)[0].ketens.values())

# Reads the two lists under "De kaart in tekst": the organisation table and the relation list.
TEXT_EQUIVALENT = """() => {
  const id = href => new URL(href, location.href).pathname.split('/').filter(Boolean).pop();
  const start = document.getElementById('de-kaart-in-tekst');
  const orgs = [], relations = [];
  let heading = '';
  for (let el = start.nextElementSibling; el && el.tagName !== 'H2'; el = el.nextElementSibling) {
    if (el.tagName === 'H3') { heading = el.textContent.trim(); continue; }
    const table = el.tagName === 'TABLE' ? el : el.querySelector('table');  // the theme wraps tables
    if (table) {
      for (const row of table.querySelectorAll('tbody tr')) { orgs.push(id(row.querySelector('td a').href)); }
    }
    if (el.tagName === 'UL' && heading.startsWith('Relaties')) {
      for (const li of el.querySelectorAll(':scope > li')) {
        const links = li.querySelectorAll('a');
        const range = document.createRange();
        range.setStartAfter(links[0]); range.setEndBefore(links[1]);
        relations.push([id(links[0].href), range.toString().trim(), id(links[1].href)]);
      }
    }
  }
  return {orgs, relations};
}"""


def keten_by_slug(dataset, slug):
    return next(k for k in dataset.ketens.values() if k.slug == slug)


def relation(van: str, soort: str, naar: str) -> tuple:
    """One relation; a partnership has no direction."""
    if soort == "werkt-samen":
        return (soort, frozenset((van, naar)))
    return (soort, van, naar)


@pytest.mark.parametrize("slug", SLUGS)
def test_map_draws_every_organisation_of_the_chain(slug, sized_page, example_server, example_data):
    dataset, graph = example_data
    members = chain_members(graph, keten_by_slug(dataset, slug))
    page = sized_page
    page.goto(f"{example_server}/gemeenten/{slug}/")
    frame = open_map(page)

    assert int(frame.locator("body").get_attribute("data-getekend")) == len(members)
    places = node_places(frame)
    assert {p["id"] for p in places} == members
    view = first_view(frame)  # readable when it opens: whole, or a part with the way in
    keten = keten_by_slug(dataset, slug)
    if view["deel"]:
        assert next(p for p in places if p["id"] == keten.toegang)["inside"], "het toegangspunt is niet in beeld"
    else:
        assert all(p["inside"] for p in places)
    whole_map(frame)
    outside = [p["id"] for p in node_places(frame) if not p["inside"]]
    assert not outside, f"buiten beeld op de hele kaart: {outside}"


def test_clicking_an_organisation_on_the_map_leads_to_its_page(page, example_server, example_data):
    dataset, graph = example_data
    slug = SLUGS[0]
    keten = keten_by_slug(dataset, slug)
    page.goto(f"{example_server}/gemeenten/{slug}/")
    frame = open_map(page)
    # An organisation of this municipality whose centre is visible and not covered by another node.
    clickable = sorted((p for p in node_places(frame) if p["inside"] and p["hit"] == p["id"]
                        and keten.cbs in dataset.organisaties[p["id"]].gemeenten), key=lambda p: p["id"])
    assert clickable, "geen organisatie op de kaart is vrij aan te klikken"
    target = clickable[0]

    page.mouse.click(*page_point(page, target))
    # a click chooses the organisation: its details, with a link to its page, show beside the map
    frame.wait_for_function(f"document.body.dataset.focus === {target['id']!r}")
    frame.locator("#kk-details a.kk-naar").click()

    page.wait_for_url(f"{example_server}/organisaties/{target['id']}/")
    heading = page.locator("h1").first.evaluate("h => h.firstChild.textContent")  # without the ¶ link
    assert heading.strip() == dataset.organisaties[target["id"]].naam


@pytest.mark.parametrize("slug", SLUGS)
def test_text_equivalent_lists_the_same_organisations_and_relations(slug, page, example_server, example_data):
    dataset, graph = example_data
    keten = keten_by_slug(dataset, slug)
    members = chain_members(graph, keten)
    expected = {relation(u, k, v) for u, v, k in graph.subgraph(members).edges(keys=True)}
    kinds_by_label = {t.label: key for key, t in load_vocabulary()["relaties"].terms.items()}

    page.goto(f"{example_server}/gemeenten/{slug}/")
    frame = open_map(page)
    map_nodes = set(frame.evaluate("window.ketenkaart.nodes.getIds()"))
    map_edges = frame.evaluate("window.ketenkaart.edges.get().map(e => [e.from, e.to, e.title])")
    text = page.evaluate(TEXT_EQUIVALENT)

    def kind_of_title(title: str) -> str:
        return next(kind for label, kind in kinds_by_label.items() if title.startswith(label))

    def kind_of_words(words: str) -> str:
        return next(kind for label, kind in kinds_by_label.items() if words == label.lower())

    on_map = {relation(van, kind_of_title(title), naar) for van, naar, title in map_edges}
    in_text = {relation(van, kind_of_words(words), naar) for van, words, naar in text["relations"]}

    assert map_nodes == members
    assert set(text["orgs"]) == members
    assert len(text["orgs"]) == len(members), "een organisatie staat dubbel in de tekst"
    assert on_map == expected
    assert in_text == expected
    assert len(text["relations"]) == len(in_text), "een relatie staat dubbel in de tekst"
