"""Real builds of the site: pages, navigation, safety of data text, and failed builds."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml

from generator.load.loader import load
from sitebuild import EXAMPLE_DATA, build_site

DATASET, _ = load(EXAMPLE_DATA)


class _Collector(HTMLParser):
    """Collects tags with their attributes and the text inside <script> elements."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []  # visible text, character references decoded
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def test_every_municipality_and_organisation_has_a_page(example_site):
    for keten in DATASET.ketens.values():
        page = example_site / "gemeenten" / keten.slug / "index.html"
        assert page.is_file()
        html = page.read_text(encoding="utf-8")
        for org in DATASET.in_gemeente(keten.cbs):
            assert f"/organisaties/{org.id}/" in html, (keten.naam, org.id)
    for org_id in DATASET.organisaties:
        assert (example_site / "organisaties" / org_id / "index.html").is_file()
    overview = (example_site / "gemeenten" / "index.html").read_text(encoding="utf-8")
    for keten in DATASET.ketens.values():
        assert f'href="{keten.slug}/"' in overview and keten.cbs in overview


def test_chain_page_embeds_its_map_and_the_map_loads_local_assets_only(example_site):
    for keten in DATASET.ketens.values():
        page = example_site / "gemeenten" / keten.slug / "index.html"
        [iframe] = [attrs for tag, attrs in parse(page).tags if tag == "iframe"]
        assert iframe["title"]
        map_file = (page.parent / iframe["src"]).resolve()
        assert map_file.is_file(), iframe["src"]
        map_doc = parse(map_file)
        for tag, attrs in map_doc.tags:
            for attr in ("src", "href"):
                if attr in attrs and not attrs[attr].startswith("data:"):
                    assert not re.match(r"^(https?:)?//", attrs[attr]), attrs[attr]
                    assert (map_file.parent / attrs[attr]).resolve().is_file(), attrs[attr]
    # vis-network is shipped once, as a shared asset
    assert len(list(example_site.rglob("vis-network.min.js"))) == 1


def test_organisation_pages_are_not_in_the_global_navigation(example_site):
    # A guidance page that links to no organisation: every link on it comes from the menus.
    page = example_site / "kennisbank" / "resultaten" / "index.html"
    hrefs = [attrs["href"] for tag, attrs in parse(page).tags if tag == "a" and "href" in attrs]
    assert not [h for h in hrefs if "organisaties/" in h]
    assert any(h.endswith("gemeenten/") for h in hrefs)  # the overview is in the menu


def test_no_page_references_another_host(example_site):
    for page in example_site.rglob("*.html"):
        for tag, attrs in parse(page).tags:
            if tag in ("script", "img", "iframe") and "src" in attrs:
                assert not re.match(r"^(https?:)?//", attrs["src"]), (page, attrs["src"])
            if tag == "link" and "href" in attrs:
                assert not re.match(r"^(https?:)?//", attrs["href"]), (page, attrs["href"])


