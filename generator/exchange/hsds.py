"""Exchange with Open Referral HSDS 3.0 (the Human Services Data Specification).

Export
------
`export_package(dataset)` writes the data as an HSDS 3.0 package of JSON files, shaped like the
responses of the HSDS API (so that each object validates against the HSDS 3.0 JSON schemas):

* ``index.json``: the API's root document (HSDS version and the OpenAPI address);
* ``organizations.json``: a page of organizations, each fully nested with its one service;
* ``taxonomies.json`` and ``taxonomy_terms.json``: the Ketenkaart taxonomy and its terms.

Each Ketenkaart organisation becomes one HSDS organization with one service. Ids are UUIDs
derived from the Ketenkaart id, so they stay the same from one export to the next.

What maps onto HSDS fields: naam (organization and service name), beschrijving (description),
website (organization website, service url), contact.email (email), contact.telefoon (phones),
contact.spreekuur (a schedule's description), gemeenten (service areas, named after the
municipality).

What HSDS has no field for, and therefore travels as HSDS attributes that point to terms of the
Ketenkaart taxonomy (so a round trip export -> import gives back equal records): every field of
the registry (generator.domain.fields) that is not marked NATIVE, today soort, inzet, diensten,
fasen, doelgroepen, the four profile axes, duur, toegang, spoed, the relations verwijst /
werkt-samen / signaleert with their condition (wanneer) and warm handover, bron, gecontroleerd (a
month is not an HSDS date), fictief, contact.adres (free text; HSDS wants a structured address),
the CBS codes of the municipalities, and the Ketenkaart id. Each field's kind encodes and decodes
its own attributes, so a new field travels without a change here. Other HSDS software keeps these
attributes but does not understand them.

What an HSDS package cannot hold at all, and is not exported: the chain files
(organisaties/gemeenten/*.yaml) with their regie, central access point, routes and chain
description. HSDS describes organisations and their services, not how a chain of them works.

Import
------
`read_package(path)` reads an HSDS package: a folder with ``datapackage.json`` and CSV files
(the tabular form), a folder of JSON files, or one JSON file (an API response: one object, a page
with ``contents``, or the tabular form in JSON). `import_records` turns it into organisation files:
one per service (named "organisation – service" when the names differ), or one per organization
without services. It maps what maps (names, descriptions, url, email, phone, service areas,
Ketenkaart attributes, and taxonomy terms whose code or name is a Ketenkaart term), fills the
fields Ketenkaart requires but the package lacks with a provisional value that the file marks
with "CONTROLEER", and reports every field and table it could not take over.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import stat
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.domain.fields import (
    ATTRIBUTE, CONTROL_RE, NATIVE, ORGANISATIE, NotMapped, Profile, Relations, get_path, quoted,
)
from generator.load.loader import MAX_TEXT, SLUG_RE, URL_RE
from generator.model import LANDELIJK, Dataset, Organisatie
from generator.exchange.orgfile import NewFile, dump_organisation, folder_for, suggested_id
from generator.domain.vocab import Vocabulary, load_vocabulary

HSDS_VERSION = "3.0"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
SCHEMA_DIR = Path(__file__).with_name("hsds-3.0") / "schema"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ketenkaart:hsds")
TAXONOMY_NAME = "Ketenkaart"
# The fields this module maps onto HSDS fields of their own, by name (organization_record and
# _Mapper.record); the registry says which fields are NATIVE, and must not name others.
NATIVE_FIELDS = ("naam", "beschrijving", "website", "contact.email", "contact.telefoon", "contact.spreekuur")
assert {path for path, _f in ORGANISATIE.hsds_fields(NATIVE)} <= set(NATIVE_FIELDS), \
    "a field marked NATIVE in generator.domain.fields has no HSDS mapping in generator.exchange.hsds"
# Fields that travel as attributes: (dotted path, field), in the registry's order.
ATTRIBUTE_FIELDS = ORGANISATIE.hsds_fields(ATTRIBUTE)
# Vocabulary lists whose terms the attributes point to.
TERM_LISTS = tuple(dict.fromkeys(f.kind.vocab_list() for _p, f in ATTRIBUTE_FIELDS if f.kind.vocab_list()))
FILES = ("index.json", "organizations.json", "taxonomies.json", "taxonomy_terms.json")


def _value_fields() -> list[tuple[str, object]]:
    """Attribute fields whose value is the attribute's text (no vocabulary, no profile)."""
    return [(path, f) for path, f in ATTRIBUTE_FIELDS
            if f.kind.vocab_list() is None and not isinstance(f.kind, Profile)]


def _as_attribute(path: str, f) -> str:
    if isinstance(f.kind, Profile):
        return f"{path} ({', '.join(load_vocabulary().axes)})"
    if isinstance(f.kind, Relations):
        return f"{path} (met wanneer en warm)"
    return path


