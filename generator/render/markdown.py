"""Jinja2 environments and the escaping that keeps text from data inert.

Two environments, both reading the engine's templates (generator.project.engine_path):

* HTML templates (the map documents) use Jinja2's HTML autoescaping.
* Markdown templates use a finalize hook that turns every printed value into inert Markdown:
  characters that Markdown or HTML would interpret become numeric character references. Only
  values wrapped in Markup (links built from validated slugs by generator.urls) pass through
  unchanged. Text from data is therefore shown literally: a name containing <script> or *stars*
  is printed as those characters, never run as HTML or read as formatting.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from generator import urls
from generator.project import engine_path

MD_SPECIAL = set("\\`*_{}[]()<>#+-.!|~^=:&\"'$%@")
_MD_REFERENCES = {ord(ch): f"&#{ord(ch)};" for ch in MD_SPECIAL}


def md_text(value: Any) -> str:
    """Make any value inert inside Markdown (and HTML): special characters become references."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    return str(value).translate(_MD_REFERENCES)


def md_paragraphs(text: str) -> Markup:
    """Data text with blank-line paragraphs kept; each paragraph made inert."""
    parts = [" ".join(p.split()) for p in str(text).split("\n\n")]
    return Markup("\n\n".join(md_text(p) for p in parts if p))


def link_url(url: str) -> Markup:
    """A validated http(s) URL, made safe as a Markdown link target."""
    return Markup(quote(url, safe=":/?#@!$&'*+,;=%~-._"))




def slug(value: str) -> Markup:
    """A validated slug, safe to print as part of a path."""
    return Markup(urls.slug(value))


def relative(target: str, from_source: str) -> Markup:
    """A link target from one docs page to another page or file (see generator.urls)."""
    return Markup(urls.relative(target, from_source))


def markdown_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(engine_path()),
        autoescape=False,
        finalize=md_text,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["alinea"] = md_paragraphs
    env.filters["url"] = link_url
    env.filters["slug"] = slug
    env.filters["van"] = relative
    env.globals["urls"] = urls
    return env


def html_env() -> Environment:
    return Environment(
        loader=FileSystemLoader(engine_path()),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
    )


def front_matter(meta: dict) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n"
