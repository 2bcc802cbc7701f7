"""The site search (the theme's search box, in Chromium) finds an organisation by its name and by a
service it offers, and finds Dutch inflected forms: a plural finds a page with only the singular."""

from __future__ import annotations

import html
import json
import re
from collections import Counter


from kk_browser import search

# (what a reader types, the form that stands on the page); each plural reduces to its singular
# under the Dutch (Snowball) stemmer that the search uses.
INFLECTIONS = [("vrijwilligers", "vrijwilliger"), ("schulden", "schuld"),
               ("hulpvragers", "hulpvrager"), ("gemeenten", "gemeente")]


def org_path(org_id: str) -> str:
    return f"/organisaties/{org_id}/"


def zwolle(dataset):
    return next(k for k in dataset.ketens.values() if k.naam == "Zwolle")


def test_search_finds_an_organisation_by_name(sized_page, example_server, example_data):
    dataset, _graph = example_data
    org = dataset.organisaties[zwolle(dataset).toegang]
    sized_page.goto(example_server + "/")

    found = search(sized_page, org.naam)

    assert org_path(org.id) in found
    assert found[0] == org_path(org.id), f"{org.naam!r} staat niet bovenaan: {found[:5]}"


def test_search_finds_an_organisation_by_a_service_it_offers(page, example_server, example_data):
    dataset, _graph = example_data
    from generator.domain.vocab import load_vocabulary
    labels = load_vocabulary()["diensten"]
    offered = Counter(d for o in dataset.organisaties.values() for d in o.diensten)
    # The rarest service whose name is not part of the name of an organisation offering it.
    service, org = next(
        (d, o) for d, _n in sorted(offered.items(), key=lambda kv: (kv[1], kv[0]))
        for o in sorted(dataset.organisaties.values(), key=lambda o: o.id)
        if d in o.diensten and labels.label_of(d).casefold() not in o.naam.casefold()
    )
    page.goto(example_server + "/")

    found = search(page, labels.label_of(service))

    assert org_path(org.id) in found, f"{labels.label_of(service)!r} vond {org.naam!r} niet: {found}"


def words_of_pages(site) -> dict[str, str]:
    """The searchable text of each page (title, text and tags of all its sections), from the index."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages: dict[str, str] = {}
    for doc in index["docs"]:
        page = "/" + doc["location"].split("#")[0]
        text = html.unescape(re.sub(r"<[^>]+>", " ", " ".join([doc["title"], doc["text"], *doc.get("tags", [])])))
        pages[page] = pages.get(page, "") + " " + text.casefold()
    return pages


def test_search_finds_inflected_dutch_forms(page, example_server, example_site):
    pages = words_of_pages(example_site)
    # For each pair: the pages with the singular as a word and no word that starts with the plural.
    cases = {
        typed: sorted(p for p, text in pages.items()
                      if re.search(rf"(?:^|[\s\-]){form}\b", text) and not re.search(rf"\b{typed}", text))
        for typed, form in INFLECTIONS
    }
    cases = {typed: only for typed, only in cases.items() if only}
    assert cases, "geen pagina in de voorbeeldsite heeft alleen het enkelvoud; kies andere woordparen"
    page.goto(example_server + "/")

    for typed, only_singular in cases.items():
        found = search(page, typed)
        missing = [p for p in only_singular if p not in found]
        assert not missing, f"{typed!r} vond deze pagina's met alleen het enkelvoud niet: {missing}"
