"""Read one YAML data file defensively, keeping the line of every value.

The result is plain Python data plus a map from each value's path to its line, so that later
checks can point an editor at the exact line. Anything unsafe or unreadable becomes a DataError
instead of an exception: files that are too large, not UTF-8, empty, malformed, or that use
anchors and aliases (the way YAML "bombs" blow up in memory), and anything that is not a regular
file. A scalar YAML cannot build (2020-02-31, a number of 5,000 digits) stays the text as written,
for the field's check to report with its line.

ParseCache keeps what read_yaml made of every data file (its data and lines, or the error that
stopped it) for the next load, by the file's stat: a rebuild after editing one file parses one
file. Its version is a digest of this file's source (with Python's and PyYAML's versions), so
that any change to the parser reads every file again. It holds plain data (dicts, lists, tuples,
text, numbers, dates), with each document's lines packed as numbers in the order of a walk
through its data, in a pickle written and read by generator.cachefile (which builds nothing but
plain values and the engine's own classes); loading it takes about a tenth of parsing.
"""

from __future__ import annotations

import array
import datetime as dt
import functools
import os
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from generator import cachefile
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


_STR_TAG = "tag:yaml.org,2002:str"
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


def _scalar(node: yaml.ScalarNode) -> Any:
    """The Python value of a scalar. A value that YAML recognises by its form but cannot build
    (2020-02-31, 2019-13-01, a number of 5,000 digits, `!!bool misschien`) stays the text as
    written, so that the field's own check reports it with its line. So do YAML 1.1's base-60
    numbers (`12:30` would become 750) and numbers too large for any field."""
    tag = node.tag
    if tag == _STR_TAG:  # most scalars: the safe constructor would return node.value itself
        return node.value
    if tag in _NUMBER_TAGS and ":" in node.value:
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


def _convert(node: yaml.Node, path: Path_, lines: dict[Path_, int], depth: int = 0) -> Any:
    """The Python value of a node whose line the caller recorded at `path` in `lines`."""
    if depth > MAX_DEPTH:
        raise _Fatal(node.start_mark.line + 1, f"de gegevens zijn dieper genest dan {MAX_DEPTH} niveaus")
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR_TAG else _scalar(node)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Fatal(key_line, "een sleutel moet een gewoon woord zijn, geen lijst of blok")
            key = str(_scalar(key_node))
            if key in result:
                raise _Fatal(key_line, f"de sleutel '{key}' staat twee keer in hetzelfde blok")
            key_path = path + (key,)
            lines[key_path] = key_line
            result[key] = _convert(value_node, key_path, lines, depth + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            item_path = path + (i,)
            lines[item_path] = item.start_mark.line + 1
            items.append(_convert(item, item_path, lines, depth + 1))
        return items
    return _scalar(node)


class _Fatal(Exception):
    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def read_yaml(path: Path, shown_as: str,
              status: os.stat_result | None = None) -> tuple[YamlDoc | None, list[DataError]]:
    """Parse one file. Returns (document, []) or (None, [the error that stopped it]).
    `status`: the file's os.stat, when the caller has it already."""
    raw, errors = _read_bytes(path, shown_as, status)
    return (None, errors) if raw is None else parse_yaml(raw, shown_as)


def _read_bytes(path: Path, shown_as: str, status: os.stat_result | None) -> tuple[bytes | None, list[DataError]]:
    """The file's bytes: at most one byte more than allowed, whatever the file claims."""
    try:
        if status is None:
            status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):  # checked before opening: opening a pipe would wait
            return None, _error(shown_as, None, "is geen gewoon bestand; verwacht een YAML-bestand")
        with open(path, "rb") as handle:
            wanted = min(status.st_size, MAX_BYTES) + 1  # a buffer the size of the file, not of the limit
            raw = handle.read(wanted)
            if len(raw) == wanted <= MAX_BYTES:  # it grew since the stat
                raw += handle.read(MAX_BYTES + 1 - len(raw))
            if len(raw) > MAX_BYTES:
                size = max(len(raw), os.fstat(handle.fileno()).st_size)
                return None, _error(shown_as, None, f"het bestand is {size // 1024} KB; "
                                                    f"verwacht hoogstens {MAX_BYTES // 1024} KB")
    except OSError as exc:
        return None, _error(shown_as, None, f"het bestand kan niet gelezen worden ({exc.strerror})")
    return raw, []


