"""The field registry (generator.domain.fields) and what is derived from it.

The JSON Schemas come from the real `ketenkaart schema` command; the data files, the loader, the
writer, the spreadsheet and the JSON view are the real ones too.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from generator.cli import main as ketenkaart
from generator.domain.fields import (
    ATTRIBUTE, KETEN, NATIVE, NONE, ORGANISATIE, Field, Record, Text, check_fields,
)
from generator.domain.vocab import load_vocabulary
from generator.exchange.graphfiles import rich_graph
from generator.exchange.hsds import AS_ATTRIBUTES, ATTRIBUTE_FIELDS, NATIVE_FIELDS, ketenkaart_terms
from generator.exchange.orgfile import dump_organisation, organisation_data
from generator.exchange.table import COLUMNS, organisation_row, template_rows
from generator.graph.build import build_graph
from generator.load.loader import CHAIN_DIR, load
from generator.render.downloads import chain_json, organisation_json

from sitebuild import ROOT
DATA = ROOT / "organisaties"
FIXTURE = ROOT / "tests" / "fixtures" / "voorbeeld"


@pytest.fixture(scope="module")
def example():
    dataset, errors = load(DATA)
    assert errors == []
    return dataset


def printed_schema(noun: str, capsys) -> dict:
    assert ketenkaart(["schema", noun]) == 0
    schema = json.loads(capsys.readouterr().out)
    Draft202012Validator.check_schema(schema)
    return schema


def as_editor_reads(path: Path) -> object:
    """A YAML file as an editor's language server sees it: YAML 1.2, so dates stay text."""
    def plain(value):
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return plain(yaml.safe_load(path.read_text(encoding="utf-8")))


def data_files(folder: Path) -> tuple[list[Path], list[Path]]:
    files = sorted(folder.rglob("*.yaml"))
    chains = [p for p in files if p.parent == folder / CHAIN_DIR]
    return [p for p in files if p not in chains], chains


