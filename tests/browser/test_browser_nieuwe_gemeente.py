"""A new municipality, from an empty folder to a site in Chromium, the way its editors work.

Every step runs the installed `ketenkaart` command in a subprocess, in a new temporary folder:
`nieuw site`, `nieuw gemeente --naam Deventer`, three `nieuw organisatie` interviews (answers on
standard input), a beheerder in the scaffolded mkdocs.yml, `export xlsx`, an edit with openpyxl
(the three made-up organisations marked `fictief: ja`, one description changed, one referral
added), `import xlsx --bijwerken` (first with --droog), `check --strict` and `build`. Deventer is
a real municipality, so its organisations here are clearly fictitious ("Fictieve ...", `fictief:
ja`) and the beheerder is made up too. Then the built site, served locally, is read in Chromium.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kk_browser import axe_violations, describe_violations, foreign_requests, serve_folder

SITE_NAME = "Schuldhulp Deventer"
BEHEERDER = "Team Sociale Kaart Deventer (fictief)"
EMAIL = "sociale-kaart@example.org"
NEW_TEXT = "Verzonnen gemeentelijke schuldhulp voor een test; deze organisatie bestaat niet."
ORGANISATIONS = [  # naam, soort, inzet, diensten, fasen: the interview's answers
    ("Fictieve Schuldhulp Deventer", "gemeentelijke-dienst", "beroepskrachten", "aanmelding, schuldhulpverlening",
     "stabilisatie, minnelijk"),
    ("Fictief Budgetmaatje Deventer", "vrijwilligersorganisatie", "vrijwilligers", "budgetbegeleiding",
     "preventie, nazorg"),
    ("Fictieve Sociaal Raadslieden Deventer", "professionele-organisatie", "beroepskrachten",
     "sociaal-juridisch-advies", "stabilisatie"),
]
SCHULDHULP, BUDGETMAATJE = "fictieve-schuldhulp-deventer", "fictief-budgetmaatje-deventer"
EXAMPLE_WORDING = re.compile(r"voorbeeldgegevens|2019", re.IGNORECASE)  # the example data's words and year


def ketenkaart(*args: str, cwd: Path, answers: str | None = None) -> str:
    """The installed command (next to this Python), as an editor runs it; its standard output."""
    script = Path(sys.executable).with_name("ketenkaart")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "generator"]
    result = subprocess.run([*command, *args], cwd=cwd, input=answers or "", capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, f"ketenkaart {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.yaml"))}


@pytest.fixture(scope="module")
def deventer(tmp_path_factory) -> Path:
    """The project folder of the new site, walked through from nothing; its site is in site/."""
    base = tmp_path_factory.mktemp("nieuwe-gemeente")
    assert not any(base.iterdir())
    ketenkaart("nieuw", "site", "deventer", "--naam", SITE_NAME, cwd=base)
    project = base / "deventer"
    ketenkaart("nieuw", "gemeente", "--naam", "Deventer", cwd=project)
    for naam, soort, inzet, diensten, fasen in ORGANISATIONS:
        answers = [naam, "", soort, "Deventer", inzet, "Verzonnen organisatie voor een test; ze bestaat niet.",
                   diensten, fasen, "Testgegevens (fictief)"]
        ketenkaart("nieuw", "organisatie", cwd=project, answers="\n".join(answers) + "\n")

    config = project / "mkdocs.yml"
    text, found = re.subn(r"# beheerder:\n(\s*)#\s*naam: .*\n\s*#\s*email: .*\n",
                          rf"beheerder:\n\1  naam: {BEHEERDER}\n\1  email: {EMAIL}\n", config.read_text(encoding="utf-8"))
    assert found == 1, "the scaffolded mkdocs.yml has no commented beheerder to fill in"
    config.write_text(text, encoding="utf-8")

    sheet = base / "deventer.xlsx"
    ketenkaart("export", "xlsx", "--gemeente", "Deventer", "--out", str(sheet), cwd=project)
    book = load_workbook(sheet)
    orgs = book["Organisaties"]
    header = [c.value for c in orgs[1]]
    for row in range(2, orgs.max_row + 1):
        orgs.cell(row, header.index("fictief") + 1).value = "ja"
        if orgs.cell(row, header.index("id") + 1).value == SCHULDHULP:
            orgs.cell(row, header.index("beschrijving") + 1).value = NEW_TEXT
    book["Verwijzingen"].append([BUDGETMAATJE, SCHULDHULP, "verwijst", "Bij problematische schulden", "ja"])
    book.save(sheet)

    before = files(project)
    dry = ketenkaart("import", "xlsx", str(sheet), "--bijwerken", "--droog", cwd=project)
    assert files(project) == before
    assert "Samen: 3 organisaties bijgewerkt, 0 nieuw, 0 ongewijzigd." in dry
    ketenkaart("import", "xlsx", str(sheet), "--bijwerken", cwd=project)
    after = files(project)
    assert sorted(k for k in after if after[k] != before[k]) == sorted(
        f"organisaties/deventer/{org}.yaml" for org in (SCHULDHULP, BUDGETMAATJE, "fictieve-sociaal-raadslieden-deventer"))
    ketenkaart("check", "--strict", cwd=project)
    ketenkaart("build", cwd=project)
    return project


@pytest.fixture(scope="module")
def deventer_url(deventer):
    url, server = serve_folder(deventer / "site")
    yield url
    server.shutdown()


def test_every_page_shows_deventer_and_the_beheerder_and_no_example_data(deventer, deventer_url, page):
    pages = sorted(p.relative_to(deventer / "site") for p in (deventer / "site").rglob("*.html"))
    assert len(pages) > 5
    for path in pages:
        address = "/" + str(path).removesuffix("index.html")
        page.goto(deventer_url + address, wait_until="load")
        text = page.inner_text("body")
        assert not EXAMPLE_WORDING.search(text), f"{address}: {EXAMPLE_WORDING.search(text).group()}"
        if path.parts[0] == "kaarten":  # a map document, shown inside the chain page
            continue
        assert "Deventer" in text, address
        assert BEHEERDER in text, address  # in the footer of every page
    assert not foreign_requests(page.requests, deventer_url)


def test_the_chain_and_the_edited_organisation_read_as_the_editor_left_them(deventer_url, page):
    page.goto(deventer_url + "/", wait_until="load")
    assert SITE_NAME in page.title()
    assert page.inner_text("main h1").rstrip("¶") == SITE_NAME  # ¶: the heading's permalink
    assert BEHEERDER in page.inner_text("main")  # who keeps the data, on the start page itself

    page.goto(deventer_url + "/gemeenten/deventer/", wait_until="load")
    chain = page.inner_text("main")
    assert "Keten Deventer" in chain
    for naam, *_rest in ORGANISATIONS:
        assert naam in chain

    page.goto(deventer_url + f"/organisaties/{SCHULDHULP}/", wait_until="load")
    org = page.inner_text("main")
    assert NEW_TEXT in org and "Fictieve gegevens" in org
    page.goto(deventer_url + f"/organisaties/{BUDGETMAATJE}/", wait_until="load")
    assert "Bij problematische schulden" in page.inner_text("main")  # the referral added on Verwijzingen


@pytest.mark.parametrize("address", ["/", "/gemeenten/deventer/", f"/organisaties/{SCHULDHULP}/"])
def test_the_new_site_passes_axe_at_both_sizes(address, deventer_url, sized_page):
    sized_page.goto(deventer_url + address, wait_until="load")
    sized_page.wait_for_load_state("networkidle")
    assert not foreign_requests(sized_page.requests, deventer_url)
    violations = axe_violations(sized_page)
    assert not violations, describe_violations(violations)
