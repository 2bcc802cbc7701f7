"""The controlled vocabularies (vocabulaire.yaml), read once and shared by every stage."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

VOCAB_FILE = Path(__file__).with_name("vocabulaire.yaml")


@dataclass(frozen=True)
class Term:
    key: str
    label: str
    uitleg: str


@dataclass(frozen=True)
class TermList:
    key: str
    label: str
    uitleg: str
    terms: dict[str, Term]

    def label_of(self, key: str) -> str:
        term = self.terms.get(key)
        return term.label if term else key


@dataclass(frozen=True)
class Vocabulary:
    lists: dict[str, TermList]  # soorten, inzet, diensten, fasen, doelgroepen, duur, toegang, relaties
    axes: dict[str, TermList]  # leerbaarheid, problematiek, schulden, vertrouwen
    profiel_label: str
    profiel_uitleg: str

    def __getitem__(self, name: str) -> TermList:
        return self.lists[name]

    def label(self, name: str, key: str) -> str:
        return self.lists[name].label_of(key)


def in_zin(label: str) -> str:
    """A label inside a sentence: first letter lower case, except for an abbreviation (WSNP)."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _term_list(key: str, raw: dict) -> TermList:
    terms = {k: Term(k, v["label"], v["uitleg"]) for k, v in raw["termen"].items()}
    return TermList(key, raw["label"], raw["uitleg"], terms)


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    raw = yaml.safe_load(VOCAB_FILE.read_text(encoding="utf-8"))
    profielen = raw.pop("profielen")
    lists = {k: _term_list(k, v) for k, v in raw.items()}
    axes = {k: _term_list(k, v) for k, v in profielen["assen"].items()}
    return Vocabulary(lists, axes, profielen["label"], profielen["uitleg"])
