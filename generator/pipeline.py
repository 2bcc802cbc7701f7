"""The Python API: the pipeline from a project folder to a published site, stage by stage.

    load and validate  ->  graph  ->  analyse  ->  render  ->  publish
    load.load              graph.    analyse.      render.      publish.
                           build_    scan,         render_site  publish
                           graph     verwijs

Each stage takes plain data and returns plain data; none reaches back into an earlier one. The
command line (`generator.cli`) is a thin layer over these functions, and so can any script be:

    from generator.project import Project
    from generator import pipeline

    project = Project.at("mijn-site")
    dataset = pipeline.load_project(project)   # raises DataErrors with every problem at once
    pipeline.build(project)                    # the whole site into mijn-site/site/
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import networkx as nx

from generator import reuse
from generator.analyse.scan import ChainReport, Finding, chain_reporter, findings_of, report_order
from generator.analyse.verwijs import page_order, page_text
from generator.domain.rules import domain
from generator.domain.vocab import check_vocabulary, meervoud
from generator.graph.build import build_graph
from generator.load.loader import freeze_loaded, load
from generator.model import ALLES, DataError, Dataset, Scope, Unchanged, digest_of
from generator.project import Project
from generator.forked import run_forked
from generator.parallel import parallel_map
from generator.publish import MkDocsError, PublishError
from generator.publish.mkdocs import Publisher, WorkChanges
from generator.render.site import Ready, SiteContext, render_site
from generator.settings import Settings, read_settings
from generator.upkeep import Threshold

__all__ = ["DataErrors", "PublishError", "MkDocsError", "Analyses", "BuildReport", "check", "warnings", "load_project", "analyse", "generate", "build"]


class DataErrors(Exception):
    """The data has problems; `errors` lists every one of them (file, line, field, message)."""

    def __init__(self, errors: list[DataError]):
        super().__init__(f"{meervoud(len(errors), 'fout', 'fouten')} in de gegevens")
        self.errors = errors

    def __reduce__(self):  # crosses from the generator's process (generator.forked)
        return DataErrors, (self.errors,)


@dataclass(frozen=True)
class Analyses:
    """What the analysis stage computed: the chain scan's findings and the verwijswijzer's
    precomputed answers (page file text per municipality slug)."""

    scan: dict[str, ChainReport]  # by CBS code
    verwijswijzer: dict[str, str]

    @property
    def findings(self) -> list[Finding]:
        return findings_of(self.scan)


@dataclass(frozen=True)
class BuildReport:
    organisaties: int
    ketens: int
    bevindingen: int
    bestanden: int
    seconden_generator: float
    seconden_mkdocs: float
    bouwwijze: str = "volledig"  # 'volledig', 'incrementeel' (changed pages only) or 'ongewijzigd'
    gewijzigd: int = 0  # files of the docs folder written because their content changed


@dataclass(frozen=True)
class _Generated:
    organisaties: int
    ketens: int
    bevindingen: int
    bestanden: int
    changes: WorkChanges


def shown(path: Path) -> str:
    """How messages name a file: relative to the working folder when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def settings(project: Project) -> tuple[Settings, list[DataError]]:
    """The site settings of the project's mkdocs.yml (extra: ketenkaart:), with located errors."""
    return read_settings(project.config, shown(project.config))


def check(project: Project) -> tuple[Dataset, list[DataError]]:
    """Stage 1: the project's settings and vocabulary, then every data file checked against it.

    Returns the valid records and every problem found (empty when all is well); a vocabulary
    that is not usable stops here with its own located errors."""
    _settings, setting_errors = settings(project)
    vocab, errors = check_vocabulary(project.vocabulary, shown(project.vocabulary))
    if vocab is None:
        return Dataset(), setting_errors + errors
    # The parse cache in the work folder: a rebuild reads only the files that changed since.
    dataset, errors = load(project.data, shown_relative_to=Path.cwd(), vocabulary=vocab, cache=project.work)
    return dataset, setting_errors + errors


def warnings(dataset: Dataset) -> list[DataError]:
    """Things in valid data that a reader would find contradictory (they do not stop a build):
    toegang that says 'only through referral' next to a walk-in service (domain.rules)."""
    rules = domain(dataset.vocab)
    return [DataError(org.bestand, None, field, f"waarschuwing: {message}")
            for org in sorted(dataset.organisaties.values(), key=lambda o: o.bestand)
            for field, message in rules.access_contradictions(org)]


def load_project(project: Project) -> Dataset:
    """Stage 1: read and validate the project's data; raises DataErrors when anything is wrong."""
    dataset, errors = check(project)
    if errors:
        raise DataErrors(errors)
    return dataset


def analyse(dataset: Dataset, graph: nx.MultiDiGraph, drempel: Threshold | None = None, scope: Scope = ALLES) -> Analyses:
    """Stage 3: the chain scan and the verwijswijzer, each computed once (for the municipalities in
    `scope`). With `drempel` (the upkeep rule: the build day and the settings' number of months)
    the scan counts each chain's stale records."""
    # Per chain both analyses in one go, the chains spread over the cores: the same results as
    # scan_reports and build_verwijswijzer, in one round of worker processes instead of two.
    ketens = [k for k in dataset.ketens.values() if scope.keten(k.cbs)]
    reporter = chain_reporter(dataset, graph, drempel)
    made = parallel_map(lambda keten: (reporter(keten), page_text(dataset, graph, keten)), ketens)
    return Analyses(scan=report_order(dataset, {keten.cbs: report for keten, (report, _page) in zip(ketens, made)}),
                    verwijswijzer=page_order(ketens, [page for _report, page in made]))


