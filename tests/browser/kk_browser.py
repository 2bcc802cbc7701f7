"""The checks the browser tests apply to every page, kept apart so they can be tested themselves.

* `foreign_requests`: requests that went to another host than the local test server.
* `axe_violations`: serious and critical WCAG 2.1 A/AA violations found by axe-core (the copy
  packaged with axe-playwright-python), in the page and in its iframes.
* `search`: type a query into the theme's search box and read every result, as a reader does.
* `open_map`: scroll the map iframe of a chain page into view and wait until it has drawn.
* `keep_screenshot`: save what the page shows in build/testbeelden/ (kept after the run, not in git).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from sitebuild import ROOT, serve_folder  # noqa: F401 (used by the tests through this module)

SCREENSHOTS = ROOT / "build" / "testbeelden"


def keep_screenshot(page, name: str) -> Path:
    """Save the visible page as build/testbeelden/<name>-<width>px.png (for people reviewing a run)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{page.viewport_size['width']}px.png"
    page.screenshot(path=str(path))
    return path

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")
LOCAL_SCHEMES = ("data", "blob", "about")  # these never leave the browser

PHONE = {  # a common phone (390 x 844 CSS pixels), with touch
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "locale": "nl-NL",
}


def foreign_requests(urls: list[str], base_url: str) -> list[str]:
    """The URLs among `urls` that point anywhere but the server at base_url."""
    own = urlsplit(base_url)
    foreign = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            continue
        if (parts.scheme, parts.netloc) != (own.scheme, own.netloc):
            foreign.append(url)
    return foreign


_AXE = Axe()


def axe_violations(page) -> list[dict]:
    """Serious and critical WCAG 2.1 A/AA violations on the page, its iframes included.

    axe-core is injected into every frame first, so that axe.run in the top page also checks
    the contents of each iframe (for example the map) in its context.
    """
    for frame in page.frames[1:]:
        frame.evaluate(_AXE.axe_script)
    results = _AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                      "resultTypes": ["violations"]})
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


# -- the site search ---------------------------------------------------------------------------

def search(page, query: str) -> list[str]:
    """Search with the theme's search box; return the path of every page in the results, in order.

    On a phone the search field hides behind the magnifier button in the header; on a wide screen
    it is in the header itself. The whole result list is read: it grows in steps of ten as the
    reader scrolls, so this scrolls until every page in the announced count is shown.
    """
    button = page.locator("label.md-header__button[for='__search']")
    field = page.locator("input.md-search__input")
    if button.is_visible():
        button.click()
    else:
        field.click()
    meta = page.locator(".md-search-result__meta")
    field.fill("")
    field.press("End")
    page.wait_for_function("() => !/overeenkom/.test(document.querySelector('.md-search-result__meta').textContent)")
    field.fill(query)
    field.press("End")  # the theme searches on key-up, as when a reader types
    page.wait_for_function("() => /overeenkom/.test(document.querySelector('.md-search-result__meta').textContent)")
    text = meta.text_content()
    total = 0 if text.startswith("Geen") else int(text.split()[0])  # pages found
    items = page.locator("li.md-search-result__item")
    wrap = page.locator(".md-search__scrollwrap")
    while items.count() < total:
        # The theme adds results when the list reaches its end: scroll away and back to the end,
        # and try again a little slower if the theme did not notice.
        shown = items.count()
        for attempt in range(1, 6):
            wrap.evaluate("el => { el.scrollTop = 0; }")
            page.wait_for_timeout(50 * attempt)
            wrap.evaluate("el => { el.scrollTop = el.scrollHeight; }")
            try:
                page.wait_for_function(
                    f"() => document.querySelectorAll('li.md-search-result__item').length > {shown}",
                    timeout=1000 * attempt)
                break
            except PlaywrightTimeout:
                continue
        else:
            raise AssertionError(f"zoeken naar {query!r}: {shown} van {total} resultaten getoond, niet meer")
    hrefs = page.eval_on_selector_all(
        "li.md-search-result__item > a.md-search-result__link", "links => links.map(a => a.href)")
    return list(dict.fromkeys(urlsplit(h).path for h in hrefs))


# -- the map -----------------------------------------------------------------------------------

def open_map(page):
    """Scroll the chain page's map into view (it loads lazily) and return its frame once drawn."""
    iframe = page.locator(".kk-kaart iframe")
    iframe.scroll_into_view_if_needed()
    frame = iframe.element_handle().content_frame()
    frame.wait_for_selector("body[data-getekend]", state="attached", timeout=20_000)
    return frame


NODE_PLACES = """() => {
  const net = window.ketenkaart.network;
  const box = document.getElementById('kaart').getBoundingClientRect();
  return window.ketenkaart.nodes.getIds().map(id => {
    const p = net.canvasToDOM(net.getPosition(id));
    return {id: id, x: box.left + p.x, y: box.top + p.y, hit: net.getNodeAt(p),
            inside: p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height};
  });
}"""


def node_places(frame) -> list[dict]:
    """Every node of the map with its centre in frame coordinates, whether that centre is inside
    the visible map, and which node a click on that centre would hit."""
    return frame.evaluate(NODE_PLACES)


def page_point(page, frame_point: dict) -> tuple[float, float]:
    """A point in the map frame, as coordinates in the top page."""
    iframe = page.locator(".kk-kaart iframe")
    box = iframe.bounding_box()
    border = iframe.evaluate("el => [el.clientLeft, el.clientTop]")
    return box["x"] + border[0] + frame_point["x"], box["y"] + border[1] + frame_point["y"]
