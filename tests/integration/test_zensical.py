"""Zensical as a checked fallback: Material for MkDocs reaches its end of life on 5 May 2027, and
Zensical (by the same team) reads the same mkdocs.yml. The real generator writes the docs folder
as `ketenkaart build` does (publish.write_docs), then the real `zensical build` builds the
project's own mkdocs.yml, unchanged, from it; the main pages must be there, with our theme
overrides (written for both Jinja2 and MiniJinja) applied.

Zensical is pinned in the test extra of pyproject.toml; without it this test skips and says so.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import pipeline
from generator.project import Project
from generator.publish.mkdocs import write_docs
from sitebuild import EXAMPLE_DATA, ROOT

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("zensical") is None,
    reason="zensical is not installed: .venv/bin/pip install -e '.[test]' (pinned in pyproject.toml)",
)


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory) -> tuple[Path, object]:
    """The example data built by Zensical, in a copy of this project (mkdocs.yml and content/)."""
    root = tmp_path_factory.mktemp("zensical")
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "content", root / "content")
    project = Project.at(root, data=EXAMPLE_DATA)
    dataset = pipeline.load_project(project)
    generated, _analyses = pipeline.generate(project, dataset)
    write_docs(generated, project)  # build/docs, build/includes, build/overrides, as mkdocs.yml expects
    result = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict", "-f", str(project.config)],
                            capture_output=True, text=True, cwd=root)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project.out, dataset


def page(site: Path, rel: str) -> str:
    path = site / rel
    assert path.is_file(), f"{rel} ontbreekt in de site van Zensical"
    return path.read_text(encoding="utf-8")


def test_zensical_builds_the_main_pages_with_the_chain_names(zensical_site):
    site, dataset = zensical_site
    assert "Ketenkaart" in page(site, "index.html")
    overview = page(site, "gemeenten/index.html")
    for keten in dataset.ketens.values():
        assert keten.naam in overview
        assert keten.naam in page(site, f"gemeenten/{keten.slug}/index.html")
        assert keten.naam in page(site, f"kaarten/{keten.slug}.html")
        toegang = dataset.organisaties[keten.toegang] if keten.toegang else None
        if toegang:
            assert keten.naam in page(site, f"organisaties/{toegang.id}/index.html")
    for rel in ("verwijswijzer/index.html", "api/index.html", "woordenlijst/index.html", "kennisbank/index.html"):
        page(site, rel)


def test_zensical_uses_our_theme_overrides(zensical_site):
    site, _dataset = zensical_site
    home = page(site, "index.html")
    assert "Gemaakt met Ketenkaart" in home  # partials/copyright.html (read config.extra without .get())
    assert "Made with" not in home
    topics = page(site, "over/onderwerpen/index.html")
    assert 'id="tag:stabilisatie"' in topics or "Stabilisatie" in topics
    # fragments/tags/default/tag.html: abbreviations in tag names explained, as in MkDocs
    assert '<abbr title="Wet schuldsanering natuurlijke personen">WSNP</abbr>' in topics
