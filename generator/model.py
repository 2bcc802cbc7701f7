"""Plain data passed between the pipeline stages.

Every stage takes these frozen records and returns new data; no stage changes what it was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANDELIJK = "landelijk"


@dataclass(frozen=True)
class DataError:
    """One problem in one input file, in the words a data editor needs."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:" if self.line else f"{self.path}:"
        veld = f" {self.field}:" if self.field else ""
        return f"{where}{veld} {self.message}"


@dataclass(frozen=True)
class Bron:
    titel: str
    url: str | None = None


@dataclass(frozen=True)
class Relatie:
    """A typed, directed link between two organisations."""

    soort: str  # a key of the 'relaties' vocabulary
    van: str
    naar: str
    wanneer: str | None = None
    warm: bool = False


@dataclass(frozen=True)
class Organisatie:
    id: str
    naam: str
    soort: str
    gemeenten: tuple[str, ...]  # CBS codes, empty when landelijk
    landelijk: bool
    inzet: str
    beschrijving: str
    diensten: tuple[str, ...]
    fasen: tuple[str, ...]
    doelgroepen: tuple[str, ...]
    profielen: dict[str, tuple[str, ...]]  # axis -> values served; every axis present
    duur: str | None
    toegang: tuple[str, ...]
    spoed: bool
    contact: dict[str, str]
    website: str | None
    relaties: tuple[Relatie, ...]
    bron: Bron
    gecontroleerd: str
    bestand: str
    fictief: bool = False


@dataclass(frozen=True)
class Route:
    """A path the chain prescribes for help seekers who meet a condition."""

    naam: str
    voorwaarde: dict[str, tuple[str, ...]]  # axis -> values; also 'spoed' -> ('ja',)
    stappen: tuple[str, ...]
    warm: bool = False


@dataclass(frozen=True)
class Keten:
    cbs: str
    naam: str
    slug: str
    regie: str | None
    toegang: str | None
    beschrijving: str
    routes: tuple[Route, ...]
    bron: Bron
    gecontroleerd: str
    bestand: str
    fictief: bool = False
    # Kinds of scan finding (vocabulary 'bevindingen') this chain does not allow, each with the
    # line in the chain file where it is listed; `ketenkaart check --strict` fails on them.
    niet_toegestaan: dict[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Dataset:
    organisaties: dict[str, Organisatie] = field(default_factory=dict)
    ketens: dict[str, Keten] = field(default_factory=dict)  # by CBS code

    def in_gemeente(self, cbs: str) -> list[Organisatie]:
        """Local organisations of one municipality, in name order."""
        return sorted(
            (o for o in self.organisaties.values() if cbs in o.gemeenten),
            key=lambda o: o.naam.casefold(),
        )

    def landelijke(self) -> list[Organisatie]:
        return sorted(
            (o for o in self.organisaties.values() if o.landelijk),
            key=lambda o: o.naam.casefold(),
        )
