"""One settings object for the whole pipeline: where a project keeps its files.

A project is a folder with the data (`organisaties/`, chain files in `organisaties/gemeenten/`),
the guidance pages (`content/`), the MkDocs configuration (`mkdocs.yml`) and, after a build, the
generated Markdown (`build/`) and the site (`site/`). This repository is one such project (the
national example site); `ketenkaart nieuw site DIR` makes another. Nothing in the engine points
into its own source tree for project files: every stage gets its paths from a `Project`.

The engine's own files (Jinja2 templates, theme overrides, assets, the default abbreviations)
come from `engine_path`: inside the installed package (generator/site_templates) or, in this
source checkout, from site_templates/ at the top of the repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

DATA_DIR = "organisaties"
CHAIN_DIR = "gemeenten"  # chain files, inside the data folder
CONTENT_DIR = "content"
INCLUDES_DIR = "includes"  # optional: snippets of the project's own (added to the engine's)
ABBREVIATIONS_FILE = "afkortingen.md"  # in includes/: one `*[AFK]: uitleg` line per abbreviation
CONFIG_FILE = "mkdocs.yml"
VOCABULARY_FILE = "vocabulaire.yaml"  # optional: a project's own vocabulary, instead of the engine's
OUT_DIR = "site"
WORK_DIR = "build"


def engine_path(*parts: str) -> Path:
    """A file or folder of the engine itself (templates, overrides, assets, includes)."""
    installed = _PACKAGE / "site_templates"
    base = installed if installed.is_dir() else _PACKAGE.parent / "site_templates"
    return base.joinpath(*parts)


def read_abbreviations(path: Path) -> list[tuple[str, str]]:
    """The `*[AFK]: uitleg` lines of an abbreviations snippet."""
    result = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("*[") and "]:" in line:
                key, _, text = line[2:].partition("]:")
                result.append((key.strip(), text.strip()))
    return sorted(result, key=lambda kv: kv[0].casefold())


@dataclass(frozen=True)
class Project:
    """Where one site's files are. All paths are absolute."""

    root: Path
    data: Path
    out: Path
    work: Path

    @classmethod
    def at(cls, root: Path | str | None = None, data: Path | str | None = None,
           out: Path | str | None = None, work: Path | str | None = None) -> "Project":
        """The project in `root` (default: the working folder); data, out and work may be
        placed elsewhere (relative paths are taken from the working folder, as a shell would)."""
        base = Path(root).resolve() if root is not None else Path.cwd().resolve()
        return cls(
            root=base,
            data=Path(data).resolve() if data is not None else base / DATA_DIR,
            out=Path(out).resolve() if out is not None else base / OUT_DIR,
            work=Path(work).resolve() if work is not None else base / WORK_DIR,
        )

    @property
    def config(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def content(self) -> Path:
        return self.root / CONTENT_DIR

    @property
    def includes(self) -> Path:
        return self.root / INCLUDES_DIR

    def abbreviations(self) -> list[tuple[str, str]]:
        """The engine's abbreviations with the project's own added (includes/afkortingen.md), as
        the glossary lists them and every page explains them."""
        found = dict(read_abbreviations(engine_path(INCLUDES_DIR, ABBREVIATIONS_FILE)))
        found.update(read_abbreviations(self.includes / ABBREVIATIONS_FILE))
        return sorted(found.items(), key=lambda kv: kv[0].casefold())

    @property
    def vocabulary(self) -> Path:
        """The vocabulary the data is checked against: the project's own vocabulaire.yaml when it
        has one (a copy of the engine's with terms added), else the engine's."""
        own = self.root / VOCABULARY_FILE
        return own if own.is_file() else _PACKAGE / "domain" / VOCABULARY_FILE

    def missing(self) -> list[str]:
        """What a build needs and this folder lacks, in the words of the error message."""
        problems = []
        if not self.config.is_file():
            problems.append(f"{self.config} ontbreekt")
        if not self.content.is_dir():
            problems.append(f"de map {self.content} ontbreekt")
        return problems


SCAFFOLD = ("mkdocs.yml", "README.md", "content/index.md", "content/over/index.md", ".github/workflows/ketenkaart.yml")


class ProjectExists(Exception):
    """The folder already holds files a new project would overwrite."""


def create(root: Path | str, naam: str) -> list[Path]:
    """Start a new project in `root`: mkdocs.yml, a start page and an "Over" page, a README with the next steps
    and an empty organisaties/ with gemeenten/. Refuses to overwrite anything."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    root = Path(root).resolve()
    naam = " ".join(str(naam).split()) or root.name
    targets = [root / rel for rel in SCAFFOLD]
    taken = [t for t in targets if t.exists()] + [p for p in (root / DATA_DIR,) if p.exists() and any(p.iterdir())]
    if taken:
        raise ProjectExists(", ".join(str(t) for t in taken))
    env = Environment(loader=FileSystemLoader(engine_path("project")), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)
    written = []
    for rel, target in zip(SCAFFOLD, targets):
        target.parent.mkdir(parents=True, exist_ok=True)
        source = engine_path("project", rel)
        # the CI workflow has its own ${{ }} expressions: copied as it is, not rendered
        text = source.read_text(encoding="utf-8") if rel.endswith(".yml") and rel.startswith(".github") \
            else env.get_template(rel).render(naam=naam)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    (root / DATA_DIR / CHAIN_DIR).mkdir(parents=True, exist_ok=True)
    return written
