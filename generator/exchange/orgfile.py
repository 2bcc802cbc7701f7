"""Organisation files written by Ketenkaart itself: YAML text with comments, checked by the loader.

Every command that creates organisation files (`import hsds`, `import csv`, `nieuw organisatie`)
goes through this module:

* `organisation_data` turns a loaded Organisatie back into the plain dict of a data file, such
  that loading the written file gives an equal record;
* `dump_organisation` writes such a dict as a commented YAML file in the layout of the example
  data (short flow lists, block text for descriptions);
* `check_new_files` validates new files (and new texts of existing files, for `import
  --bijwerken`) with the real loader (`generator.load.load`) on a copy of the data folder, so the
  messages are exactly those of `ketenkaart check`, including the checks across files (unknown
  organisations, duplicate ids, municipalities without a chain file);
* `write_new_files` writes them into the data folder, but only after a clean check.
"""

from __future__ import annotations

import shutil
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from generator.domain.fields import ORGANISATIE, Record, Text, printable, relation_item
from generator.domain.vocab import Vocabulary, load_vocabulary
from generator.load.loader import SLUG_RE, load, slugify
from generator.model import LANDELIJK, DataError, Dataset, Organisatie

__all__ = ["NewFile", "Problem", "check_new_files", "dump_organisation", "folder_for", "key_comments",
           "organisation_data", "read_existing", "relation_item", "suggested_id", "write_new_files"]

STAGING_DIR = "~nieuw"  # sorts after every slug, so a clash is reported on the new file


def organisation_data(org: Organisatie, vocab: Vocabulary | None = None) -> dict[str, Any]:
    """The data-file form of a record: loading it again gives an equal Organisatie."""
    return ORGANISATIE.data_of(org, vocab or load_vocabulary())


# -- YAML text ------------------------------------------------------------------------------------

class _Text(str):
    """A long description: a folded block (`>`) that an editor can reflow, or a literal block
    (`|`) when it has paragraphs, so that blank lines stay blank lines."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False):  # indent list items
        return super().increase_indent(flow, False)


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flat = all(isinstance(item, (str, int, float, bool)) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)


def _represent_dict(dumper: yaml.SafeDumper, data: dict) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=False)


def _represent_text(dumper: yaml.SafeDumper, data: _Text) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style="|" if "\n" in data else ">")


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(_Text, _represent_text)


def key_comments(vocab: Vocabulary | None = None, record: Record = ORGANISATIE) -> dict[str, str]:
    """One comment line per field, shown above it in every file Ketenkaart writes."""
    return record.comments(vocab or load_vocabulary())


def _block_text(record: Record) -> set[str]:
    """Keys of the long texts, written as a block (`>` or `|`) rather than on one line."""
    return {f.key for f in record.fields if isinstance(f.kind, Text) and f.kind.paragraphs}


def dump_organisation(data: dict[str, Any], header: Iterable[str] = (),
                      notes: dict[str, str] | None = None, comments: bool = True,
                      vocab: Vocabulary | None = None, record: Record = ORGANISATIE) -> str:
    """A commented YAML file for one organisation (or, with `record`, a chain), fields in the
    registry's order.

    `header` lines go at the top; `notes` adds a remark above a field (for example that an
    import filled it in provisionally). Unknown keys are written after the known ones, so the
    loader can name them.
    """
    notes = notes or {}
    explain = key_comments(vocab, record) if comments else {}
    blocks = _block_text(record)
    # Header and notes may quote imported text (an HSDS id or name): printable() writes a line
    # break in it as an escape, so that it can never end the comment and start a live field.
    lines = [f"# {printable(line)}" if line else "#" for line in header]
    order = [k for k in record.keys if k in data] + [k for k in data if k not in record.keys]
    for key in order:
        value = data[key]
        if key in blocks and isinstance(value, str) and len(value) > 60:
            value = _Text(value)
        if key in explain:
            lines.extend(f"# {line}" for line in textwrap.wrap(explain[key], 96, break_on_hyphens=False))
        if key in notes:
            lines.append(f"# {printable(notes[key])}")
        lines.append(yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                               width=88).rstrip("\n"))
    return "\n".join(lines) + "\n"


# -- checking and writing new files ---------------------------------------------------------------

@dataclass
class NewFile:
    """An organisation file that a command wants to add to the data folder."""

    data: dict[str, Any]
    text: str
    label: str  # how messages name it: "rij 3", "HSDS-dienst 'Budgetcafé'"
    folder: str = "import"  # subfolder of the data folder it goes into
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        raw = self.data.get("id")
        return raw if isinstance(raw, str) and SLUG_RE.match(raw) else "ongeldig-id"


@dataclass
class Problem:
    """A loader error, tied to the new file it is about (None: an existing file)."""

    new: NewFile | None
    error: DataError


def folder_for(data: dict[str, Any], dataset: Dataset) -> str:
    """Where a new file goes: landelijk/, the municipality's folder, or import/."""
    gemeenten = data.get("gemeenten")
    gemeenten = gemeenten if isinstance(gemeenten, list) else [gemeenten]
    if LANDELIJK in gemeenten:
        return "landelijk"
    for code in gemeenten:
        if code in dataset.ketens:
            return dataset.ketens[code].slug
    return "import"


