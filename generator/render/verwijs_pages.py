"""The verwijswijzer's files on the site: the page, one lookup file per municipality, its script."""

from __future__ import annotations

import json
import re

from jinja2 import Environment
from markupsafe import Markup, escape

from generator import urls
from generator.project import engine_path
from generator.model import Dataset
from generator.analyse.verwijs import AXES, PROFIEL_DOELGROEPEN

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


def verwijswijzer_files(md_env: Environment, dataset: Dataset, data: dict[str, str],
                        abbreviations: list[tuple[str, str]], guidance: frozenset[str]) -> dict[str, str]:
    """The page, its script and style, and the precomputed answers (`data`: JSON text by chain slug)."""
    ketens = sorted(dataset.ketens.values(), key=lambda k: k.naam.casefold())
    env = md_env.overlay()
    env.filters["afk"] = abbr_filter(list(abbreviations))
    # For the script: the same explanations in the advice it shows; '<' escaped inside <script>.
    afkortingen = Markup(json.dumps(dict(abbreviations), ensure_ascii=False).replace("<", "\\u003c"))
    out = {urls.VERWIJSWIJZER: env.get_template("verwijswijzer.md.j2").render(
        hier=urls.VERWIJSWIJZER, ketens=ketens, met_formulier=True,
        gidsen=json.dumps(sorted(urls.url_of(g) for g in guidance)),
        gemaakt=json.dumps([f"{urls.ORGANISATIES}/", f"{urls.GEMEENTEN}/"]), axes=AXES, doelgroepen=PROFIEL_DOELGROEPEN,
        afkortingen=afkortingen)}
    for slug, text in data.items():
        out[urls.verwijs_data(slug)] = text
    out[SCRIPT] = engine_path("assets", "verwijswijzer.js").read_text(encoding="utf-8")
    out[STYLE] = engine_path("assets", "verwijswijzer.css").read_text(encoding="utf-8")
    return out
