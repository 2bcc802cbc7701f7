"""MkDocs builds of part of the pages: incremental builds and builds split over several processes.

MkDocs builds one page after another in one process. For a national site (10,000 pages, nearly
all organisation pages outside the menu) this runner lets the publish stage do two things with
MkDocs' own build function, unchanged:

* **incremental**: render only the pages whose Markdown changed, into a copy of the previous
  site; the search index keeps the entries of the other pages;
* **in parts** (`deel` k of n): n processes each render a share of the pages outside the menu
  into their own folder (part 0 also the menu's pages, the theme's files and the static files);
  the publish stage moves the parts together and merges their search indexes.

Every process reads all pages in the menu (their titles make up the menu on every page) and every
page with tags (the tag listing needs them all), so what it writes is what a clean build writes;
a test compares the two byte for byte. MkDocs checks anchors only in pages it rendered; each
process reports the anchors and the links to anchors it saw, and the caller checks the links
between parts (`check_anchors`).

    python -m generator.publish.partial INSTRUCTIONS.json
    python -m generator.publish.partial - MKDOCS.yml      (started early; the instructions' path on stdin)

INSTRUCTIONS: {"config": mkdocs.yml, "site_dir": folder, "changed": [pages] or null,
"deel": [k, n] or null, "read": [pages every process reads], "report": file to write}.
Exit status NEEDS_FULL: an incremental build is not possible (a page in the menu changed).
"""

from __future__ import annotations

import builtins
import contextlib
import io
import json
import logging
import os
import shutil
import sys
from pathlib import Path

NEEDS_FULL = 3
SEARCH_INDEX = Path("search") / "search_index.json"
KEPT_AS_THEY_WERE = ("tags.json",)  # written from every page's tags; kept when no tags changed


def linked_copy(site: Path, copy: Path) -> None:
    """Make `copy` hold what `site` holds, for an incremental build: hard links to the same files
    (as quick as the folders are many, not the bytes), or real copies where links cannot be made.
    When `copy` exists (the site before the previous build, which swap_in keeps), only what differs
    is linked again. The runner replaces a file before it writes it (_separate_on_write), so the
    site that stays in use until the new one is swapped in is never written to."""
    if copy.is_dir() and not copy.is_symlink():
        _resync(site, copy)
    else:
        if copy.is_symlink() or copy.exists():
            _remove(copy)
        shutil.copytree(site, copy, symlinks=True, copy_function=_link)


def _link(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _remove(path: str | Path) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def _resync(site: Path, copy: Path) -> None:
    """Make the folder `copy` an exact linked copy of `site`: an entry that is the same file (the
    same inode), the same folder or the same symbolic link stays; anything else goes or comes."""
    theirs = {entry.name: entry for entry in os.scandir(copy)}
    for entry in os.scandir(site):
        other = theirs.pop(entry.name, None)
        target = copy / entry.name
        if entry.is_dir(follow_symlinks=False):
            if other is not None and not other.is_dir(follow_symlinks=False):
                _remove(other.path)
                other = None
            if other is None:
                os.mkdir(target)
            _resync(Path(entry.path), target)
        elif entry.is_symlink():
            if other is None or not other.is_symlink() or os.readlink(other.path) != os.readlink(entry.path):
                if other is not None:
                    _remove(other.path)
                os.symlink(os.readlink(entry.path), target)
        else:
            mine = entry.stat(follow_symlinks=False)
            same = other is not None and other.is_file(follow_symlinks=False) and not other.is_symlink() and \
                (lambda st: (st.st_dev, st.st_ino) == (mine.st_dev, mine.st_ino))(other.stat(follow_symlinks=False))
            if not same:
                if other is not None:
                    _remove(other.path)
                _link(entry.path, target)
    for other in theirs.values():
        _remove(other.path)


@contextlib.contextmanager
def _separate_on_write(site_dir: Path):
    """While MkDocs and its plugins build into a linked copy (linked_copy): every file below
    `site_dir` that is opened for writing and still shares its content with the previous site gets
    a content of its own first (removed when it is written anew, copied when it is added to or
    changed in place). Python's `open` is the way MkDocs, the theme's plugins, shutil and pathlib
    write files."""
    root = os.path.realpath(site_dir) + os.sep
    original_open, original_io_open = builtins.open, io.open

    def separated(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)) and any(c in mode for c in "wax+"):
            path = os.path.abspath(os.fsdecode(file))
            try:  # the folder resolved (the site may be reached through a symbolic link), not the file
                shared = os.path.join(os.path.realpath(os.path.dirname(path)), "").startswith(root) \
                    and os.lstat(path).st_nlink > 1 and not os.path.islink(path)
            except OSError:
                shared = False
            if shared:
                if "w" in mode:
                    os.unlink(path)
                else:
                    own = path + ".eigen"
                    shutil.copy2(path, own)
                    os.replace(own, path)
        return original_open(file, mode, *args, **kwargs)

    builtins.open = io.open = separated
    try:
        yield
    finally:
        builtins.open, io.open = original_open, original_io_open