def guidance(project: Project) -> frozenset[str]:
    """The project's own pages, as Markdown sources relative to content/ ('kennisbank/index.md')."""
    if not project.content.is_dir():
        return frozenset()
    return frozenset(p.relative_to(project.content).as_posix() for p in project.content.rglob("*.md"))


def site_digest(project: Project, vandaag: dt.date) -> str:
    """A digest of what every generated file may depend on besides the data: the engine, the
    vocabulary, mkdocs.yml, the abbreviations, the guidance pages and the day (generator.reuse)."""
    config = project.config.read_bytes() if project.config.is_file() else b""
    return digest_of(reuse.engine_digest(), project.vocabulary.read_bytes(), config,
                           project.abbreviations(), sorted(guidance(project)), vandaag.isoformat())


def generate(project: Project, dataset: Dataset,
             say: Callable[[str], None] = lambda _m: None) -> tuple[dict[str, str | bytes], Analyses]:
    """Stages 2 to 4: every generated file of the site (by path relative to the docs folder),
    and the analyses they were made from."""
    files, results, _memo = generate_reusing(project, dataset, None, None, say)
    return files, results  # type: ignore[return-value]  # without a memo nothing is Unchanged


def generate_reusing(project: Project, dataset: Dataset, memo: reuse.Memo | None, published: dict[str, str] | None,
                     say: Callable[[str], None] = lambda _m: None, ready: Ready | None = None,
                     ) -> tuple[dict[str, str | bytes | Unchanged], Analyses, reuse.Memo]:
    """Stages 2 to 4, making again only the municipalities and organisations whose files the data
    changes may change since the build that left `memo` (generator.reuse); `published`: the
    digests of the files that build left in the docs folder. The files it keeps are `Unchanged`;
    the analyses hold every chain's scan report and the verwijswijzer answers it made. Returns
    the memo of this build too. `ready`: told of files that are final while the rest is made
    (render_site)."""
    say(f"2/4 Keten opbouwen: {meervoud(len(dataset.organisaties), 'organisatie', 'organisaties')}, "
        f"{meervoud(len(dataset.ketens), 'gemeente', 'gemeenten')} ...")
    graph = build_graph(dataset)
    site_settings, vandaag = settings(project)[0], dt.date.today()
    site = site_digest(project, vandaag)
    prints = reuse.fingerprints(dataset, graph, site)
    plan = reuse.plan(prints, memo, published)
    if plan.scope.ketens is None or plan.scope.ketens:
        say("    Ketenscan en verwijswijzer: de antwoorden voor elk profiel in elke gemeente berekenen ...")
    made = analyse(dataset, graph, site_settings.threshold(vandaag), plan.scope)
    results = Analyses(scan=report_order(dataset, {**plan.reports, **made.scan}), verwijswijzer=made.verwijswijzer)
    say("3/4 Pagina's en kaarten maken ...")
    files: dict[str, str | bytes | Unchanged] = dict(render_site(SiteContext(
        dataset=dataset, graph=graph, scan=results.scan, verwijswijzer=results.verwijswijzer,
        abbreviations=project.abbreviations(), guidance=guidance(project), settings=site_settings, vandaag=vandaag,
        scope=plan.scope), ready))
    files.update(plan.kept)
    return files, results, reuse.remember(prints, dataset, files, results.scan, memo)


def _generate_into(publisher: Publisher, project: Project, say: Callable[[str], None]) -> _Generated:
    """Stages 1 to 4 and writing the work folder; run in a child process by `build`."""
    dataset = load_project(project)
    published = publisher.published()
    memo = reuse.read_memo(project.work) if published is not None else None
    freeze_loaded()  # this child loads once and ends: keep the garbage collector off the loaded data
    # Files that are final early are written while the rest is made (on a build from scratch).
    generated, results, new_memo = generate_reusing(project, dataset, memo, published, say, publisher.write_early)
    kept = sum(isinstance(content, Unchanged) for content in generated.values())
    say(f"4/4 Site bouwen met MkDocs ({len(generated)} gegenereerde bestanden"
        + (f", waarvan {kept} ongewijzigd overgenomen" if kept else "") + ") ...")
    changes = publisher.write(generated, new_memo.file_digests())  # digests made once, for the memo
    reuse.write_memo(project.work, new_memo)
    return _Generated(len(dataset.organisaties), len(dataset.ketens), len(results.findings), len(generated), changes)


def build(project: Project, say: Callable[[str], None] = lambda _m: None, force: bool = False) -> BuildReport:
    """The whole pipeline into project.out. On DataErrors or PublishError the previous site stays.
    `force` lets the site replace an output folder that is not an earlier Ketenkaart site.

    Stages 1 to 4 run in a child process, so their memory is free again before MkDocs runs; only
    files whose content changed are written, and MkDocs renders only the changed pages when that
    gives the same site (generator.publish.mkdocs.Publisher)."""
    started = time.perf_counter()
    say(f"1/4 Gegevens lezen uit {project.data} ...")
    with Publisher(project, force) as publisher:
        publisher.start_runner()  # MkDocs starts while the generator works
        made = run_forked(_generate_into, publisher, project, say)
        rendered = time.perf_counter()
        how = publisher.site(made.changes)
    done = time.perf_counter()
    return BuildReport(made.organisaties, made.ketens, made.bevindingen, made.bestanden,
                       rendered - started, done - rendered, how, len(made.changes.changed))