def read_existing(data_dir: Path, vocabulary: Vocabulary | None = None) -> tuple[Dataset, list[DataError]]:
    """The data folder as it is (an empty dataset when it does not exist yet)."""
    if not Path(data_dir).is_dir():
        return Dataset(vocab=vocabulary), []
    return load(data_dir, shown_relative_to=Path.cwd(), vocabulary=vocabulary)


def check_new_files(data_dir: Path, new_files: list[NewFile], vocabulary: Vocabulary | None = None,
                    replaced: dict[Path, NewFile] | None = None) -> list[Problem]:
    """Run the loader over the data folder plus the new files; return every problem.

    The new files go into a staging folder of a temporary copy of the data folder, one
    subfolder each, so two new files with the same id are both read and the second is reported.
    `replaced` maps existing files of the data folder to their new text (`import --bijwerken`):
    in the copy each is replaced, and a problem in it is tied to its NewFile, as for a new file.
    """
    data_dir = Path(data_dir)
    replaced = replaced or {}
    with tempfile.TemporaryDirectory(prefix="ketenkaart-") as tmp:
        base = Path(tmp)
        copy = base / (data_dir.name or "organisaties")
        if data_dir.is_dir():
            # symlinks=True: a symbolic link stays one, so the loader refuses it as `check` does
            shutil.copytree(data_dir, copy, ignore=shutil.ignore_patterns(".*"), symlinks=True)
        else:
            copy.mkdir()
        by_shown: dict[str, NewFile] = {}
        for path, new in replaced.items():
            target = copy / Path(path).resolve().relative_to(data_dir.resolve())
            target.write_text(new.text, encoding="utf-8", newline="")
            by_shown[str(target.relative_to(base))] = new
        for n, new in enumerate(new_files, 1):
            target = copy / STAGING_DIR / f"{n:05d}" / f"{new.stem}.yaml"
            target.parent.mkdir(parents=True)
            target.write_text(new.text, encoding="utf-8")
            by_shown[str(target.relative_to(base))] = new
        _dataset, errors = load(copy, shown_relative_to=base, vocabulary=vocabulary)
    problems = []
    for error in errors:
        message = error.message
        for shown, new in by_shown.items():
            message = message.replace(shown, new.label)
        message = message.replace(f"{copy.name}/", f"{data_dir}/") if str(data_dir) != copy.name else message
        if error.path in by_shown:
            # The line of the staged file means nothing to the user: the label names the record.
            problems.append(Problem(by_shown[error.path], DataError(by_shown[error.path].label, None,
                                                                     error.field, message)))
        else:
            rest = Path(error.path).relative_to(copy.name) if error.path.startswith(copy.name) else Path(error.path)
            problems.append(Problem(None, DataError(str(data_dir / rest), error.line, error.field, message)))
    return problems


def write_new_files(data_dir: Path, new_files: list[NewFile]) -> list[Path]:
    """Write checked files into the data folder; never overwrites an existing file."""
    data_dir = Path(data_dir)
    targets = [data_dir / new.folder / f"{new.stem}.yaml" for new in new_files]
    existing = [t for t in targets if t.exists()]
    if existing:
        raise FileExistsError(", ".join(str(t) for t in existing))
    for new, target in zip(new_files, targets):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(new.text, encoding="utf-8")
    return targets


def suggested_id(naam: str, taken: set[str]) -> str:
    """A free, valid id derived from a name: 'Budgetcafé Noord' -> 'budgetcafe-noord'."""
    base = slugify(naam)[:72].strip("-") or "organisatie"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