def _error(shown_as: str, line: int | None, message: str) -> list[DataError]:
    return [DataError(shown_as, line, "", message)]


def parse_yaml(raw: bytes, shown_as: str) -> tuple[YamlDoc | None, list[DataError]]:
    """Parse the bytes of one file (shown as `shown_as`), like read_yaml."""

    def fail(line: int | None, message: str) -> tuple[None, list[DataError]]:
        return None, _error(shown_as, line, message)

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
        if "&" in text or "*" in text:  # an anchor or alias is written with one of them: look for them first
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
    lines: dict[Path_, int] = {(): node.start_mark.line + 1}
    try:
        data = _convert(node, (), lines)
    except _Fatal as exc:
        return fail(exc.line, exc.message)
    except yaml.MarkedYAMLError as exc:  # a tag no safe constructor knows (!foo, !!python/object)
        mark = exc.problem_mark or exc.context_mark
        return fail(mark.line + 1 if mark else None, f"geen geldige YAML ({exc.problem or exc.context})")
    except yaml.YAMLError as exc:
        return fail(None, f"geen geldige YAML ({exc})")
    return YamlDoc(data, lines), []


# == the parse cache ================================================================================

CACHE_FILE = "gelezen.pickle"
RACY_NS = 2_000_000_000  # a file changed this close to (or after) the start of the load that wrote the cache
_CACHE_MAGIC = "ketenkaart-gelezen"

Stamp = tuple[int, int, int, int]  # size, st_mtime_ns, st_ino, st_ctime_ns
# per data file: its stamp, then the document's data and packed lines, or the (line, message) that stopped
# it, or neither (a file whose checked record the loader keeps: ParseCache.keep_stamp)
Entry = tuple[Stamp, Any, "bytes | None", "tuple[int | None, str] | None"]
CacheShare = tuple[dict[str, Entry], bool]  # ParseCache.share: entries by file, and whether any changed
_LINE_TYPE = "I" if array.array("I").itemsize >= 4 else "L"


def _pack_lines(doc: YamlDoc) -> bytes:
    """The lines of a document as numbers only: _convert records one line per path, in the order
    of a walk through the data (a block's own line, then each key or item in turn)."""
    return array.array(_LINE_TYPE, doc.lines.values()).tobytes()


def _unpack_lines(data: Any, packed: bytes) -> dict[Path_, int]:
    numbers = iter(array.array(_LINE_TYPE, packed))
    lines: dict[Path_, int] = {}

    def walk(value: Any, path: Path_) -> None:
        lines[path] = next(numbers)
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, path + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, path + (i,))

    walk(data, ())
    return lines


class _CachedDoc(YamlDoc):
    """A document from the cache: its lines are unpacked when a check first asks for one."""

    def __init__(self, data: Any, packed: bytes):  # not the dataclass's: `lines` is made on demand
        self.data = data
        self._packed = packed

    @functools.cached_property
    def lines(self) -> dict[Path_, int]:  # type: ignore[override]
        return _unpack_lines(self.data, self._packed)


@functools.cache
def cache_version() -> str | None:
    """The parser's own source, Python and PyYAML: a change to any of them reads every file again.
    None when the source cannot be read (then there is no cache)."""
    return cachefile.code_digest(Path(__file__), extra=f"{sys.version}\0{sys.byteorder}\0{yaml.__version__}\0"
                                                      f"{FAST_LOADER.__name__}")


def _stamp(status: os.stat_result) -> Stamp:
    return status.st_size, status.st_mtime_ns, status.st_ino, status.st_ctime_ns