# What HSDS cannot hold natively (printed by `ketenkaart export hsds`).
AS_ATTRIBUTES = tuple(_as_attribute(path, f) for path, f in ATTRIBUTE_FIELDS)
NOT_EXPORTED = (
    "ketenbestanden (organisaties/gemeenten/*.yaml): regie, centraal toegangspunt, routes en "
    "beschrijving van de keten; HSDS kent geen keten van organisaties",
)

# HSDS fields that import maps; anything else with a value is reported as not taken over.
MAPPED_ORG_FIELDS = {"id", "name", "description", "email", "website", "phones", "contacts",
                     "attributes", "services"}
MAPPED_SERVICE_FIELDS = {"id", "organization_id", "name", "description", "url", "email", "status",
                         "phones", "contacts", "attributes", "service_areas", "schedules",
                         "organization", "assured_date", "last_modified"}
# Table names of the tabular form, by the file name (organizations.csv) or resource name.
TABLES = {
    "organizations": "organization", "services": "service", "attributes": "attribute",
    "taxonomy_terms": "taxonomy_term", "taxonomies": "taxonomy", "service_areas": "service_area",
    "phones": "phone", "contacts": "contact", "schedules": "schedule",
}


def hsds_id(kind: str, *parts: str) -> str:
    """A stable UUID for a Ketenkaart thing: the same input gives the same id in every export."""
    return str(uuid.uuid5(NAMESPACE, ":".join((kind, *parts))))


TAXONOMY_ID = hsds_id("taxonomie", TAXONOMY_NAME)


# == export ========================================================================================

@dataclass(frozen=True)
class Term:
    code: str
    name: str
    description: str
    parent: str | None = None

    @property
    def id(self) -> str:
        return hsds_id("term", self.code)

    def as_hsds(self) -> dict[str, Any]:
        term = {"id": self.id, "code": self.code, "name": self.name, "description": self.description,
                "taxonomy": TAXONOMY_NAME, "taxonomy_id": TAXONOMY_ID, "language": "nl"}
        if self.parent:
            term["parent_id"] = hsds_id("term", self.parent)
        return term


@lru_cache(maxsize=1)
def ketenkaart_terms() -> dict[str, Term]:
    """Every term of the Ketenkaart taxonomy, by code ('fasen/nazorg', 'profielen.schulden/geen')."""
    vocab = load_vocabulary()
    terms: dict[str, Term] = {}

    def add(term: Term) -> None:
        terms[term.code] = term

    for name in TERM_LISTS:
        tl = vocab[name]
        add(Term(name, tl.label, tl.uitleg))
        for key, t in tl.terms.items():
            add(Term(f"{name}/{key}", t.label, t.uitleg, name))
    add(Term("profielen", vocab.profiel_label, vocab.profiel_uitleg))
    for axis, tl in vocab.axes.items():
        add(Term(f"profielen.{axis}", tl.label, tl.uitleg, "profielen"))
        for key, t in tl.terms.items():
            add(Term(f"profielen.{axis}/{key}", t.label, t.uitleg, f"profielen.{axis}"))
    add(Term("velden", "Overige Ketenkaart-velden", "Velden van Ketenkaart zonder eigen HSDS-veld; de waarde staat in het attribuut."))
    for code, f in _value_fields():
        add(Term(code, f.name(vocab), f"Ketenkaart-veld '{code}': {f.help}", "velden"))
    return terms


def _attribute(link_id: str, entity: str, code: str, n: int, value: str | None = None) -> dict[str, Any]:
    term = ketenkaart_terms()[code]
    attr = {"id": hsds_id("attribuut", link_id, str(n)), "link_id": link_id, "link_type": "ketenkaart",
            "link_entity": entity, "taxonomy_term_id": term.id}
    if value is not None:
        attr["value"] = value
    return attr


def _attribute_pairs(org: Organisatie, entity: str) -> list[tuple[str, str | None]]:
    """(term code, value) of every field that travels as an attribute of `entity`."""
    pairs: list[tuple[str, str | None]] = []
    for path, f in ATTRIBUTE_FIELDS:
        if f.hsds_entity != entity:
            continue
        for code, value in f.kind.hsds_encode(f, path, get_path(org, ORGANISATIE, path)):
            if isinstance(value, dict):  # a relation: also name the HSDS organization it points to
                if "naar" in value:
                    value = {"naar": value["naar"], "naar_organization_id": hsds_id("organisatie", value["naar"]),
                             **{k: v for k, v in value.items() if k != "naar"}}
                value = json.dumps(value, ensure_ascii=False)
            pairs.append((code, value))
    return pairs


