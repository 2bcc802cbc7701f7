"""generator.urls: the one place that builds addresses."""

from __future__ import annotations

import posixpath

import pytest
from hypothesis import given, settings, strategies as st

from generator import urls


def test_pages_have_a_source_and_a_directory_url():
    assert urls.organisatie_bron("humanitas-zwolle") == "organisaties/humanitas-zwolle.md"
    assert urls.organisatie("humanitas-zwolle") == "organisaties/humanitas-zwolle/"
    assert urls.gemeente("zwolle") == "gemeenten/zwolle/"
    assert urls.url_of(urls.GEMEENTEN_OVERZICHT) == "gemeenten/"
    assert urls.url_of("index.md") == ""


def test_links_are_relative_to_the_page_that_holds_them():
    hier = urls.gemeente_bron("zwolle")
    assert urls.relative(urls.organisatie_bron("wijz-zwolle"), hier) == "../organisaties/wijz-zwolle.md"
    assert urls.relative(urls.download("zwolle", "graphml"), hier) == "../downloads/zwolle.graphml"
    # a map document links to pages by URL, and keeps the trailing slash
    assert urls.relative(urls.organisatie("wijz-zwolle"), urls.kaart("zwolle")) == "../organisaties/wijz-zwolle/"
    assert urls.relative(urls.scan_figuur("zwolle"), urls.gemeente("zwolle") + "index.html") == \
        "../../assets/ketenscan/zwolle.svg"


def _relpath_link(target: str, from_source: str) -> str:
    """What `relative` answered before it worked links out itself: posixpath.relpath, keeping a final slash."""
    rel = posixpath.relpath(target, posixpath.dirname(from_source) or ".")
    return rel + "/" if target.endswith("/") and not rel.endswith("/") else rel


def _outcome(fn, *args):
    try:
        return fn(*args)
    except ValueError as error:
        return ("ValueError", str(error))


_paths = st.lists(st.sampled_from(["", ".", "..", "a", "b", "index.md", "x.json"]), min_size=1, max_size=4) \
    .map("/".join)


@settings(max_examples=2000, deadline=None)
@given(target=_paths, slash=st.booleans(), from_source=_paths)
def test_relative_links_are_posix_relpath_with_the_final_slash_kept(target, slash, from_source):
    target += "/" if slash else ""
    assert _outcome(urls.relative, target, from_source) == _outcome(_relpath_link, target, from_source)


@pytest.mark.parametrize("bad", ["", "../etc", "Zwolle", "a b", "a/b", "zwolle\n", "-x", "x-"])
def test_nothing_but_a_slug_becomes_part_of_a_path(bad):
    with pytest.raises(ValueError):
        urls.organisatie_bron(bad)
    with pytest.raises(ValueError):
        urls.kaart(bad)
