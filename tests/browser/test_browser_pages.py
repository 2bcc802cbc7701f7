"""Every kind of page, in Chromium, at desktop and phone size: nothing is loaded from another host,
and axe-core finds no serious or critical WCAG 2.1 A/AA violation (map iframe included)."""

from __future__ import annotations

import pytest

from kk_browser import axe_violations, describe_violations, foreign_requests, open_map, search

KINDS = ["start", "kennisbank", "gemeente", "organisatie", "woordenlijst", "zoeken", "verwijswijzer", "open-gegevens"]


def chain(dataset, naam="Zwolle"):
    return next(k for k in dataset.ketens.values() if k.naam == naam)


def path_of(kind: str, dataset) -> str:
    zwolle = chain(dataset)
    return {
        "start": "/",
        "kennisbank": "/kennisbank/hulpvrager/",
        "gemeente": f"/gemeenten/{zwolle.slug}/",
        "organisatie": f"/organisaties/{zwolle.toegang}/",
        "woordenlijst": "/woordenlijst/",
        "zoeken": "/",
        "verwijswijzer": "/verwijswijzer/",
        "open-gegevens": "/api/",  # wide tables: on a phone they scroll in a frame the keyboard reaches
    }[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_page_stays_local_and_passes_axe(kind, sized_page, example_server, example_data):
    dataset, _graph = example_data
    page = sized_page
    page.goto(example_server + path_of(kind, dataset), wait_until="load")
    if kind == "gemeente":
        frame = open_map(page)
        assert int(frame.locator("body").get_attribute("data-getekend")) > 0
    if kind == "zoeken":
        naam = dataset.organisaties[chain(dataset).toegang].naam
        assert search(page, naam), f"zoeken naar {naam!r} gaf geen resultaten"
    else:  # load whatever waits below the fold (lazy images, the map)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")

    assert page.requests, "the request recorder saw nothing"
    assert not foreign_requests(page.requests, example_server)

    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
