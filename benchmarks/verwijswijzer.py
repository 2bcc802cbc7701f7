"""Benchmark of the verwijswijzer's page files: size (gzip) per municipality and time to compute.

    .venv/bin/python benchmarks/verwijswijzer.py [--gemeenten N]

Prints, for the example data (organisaties/) and for N fictitious municipalities of 30
organisations each (benchmarks/fictief.py), per municipality: the processor time to compute the answers
for every profile, the size of the JSON file the page downloads, raw and gzip-compressed, against
the budget of 50 KB gzip. It also looks a sample of profiles up in each fictitious file and checks
that the answer equals the command line's. Exits 1 when a municipality of the example data is
over budget.
"""

from __future__ import annotations

import argparse
import gzip
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from generator.analyse import verwijs  # noqa: E402
from generator.graph.build import build_graph  # noqa: E402
from generator.load.loader import load  # noqa: E402

BUDGET = 50 * 1024  # bytes, gzip-compressed, per municipality
NATIONAL = 342  # municipalities in the CBS list (1 January 2023)


def measure(dataset, graph, keten) -> tuple[float, int, int, dict]:
    """Processor time (this process only, so other load on the machine does not count), sizes."""
    started = time.process_time()
    data = verwijs.page_data(dataset, graph, keten)
    text = verwijs.page_json(data)
    seconds = time.process_time() - started
    raw = text.encode("utf-8")
    return seconds, len(raw), len(gzip.compress(raw, compresslevel=6)), data


def kb(n: int) -> str:
    return f"{n / 1024:6.1f} KB"


def report(title: str, dataset, graph, sample: int = 0) -> list[tuple[str, float, int, int]]:
    print(f"\n{title}")
    print(f"  {'gemeente':<22} {'org.':>4} {'cpu-tijd':>9} {'JSON':>10} {'gzip':>10}  budget")
    rows = []
    profiles = verwijs.alle_profielen()
    for keten in sorted(dataset.ketens.values(), key=lambda k: k.naam):
        seconds, raw, packed, data = measure(dataset, graph, keten)
        orgs = len(dataset.in_gemeente(keten.cbs))
        status = "binnen" if packed <= BUDGET else "ERBOVEN"
        print(f"  {keten.naam:<22} {orgs:>4} {seconds * 1000:6.0f} ms {kb(raw)} {kb(packed)}  {status}")
        if sample:
            chosen = random.Random(keten.cbs).sample(profiles, sample)
            expected = verwijs.verwijs_alle(dataset, graph, keten, chosen)
            wrong = sum(verwijs.read_page(data, p) != e for p, e in zip(chosen, expected))
            if wrong:
                print(f"    FOUT: {wrong} van {sample} profielen wijken af van de opdrachtregel")
        rows.append((keten.naam, seconds, raw, packed))
    return rows


def summary(rows) -> None:
    times = [r[1] for r in rows]
    sizes = [r[3] for r in rows]
    print(f"  cpu-tijd per gemeente: gemiddeld {statistics.mean(times) * 1000:.0f} ms, hoogstens {max(times) * 1000:.0f} ms;"
          f" voor {NATIONAL} gemeenten ongeveer {statistics.mean(times) * NATIONAL:.0f} s")
    print(f"  gzip per gemeente: gemiddeld {kb(int(statistics.mean(sizes))).strip()}, hoogstens {kb(max(sizes)).strip()}"
          f" (budget {kb(BUDGET).strip()})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gemeenten", type=int, default=12, help="aantal fictieve gemeenten (standaard 12)")
    args = parser.parse_args()
    print(f"Verwijswijzer: {len(verwijs.alle_profielen())} profielen per gemeente (elke vraag ook overgeslagen)")

    dataset, errors = load(ROOT / "organisaties")
    if errors:
        print("\n".join(map(str, errors)))
        return 1
    example = report("Voorbeeldgegevens (organisaties/)", dataset, build_graph(dataset))
    summary(example)

    with tempfile.TemporaryDirectory() as tmp:
        from fictief import write_dataset

        folder = write_dataset(Path(tmp) / "fictief", n_gemeenten=args.gemeenten, per_gemeente=30)
        fictitious, errors = load(folder)
        if errors:
            print("\n".join(map(str, errors[:10])))
            return 1
        rows = report(f"Fictieve gegevens: {args.gemeenten} gemeenten met 30 organisaties (steekproef van 300 profielen"
                      " per gemeente vergeleken met de opdrachtregel)", fictitious, build_graph(fictitious), sample=300)
        summary(rows)
    return 0 if all(r[3] <= BUDGET for r in example) else 1


if __name__ == "__main__":
    sys.exit(main())
