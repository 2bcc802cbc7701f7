"""Read one YAML data file defensively, keeping the line of every value.

The result is plain Python data plus a map from each value's path to its line, so that later
checks can point an editor at the exact line. Anything unsafe or unreadable becomes a DataError
instead of an exception: files that are too large, not UTF-8, empty, malformed, or that use
anchors and aliases (the way YAML "bombs" blow up in memory), and anything that is not a regular
file. A scalar YAML cannot build (2020-02-31, a number of 5,000 digits) stays the text as written,
for the field's check to report with its line.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.model import DataError

# libyaml's parser when PyYAML was built with it (its wheels are): same events and marks, 15x faster.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_BYTES = 256 * 1024  # a generous upper bound for one organisation or chain file
MAX_DEPTH = 20

Path_ = tuple[Any, ...]


@dataclass
class YamlDoc:
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_) -> int | None:
        """Line of the value at path, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


class _Constructor(yaml.constructor.SafeConstructor):
    pass


_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


def _scalar(node: yaml.ScalarNode) -> Any:
    """The Python value of a scalar. A value that YAML recognises by its form but cannot build
    (2020-02-31, 2019-13-01, a number of 5,000 digits, `!!bool misschien`) stays the text as
    written, so that the field's own check reports it with its line. So do YAML 1.1's base-60
    numbers (`12:30` would become 750) and numbers too large for any field."""
    if node.tag in _NUMBER_TAGS and ":" in node.value:
        return node.value
    try:
        value = _Constructor().construct_object(node, deep=True)
    except yaml.YAMLError:
        raise
    except Exception:  # ValueError, KeyError, AttributeError, OverflowError, ... of the constructors
        return node.value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return node.value
    return value


def _convert(node: yaml.Node, path: Path_, doc: YamlDoc, errors: list[str], depth: int = 0) -> Any:
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if depth > MAX_DEPTH:
        raise _Fatal(node.start_mark.line + 1, f"de gegevens zijn dieper genest dan {MAX_DEPTH} niveaus")
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Fatal(key_line, "een sleutel moet een gewoon woord zijn, geen lijst of blok")
            key = str(_scalar(key_node))
            if key in result:
                raise _Fatal(key_line, f"de sleutel '{key}' staat twee keer in hetzelfde blok")
            doc.lines[path + (key,)] = key_line
            result[key] = _convert(value_node, path + (key,), doc, errors, depth + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, path + (i,), doc, errors, depth + 1) for i, item in enumerate(node.value)
        ]
    return _scalar(node)


class _Fatal(Exception):
    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def read_yaml(path: Path, shown_as: str) -> tuple[YamlDoc | None, list[DataError]]:
    """Parse one file. Returns (document, []) or (None, [the error that stopped it])."""

    def fail(line: int | None, message: str) -> tuple[None, list[DataError]]:
        return None, [DataError(shown_as, line, "", message)]

    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return fail(None, "is geen gewoon bestand; verwacht een YAML-bestand")
        with open(path, "rb") as handle:  # at most one byte more than allowed, whatever the file claims
            raw = handle.read(MAX_BYTES + 1)
            size = max(len(raw), os.fstat(handle.fileno()).st_size)
    except OSError as exc:
        return fail(None, f"het bestand kan niet gelezen worden ({exc.strerror})")
    if len(raw) > MAX_BYTES:
        return fail(None, f"het bestand is {size // 1024} KB; verwacht hoogstens {MAX_BYTES // 1024} KB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return fail(
            line,
            f"het bestand is geen UTF-8 (byte 0x{raw[exc.start]:02x} is ongeldig); "
            "sla het op met de tekenset UTF-8",
        )
    text = text.removeprefix("\ufeff")
    try:
        for event in yaml.parse(text, Loader=FAST_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return fail(
                    event.start_mark.line + 1,
                    "ankers (&) en verwijzingen (*) zijn niet toegestaan; schrijf de waarde voluit",
                )
        node = yaml.compose(text, Loader=FAST_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "onbekende fout"
        return fail(line, f"geen geldige YAML ({problem}); controleer inspringing, dubbele punten en aanhalingstekens")
    except yaml.YAMLError as exc:
        return fail(None, f"geen geldige YAML ({exc})")
    except RecursionError:
        return fail(None, "de gegevens zijn te diep genest")
    if node is None:
        return fail(None, "het bestand is leeg; verwacht de velden van een organisatie of keten")
    doc = YamlDoc(None)
    try:
        doc.data = _convert(node, (), doc, [])
    except _Fatal as exc:
        return fail(exc.line, exc.message)
    except yaml.MarkedYAMLError as exc:  # a tag no safe constructor knows (!foo, !!python/object)
        mark = exc.problem_mark or exc.context_mark
        return fail(mark.line + 1 if mark else None, f"geen geldige YAML ({exc.problem or exc.context})")
    except yaml.YAMLError as exc:
        return fail(None, f"geen geldige YAML ({exc})")
    return doc, []
