"""The chain scan in Chromium: the overview and the section with its figure, at desktop and phone
size, load nothing from other hosts and pass axe-core (WCAG 2.1 A/AA, serious and critical)."""

from __future__ import annotations

import pytest

from kk_browser import axe_violations, describe_violations, foreign_requests


@pytest.mark.parametrize("path", ["/gemeenten/ketenscan/", "/gemeenten/almere/#ketenscan"])
def test_scan_pages_stay_local_and_pass_axe(path, sized_page, example_server):
    page = sized_page
    page.goto(example_server + path, wait_until="load")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    assert page.requests and not foreign_requests(page.requests, example_server)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_scan_figure_is_drawn_and_reachable_by_keyboard(sized_page, example_server, example_data):
    dataset, _graph = example_data
    page = sized_page
    page.goto(example_server + "/gemeenten/zwolle/", wait_until="load")
    figure = page.locator(".kk-scanfiguur img")
    figure.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=figure.element_handle())
    assert "Zwolle" in figure.get_attribute("alt")
    region = page.locator(".kk-scanfiguur")
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('kk-scanfiguur')")
    box = region.bounding_box()
    assert box["width"] <= page.viewport_size["width"]  # the figure scrolls inside, the page does not
