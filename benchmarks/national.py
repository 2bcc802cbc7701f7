"""Ketenkaart at national scale: build the whole site from a fictitious national data set and
print what that costs. A benchmark, not a test: it prints figures and asserts nothing.

    make benchmark                                              # every municipality, 30 organisations each
    .venv/bin/python benchmarks/national.py --gemeenten 40 --per-gemeente 30

The data set comes from benchmarks/fictief.py (every record says `fictief: ja`), together with the
example data in organisaties/ (Zwolle and Almere: the guidance pages link to their chain pages).
The site is built with the real command, `ketenkaart build`, in a child process, while a sampler
follows that process and its children (the MkDocs run) in /proc. Printed:

* wall time of the whole build, the generator's share and MkDocs' share (MkDocs' share is the
  lifetime of the MkDocs child processes; the generator's share is the rest); after editing one
  organisation, the time of the rebuild and the split ketenkaart reports (its MkDocs runner
  starts while the generator works, so its lifetime says nothing there);
* peak memory of the process tree (sum of the resident memory of all its processes, sampled);
* size of the site on disk; size of the search index, raw and gzipped;
* the heaviest page with everything it loads (styles, scripts, images, iframes and what the search
  loads at run time), and a municipality page with its map once the shared files are cached;
* the same for a plain MkDocs build of the same Markdown (default theme, search only): the
  baseline for what the theme and the generator add;
* with Chromium available: what a municipality page really transfers, cold and with a warm cache,
  and how long its map takes to draw.

Targets (2-core machine): build < 3 min, generator < 1/4 of it, peak memory < 1.5 GB, search index
< 5 MB raw, municipality page with map < 300 KB transferred with the shared files cached.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from fictief import write_dataset  # noqa: E402
from generator.load.yamlfile import RACY_NS  # noqa: E402

EXAMPLE_DATA = ROOT / "organisaties"
TARGETS = {"build_s": 180, "generator_share": 0.25, "peak_mb": 1536, "index_mb": 5, "gemeente_kb": 300,
           "process_mb": lambda per_gemeente: 700 if per_gemeente <= 30 else 1536}
KB, MB = 1024, 1024 * 1024


# -- measuring a process tree ------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@dataclass
class Run:
    """One measured command: wall time, peak memory of its tree, and when MkDocs ran in it."""

    seconds: float = 0.0
    peak_bytes: int = 0
    mkdocs_seconds: float | None = None
    returncode: int = 0
    stderr: str = ""
    samples: int = 0
    _mkdocs: list = field(default_factory=list)
    peaks: dict = field(default_factory=dict)  # pid -> (command line, largest resident memory)

    def largest_process(self) -> tuple[str, int]:
        """The one process that used the most memory: ('MkDocs' or 'generator', bytes)."""
        if not self.peaks:
            return "-", 0
        cmd, peak = max(self.peaks.values(), key=lambda cp: cp[1])
        return ("MkDocs" if _is_mkdocs(cmd) else "generator"), peak

    def peak_of(self, mkdocs: bool) -> int:
        return max((peak for cmd, peak in self.peaks.values() if _is_mkdocs(cmd) == mkdocs), default=0)


def _is_mkdocs(cmdline: str) -> bool:
    return "mkdocs" in cmdline or "generator.publish.partial" in cmdline


def measure(cmd: list[str], interval: float = 0.05, cwd: Path | None = None) -> Run:
    """Run cmd; sample the resident memory of it and all its descendants every `interval` s."""
    run = Run()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    done = threading.Event()

    def sample():
        while not done.is_set():
            tree, queue = [], [proc.pid]
            while queue:
                pid = queue.pop()
                tree.append(pid)
                queue += _children(pid)
            rss = {p: _rss(p) for p in tree}
            run.peak_bytes = max(run.peak_bytes, sum(rss.values()))
            for p, r in rss.items():
                cmd, peak = run.peaks.get(p, ("", 0))
                if not _is_mkdocs(cmd):  # a child shows its parent's command line until it starts its own
                    cmd = _cmdline(p) or cmd
                run.peaks[p] = (cmd, max(peak, r))
            run.samples += 1
            if any(_is_mkdocs(_cmdline(p)) for p in tree[1:]):
                run._mkdocs.append(time.perf_counter())
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _out, run.stderr = proc.communicate()
    run.seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    run.returncode = proc.returncode
    if run._mkdocs:
        run.mkdocs_seconds = run._mkdocs[-1] - run._mkdocs[0] + interval
    return run


# -- weighing pages ------------------------------------------------------------------------------

TAG = re.compile(r"<(script|img|iframe|link|source)\b([^>]*)>", re.I)
ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
EMBEDDING_RELS = {"stylesheet", "icon", "preload", "modulepreload"}


class Weigher:
    """Which files each page loads, and how many bytes that is, read from the built HTML."""

    def __init__(self, site: Path):
        self.site = site.resolve()
        index = site / "search" / "search_index.json"
        self.search_langs = json.loads(index.read_text(encoding="utf-8"))["config"]["lang"] if index.exists() else []

    def _file(self, page_rel: str, url: str) -> str | None:
        if urlsplit(url).scheme or url.startswith("//"):
            return None  # data: URLs and other hosts are not files of the site
        path = unquote(urlsplit(urljoin("/" + page_rel, url)).path).lstrip("/")
        target = self.site / path
        if path == "" or path.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target.relative_to(self.site).as_posix() if target.is_file() else None

    @lru_cache(maxsize=None)
    def loads(self, rel: str) -> frozenset[str]:
        """Every file the browser fetches for this file (itself included), recursively."""
        files = {rel}
        if rel.endswith(".css"):
            text = (self.site / rel).read_text(encoding="utf-8", errors="replace")
            for url in CSS_URL.findall(text):
                f = self._file(rel, url)
                if f:
                    files.add(f)
            return frozenset(files)
        if not rel.endswith(".html"):
            return frozenset(files)
        text = (self.site / rel).read_text(encoding="utf-8", errors="replace")
        for tag, attrs in TAG.findall(text):
            a = {m[0].lower(): m[1] or m[2] or m[3] for m in ATTR.findall(attrs)}
            tag = tag.lower()
            url = a.get("href") if tag == "link" else a.get("src")
            if not url or (tag == "link" and not set(a.get("rel", "").lower().split()) & EMBEDDING_RELS):
                continue
            f = self._file(rel, url)
            if f:
                files |= self.loads(f) if f.endswith((".html", ".css")) else {f}
        config = CONFIG.search(text)
        if config:  # the theme's search: a worker that fetches the index and lunr's language files
            conf = json.loads(config.group(1))
            worker = self._file(rel, conf["search"])
            base = conf.get("base", ".")
            extra = [worker, self._file(rel, f"{base}/search/search_index.json")]
            if worker and any(lang != "en" for lang in self.search_langs):
                lunr = str(Path(worker).parent.parent / "lunr" / "min")
                extra += [f"{lunr}/lunr.stemmer.support.min.js"] + [f"{lunr}/lunr.{lang}.min.js" for lang in self.search_langs if lang != "en"]
            files |= {f for f in extra if f and (self.site / f).is_file()}
        return frozenset(files)

    @lru_cache(maxsize=None)
    def size(self, rel: str) -> int:
        return (self.site / rel).stat().st_size

    @lru_cache(maxsize=None)
    def gzipped(self, rel: str) -> int:
        return len(gzip.compress((self.site / rel).read_bytes(), compresslevel=6))

    def weight(self, files) -> tuple[int, int]:
        return sum(self.size(f) for f in files), sum(self.gzipped(f) for f in files)


# -- the run ---------------------------------------------------------------------------------------

def human(n: float) -> str:
    for unit, size in (("GB", 1024 ** 3), ("MB", MB), ("KB", KB)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n:.0f} B"


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def machine() -> str:
    cpu = "onbekend"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal")).split()[1]) * KB
    except (OSError, StopIteration):
        mem = 0
    return f"{os.cpu_count()} cores ({cpu}), {human(mem)} geheugen, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def plain_config(derived: Path, site_dir: Path) -> Path:
    """The same Markdown with MkDocs' own theme and only its search plugin: the baseline."""
    config = yaml.safe_load(derived.read_text(encoding="utf-8"))
    config.update({"theme": {"name": "mkdocs"}, "plugins": ["search"], "strict": False, "site_dir": str(site_dir)})
    config.pop("extra_css", None)
    path = derived.with_name("mkdocs-kaal.yml")
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def browser_figures(site: Path, municipality_rel: str, other_rel: str) -> dict | None:
    """Bytes a municipality page transfers in Chromium (cold, then with a warm cache) and its map time."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(chromium).exists():
        return None
    import functools
    import http.server

    class Cached(http.server.SimpleHTTPRequestHandler):
        def end_headers(self):  # as a static host would: pages are checked again, files kept an hour
            html = self.path.endswith("/") or self.path.split("?")[0].endswith(".html")
            self.send_header("Cache-Control", "no-cache" if html else "max-age=3600")
            super().end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Cached, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    result = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])

            def visit(page, rel: str) -> tuple[int, int, float]:
                moved: list = []

                def record(request):
                    moved.append(request)

                page.on("requestfinished", record)
                started = time.perf_counter()
                page.goto(base + rel.removesuffix("index.html"))
                frame = page.locator(".kk-kaart iframe")
                frame.scroll_into_view_if_needed()
                frame.element_handle().content_frame().wait_for_selector("body[data-getekend]", state="attached",
                                                                         timeout=120_000)
                drawn = time.perf_counter() - started
                page.wait_for_load_state("networkidle")
                page.remove_listener("requestfinished", record)
                total = 0
                for request in moved:
                    sizes = request.sizes()
                    total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
                return total, len(moved), drawn

            cold = browser.new_context(viewport={"width": 1280, "height": 900})
            result["koud"] = visit(cold.new_page(), municipality_rel)
            cold.close()
            warm = browser.new_context(viewport={"width": 1280, "height": 900})
            page = warm.new_page()
            visit(page, other_rel)  # another municipality first: the shared files are now cached
            result["warm"] = visit(page, municipality_rel)
            warm.close()
            # The search: from opening the home page to the first answer (the worker downloads
            # the index and builds it in the browser first).
            fresh = browser.new_context(viewport={"width": 1280, "height": 900})
            page = fresh.new_page()
            started = time.perf_counter()
            page.goto(base)
            field = page.locator("input.md-search__input")
            field.click()
            field.fill("schulddienstverlening")
            field.press("End")
            page.wait_for_function("() => /overeenkom/.test(document.querySelector('.md-search-result__meta').textContent)",
                                   timeout=300_000)
            result["zoeken"] = time.perf_counter() - started
            browser.close()
    finally:
        server.shutdown()
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--gemeenten", type=int, default=342, help="aantal fictieve gemeenten (standaard 342, alle gemeenten)")
    p.add_argument("--per-gemeente", type=int, default=30, help="organisaties per gemeente (standaard 30)")
    p.add_argument("--seed", type=int, default=2019)
    p.add_argument("--map", type=Path, help="werkmap die blijft staan (standaard: een tijdelijke map)")
    p.add_argument("--zonder-basislijn", action="store_true", help="sla de kale MkDocs-build over")
    p.add_argument("--zonder-browser", action="store_true", help="sla de meting in Chromium over")
    p.add_argument("--profiel", action="store_true",
                   help="bouw nog een keer onder cProfile en toon waar de generator zijn tijd aan besteedt")
    args = p.parse_args(argv)

    work = args.map or Path(tempfile.mkdtemp(prefix="ketenkaart-landelijk-"))
    work.mkdir(parents=True, exist_ok=True)
    data, site, build = work / "organisaties", work / "site", work / "build"
    for old in (data, site, build):
        shutil.rmtree(old, ignore_errors=True)
    out = print
    out(f"Ketenkaart, landelijke meting — {date.today().isoformat()}")
    out(f"Machine: {machine()}")
    out(f"Werkmap: {work}")

    started = time.perf_counter()
    shutil.copytree(EXAMPLE_DATA, data, ignore=shutil.ignore_patterns("*.md"))
    write_dataset(data, args.gemeenten, args.per_gemeente, args.seed)
    n_files = sum(1 for _ in data.rglob("*.yaml"))
    out(f"\nGegevens: {args.gemeenten} fictieve gemeenten x {args.per_gemeente} organisaties + voorbeeldgegevens "
        f"= {n_files} YAML-bestanden ({human(folder_size(data)[0])}), geschreven in {time.perf_counter() - started:.1f} s")

    # The parse cache (generator.load.yamlfile) trusts a file only when it last changed at least
    # RACY_NS before the build that read it (file times can be coarse). An editor's files are older
    # than that; files a script wrote in the same second as the build are not: wait as long.
    newest = max(p.stat().st_mtime_ns for p in data.rglob("*.yaml"))
    time.sleep(max(0.0, (newest + RACY_NS - time.time_ns()) / 1e9))

    cmd = [sys.executable, "-m", "generator.cli", "build", "--data", str(data), "--out", str(site), "--werkmap", str(build)]
    run = measure(cmd, cwd=ROOT)
    if run.returncode:
        out(f"\nDe build is MISLUKT (code {run.returncode}) na {run.seconds:.1f} s:\n{run.stderr[-3000:]}")
        return 1
    mk = run.mkdocs_seconds or 0.0
    gen = run.seconds - mk
    reported = re.search(r"generator ([\d.]+) s, MkDocs ([\d.]+) s", run.stderr)
    out("\nBuild (`ketenkaart build`)")
    out(f"  totale tijd           {run.seconds:7.1f} s   (doel < {TARGETS['build_s']} s)")
    out(f"  generator             {gen:7.1f} s   = {gen / run.seconds:.0%} van het totaal (doel < 25%)")
    out(f"  MkDocs                {mk:7.1f} s")
    if reported:
        out(f"  (ketenkaart zelf meldt: generator {reported[1]} s, MkDocs {reported[2]} s; zonder opstarten van Python)")
    out(f"  piekgeheugen          {human(run.peak_bytes):>9}   (som over het procesboom, {run.samples} metingen)")
    which, largest = run.largest_process()
    out(f"  grootste proces       {human(largest):>9}   ({which}; generator {human(run.peak_of(False))}, "
        f"MkDocs {human(run.peak_of(True))}; doel <= {TARGETS['process_mb'](args.per_gemeente)} MB)")
    parse = yaml_parse_seconds(data)
    out(f"  YAML lezen (libyaml)  {parse:7.1f} s   alle bestanden; de build kost {run.seconds / parse:.0f} x zoveel "
        f"(doel <= 70 x)")

    edit = edit_one_organisation(data)
    rerun = measure(cmd, cwd=ROOT)
    how = re.search(r"; ([^;]*)\)\.\s*$", rerun.stderr.strip())
    out(f"\nEen organisatie wijzigen ({edit}) en opnieuw bouwen")
    out(f"  totale tijd           {rerun.seconds:7.1f} s   = {rerun.seconds / parse:.1f} x het lezen van de YAML "
        f"(doel <= 5 x); {how[1] if how else rerun.stderr[-300:]}")
    # The runner of an incremental build starts while the generator works (Publisher.start_runner),
    # so its lifetime is not MkDocs' share here: take the split ketenkaart reports.
    split = re.search(r"generator ([\d.]+) s, MkDocs ([\d.]+) s", rerun.stderr)
    if split:
        out(f"  generator / MkDocs    {float(split[1]):7.1f} s / {float(split[2]):.1f} s   (zoals ketenkaart meldt, "
            "zonder opstarten van Python)")

    size, count = folder_size(site)
    index = site / "search" / "search_index.json"
    index_raw = index.stat().st_size
    index_gz = len(gzip.compress(index.read_bytes(), compresslevel=6))
    out("\nSite")
    out(f"  op schijf             {human(size):>9}   in {count} bestanden")
    out(f"  zoekindex             {human(index_raw):>9}   ({human(index_gz)} gzip; doel < 5 MB ongecomprimeerd)")
    html = sorted(site.rglob("*.html"), key=lambda p: p.stat().st_size, reverse=True)
    over = [p for p in html if p.stat().st_size > 500 * KB]
    out(f"  grootste HTML-pagina  {human(html[0].stat().st_size):>9}   /{html[0].relative_to(site).as_posix()} "
        f"({len(over)} pagina's boven de 500 KB)")
    for page in over[:5]:
        out(f"      {human(page.stat().st_size):>9}  /{page.relative_to(site).as_posix()}")

    weigher = Weigher(site)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if not p.relative_to(site).as_posix().startswith("kaarten/"))
    used_by = Counter(f for page in pages for f in weigher.loads(page))
    heaviest = max(pages, key=lambda pg: weigher.weight(weigher.loads(pg))[0])
    raw, gz = weigher.weight(weigher.loads(heaviest))
    out(f"  zwaarste pagina       {human(raw):>9}   ({human(gz)} gzip) /{heaviest.removesuffix('index.html')} met alles wat ze laadt")
    parts = sorted(weigher.loads(heaviest), key=weigher.size, reverse=True)[:4]
    out("      grootste delen: " + ", ".join(f"{f} {human(weigher.size(f))}" for f in parts))

    chains = [pg for pg in pages if pg.startswith("gemeenten/") and pg != "gemeenten/index.html"]
    own = {pg: [f for f in weigher.loads(pg) if used_by[f] == 1 or f == pg] for pg in chains}
    biggest = max(chains, key=lambda pg: weigher.weight(own[pg])[0])
    raw, gz = weigher.weight(own[biggest])
    out(f"  gemeentepagina + kaart {human(raw):>8}   ({human(gz)} gzip) /{biggest.removesuffix('index.html')}, "
        f"de grootste, met gedeelde bestanden in de cache (doel < 300 KB): {', '.join(f'{f} {human(weigher.size(f))}' for f in own[biggest])}")
    cold_raw, cold_gz = weigher.weight(weigher.loads(biggest))
    out(f"      zonder cache       {human(cold_raw):>8}   ({human(cold_gz)} gzip)")

    if not args.zonder_browser:
        other = next(c for c in chains if c != biggest)
        figures = browser_figures(site, biggest, other)
        if figures:
            (craw, cn, ct), (wraw, wn, wt) = figures["koud"], figures["warm"]
            out(f"  in Chromium            koud {human(craw)} in {cn} verzoeken, kaart getekend na {ct:.1f} s; "
                f"warm {human(wraw)} in {wn} verzoeken, kaart na {wt:.1f} s (zonder gzip)")
            out(f"  zoeken in Chromium     eerste antwoord {figures['zoeken']:.1f} s na het openen van de startpagina "
                "(index ophalen en in de browser opbouwen)")

    if not args.zonder_basislijn:
        plain_site = work / "site-kaal"
        base_run = measure([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plain_config(build / "mkdocs.yml", plain_site))],
                           cwd=build)
        out("\nBasislijn: kale MkDocs-build van dezelfde Markdown (eigen thema van MkDocs, alleen search)")
        if base_run.returncode:
            out(f"  MISLUKT (code {base_run.returncode}): {base_run.stderr[-1500:]}")
        else:
            bsize, bcount = folder_size(plain_site)
            bindex = plain_site / "search" / "search_index.json"
            out(f"  tijd                  {base_run.seconds:7.1f} s   (Ketenkaart's MkDocs-stap: {mk:.1f} s, hele build {run.seconds:.1f} s)")
            out(f"  piekgeheugen          {human(base_run.peak_bytes):>9}")
            out(f"  op schijf             {human(bsize):>9}   in {bcount} bestanden; zoekindex {human(bindex.stat().st_size) if bindex.exists() else '-'}")

    if args.profiel:
        generator_profile(data, work)

    if not args.map:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def yaml_parse_seconds(data: Path) -> float:
    """The floor: parsing every data file with libyaml, nothing else (best of two)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    files = sorted(data.rglob("*.yaml"))
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        for path in files:
            yaml.load(path.read_bytes(), Loader=loader)
        best = min(best, time.perf_counter() - started)
    return best


