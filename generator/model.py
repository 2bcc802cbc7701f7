"""Plain data passed between the pipeline stages.

Every stage takes these frozen records and returns new data; no stage changes what it was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

LANDELIJK = "landelijk"


@dataclass(frozen=True)
class DataError:
    """One problem in one input file, in the words a data editor needs."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        """One line, `path:line: field: message` (or `path: ...`): a line break or control character
        in a file name, field or value is written as an escape, so one error is always one line."""
        from generator.domain.fields.kinds import printable

        where = f"{self.path}:{self.line}:" if self.line else f"{self.path}:"
        veld = f" {self.field}:" if self.field else ""
        return printable(f"{where}{veld} {self.message}")


# The records of the data files are built from the field registry (generator.domain.fields), so
# that a new field needs no change here: Organisatie, Keten, Bron, Route and Relatie are looked up
# there on first use. (Lazily, because the domain package itself imports this module.)
_FROM_REGISTRY = ("Organisatie", "Keten", "Bron", "Route", "Relatie")

if TYPE_CHECKING:
    from generator.domain.fields import Bron, Keten, Organisatie, Relatie, Route
    from generator.domain.vocab import Vocabulary


def __getattr__(name: str) -> Any:
    if name in _FROM_REGISTRY:
        from generator.domain import fields

        value = getattr(fields, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Dataset:
    organisaties: dict[str, Organisatie] = field(default_factory=dict)
    ketens: dict[str, Keten] = field(default_factory=dict)  # by CBS code
    vocab: Vocabulary | None = None  # the vocabulary the data was checked against

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
