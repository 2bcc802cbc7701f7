"""Publishing safely (issue 14, item 3): other folders are never replaced, one build at a time,
no moment without a site, nothing left behind by a killed build, and Dutch messages for
unwritable output and a busy port."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator.cli import main as ketenkaart
from generator.publish.safety import LOCK, MARKER, project_lock
from sitebuild import EXAMPLE_DATA, ROOT, build_site


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_out_pointing_at_the_data_folder_is_refused_and_the_data_stays(data_copy, tmp_path, capsys):
    before = _files(data_copy)
    assert build_site(data_copy, data_copy, tmp_path / "build") == 1
    assert "geen site die Ketenkaart eerder bouwde" in capsys.readouterr().out
    assert _files(data_copy) == before


def test_a_foreign_folder_is_replaced_only_with_force(data_copy, tmp_path, capsys):
    foreign = tmp_path / "mijn-map"
    foreign.mkdir()
    (foreign / "belangrijk.txt").write_text("niet weggooien", encoding="utf-8")
    args = ["build", "--project", str(ROOT), "--data", str(data_copy), "--out", str(foreign),
            "--werkmap", str(tmp_path / "build")]
    assert ketenkaart(args) == 1
    assert (foreign / "belangrijk.txt").is_file()
    assert ketenkaart([*args, "--force"]) == 0
    assert not (foreign / "belangrijk.txt").exists() and (foreign / MARKER).is_file()
    # from now on it is a Ketenkaart site, which a build may replace without --force
    assert ketenkaart(args) == 0


def test_a_second_build_of_the_same_project_stops_with_a_message(data_copy, tmp_path, capsys):
    work = tmp_path / "build"
    with project_lock(work):
        assert build_site(data_copy, tmp_path / "site", work) == 1
    assert "er loopt al een build van dit project" in capsys.readouterr().out
    assert not (tmp_path / "site").exists()
    assert build_site(data_copy, tmp_path / "site", work) == 0  # the lock is gone with its holder


def test_the_site_is_never_missing_while_a_new_one_replaces_it(data_copy, tmp_path):
    site, work = tmp_path / "site", tmp_path / "build"
    assert build_site(data_copy, site, work) == 0
    missing, stop = [], threading.Event()

    def watch():
        while not stop.is_set():
            if not (site / "index.html").is_file():
                missing.append(time.monotonic())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(3):
            assert build_site(data_copy, site, work) == 0
    finally:
        stop.set()
        watcher.join()
    assert not missing
    # nothing left beside the site but the linked copy the next incremental build starts from
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.vorige", "build", "organisaties", "site"]


def test_leftovers_of_a_killed_build_are_cleaned_by_the_next(data_copy, tmp_path):
    site, work = tmp_path / "site", tmp_path / "build"
    for leftover in (tmp_path / ".site.nieuw-99999", tmp_path / ".site.oud-99999"):
        (leftover / "sub").mkdir(parents=True)
    assert build_site(data_copy, site, work) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.vorige", "build", "organisaties", "site"]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc to find the MkDocs child")
def test_a_killed_build_takes_mkdocs_with_it(data_copy, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "content" / "kaarten").mkdir()  # a folder kept out of the menu (not_in_nav)
    for n in range(400):  # enough pages that MkDocs runs for a few seconds
        (project / "content" / "kaarten" / f"extra-{n}.md").write_text(f"# Extra {n}\n\nTekst.\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--project", str(project), "--data",
                             str(data_copy), "--out", str(tmp_path / "site"), "--werkmap", str(tmp_path / "build")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, child = time.monotonic() + 60, None
    while child is None and time.monotonic() < deadline and proc.poll() is None:
        child = next(iter(_children(proc.pid)), None)
        time.sleep(0.01)
    assert child is not None, "MkDocs did not start"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
        try:
            if (Path(f"/proc/{child}") / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                break  # a zombie is dead; only its parent (gone) would reap it
        except OSError:
            break
        time.sleep(0.05)
    alive = Path(f"/proc/{child}").exists() and \
        (Path(f"/proc/{child}") / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    assert not alive
    # and the next build cleans up after it (keeping only the linked copy for the next incremental build)
    assert build_site(data_copy, tmp_path / "site", tmp_path / "build", project) == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site")) == [".site.vorige"]


def test_unwritable_output_is_a_dutch_message(data_copy, tmp_path, capsys):
    assert build_site(data_copy, Path("/sys/ketenkaart-test/site"), tmp_path / "build") == 1
    out = capsys.readouterr().out
    assert "geen schrijfrechten" in out and "Traceback" not in out


def test_serve_on_a_busy_port_says_so_in_dutch(data_copy, tmp_path, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        status = ketenkaart(["serve", "--project", str(ROOT), "--data", str(data_copy), "--out",
                             str(tmp_path / "site"), "--werkmap", str(tmp_path / "build"), "--port", str(port)])
    assert status == 2
    out = capsys.readouterr().out
    assert f"poort {port}" in out and f"--port {port + 1}" in out
