"""The national overview map (generator/render/overzicht.py) and its text on the Gemeenten page:
in a real build of the example data (MkDocs --strict) the map page exists, every address in it
and in its frame resolves, and the text lists the shared organisations with the municipalities
on whose map they are; on a fictitious data set of 45 municipalities the aggregate holds: groups
of municipalities that share the same organisations, no lines to organisations every
municipality shares, summaries instead of long lists, and the same picture on every build."""

from __future__ import annotations

import importlib.util
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator import urls
from generator.domain.rules import vocab_of
from generator.graph.build import build_graph, chain_members
from generator.load.loader import load
from generator.render import overzicht
from generator.render.markdown import html_env
from sitebuild import EXAMPLE_DATA, ROOT

DATA = re.compile(r'<script type="application/json" id="kk-data">(.*?)</script>', re.S)


class Links(HTMLParser):
    """Every href and src of a document, and the text of its elements by id."""

    def __init__(self):
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append(value)


def targets(path: Path) -> list[str]:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.targets


def resolves(site: Path, page: Path, target: str) -> bool:
    """A local address from `page` points at a file of the built site (a folder: its index.html)."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path:
        return parts.scheme == "data"  # nothing from other hosts; data: is the empty icon
    file = (page.parent / unquote(parts.path)).resolve()
    if target.endswith("/"):
        file = file / "index.html"
    return file.is_file() and site.resolve() in file.parents


@pytest.fixture(scope="module")
def example():
    dataset, errors = load(EXAMPLE_DATA)
    assert not errors, errors
    return dataset, build_graph(dataset)


def test_the_map_page_exists_and_every_address_in_it_resolves(example_site):
    page = example_site / urls.OVERZICHTSKAART
    assert page.is_file()
    found = targets(page)
    assert "../gemeenten/index.html" in found  # the way back
    bad = [t for t in found if not resolves(example_site, page, t)]
    assert not bad, f"adressen die nergens heen gaan: {bad}"
    document = page.read_text(encoding="utf-8")
    assert "<h1>Landelijke kaart: gemeenten en gedeelde organisaties</h1>" in document
    data = json.loads(DATA.search(document).group(1))
    assert "<" not in DATA.search(document).group(1)  # |tojson escapes markup in the data
    # every node's address (a chain page, an organisation page) resolves too
    addresses = [n["url"] for n in data["nodes"] if "url" in n]
    assert addresses and not [a for a in addresses if not resolves(example_site, page, a)]


def test_the_gemeenten_page_shows_the_map_in_a_frame_and_links_to_it(example_site):
    page = example_site / "gemeenten" / "index.html"
    html = page.read_text(encoding="utf-8")
    [frame] = re.findall(r'<iframe src="([^"]+)" title="([^"]+)"', html)
    assert frame[0] == "../kaarten/nederland.html" and frame[1]
    assert resolves(example_site, page, frame[0])
    assert f'<a href="{frame[0]}">Open de landelijke kaart op volledig scherm</a>' in html


def shared_section(site: Path) -> str:
    html = (site / "gemeenten" / "index.html").read_text(encoding="utf-8")
    start = html.index('id="gedeelde-organisaties"')
    return html[start:html.index("</article>", start)]


def test_the_text_lists_the_shared_organisations_with_their_municipalities(example_site, example):
    dataset, graph = example
    section = shared_section(example_site)
    listed = {}
    for item in re.findall(r"<li>(.*?)</li>", section, re.S):
        org = re.search(r'href="\.\./organisaties/([^/"]+)/"', item).group(1)
        listed[org] = set(re.findall(r'href="([a-z0-9-]+)/"', item))
    # the example: Almere's map has four national organisations, Zwolle's none
    assert listed == {o: {"almere"} for o in ("achmea", "bkr", "menzis", "vattenfall")}
    # ... which is what the graph says (chain_members: the chain maps' own membership)
    expected = {}
    for keten in dataset.ketens.values():
        for member in chain_members(graph, keten):
            expected.setdefault(member, set()).add(keten.slug)
    assert listed == {o: s for o, s in expected.items() if len(s) > 1 or dataset.organisaties[o].landelijk}
    # the national organisations on no chain's map are named, with links
    rest = re.search(r"Landelijke organisaties die op de verwijskaart van geen enkele gemeente staan:(.*?)</p>",
                     section, re.S).group(1)
    unused = set(re.findall(r'href="\.\./organisaties/([^/"]+)/"', rest))
    assert unused == {o.id for o in dataset.landelijke()} - set(listed)
    assert unused  # the example has some: the sentence is really checked


# -- at a larger scale (no MkDocs) ------------------------------------------------------------------

def write_national(folder: Path, n_gemeenten: int, per_gemeente: int) -> Path:
    """benchmarks/fictief.py write_dataset (its module name is taken by tests/fictief.py here)."""
    spec = importlib.util.spec_from_file_location("benchmarks_fictief", ROOT / "benchmarks" / "fictief.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_dataset(folder, n_gemeenten, per_gemeente)


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """45 fictitious municipalities (more than overzicht.NAMES_MAX: the map groups them)."""
    data = write_national(tmp_path_factory.mktemp("landelijk") / "organisaties", 45, 30)
    dataset, errors = load(data)
    assert not errors, errors[:3]
    return dataset, build_graph(dataset)


def test_municipalities_that_share_the_same_organisations_form_one_group(national):
    dataset, graph = national
    data = overzicht.map_data(dataset, graph, vocab_of(dataset))
    assert len(dataset.ketens) > overzicht.NAMES_MAX and not data["namen"]
    nodes = {n["id"]: n for n in data["nodes"]}
    shared = {n["id"] for n in data["nodes"] if n["soort"] == "organisatie"}
    municipalities = [n for n in data["nodes"] if n["soort"] == "gemeente"]
    assert sorted(n["naam"] for n in municipalities) == sorted(k.naam for k in dataset.ketens.values())
    assert all("label" not in n for n in municipalities)  # at this scale: names only when chosen
    for keten in dataset.ketens.values():
        node = nodes[overzicht.gemeente_id(keten)]
        assert set(nodes[node["groep"]]["orgs"]) == chain_members(graph, keten) & shared
        assert node["url"] == f"../gemeenten/{keten.slug}/"
    profiles = [frozenset(n["orgs"]) for n in data["nodes"] if n["soort"] == "groep"]
    assert len(profiles) == len(set(profiles)) < len(municipalities)  # one group per set, fewer than dots
    # no line goes to an organisation on every map; every other use is one line from its group
    everywhere = {o for o in shared if nodes[o]["aantal"] == len(dataset.ketens)}
    assert everywhere and set(data["midden"]) == everywhere
    lines = {(e["from"], e["to"]) for e in data["edges"]}
    assert lines == {(g["id"], o) for g in data["nodes"] if g["soort"] == "groep" for o in g["orgs"] if o not in everywhere}


def test_the_layout_keeps_labels_and_groups_apart_and_is_the_same_on_every_build(national):
    dataset, graph = national
    vocab = vocab_of(dataset)
    data = overzicht.map_data(dataset, graph, vocab)
    assert overzicht.map_document(html_env(), dataset, graph, vocab) == overzicht.map_document(html_env(), dataset, graph, vocab)
    most = max(n["aantal"] for n in data["nodes"] if n["soort"] == "organisatie")
    for key in ("x", "staand"):
        boxes = []
        for n in data["nodes"]:
            x, y = (n["x"], n["y"]) if key == "x" else n["staand"]
            if n["soort"] == "organisatie":
                w, h = overzicht.org_box(n["aantal"], most)
                boxes.append((n["id"], x, y, w, h))
            elif n["soort"] == "gemeente":
                boxes.append((n["id"], x, y, 2 * overzicht.DOT, 2 * overzicht.DOT))
        clashes = [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                   if abs(a[1] - b[1]) < (a[3] + b[3]) / 2 - 1 and abs(a[2] - b[2]) < (a[4] + b[4]) / 2 - 1]
        assert not clashes, clashes[:5]


def test_the_text_summarises_long_lists(national):
    dataset, graph = national
    text = overzicht.shared_text(dataset, graph, links=10)
    total = len(dataset.ketens)
    assert text["totaal"] == total
    for row in text["gedeeld"]:
        if row["alle"]:
            assert row["aantal"] == total and not row["lijst"]
        elif row["behalve"]:  # all but the fewer others
            assert len(row["lijst"]) == total - row["aantal"] < row["aantal"]
        else:
            assert len(row["lijst"]) == row["aantal"] <= total - row["aantal"]
        assert row["links"] == (len(row["lijst"]) <= 10)
    kinds = {("alle" if r["alle"] else "behalve" if r["behalve"] else "lijst") for r in text["gedeeld"]}
    assert kinds == {"alle", "behalve", "lijst"}  # the data set has every kind: each was checked
