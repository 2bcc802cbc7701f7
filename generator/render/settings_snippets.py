"""The site settings as Markdown snippets that a project's own pages include.

A project's start page and "Over" page are its own Markdown (content/), yet they should show the
settings of mkdocs.yml (site_name and extra: ketenkaart: gebied, beheerder, verouderd_na_maanden)
as they are when the site is built. The render stage therefore writes three small snippets beside
the docs folder, into the snippet folder of pymdownx.snippets (build/includes/ketenkaart/), and a
page includes one with a single line:

    --8<-- "ketenkaart/start.md"      the site name as heading, what the site covers, who keeps it
    --8<-- "ketenkaart/over.md"       who keeps the data, how current it is, how to report an error
    --8<-- "ketenkaart/verouderd.md"  the paragraph on "Mogelijk verouderd" (also inside over.md)

The docs folder stays plain Markdown, written before MkDocs runs, so MkDocs, Zensical or any tool
that reads mkdocs.yml builds the same pages (no hooks, no plugins); `check_paths: true` makes a
missing snippet an error instead of an empty spot. Every value from the settings is escaped like
data (markdown.md_text); the snippets hold no links to other pages, since they are included at
different depths.
"""

from __future__ import annotations

from jinja2 import Environment
from markupsafe import Markup

from generator.render.markdown import link_url
from generator.settings import Settings

# The snippet folder (the includes folder beside the docs folder), relative to the docs folder:
# the generated files are addressed from there.
SNIPPET_DIR = "../includes/ketenkaart/"
SNIPPETS = ("start", "over", "verouderd")


def snippet_files(md_env: Environment, settings: Settings) -> dict[str, str]:
    """The snippets, by path relative to the docs folder (SNIPPET_DIR + 'start.md', ...)."""
    beheerder = settings.beheerder
    adres = beheerder.meld_adres(settings.site_naam) if beheerder else None
    melden = Markup(link_url(adres)) if adres else None
    return {f"{SNIPPET_DIR}{name}.md": md_env.get_template(f"instellingen/{name}.md.j2").render(site=settings, melden=melden)
            for name in SNIPPETS}
