"""Readers search the kennisbank for the topics professionals work with since the 2019 infosheet:
each search, typed into the theme's search box in Chromium, shows the page about it first."""

from __future__ import annotations

import pytest

from kk_browser import search

# What a reader types, and the page that must come first.
SEARCHES = [
    ("beslag", "/kennisbank/beslag/"),
    ("beslagvrije voet", "/kennisbank/beslag/"),
    ("budgetbeheer", "/kennisbank/budgetbeheer-en-bewind/"),
    ("bewind", "/kennisbank/budgetbeheer-en-bewind/"),
    ("basisdienstverlening", "/kennisbank/basisdienstverlening/"),
    ("wachttijd", "/kennisbank/wachttijden/"),
    ("LVB herkennen", "/kennisbank/lvb-herkennen/"),
]


@pytest.mark.parametrize(("query", "expected"), SEARCHES, ids=[q for q, _ in SEARCHES])
def test_a_search_for_a_topic_shows_its_page_first(page, example_server, query, expected):
    page.goto(example_server + "/")

    found = search(page, query)

    assert found, f"{query!r} vond niets"
    assert found[0] == expected, f"{query!r} zet {expected} niet bovenaan: {found[:5]}"
