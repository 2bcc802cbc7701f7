"""Page budget: no page of the site may grow with municipalities x organisations.

    .venv/bin/python benchmarks/page_budget.py                               # 342 x 100, several minutes
    .venv/bin/python benchmarks/page_budget.py --gemeenten 60 --per-gemeente 100
    .venv/bin/python benchmarks/page_budget.py --site /tmp/ergens/site       # only weigh a built site

Writes the clearly fictitious data set of benchmarks/fictief.py (`write_dataset(folder,
n_gemeenten, per_gemeente)`; every record says `fictief: ja`), builds it with the real command
(`ketenkaart build` in a child process) and weighs the result: the largest HTML pages (maps
included), the largest page of each part of the site, and the search index. A check, not a
measurement of speed: it exits with 1 when a page or the search index is over budget (by
default 500 KB of HTML per page and 5 MB for the search index, raw), else with 0. Build time
and peak memory are printed for information only; benchmarks/national.py measures those.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from fictief import write_dataset  # noqa: E402
from national import KB, MB, human, measure  # noqa: E402

PAGE_KB = 500
INDEX_MB = 5
SEARCH_INDEX = Path("search") / "search_index.json"


def weigh(site: Path, page_budget: int, index_budget: int, top: int = 10, out=print) -> bool:
    """Print the largest pages and the search index of a built site; True when all are in budget."""
    pages = sorted(((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")), reverse=True)
    if not pages:
        out(f"Geen HTML-pagina's gevonden in {site}.")
        return False
    out(f"\n{len(pages)} HTML-pagina's; de grootste {min(top, len(pages))} (budget {human(page_budget)} per pagina):")
    for size, rel in pages[:top]:
        out(f"  {human(size):>9}  /{rel}{'   TE GROOT' if size > page_budget else ''}")
    out("\nDe grootste pagina per deel van de site:")
    seen: set[str] = set()
    for size, rel in pages:
        part = rel.split("/", 1)[0] if "/" in rel else "(hoofdmap)"
        if part not in seen:
            seen.add(part)
            out(f"  {part:<16} {human(size):>9}  /{rel}")
    over = [(size, rel) for size, rel in pages if size > page_budget]

    index = site / SEARCH_INDEX
    ok_index = index.is_file() and index.stat().st_size <= index_budget
    if index.is_file():
        raw = index.stat().st_size
        gz = len(gzip.compress(index.read_bytes(), compresslevel=6))
        out(f"\nZoekindex: {human(raw)} ({human(gz)} gzip; budget {human(index_budget)} ongecomprimeerd)"
            f"{'   TE GROOT' if raw > index_budget else ''}")
    else:
        out(f"\nZoekindex ontbreekt: {index}")

    if over:
        out(f"\nTE GROOT: {len(over)} pagina('s) boven {human(page_budget)}, de grootste /{over[0][1]} ({human(over[0][0])}).")
    if not ok_index:
        out("TE GROOT: de zoekindex is groter dan het budget (of ontbreekt).")
    if not over and ok_index:
        out("\nBinnen het budget.")
    return not over and ok_index


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--gemeenten", type=int, default=342, help="aantal fictieve gemeenten (standaard 342)")
    p.add_argument("--per-gemeente", type=int, default=100, help="organisaties per gemeente (standaard 100)")
    p.add_argument("--seed", type=int, default=2019)
    p.add_argument("--map", type=Path, help="werkmap die blijft staan (standaard: een tijdelijke map die daarna weg gaat)")
    p.add_argument("--site", type=Path, help="weeg alleen deze al gebouwde site; schrijf en bouw niets")
    p.add_argument("--pagina-kb", type=int, default=PAGE_KB, help=f"budget per HTML-pagina in KB (standaard {PAGE_KB})")
    p.add_argument("--zoekindex-mb", type=float, default=INDEX_MB, help=f"budget voor de zoekindex in MB (standaard {INDEX_MB})")
    p.add_argument("--top", type=int, default=10, help="hoeveel van de grootste pagina's te tonen (standaard 10)")
    args = p.parse_args(argv)
    page_budget, index_budget = args.pagina_kb * KB, int(args.zoekindex_mb * MB)

    if args.site:
        return 0 if weigh(args.site, page_budget, index_budget, args.top) else 1

    work = args.map or Path(tempfile.mkdtemp(prefix="ketenkaart-paginabudget-"))
    work.mkdir(parents=True, exist_ok=True)
    data, site, build = work / "organisaties", work / "site", work / "build"
    for old in (data, site, build):
        shutil.rmtree(old, ignore_errors=True)
    try:
        write_dataset(data, args.gemeenten, args.per_gemeente, args.seed)
        n_files = sum(1 for _ in data.rglob("*.yaml"))
        print(f"Gegevens: {args.gemeenten} fictieve gemeenten x {args.per_gemeente} organisaties = {n_files} YAML-bestanden in {data}")
        run = measure([sys.executable, "-m", "generator.cli", "build", "--data", str(data), "--out", str(site),
                       "--werkmap", str(build)], cwd=ROOT)
        if run.returncode:
            print(f"De build is MISLUKT (code {run.returncode}) na {run.seconds:.1f} s:\n{run.stderr[-3000:]}")
            return 1
        print(f"Gebouwd in {run.seconds:.1f} s, piekgeheugen {human(run.peak_bytes)} (ter informatie; zie benchmarks/national.py)")
        return 0 if weigh(site, page_budget, index_budget, args.top) else 1
    finally:
        if not args.map:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
