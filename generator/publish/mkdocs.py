"""Stage 5: write the docs folder to disk and build the site with MkDocs.

The docs folder is plain Markdown and assets (guidance from content/ plus the rendered files),
written before MkDocs runs, so any tool that reads mkdocs.yml can build it. The site is built
into a fresh folder beside the target and swapped in only when MkDocs succeeds: a failed build
leaves the previous site as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import posixpath
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import IO

import yaml

from generator import urls
from generator.model import Unchanged, digest
from generator.project import ABBREVIATIONS_FILE, Project, engine_path
from generator.publish.partial import KEPT_AS_THEY_WERE, NEEDS_FULL, SEARCH_INDEX, check_anchors, linked_copy, \
    merged_search_index
from generator.publish.safety import FRESH, MARKER, SPARE, MkDocsError, PublishError, check_target, clean_leftovers, die_with_parent, \
    project_lock, swap_in


# A Markdown link in guidance text to a municipality's chain page: [tekst](../gemeenten/zwolle.md#x),
# with the attribute list that may follow it ({ .md-button }, {: .x }) as group 5.
CHAIN_LINK_RE = re.compile(r"\[([^\]\n]+)\]\(((?:\.\./)*" + re.escape(urls.GEMEENTEN) + r"/([a-z0-9-]+)\.md)(#[^)\s]*)?\)(\{:?[^{}\n]*\})?")
DOCS_DIR = "docs"  # the docs folder in the work folder
DOCS = DOCS_DIR + "/"  # how paths in the work folder to its files start
WORK_FOLDERS = (DOCS_DIR, "includes", "overrides")  # what docs_tree fills in the work folder




def docs_tree(generated: dict[str, str | bytes | Unchanged], project: Project) -> dict[str, bytes | Unchanged]:
    """What the work folder should hold, by path relative to it: docs/ (the project's content/
    plus the generated files; an `Unchanged` one stays as the previous build wrote it),
    includes/ (the engine's snippets, the generated settings snippets
    at '../includes/ketenkaart/' and the project's own) and
    overrides/ (the engine's theme overrides)."""
    tree: dict[str, bytes | Unchanged] = {}

    def add(folder: Path, prefix: str) -> None:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    tree[f"{prefix}/{path.relative_to(folder).as_posix()}"] = path.read_bytes()

    add(project.content, DOCS_DIR)
    for rel, data in tree.items():
        if rel.endswith(".md"):
            text = data.decode("utf-8")
            if (new := unlink_missing_chain_links(text, set(generated))) != text:
                tree[rel] = new.encode("utf-8")
    for rel, data in generated.items():
        key = work_path(rel)
        if key in tree:
            raise PublishError(f"{rel} bestaat al in content/; gegenereerde pagina's mogen niet overschreven worden")
        tree[key] = data if isinstance(data, (bytes, Unchanged)) else data.encode("utf-8")
    add(engine_path("includes"), "includes")
    add(project.includes, "includes")
    add(engine_path("overrides"), "overrides")
    return tree


def work_path(rel: str) -> str:
    """Where the generated file `rel` (relative to the docs folder) goes in the work folder:
    under docs/, or for '../includes/...' (the settings snippets) under includes/."""
    return posixpath.normpath(DOCS + rel)


def write_docs(generated: dict[str, str | bytes], project: Project) -> Path:
    """Fill the work folder from scratch (see docs_tree); returns its docs folder."""
    sync_work(docs_tree(generated, project), project.work, previous=None)
    return project.work / DOCS_DIR


def clear_work(work_dir: Path) -> None:
    """Remove what docs_tree fills in the work folder, before it is written afresh."""
    for folder in WORK_FOLDERS:
        if (work_dir / folder).exists():
            shutil.rmtree(work_dir / folder)


def write_files(tree: dict[str, bytes], work_dir: Path) -> None:
    """Write files into the work folder, by path relative to it."""
    root = os.fspath(work_dir)
    # Thousands of files in a few hundred folders: each folder made once, each file written with
    # plain os calls (pathlib's objects and a mkdir per file cost about half a second nationally).
    for folder in sorted({posixpath.dirname(rel) for rel in tree}):
        os.makedirs(os.path.join(root, folder), exist_ok=True)
    for rel, data in tree.items():
        with open(os.path.join(root, rel), "wb") as handle:
            handle.write(data)


def sync_work(tree: dict[str, bytes | Unchanged], work_dir: Path, previous: dict[str, str] | None,
              digests: dict[str, str] | None = None,
              written: set[str] | None = None) -> tuple[dict[str, str], list[str], list[str]]:
    """Make work/{docs,includes,overrides} hold exactly `tree`.

    With the digests of the previous build (`previous`), only files whose content changed are
    written (the others keep their modification time, which MkDocs' incremental mode reads) and
    files that are no longer generated are removed. Without them everything is written afresh,
    but for `written`: the paths (relative to the work folder) that were written into the cleared
    work folder already (Publisher.write_early); they are not written again, and one that is not
    in `tree` is removed. Their content must be that of `tree`.
    An `Unchanged` file must be there as the previous build left it.
    `digests`: those of the tree's files when the caller has them (tree_digests).
    Returns the new digests, the changed paths (new or different) and the removed paths."""
    digests = digests if digests is not None else tree_digests(tree)
    if previous is None:
        if written is None:
            clear_work(work_dir)
        previous = {}
    written = set() if written is None else written
    root = os.fspath(work_dir)
    changed = [rel for rel, digest in digests.items()
               if previous.get(rel) != digest or not os.path.isfile(os.path.join(root, rel))]
    if gone := [rel for rel in changed if isinstance(tree[rel], Unchanged)]:
        raise PublishError(f"{work_dir / gone[0]} is veranderd of verdwenen sinds de vorige build; "
                           "bouw opnieuw (de werkmap is door iets anders dan Ketenkaart gewijzigd)")
    removed = sorted(set(previous) - set(digests))
    for rel in removed:
        (work_dir / rel).unlink(missing_ok=True)
    for rel in written - tree.keys():  # written early, then not generated after all
        (work_dir / rel).unlink(missing_ok=True)
    write_files({rel: tree[rel] for rel in changed if rel not in written}, work_dir)  # type: ignore[misc]
    return digests, sorted(changed), removed


def tree_digests(tree: dict[str, bytes | Unchanged], known: dict[str, str] | None = None) -> dict[str, str]:
    """The digest of every file of the work folder's tree; `known`: digests the generator has
    already computed, by path in the tree (an `Unchanged` file carries its own)."""
    known = known or {}
    return {rel: data.digest if isinstance(data, Unchanged) else known.get(rel) or digest(data)
            for rel, data in tree.items()}


def unlink_missing_chain_links(text: str, generated: set[str]) -> str:
    """Guidance may point at example chains (Zwolle, Almere); with other data those pages do
    not exist. Such links become plain text, so any data set builds with --strict."""

    def exists(match: re.Match) -> bool:
        return urls.gemeente_bron(match.group(3)) in generated or match.group(3) == "index"

    def keep_or_unlink(match: re.Match) -> str:
        # The link text stays; its attribute list goes with the link, or it would show as text.
        return match.group(0) if exists(match) else match.group(1)

    def line_without_missing_buttons(line: str) -> str | None:
        """A line that is only a link styled as a button ({ .md-button }) to a missing chain goes
        as a whole: as plain text it would be a stray sentence ('Bekijk de keten ...')."""
        match = CHAIN_LINK_RE.fullmatch(line.strip())
        if match and match.group(5) and not exists(match):
            return None
        return CHAIN_LINK_RE.sub(keep_or_unlink, line)

    if "](" not in text:
        return text
    kept = [new_line for line in text.split("\n") if (new_line := line_without_missing_buttons(line)) is not None]
    return "\n".join(kept)


def derived_config(project: Project, site_dir: Path) -> Path:
    """The project's mkdocs.yml with every path made absolute, so MkDocs can run from any folder.

    The abbreviations file that pymdownx.snippets appends to every page (auto_append) becomes
    the glossary of the abbr extension instead: the same explanations on every page (the engine's
    and the project's, as the glossary page lists them), without reading and parsing the file
    again for each of 10,000 pages (at 40 municipalities MkDocs took 12-15% less time)."""
    work_dir = project.work
    try:
        config = yaml.safe_load(project.config.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PublishError(f"{project.config}: kan niet gelezen worden ({exc})") from None
    if not isinstance(config, dict) or not isinstance(config.get("theme"), dict):
        raise PublishError(f"{project.config}: verwacht een MkDocs-configuratie met een blok 'theme'")
    config["docs_dir"] = str(work_dir / DOCS_DIR)
    config["site_dir"] = str(site_dir)
    config["theme"]["custom_dir"] = str(work_dir / "overrides")
    extensions = config.get("markdown_extensions") or []
    glossary = None
    for ext in extensions:
        if isinstance(ext, dict) and "pymdownx.snippets" in ext:
            options = ext["pymdownx.snippets"] = ext["pymdownx.snippets"] or {}
            options["base_path"] = [str(work_dir / "includes")]
            appended = options.get("auto_append") or []
            if ABBREVIATIONS_FILE in appended:
                options["auto_append"] = [name for name in appended if name != ABBREVIATIONS_FILE]
                glossary = dict(project.abbreviations())
    if glossary is not None:
        at = next((i for i, ext in enumerate(extensions) if ext == "abbr" or (isinstance(ext, dict) and "abbr" in ext)),
                  None)
        own = (extensions[at].get("abbr") or {}) if at is not None and isinstance(extensions[at], dict) else {}
        abbr = {"abbr": {**own, "glossary": {**glossary, **(own.get("glossary") or {})}}}
        if at is None:
            extensions.append(abbr)
        else:
            extensions[at] = abbr
    path = work_dir / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run_mkdocs(config_path: Path) -> str:
    result = subprocess.run(
        # Not --quiet: MkDocs counts warnings for --strict only at the normal log level.
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_path)],
        capture_output=True, text=True, cwd=config_path.parent,
        env=mkdocs_environment(),
        preexec_fn=die_with_parent,  # a killed build takes MkDocs with it
    )
    if result.returncode != 0:
        problems = [line for line in result.stderr.splitlines() if not line.startswith("INFO")]
        raise MkDocsError("\n".join(problems).strip() or "mkdocs build mislukte")
    return result.stderr


STATE = ".ketenkaart-stand.json"  # in the work folder: what the last published build was made of
MAX_INCREMENTAL_SHARE = 0.3  # above this share of changed pages a full build is as quick
TAG_LISTING = "<!-- material/tags"
SPLIT_FROM_PAGES = 1500  # a full build of this many pages or more runs MkDocs in parts (mkdocs_parts)


@dataclass(frozen=True)
class WorkChanges:
    """What writing the work folder changed (plain data: it crosses from the generator's process)."""

    digests: dict[str, str]
    changed: list[str]
    removed: list[str]
    incremental: bool  # the previous build is known and the change allows rebuilding pages only
    pages: int  # Markdown pages in docs/
    tagged: list[str]  # pages (relative to docs/) with tags or a tag listing: every MkDocs part reads them


def environment(project: Project) -> str:
    """Everything outside the work folder that shapes every page: the project's mkdocs.yml and
    the versions of MkDocs, the theme and the engine."""
    parts = [project.config.read_bytes() if project.config.is_file() else b""]
    for dist in ("mkdocs", "mkdocs-material", "ketenkaart"):
        try:
            parts.append(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            parts.append(dist.encode())
    return digest(b"\0".join(parts))


def _tags(markdown: bytes) -> object:
    """The tags in a page's front matter (None without front matter)."""
    if not markdown.startswith(b"---\n") or b"tags:" not in markdown[:8192]:
        return None
    text = markdown.decode("utf-8", errors="replace")
    if not text.startswith("---\n") or (end := text.find("\n---", 4)) < 0:
        return None
    try:
        meta = yaml.safe_load(text[4:end])
    except yaml.YAMLError:
        return None
    return meta.get("tags") if isinstance(meta, dict) else None


@contextlib.contextmanager
def _work_errors(work: Path):
    """Problems writing the work folder, as a Dutch PublishError that names the file."""
    try:
        yield
    except PermissionError as exc:
        raise PublishError(f"geen schrijfrechten voor {exc.filename or work}; kies met --werkmap "
                           "een map waarin u mag schrijven") from None
    except OSError as exc:
        raise PublishError(f"{exc.filename or work}: {exc.strerror or exc}") from None


class Publisher:
    """Stage 5 in two steps, inside one lock on the work folder:

        with Publisher(project, force) as publisher:
            changes = publisher.write(generated)   # may run in another process (plain data back)
            publisher.site(changes)               # MkDocs, then the new site is swapped in

    `write` writes only files whose content changed; `site` then lets MkDocs render only the
    changed pages when that gives the same site as a full build (see partial.py), and
    otherwise builds in full. The previous site stays until the new one is complete."""

    def __init__(self, project: Project, force: bool = False):
        self.project, self.force = project, force
        self.previous: dict | None = None
        self._lock = None
        self._waiting: _Runner | None = None  # Publisher.start_runner
        self._early: dict[str, str | bytes] | None = None  # what write_early wrote, by path relative to the docs folder

    def __enter__(self) -> "Publisher":
        out = self.project.out
        check_target(out, self.force)
        self._lock = project_lock(self.project.work)
        self._lock.__enter__()
        try:
            clean_leftovers(out)
            self.previous = self._read_state()
        except BaseException:
            self._lock.__exit__(*sys.exc_info())
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self._waiting is not None:  # not needed after all (nothing changed, or bad data)
                _stop(*self._take_runner())
        finally:
            self._lock.__exit__(*exc)

    def start_runner(self) -> None:
        """Start the MkDocs runner of an incremental build now (generator.publish.partial, waiting
        for its instructions), so that starting Python and importing MkDocs happen while the
        generator works; only when there is a previous site to build on."""
        if self._waiting is not None or self.previous is None:
            return
        log = open(self.project.work / "deel-0.log", "w+", encoding="utf-8")
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "generator.publish.partial", "-", str(self.project.config)],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log, cwd=self.project.work,
                env=mkdocs_environment(), preexec_fn=die_with_parent, text=True)
        except OSError:
            log.close()
            return
        self._waiting = (proc, log)

    def _take_runner(self) -> _Runner | None:
        waiting, self._waiting = self._waiting, None
        return waiting

    def _read_state(self) -> dict | None:
        try:
            state = json.loads((self.project.work / STATE).read_text(encoding="utf-8"))
            marker = (self.project.out / MARKER).stat()
        except (OSError, ValueError):
            return None
        if not isinstance(state, dict) or state.get("site") != str(self.project.out) \
                or state.get("merk") != [marker.st_ino, marker.st_mtime_ns] \
                or state.get("omgeving") != environment(self.project) or not isinstance(state.get("bestanden"), dict):
            return None
        return state

    def published(self) -> dict[str, str] | None:
        """The digests of the generated files in the docs folder as the previous build left them,
        by path relative to it; None when the previous build is not known."""
        if not self.previous or not isinstance(self.previous.get("getagd"), list):
            return None
        return {rel.removeprefix(DOCS): d for rel, d in self.previous["bestanden"].items() if rel.startswith(DOCS)}

    def write_early(self, generated: dict[str, str | bytes]) -> None:
        """Generated files that are final while the rest is still being made (by path relative to
        the docs folder), so that writing them overlaps the making. Written now only when no
        earlier build is known, when `write` writes every file afresh anyway; `write` then keeps
        those it is given with the same content, writes again those it is given with other
        content and removes the others. With an earlier build known this does nothing: `write`
        compares every file with what that build left."""
        if self.previous is not None or not generated:
            return
        with _work_errors(self.project.work):
            if self._early is None:
                (self.project.work / STATE).unlink(missing_ok=True)
                clear_work(self.project.work)
                self._early = {}
            write_files({work_path(rel): data if isinstance(data, bytes) else data.encode("utf-8")
                         for rel, data in generated.items()}, self.project.work)
            self._early.update(generated)  # the same objects as the caller's: no copy

    def write(self, generated: dict[str, str | bytes | Unchanged], known: dict[str, str] | None = None) -> WorkChanges:
        """Make the work folder hold the generated files (sync_work). `known`: the digests of
        generated files the generator has computed already (generator.reuse keeps them in its
        memo), by path relative to the docs folder; they are not computed again."""
        with _work_errors(self.project.work):
            tree = docs_tree(generated, self.project)
            digests = tree_digests(tree, {work_path(rel): d for rel, d in (known or {}).items()})
            # From here until a new site is in place, the work folder no longer matches a site.
            (self.project.work / STATE).unlink(missing_ok=True)
            previous = self.previous["bestanden"] if self.previous else None
            work = self.project.work
            old_tags = {rel: _tags((work / rel).read_bytes()) for rel, data in tree.items()
                        if previous and rel.endswith(".md") and rel in previous and not isinstance(data, Unchanged)
                        and previous[rel] != digests[rel] and (work / rel).is_file()}
            written = None if self._early is None else {
                work_path(rel) for rel, data in self._early.items()
                if rel not in generated or generated[rel] is data or generated[rel] == data}
            digests, changed, removed = sync_work(tree, work, previous, digests, written)
        pages = sum(rel.endswith(".md") for rel in digests)
        changed_pages = [rel for rel in changed if rel.endswith(".md")]
        incremental = (previous is not None and not removed
                       and all(rel in previous and rel.startswith(DOCS) for rel in changed)
                       and all(old_tags.get(rel) == _tags(tree[rel]) for rel in changed_pages)
                       and not any(TAG_LISTING.encode() in tree[rel] for rel in changed_pages)
                       and len(changed_pages) <= MAX_INCREMENTAL_SHARE * pages)
        was_tagged = set(self.previous.get("getagd", ())) if self.previous else set()
        tagged = sorted(rel.removeprefix(DOCS) for rel, data in tree.items() if rel.endswith(".md") and (
            rel.removeprefix(DOCS) in was_tagged if isinstance(data, Unchanged)
            else _tags(data) or TAG_LISTING.encode() in data))
        return WorkChanges(digests, changed, removed, incremental, pages, tagged)

    def site(self, changes: WorkChanges) -> str:
        """Build and swap in the site; returns how: 'ongewijzigd', 'incrementeel' or 'volledig'."""
        project, out = self.project, self.project.out
        try:
            if changes.incremental and not changes.changed and out.is_dir():
                how = "ongewijzigd"
            else:
                out.parent.mkdir(parents=True, exist_ok=True)
                fresh = out.parent / (FRESH.format(name=out.name) + str(os.getpid()))
                spare = out.parent / SPARE.format(name=out.name)  # the site before the last incremental build
                try:
                    how = "volledig"
                    if changes.incremental:
                        if spare.is_dir() and not spare.is_symlink():
                            spare.rename(fresh)  # linked_copy then links again only what changed since
                        linked_copy(out, fresh)
                        pages = [rel.removeprefix(DOCS) for rel in changes.changed if rel.endswith(".md")]
                        if run_incremental(project, fresh, pages, self._take_runner()):
                            how = "incrementeel"
                        else:
                            shutil.rmtree(fresh)
                    if how == "volledig" and (parts := mkdocs_parts(changes.pages)) > 1:
                        run_in_parts(project, fresh, parts, changes.tagged, self._take_runner())
                    elif how == "volledig":
                        run_mkdocs(derived_config(project, fresh))
                    if how == "volledig" and spare.is_symlink():
                        spare.unlink()
                    elif how == "volledig" and spare.is_dir():
                        shutil.rmtree(spare, ignore_errors=True)  # it shares nothing with a full build
                    swap_in(fresh, out, keep=spare)
                    if how == "volledig":
                        # A linked copy of the new site for the next incremental build to start from,
                        # made of the replaced site when there was one: quicker than removing it
                        # (at 342 x 30: 0.7 s, removing it 1.1-2.9 s; 1.2 s without one).
                        linked_copy(out, spare)
                finally:
                    shutil.rmtree(fresh, ignore_errors=True)
            marker = (out / MARKER).stat()
            state = {"site": str(out), "merk": [marker.st_ino, marker.st_mtime_ns],
                     "omgeving": environment(project), "bestanden": changes.digests, "getagd": changes.tagged}
            (project.work / STATE).write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
            return how
        except PermissionError as exc:
            raise PublishError(f"geen schrijfrechten voor {exc.filename or out}; kies met --out of --werkmap "
                               "een map waarin u mag schrijven") from None
        except OSError as exc:
            raise PublishError(f"{exc.filename or out}: {exc.strerror or exc}") from None


