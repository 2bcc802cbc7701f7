"""Stage 5: write the docs folder to disk and build the site with MkDocs.

The docs folder is plain Markdown and assets (guidance from content/ plus the rendered files),
written before MkDocs runs, so any tool that reads mkdocs.yml can build it. The site is built
into a fresh folder beside the target and swapped in only when MkDocs succeeds: a failed build
leaves the previous site as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from generator import urls
from generator.project import Project, engine_path
from generator.publish.safety import FRESH, MkDocsError, PublishError, check_target, clean_leftovers, die_with_parent, \
    project_lock, swap_in


# A Markdown link in guidance text to a municipality's chain page: [tekst](../gemeenten/zwolle.md#x),
# with the attribute list that may follow it ({ .md-button }, {: .x }) as group 5.
CHAIN_LINK_RE = re.compile(r"\[([^\]\n]+)\]\(((?:\.\./)*" + re.escape(urls.GEMEENTEN) + r"/([a-z0-9-]+)\.md)(#[^)\s]*)?\)(\{:?[^{}\n]*\})?")




def write_docs(generated: dict[str, str | bytes], project: Project) -> Path:
    """Fill work/docs with the project's content/ and the generated files; work/includes with
    the engine's snippets plus the project's own; work/overrides with the engine's theme overrides."""
    work_dir = project.work
    docs = work_dir / "docs"
    for folder in ("docs", "includes", "overrides"):
        if (work_dir / folder).exists():
            shutil.rmtree(work_dir / folder)
    shutil.copytree(project.content, docs)
    includes = work_dir / "includes"
    shutil.copytree(engine_path("includes"), includes)
    if project.includes.is_dir():
        shutil.copytree(project.includes, includes, dirs_exist_ok=True)
    shutil.copytree(engine_path("overrides"), work_dir / "overrides")
    unlink_missing_chains(docs, set(generated))
    for rel, data in generated.items():
        target = docs / rel
        if target.exists():
            raise PublishError(f"{rel} bestaat al in content/; gegenereerde pagina's mogen niet overschreven worden")
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    return docs


def unlink_missing_chains(docs: Path, generated: set[str]) -> None:
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

    for page in docs.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        kept = [new_line for line in text.split("\n") if (new_line := line_without_missing_buttons(line)) is not None]
        new = "\n".join(kept)
        if new != text:
            page.write_text(new, encoding="utf-8")


def derived_config(project: Project, site_dir: Path) -> Path:
    """The project's mkdocs.yml with every path made absolute, so MkDocs can run from any folder."""
    work_dir = project.work
    try:
        config = yaml.safe_load(project.config.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PublishError(f"{project.config}: kan niet gelezen worden ({exc})") from None
    if not isinstance(config, dict) or not isinstance(config.get("theme"), dict):
        raise PublishError(f"{project.config}: verwacht een MkDocs-configuratie met een blok 'theme'")
    config["docs_dir"] = str(work_dir / "docs")
    config["site_dir"] = str(site_dir)
    config["theme"]["custom_dir"] = str(work_dir / "overrides")
    for ext in config.get("markdown_extensions", []):
        if isinstance(ext, dict) and "pymdownx.snippets" in ext:
            ext["pymdownx.snippets"]["base_path"] = [str(work_dir / "includes")]
    path = work_dir / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run_mkdocs(config_path: Path) -> str:
    result = subprocess.run(
        # Not --quiet: MkDocs counts warnings for --strict only at the normal log level.
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_path)],
        capture_output=True, text=True, cwd=config_path.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        preexec_fn=die_with_parent,  # a killed build takes MkDocs with it
    )
    if result.returncode != 0:
        problems = [line for line in result.stderr.splitlines() if not line.startswith("INFO")]
        raise MkDocsError("\n".join(problems).strip() or "mkdocs build mislukte")
    return result.stderr


def publish(generated: dict[str, str | bytes], project: Project, force: bool = False) -> None:
    """Build the site into project.out, replacing what was there only on success.

    One build per project at a time (a lock on the work folder); the output must be absent, empty
    or an earlier Ketenkaart site unless `force`; the new site is swapped in atomically."""
    out = project.out
    check_target(out, force)
    with project_lock(project.work):
        clean_leftovers(out)
        try:
            write_docs(generated, project)
            out.parent.mkdir(parents=True, exist_ok=True)
            fresh = out.parent / (FRESH.format(name=out.name) + str(os.getpid()))
            try:
                run_mkdocs(derived_config(project, fresh))
                swap_in(fresh, out)
            finally:
                shutil.rmtree(fresh, ignore_errors=True)
        except PermissionError as exc:
            raise PublishError(f"geen schrijfrechten voor {exc.filename or out}; kies met --out of --werkmap "
                               "een map waarin u mag schrijven") from None
        except OSError as exc:
            raise PublishError(f"{exc.filename or out}: {exc.strerror or exc}") from None