def problems(validator: Draft202012Validator, data: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


# == the JSON Schemas ==============================================================================

@pytest.mark.parametrize("folder", [DATA, FIXTURE], ids=["organisaties", "fixture"])
def test_every_example_file_validates_against_the_printed_schemas(folder, capsys):
    organisations, chains = data_files(folder)
    assert organisations and chains
    for noun, files in (("organisatie", organisations), ("keten", chains)):
        validator = Draft202012Validator(printed_schema(noun, capsys))
        for path in files:
            assert problems(validator, as_editor_reads(path)) == [], path


def test_schemas_carry_the_vocabulary_and_the_help_texts(capsys):
    vocab = load_vocabulary()
    org = printed_schema("organisatie", capsys)
    assert org["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert org["additionalProperties"] is False
    assert set(org["required"]) == {f.key for f in ORGANISATIE.fields if f.required}
    assert org["properties"]["soort"]["enum"] == list(vocab["soorten"].terms)
    assert org["properties"]["naam"]["description"] == ORGANISATIE.by_key["naam"].help
    axes = org["properties"]["profielen"]["properties"]
    assert list(axes) == list(vocab.axes)
    chain = printed_schema("keten", capsys)
    assert chain["properties"]["niet-toegestaan"]["anyOf"][0]["enum"] == list(vocab["bevindingen"].terms)
    assert set(chain["required"]) == {"gemeente", "cbs", "beschrijving", "bron", "gecontroleerd"}


ORG_BAD = [  # (change to humanitas-zwolle.yaml, what the schema names)
    ({"soort": "waterbedrijf"}, "soort"),
    ({"fasen": ["preventie", "vroegsignalring"]}, "fasen"),
    ({"beschrjiving": "x"}, ""),  # an unknown key
    ({"id": "Humanitas Zwolle"}, "id"),
    ({"gemeenten": ["0193"]}, "gemeenten"),
    ({"gecontroleerd": "maart 2019"}, "gecontroleerd"),
    ({"website": "www.example.org"}, "website"),
    ({"spoed": "misschien"}, "spoed"),
    ({"profielen": {"schulden": ["heel-veel"]}}, "profielen/schulden"),
    ({"verwijst": [{"naar": "op-orde-zwolle", "warm": "ja", "hoe": "x"}]}, "verwijst/0"),
    ({"naam": None}, ""),  # required
]


@pytest.mark.parametrize("change,where", ORG_BAD, ids=[str(c) for c, _w in ORG_BAD])
def test_bad_organisation_files_are_rejected_by_schema_and_loader(change, where, capsys, data_copy):
    validator = Draft202012Validator(printed_schema("organisatie", capsys))
    target = data_copy / "zwolle" / "humanitas-zwolle.yaml"
    data = as_editor_reads(target)
    data.update(change)
    data = {k: v for k, v in data.items() if v is not None}
    found = problems(validator, data)
    assert found and all(p.startswith(where) for p in found), found
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _dataset, errors = load(data_copy)
    assert any(e.path.endswith("humanitas-zwolle.yaml") for e in errors)


def test_bad_chain_files_are_rejected_by_the_schema(capsys):
    validator = Draft202012Validator(printed_schema("keten", capsys))
    good = as_editor_reads(DATA / "gemeenten" / "zwolle.yaml")
    assert problems(validator, good) == []
    for change in ({"cbs": "0193"}, {"routes": [{"naam": "x", "stappen": []}]},
                   {"routes": [{"naam": "x", "stappen": ["a"], "voorwaarde": {"schulden": ["veel"]}}]},
                   {"niet-toegestaan": ["lussen"]}, {"regie": "Gemeente Zwolle"}, {"kaart": "x"}):
        assert problems(validator, {**good, **change}), change


# == derived from the registry =====================================================================

def test_model_classes_have_every_registry_attribute(example):
    org = next(iter(example.organisaties.values()))
    names = {f.name for f in dataclasses.fields(org)}
    for f in ORGANISATIE.fields:
        assert f.attr in names
    assert {"landelijk", "bestand"} <= names
    keten = next(iter(example.ketens.values()))
    assert {f.name for f in dataclasses.fields(keten)} >= {"naam", "slug", "routes", "niet_toegestaan", "bestand"}
    assert example.vocab is load_vocabulary()


def test_written_organisation_files_load_back_equal(example, tmp_path):
    data = tmp_path / "organisaties"
    shutil.copytree(DATA / CHAIN_DIR, data / CHAIN_DIR)
    for org in example.organisaties.values():
        (data / f"{org.id}.yaml").write_text(dump_organisation(organisation_data(org)), encoding="utf-8")
    again, errors = load(data)
    assert errors == []
    for org_id, original in example.organisaties.items():
        assert dataclasses.replace(again.organisaties[org_id], bestand="") == dataclasses.replace(original, bestand="")


def test_spreadsheet_rows_import_back_equal(example, tmp_path, capsys):
    target = tmp_path / "organisaties"
    shutil.copytree(DATA / CHAIN_DIR, target / CHAIN_DIR)
    table = tmp_path / "alles.csv"
    with open(table, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(COLUMNS)
        for org in sorted(example.organisaties.values(), key=lambda o: o.id):
            writer.writerow(organisation_row(org))
    assert ketenkaart(["import", "csv", str(table), "--data", str(target)]) == 0, capsys.readouterr().out
    again, errors = load(target)
    assert errors == []
    for org_id, original in example.organisaties.items():
        copy = again.organisaties[org_id]
        for f in dataclasses.fields(original):
            if f.name == "relaties":  # a cell holds ids only: wanneer and warm stay in the YAML file
                assert [(r.soort, r.naar) for r in copy.relaties] == [(r.soort, r.naar) for r in original.relaties]
            elif f.name != "bestand":
                assert getattr(copy, f.name) == getattr(original, f.name), f"{org_id}.{f.name}"


def test_every_field_has_a_place_in_every_export(example):
    vocab = load_vocabulary()
    # HSDS: every field (inside blocks too) is native, an attribute, or deliberately left out.
    attribute_paths = [p for p, _f in ATTRIBUTE_FIELDS]
    for path, f in ORGANISATIE.hsds_fields(NATIVE):
        assert path in NATIVE_FIELDS
    for f in ORGANISATIE.fields:
        assert f.hsds in (NATIVE, ATTRIBUTE, NONE)
    assert "contact.adres" in attribute_paths and "contact.email" not in attribute_paths
    assert len(AS_ATTRIBUTES) == len(ATTRIBUTE_FIELDS)
    terms = ketenkaart_terms()
    for path, f in ATTRIBUTE_FIELDS:
        assert f.kind.vocab_list() or path in terms or path == "profielen", path
    # Spreadsheet: a column per field, or per part of a block or profile.
    for f in ORGANISATIE.fields:
        assert any(c == f.key or c.startswith(f.key + ".") for c in COLUMNS), f.key
    header, row = template_rows(example)
    assert header == list(COLUMNS) and len(row) == len(header)
    # JSON view and graph.
    graph = build_graph(example)
    rich = rich_graph(graph, example)
    for org in example.organisaties.values():
        view = organisation_json(org)
        assert set(view) == {key for key, _text in ORGANISATIE.json_docs(vocab)} | {"pagina"}
        assert json.loads(json.dumps(view)) == view
        node = rich.nodes[org.id]
        assert node["naam"] == org.naam and node["pagina"].endswith(f"{org.id}/")
        assert all(f"profielen.{axis}" in node for axis in vocab.axes)
    for keten in example.ketens.values():
        view = chain_json(keten)
        assert view["naam"] == keten.naam and view["slug"] == keten.slug
        assert view["routes"][0]["stappen"] == list(keten.routes[0].stappen)


class _Ctx:
    """A minimal checking context, as the loader gives the kinds."""

    def __init__(self):
        self.vocab = load_vocabulary()
        self.own_id = "proef"
        self.errors: list[tuple[tuple, str]] = []
        self.refs: list[str] = []

    def error(self, path, message):
        self.errors.append((path, message))

    def line(self, path):
        return None

    def reference(self, ident, path):
        self.refs.append(ident)

    def municipality(self, code, path):
        pass


def test_a_new_field_needs_only_its_registry_entry():
    """A record with one more optional text field: checked, written, exported and described."""
    vocab = load_vocabulary()
    proef = Field("bereikbaar", Text(200), "Wanneer de organisatie telefonisch bereikbaar is.")
    record = Record("Proef", "organisatie", (*ORGANISATIE.fields, proef), extra=(("bestand", ""),))
    raw = as_editor_reads(DATA / "zwolle" / "humanitas-zwolle.yaml")
    ctx = _Ctx()
    ctx.own_id = raw["id"]
    values = check_fields(ctx, record.fields, {**raw, "bereikbaar": "  op   werkdagen "})
    assert ctx.errors == []
    obj = record.build(values)
    assert obj.bereikbaar == "op werkdagen"
    assert record.data_of(obj, vocab)["bereikbaar"] == "op werkdagen"
    assert record.json_of(obj)["bereikbaar"] == "op werkdagen"
    assert record.graph_of(obj, ("export",))["bereikbaar"] == "op werkdagen"
    assert "bereikbaar" in [c.name for c in record.columns(vocab)]
    assert record.comments(vocab)["bereikbaar"].startswith("Wanneer")
    schema = {"type": "object", "properties": {f.key: {"description": f.help, **f.kind.schema(f, vocab)}
                                               for f in record.fields}, "additionalProperties": False}
    assert not problems(Draft202012Validator(schema), {**raw, "bereikbaar": "op werkdagen"})
    assert ("bereikbaar", "op werkdagen") in [pair for path, f in record.hsds_fields(ATTRIBUTE) if path == "bereikbaar"
                                              for pair in f.kind.hsds_encode(f, path, obj.bereikbaar)]
    ctx = _Ctx()
    check_fields(ctx, record.fields, {**raw, "bereikbaar": ["lijst"], "bereikbar": "x"})
    assert [m for _p, m in ctx.errors] == ["onbekend veld 'bereikbar'; toegestaan zijn: "
                                           + ", ".join(record.keys) + ". Bedoelde u 'bereikbaar'?",
                                           "verwacht een tekst, geen lijst of blok"]


def test_chain_records_derive_from_the_registry(example):
    keten = example.ketens["GM0193"]
    data = KETEN.data_of(keten, load_vocabulary())
    assert data["gemeente"] == "Zwolle" and data["cbs"] == "GM0193"
    assert data["routes"][0]["stappen"] == list(keten.routes[0].stappen)
    assert "slug" not in data and "bestand" not in data


def test_site_offers_both_schemas_and_links_them_on_the_open_data_page(example_site, capsys):
    api_page = (example_site / "api" / "index.html").read_text(encoding="utf-8")
    for noun in ("organisatie", "keten"):
        published = json.loads((example_site / "downloads" / "schema" / f"{noun}.schema.json").read_text(encoding="utf-8"))
        assert published == printed_schema(noun, capsys)
        assert f'href="../downloads/schema/{noun}.schema.json"' in api_page
