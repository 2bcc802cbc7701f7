"""`ketenkaart serve` with live reload (issue 16, item 3): an edit to the data shows on the served
site without restarting, open pages are told to reload by a script from the same address, and a
data error keeps the previous site."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sitebuild import ROOT

ORG = Path("zwolle") / "gemeente-zwolle-schulddienstverlening.yaml"
PAGE = "/organisaties/gemeente-zwolle-schulddienstverlening/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if found := condition():
                return found
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"not within {seconds} s: {what}")


def test_serve_rebuilds_on_an_edit_and_pages_reload(data_copy, tmp_path):
    port = _free_port()
    log = tmp_path / "serve.log"
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--project", str(ROOT), "--data", str(data_copy),
             "--out", str(tmp_path / "site"), "--werkmap", str(tmp_path / "work"), "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        page = _wait_for(lambda: _get(base + PAGE), 120, "the served site")
        assert "livereload" in page  # the reload script, inline: nothing from another host
        assert "Een zin uit de test van serve" not in page

        org = data_copy / ORG
        good = org.read_text(encoding="utf-8")
        org.write_text(good.replace("de regie heeft in de keten.",
                                    "de regie heeft in de keten. Een zin uit de test van serve."), encoding="utf-8")
        _wait_for(lambda: "Een zin uit de test van serve" in _get(base + PAGE), 120, "the edit on the page")

        org.write_text(good.replace("gecontroleerd: 2019-03", "gecontroleerd: 2019-13"), encoding="utf-8")
        _wait_for(lambda: "er is niets gebouwd of gewijzigd" in log.read_text(encoding="utf-8"), 120, "the data error reported")
        assert "Een zin uit de test van serve" in _get(base + PAGE)  # the previous site still serves
        assert "gecontroleerd" in log.read_text(encoding="utf-8")
        assert "Traceback" not in log.read_text(encoding="utf-8")
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    said = log.read_text(encoding="utf-8")
    assert "De site is bijgewerkt" in said, said
    assert "Detected" not in said and "Serving on" not in said  # the server's own log speaks Dutch
