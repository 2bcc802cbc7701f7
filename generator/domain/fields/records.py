"""Fields, records and the model classes built from them (see generator.domain.fields)."""

from __future__ import annotations

import dataclasses
from dataclasses import make_dataclass
from dataclasses import field as dc_field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Iterable

from generator.domain.fields.kinds import *  # noqa: F401,F403


if TYPE_CHECKING:
    from generator.domain.vocab import Vocabulary


# == fields and records =============================================================================

class Field:
    """One key of a data file. See the module docstring."""

    def __init__(self, key: str, kind: Kind, help: str, *, required: bool = False, label: str = "",
                 attr: str = "", column: bool = True, hsds: str = ATTRIBUTE, hsds_entity: str = "service",
                 graph: str = EXPORT, json: bool = True, example: Any = None):
        self.key = key
        self.kind = kind
        self.help = help  # Dutch, for file comments, the spreadsheet's Uitleg sheet and the JSON Schema
        self.required = required
        self.label = label  # a short Dutch name (the HSDS term of a value field); default: see name()
        self.attr = attr or key.replace("-", "_")  # the model attribute
        self.column = column  # a spreadsheet column (or one per part of a block)
        self.hsds = hsds  # NATIVE, ATTRIBUTE or NONE
        self.hsds_entity = hsds_entity  # HSDS entity that carries its attributes: service or organization
        self.graph = graph  # NODE, EXPORT or NONE
        self.json = json  # in the JSON view (/api/)
        self.example = example  # the data-file value shown in commented examples

    def __repr__(self) -> str:
        return f"Field({self.key!r}, {type(self.kind).__name__})"

    def name(self, vocab: Vocabulary) -> str:
        if self.label:
            return self.label
        if isinstance(self.kind, Term) and not self.kind.axis:
            return self.kind.termlist(vocab).label
        return self.key[:1].upper() + self.key[1:]

    def comment(self, vocab: Vocabulary) -> str:
        """The comment line above the field in a data file."""
        hint = self.kind.hint(vocab)
        optional = "" if self.required else " (Optioneel.)"
        return f"{self.help}{' ' + hint if hint else ''}{optional}"


def unknown_keys(ctx: Context, data: dict, allowed: tuple[str, ...], path: tuple = ()) -> None:
    for key in data:
        if key not in allowed:
            ctx.error(path + (key,), f"onbekend veld '{quoted(key)}'; toegestaan zijn: {', '.join(allowed)}."
                                     + suggestion(key, list(allowed)))


def check_fields(ctx: Context, fields: tuple[Field, ...], data: dict, path: tuple = (),
                 unknown: bool = True) -> dict[str, Any]:
    """Check a block of fields; returns field key -> model value (for every field)."""
    if unknown:
        unknown_keys(ctx, data, tuple(f.key for f in fields), path)
    values: dict[str, Any] = {}
    for f in fields:
        raw = data.get(f.key)
        if raw is None:
            if f.required:
                ctx.error(path + (f.key,), f"verplicht veld '{f.key}' ontbreekt; {f.kind.expect(f, ctx.vocab)}")
            values[f.key] = f.kind.missing(ctx.vocab)
        else:
            values[f.key] = f.kind.check(ctx, f, raw, path + (f.key,))
    return values


def build_attributes(fields: tuple[Field, ...], values: dict[str, Any]) -> dict[str, Any]:
    """Model attributes from checked values; fields that share an attribute add up (relaties)."""
    attrs: dict[str, Any] = {}
    for f in fields:
        for name, value in f.kind.store(f, values[f.key]).items():
            attrs[name] = attrs[name] + value if isinstance(attrs.get(name), tuple) else value
    return attrs


def _spec(default: Any) -> Any:
    if isinstance(default, dataclasses.Field):
        return default
    if isinstance(default, (dict, list)):
        return dc_field(default_factory=type(default))
    return dc_field(default=default)


