"""Keeping the data true: which records were last checked longer ago than the project allows.

One rule, `Threshold`: a record last checked (gecontroleerd 'YYYY-MM' or 'YYYY-MM-DD') more than
`maanden` whole months before `vandaag` is stale. It is plain data (a day and a number), so every
stage can take it as an argument: the pipeline makes it once per build from the site settings
(Settings.threshold) and the build day, and passes it to the chain scan (analyse/scan.py counts the
stale records of each chain with `chain_upkeep`) as well as to the pages (the "Mogelijk verouderd"
notice, through Settings.verouderd, which applies the same rule).

`stale(dataset, settings, vandaag)` lists the stale records per municipality, oldest first: the
chain file and the local organisations of each municipality (`chain_records`, the same records the
scan counts), then the national organisations. The command `ketenkaart verouderd` prints the list
for the beheerder's routine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.model import Dataset, Keten

if TYPE_CHECKING:  # settings.py imports this module for the rule
    from generator.settings import Settings

LANDELIJK_GROEP = "landelijk"
KETEN_BESTANDEN = "het ketenbestand en de organisaties uit de gemeente"  # what chain_records counts


@dataclass(frozen=True)
class Threshold:
    """The upkeep rule on one day: stale means checked more than `maanden` months before `vandaag`."""

    vandaag: dt.date
    maanden: int

    def is_stale(self, gecontroleerd: str) -> bool:
        """Was a record checked 'YYYY-MM' or 'YYYY-MM-DD' longer ago than the threshold? Only
        months count: checked 2025-11 is 12 months old on any day of 2026-11."""
        try:
            jaar, maand = int(gecontroleerd[:4]), int(gecontroleerd[5:7])
        except ValueError:
            return False
        return (self.vandaag.year - jaar) * 12 + (self.vandaag.month - maand) > self.maanden


@dataclass(frozen=True)
class Stale:
    """One record (a chain file or an organisation file) with the day it was last checked."""

    groep: str  # CBS code, or 'landelijk'
    groepnaam: str
    soort: str  # 'keten' or 'organisatie'
    id: str  # CBS code of a chain, id of an organisation
    naam: str
    gecontroleerd: str
    bestand: str

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ChainUpkeep:
    """How up to date one chain's records are: its chain file and its local organisations."""

    maanden: int  # the threshold
    bestanden: int  # how many records the chain has
    verouderd: tuple[Stale, ...]  # those checked longer ago than the threshold, oldest first

    def tekst(self) -> str:
        """The count in one sentence, for the chain page and the command line alike: '2 van de 8
        bestanden van deze keten (...) zijn langer dan 12 maanden geleden gecontroleerd.'"""
        n, maanden = len(self.verouderd), f"{self.maanden} maanden"
        if self.bestanden == 1:  # a chain without local organisations: only its chain file
            return f"Het ketenbestand is {'langer dan ' + maanden + ' geleden' if n else 'de afgelopen ' + maanden} gecontroleerd."
        wat = f"bestanden van deze keten ({KETEN_BESTANDEN})"
        if not n:
            return f"Alle {self.bestanden} {wat} zijn de afgelopen {maanden} gecontroleerd."
        hoeveel = f"Alle {self.bestanden}" if n == self.bestanden else f"{n} van de {self.bestanden}"
        return f"{hoeveel} {wat} {'is' if n == 1 else 'zijn'} langer dan {maanden} geleden gecontroleerd."

    def as_dict(self) -> dict:
        return {"maanden": self.maanden, "bestanden": self.bestanden,
                "verouderd": [r.as_dict() for r in self.verouderd]}


def _oldest_first(records) -> list[Stale]:
    """Oldest check first; on the same date the chain file, then organisations by name."""
    return sorted(records, key=lambda r: (r.gecontroleerd, r.soort != "keten", r.naam.casefold()))


def chain_records(dataset: Dataset, keten: Keten) -> list[Stale]:
    """The records a municipality keeps: its chain file, then its local organisations (name order)."""
    return ([Stale(keten.cbs, keten.naam, "keten", keten.cbs, f"Keten {keten.naam}", keten.gecontroleerd, keten.bestand)]
            + [Stale(keten.cbs, keten.naam, "organisatie", o.id, o.naam, o.gecontroleerd, o.bestand)
               for o in dataset.in_gemeente(keten.cbs)])


def chain_upkeep(dataset: Dataset, keten: Keten, threshold: Threshold) -> ChainUpkeep:
    records = chain_records(dataset, keten)
    return ChainUpkeep(threshold.maanden, len(records),
                       tuple(_oldest_first(r for r in records if threshold.is_stale(r.gecontroleerd))))


def stale(dataset: Dataset, settings: Settings, vandaag: dt.date) -> list[Stale]:
    threshold = settings.threshold(vandaag)
    found: list[Stale] = []
    for keten in sorted(dataset.ketens.values(), key=lambda k: (k.naam.casefold(), k.cbs)):
        found += chain_upkeep(dataset, keten, threshold).verouderd
    national = [Stale(LANDELIJK_GROEP, "Landelijk", "organisatie", o.id, o.naam, o.gecontroleerd, o.bestand)
                for o in dataset.landelijke() if threshold.is_stale(o.gecontroleerd)]
    return found + _oldest_first(national)
