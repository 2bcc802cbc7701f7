"""Keeping the data true: which records were last checked longer ago than the project allows.

`stale(dataset, settings, vandaag)` lists them per municipality, oldest first: the chain file and
the local organisations of each municipality, then the national organisations. The command
`ketenkaart verouderd` prints the list for the beheerder's routine; the pages show a notice on
the same records (render/pages.py asks Settings.verouderd, as this module does).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.model import Dataset
from generator.settings import Settings

LANDELIJK_GROEP = "landelijk"


@dataclass(frozen=True)
class Stale:
    groep: str  # CBS code, or 'landelijk'
    groepnaam: str
    soort: str  # 'keten' or 'organisatie'
    id: str  # CBS code of a chain, id of an organisation
    naam: str
    gecontroleerd: str
    bestand: str

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def stale(dataset: Dataset, settings: Settings, vandaag: dt.date) -> list[Stale]:
    found: list[Stale] = []
    for keten in sorted(dataset.ketens.values(), key=lambda k: (k.naam.casefold(), k.cbs)):
        records = [Stale(keten.cbs, keten.naam, "keten", keten.cbs, f"Keten {keten.naam}", keten.gecontroleerd,
                         keten.bestand)]
        records += [Stale(keten.cbs, keten.naam, "organisatie", o.id, o.naam, o.gecontroleerd, o.bestand)
                    for o in dataset.in_gemeente(keten.cbs)]
        found += sorted((r for r in records if settings.verouderd(r.gecontroleerd, vandaag)),
                        key=lambda r: (r.gecontroleerd, r.naam.casefold()))
    national = [Stale(LANDELIJK_GROEP, "Landelijk", "organisatie", o.id, o.naam, o.gecontroleerd, o.bestand)
                for o in dataset.landelijke() if settings.verouderd(o.gecontroleerd, vandaag)]
    return found + sorted(national, key=lambda r: (r.gecontroleerd, r.naam.casefold()))
