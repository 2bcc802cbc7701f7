"""MkDocs and Zensical on the same docs folder: build time and peak memory, side by side.

    .venv/bin/python benchmarks/zensical.py                                  # the example data
    .venv/bin/python benchmarks/zensical.py --gemeenten 40 --per-gemeente 30 # fictitious data

Material for MkDocs reaches its end of life on 5 May 2027; Zensical (same team, pinned in the
test extra) reads the same mkdocs.yml. This writes a copy of this project (mkdocs.yml, content/)
into a work folder, lets the real generator write build/docs (publish.write_docs, as `ketenkaart
build` does), and then builds that project's mkdocs.yml, unchanged, once with `mkdocs build` and
once with `zensical build --clean` (without its cache), each in a child process whose tree is
sampled for memory (benchmarks/national.py). A benchmark: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the engine first: benchmarks/ has a generator.py of its own
from generator import pipeline  # noqa: E402
from generator.project import Project  # noqa: E402
from generator.publish.mkdocs import write_docs  # noqa: E402

sys.path.insert(1, str(ROOT / "benchmarks"))
from fictief import write_dataset  # noqa: E402
from national import folder_size, human, measure  # noqa: E402

EXAMPLE_DATA = ROOT / "tests" / "fixtures" / "voorbeeld"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--gemeenten", type=int, default=0, help="aantal fictieve gemeenten (standaard 0: de voorbeeldgegevens)")
    p.add_argument("--per-gemeente", type=int, default=30, help="organisaties per gemeente (standaard 30)")
    p.add_argument("--map", type=Path, help="werkmap die blijft staan (standaard: een tijdelijke map)")
    args = p.parse_args(argv)

    work = args.map or Path(tempfile.mkdtemp(prefix="ketenkaart-zensical-"))
    try:
        for old in ("content", "organisaties", "build", "site"):
            shutil.rmtree(work / old, ignore_errors=True)
        work.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "mkdocs.yml", work / "mkdocs.yml")
        shutil.copytree(ROOT / "content", work / "content")
        data = write_dataset(work / "organisaties", args.gemeenten, args.per_gemeente) if args.gemeenten else EXAMPLE_DATA
        project = Project.at(work, data=data)
        started = time.perf_counter()
        generated, _ = pipeline.generate(project, pipeline.load_project(project))
        write_docs(generated, project)
        pages = sum(1 for _ in (project.work / "docs").rglob("*.md"))
        what = f"{args.gemeenten} x {args.per_gemeente} fictief" if args.gemeenten else "voorbeeldgegevens"
        print(f"{what}: {pages} Markdown-pagina's geschreven in {time.perf_counter() - started:.1f} s ({work})")

        for name, cmd in (("MkDocs", [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project.config)]),
                          ("Zensical", [sys.executable, "-m", "zensical", "build", "--clean", "-f", str(project.config)])):
            shutil.rmtree(project.out, ignore_errors=True)
            run = measure(cmd, cwd=work)
            if run.returncode:
                print(f"  {name:<9} MISLUKT (code {run.returncode}) na {run.seconds:.1f} s, piekgeheugen "
                      f"{human(run.peak_bytes)}:\n{run.stderr[-1500:]}")
                continue
            size, count = folder_size(project.out)
            index = next((f for f in (project.out / "search" / "search_index.json", project.out / "search.json")
                          if f.is_file()), None)  # MkDocs' theme, Zensical
            print(f"  {name:<9} {run.seconds:7.1f} s, piekgeheugen {human(run.peak_bytes):>9}, "
                  f"{count} bestanden ({human(size)}), zoekindex {human(index.stat().st_size) if index else '-'}")
    finally:
        if not args.map:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