def test_search_is_dutch(example_site):
    index = json.loads((example_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["nl"]
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "organisaties/humanitas-zwolle/" in locations


PAYLOADS = ['<script>window.__xss=1</script>', '<img src=x onerror="window.__xss=1">', "*vet* [x](javascript:alert(1))"]


def test_data_text_is_shown_literally(data_copy, tmp_path):
    target = data_copy / "zwolle" / "humanitas-zwolle.yaml"
    record = yaml.safe_load(target.read_text(encoding="utf-8"))
    record["naam"] = "Humanitas " + PAYLOADS[0]
    record["beschrijving"] = " ".join(PAYLOADS)
    record["verwijst"] = [{"naar": "wijz-zwolle", "wanneer": PAYLOADS[1]}]
    target.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    assert build_site(data_copy, tmp_path / "site", tmp_path / "build") == 0
    site = tmp_path / "site"
    pages = [site / "organisaties" / "humanitas-zwolle" / "index.html",
             site / "organisaties" / "wijz-zwolle" / "index.html",
             site / "gemeenten" / "zwolle" / "index.html"]
    for page in pages:
        doc = parse(page)
        assert not any("__xss" in script for script in doc.scripts), page
        assert not any("onerror" in attrs for _, attrs in doc.tags), page
        assert not any(attrs.get("href", "").startswith("javascript:") for _, attrs in doc.tags), page
        assert PAYLOADS[0] in "".join(doc.text), page  # shown as the characters it contains
    org_html = pages[0].read_text(encoding="utf-8")
    org_text = "".join(parse(pages[0]).text)
    assert all(p in org_text for p in PAYLOADS)  # Markdown shown as typed, not formatted
    title = re.search(r"<title>(.*?)</title>", org_html, re.S).group(1)
    assert "<script>" not in title and ("&lt;script&gt;" in title or "&#60;script" in title)
    map_html = (site / "kaarten" / "zwolle.html").read_text(encoding="utf-8")
    assert "<script>window.__xss" not in map_html and "\\u003cscript\\u003ewindow.__xss" in map_html
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<script>window" not in index and "<img src" not in index
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in index or "&#60;script&#62;window" in index


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def test_failed_build_leaves_previous_site_intact(data_copy, tmp_path, capsys):
    site, work = tmp_path / "site", tmp_path / "build"
    assert build_site(data_copy, site, work) == 0
    before = _digest(site)
    (data_copy / "zwolle" / "wijz-zwolle.yaml").write_text("id: [kapot\n", encoding="utf-8")
    assert build_site(data_copy, site, work) == 1
    assert re.search(r"wijz-zwolle.yaml:\d+: geen geldige YAML", capsys.readouterr().out)
    assert _digest(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.vorige", "build", "organisaties", "site"]


def test_failed_mkdocs_run_leaves_previous_site_intact(data_copy, tmp_path, capsys):
    """A page MkDocs rejects in --strict mode (here: a broken link in content) changes nothing."""
    import shutil

    from sitebuild import ROOT

    project = tmp_path / "project"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    site, work = tmp_path / "site", tmp_path / "build"
    assert build_site(data_copy, site, work, project) == 0
    before = _digest(site)
    (project / "content" / "kapot.md").write_text("# Kapot\n\n[weg](bestaat-niet.md)\n", encoding="utf-8")
    assert build_site(data_copy, site, work, project) == 1
    assert "bestaat-niet.md" in capsys.readouterr().out
    assert _digest(site) == before


def test_other_data_without_the_example_chains_builds(tmp_path):
    """Guidance links to the example chains become plain text when the data lacks them."""
    data = tmp_path / "organisaties"
    (data / "gemeenten").mkdir(parents=True)
    chain = yaml.safe_load((EXAMPLE_DATA / "gemeenten" / "zwolle.yaml").read_text(encoding="utf-8"))
    chain.update(gemeente="Fictiefstad", cbs="GM9999", regie=None, toegang=None, routes=[], fictief=True)
    (data / "gemeenten" / "fictiefstad.yaml").write_text(yaml.safe_dump(chain, allow_unicode=True), encoding="utf-8")
    org = yaml.safe_load((EXAMPLE_DATA / "zwolle" / "wijz-zwolle.yaml").read_text(encoding="utf-8"))
    org.update(id="fictief-team", naam="Fictief team", gemeenten=["GM9999"], fictief=True)
    org.pop("werkt-samen")
    (data / "fictief-team.yaml").write_text(yaml.safe_dump(org, allow_unicode=True), encoding="utf-8")
    assert build_site(data, tmp_path / "site", tmp_path / "build") == 0
    page = (tmp_path / "site" / "kennisbank" / "praktijk-zwolle" / "index.html").read_text(encoding="utf-8")
    assert "gemeenten/zwolle/" not in page
    assert (tmp_path / "site" / "gemeenten" / "fictiefstad" / "index.html").is_file()