class _DropDirtyWarning(logging.Filter):
    """MkDocs warns about every 'dirty' build (a build into a folder it does not empty first);
    in strict mode that warning would stop it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def _page_url(file_url: str) -> str:
    """A page's URL as the search index writes it (the home page is '', not './')."""
    return "" if file_url == "./" else file_url


def merged_search_index(parts: list[tuple[dict, set[str]]], order: list[str]) -> str:
    """One search index from several: each part gives its index and the page URLs whose entries
    to take from it. Pages in build order (`order`), serialised as the search plugin does."""
    by_page: dict[str, list[dict]] = {}
    config = None
    for index, urls in parts:
        config = config or index.get("config")
        for entry in index.get("docs", []):
            url = entry["location"].split("#", 1)[0]
            if url in urls:
                by_page.setdefault(url, []).append(entry)
    docs = [entry for url in order for entry in by_page.get(url, [])]
    return json.dumps({"config": config, "docs": docs}, separators=(",", ":"), default=str)


def check_anchors(reports: list[dict]) -> list[str]:
    """Links to anchors that no page has, across the reports of all parts (MkDocs' wording)."""
    present: dict[str, set[str]] = {}
    for report in reports:
        for page, anchors in report["anchors"].items():
            present.setdefault(page, set()).update(anchors)
    problems = []
    for report in reports:
        for page, targets in report["links"].items():
            for target, links in targets.items():
                for anchor, original in links.items():
                    if target in present and anchor not in present[target]:
                        problem = ("there is no such anchor on this page" if target == page
                                   else f"the doc '{target}' does not contain an anchor '#{anchor}'")
                        problems.append(f"Doc file '{page}' contains a link '{original}', but {problem}.")
    return sorted(set(problems))


def build(instructions: dict) -> int:
    if instructions.get("changed") is None:  # a part of a full build: a folder of its own
        return _build(instructions)
    with _separate_on_write(Path(instructions["site_dir"])):  # incremental: into a linked copy
        return _build(instructions)