def model_class(name: str, fields: tuple[Field, ...], extra: tuple[tuple[str, Any], ...] = (),
                doc: str = "") -> type:
    """A frozen dataclass with the model attributes of `fields` (keyword arguments only)."""
    spec: list[tuple] = []
    seen: set[str] = set()
    for f in fields:
        for attr, default in f.kind.attributes(f):
            if attr in seen:
                continue
            seen.add(attr)
            if f.required and len(f.kind.attributes(f)) == 1:
                spec.append((attr, Any))
            else:
                spec.append((attr, Any, _spec(default)))
    for attr, default in extra:
        spec.append((attr, Any, _spec(default)))
    cls = make_dataclass(name, spec, frozen=True, kw_only=True)
    cls.__module__ = "generator.model"  # where the pipeline imports it from (and pickle finds it)
    cls.__doc__ = doc or f"A record of the field registry (generator.domain.fields): {name}."
    return cls


class Record:
    """The fields of one kind of data file, and the model class of its records."""

    def __init__(self, name: str, noun: str, fields: Iterable[Field], extra: tuple[tuple[str, Any], ...] = (),
                 doc: str = ""):
        self.name = name  # the model class
        self.noun = noun  # Dutch: organisatie, keten
        self.fields = tuple(fields)
        self.extra = extra  # model attributes not in the file (bestand, slug)
        self.doc = doc
        self.by_key = {f.key: f for f in self.fields}

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.by_key)

    @cached_property
    def model(self) -> type:
        return model_class(self.name, self.fields, self.extra, self.doc)

    # -- checking ------------------------------------------------------------------------------------
    def check(self, ctx: Context, data: dict) -> dict[str, Any]:
        """Field key -> model value; unknown keys are reported separately (see unknown_keys)."""
        return check_fields(ctx, self.fields, data, (), unknown=False)

    def build(self, values: dict[str, Any], **extra: Any) -> Any:
        return self.model(**build_attributes(self.fields, values), **extra)

    # -- writing -------------------------------------------------------------------------------------
    def data_of(self, obj: Any, vocab: Vocabulary) -> dict[str, Any]:
        """The data-file dict of a record: loading it again gives an equal record."""
        data: dict[str, Any] = {}
        for f in self.fields:
            value = f.kind.to_data(f.kind.restore(f, obj), vocab)
            if value is not None:
                data[f.key] = value
        return data

    def json_of(self, obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.fields:
            if f.json:
                for key, value in f.kind.json_items(f, obj).items():
                    out[key] = out[key] + value if isinstance(out.get(key), list) else value
        return out

    def json_docs(self, vocab: Vocabulary) -> list[tuple[str, str]]:
        docs: dict[str, str] = {}
        for f in self.fields:
            if f.json:
                for key, text in f.kind.json_docs(f, vocab, self):
                    docs.setdefault(key, text)
        return list(docs.items())

    def graph_of(self, obj: Any, levels: tuple[str, ...] = (NODE,)) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.fields:
            if f.graph in levels:
                out.update(f.kind.graph_items(f, obj))
        return out

    def columns(self, vocab: Vocabulary) -> list[Column]:
        return [c for f in self.fields if f.column for c in f.kind.cells(f, vocab)]

    def comments(self, vocab: Vocabulary) -> dict[str, str]:
        return {f.key: f.comment(vocab) for f in self.fields}

    # -- HSDS ----------------------------------------------------------------------------------------
    def hsds_fields(self, mode: str) -> list[tuple[str, Field]]:
        """(dotted path, field) of every field (inside blocks too) that travels as `mode`."""
        found: list[tuple[str, Field]] = []

        def walk(fields: tuple[Field, ...], prefix: str) -> None:
            for f in fields:
                if f.hsds == NONE:
                    continue
                if isinstance(f.kind, Block):
                    walk(f.kind.fields, f"{prefix}{f.key}.")
                elif f.hsds == mode:
                    found.append((prefix + f.key, f))

        walk(self.fields, "")
        return found


def get_path(obj: Any, record: Record, path: str) -> Any:
    """The model value of a dotted field path ('contact.adres') of a record."""
    first, _, rest = path.partition(".")
    f = record.by_key[first]
    value = f.kind.restore(f, obj)
    for part in filter(None, rest.split(".")):
        value = f.kind.values(value).get(part) if isinstance(f.kind, Block) else None
        f = next(s for s in f.kind.fields if s.key == part) if isinstance(f.kind, Block) else f
    return value


def property_schema(f: Field, vocab: Vocabulary) -> dict[str, Any]:
    """The JSON Schema of one field, with its help text as description."""
    return {"description": f.help, **f.kind.schema(f, vocab)}
