"""Pages that stay small at any scale (issue 16), on a real build of a small fictitious data set
made to cross each limit: an organisation page names partners and municipalities one by one only
while a list is short, the tag overview lists no organisation pages, and the open-data page lists
each municipality's files only while there are few. The sizes themselves are measured by
benchmarks/page_budget.py; this checks the structure that keeps them bounded."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from fictief import chain, org
from generator.render.pages import INLINE_MUNICIPALITIES, LIST_LIMIT
from sitebuild import build_site

N_GEMEENTEN = LIST_LIMIT + 2  # more municipalities than a list may name
N_BUURT = LIST_LIMIT + 1  # partners in one municipality: more than a list may name, one municipality
N_REGIO = INLINE_MUNICIPALITIES + 2  # municipalities of the regional organisation


def _dump(path: Path, record: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


def write_data(data: Path) -> Path:
    """N_GEMEENTEN fictitious chains, each with a loket that refers to national service A; in the
    first chain N_BUURT more organisations that refer to national service B; a regional
    organisation in the first N_REGIO municipalities."""
    codes = [f"GM{9900 + i}" for i in range(1, N_GEMEENTEN + 1)]
    for i, code in enumerate(codes, 1):
        naam = f"Fictiefdorp {i:02d}"
        _dump(data / "gemeenten" / f"fictiefdorp-{i:02d}.yaml", chain(naam, cbs=code))
        _dump(data / f"loket-{i:02d}.yaml", org(
            f"loket-{i:02d}", f"Geldloket {naam}", "gemeentelijke-dienst", ["aanmelding"], ["preventie"],
            gemeenten=[code], verwijst=[{"naar": "landelijk-a", "wanneer": "Vragen over de belasting"}]))
    for k in range(1, N_BUURT + 1):
        _dump(data / f"buurt-{k:02d}.yaml", org(
            f"buurt-{k:02d}", f"Buurthuis {k:02d} Fictiefdorp 01", "vrijwilligersorganisatie", ["inloopspreekuur"],
            ["preventie"], gemeenten=[codes[0]], inzet="vrijwilligers",
            verwijst=[{"naar": "landelijk-b", "wanneer": "Zelf verder met informatie"}]))
    for letter in "ab":
        _dump(data / f"landelijk-{letter}.yaml", org(
            f"landelijk-{letter}", f"Landelijke Dienst {letter.upper()}", "landelijke-dienst", ["zelfhulp"],
            ["preventie"], gemeenten="landelijk"))
    _dump(data / "regio.yaml", org("regio", "Regionaal Steunpunt", "professionele-organisatie", ["budgetbegeleiding"],
                                   ["stabilisatie"], gemeenten=codes[:N_REGIO]))
    return data


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("paginagrootte")
    assert build_site(write_data(base / "organisaties"), base / "site", base / "build") == 0
    return base / "site"


def article(site: Path, page: str) -> str:
    """The article of a page, with every link made absolute (from the site root, anchors kept)."""
    html = (site / page / "index.html").read_text(encoding="utf-8")
    html = html[html.index("<article"):html.index("</article>")]
    return re.sub(r'href="([^"#][^"]*)"', lambda m: f'href="{urljoin(f"/{page}/", m[1])}"', html)


def section(html: str, anchor: str) -> str:
    """The HTML from the heading with this id up to the next heading."""
    start = html.index(f'id="{anchor}"')
    end = re.search(r"<h[1-3]\b", html[start:])
    return html[start:start + end.start()] if end else html[start:]


def links(html: str, kind: str) -> set[str]:
    """Link targets (from article) to pages of one kind (organisaties, gemeenten), anchors dropped."""
    return {m.split("#")[0] for m in re.findall(rf'href="(/{kind}/[^"]*)"', html)}


def test_a_long_relation_list_from_many_municipalities_becomes_a_count(site):
    refs = section(article(site, "organisaties/landelijk-a"), "wie-verwijst-hierheen")
    assert f"Dit zijn {N_GEMEENTEN} organisaties in {N_GEMEENTEN} gemeenten" in refs
    assert not links(refs, "organisaties")
    assert links(refs, "gemeenten") == {"/gemeenten/"}  # the overview, no municipality by name


def test_a_long_relation_list_from_few_municipalities_links_their_chain_pages(site):
    refs = section(article(site, "organisaties/landelijk-b"), "wie-verwijst-hierheen")
    assert f"Dit zijn {N_BUURT} organisaties in 1 gemeente" in refs
    assert not links(refs, "organisaties")
    assert 'href="/gemeenten/fictiefdorp-01/#relaties"' in refs
    # ... where every one of them is listed, with the reason (the strict build checked the anchor)
    chain_relations = section(article(site, "gemeenten/fictiefdorp-01"), "relaties")
    assert {f"/organisaties/buurt-{k:02d}/" for k in range(1, N_BUURT + 1)} <= links(chain_relations, "organisaties")


def test_short_relation_lists_name_every_partner(site):
    refs = section(article(site, "organisaties/loket-01"), "verwijst-door-naar")
    assert links(refs, "organisaties") == {"/organisaties/landelijk-a/"}
    assert "Vragen over de belasting" in refs


def test_many_municipalities_are_counted_in_the_opening_line_and_listed_once(site):
    page = article(site, "organisaties/regio")
    opening = page[page.index("Professionele organisatie"):]
    opening = opening[:opening.index("</p>")]
    assert f"{N_REGIO} gemeenten" in opening and 'href="#werkgebied"' in opening
    assert not links(opening, "gemeenten")
    assert len(links(section(page, "werkgebied"), "gemeenten")) == N_REGIO
    few = article(site, "organisaties/loket-01")
    assert "werkgebied" not in few and links(few[:few.index("</p>", few.index("Gemeentelijke dienst"))], "gemeenten")


def test_tag_overview_lists_no_organisation_pages_and_organisation_pages_have_no_tags(site):
    overview = article(site, "over/onderwerpen")
    assert 'id="tag:' in overview  # the guidance pages' topics are listed
    assert not links(overview, "organisaties")
    assert 'class="md-tags"' not in (site / "organisaties" / "regio" / "index.html").read_text(encoding="utf-8")


def test_open_data_page_lists_files_per_municipality_only_for_a_few(site, example_site):
    many = article(site, "api")
    assert len(re.findall(r'href="/api/gemeenten/[^"]+\.json"', many)) == 1  # one example
    assert not re.findall(r'href="/downloads/fictiefdorp-[^"]+\.graphml"', many)
    assert 'href="/downloads/nederland.graphml"' in many
    few = article(example_site, "api")
    n_example = len(list((example_site / "gemeenten").glob("*/index.html"))) - 1  # minus the ketenscan overview
    assert len(re.findall(r'href="/downloads/(?!nederland)[^"]+\.graphml"', few)) == n_example


def _organisation_entries(site: Path) -> list[dict]:
    import json
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return [entry for entry in index["docs"] if entry["location"].startswith("organisaties/")]


def test_search_entries_of_organisations_drop_services_only_beyond_the_size_limit(data_copy, tmp_path, monkeypatch):
    from generator.render import pages

    assert build_site(data_copy, tmp_path / "klein", tmp_path / "werk-klein") == 0
    small = _organisation_entries(tmp_path / "klein")
    assert small and all("Aanbod" in entry["text"] for entry in small if not entry["location"].count("#"))

    monkeypatch.setattr(pages, "SEARCH_DETAILS_UP_TO", 5)  # the example data counts as 'large' here
    assert build_site(data_copy, tmp_path / "groot", tmp_path / "werk-groot") == 0
    large = _organisation_entries(tmp_path / "groot")
    assert {e["location"] for e in large} == {e["location"] for e in small}  # every organisation still found by name
    assert not any("Aanbod" in entry["text"] or "boost" in entry for entry in large)
    assert all("boost" in entry for entry in small if not entry["location"].count("#"))
