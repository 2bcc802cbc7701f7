"""The same data gives the same files: on every core or on one, today or another day, whatever
Python's hash seed (the order of sets).

The verwijswijzer's page files, the chain scan's reports and the graph downloads are made in parallel when there are many
municipalities (generator.parallel); here the example data is forced through both paths.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path


from generator import parallel, urls
from generator.analyse.scan import scan_reports
from generator.analyse.verwijs import build_verwijswijzer
from generator.exchange.graphfiles import graph_files
from generator.graph.build import build_graph
from generator.load.loader import load

from sitebuild import EXAMPLE_DATA, ROOT

TEMPLATE_XLSX = urls.download("organisaties-sjabloon", "xlsx")  # its reproducibility is tested with the spreadsheet


def _serial_and_parallel(monkeypatch, make):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10**9)
    serial = make()
    assert parallel.last_workers() == 0
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "PROCESSES", 2)
    in_parallel = make()
    assert parallel.last_workers() == 2
    return serial, in_parallel


def test_page_files_and_graph_files_are_the_same_on_one_core_or_many(monkeypatch):
    dataset, errors = load(EXAMPLE_DATA)
    assert not errors
    graph = build_graph(dataset)
    serial, in_parallel = _serial_and_parallel(monkeypatch, lambda: build_verwijswijzer(dataset, graph))
    assert list(serial) == list(in_parallel) == sorted(k.slug for k in dataset.ketens.values())
    assert serial == in_parallel
    serial, in_parallel = _serial_and_parallel(monkeypatch, lambda: graph_files(graph, dataset))
    assert list(serial) == list(in_parallel)  # the same files in the same order
    assert serial == in_parallel
    serial, in_parallel = _serial_and_parallel(monkeypatch, lambda: scan_reports(dataset, graph))
    assert list(serial) == list(in_parallel) and serial == in_parallel  # the chain scan's reports too


GENERATE = textwrap.dedent("""
    import sys
    from pathlib import Path
    from generator import parallel, pipeline
    from generator.project import Project

    out, data, forced = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "parallel"
    if forced:
        parallel.PROCESSES, parallel.MIN_ITEMS = 2, 1
    project = Project.at(sys.argv[4], data=data, out=out / "site", work=out / "build")
    files, _results = pipeline.generate(project, pipeline.load_project(project))
    for path, content in files.items():
        if path.startswith(("downloads/", "api/", "verwijswijzer/data/")):
            target = out / "files" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
""")


def _generate(out: Path, how: str, hash_seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    subprocess.run([sys.executable, "-c", GENERATE, str(out), str(EXAMPLE_DATA), how, str(ROOT)],
                   check=True, env=env, cwd=ROOT)
    files = out / "files"
    return {p.relative_to(files).as_posix(): p.read_bytes() for p in sorted(files.rglob("*")) if p.is_file()}


def test_two_runs_give_the_same_downloads_byte_for_byte(tmp_path):
    first = _generate(tmp_path / "een", "serial", "1")
    second = _generate(tmp_path / "twee", "parallel", "2")
    assert sorted(first) == sorted(second)
    assert any(p.endswith(".graphml") for p in first) and any(p.endswith(".gexf") for p in first)
    assert any(p.startswith("verwijswijzer/data/") for p in first) and any(p.startswith("api/") for p in first)
    different = [p for p in first if first[p] != second[p] and p != TEMPLATE_XLSX]
    assert different == []
    today = dt.date.today()
    for path, content in first.items():
        if path.endswith((".graphml", ".gexf", ".json")) and path.startswith("downloads/"):
            for stamp in (today.isoformat(), today.strftime("%d-%m-%Y")):
                assert stamp.encode() not in content, f"{path} holds today's date"
