"""JSON Schemas (draft 2020-12) of organisation files and chain files, made from the field registry.

Editors use them to complete and check YAML data files while you type (VS Code with the YAML
extension, IntelliJ, ...): `ketenkaart schema organisatie` prints one, and the site offers both as
downloads (downloads/schema/organisatie.schema.json and keten.schema.json). Enumerations come from
the vocabulary, descriptions are the Dutch help texts of the registry (generator.domain.fields).

The schema checks the shape of one file; what only the loader can check stays with `ketenkaart
check`: that an id equals the file name, that referenced organisations and municipalities exist,
and that an id is unique.
"""

from __future__ import annotations

import json
from typing import Any

from generator.domain.fields import RECORDS, Record, property_schema
from generator.domain.vocab import Vocabulary, load_vocabulary

DIALECT = "https://json-schema.org/draft/2020-12/schema"

TITLES = {
    "organisatie": ("Ketenkaart: organisatiebestand",
                    "Eén organisatie in de keten van schulddienstverlening (een .yaml-bestand in organisaties/, "
                    "buiten organisaties/gemeenten/). Controleer het geheel met `ketenkaart check`."),
    "keten": ("Ketenkaart: ketenbestand",
              "De keten van één gemeente (een .yaml-bestand in organisaties/gemeenten/). Controleer het geheel "
              "met `ketenkaart check`."),
}


def record_schema(record: Record, vocab: Vocabulary | None = None) -> dict[str, Any]:
    """The JSON Schema of one kind of data file."""
    vocab = vocab or load_vocabulary()
    title, description = TITLES.get(record.noun, (f"Ketenkaart: {record.noun}", ""))
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "title": title,
        "description": description,
        "type": "object",
        "properties": {f.key: property_schema(f, vocab) for f in record.fields},
        "required": [f.key for f in record.fields if f.required],
        "additionalProperties": False,
    }
    return schema


def schema_of(noun: str, vocab: Vocabulary | None = None) -> dict[str, Any]:
    """The schema of 'organisatie' or 'keten' (KeyError for anything else)."""
    return record_schema(RECORDS[noun], vocab)


def schema_text(noun: str, vocab: Vocabulary | None = None) -> str:
    return json.dumps(schema_of(noun, vocab), ensure_ascii=False, indent=2) + "\n"


def schema_bytes(noun: str, vocab: Vocabulary | None = None) -> bytes:
    return schema_text(noun, vocab).encode("utf-8")
