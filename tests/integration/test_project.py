"""A project anywhere: `ketenkaart nieuw site`, builds of another folder, and the installed engine.

The last test builds a wheel of this repository (not an editable install), unpacks it, and runs
the engine from there in a folder outside this checkout: nothing may point into the source tree.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from html import unescape
from pathlib import Path

import pytest
import yaml

from generator.cli import main as ketenkaart
from generator.project import create
import fictief
from sitebuild import ROOT, build_site


def test_nieuw_site_scaffolds_a_project_that_builds_at_once(tmp_path, capsys, monkeypatch):
    target = tmp_path / "deventer"
    assert ketenkaart(["nieuw", "site", str(target), "--naam", "Schuldhulp: Deventer & Co"]) == 0
    assert (target / "organisaties" / "gemeenten").is_dir()
    config = yaml.safe_load((target / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Schuldhulp: Deventer & Co"
    assert "ketenkaart check" in (target / "README.md").read_text(encoding="utf-8")
    workflow = yaml.safe_load((target / ".github" / "workflows" / "ketenkaart.yml").read_text(encoding="utf-8"))
    steps = [step.get("run") for step in workflow["jobs"]["controleren-en-bouwen"]["steps"]]
    assert "ketenkaart check --strict" in steps and "ketenkaart build" in steps
    monkeypatch.chdir(target)
    assert ketenkaart(["check"]) == 0
    assert ketenkaart(["build"]) == 0
    index = (target / "site" / "index.html").read_text(encoding="utf-8")
    assert "Schuldhulp: Deventer &amp; Co" in index
    assert (target / "site" / "gemeenten" / "index.html").is_file()
    # a second scaffold into the same folder overwrites nothing
    before = (target / "mkdocs.yml").read_bytes()
    assert ketenkaart(["nieuw", "site", str(target)]) == 1
    assert (target / "mkdocs.yml").read_bytes() == before


def test_a_scaffolded_project_with_one_chain_builds_without_the_national_guidance(tmp_path, monkeypatch):
    """Generated pages link to guidance pages only when the project has them."""
    target = tmp_path / "klein"
    assert ketenkaart(["nieuw", "site", str(target)]) == 0
    fictief.write(target / "organisaties", fictief.chain(), [fictief.org(
        "budgetmaatjes", "Budgetmaatjes Fictiefstad", "vrijwilligersorganisatie", ["thuisadministratie"],
        ["preventie"], inzet="vrijwilligers", toegang=["telefoon"])])
    monkeypatch.chdir(target)
    assert ketenkaart(["build"]) == 0
    page = (target / "site" / "organisaties" / "budgetmaatjes" / "index.html").read_text(encoding="utf-8")
    assert "wat vrijwilligers wel en niet doen" in page and "kennisbank/" not in page


def test_the_projects_own_abbreviations_are_explained_on_every_page_beside_the_engines(tmp_path, monkeypatch):
    """includes/afkortingen.md of a project adds to the engine's list; the build gives MkDocs the
    whole list as abbr's glossary (publish.mkdocs.derived_config), so the file's own text (its
    comment) is on no page."""
    target = tmp_path / "afkortingen"
    assert ketenkaart(["nieuw", "site", str(target)]) == 0
    (target / "includes").mkdir(exist_ok=True)
    (target / "includes" / "afkortingen.md").write_text(
        "<!-- afkortingen van dit project -->\n*[FVS]: Fictief Voorbeeldsamenwerkingsverband (verzonnen, voor een test)\n",
        encoding="utf-8")
    fictief.write(target / "organisaties", fictief.chain(), [fictief.org(
        "budgetmaatjes", "Budgetmaatjes Fictiefstad", "vrijwilligersorganisatie", ["thuisadministratie"],
        ["preventie"], inzet="vrijwilligers", toegang=["telefoon"],
        beschrijving="Fictieve organisatie; werkt samen in het FVS en meldt schulden niet bij het BKR.")])
    monkeypatch.chdir(target)
    assert ketenkaart(["build"]) == 0
    page = (target / "site" / "organisaties" / "budgetmaatjes" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<abbr title="Fictief Voorbeeldsamenwerkingsverband[^"]*">FVS</abbr>', page)
    assert re.search(r'<abbr title="[^"]+">BKR</abbr>', page)  # the engine's list is still there
    assert "afkortingen van dit project" not in page


def _text(html: str) -> str:
    """The visible text of a page's article (tags removed, references decoded, spaces collapsed)."""
    article = html[html.index("<article"):html.index("</article>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", article)).split())


