"""Benchmark of the exchange stage on a fictitious national data set (a script, not a test).

    .venv/bin/python benchmarks/exchange.py [--gemeenten 342] [--per-gemeente 30] [--seed 2019]

Writes the data set of benchmarks/fictief.py (every record `fictief: ja`) into a temporary
folder and prints, for the build-time downloads, the time and size of: the graph files
(GraphML, GEXF, JSON per municipality and national), the JSON view (/api/) and the spreadsheet
templates; then the time of `export hsds` (with the schema check) and of an HSDS round trip
(export -> import into a folder with only the chain files, including the loader check).
"""

from __future__ import annotations

import argparse
import gzip
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from fictief import write_dataset  # noqa: E402
from generator.exchange.graphfiles import graph_files  # noqa: E402
from generator.exchange.hsds import export_package, import_records, package_files, read_package, validate_package  # noqa: E402
from generator.render.downloads import api_files  # noqa: E402
from generator.exchange.table import template_csv, template_xlsx  # noqa: E402
from generator.graph.build import build_graph  # noqa: E402
from generator.load.loader import load  # noqa: E402
from generator.exchange.orgfile import check_new_files, read_existing, write_new_files  # noqa: E402


def size(files: dict[str, bytes]) -> str:
    raw = sum(len(b) for b in files.values())
    packed = sum(len(gzip.compress(b, 6)) for b in files.values())
    return f"{len(files)} bestanden, {raw / 1e6:.1f} MB ({packed / 1e6:.1f} MB gzip)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gemeenten", type=int, default=342)
    parser.add_argument("--per-gemeente", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()
    print(f"Machine: {platform.machine()}, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        data = write_dataset(Path(tmp) / "organisaties", args.gemeenten, args.per_gemeente, args.seed)
        dataset, errors = load(data)
        assert not errors, errors[:3]
        graph = build_graph(dataset)
        print(f"Gegevens: {len(dataset.organisaties)} organisaties, {len(dataset.ketens)} gemeenten")

        started = time.perf_counter()
        graphs = graph_files(graph, dataset)
        print(f"Netwerkbestanden: {time.perf_counter() - started:.2f} s, {size(graphs)}")
        started = time.perf_counter()
        api = api_files(dataset, graph)
        print(f"JSON-weergave /api/: {time.perf_counter() - started:.2f} s, {size(api)}")
        started = time.perf_counter()
        templates = {"csv": template_csv(dataset), "xlsx": template_xlsx(dataset)}
        print(f"Sjablonen: {time.perf_counter() - started:.2f} s, {size(templates)}")

        started = time.perf_counter()
        package = export_package(dataset)
        exported = time.perf_counter()
        problems = validate_package(package)
        validated = time.perf_counter()
        files = package_files(dataset)
        print(f"export hsds: {exported - started:.2f} s, schemacontrole {validated - exported:.2f} s "
              f"({len(problems)} problemen), {size(files)}")

        out = Path(tmp) / "hsds"
        out.mkdir()
        for name, content in files.items():
            (out / name).write_bytes(content)
        target = Path(tmp) / "terug"
        shutil.copytree(data / "gemeenten", target / "gemeenten")
        started = time.perf_counter()
        existing, _ = read_existing(target)
        result = import_records(read_package(out), existing, source="hsds")
        mapped = time.perf_counter()
        problems = check_new_files(target, result.files)
        checked = time.perf_counter()
        write_new_files(target, result.files)
        written = time.perf_counter()
        print(f"import hsds: inlezen en omzetten {mapped - started:.2f} s, controle met de loader "
              f"{checked - mapped:.2f} s ({len(problems)} fouten), schrijven {written - checked:.2f} s; "
              f"{len(result.files)} bestanden")


if __name__ == "__main__":
    main()
