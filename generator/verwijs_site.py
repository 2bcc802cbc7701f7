"""The verwijswijzer's files on the site: the page, one lookup file per municipality, its script."""

from __future__ import annotations

import json
import re
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup, escape

from .load import SLUG_RE
from .model import Dataset
from .verwijs import AXES, PROFIEL_DOELGROEPEN

ASSETS = Path(__file__).resolve().parent.parent / "site_templates" / "assets"
PAGE = "verwijswijzer/index.md"
DATA_DIR = "verwijswijzer/data"
SCRIPT = "assets/verwijswijzer.js"
STYLE = "assets/verwijswijzer.css"


def abbr_filter(abbreviations: list[tuple[str, str]]):
    """A template filter for text inside raw HTML (which the abbr extension does not reach):
    the text escaped, with every known abbreviation explained in an <abbr> element."""
    known = dict(abbreviations)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(known, key=len, reverse=True))) + r")(?![\w-])") \
        if known else None

    def explain(text) -> Markup:
        text = str(text)
        if pattern is None:
            return escape(text)
        out, last = [], 0
        for match in pattern.finditer(text):
            out.append(escape(text[last:match.start()]))
            out.append(Markup('<abbr title="{}">{}</abbr>').format(known[match.group(1)], match.group(1)))
            last = match.end()
        out.append(escape(text[last:]))
        return Markup("").join(out)

    return explain


def verwijswijzer_files(md_env: Environment, dataset: Dataset, data: dict[str, str] | None,
                        abbreviations: list[tuple[str, str]] = ()) -> dict[str, str]:
    """The page and, when the answers were precomputed (`data`, JSON text by chain slug), its files."""
    ketens = sorted(dataset.ketens.values(), key=lambda k: k.naam.casefold())
    env = md_env.overlay()
    env.filters["afk"] = abbr_filter(list(abbreviations))
    # For the script: the same explanations in the advice it shows; '<' escaped inside <script>.
    afkortingen = Markup(json.dumps(dict(abbreviations), ensure_ascii=False).replace("<", "\\u003c"))
    out = {PAGE: env.get_template("verwijswijzer.md.j2").render(
        ketens=ketens, met_formulier=data is not None, axes=AXES, doelgroepen=PROFIEL_DOELGROEPEN,
        afkortingen=afkortingen)}
    if data is not None:
        for slug, text in data.items():
            if not SLUG_RE.match(slug):
                raise ValueError(f"not a slug: {slug!r}")
            out[f"{DATA_DIR}/{slug}.json"] = text
        out[SCRIPT] = (ASSETS / "verwijswijzer.js").read_text(encoding="utf-8")
        out[STYLE] = (ASSETS / "verwijswijzer.css").read_text(encoding="utf-8")
    return out
