"""Benchmark of the chain scan on a fictitious national data set (a script, not a test).

    .venv/bin/python benchmarks/scan.py [--gemeenten 342] [--per-gemeente 30] [--seed 2019]

Writes the data set of benchmarks/fictief.py (every record `fictief: ja`) into a temporary
folder, loads it with the real loader, builds the graph, and prints the scan time in total and
per municipality (mean, median, 95th percentile, max), plus the findings per kind.
"""

from __future__ import annotations

import argparse
import collections
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from fictief import write_dataset  # noqa: E402
from generator.graph.build import build_graph  # noqa: E402
from generator.load.loader import load  # noqa: E402
from generator.analyse.scan import Profiles, scan, scan_keten  # noqa: E402
from generator.domain.vocab import load_vocabulary  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gemeenten", type=int, default=342)
    ap.add_argument("--per-gemeente", type=int, default=30)
    ap.add_argument("--seed", type=int, default=2019)
    args = ap.parse_args()
    print(f"Machine: {platform.machine()}, Python {platform.python_version()}, {platform.system()}")
    with tempfile.TemporaryDirectory(prefix="ketenscan-") as tmp:
        t = time.perf_counter()
        data = write_dataset(Path(tmp) / "organisaties", args.gemeenten, args.per_gemeente, args.seed)
        print(f"Fictieve gegevens geschreven: {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        dataset, errors = load(data)
        if errors:
            print(f"{len(errors)} fouten in de fictieve gegevens, bijvoorbeeld: {errors[0]}")
            return 1
        print(f"Geladen: {len(dataset.organisaties)} organisaties in {len(dataset.ketens)} gemeenten "
              f"({time.perf_counter() - t:.1f} s)")
        graph = build_graph(dataset)

        t = time.perf_counter()
        findings = scan(dataset, graph)
        total = time.perf_counter() - t

        profiles = Profiles(load_vocabulary())
        per_chain = []
        for keten in dataset.ketens.values():
            t = time.perf_counter()
            scan_keten(dataset, graph, keten, profiles).findings()
            per_chain.append(time.perf_counter() - t)
    per_chain.sort()
    print(f"Ketenscan, alle gemeenten: {total:.2f} s, {len(findings)} bevindingen")
    print("Per gemeente (ms): gemiddeld {:.1f}, mediaan {:.1f}, 95e percentiel {:.1f}, hoogstens {:.1f}".format(
        1000 * statistics.mean(per_chain), 1000 * statistics.median(per_chain),
        1000 * per_chain[int(0.95 * (len(per_chain) - 1))], 1000 * per_chain[-1]))
    counts = collections.Counter(f.soort for f in findings if f.aandacht)
    print("Bevindingen die aandacht vragen: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    print(f"Gemiddeld per gemeente: {len(findings) / max(len(dataset.ketens), 1):.1f} bevindingen")
    return 0


if __name__ == "__main__":
    sys.exit(main())
