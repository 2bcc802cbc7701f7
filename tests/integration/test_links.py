"""Every internal link, anchor and embedded file in the built site resolves, nothing is embedded
from another host, and every page parses as HTML without errors.

`mkdocs build --strict` checks links between Markdown pages, but not links in the theme, in
iframes (the maps), in the map data, or to anchors on generated pages; this walks the built HTML.
HTML validity is checked with html5lib, which parses as browsers do (the WHATWG HTML parsing
rules) and reports every parse error: stray or unclosed tags, bad nesting, duplicate attributes,
bad character references. Duplicate ids are reported too.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import html5lib

HOST = "http://ketenkaart.test/"
# Attributes that embed a file into the page (it must be on the same host) ...
EMBEDS = {("script", "src"), ("img", "src"), ("img", "srcset"), ("iframe", "src"), ("source", "src"),
          ("source", "srcset"), ("video", "src"), ("video", "poster"), ("audio", "src"), ("embed", "src"),
          ("object", "data"), ("track", "src"), ("input", "src")}
# ... and attributes that point to another page (which may be elsewhere, like an organisation's website).
LINKS = {("a", "href"), ("area", "href"), ("form", "action")}
LINK_RELS_THAT_EMBED = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"}
MAP_URL = re.compile(r'"url":\s*"([^"]+)"')  # node links in the map data (kaarten/*.html)


def parse(data: bytes):
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    return parser.parse(data), parser.errors


class Site:
    def __init__(self, root: Path):
        self.root = root

    @lru_cache(maxsize=None)
    def page(self, rel: str):
        """(tree, parse errors, ids) of an HTML file, parsed once."""
        tree, errors = parse((self.root / rel).read_bytes())
        ids = [el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")]
        ids += [el.get("name") for el in tree.iter("a") if el.get("name")]
        return tree, errors, ids

    def target(self, url: str) -> tuple[str | None, str]:
        """The file a same-host URL points to (relative to the site), or None, and its fragment."""
        parts = urlsplit(url)
        path = unquote(parts.path)[len(urlsplit(HOST).path):]
        candidate = self.root / path
        if path == "" or path.endswith("/") or candidate.is_dir():
            candidate = candidate / "index.html"
        try:
            rel = candidate.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:  # above the site root
            return None, parts.fragment
        return (rel if (self.root / rel).is_file() else None), unquote(parts.fragment)

    def check_reference(self, rel: str, tag: str, value: str, embeds: bool) -> str | None:
        value = value.strip()
        where = f"{rel}: <{tag}> {value!r}"
        scheme = urlsplit(value).scheme.lower()
        if scheme == "javascript":
            return f"{where}: javascript:-link"
        if scheme in ("data", "blob") and embeds:
            return None
        if scheme in ("mailto", "tel") and not embeds:
            return None
        url = urljoin(HOST + rel, value)
        if not url.startswith(HOST):
            return f"{where}: wordt van een andere host geladen" if embeds else None
        target, fragment = self.target(url)
        if target is None:
            return f"{where}: bestaat niet in de site"
        if fragment and target.endswith(".html") and fragment not in self.page(target)[2]:
            return f"{where}: anker #{fragment} bestaat niet in {target}"
        return None

    def problems(self) -> list[str]:
        found = []
        for file in sorted(self.root.rglob("*.html")):
            rel = file.relative_to(self.root).as_posix()
            tree, errors, ids = self.page(rel)
            for (line, col), code, info in errors:
                found.append(f"{rel}:{line}:{col}: HTML-fout {code} {info or ''}".rstrip())
            duplicates = sorted({i for i in ids if ids.count(i) > 1})
            if duplicates:
                found.append(f"{rel}: dubbele id's {duplicates}")
            for el in tree.iter():
                if not isinstance(el.tag, str):
                    continue
                tag = el.tag
                for attr, value in el.attrib.items():
                    embeds = (tag, attr) in EMBEDS or (tag == "link" and attr == "href" and bool(
                        set(el.get("rel", "").lower().split()) & LINK_RELS_THAT_EMBED))
                    if not (embeds or (tag, attr) in LINKS or (tag == "link" and attr == "href")):
                        continue
                    values = [v.strip().split()[0] for v in value.split(",") if v.strip()] if attr == "srcset" else [value]
                    for v in values:
                        problem = self.check_reference(rel, tag, v, embeds)
                        if problem:
                            found.append(problem)
            if rel.startswith("kaarten/"):
                for url in MAP_URL.findall(file.read_text(encoding="utf-8")):
                    problem = self.check_reference(rel, "kaart-knoop", url, embeds=False)
                    if problem:
                        found.append(problem)
        return found


def test_every_link_anchor_and_embedded_file_resolves_and_html_parses_cleanly(example_site):
    site = Site(example_site)
    problems = site.problems()
    assert not problems, "\n".join(problems[:50])
    # The walk really covered the site: every kind of page, the maps, anchors and iframes.
    pages = {p.relative_to(example_site).as_posix() for p in example_site.rglob("*.html")}
    assert {"index.html", "woordenlijst/index.html", "gemeenten/zwolle/index.html"} <= pages
    assert any(p.startswith("kaarten/") for p in pages) and any(p.startswith("organisaties/") for p in pages)


def test_the_checker_reports_broken_links_foreign_files_and_bad_html(tmp_path):
    (tmp_path / "doel").mkdir()
    (tmp_path / "doel" / "index.html").write_text(
        '<!doctype html><html lang="nl"><head><title>Doel</title></head><body><h2 id="er">Er</h2></body></html>')
    (tmp_path / "kaarten").mkdir()
    (tmp_path / "kaarten" / "k.html").write_text(
        '<!doctype html><html lang="nl"><head><title>Kaart</title></head><body>'
        '<script>var nodes = [{"id": "a", "url": "../weg/"}, {"id": "b", "url": "../doel/"}];</script></body></html>')
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="nl"><head><title>Start</title>'
        '<script src="https://cdn.example/lib.js"></script><link rel="stylesheet" href="//cdn.example/s.css">'
        '</head><body>'
        '<a href="doel/">goed</a> <a href="doel/#er">goed anker</a> <a href="https://www.example.org/">extern, goed</a>'
        '<a href="mailto:info@example.org">post, goed</a>'
        '<a href="nergens/">kapot</a> <a href="doel/#hier">kapot anker</a> <a href="#ook-niet">kapot eigen anker</a>'
        '<iframe src="kaarten/weg.html" title="kapot kader"></iframe> <img src="plaatje.png" alt="kapot">'
        '<a href="javascript:alert(1)">script</a>'
        '<p id="dubbel">a</p><p id="dubbel">b</p> <span>open</div>'
        '</body></html>')

    problems = "\n".join(Site(tmp_path).problems())

    for expected in ("'https://cdn.example/lib.js': wordt van een andere host geladen",
                     "'//cdn.example/s.css': wordt van een andere host geladen",
                     "'nergens/': bestaat niet", "anker #hier bestaat niet in doel/index.html",
                     "anker #ook-niet bestaat niet in index.html", "'kaarten/weg.html': bestaat niet",
                     "'plaatje.png': bestaat niet", "javascript:-link", "dubbele id's ['dubbel']",
                     "index.html:1:", "kaarten/k.html: <kaart-knoop> '../weg/': bestaat niet"):
        assert expected in problems, f"niet gemeld: {expected}\n{problems}"
    for fine in ("'doel/'", "doel/#er", "www.example.org", "mailto:", "'../doel/'"):
        assert fine not in problems, problems
