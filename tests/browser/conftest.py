"""Fixtures for the browser tests: the example data as loaded by the generator, a phone-sized page.

The session-wide `browser`, `page`, `example_site` and `example_server` come from tests/conftest.py.
"""

from __future__ import annotations

import pytest

from generator.graph.build import build_graph
from generator.load.loader import load

from kk_browser import PHONE
from sitebuild import EXAMPLE_DATA


@pytest.fixture(scope="session")
def example_data():
    """(dataset, graph) of the example data, as the generator sees it."""
    dataset, errors = load(EXAMPLE_DATA)
    assert not errors, errors
    return dataset, build_graph(dataset)


@pytest.fixture
def phone_page(browser):
    """A fresh page at phone size (390 x 844, touch) that records every request in page.requests."""
    context = browser.new_context(**PHONE)
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda request: pg.requests.append(request.url))
    yield pg
    context.close()


@pytest.fixture(params=["breed", "telefoon"])
def sized_page(request):
    """The desktop `page`, then the phone page: every test using this runs at both sizes."""
    return request.getfixturevalue("page" if request.param == "breed" else "phone_page")
