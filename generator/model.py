"""Plain data passed between the pipeline stages.

Every stage takes these frozen records and returns new data; no stage changes what it was given.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

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

    def derived(self, key: Any, make: Callable[[], Any]) -> Any:
        """A value computed from this dataset once and then kept (an index, a table that every
        municipality shares). The records are not changed after loading, so it stays valid; a new
        Dataset (also `dataclasses.replace`) starts without any."""
        cache = self.__dict__.get("_derived")
        if cache is None:
            cache = {}
            object.__setattr__(self, "_derived", cache)  # frozen: set once, outside the fields
        if key not in cache:
            cache[key] = make()
        return cache[key]

    def _by_gemeente(self) -> dict[str, tuple[Organisatie, ...]]:
        def make():
            found: dict[str, list[Organisatie]] = {}
            for o in sorted(self.organisaties.values(), key=lambda o: o.naam.casefold()):
                for cbs in dict.fromkeys(o.gemeenten):
                    found.setdefault(cbs, []).append(o)
            return {cbs: tuple(orgs) for cbs, orgs in found.items()}
        return self.derived("in_gemeente", make)

    def in_gemeente(self, cbs: str) -> list[Organisatie]:
        """Local organisations of one municipality, in name order."""
        return list(self._by_gemeente().get(cbs, ()))

    def landelijke(self) -> list[Organisatie]:
        return list(self.derived("landelijke", lambda: tuple(
            sorted((o for o in self.organisaties.values() if o.landelijk), key=lambda o: o.naam.casefold()))))


@dataclass(frozen=True)
class Scope:
    """Which municipalities (CBS codes) and organisations (ids) a build makes files for; None: all.

    A rebuild after an edit makes only what the edit can change (generator.reuse decides); the
    analysis and render stages skip the rest, and the files the previous build made for it stay."""

    ketens: frozenset[str] | None = None
    organisaties: frozenset[str] | None = None

    def keten(self, cbs: str) -> bool:
        return self.ketens is None or cbs in self.ketens

    def organisatie(self, org_id: str) -> bool:
        return self.organisaties is None or org_id in self.organisaties


ALLES = Scope()


def digest(content: bytes) -> str:
    """The digest by which builds compare a file's content (the publish stage records them)."""
    return hashlib.blake2b(content, digest_size=16).hexdigest()


def digest_of(*parts: object) -> str:
    """A digest of plain values (records, text, numbers, tuples, dicts): their pickle, which is the
    same in every process for the engine's frozen records."""
    return digest(pickle.dumps(parts, protocol=5))


@dataclass(frozen=True)
class Unchanged:
    """A generated file that this build did not make again: the same content as the file the
    previous build wrote there, whose `digest` this is."""

    digest: str
