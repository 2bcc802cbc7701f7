"""The map as a reader uses it (issue 13), in Chromium: the same picture on every load, a wheel that
scrolls the page, focus on an organisation by mouse or keyboard, labels readable when the map
opens (whole, or a part with "Hele kaart" to see all), no label cut off, the map page of its own,
figures at readable size, the national table in its frame, and a chain of 520 fictitious
organisations within a page-weight budget."""

from __future__ import annotations

import shutil
import sys
import time

import pytest

import fictief
from kaart_view import LABEL_BOXES, cut_labels, first_view, wait_drawn, whole_map
from kk_browser import PHONE, axe_violations, describe_violations, foreign_requests, keep_screenshot, open_map
from sitebuild import ROOT, build_site, serve_folder

sys.path.insert(0, str(ROOT / "tests" / "integration"))
from test_kaart import big_chain  # noqa: E402

# Budget for the map page of a 520-organisation chain, everything it loads (uncompressed):
# vis-network's script (469 KB), our script and style (about 21 KB) and the map document.
BIG_MAP_DOCUMENT = 400_000
BIG_MAP_PAGE = 900_000
BIG_MAP_SECONDS = 10

POSITIONS = "() => window.ketenkaart.network.getPositions()"


def test_two_loads_of_a_map_give_the_same_positions(page, example_server):
    page.goto(f"{example_server}/kaarten/almere.html")
    first = wait_drawn(page).evaluate(POSITIONS)
    page.reload()
    second = wait_drawn(page).evaluate(POSITIONS)
    assert first == second
    assert len(first) > 5


def test_a_wheel_over_an_embedded_map_scrolls_the_page_and_ctrl_wheel_zooms(page, example_server):
    page.goto(f"{example_server}/gemeenten/almere/")
    frame = open_map(page)
    page.evaluate("document.querySelector('.kk-kaart iframe').scrollIntoView({block: 'center'})")
    page.wait_for_timeout(100)
    box = page.locator(".kk-kaart iframe").bounding_box()
    scale = frame.evaluate("window.ketenkaart.network.getScale()")
    before = page.evaluate("window.scrollY")

    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.7)
    page.mouse.wheel(0, 300)
    page.wait_for_function(f"window.scrollY > {before}", timeout=5000)
    assert frame.evaluate("window.ketenkaart.network.getScale()") == scale

    # Ctrl + wheel zooms the map and leaves the page where it is
    page.wait_for_timeout(400)  # the scroll has settled
    page.evaluate("document.querySelector('.kk-kaart iframe').scrollIntoView({block: 'center', behavior: 'instant'})")
    page.wait_for_timeout(100)
    box = page.locator(".kk-kaart iframe").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.7)
    scrolled = page.evaluate("window.scrollY")
    page.keyboard.down("Control")
    page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    frame.wait_for_function(f"window.ketenkaart.network.getScale() > {scale}", timeout=5000)
    assert page.evaluate("window.scrollY") == scrolled
    # and the hint says so
    assert "Ctrl" in frame.locator("#kk-hint").inner_text() and frame.locator("#kk-hint").is_visible()


def faded(frame) -> dict:
    return frame.evaluate("""() => Object.fromEntries(window.ketenkaart.nodes.get().map(n => [n.id, n.opacity === undefined ? 1 : n.opacity]))""")


