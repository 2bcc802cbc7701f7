"""The national overview map in Chromium: it opens in its frame on the Gemeenten page and on a page
of its own, shows the same picture on every load, is readable when it opens and cuts no label
off on the whole map (at 1280 and at 390 px), is reachable and usable with the keyboard (a
municipality leads to its chain page), passes axe and loads nothing from other hosts; at
national scale (342 fictitious municipalities) too, within its weight budget."""

from __future__ import annotations

import shutil
import sys

import pytest

from generator import urls
from generator.domain.rules import vocab_of
from generator.graph.build import build_graph
from generator.load.loader import load
from generator.render import kaart, overzicht
from generator.render.markdown import html_env
from kaart_view import cut_labels, first_view, wait_drawn, whole_map
from kk_browser import axe_violations, describe_violations, foreign_requests, keep_screenshot, open_map
from sitebuild import ROOT, serve_folder

sys.path.insert(0, str(ROOT / "tests" / "integration"))
from test_overzicht import write_national  # noqa: E402

POSITIONS = "() => window.ketenkaart.network.getPositions()"
MAP_BUDGET = 500_000  # the map document with its data, at 342 municipalities


def node_count(frame, kind: str) -> int:
    return frame.evaluate(f"window.ketenkaart.nodes.get().filter(n => n.soort === '{kind}').length")


@pytest.mark.parametrize("path", ["/gemeenten/", "/kaarten/nederland.html"])
def test_the_map_opens_readable_and_the_whole_map_cuts_no_label_off(path, sized_page, example_server, example_data):
    dataset, _graph = example_data
    page = sized_page
    page.goto(example_server + path)
    frame = open_map(page) if path == "/gemeenten/" else wait_drawn(page)
    assert node_count(frame, "gemeente") == len(dataset.ketens)
    assert node_count(frame, "organisatie") == 4  # Almere's national organisations (the integration test lists them)
    view = first_view(frame)
    if not view["deel"]:
        assert not cut_labels(frame), cut_labels(frame)
    whole_map(frame)
    assert not cut_labels(frame), f"afgesneden op de hele kaart: {cut_labels(frame)}"
    keep_screenshot(page, "landelijke-kaart" + path.replace("/", "-").removesuffix(".html").rstrip("-"))
    # a few municipalities: each has its name on the map
    names = frame.evaluate("window.ketenkaart.nodes.get().filter(n => n.soort === 'gemeente').map(n => n.label)")
    assert sorted(names) == sorted(k.naam for k in dataset.ketens.values())
    if path == "/gemeenten/":  # the frame fits the screen
        box = page.locator(".kk-kaart iframe").bounding_box()
        assert box["width"] <= page.viewport_size["width"] and box["height"] <= page.viewport_size["height"]


def test_two_loads_give_the_same_positions(page, example_server):
    page.goto(f"{example_server}/kaarten/nederland.html")
    first = wait_drawn(page).evaluate(POSITIONS)
    page.reload()
    assert wait_drawn(page).evaluate(POSITIONS) == first
    assert len(first) >= 6


def test_the_keyboard_chooses_a_municipality_and_its_link_opens_the_chain_page(page, example_server, example_data):
    dataset, _graph = example_data
    page.goto(f"{example_server}/kaarten/nederland.html")
    wait_drawn(page)
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "kk-gemeente":
            break
    assert page.evaluate("document.activeElement.id") == "kk-gemeente", "de lijst van gemeenten is niet met Tab te bereiken"
    page.keyboard.press("ArrowDown")  # the first municipality, alphabetically: Almere
    page.wait_for_function("document.body.dataset.focus === 'gemeente:almere'")
    details = page.locator("#kk-details")
    assert details.locator("h2").inner_text() == "Almere"
    # Almere's organisations light up; Zwolle, which shares none of them, fades
    opacity = page.evaluate("Object.fromEntries(window.ketenkaart.nodes.get().map(n => [n.id, n.opacity]))")
    assert all(opacity[o] == 1 for o in ("achmea", "bkr", "menzis", "vattenfall"))
    assert opacity["gemeente:zwolle"] < 0.5
    assert details.locator("li button").count() == 4
    # the organisation list works the same way: an organisation lights up the municipalities using it
    page.select_option("#kk-org", "bkr")
    page.wait_for_function("document.body.dataset.focus === 'bkr'")
    opacity = page.evaluate("Object.fromEntries(window.ketenkaart.nodes.get().map(n => [n.id, n.opacity]))")
    assert opacity["gemeente:almere"] == 1 and opacity["gemeente:zwolle"] < 0.5
    page.keyboard.press("Escape")
    page.wait_for_function("!document.body.dataset.focus")
    page.select_option("#kk-gemeente", "gemeente:zwolle")
    assert "Geen gedeelde organisaties" in details.inner_text()
    link = details.locator("a.kk-naar")
    assert link.inner_text() == "Naar de keten van Zwolle"
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{example_server}/gemeenten/zwolle/")
    assert page.locator("h1").first.evaluate("h => h.firstChild.textContent").strip() == "Keten Zwolle"