def organization_record(org: Organisatie, dataset: Dataset, vocab: Vocabulary | None = None) -> dict[str, Any]:
    """One Ketenkaart organisation as a fully nested HSDS organization with one service."""
    vocab = vocab or load_vocabulary()
    org_id = hsds_id("organisatie", org.id)
    service_id = hsds_id("dienst", org.id)
    organization: dict[str, Any] = {"id": org_id, "name": org.naam, "description": org.beschrijving}
    service: dict[str, Any] = {"id": service_id, "organization_id": org_id, "name": org.naam,
                               "description": org.beschrijving, "status": "active"}
    if org.website:
        organization["website"] = org.website
        service["url"] = org.website
    if "email" in org.contact:
        organization["email"] = org.contact["email"]
        service["email"] = org.contact["email"]
    if "telefoon" in org.contact:
        service["phones"] = [{"id": hsds_id("telefoon", org.id), "service_id": service_id,
                              "number": org.contact["telefoon"]}]
    if "spreekuur" in org.contact:
        service["schedules"] = [{"id": hsds_id("spreekuur", org.id), "service_id": service_id,
                                 "description": org.contact["spreekuur"]}]
    if len(org.gecontroleerd) == 10:
        service["assured_date"] = org.gecontroleerd
    areas = []
    for code in org.gemeenten:
        keten = dataset.ketens.get(code)
        areas.append({"id": hsds_id("gebied", org.id, code), "service_id": service_id,
                      "name": keten.naam if keten else code,
                      "description": f"Gemeente {keten.naam if keten else code} (CBS-code {code})"})
    if org.landelijk:
        areas.append({"id": hsds_id("gebied", org.id, LANDELIJK), "service_id": service_id,
                      "name": "Nederland", "description": "Heel Nederland (landelijk)"})
    service["service_areas"] = areas
    service["attributes"] = [_attribute(service_id, "service", code, n, value)
                             for n, (code, value) in enumerate(_attribute_pairs(org, "service"))]
    organization["attributes"] = [_attribute(org_id, "organization", code, n, value)
                                  for n, (code, value) in enumerate(_attribute_pairs(org, "organization"))]
    organization["services"] = [service]
    return organization


def _page(contents: list[dict[str, Any]]) -> dict[str, Any]:
    return {"total_items": len(contents), "total_pages": 1, "page_number": 1, "size": len(contents),
            "first_page": True, "last_page": True, "empty": not contents, "contents": contents}


def export_package(dataset: Dataset) -> dict[str, Any]:
    """The HSDS package as {file name: JSON value}; see the module docstring."""
    vocab = load_vocabulary()
    orgs = sorted(dataset.organisaties.values(), key=lambda o: o.id)
    taxonomy = {"id": TAXONOMY_ID, "name": TAXONOMY_NAME, "version": "1",
                "description": "Kenmerken van organisaties in de keten van schulddienstverlening die HSDS "
                               "zelf niet kent: soort, inzet, aanbod, fasen, doelgroepen, profielen, duur, "
                               "toegang, relaties en de herkomst van de gegevens (Ketenkaart)."}
    return {
        "index.json": {"version": HSDS_VERSION, "openapi_url": OPENAPI_URL},
        "organizations.json": _page([organization_record(o, dataset, vocab) for o in orgs]),
        "taxonomies.json": _page([taxonomy]),
        "taxonomy_terms.json": _page([t.as_hsds() for t in ketenkaart_terms().values()]),
    }


def package_files(dataset: Dataset) -> dict[str, bytes]:
    return {name: (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
            for name, value in export_package(dataset).items()}


# == validation against the HSDS 3.0 schemas =======================================================

@lru_cache(maxsize=1)
def _schemas() -> tuple[dict[str, dict], Any]:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMA_DIR.glob("*.json")}
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, schema in schemas.items())
    return schemas, registry


@lru_cache(maxsize=None)
def _validator(name: str) -> Any:
    """A validator for one HSDS schema file, or for a part of openapi.json ('openapi.json#/...')."""
    from jsonschema import Draft202012Validator, FormatChecker

    schemas, registry = _schemas()
    file, _, pointer = name.partition("#")
    schema = schemas[file]
    for part in filter(None, pointer.split("/")):
        schema = schema[part.replace("~1", "/").replace("~0", "~")]
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def validate_package(package: dict[str, Any]) -> list[str]:
    """Check an exported package against the HSDS 3.0 schemas; returns readable problems."""
    root = "openapi.json#/paths/~1/get/responses/200/content/application~1json/schema"
    page = "openapi.json#/components/schemas/Page"
    checks: list[tuple[str, Any, str]] = [("index.json", package["index.json"], root)]
    for name, entity in (("organizations.json", "organization.json"), ("taxonomies.json", "taxonomy.json"),
                         ("taxonomy_terms.json", "taxonomy_term.json")):
        checks.append((name, package[name], page))
        for i, item in enumerate(package[name]["contents"]):
            checks.append((f"{name} contents[{i}]", item, entity))
            for j, service in enumerate(item.get("services", [])):
                checks.append((f"{name} contents[{i}].services[{j}]", service, "service.json"))
    problems = []
    for where, value, schema in checks:
        for error in _validator(schema).iter_errors(value):
            path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
            problems.append(f"{where}{path}: {error.message}")
    return problems


# == import: reading a package =====================================================================