class ParseCache:
    """What read_yaml made of each data file at the previous load, kept in `folder/CACHE_FILE`.

    A file whose stat (size, mtime, inode, ctime) is the one remembered is neither read nor
    parsed. Not trusted: a file whose mtime is within RACY_NS of the start of the load that
    wrote the cache, or after it (it may have changed again in the same tick of the clock without
    a new mtime). The file is only written when something changed, best effort and atomically;
    a missing, unreadable, corrupt or foreign cache is simply not used.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.started = time.time_ns()  # before any data file is looked at
        self.previous: dict[str, Entry] = {}
        self.trusted_before = 0  # mtimes before this (ns) are trusted
        self.kept: dict[str, Entry] = {}  # what this load makes of each file, for the next one
        self.changed = False
        self.version = cache_version()
        if self.version is None:
            return
        stored = cachefile.read(self.folder / CACHE_FILE, _CACHE_MAGIC, self.version)
        if isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[0], int) and isinstance(stored[1], dict):
            self.trusted_before = stored[0] - RACY_NS
            self.previous = stored[1]

    def _remembered(self, rel: str, stamp: Stamp) -> Entry | None:
        """What the previous load made of file `rel`, when its stat is the one remembered and
        trusted (the file has not changed since)."""
        entry = self.previous.get(rel)
        return entry if entry is not None and entry[0] == stamp and stamp[1] < self.trusted_before else None

    def unchanged_stamp(self, path: Path, rel: str) -> Stamp | None:
        """The stat of file `rel` when the file has not changed since the previous load, else None."""
        if rel not in self.previous:
            return None
        try:
            stamp = _stamp(os.stat(path))
        except OSError:
            return None
        return stamp if self._remembered(rel, stamp) is not None else None

    def keep_stamp(self, rel: str, stamp: Stamp | None = None) -> None:
        """Remember only the stat of file `rel`: the caller has what it made of it (the checked
        record), so its document is not kept. `stamp`: the stat of an unchanged file this load did
        not read; without it, the file this load read (its document, which the next load would drop
        anyway, is not pickled: that made a first build 0.3 s slower). Asked to `read` it later,
        the cache parses it again."""
        before = self.previous[rel] if stamp is not None else self.kept.get(rel)
        if before is None:
            return
        self.kept[rel] = (before[0] if stamp is None else stamp, None, None, None)
        if before[1:] != (None, None, None):
            self.changed = True  # the document is dropped from the file

    def read(self, path: Path, rel: str, shown_as: str) -> tuple[YamlDoc | None, list[DataError]]:
        """read_yaml(path, shown_as), from the cache when the file `rel` (its path relative to the
        data folder) has not changed."""
        try:
            status = os.stat(path)
        except OSError:
            return read_yaml(path, shown_as)
        stamp = _stamp(status)
        entry = self._remembered(rel, stamp)
        if entry is not None and (entry[2] is not None or entry[3] is not None):  # not a stamp alone (keep_stamp)
            self.kept[rel] = entry
            if entry[3] is not None:
                return None, _error(shown_as, *entry[3])
            return _CachedDoc(entry[1], entry[2]), []
        self.changed = True
        raw, errors = _read_bytes(path, shown_as, status)
        if raw is None:  # not kept: a file that cannot be read now may be readable next time
            return None, errors
        doc, errors = parse_yaml(raw, shown_as)
        if doc is None:
            self.kept[rel] = (stamp, None, None, (errors[0].line, errors[0].message))
        else:
            self.kept[rel] = (stamp, doc.data, _pack_lines(doc), None)
        return doc, errors

    def share(self, rels: Iterable[str]) -> CacheShare:
        """What this cache made of the files `rels`, for another process's cache of the same load
        (`take`): a worker that read some of the files hands it back."""
        return {rel: self.kept[rel] for rel in rels if rel in self.kept}, self.changed

    def take(self, share: CacheShare) -> None:
        """Take over what `share` made of its files (read by another process of this load)."""
        kept, changed = share
        self.kept.update(kept)
        self.changed |= changed

    def save(self) -> None:
        """Remember what this load read (only files that still exist), when that changed anything."""
        if self.version is None or (not self.changed and len(self.kept) == len(self.previous)):
            return
        cachefile.write(self.folder / CACHE_FILE, _CACHE_MAGIC, self.version, (self.started, self.kept))