def edit_one_organisation(data: Path) -> str:
    """Change the description of one fictitious organisation, as an editor would."""
    for path in sorted(data.rglob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "gemeenten" not in path.parts and record.get("fictief") and record.get("beschrijving"):
            break
    record["beschrijving"] = "Gewijzigd voor de meting. " + record["beschrijving"]
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path.relative_to(data).as_posix()


def generator_profile(data: Path, work: Path, top: int = 15) -> None:
    """Build once more under cProfile; print the generator's own functions by cumulative time.

    Only the generator process is profiled (MkDocs runs in a child process). Profiling slows
    Python down, so read the shares, not the seconds.
    """
    import pstats

    stats_file = work / "generator.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "generator.cli", "build",
                    "--data", str(data), "--out", str(work / "site-profiel"), "--werkmap", str(work / "build-profiel")],
                   cwd=ROOT, capture_output=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=True)
    stats = pstats.Stats(str(stats_file))
    total = max(v[3] for v in stats.stats.values())
    own = [(key, v[3]) for key, v in stats.stats.items() if f"{os.sep}generator{os.sep}" in key[0]]
    print(f"\nWaar de generator zijn tijd aan besteedt (cProfile, cumulatief; totaal {total:.0f} s onder de profiler)")
    for (filename, line, name), cum in sorted(own, key=lambda kv: kv[1], reverse=True)[:top]:
        print(f"  {cum:7.1f} s  {cum / total:4.0%}  {Path(filename).name}:{line} {name}")


if __name__ == "__main__":
    sys.exit(main())
