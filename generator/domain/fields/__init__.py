"""The fields of organisation files and chain files: one declarative registry.

Every field of a data file is declared here once: its key, its kind, whether it is required, its
Dutch help text and where it travels (spreadsheet column, HSDS, graph attribute, JSON view). The
kind (a small class per type of value) knows how to

* check a raw YAML value, reporting every problem with its path (`check`);
* write a checked value back into a data file (`to_data`), a JSON value (`to_json`), a
  spreadsheet cell and back (`to_cell`, `from_cell`), a graph attribute (`graph_items`);
* describe itself as a JSON Schema fragment (`schema`) and for editors (`hint`, `expect`);
* travel as HSDS attributes pointing to terms of the Ketenkaart taxonomy (`hsds_encode`,
  `hsds_decode`).

Everything else is derived from this registry: the model classes (`Organisatie`, `Keten`, `Bron`,
`Route`, built with dataclasses.make_dataclass and re-exported by generator.model), validation in
the loader, the organisation-file writer and its comments, the spreadsheet template and import,
the HSDS mapping of the fields that travel as attributes, the graph node attributes, the JSON
view, and the JSON Schema of both kinds of file (generator.domain.jsonschema).

Adding an optional field to organisation files is one `Field(...)` line in ORGANISATIE_FIELDS
(plus, to show it on the organisation page, a line in site_templates/organisatie.md.j2).

This module imports nothing of the pipeline at import time, so that generator.model can build its
classes from it (lazily, see generator.model).
"""

from generator.domain.fields.kinds import *  # noqa: F401,F403
from generator.domain.fields.kinds import _and, _or  # noqa: F401
from generator.domain.fields.records import *  # noqa: F401,F403
from generator.domain.fields.registry import *  # noqa: F401,F403