def test_start_and_over_pages_show_the_projects_own_settings(tmp_path):
    """The scaffold's start page and "Over" page take the site name, gebied and beheerder from
    mkdocs.yml at build time (snippets the generator writes), and say nothing about example data."""
    target = tmp_path / "fictiefstad"
    create(target, "Schuldhulp Fictiefstad")
    config = target / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    settings = ("    gebied: Fictiefstad & Omstreken\n    beheerder:\n      naam: Team Geldzaken Fictiefstad\n"
                "      email: geldzaken@fictiefstad.example\n    verouderd_na_maanden: 18\n")
    text = re.sub(r"(  ketenkaart:\n)(?:    .*\n)+", lambda m: m.group(1) + settings, text)
    text = text.replace('site_name: "Schuldhulp Fictiefstad"', 'site_name: "Sociale kaart Fictiefstad"')
    config.write_text(text, encoding="utf-8")
    fictief.write(target / "organisaties", fictief.chain(), [fictief.org(
        "budgetmaatjes", "Budgetmaatjes Fictiefstad", "vrijwilligersorganisatie", ["thuisadministratie"],
        ["preventie"], inzet="vrijwilligers", toegang=["telefoon"])])
    out = tmp_path / "site"
    assert build_site(target / "organisaties", out, tmp_path / "werk", project=target) == 0

    start = _text((out / "index.html").read_text(encoding="utf-8"))
    over = _text((out / "over" / "index.html").read_text(encoding="utf-8"))
    assert start.startswith("Sociale kaart Fictiefstad")  # the heading: the site name as it is now
    assert "wie dat in Fictiefstad & Omstreken zijn" in start
    assert "De gegevens worden bijgehouden door Team Geldzaken Fictiefstad." in start
    assert "Sociale kaart Fictiefstad laat zien welke organisaties in Fictiefstad & Omstreken helpen" in over
    assert "De gegevens worden bijgehouden door Team Geldzaken Fictiefstad voor Fictiefstad & Omstreken." in over
    assert "Is dat langer dan 18 maanden geleden" in over
    assert "stuur een e-mail naar geldzaken@fictiefstad.example" in over
    mail = "mailto:geldzaken@fictiefstad.example?subject=Klopt%20er%20iets%20niet%3F%20Sociale%20kaart%20Fictiefstad"
    assert f'href="{mail}"' in (out / "over" / "index.html").read_text(encoding="utf-8")
    assert 'href="over/"' in (out / "index.html").read_text(encoding="utf-8")  # the start page links to it
    for page in (start, over):
        assert "voorbeeld" not in page.lower() and "2019" not in page and "Schuldhulp Fictiefstad" not in page

    # the snippets follow the settings: without a beheerder the pages name nobody
    config.write_text(text.replace("    beheerder:\n      naam: Team Geldzaken Fictiefstad\n"
                                   "      email: geldzaken@fictiefstad.example\n", ""), encoding="utf-8")
    assert build_site(target / "organisaties", out, tmp_path / "werk", project=target) == 0
    start = _text((out / "index.html").read_text(encoding="utf-8"))
    over = _text((out / "over" / "index.html").read_text(encoding="utf-8"))
    assert "bijgehouden door" not in start + over and "Team Geldzaken" not in start + over
    assert "Controleer bij twijfel de website van de organisatie zelf." in over


def test_the_example_project_still_says_its_data_is_example_data(example_site):
    start = _text((example_site / "index.html").read_text(encoding="utf-8"))
    over = _text((example_site / "over" / "index.html").read_text(encoding="utf-8"))
    assert "voorbeeldgegevens" in start and "maart 2019" in start
    assert "voorbeeldgegevens" in over and "Is dat langer dan 12 maanden geleden" in over  # the snippet


def test_build_outside_a_project_says_how_to_start_one(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "organisaties").mkdir()
    assert ketenkaart(["build"]) == 2
    captured = capsys.readouterr()
    assert "mkdocs.yml ontbreekt" in captured.out and "ketenkaart nieuw site" in captured.err
    assert not (tmp_path / "site").exists()