def test_keyboard_reaches_the_list_and_focus_fades_the_others(page, example_server, example_data):
    dataset, graph = example_data
    page.goto(f"{example_server}/kaarten/almere.html")
    wait_drawn(page)
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "kk-org":
            break
    assert page.evaluate("document.activeElement.id") == "kk-org", "de lijst van organisaties is niet met Tab te bereiken"
    page.keyboard.press("ArrowDown")
    page.wait_for_function("document.body.dataset.focus")
    chosen = page.evaluate("document.body.dataset.focus")
    neighbours = set(graph.successors(chosen)) | set(graph.predecessors(chosen)) | {chosen}
    opacity = faded(page)
    assert opacity[chosen] == 1
    assert all(opacity[n] == 1 for n in neighbours if n in opacity)
    others = [n for n in opacity if n not in neighbours]
    assert others and all(opacity[n] < 0.5 for n in others)
    details = page.locator("#kk-details")
    assert details.is_visible()
    assert dataset.organisaties[chosen].naam in details.locator("h2").inner_text()
    link = details.locator("a.kk-naar")
    assert link.get_attribute("href").rstrip("/").endswith(f"organisaties/{chosen}")
    # the details hold text only
    assert details.locator("script, img, iframe").count() == 0
    page.keyboard.press("Escape")
    page.wait_for_function("!document.body.dataset.focus")
    assert set(faded(page).values()) == {1}


def test_a_click_focuses_and_the_details_link_opens_the_page(page, example_server, example_data):
    dataset, _graph = example_data
    page.goto(f"{example_server}/gemeenten/zwolle/")
    frame = open_map(page)
    target = "op-orde-zwolle"
    point = frame.evaluate(f"""() => {{
      const net = window.ketenkaart.network, p = net.canvasToDOM(net.getPosition('{target}'));
      const box = document.getElementById('kaart').getBoundingClientRect();
      return {{x: box.left + p.x, y: box.top + p.y}};
    }}""")
    iframe = page.locator(".kk-kaart iframe")
    box = iframe.bounding_box()
    border = iframe.evaluate("el => [el.clientLeft, el.clientTop]")
    page.mouse.click(box["x"] + border[0] + point["x"], box["y"] + border[1] + point["y"])
    frame.wait_for_function(f"document.body.dataset.focus === '{target}'")
    frame.locator("#kk-details a.kk-naar").click()
    page.wait_for_url(f"{example_server}/organisaties/{target}/")


def test_filters_and_a_route(page, example_server):
    page.goto(f"{example_server}/kaarten/zwolle.html")
    wait_drawn(page)
    page.select_option("#kk-fase", "wsnp")
    hidden = page.evaluate("window.ketenkaart.nodes.get().filter(n => n.hidden).length")
    assert hidden > 0
    page.select_option("#kk-fase", "")
    page.uncheck("input[name=relatie][value=werkt-samen]")
    assert page.evaluate("window.ketenkaart.edges.get().filter(e => e.soort === 'werkt-samen').every(e => e.hidden)")
    page.check("input[name=relatie][value=werkt-samen]")
    page.select_option("#kk-route", "1")
    page.wait_for_function("document.body.dataset.stap === '2'", timeout=5000)  # three steps, one by one
    steps = page.locator("#kk-details ol li")
    assert steps.count() == 3
    assert page.locator("#kk-details li[aria-current=step]").inner_text() == steps.nth(2).inner_text()


@pytest.mark.parametrize("path", ["/gemeenten/almere/", "/gemeenten/zwolle/", "/kaarten/almere.html"])
def test_no_label_is_cut_off(path, sized_page, example_server):
    page = sized_page
    page.goto(example_server + path)
    frame = open_map(page) if path.startswith("/gemeenten/") else wait_drawn(page)
    view = first_view(frame)  # readable when it opens
    if not view["deel"]:  # shown whole: nothing cut off
        assert not cut_labels(frame), f"afgesneden op de kaart: {cut_labels(frame)}"
    keep_screenshot(page, "kaart-bij-openen" + path.replace("/", "-").removesuffix(".html").rstrip("-"))
    whole_map(frame)
    cut = cut_labels(frame)
    assert not cut, f"afgesneden op de hele kaart: {cut}"
    # the map fits the screen
    if path.startswith("/gemeenten/"):
        box = page.locator(".kk-kaart iframe").bounding_box()
        assert box["width"] <= page.viewport_size["width"] and box["height"] <= page.viewport_size["height"]


