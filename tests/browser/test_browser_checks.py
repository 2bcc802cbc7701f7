"""The browser checks themselves: a deliberately broken page must make them report failures.

The broken page loads a script from another host and shows an image without alternative text;
the same faults inside an iframe must be caught too, since the map lives in one.
"""

from __future__ import annotations

import base64

import pytest

from kk_browser import axe_violations, foreign_requests, serve_folder

FOREIGN_SCRIPT = "http://extern.invalid/volg-mij.js"  # .invalid never resolves (RFC 2606)
PNG = base64.b64decode(  # 1 x 1 transparent pixel
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")

BROKEN = f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Kapotte pagina</title>
<script src="{FOREIGN_SCRIPT}"></script></head>
<body><main><h1>Kapotte pagina</h1><p>Een foto zonder tekstalternatief:</p><img src="foto.png"></main></body></html>
"""
CLEAN_WITH_FRAME = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Pagina met kader</title></head>
<body><main><h1>Pagina met kader</h1>
<iframe src="kapot.html" title="Een kapotte pagina in een kader" width="400" height="300"></iframe></main></body></html>
"""
CLEAN = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Goede pagina</title></head>
<body><main><h1>Goede pagina</h1><p>Een foto met tekstalternatief:</p><img src="foto.png" alt="Een lege foto"></main></body></html>
"""


@pytest.fixture(scope="module")
def broken_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kapot")
    (folder / "kapot.html").write_text(BROKEN, encoding="utf-8")
    (folder / "kader.html").write_text(CLEAN_WITH_FRAME, encoding="utf-8")
    (folder / "goed.html").write_text(CLEAN, encoding="utf-8")
    (folder / "foto.png").write_bytes(PNG)
    url, server = serve_folder(folder)
    yield url
    server.shutdown()


def open_offline(page, url):
    """Open url; requests to other hosts are recorded, then refused, so nothing leaves the machine."""
    page.route("http://extern.invalid/**", lambda route: route.abort())
    page.goto(url, wait_until="load")


@pytest.mark.parametrize("name", ["kapot.html", "kader.html"])
def test_checks_report_a_foreign_script_and_an_image_without_alt(name, page, broken_server):
    open_offline(page, f"{broken_server}/{name}")

    assert foreign_requests(page.requests, broken_server) == [FOREIGN_SCRIPT]
    violations = axe_violations(page)
    assert "image-alt" in {v["id"] for v in violations}
    assert all(v["impact"] in ("serious", "critical") for v in violations)


def test_checks_pass_a_clean_page(page, broken_server):
    open_offline(page, f"{broken_server}/goed.html")

    assert page.requests and not foreign_requests(page.requests, broken_server)
    assert axe_violations(page) == []


def test_only_the_local_server_counts_as_local():
    base = "http://127.0.0.1:8000"
    urls = [f"{base}/", f"{base}/assets/x.js", "data:image/png;base64,AAAA", "blob:http://127.0.0.1:8000/1",
            "http://127.0.0.1:8001/", "https://127.0.0.1:8000/", "http://localhost:8000/", "https://cdn.example/x.js"]
    assert foreign_requests(urls, base) == urls[4:]
