"""The chain scan checks the elements of basisdienstverlening that the data can show
(vocabulary 'basiselementen'), and the chain page links them to the kennisbank page."""

from __future__ import annotations

import fictief
from generator.analyse.scan import scan
from generator.graph.build import build_graph
from generator.load.loader import load


def _findings(tmp_path, orgs):
    data = fictief.write(tmp_path / "organisaties", fictief.chain(), orgs)
    dataset, errors = load(data)
    assert errors == []
    return [f for f in scan(dataset, build_graph(dataset)) if f.soort == "basisdienstverlening"]


def test_only_the_elements_nobody_covers_are_reported(tmp_path):
    orgs = [
        fictief.org("krediet", "Kredietbank Fictiefstad", "professionele-organisatie",
                    ["saneringskrediet", "schuldhulpverlening"], ["minnelijk", "nazorg"], toegang=["telefoon"],
                    doelgroepen=["ondernemer", "jongeren"]),
        fictief.org("maatjes", "Maatjes Fictiefstad", "vrijwilligersorganisatie", ["thuisadministratie"],
                    ["preventie"], toegang=["telefoon"], doelgroepen=["ouderen", "lvb"]),
    ]
    findings = _findings(tmp_path, orgs)
    assert [(f.kenmerk, f.cijfers.get("doelgroepen")) for f in findings] == [("doelgroepen", 1)]
    assert "laaggeletterden" in findings[0].tekst and "jongeren" not in findings[0].tekst


def test_a_signal_only_partner_does_not_count_as_aftercare(tmp_path):
    """Only organisations that give help themselves cover an element (the domain module's rule)."""
    orgs = [
        fictief.org("loket", "Loket Fictiefstad", "samenwerkingsverband", ["aanmelding"], ["nazorg"],
                    toegang=["telefoon"]),
    ]
    kinds = {f.kenmerk for f in _findings(tmp_path, orgs)}
    assert kinds == {"doelgroepen", "saneringskrediet", "nazorg"}


def test_the_chain_page_links_the_findings_to_the_kennisbank_page(example_site):
    page = (example_site / "gemeenten" / "zwolle" / "index.html").read_text(encoding="utf-8")
    assert "Basisdienstverlening" in page and "saneringskrediet" in page
    assert 'href="../../kennisbank/basisdienstverlening/' in page
