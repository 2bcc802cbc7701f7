"""The kennisbank: pages exist, are in our own words, share tags, and explain abbreviations."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from sitebuild import ROOT
SEEDS = ROOT.parent / "shared" / "seeds"
CONTENT = ROOT / "content"


def nav_pages() -> list[str]:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    found = []

    def walk(items):
        for item in items:
            if isinstance(item, str):
                found.append(item)
            elif isinstance(item, dict):
                for value in item.values():
                    walk(value if isinstance(value, list) else [value])

    walk(config["nav"])
    return found


def built(site: Path, md_path: str) -> Path:
    stem = md_path.removesuffix(".md")
    if stem == "index":
        return site / "index.html"
    if stem.endswith("/index"):
        return site / stem.removesuffix("/index") / "index.html"
    return site / stem / "index.html"


@pytest.mark.parametrize("md_path", nav_pages())
def test_every_menu_page_is_built(example_site, md_path):
    assert built(example_site, md_path).is_file()


# Each section of the 2019 infosheet, the page that covers it, and words that page must contain.
INFOSHEET_SECTIONS = {
    "De hulpvrager": ("kennisbank/hulpvrager.md", ["leerbaar", "vertrouwen", "complex"]),
    "De ondersteuningsketen": ("kennisbank/ondersteuningsketen.md", ["preventie", "nazorg", "wijkteam"]),
    "Afstemmen en samenwerken": ("kennisbank/samenwerken.md", ["vrijwilliger", "coördinator", "informele"]),
    "Meten van resultaten": ("kennisbank/resultaten.md", ["Mesis"]),
    "Zwolle": ("kennisbank/praktijk-zwolle.md", ["Op Orde", "sociaal raadslieden", "WijZ"]),
    "Almere": ("kennisbank/praktijk-almere.md", ["TOSS", "PLANgroep", "De Schoor"]),
    "Vroeg Eropaf": ("kennisbank/vroeg-eropaf.md", ["Amsterdam", "woningcorporaties"]),
    "Aanbod LSTA / quickscan": ("kennisbank/eigen-keten.md", ["quickscan", "2022"]),
    "Verder lezen en bronnen": ("over/bronnen.md", ["Divosa", "Movisie"]),
}


@pytest.mark.parametrize("section", INFOSHEET_SECTIONS)
def test_every_infosheet_section_has_a_page(section):
    path, words = INFOSHEET_SECTIONS[section]
    text = (CONTENT / path).read_text(encoding="utf-8")
    for word in words:
        assert word.lower() in text.lower(), (section, word)
    assert "bron" in text.lower()  # every page names its sources


def _words(text: str) -> list[str]:
    return re.findall(r"[a-zà-ÿ0-9]+", text.lower())


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the infosheet texts ({SEEDS}) are not next to this clone")
def test_no_sentence_of_the_seeds_is_copied():
    """No run of 10 or more words in content/ also occurs in the infosheet texts."""
    n = 10
    seed_words = [w for p in sorted(SEEDS.glob("*.txt")) for w in _words(p.read_text(encoding="utf-8"))]
    assert len(seed_words) > 1000, "the seed texts are missing"
    grams = {tuple(seed_words[i:i + n]) for i in range(len(seed_words) - n + 1)}
    for page in sorted(CONTENT.rglob("*.md")):
        words = _words(page.read_text(encoding="utf-8"))
        copied = [" ".join(words[i:i + n]) for i in range(len(words) - n + 1) if tuple(words[i:i + n]) in grams]
        assert not copied, (page, copied[:1])


def abbreviations() -> dict[str, str]:
    result = {}
    for line in (ROOT / "site_templates" / "includes" / "afkortingen.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\*\[(.+?)\]:\s*(.+)$", line)
        if match:
            result[match.group(1)] = match.group(2)
    return result


class _ArticleText(HTMLParser):
    """Text of the article, split into text inside <abbr> and text outside it."""

    SKIP = {"code", "pre", "script", "style", "title"}

    def __init__(self):
        super().__init__()
        self.depth_article = 0
        self.in_abbr: list[str] = []
        self.skip = 0
        self.outside: list[str] = []
        self.explained: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.depth_article += 1
        if tag in self.SKIP:
            self.skip += 1
        if tag == "abbr":
            self.in_abbr.append(attrs.get("title", ""))
        if tag == "a" and self.depth_article and "headerlink" in (attrs.get("class") or ""):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth_article -= 1
        if tag in self.SKIP or tag == "a" and self.skip and self.lasttag == "a":
            self.skip = max(0, self.skip - 1)
        if tag == "abbr" and self.in_abbr:
            self.in_abbr.pop()

    def handle_data(self, data):
        if not self.depth_article or self.skip:
            return
        if self.in_abbr:
            self.explained[data.strip()] = self.in_abbr[-1]
        else:
            self.outside.append(data)


def test_every_abbreviation_is_explained_wherever_it_is_used(example_site):
    abbrs = abbreviations()
    assert {"SHV", "SDV", "WSNP", "TOSS", "OSS", "OCO", "LVB", "BKR", "Wgs", "Wmo"} <= set(abbrs)
    checked = 0
    # The tag index lists page titles as links, like the menu does; it is navigation, not prose.
    pages = [p for p in sorted(example_site.rglob("index.html")) if p.parent.name != "onderwerpen"]
    for page in pages:
        parser = _ArticleText()
        parser.feed(page.read_text(encoding="utf-8"))
        outside = " ".join(parser.outside)
        for key, text in abbrs.items():
            unexplained = re.findall(rf"(?<![\w-]){re.escape(key)}(?![\w-])", outside)
            assert not unexplained, (page.relative_to(example_site), key)
            if key in parser.explained:
                assert parser.explained[key] == text
                checked += 1
    assert checked > 20  # abbreviations do occur across the site


def test_glossary_lists_abbreviations_and_vocabulary(example_site):
    html = unescape((example_site / "woordenlijst" / "index.html").read_text(encoding="utf-8"))
    for key in abbreviations():
        assert f">{key}<" in html or f">{key}</abbr>" in html, key
    vocab = yaml.safe_load((ROOT / "generator" / "domain" / "vocabulaire.yaml").read_text(encoding="utf-8"))
    for term in vocab["fasen"]["termen"].values():
        assert term["label"] in html and term["uitleg"] in html


def test_tags_list_guidance_pages_and_no_organisations(example_site):
    # Organisation pages carry no tags: at national scale the overview listed every one of them.
    html = (example_site / "over" / "onderwerpen" / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="tag:stabilisatie"'):]
    section = section[: section.index("</ul>")]
    assert "kennisbank/" in section and "organisaties/" not in html


def test_volunteer_organisations_link_to_what_volunteers_do(example_site):
    page = (example_site / "organisaties" / "humanitas-zwolle" / "index.html").read_text(encoding="utf-8")
    assert "kennisbank/samenwerken/#wat-vrijwilligers-wel-en-niet-doen" in page
    target = (example_site / "kennisbank" / "samenwerken" / "index.html").read_text(encoding="utf-8")
    assert 'id="wat-vrijwilligers-wel-en-niet-doen"' in target