@pytest.mark.slow
def test_the_installed_wheel_scaffolds_and_builds_a_site_outside_this_checkout(tmp_path):
    # build from a copy: setuptools writes build/ and *.egg-info into the folder it builds
    source = tmp_path / "bron"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "site", ".site.*", "*.egg-info", "__pycache__", ".pytest_cache"))
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(source)],
                   check=True, capture_output=True, timeout=600)
    [wheel] = wheels.glob("ketenkaart-*.whl")
    engine = tmp_path / "engine"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(engine)
    assert (engine / "generator" / "site_templates" / "organisatie.md.j2").is_file()
    env = {**os.environ, "PYTHONPATH": str(engine)}  # the unpacked wheel comes before the checkout

    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=300)

    where = subprocess.run([sys.executable, "-c", "import generator; print(generator.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.strip().startswith(str(engine))
    site = tmp_path / "x"
    assert run("nieuw", "site", str(site), cwd=tmp_path).returncode == 0
    assert run("check", cwd=site).returncode == 0
    built = run("build", cwd=site)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (site / "site" / "index.html").is_file()
    assert (site / "site" / "assets" / "vis-network" / "vis-network.min.js").is_file()
    assert not (ROOT / "x").exists()


NEW_KIND = """    budgetcafe:
      label: Budgetcafé
      uitleg: Een inloopplek waar vrijwilligers samen met bezoekers naar post en rekeningen kijken.
      vorm: box
      vormnaam: rechthoek
"""


def _project_with_own_vocabulary(tmp_path: Path, kind: str) -> Path:
    """A new project whose vocabulaire.yaml adds a kind of organisation, and one organisation of it."""
    target = tmp_path / "eigen"
    assert ketenkaart(["nieuw", "site", str(target)]) == 0
    engine_vocab = (ROOT / "generator" / "domain" / "vocabulaire.yaml").read_text(encoding="utf-8")
    anchor = "    wijkteam:\n"
    (target / "vocabulaire.yaml").write_text(engine_vocab.replace(anchor, kind + anchor, 1), encoding="utf-8")
    fictief.write(target / "organisaties", fictief.chain(), [fictief.org(
        "budgetcafe-fictiefstad", "Budgetcafé Fictiefstad", "budgetcafe", ["thuisadministratie", "inloopspreekuur"],
        ["preventie"], inzet="vrijwilligers", toegang=["inloop"])])
    return target


def test_a_new_term_with_its_properties_needs_no_python_change(tmp_path, monkeypatch):
    target = _project_with_own_vocabulary(tmp_path, NEW_KIND)
    monkeypatch.chdir(target)
    assert ketenkaart(["check"]) == 0
    assert ketenkaart(["build"]) == 0
    kaart = (target / "site" / "kaarten" / "fictiefstad.html").read_text(encoding="utf-8")
    assert '"shape": "box"' in kaart
    legend = (target / "site" / "gemeenten" / "fictiefstad" / "index.html").read_text(encoding="utf-8")
    assert "rechthoek" in legend
    page = (target / "site" / "organisaties" / "budgetcafe-fictiefstad" / "index.html").read_text(encoding="utf-8")
    assert "Budgetcafé" in page


def test_a_new_term_without_its_properties_is_a_located_error_from_check(tmp_path, monkeypatch, capsys):
    target = _project_with_own_vocabulary(tmp_path, NEW_KIND.replace("      vorm: box\n", ""))
    monkeypatch.chdir(target)
    capsys.readouterr()
    assert ketenkaart(["check"]) == 1
    out = capsys.readouterr().out
    line = next(n for n, text in enumerate((target / "vocabulaire.yaml").read_text(encoding="utf-8").splitlines(), 1)
                if text == "    budgetcafe:")
    assert any(l.startswith(f"vocabulaire.yaml:{line}") and "soorten.budgetcafe.vorm" in l for l in out.splitlines()), out
    site_before = sorted((target / "site").rglob("*")) if (target / "site").exists() else []
    assert ketenkaart(["build"]) == 1  # the same error, before anything is built
    assert (sorted((target / "site").rglob("*")) if (target / "site").exists() else []) == site_before