def _build(instructions: dict) -> int:
    from mkdocs.commands import build as mk
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort
    from mkdocs.structure.files import Files, get_files
    from mkdocs.structure.nav import get_navigation

    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.addFilter(_DropDirtyWarning())
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())

    def config_of():
        config = load_config(instructions["config"], strict=True)
        config.site_dir = instructions["site_dir"]
        return config

    config = config_of()
    site_dir = Path(config.site_dir)
    probe = config_of()
    files = get_files(probe)
    in_nav = {page.file.src_uri for page in get_navigation(files, probe).pages}
    pages = files.documentation_pages()
    order = [_page_url(f.url) for f in pages]

    changed, part = instructions.get("changed"), instructions.get("deel")
    if changed is not None:
        write = set(changed)
        if write & in_nav:
            return NEEDS_FULL
        shared = True  # a copy of the previous site: its theme and static files are there already
    else:
        k, n = part
        outside = [f.src_uri for f in pages if f.src_uri not in in_nav]
        write = set(outside[k::n]) | (in_nav if k == 0 else set())
        shared = k == 0
    read = in_nav | write | set(instructions.get("read", ()))
    old_index = json.loads((site_dir / SEARCH_INDEX).read_text(encoding="utf-8")) if changed is not None else None
    kept = {rel: (site_dir / rel).read_bytes() for rel in KEPT_AS_THEY_WERE
            if changed is not None and (site_dir / rel).is_file()}

    populate, build_page = mk._populate_page, mk._build_page
    theme_template, extra_template, copy_static = mk._build_theme_template, mk._build_extra_template, Files.copy_static_files
    seen: list = []

    def populate_some(page, config, files, dirty=False):
        if page.file.src_uri in read:
            populate(page, config, files, False)
            seen.append(page)

    def build_some(page, config, doc_files, nav, env, dirty=False, excluded=False):
        if page.file.src_uri in write:
            build_page(page, config, doc_files, nav, env, False, excluded=excluded)

    mk._populate_page, mk._build_page = populate_some, build_some
    if not shared:  # only part 0 writes the theme's pages (404, sitemap) and the static files
        mk._build_theme_template = mk._build_extra_template = lambda *a, **k: None
        Files.copy_static_files = lambda *a, **k: None
    try:
        mk.build(config, dirty=True)
    except Abort as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        mk._populate_page, mk._build_page = populate, build_page
        mk._build_theme_template, mk._build_extra_template, Files.copy_static_files = \
            theme_template, extra_template, copy_static

    written = {_page_url(f.url) for f in pages if f.src_uri in write}
    if old_index is not None:
        new_index = json.loads((site_dir / SEARCH_INDEX).read_text(encoding="utf-8"))
        (site_dir / SEARCH_INDEX).write_text(
            merged_search_index([(old_index, set(order) - written), (new_index, written)], order), encoding="utf-8")
        for rel, data in kept.items():
            (site_dir / rel).write_bytes(data)
    Path(instructions["report"]).write_text(json.dumps({
        "order": order,
        "written": sorted(written),
        "anchors": {page.file.src_uri: sorted(page.present_anchor_ids or ()) for page in seen},
        "links": {page.file.src_uri: {target.src_uri: links for target, links in (page.links_to_anchors or {}).items()}
                  for page in seen if page.file.src_uri in write},
        "anchor_level": int(config.validation.links.anchors),
    }), encoding="utf-8")
    return 0


def warm_up(config_file: str) -> None:
    """Import what a build needs before it is asked for: MkDocs' build and the plugins the
    project's mkdocs.yml names (through MkDocs' own list of installed plugins)."""
    import importlib

    import yaml
    from mkdocs.plugins import get_plugins

    for module in ("mkdocs.commands.build", "mkdocs.config", "mkdocs.structure.files", "mkdocs.structure.nav"):
        importlib.import_module(module)

    try:
        config = yaml.safe_load(Path(config_file).read_text(encoding="utf-8"))
        names = [next(iter(p)) if isinstance(p, dict) else p for p in config.get("plugins", [])]
    except (OSError, yaml.YAMLError, AttributeError, TypeError, StopIteration):
        return
    installed = get_plugins()
    for name in names:
        if isinstance(name, str) and name in installed:
            try:
                installed[name].load()
            except Exception:  # the build itself reports a plugin that cannot load
                pass


def main(argv: list[str] | None = None) -> int:
    """`partial.py INSTRUCTIONS.json`, or `partial.py - MKDOCS.yml`: start now, import what a build
    needs, then read the path of the instructions from standard input (nothing: stop). The
    publish stage starts a runner this way while the generator works, so that the time Python
    and MkDocs take to start is not spent after it."""
    args = argv if argv is not None else sys.argv[1:]
    if args[:1] == ["-"]:
        if len(args) > 1:
            warm_up(args[1])
        instructions_file = sys.stdin.readline().strip()
        if not instructions_file:
            return 0
    else:
        instructions_file = args[0]
    return build(json.loads(Path(instructions_file).read_text(encoding="utf-8")))


if __name__ == "__main__":
    sys.exit(main())
