"""A project's site settings: one block a municipality edits, `extra: ketenkaart:` in mkdocs.yml.

    extra:
      ketenkaart:
        gebied: Deventer                    # the municipality or region the site covers
        beheerder:                          # who keeps the data true, and how to reach them
          naam: Team Schuldhulp Deventer
          email: sociale-kaart@deventer.nl  # and/or
          formulier: https://www.deventer.nl/melding
        verouderd_na_maanden: 12            # older checks get a notice on their page

The site name is MkDocs' own `site_name`. The theme shows the beheerder in every footer (it reads
`config.extra.ketenkaart`); the generator uses the same settings for the "Klopt er iets niet?"
link, the notice on records that were not checked for a while (the rule is generator.upkeep's
Threshold; the pipeline hands it to the chain scan as plain data) and the snippets that a
project's start page and "Over" page include (render/settings_snippets.py). Errors are located
like data errors: mkdocs.yml, line, field, what was expected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from generator.domain.fields.kinds import URL_RE
from generator.load.yamlfile import read_yaml
from generator.model import DataError
from generator.upkeep import Threshold

BLOCK = ("extra", "ketenkaart")
DEFAULT_MONTHS = 12
KEYS = ("gebied", "beheerder", "verouderd_na_maanden")
BEHEERDER_KEYS = ("naam", "email", "formulier")


@dataclass(frozen=True)
class Beheerder:
    naam: str
    email: str | None = None
    formulier: str | None = None

    def meld_adres(self, onderwerp: str) -> str | None:
        """Where a reader reports an error about one page: the form, or an e-mail with the page
        named in the subject (no address from another host is loaded; it is only a link)."""
        if self.formulier:
            return self.formulier
        if self.email:
            return f"mailto:{self.email}?subject={quote('Klopt er iets niet? ' + onderwerp)}"
        return None


@dataclass(frozen=True)
class Settings:
    site_naam: str = "Ketenkaart"
    gebied: str | None = None
    beheerder: Beheerder | None = None
    verouderd_na_maanden: int = DEFAULT_MONTHS

    def threshold(self, vandaag: dt.date) -> Threshold:
        """The upkeep rule (generator.upkeep) with this site's number of months, on one day."""
        return Threshold(vandaag, self.verouderd_na_maanden)

    def verouderd(self, gecontroleerd: str, vandaag: dt.date) -> bool:
        """Was this record (checked 'YYYY-MM' or 'YYYY-MM-DD') last checked longer ago than the threshold?"""
        return self.threshold(vandaag).is_stale(gecontroleerd)


def read_settings(config: Path, shown_as: str) -> tuple[Settings, list[DataError]]:
    """The settings of a project's mkdocs.yml; defaults (and no errors) when the block is absent."""
    if not config.is_file():
        return Settings(), []
    doc, errors = read_yaml(config, shown_as)
    if doc is None:
        # mkdocs.yml may use tags such as !!python/name that the safe reader refuses; MkDocs itself
        # reports real problems of the file, so only the settings block matters here.
        return Settings(), []
    data = doc.data if isinstance(doc.data, dict) else {}
    problems: list[DataError] = []

    def error(path: tuple, message: str) -> None:
        problems.append(DataError(shown_as, doc.line(path), ".".join(map(str, path)), message))

    def text(block: dict, key: str, path: tuple) -> str | None:
        value = block.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            error(path + (key,), "verwacht een tekst")
            return None
        return " ".join(value.split())

    site_naam = data.get("site_name") if isinstance(data.get("site_name"), str) else "Ketenkaart"
    block: Any = data.get(BLOCK[0], {})
    block = block.get(BLOCK[1]) if isinstance(block, dict) else None
    if block is None:
        return Settings(site_naam), []
    if not isinstance(block, dict):
        error(BLOCK, f"verwacht een blok met {', '.join(KEYS)}")
        return Settings(site_naam), problems
    for key in block:
        if key not in KEYS:
            error(BLOCK + (key,), f"onbekende instelling '{key}'; verwacht een van: {', '.join(KEYS)}")
    gebied = text(block, "gebied", BLOCK)
    beheerder = None
    raw = block.get("beheerder")
    if raw is not None:
        path = BLOCK + ("beheerder",)
        if not isinstance(raw, dict):
            error(path, f"verwacht een blok met {', '.join(BEHEERDER_KEYS)}")
        else:
            for key in raw:
                if key not in BEHEERDER_KEYS:
                    error(path + (key,), f"onbekende instelling '{key}'; verwacht een van: {', '.join(BEHEERDER_KEYS)}")
            naam = text(raw, "naam", path)
            email = text(raw, "email", path)
            formulier = text(raw, "formulier", path)
            if email and ("@" not in email or any(c in email for c in " <>\"'?&")):
                error(path + ("email",), f"'{email}' is geen e-mailadres; verwacht iets als naam@gemeente.nl")
                email = None
            if formulier and not URL_RE.match(formulier):
                error(path + ("formulier",), f"'{formulier}' is geen webadres; verwacht een adres dat begint met https://")
                formulier = None
            if naam is None:
                error(path + ("naam",), "verplicht veld 'naam' ontbreekt; verwacht wie de gegevens bijhoudt")
            elif not (email or formulier):
                error(path, "verwacht een e-mailadres (email) of een webformulier (formulier) waar lezers fouten melden")
            else:
                beheerder = Beheerder(naam, email, formulier)
    months = block.get("verouderd_na_maanden", DEFAULT_MONTHS)
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 120:
        error(BLOCK + ("verouderd_na_maanden",), f"verwacht een aantal maanden van 1 tot 120, niet '{months}'")
        months = DEFAULT_MONTHS
    return Settings(site_naam, gebied, beheerder, months), problems