def test_a_click_in_the_frame_on_the_gemeenten_page_opens_the_chain_page(page, example_server):
    page.goto(f"{example_server}/gemeenten/")
    frame = open_map(page)
    frame.evaluate("window.ketenkaart.choose('gemeente:almere', true)")
    frame.locator("#kk-details a.kk-naar").click()
    page.wait_for_url(f"{example_server}/gemeenten/almere/")


@pytest.mark.parametrize("path", ["/gemeenten/", "/kaarten/nederland.html"])
def test_the_map_passes_axe_and_loads_nothing_from_elsewhere(path, sized_page, example_server):
    page = sized_page
    page.goto(example_server + path)
    frame = open_map(page) if path == "/gemeenten/" else wait_drawn(page)
    frame.evaluate("window.ketenkaart.choose('gemeente:almere', true)")
    page.wait_for_load_state("networkidle")
    assert not foreign_requests(page.requests, example_server)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    if path != "/gemeenten/":
        assert page.locator(".kk-legenda").is_visible()
        page.click(".kk-terug")
        page.wait_for_url(f"{example_server}/gemeenten/**")


# -- at national scale ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def national_map(tmp_path_factory):
    """The overview map of 342 fictitious municipalities with the files it loads, served (the map
    only: the chain pages it links to are not built here)."""
    base = tmp_path_factory.mktemp("nederland")
    dataset, errors = load(write_national(base / "organisaties", 342, 16))
    assert not errors, errors[:3]
    site = base / "site"
    document = overzicht.map_document(html_env(), dataset, build_graph(dataset), vocab_of(dataset))
    (site / urls.OVERZICHTSKAART).parent.mkdir(parents=True)
    (site / urls.OVERZICHTSKAART).write_text(document, encoding="utf-8")
    for path, body in kaart.vis_assets().items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(body)
    url, server = serve_folder(site)
    yield url, len(document.encode("utf-8"))
    server.shutdown()
    shutil.rmtree(base, ignore_errors=True)


def test_342_municipalities_open_readable_within_budget(sized_page, national_map):
    url, size = national_map
    assert size < MAP_BUDGET, size
    page = sized_page
    page.goto(f"{url}/{urls.OVERZICHTSKAART}")
    wait_drawn(page)
    assert node_count(page, "gemeente") == 342
    view = first_view(page)
    assert view["deel"]  # at this scale no screen shows it all readably: it opens on a part
    # labels only for the organisations; the municipalities are dots
    assert page.evaluate("window.ketenkaart.nodes.get().filter(n => n.soort === 'gemeente' && n.label).length") == 0
    whole_map(page)
    assert not cut_labels(page), f"afgesneden op de hele kaart: {cut_labels(page)}"
    keep_screenshot(page, "landelijke-kaart-342-gemeenten")
    # choosing a municipality from the list brings it into view, readable, with its name
    page.select_option("#kk-gemeente", "gemeente:fictiefdorp-001")
    page.wait_for_function("window.ketenkaart.network.getScale() >= 0.75", timeout=5000)
    assert page.evaluate("window.ketenkaart.nodes.get('gemeente:fictiefdorp-001').label") == "Fictiefdorp 001"
    assert not foreign_requests(page.requests, url)