_Runner = tuple[subprocess.Popen, IO[str]]  # a MkDocs runner started early, and its log


def _stop(proc: subprocess.Popen, log: IO[str]) -> None:
    """End a runner that was started early and is not needed: it has built nothing yet."""
    try:
        proc.kill()
        proc.wait()
        if proc.stdin is not None:
            proc.stdin.close()
    except OSError:
        pass
    finally:
        log.close()


def _run_parts(project: Project, config_path: Path, jobs: list[dict],
               waiting: _Runner | None = None) -> list[dict] | None:
    """Run generator.publish.partial once per job, all at the same time; their reports, or None
    when an incremental build turned out not to be possible. `waiting`: a runner started early
    (Publisher.start_runner), which takes the first job."""
    running = []
    try:
        for i, job in enumerate(jobs):
            job = {**job, "config": str(config_path), "report": str(project.work / f"deel-{i}.json")}
            instructions = project.work / f"deel-{i}-opdracht.json"
            instructions.write_text(json.dumps(job), encoding="utf-8")
            if i == 0 and waiting is not None and config_path.parent == project.work:
                proc, log = waiting
                waiting = None
                try:
                    proc.stdin.write(f"{instructions}\n")
                    proc.stdin.close()
                    running.append((job, log, proc))
                    continue
                except OSError:  # it ended before it was needed: start one now
                    _stop(proc, log)
            log = open(project.work / f"deel-{i}.log", "w+", encoding="utf-8")
            running.append((job, log, subprocess.Popen(
                [sys.executable, "-m", "generator.publish.partial", str(instructions)],
                stdout=subprocess.DEVNULL, stderr=log, cwd=config_path.parent, env=mkdocs_environment(),
                preexec_fn=die_with_parent)))
        codes = [proc.wait() for _job, _log, proc in running]
        if NEEDS_FULL in codes:
            return None
        if any(codes):
            problems = []
            for _job, log, _proc in running:
                log.seek(0)
                problems += [line for line in log.read().splitlines() if not line.startswith("INFO")]
            raise MkDocsError("\n".join(dict.fromkeys(problems)).strip() or "mkdocs build mislukte")
        return [json.loads(Path(job["report"]).read_text(encoding="utf-8")) for job, _log, _proc in running]
    finally:
        if waiting is not None:
            _stop(*waiting)
        for _job, log, proc in running:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            log.close()


