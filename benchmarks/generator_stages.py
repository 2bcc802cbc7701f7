"""The generator without MkDocs, stage by stage: what `load_project` and `generate` cost on the
fictitious national data set, and how that grows with the number of municipalities. A benchmark,
not a test: it prints figures and asserts nothing.

    .venv/bin/python benchmarks/generator_stages.py --gemeenten 40                # one size, every stage
    .venv/bin/python benchmarks/generator_stages.py --gemeenten 40 342            # cost per municipality at each size
    .venv/bin/python benchmarks/generator_stages.py --gemeenten 150 --serieel     # without worker processes
    .venv/bin/python benchmarks/generator_stages.py --gemeenten 150 --profiel     # where the time goes (cProfile)

The data set comes from benchmarks/fictief.py (with the example data of organisaties/, as in
benchmarks/national.py) and is written once per size into --map (default: a temporary folder).
Every size is measured in a fresh Python process, which, as the build's child process does,
freezes what loading left (generator.load.loader.freeze_loaded). Printed: the wall time
per stage (a stage includes what it calls: render_site includes the pages, maps and downloads; a
part that runs in worker processes, generator.parallel, is timed there and so left out, while its
stage still counts it); the processor time of the process and of its workers; the time the
garbage collector took; the largest resident memory (RSS) of the process and of any worker, and
the peak of their proportional memory together (PSS: memory that forked workers share with the
process counted once); and a calibration figure: the time of a fixed loop before and after, which
grows when other work shares the machine.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from generator.cli.dutch import NederlandsParser  # noqa: E402

# (module, class or None, function, label): the stages, timed where the pipeline calls them. A name
# that no longer exists is left out.
STAGES = [
    ("generator.pipeline", None, "build_graph", "graaf (build_graph)"),
    ("generator.reuse", None, "fingerprints", "vingerafdrukken (reuse.fingerprints)"),
    ("generator.pipeline", None, "analyse", "ketenscan en verwijswijzer (analyse)"),
    ("generator.pipeline", None, "render_site", "weergave (render_site)"),
    ("generator.render.site", None, "scan_overview_files", "  ketenscanoverzicht (scan_overview_files)"),
    ("generator.render.scan_pages", "ScanView", "section", "  ketenscansecties en -figuren"),
    ("generator.render.site", None, "verwijswijzer_files", "  verwijswijzerbestanden"),
    ("generator.render.pages", "Pages", "chain_page", "  ketenpagina's"),
    ("generator.render.kaart", None, "map_document", "  kaarten"),
    ("generator.render.pages", "Pages", "organisation_page", "  organisatiepagina's"),
    ("generator.render.site", None, "graph_downloads", "  graafbestanden (graph_downloads)"),
    ("generator.exchange.graphfiles", "GraphFiles", "of_country", "  graafbestanden van het land (GraphFiles.of_country)"),
    ("generator.render.site", None, "other_downloads", "  andere downloads (other_downloads)"),
    ("generator.render.downloads", None, "api_files", "    api-bestanden"),
    ("generator.render.downloads", None, "template_xlsx", "    spreadsheetsjabloon"),
]


def _calibrate() -> float:
    started = time.perf_counter()
    x = 0
    for k in range(3_000_000):
        x += k
    return time.perf_counter() - started


class _MemorySampler:
    """Samples, every 0.2 s, the proportional memory (PSS: shared pages divided among the processes
    that share them) of this process and its descendants, summed: what the tree really occupies.
    Forked workers share most of their memory with this process, so the sum of their resident
    memory (RSS) would count it again for every worker."""

    def __init__(self):
        import threading

        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _tree(pid: int) -> list[int]:
        found, todo = [], [pid]
        while todo:
            current = todo.pop()
            found.append(current)
            try:
                for task in os.listdir(f"/proc/{current}/task"):
                    with open(f"/proc/{current}/task/{task}/children") as fh:
                        todo += [int(c) for c in fh.read().split()]
            except OSError:
                pass
        return found

    @staticmethod
    def _pss(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _run(self):
        while not self._stop.is_set():
            self.peak_pss = max(self.peak_pss, sum(self._pss(pid) for pid in self._tree(os.getpid())))
            self._stop.wait(0.2)

    def __enter__(self):
        if Path("/proc/self/smaps_rollup").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def _timed(owner, name: str, label: str, timings: dict[str, float]) -> None:
    fn = getattr(owner, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            timings[label] = timings.get(label, 0.0) + time.perf_counter() - started

    setattr(owner, name, wrapper)


def measure(data: Path, serial: bool, freeze: bool, profile: Path | None) -> dict:
    """In this process: load and generate once, with every stage timed."""
    from generator import pipeline
    from generator.project import Project

    try:
        from generator import parallel
    except ImportError:  # an older version of the engine, measured for comparison
        parallel = None
    if serial and parallel:
        parallel.PROCESSES = 1
    timings: dict[str, float] = {}
    for module, cls, name, label in STAGES:
        try:
            owner = importlib.import_module(module)
            _timed(getattr(owner, cls) if cls else owner, name, label, timings)
        except (ImportError, AttributeError):
            pass
    in_gc = [0.0, 0.0]

    def gc_clock(phase, _info):
        if phase == "start":
            in_gc[1] = time.perf_counter()
        else:
            in_gc[0] += time.perf_counter() - in_gc[1]

    gc.callbacks.append(gc_clock)
    work = Path(tempfile.mkdtemp(prefix="ketenkaart-generator-"))
    project = Project.at(ROOT, data=data, out=work / "site", work=work / "build")
    calibration = _calibrate()
    cpu = time.process_time()
    with _MemorySampler() as memory:
        started = time.perf_counter()
        dataset = pipeline.load_project(project)
        loaded = time.perf_counter()
        if freeze:  # as pipeline.build's child does after loading
            try:
                from generator.load.loader import freeze_loaded
            except ImportError:  # an older version of the engine
                freeze_loaded = gc.freeze
            freeze_loaded()
        profiler = None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        files, _results = pipeline.generate(project, dataset)
        done = time.perf_counter()
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(profile))
    cpu = time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(work, ignore_errors=True)
    return {
        "gemeenten": len(dataset.ketens), "organisaties": len(dataset.organisaties), "bestanden": len(files),
        "laden": loaded - started, "genereren": done - loaded, "stappen": timings, "gc": in_gc[0],
        "cpu": cpu, "cpu_workers": children.ru_utime + children.ru_stime,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rss_worker_mb": children.ru_maxrss / 1024,
        "pss_mb": memory.peak_pss / 1024 / 1024,
        "ijking": (calibration, _calibrate()), "workers": parallel.last_workers() if parallel else 0,
    }


def dataset_folder(base: Path, gemeenten: int, per_gemeente: int, seed: int) -> Path:
    from fictief import write_dataset

    folder = base / f"organisaties-{gemeenten}x{per_gemeente}-{seed}"
    if not folder.is_dir():
        partial = folder.with_name(folder.name + ".deels")
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(ROOT / "organisaties", partial, ignore=shutil.ignore_patterns("*.md"))
        write_dataset(partial, gemeenten, per_gemeente, seed)
        partial.rename(folder)
    return folder


def report(r: dict) -> None:
    n = r["gemeenten"]
    print(f"\n{n} gemeenten, {r['organisaties']} organisaties, {r['bestanden']} gegenereerde bestanden")
    print(f"  {'gegevens lezen (load_project)':<38} {r['laden']:7.2f} s")
    for _module, _cls, _name, label in STAGES:  # in pipeline order, parts below the stage they belong to
        if label in r["stappen"]:
            print(f"  {label:<38} {r['stappen'][label]:7.2f} s")
    print(f"  {'generate, totaal':<38} {r['genereren']:7.2f} s   = {1000 * r['genereren'] / n:.1f} ms per gemeente")
    print(f"  {'waarvan garbage collector':<38} {r['gc']:7.2f} s   (ook tijdens het lezen)")
    print(f"  processortijd: proces {r['cpu']:.1f} s, workers {r['cpu_workers']:.1f} s ({r['workers']} workers "
          "bij de laatste parallelle stap)")
    print(f"  grootste geheugen (RSS): proces {r['rss_mb']:.0f} MB, grootste worker {r['rss_worker_mb']:.0f} MB; "
          f"proces en workers samen (PSS, gedeeld geheugen één keer geteld): {r['pss_mb']:.0f} MB")
    print(f"  ijking: vaste lus {r['ijking'][0]:.3f} s voor, {r['ijking'][1]:.3f} s na (hoger: de machine is bezet)")


def main(argv: list[str] | None = None) -> int:
    p = NederlandsParser(description="De generator zonder MkDocs, stap voor stap: wat load_project en generate kosten "
                                     "op de fictieve landelijke gegevens, en hoe dat groeit met het aantal gemeenten.")
    p.add_argument("--gemeenten", type=int, nargs="+", default=[40],
                   help="aantal fictieve gemeenten; meer getallen: een meting per aantal (standaard 40)")
    p.add_argument("--per-gemeente", type=int, default=30, help="organisaties per gemeente (standaard 30)")
    p.add_argument("--seed", type=int, default=2019, help="startwaarde voor de fictieve gegevens (standaard 2019)")
    p.add_argument("--map", type=Path, help="map voor de gegevens, die blijft staan (standaard: een tijdelijke map)")
    p.add_argument("--serieel", action="store_true", help="zonder workerprocessen (generator.parallel), op één kern")
    p.add_argument("--zonder-gc-freeze", action="store_true",
                   help="zonder gc.freeze() na het lezen (de build doet dat wel; om het effect te meten)")
    p.add_argument("--profiel", type=Path, metavar="BESTAND",
                   help="generate onder cProfile; schrijft de statistiek naar BESTAND en toont de top")
    p.add_argument("--meet", type=Path, help=argparse.SUPPRESS)  # internal: measure this data folder in this process
    args = p.parse_args(argv)

    if args.meet:
        result = measure(args.meet, args.serieel, not args.zonder_gc_freeze, args.profiel)
        print(json.dumps(result))
        return 0

    base = args.map or Path(tempfile.mkdtemp(prefix="ketenkaart-generator-"))
    base.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for count in args.gemeenten:
            data = dataset_folder(base, count, args.per_gemeente, args.seed)
            cmd = [sys.executable, __file__, "--meet", str(data)]
            cmd += ["--serieel"] * args.serieel + ["--zonder-gc-freeze"] * args.zonder_gc_freeze
            cmd += ["--profiel", str(args.profiel)] if args.profiel else []
            done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            if done.returncode:
                print(f"Meting bij {count} gemeenten MISLUKT:\n{done.stderr[-3000:]}")
                return 1
            result = json.loads(done.stdout.strip().splitlines()[-1])
            results.append(result)
            report(result)
    finally:
        if not args.map:
            shutil.rmtree(base, ignore_errors=True)
    if len(results) > 1:
        print("\nKosten per gemeente (generate)")
        for r in results:
            print(f"  {r['gemeenten']:>4} gemeenten: {1000 * r['genereren'] / r['gemeenten']:6.1f} ms")
    if args.profiel:
        import pstats

        print(f"\nWaar generate zijn tijd aan besteedt (cProfile, cumulatief; {args.profiel})")
        pstats.Stats(str(args.profiel)).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
