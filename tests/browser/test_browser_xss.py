"""Text from the data is shown as text, never run as HTML, script or Markdown (in Chromium).

A copy of the example data gets an organisation name, descriptions, a referral condition and a
route name full of HTML, script and Markdown. The site built from it is opened on the pages that
show those texts: window.__xss must stay unset, no image "x" may be requested, and the reader
sees the characters as they were typed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from kk_browser import node_places, open_map, page_point, search
from sitebuild import EXAMPLE_DATA, build_site, serve_folder

SCRIPT = "<script>window.__xss=1</script>"
IMAGE = '<img src=x onerror="window.__xss=1">'
MARKDOWN = "*vet* [link](javascript:alert(1))"
NAME = f"Kwaadwillig Testbureau {SCRIPT} {IMAGE} {MARKDOWN}"
TEXT = f"Beschrijving met {SCRIPT} en {IMAGE} en {MARKDOWN} erin."
ORG = "op-orde-zwolle"  # the central access point of Zwolle: on the map, in routes and relations
ORG_FILE = "zwolle/op-orde-zwolle.yaml"
CHAIN_FILE = "gemeenten/zwolle.yaml"


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """(base_url, site folder) of a site whose data is full of markup."""
    base = tmp_path_factory.mktemp("xss")
    data = base / "organisaties"
    shutil.copytree(EXAMPLE_DATA, data)

    def change_org(org):
        assert org["id"] == ORG
        org["naam"] = NAME
        org["beschrijving"] = TEXT
        org["verwijst"][0]["wanneer"] = TEXT

    def change_chain(chain):
        chain["beschrijving"] = TEXT
        chain["routes"][0]["naam"] = TEXT

    _edit(data / ORG_FILE, change_org)
    _edit(data / CHAIN_FILE, change_chain)
    site = base / "site"
    assert build_site(data, site, base / "build") == 0
    url, server = serve_folder(site)
    yield url, site
    server.shutdown()


def assert_inert(page, base_url: str) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined", "script uit de gegevens is uitgevoerd"
    for frame in page.frames:
        assert frame.evaluate("typeof window.__xss") == "undefined", f"script uitgevoerd in {frame.url}"
    images = [u for u in page.requests if u.rstrip("/").endswith("/x")]
    assert not images, f"<img> uit de gegevens is als HTML gelezen: {images}"
    assert page.locator("a[href^='javascript:' i]").count() == 0


@pytest.mark.parametrize("path", [f"/organisaties/{ORG}/", "/gemeenten/zwolle/", "/gemeenten/"])
def test_pages_show_data_text_literally(path, page, hostile_site):
    base_url, _site = hostile_site
    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")

    assert_inert(page, base_url)
    shown = page.locator("article").inner_text()
    assert SCRIPT in shown and IMAGE in shown and "*vet*" in shown and "[link](javascript:alert(1))" in shown
    assert page.locator("article script, article img[src='x']").count() == 0
    if path.startswith("/organisaties/"):
        assert SCRIPT in page.title()  # the tab title is text too
        assert TEXT in shown


def test_map_tooltip_shows_data_text_literally(page, hostile_site):
    base_url, _site = hostile_site
    page.goto(base_url + "/gemeenten/zwolle/")
    frame = open_map(page)
    place = next(p for p in node_places(frame) if p["id"] == ORG)

    page.mouse.move(*page_point(page, place))

    tooltip = frame.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert SCRIPT in tooltip.inner_text() and IMAGE in tooltip.inner_text()
    # vis-network sets the text with innerText, which turns line breaks into <br>; nothing else.
    tags = tooltip.evaluate("el => Array.from(el.querySelectorAll('*'), e => e.tagName)")
    assert set(tags) <= {"BR"}, f"de tooltip bevat HTML-elementen: {tags}"
    assert_inert(page, base_url)


def test_search_index_and_results_keep_data_text_literal(page, hostile_site):
    base_url, site = hostile_site
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = [d for d in index["docs"] if d["location"].startswith(f"organisaties/{ORG}/")]
    assert entries
    for doc in index["docs"]:  # the index holds HTML: the data's markup must be escaped in it
        for field in ("title", "text"):
            raw = [bit for bit in ("<script>window.__xss", "<img src=x", 'href="javascript:') if bit in doc[field]]
            assert not raw, (doc["location"], field, raw)
    assert "&lt;script&gt;" in entries[0]["title"] + entries[0]["text"]

    page.goto(base_url + "/")
    found = search(page, "Kwaadwillig Testbureau")

    assert f"/organisaties/{ORG}/" in found
    first = page.locator("li.md-search-result__item").first.inner_text()
    assert SCRIPT in first
    assert_inert(page, base_url)


def test_verwijswijzer_result_shows_data_text_literally(page, hostile_site):
    """The verwijswijzer builds its result in the browser from JSON: names must stay text there too."""
    base_url, _site = hostile_site
    page.goto(base_url + "/verwijswijzer/")
    page.select_option("#kk-vw-gemeente", "zwolle")
    page.click("form button[type=submit]")
    page.wait_for_selector("#kk-vw-resultaat h2")

    result = page.locator("#kk-vw-resultaat")
    assert SCRIPT in result.inner_text() and IMAGE in result.inner_text()
    assert result.locator("script, img").count() == 0
    assert_inert(page, base_url)