@dataclass
class Package:
    """The parts of an HSDS package that import uses, merged from all its files."""

    organizations: dict[str, dict] = field(default_factory=dict)
    services: dict[str, dict] = field(default_factory=dict)
    terms: dict[str, dict] = field(default_factory=dict)
    taxonomies: dict[str, dict] = field(default_factory=dict)
    attributes: dict[str, dict] = field(default_factory=dict)
    service_areas: dict[str, dict] = field(default_factory=dict)
    phones: dict[str, dict] = field(default_factory=dict)
    contacts: dict[str, dict] = field(default_factory=dict)
    schedules: dict[str, dict] = field(default_factory=dict)
    other: Counter = field(default_factory=Counter)  # tables not taken over -> records
    problems: list[str] = field(default_factory=list)  # unreadable files

    def add(self, table: str, record: dict) -> str:
        """Merge one record (no nested lists) into its table; returns its id."""
        store: dict[str, dict] = getattr(self, {"organization": "organizations", "service": "services",
                                                "taxonomy_term": "terms", "taxonomy": "taxonomies",
                                                "attribute": "attributes", "service_area": "service_areas",
                                                "phone": "phones", "contact": "contacts",
                                                "schedule": "schedules"}[table])
        rid = str(record.get("id") or f"{table}-{len(store) + 1}")
        merged = store.setdefault(rid, {"id": rid})  # a record without an id gets one (organization-1)
        for key, value in record.items():
            if _present(value) and not _present(merged.get(key)):
                merged[key] = value
        return rid


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