def test_map_page_has_title_legend_and_way_back_and_passes_axe(sized_page, example_server):
    page = sized_page
    page.goto(f"{example_server}/kaarten/almere.html")
    wait_drawn(page)
    assert page.locator("h1").inner_text() == "Verwijskaart Almere"
    assert page.locator(".kk-legenda").is_visible()
    assert page.locator(".kk-legenda li").count() >= 8
    page.evaluate("window.ketenkaart.choose('wijkteams-almere', true)")
    page.wait_for_function("document.body.dataset.focus")
    page.wait_for_load_state("networkidle")
    assert not foreign_requests(page.requests, example_server)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    page.click(".kk-terug")
    page.wait_for_url(f"{example_server}/gemeenten/almere/**")


def test_chain_page_with_open_map_details_passes_axe(sized_page, example_server):
    page = sized_page
    page.goto(f"{example_server}/gemeenten/zwolle/")
    frame = open_map(page)
    frame.evaluate("window.ketenkaart.choose('op-orde-zwolle', true)")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


FIGURE_TEXT = """() => {
  const svg = document.querySelector('svg');
  const w = svg.viewBox.baseVal.width, h = svg.viewBox.baseVal.height;
  return Array.from(svg.querySelectorAll('text'), t => {
    const b = t.getBBox();
    return {text: t.textContent, x: b.x, y: b.y, right: b.x + b.width, bottom: b.y + b.height, w: w, h: h,
            size: parseFloat(getComputedStyle(t).fontSize)};
  });
}"""


@pytest.mark.parametrize("slug", ["almere", "zwolle"])
def test_scan_figure_keeps_every_label_inside_at_12_px(slug, sized_page, example_server):
    page = sized_page
    page.goto(f"{example_server}/assets/ketenscan/{slug}.svg")
    texts = page.evaluate(FIGURE_TEXT)
    assert texts
    outside = [t["text"] for t in texts if t["x"] < 0 or t["y"] < 0 or t["right"] > t["w"] or t["bottom"] > t["h"]]
    assert not outside, f"buiten de figuur: {outside}"
    assert min(t["size"] for t in texts) >= 12
    # on the chain page the figure is shown at its own size, never scaled down
    page.goto(f"{example_server}/gemeenten/{slug}/")
    img = page.locator(".kk-scanfiguur img")
    img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    shown, natural = img.evaluate("img => [img.getBoundingClientRect().width, img.naturalWidth]")
    assert shown >= natural - 0.5
    frame = page.locator(".kk-scanfiguur").bounding_box()
    assert frame["x"] >= 0 and frame["x"] + frame["width"] <= page.viewport_size["width"] + 0.5


# The figures of the guidance pages (content/assets), on the page that shows each.
CONTENT_FIGURES = [("/kennisbank/hulpvrager/", "figuur-hulpvragers.svg"),
                   ("/kennisbank/praktijk-zwolle/", "route-zwolle.svg")]


@pytest.fixture(params=[(1280, 800), (390, 844)], ids=["1280x800", "390x844"])
def figure_page(request, browser):
    """A page at the two sizes the issue names: a laptop, and a phone (with touch)."""
    width, height = request.param
    settings = dict(PHONE) if width < 600 else {"locale": "nl-NL"}
    settings["viewport"] = {"width": width, "height": height}
    context = browser.new_context(**settings)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path, figure", CONTENT_FIGURES)
def test_content_figure_keeps_every_label_inside_at_12_px_as_shown(path, figure, figure_page, example_server):
    page = figure_page
    page.goto(example_server + path)
    img = page.locator(f"article img[src$='{figure}']")
    img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    shown = img.evaluate("img => img.getBoundingClientRect().width")
    box = img.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 0.5  # no sideways scrolling
    source = img.evaluate("img => img.src")
    page.goto(source)  # the drawing itself: its text in its own units
    texts = page.evaluate(FIGURE_TEXT)
    assert texts
    outside = [t["text"] for t in texts if t["x"] < 0 or t["y"] < 0 or t["right"] > t["w"] or t["bottom"] > t["h"]]
    assert not outside, f"buiten de figuur: {outside}"
    scale = shown / texts[0]["w"]  # as shown on the page
    small = sorted({(round(t["size"] * scale, 1), t["text"]) for t in texts if t["size"] * scale < 12})
    assert not small, f"tekst kleiner dan 12 px op {page.viewport_size['width']} px breed: {small[:5]}"


