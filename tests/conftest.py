"""Shared fixtures: real builds of the real site into temporary folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitebuild import EXAMPLE_DATA, ROOT, build_site, serve_folder  # noqa: F401 (re-exported)


def pytest_collection_modifyitems(items):
    """Everything under tests/browser/ drives Chromium: mark it, so `make quick` can leave it out."""
    for item in items:
        if "browser" in Path(str(item.fspath)).parts:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The site built from the example data in organisaties/ (built once per test session)."""
    base = tmp_path_factory.mktemp("voorbeeld")
    assert build_site(EXAMPLE_DATA, base / "site", base / "build") == 0
    return base / "site"


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the example data, for tests that change or break it."""
    target = tmp_path / "organisaties"
    shutil.copytree(EXAMPLE_DATA, target)
    return target


@pytest.fixture(scope="session")
def example_server(example_site):
    """Base URL of the example site served on a local port."""
    url, server = serve_folder(example_site)
    yield url
    server.shutdown()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (installed by `make test`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh page at desktop size that records every request it makes in page.requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda request: pg.requests.append(request.url))
    yield pg
    context.close()
