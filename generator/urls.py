"""The one place that builds page and file addresses.

Every address of the site is made here: the Markdown source of a page (relative to the docs
folder, what MkDocs reads), its URL (relative to the site root, what a browser or the page
scripts use), maps, downloads and the JSON files. Nothing else writes 'organisaties/{id}/' by
hand: templates get addresses from these functions and make them relative with `relative`.

Slugs and ids are checked again here, so that a value that is not a slug can never become part
of a path, whatever the stage that asks.
"""

from __future__ import annotations

import posixpath
import re

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: no final newline slips through

ORGANISATIES = "organisaties"
GEMEENTEN = "gemeenten"
KAARTEN = "kaarten"
DOWNLOADS = "downloads"
API = "api"
NATIONAAL = "nederland"  # the name of the national downloads (downloads/nederland.graphml)


def slug(value: str) -> str:
    if not isinstance(value, str) or not SLUG_RE.fullmatch(value):
        raise ValueError(f"not a slug: {value!r}")
    return value


def url_of(source: str) -> str:
    """The URL (directory style, as MkDocs writes it) of a Markdown source path."""
    if not source.endswith(".md"):
        return source
    stem = source[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


# -- pages (Markdown sources) ----------------------------------------------------------------------

def organisatie_bron(org_id: str) -> str:
    return f"{ORGANISATIES}/{slug(org_id)}.md"


def gemeente_bron(gemeente_slug: str) -> str:
    return f"{GEMEENTEN}/{slug(gemeente_slug)}.md"


GEMEENTEN_OVERZICHT = f"{GEMEENTEN}/index.md"
KETENSCAN_OVERZICHT = f"{GEMEENTEN}/ketenscan.md"
VERWIJSWIJZER = "verwijswijzer/index.md"
WOORDENLIJST = "woordenlijst.md"
OPEN_GEGEVENS = f"{API}/index.md"


# -- page URLs -------------------------------------------------------------------------------------

def organisatie(org_id: str) -> str:
    return url_of(organisatie_bron(org_id))


def gemeente(gemeente_slug: str) -> str:
    return url_of(gemeente_bron(gemeente_slug))


# -- other files -----------------------------------------------------------------------------------

def kaart(gemeente_slug: str) -> str:
    return f"{KAARTEN}/{slug(gemeente_slug)}.html"


OVERZICHTSKAART = f"{KAARTEN}/{NATIONAAL}.html"  # the national overview map (a reserved chain slug)


GRAPH_FORMATS = ("graphml", "gexf", "json")  # the graph downloads of a municipality and of the country


def download(name: str, fmt: str) -> str:
    """A download: downloads/<gemeente or nederland>.<graphml|gexf|json>, or another named file."""
    return f"{DOWNLOADS}/{slug(name)}.{slug(fmt)}"


def api_gemeente(gemeente_slug: str) -> str:
    return f"{API}/{GEMEENTEN}/{slug(gemeente_slug)}.json"


API_ORGANISATIES = f"{API}/organisaties.json"
API_GEMEENTEN = f"{API}/gemeenten.json"


def scan_figuur(gemeente_slug: str) -> str:
    return f"assets/ketenscan/{slug(gemeente_slug)}.svg"


def verwijs_data(gemeente_slug: str) -> str:
    return f"verwijswijzer/data/{slug(gemeente_slug)}.json"


def keten_bestanden(gemeente_slug: str) -> tuple[str, ...]:
    """Every file the site makes for one municipality alone: its page, map, scan figure,
    verwijswijzer answers, graph downloads and JSON (a rebuild keeps or remakes them together)."""
    return (gemeente_bron(gemeente_slug), kaart(gemeente_slug), scan_figuur(gemeente_slug),
            verwijs_data(gemeente_slug), api_gemeente(gemeente_slug),
            *(download(gemeente_slug, fmt) for fmt in GRAPH_FORMATS))


def schema(naam: str) -> str:
    """The published JSON Schema of a data file kind (organisatie, keten)."""
    return f"{DOWNLOADS}/schema/{slug(naam)}.schema.json"


# -- links between pages ---------------------------------------------------------------------------

def relative(target: str, from_source: str) -> str:
    """A link from the page with Markdown source (or file) `from_source` to `target`, both relative
    to the docs folder. MkDocs resolves Markdown links from the source file; a standalone HTML
    file (a map) resolves them from its own folder, which is the same thing."""
    start = posixpath.dirname(from_source)
    folder, _, name = target.rpartition("/")
    prefix = _up_and_down(folder, start)
    if prefix is None or name in (".", "..") or target[:1] in ("", "/") or \
            (name and (start == target or start.startswith(target + "/"))):
        rel = posixpath.relpath(target, start or ".")  # not a plain path, or a link up its own path
        return rel + "/" if target.endswith("/") and not rel.endswith("/") else rel
    if name:
        return f"{prefix}/{name}" if prefix else name
    return f"{prefix}/" if prefix else "./"


def _plain(path: str) -> bool:
    return not path or (path[0] != "/" and all(part not in ("", ".", "..") for part in path.split("/")))


def _up_and_down(folder: str, start: str) -> str | None:
    """posixpath.relpath(folder, start) for two plain folder paths relative to the docs folder
    ("": the docs folder itself; the answer "" when they are the same), None for any other path.
    Worked out from the parts of the two paths: a site has links by the hundred thousand, and
    relpath asks the operating system for the working folder each time."""
    if not (_plain(folder) and _plain(start)):
        return None
    down = folder.split("/") if folder else []
    up = start.split("/") if start else []
    same = 0
    for a, b in zip(down, up):
        if a != b:
            break
        same += 1
    return "/".join([".."] * (len(up) - same) + down[same:])
