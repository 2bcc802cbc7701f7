"""Building and serving the real site for tests (importable from any test folder)."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

from generator.cli import main as ketenkaart

ROOT = Path(__file__).resolve().parent.parent
# Frozen copy of the example chains (see tests/fixtures/voorbeeld/README.md); LIVE_DATA is the
# data this repository publishes, read only by the tests of the live data itself.
EXAMPLE_DATA = ROOT / "tests" / "fixtures" / "voorbeeld"
LIVE_DATA = ROOT / "organisaties"


def build_site(data: Path, out: Path, work: Path, project: Path = ROOT) -> int:
    """Run `ketenkaart build` exactly as a user would, in-process (this repository is the project)."""
    return ketenkaart(["build", "--project", str(project), "--data", str(data), "--out", str(out),
                       "--werkmap", str(work)])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


def serve_folder(folder: Path):
    """Serve a folder on a free local port; returns (base_url, server)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server