class _Feeder:
    """Walks JSON values of any HSDS shape and fills a Package."""

    def __init__(self, package: Package):
        self.p = package

    def value(self, value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                self.value(item)
        elif isinstance(value, dict):
            if isinstance(value.get("contents"), list):
                self.value(value["contents"])
            elif value and all(isinstance(k, str) and k.endswith(".csv") for k in value):
                for key, rows in value.items():
                    self.table(key[:-4], rows if isinstance(rows, list) else [])
            else:
                self.entity(value)

    def table(self, name: str, rows: list) -> None:
        table = TABLES.get(name, name)
        for row in rows:
            if not isinstance(row, dict):
                continue
            if table in ("organization", "service", "taxonomy_term", "taxonomy"):
                getattr(self, table)(row)
            elif table in ("attribute", "service_area", "phone", "contact", "schedule"):
                self.p.add(table, {k: v for k, v in row.items() if not isinstance(v, (list, dict))})
            else:
                self.p.other[table] += 1

    def entity(self, value: dict) -> None:
        if isinstance(value.get("service"), dict):  # service_at_location
            self.service(value["service"])
            self.p.other["service_at_location"] += 1
        elif "status" in value or isinstance(value.get("organization"), dict) or "service_areas" in value:
            self.service(value)
        elif "location_type" in value:
            self.p.other["locations"] += 1
        elif any(k in value for k in ("taxonomy_id", "parent_id", "code", "term_uri", "taxonomy_detail")):
            self.taxonomy_term(value)
        elif "version" in value and set(value) <= {"id", "name", "description", "uri", "version", "metadata"}:
            self.taxonomy(value)
        elif "name" in value:
            self.organization(value)

    def _children(self, value: dict, owner_key: str, owner_id: str, entity: str) -> None:
        for key, table in (("phones", "phone"), ("contacts", "contact"), ("schedules", "schedule"),
                           ("service_areas", "service_area")):
            for item in value.get(key) or []:
                if isinstance(item, dict):
                    record = {k: v for k, v in item.items() if not isinstance(v, (list, dict))}
                    record.setdefault(owner_key, owner_id)
                    cid = self.p.add(table, record)
                    if table == "contact":
                        for phone in item.get("phones") or []:
                            if isinstance(phone, dict):
                                self.p.add("phone", {**{k: v for k, v in phone.items() if not isinstance(v, (list, dict))},
                                                     "contact_id": cid})
        for item in value.get("attributes") or []:
            if isinstance(item, dict):
                record = {k: v for k, v in item.items() if not isinstance(v, (list, dict))}
                record.setdefault("link_id", owner_id)
                record.setdefault("link_entity", entity)
                if isinstance(item.get("taxonomy_term"), dict):
                    record.setdefault("taxonomy_term_id", self.taxonomy_term(item["taxonomy_term"]))
                self.p.add("attribute", record)

    def organization(self, value: dict) -> str:
        record = {k: v for k, v in value.items() if not isinstance(v, (list, dict))}
        for key in value:  # nested parts import does not use, kept for the report
            if key not in MAPPED_ORG_FIELDS and isinstance(value[key], (list, dict)) and value[key]:
                record.setdefault(key, value[key])
        oid = self.p.add("organization", record)
        self._children(value, "organization_id", oid, "organization")
        for service in value.get("services") or []:
            if isinstance(service, dict):
                self.service({**service, "organization_id": service.get("organization_id") or oid})
        return oid

    def service(self, value: dict) -> str:
        record = {k: v for k, v in value.items() if not isinstance(v, (list, dict))}
        if isinstance(value.get("organization"), dict):
            record.setdefault("organization_id", self.organization(value["organization"]))
        for key in value:  # nested parts import does not use, kept for the report
            if key not in MAPPED_SERVICE_FIELDS and isinstance(value[key], (list, dict)) and value[key]:
                record.setdefault(key, value[key])
        sid = self.p.add("service", record)
        self._children(value, "service_id", sid, "service")
        return sid

    def taxonomy_term(self, value: dict) -> str:
        record = {k: v for k, v in value.items() if not isinstance(v, (list, dict))}
        if isinstance(value.get("taxonomy_detail"), dict):
            record.setdefault("taxonomy_id", self.taxonomy(value["taxonomy_detail"]))
        return self.p.add("taxonomy_term", record)

    def taxonomy(self, value: dict) -> str:
        return self.p.add("taxonomy", {k: v for k, v in value.items() if not isinstance(v, (list, dict))})


MAX_FILE_BYTES = 50 * 1024 * 1024  # one JSON or CSV file of a package
MAX_DEPTH = 64  # nesting of JSON values; HSDS itself needs about six levels
MAX_INT_DIGITS = 4300  # Python's limit for turning digits into a number (sys.get_int_max_str_digits)
_LONG_NUMBER = re.compile(r"-?[0-9]{%d,}" % (MAX_INT_DIGITS + 1))


def _read_text(path: Path, package: Package, inside: Path | None = None) -> str | None:
    """The text of one file of a package, or None after a problem: files that are not regular
    (a device such as /dev/zero, a pipe), symbolic links out of the package folder `inside`,
    files over MAX_FILE_BYTES and text that is not UTF-8 are refused."""
    try:
        if inside is not None and (path.is_symlink() and path.resolve().parent != inside.resolve()):
            raise IsADirectoryError  # reported below as not a regular file of the package
        if not stat.S_ISREG(path.stat().st_mode):
            raise IsADirectoryError
    except (OSError, RuntimeError):
        package.problems.append(f"{path}: is geen gewoon bestand in de map van het pakket; Ketenkaart leest het niet"
                                if inside is not None else f"{path}: is geen gewoon bestand; verwacht een JSON-bestand")
        return None
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
            size = max(len(raw), os.fstat(handle.fileno()).st_size)
    except OSError as exc:
        package.problems.append(f"{path}: kan niet gelezen worden ({exc.strerror})")
        return None
    if len(raw) > MAX_FILE_BYTES:
        package.problems.append(f"{path}: het bestand is {size // (1024 * 1024)} MB; verwacht hoogstens "
                                f"{MAX_FILE_BYTES // (1024 * 1024)} MB")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        package.problems.append(f"{path}:{line}: het bestand is geen UTF-8 (byte 0x{raw[exc.start]:02x} is ongeldig)")
        return None


def _too_deep(value: Any) -> bool:
    """Whether a parsed JSON value nests deeper than MAX_DEPTH (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item if isinstance(v, (dict, list)))
    return False


def _read_json(path: Path, package: Package, inside: Path | None = None) -> None:
    text = _read_text(path, package, inside)
    if text is None:
        return
    deep = f"{path}: de gegevens zijn dieper genest dan {MAX_DEPTH} niveaus; een HSDS-pakket heeft er hoogstens enkele"
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        package.problems.append(f"{path}:{exc.lineno}: geen leesbare JSON ({exc.msg}, kolom {exc.colno})")
        return
    except RecursionError:
        package.problems.append(deep)
        return
    except ValueError:  # a number longer than Python turns into an int
        found = _LONG_NUMBER.search(text)
        line = f":{text.count(chr(10), 0, found.start()) + 1}" if found else ""
        digits = len(found.group().lstrip("-")) if found else MAX_INT_DIGITS + 1
        package.problems.append(f"{path}{line}: een getal van {digits} cijfers; "
                                f"verwacht hoogstens {MAX_INT_DIGITS} cijfers")
        return
    if _too_deep(value):
        package.problems.append(deep)
        return
    _Feeder(package).value(value)


_CSV_LIMIT = re.compile(r"field larger than field limit \((\d+)\)")


def _read_tabular(folder: Path, package: Package) -> None:
    descriptor = folder / "datapackage.json"
    text = _read_text(descriptor, package, folder)
    if text is None:
        return
    try:
        meta = json.loads(text)
        resources = [(str(r.get("name") or ""), str(r["path"])) for r in meta.get("resources", [])
                     if isinstance(r, dict) and isinstance(r.get("path"), str)]
    except (json.JSONDecodeError, AttributeError) as exc:
        package.problems.append(f"{descriptor}: geen geldige datapackage.json ({exc})")
        return
    except (RecursionError, ValueError):
        package.problems.append(f"{descriptor}: geen geldige datapackage.json (te diep genest of een te lang getal)")
        return
    feeder = _Feeder(package)
    order = {"organization": 0, "service": 1}  # owners before what points to them
    for name, rel in sorted(resources, key=lambda r: order.get(r[0], 2)):
        path = folder / rel
        try:
            outside = not path.is_file() or path.resolve().parent != folder.resolve()
        except (OSError, RuntimeError, ValueError):
            outside = True
        if outside:
            package.problems.append(f"{descriptor}: bron '{quoted(rel)}' ontbreekt of ligt buiten de map")
            continue
        text = _read_text(path, package, folder)
        if text is None:
            continue
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            rows = [{k: v for k, v in row.items() if k and v not in (None, "")} for row in reader]
        except csv.Error as exc:
            limit = _CSV_LIMIT.search(str(exc))
            why = f"een veld is langer dan {limit.group(1)} tekens" if limit else str(exc)
            line = reader.line_num + 1  # the row it was reading
            package.problems.append(f"{path}:{line}: geen geldige CSV ({why})")
            continue
        # Tables Ketenkaart reads are known by resource name, the rest reported by file name.
        feeder.table(name if name in TABLES.values() else Path(rel).stem, rows)


def read_package(path: Path) -> Package:
    """Read an HSDS package from a folder (CSV with datapackage.json, or JSON files) or a JSON file."""
    path = Path(path)
    package = Package()
    if path.is_dir():
        if (path / "datapackage.json").is_file():
            _read_tabular(path, package)
        else:
            files = sorted(path.glob("*.json"))
            if not files:
                package.problems.append(f"{path}: geen datapackage.json en geen JSON-bestanden gevonden")
            for file in files:
                _read_json(file, package, inside=path)
    elif path.name == "datapackage.json":
        _read_tabular(path.parent, package)
    elif path.exists():
        _read_json(path, package)
    else:
        package.problems.append(f"{path}: bestaat niet")
    return package


# == import: from HSDS records to organisation files ===============================================

@dataclass
class ImportResult:
    files: list[NewFile]
    not_mapped: Counter  # "service.fees" -> count
    provisional: dict[str, list[str]]  # file label -> fields filled in provisionally
    organizations: int
    services: int


def _clean(value: Any, report: Counter) -> Any:
    """Imported text without control characters (NUL, ESC, ...) and lone surrogates, which no
    text field may hold; how often that happened goes into the report."""
    if isinstance(value, str):
        cleaned = CONTROL_RE.sub("", value)
        if cleaned != value:
            report["onzichtbare stuurtekens (zoals NUL of ESC), weggelaten uit de tekst"] += 1
        return cleaned
    if isinstance(value, dict):
        return {k: _clean(v, report) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v, report) for v in value]
    return value


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if _present(value) else ""


def _clip(text: str, limit: int, what: str, report: Counter) -> str:
    if len(text) <= limit:
        return text
    report[f"{what} ingekort tot {limit} tekens"] += 1
    return text[:limit].rsplit(" ", 1)[0]


def _phone(record: dict) -> str:
    number = _text(record.get("number")).strip('"').strip()
    if _present(record.get("extension")):
        number += f" toestel {_text(record['extension'])}"
    return number


class _Mapper:
    def __init__(self, package: Package, dataset: Dataset, gemeente: str | None, source: str):
        self.p = package
        self.ds = dataset
        self.gemeente = gemeente
        self.source = source
        self.vocab = dataset.vocab or load_vocabulary()
        # Term code (or the prefix before '/') -> (dotted path, field) that decodes it.
        self.routes = {route: (path, f) for path, f in ATTRIBUTE_FIELDS
                       for route in f.kind.hsds_routes(f, path, self.vocab)}
        self.not_mapped: Counter = Counter()
        self.new_ids: set[str] = set()
        by_code = {t.id: t.code for t in ketenkaart_terms().values()}
        self.kk_taxonomies = {tid for tid, t in package.taxonomies.items()
                              if str(t.get("name", "")).casefold() == TAXONOMY_NAME.casefold()} | {TAXONOMY_ID}
        self.term_code: dict[str, str] = {}
        for tid, term in package.terms.items():
            if term.get("taxonomy_id") in self.kk_taxonomies or str(term.get("taxonomy", "")).casefold() == "ketenkaart":
                self.term_code[tid] = str(term.get("code") or by_code.get(tid, ""))
        self._indexes: dict[tuple[str, str], dict[str, list[tuple[str, dict]]]] = {}
        names = {k.naam.casefold(): k.cbs for k in dataset.ketens.values()}
        names.update({k.cbs.casefold(): k.cbs for k in dataset.ketens.values()})
        names.update({"landelijk": LANDELIJK, "nederland": LANDELIJK})
        self.places = names
        self.place_re = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True))
                                   + r")(?!\w)", re.IGNORECASE)

    def owned(self, table: str, key: str, owner: str) -> list[tuple[str, dict]]:
        """(id, record) of a table's records whose `key` is `owner`, in file order (indexed once)."""
        if (table, key) not in self._indexes:
            index: dict[str, list[tuple[str, dict]]] = {}
            for rid, record in getattr(self.p, table).items():
                if record.get(key) is not None:
                    index.setdefault(str(record[key]), []).append((rid, record))
            self._indexes[(table, key)] = index
        return self._indexes[(table, key)].get(owner, [])

    # -- attributes -------------------------------------------------------------------------------
    def attributes(self, link_id: str) -> list[tuple[str, dict]]:
        """(Ketenkaart code or '', attribute) for every attribute of one entity, in file order."""
        return [(self.term_code.get(str(attr.get("taxonomy_term_id", "")), ""), attr)
                for _rid, attr in self.owned("attributes", "link_id", link_id)]

    def foreign_term(self, attr: dict, data: dict) -> None:
        """A term of another taxonomy: taken over when its code or name is a Ketenkaart term."""
        term = self.p.terms.get(str(attr.get("taxonomy_term_id", "")), {})
        names = {str(term.get(k, "")).strip().casefold() for k in ("code", "name")} - {""}
        for list_name in ("diensten", "fasen", "doelgroepen"):
            for key, t in self.vocab[list_name].terms.items():
                if key.casefold() in names or t.label.casefold() in names:
                    if key not in data.setdefault(list_name, []):
                        data[list_name].append(key)
                    return
        label = term.get("name") or term.get("code") or attr.get("taxonomy_term_id") or "?"
        self.not_mapped[f"taxonomieterm '{label}'"] += 1

    def apply(self, code: str, attr: dict, data: dict) -> None:
        """Take over one Ketenkaart attribute, as the field's kind decodes it."""
        value = attr.get("value")
        prefix, _, key = code.partition("/")
        route = self.routes.get(code) or self.routes.get(prefix)
        if route is None:
            self.not_mapped[f"Ketenkaart-term '{code}'"] += 1
            return
        path, f = route
        *blocks, last = path.split(".")
        target = data
        for part in blocks:
            target = target.setdefault(part, {})
        try:
            new = f.kind.hsds_decode(f, code if code in self.routes else prefix, key, value, target.get(last))
        except NotMapped as exc:
            self.not_mapped[str(exc)] += 1
            return
        if new is None:
            target.pop(last, None)
        else:
            target[last] = new
        for part in blocks:  # a block that stayed empty
            if data.get(part) == {}:
                del data[part]

    # -- one record ---------------------------------------------------------------------------------
    def unmapped_fields(self, record: dict, kind: str, mapped: set[str]) -> None:
        for key, value in record.items():
            if key not in mapped and _present(value):
                self.not_mapped[f"{kind}.{key}"] += 1
        if kind == "service" and record.get("status") not in (None, "", "active"):
            self.not_mapped[f"service.status '{record['status']}'"] += 1

    def areas(self, service_id: str | None) -> tuple[list[str], list[str]]:
        """Municipality codes found in the service areas, and the areas that matched none."""
        codes, unmatched = [], []
        for _rid, area in self.owned("service_areas", "service_id", service_id) if service_id else []:
            text = " ".join(_text(area.get(k)) for k in ("name", "description", "uri", "extent"))
            found = [self.places[m.group(1).casefold()] for m in self.place_re.finditer(text)]
            if found:
                codes += [c for c in found if c not in codes]
            else:
                name = _text(area.get("name")) or _text(area.get("description")) or "?"
                unmatched.append(name if len(name) <= 60 else name[:57].rsplit(" ", 1)[0] + " ...")
        return codes, unmatched

    def record(self, org: dict | None, service: dict | None) -> NewFile:
        data: dict[str, Any] = {}
        notes: dict[str, str] = {}
        provisional: list[str] = []
        for entity in (org, service):
            if entity:
                for code, attr in self.attributes(str(entity["id"])):
                    if code:
                        self.apply(code, attr, data)
                    else:
                        self.foreign_term(attr, data)
        org_name = _text(org.get("name")) if org else ""
        service_name = _text(service.get("name")) if service else ""
        naam = org_name if not service_name or service_name == org_name else \
            (f"{org_name} – {service_name}" if org_name else service_name)
        data["naam"] = _clip(naam or "Naamloze organisatie", 200, "naam", self.not_mapped)
        descriptions = [str(e.get("description")).strip() for e in (org, service)
                        if e and _present(e.get("description"))]
        text = "\n\n".join(dict.fromkeys(descriptions)) or "Het HSDS-bestand geeft geen beschrijving."
        data["beschrijving"] = _clip(text, MAX_TEXT, "beschrijving", self.not_mapped)
        urls = [u for u in ((service or {}).get("url"), (org or {}).get("website"))
                if _present(u) and URL_RE.match(str(u).strip())]
        for u in ((service or {}).get("url"), (org or {}).get("website")):
            if _present(u) and not URL_RE.match(str(u).strip()):
                self.not_mapped["webadres dat niet met http(s):// begint"] += 1
        if urls:
            data["website"] = str(urls[0]).strip()
        contact = data.setdefault("contact", {})
        owners = [(k, str(e["id"])) for k, e in (("service_id", service), ("organization_id", org)) if e]
        contacts = [(cid, c) for k, oid in owners for cid, c in self.owned("contacts", k, oid)]
        emails = [e.get("email") for e in (service, org) if e] + [c.get("email") for _cid, c in contacts]
        emails = [_text(e) for e in emails if _present(e)]
        if emails:
            contact["email"] = emails[0]
        phones = [_phone(p) for k, oid in owners for _pid, p in self.owned("phones", k, oid)] + \
                 [_phone(p) for cid, _c in contacts for _pid, p in self.owned("phones", "contact_id", cid)]
        phones = [p for p in phones if p]
        if phones:
            contact["telefoon"] = _clip(phones[0], 300, "telefoon", self.not_mapped)
        if service:
            hours = [_text(s.get("description")) for _sid, s in self.owned("schedules", "service_id", str(service["id"]))
                     if _present(s.get("description"))]
            if hours:
                contact["spreekuur"] = _clip(hours[0], 300, "spreekuur", self.not_mapped)
        if not contact:
            del data["contact"]
        if "gemeenten" not in data:
            codes, unmatched = self.areas(str(service["id"]) if service else None)
            for area in unmatched:
                self.not_mapped[f"werkgebied '{area}' (geen bekende gemeente)"] += 1
            if not codes and self.gemeente:
                codes = [self.gemeente]
                notes["gemeenten"] = "Uit de optie --gemeente: het HSDS-bestand noemt geen bekende gemeente."
            data["gemeenten"] = codes
        defaults = {"soort": "professionele-organisatie", "inzet": "onbekend", "diensten": ["aanmelding"],
                    "fasen": ["preventie"]}
        for key, default in defaults.items():
            if not data.get(key):
                data[key] = default
                provisional.append(key)
                notes[key] = "CONTROLEER: staat niet in het HSDS-bestand; voorlopig ingevuld."
        if "bron" not in data:
            data["bron"] = {"titel": _clip(f"HSDS-bestand {self.source}", 300, "bron", self.not_mapped)}
        if "gecontroleerd" not in data:
            dates = [str(e.get(k))[:10] for e in (service,) if e for k in ("assured_date", "last_modified")
                     if _present(e.get(k)) and re.match(r"^\d{4}-\d{2}-\d{2}", str(e.get(k)))]
            data["gecontroleerd"] = dates[0] if dates else dt.date.today().isoformat()
            if not dates:
                notes["gecontroleerd"] = "Datum van de import: het HSDS-bestand noemt geen controledatum."
        if "profielen" in data:
            data["profielen"] = {axis: values for axis, values in data["profielen"].items()
                                 if axis not in self.vocab.axes or tuple(values) != tuple(self.vocab.axes[axis].terms)}
            if not data["profielen"]:
                del data["profielen"]
        if not isinstance(data.get("id"), str) or not SLUG_RE.match(data["id"]) or data["id"] in self.new_ids:
            # Not avoiding ids of the data folder: importing the same package twice must fail on
            # the duplicate ids rather than quietly add copies.
            data["id"] = suggested_id(data["naam"], self.new_ids)
        self.new_ids.add(data["id"])
        if org:
            self.unmapped_fields(org, "organization", MAPPED_ORG_FIELDS)
        if service:
            self.unmapped_fields(service, "service", MAPPED_SERVICE_FIELDS)
        label = f"HSDS-dienst '{quoted(service_name)}'" if service else f"HSDS-organisatie '{quoted(org_name)}'"
        data = _clean(data, self.not_mapped)
        data["naam"] = data["naam"] or "Naamloze organisatie"
        header = [f"Overgenomen uit {self.source} (Open Referral HSDS) op {dt.date.today().isoformat()}."]
        if org:
            header.append(f"HSDS-organisatie: {quoted(org_name, 200)} ({quoted(org['id'], 100)})")
        if service:
            header.append(f"HSDS-dienst: {quoted(service_name, 200)} ({quoted(service['id'], 100)})")
        if provisional:
            header.append("Velden met CONTROLEER zijn voorlopig ingevuld: pas ze aan voordat u publiceert.")
        ordered = {k: data[k] for k in ("id", *[k for k in data if k != "id"])}
        return NewFile(ordered, dump_organisation(ordered, header, notes), label,
                       folder_for(ordered, self.ds), {"provisional": provisional, "no_gemeente": not data["gemeenten"]})


def import_records(package: Package, dataset: Dataset, gemeente: str | None = None,
                   source: str = "HSDS") -> ImportResult:
    """Organisation files for every service (or service-less organization) of a package."""
    mapper = _Mapper(package, dataset, gemeente, source)
    files = []
    services_by_org: dict[str, list[dict]] = {}
    for service in package.services.values():
        services_by_org.setdefault(str(service.get("organization_id", "")), []).append(service)
    for oid, org in package.organizations.items():
        for service in services_by_org.get(oid) or [None]:
            files.append(mapper.record(org, service))
    for oid, services in services_by_org.items():
        if oid not in package.organizations:
            for service in services:
                files.append(mapper.record(None, service))
    linked = set(package.organizations) | set(package.services)
    for attr in package.attributes.values():
        if attr.get("link_id") not in linked:
            mapper.not_mapped["attribuut van iets anders dan een organisatie of dienst"] += 1
    for table, count in package.other.items():
        mapper.not_mapped[f"tabel {table}"] += count
    return ImportResult(files, mapper.not_mapped, {f.label: f.meta["provisional"] for f in files if f.meta["provisional"]},
                        len(package.organizations), len(package.services))