def run_incremental(project: Project, site: Path, pages: list[str],
                    waiting: _Runner | None = None) -> bool:
    """Render only `pages` into `site` (a copy of the previous site). False when a full build is
    needed instead (a changed page is in the navigation). `waiting`: see _run_parts."""
    config_path = derived_config(project, site)
    return _run_parts(project, config_path, [{"site_dir": str(site), "changed": pages}], waiting) is not None


def run_in_parts(project: Project, site: Path, parts: int, read: list[str],
                 waiting: _Runner | None = None) -> None:
    """A full build by `parts` MkDocs processes at once, each rendering a share of the pages; the
    result is moved together in `site` (see partial.py)."""
    config_path = derived_config(project, site)
    folders = [site] + [site.parent / f"{site.name}.deel{k}" for k in range(1, parts)]
    try:
        reports = _run_parts(project, config_path, [{"site_dir": str(folder), "deel": [k, parts], "read": read}
                                                    for k, folder in enumerate(folders)], waiting)
        if reports[0]["anchor_level"] >= logging.WARNING and (problems := check_anchors(reports)):
            raise MkDocsError("\n".join(f"WARNING -  {p}" for p in problems)
                              + f"\nAborted with {len(problems)} warnings in strict mode!")
        indexes = [(json.loads((folder / SEARCH_INDEX).read_text(encoding="utf-8")), set(report["written"]))
                   for folder, report in zip(folders, reports)]
        for folder in folders[1:]:
            for path in sorted(folder.rglob("*")):
                rel = path.relative_to(folder)
                if path.is_file() and rel != SEARCH_INDEX and rel.as_posix() not in KEPT_AS_THEY_WERE:
                    (site / rel).parent.mkdir(parents=True, exist_ok=True)
                    os.replace(path, site / rel)
        (site / SEARCH_INDEX).write_text(merged_search_index(indexes, reports[0]["order"]), encoding="utf-8")
    finally:
        for folder in folders[1:]:
            shutil.rmtree(folder, ignore_errors=True)


def mkdocs_parts(pages: int) -> int:
    """How many MkDocs processes a full build uses: one for a small site, one per core (at most
    four) from SPLIT_FROM_PAGES pages on."""
    return 1 if pages < SPLIT_FROM_PAGES else max(1, min(4, os.cpu_count() or 1))


def mkdocs_environment() -> dict[str, str]:
    """MkDocs' environment: the build date (sitemap) is the day of the build, so two builds of the
    same data on one day give the same files."""
    today = dt.datetime.now(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": str(int(today.timestamp()))}


def publish(generated: dict[str, str | bytes], project: Project, force: bool = False) -> str:
    """Build the site into project.out, replacing what was there only on success (see Publisher).

    One build per project at a time (a lock on the work folder); the output must be absent, empty
    or an earlier Ketenkaart site unless `force`; the new site is swapped in atomically."""
    with Publisher(project, force) as publisher:
        return publisher.site(publisher.write(generated))
