"""`ketenkaart schema organisatie|keten`: print the JSON Schema of a kind of data file.

The schema (generator.domain.jsonschema) lets an editor complete and check YAML data files while
you type; organisaties/README.md shows how. It is printed on standard output, so it can be saved
with `ketenkaart schema organisatie > organisatie.schema.json`.
"""

from __future__ import annotations

import argparse
import sys

from generator.cli.common import project_of, project_options
from generator.domain.fields import RECORDS
from generator.domain.jsonschema import schema_text
from generator.domain.vocab import VocabularyError, load_vocabulary


def cmd_schema(args: argparse.Namespace) -> int:
    own = getattr(project_of(args), "vocabulary", None)  # the project's own vocabulary, if it has one
    try:
        vocab = load_vocabulary(own) if own else load_vocabulary()
    except VocabularyError as exc:
        print(exc, file=sys.stderr)
        return 1
    sys.stdout.write(schema_text(args.soort, vocab))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    schema = sub.add_parser("schema", help="druk het JSON Schema van een gegevensbestand af (voor uw editor)")
    schema.add_argument("soort", choices=list(RECORDS),
                        help="organisatie (organisatiebestanden) of keten (ketenbestanden in gemeenten/)")
    project_options(schema)
    schema.set_defaults(func=cmd_schema)