def test_national_table_fits_or_scrolls_in_its_frame_with_the_first_column_fixed(sized_page, example_server):
    page = sized_page
    page.goto(f"{example_server}/gemeenten/ketenscan/")
    table = page.locator(".kk-brede-tabel table")
    wrap = page.locator(".kk-brede-tabel .md-typeset__scrollwrap")
    headers = table.locator("th")
    assert headers.count() == 12  # the last column: Verouderd
    width = page.viewport_size["width"]
    if width >= 1280:  # everything in view, no scrolling
        assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth")
        for i in range(headers.count()):
            box = headers.nth(i).bounding_box()
            assert box["x"] + box["width"] <= width
    else:  # scrolls inside its frame; the page itself does not
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        first = table.locator("tbody tr td").first
        wrap.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
        page.wait_for_timeout(100)
        assert wrap.evaluate("el => el.scrollLeft") > 0
        frame = wrap.bounding_box()
        cell = first.bounding_box()
        assert frame["x"] - 0.5 <= cell["x"] <= frame["x"] + 20  # the municipality stays in view
        last = headers.nth(11).bounding_box()
        assert last["x"] + last["width"] <= width + 1


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    """A site of one fictitious chain (GM9999) of 520 organisations."""
    base = tmp_path_factory.mktemp("groot")
    chain, orgs = big_chain(520)
    data = fictief.write(base / "organisaties", chain, orgs)
    started = time.perf_counter()
    assert build_site(data, base / "site", base / "build") == 0
    build_seconds = time.perf_counter() - started
    url, server = serve_folder(base / "site")
    yield url, base / "site", build_seconds
    server.shutdown()
    shutil.rmtree(base, ignore_errors=True)


def test_a_chain_of_520_organisations_opens_within_budget(page, big_site):
    url, site, _build_seconds = big_site
    document = site / "kaarten" / "fictiefstad.html"
    assert document.stat().st_size < BIG_MAP_DOCUMENT, document.stat().st_size
    sizes = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())) if r.ok else None)
    started = time.perf_counter()
    page.goto(f"{url}/kaarten/fictiefstad.html")
    wait_drawn(page)
    seconds = time.perf_counter() - started
    assert int(page.locator("body").get_attribute("data-getekend")) == 520
    page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    print(f"\n520 organisaties: kaartdocument {document.stat().st_size / 1000:.0f} KB, pagina {total / 1000:.0f} KB "
          f"in {len(sizes)} verzoeken, getekend na {seconds:.1f} s")
    assert total < BIG_MAP_PAGE, sizes
    assert seconds < BIG_MAP_SECONDS
    assert not foreign_requests(page.requests, url)
    # it opens readable, on a part, on the way in; the whole map cuts no label off; a chosen
    # organisation comes into view, readable
    assert first_view(page)["deel"]
    assert page.evaluate("(() => { const net = window.ketenkaart.network, p = net.canvasToDOM(net.getPosition('toegang-fictiefstad')),"
                         " el = document.getElementById('kaart'); return p.x > 0 && p.y > 0 && p.x < el.clientWidth && p.y < el.clientHeight; })()")
    whole_map(page)
    boxes = page.evaluate(LABEL_BOXES)
    assert not [b for b in boxes if b["left"] < -0.5 or b["right"] > b["width"] + 0.5]
    page.select_option("#kk-org", "org-100")
    page.wait_for_function("document.body.dataset.focus === 'org-100'")
    page.wait_for_function("window.ketenkaart.network.getScale() >= 0.6", timeout=5000)  # after the animation
