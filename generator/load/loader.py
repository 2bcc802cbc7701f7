"""Stage 1: read the data folder, validate every record, and return a Dataset.

All problems in all files are collected and returned together; nothing is raised for bad
input. Messages are in Dutch, because the people who read them edit the data.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from generator.model import LANDELIJK, Bron, DataError, Dataset, Keten, Organisatie, Relatie, Route
from generator.domain.vocab import Vocabulary, load_vocabulary
from generator.load.yamlfile import YamlDoc, read_yaml

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CBS_RE = re.compile(r"^GM\d{4}$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s<>\"']*$", re.IGNORECASE)
DATE_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
MAX_TEXT = 4000
CHAIN_DIR = "gemeenten"
RELATION_KEYS = ("verwijst", "werkt-samen", "signaleert")
CONTACT_KEYS = ("telefoon", "email", "adres", "spreekuur")


def slugify(text: str) -> str:
    """A URL-safe, lower-case slug: 'Súdwest-Fryslân' -> 'sudwest-fryslan'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def suggestion(value: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
    return f" Bedoelde u '{match[0]}'?" if match else ""


def listing(choices: list[str], limit: int = 12) -> str:
    shown = ", ".join(choices[:limit])
    return shown + (f" (en {len(choices) - limit} meer)" if len(choices) > limit else "")


def zoek_gemeente(dataset: Dataset, text: str) -> Keten | None:
    """A chain by CBS code, name or slug (case-insensitive)."""
    wanted = text.strip().casefold()
    for keten in dataset.ketens.values():
        if wanted in (keten.cbs.casefold(), keten.naam.casefold()) or keten.slug == slugify(text):
            return keten
    return None


def gemeente_keuzes(dataset: Dataset) -> list[str]:
    return [f"{k.naam} ({k.cbs})" for k in sorted(dataset.ketens.values(), key=lambda k: k.naam.casefold())]


def gemeente_suggestie(dataset: Dataset, text: str) -> str:
    return suggestion(text, [k.naam for k in dataset.ketens.values()])


@dataclass
class _Checker:
    """Validates one document, remembering errors with the file and line."""

    doc: YamlDoc
    shown_as: str
    vocab: Vocabulary
    errors: list[DataError]

    def error(self, path: tuple, message: str) -> None:
        self.errors.append(DataError(self.shown_as, self.doc.line(path), _field_name(path), message))

    # -- scalar helpers -------------------------------------------------------------------------
    def text(self, data: dict, key: str, required: bool = True, limit: int = MAX_TEXT,
             path: tuple = ()) -> str | None:
        value = data.get(key)
        full = path + (key,)
        if value is None:
            if required:
                self.error(full, f"verplicht veld '{key}' ontbreekt; verwacht een tekst")
            return None
        if isinstance(value, (dict, list)):
            self.error(full, "verwacht een tekst, geen lijst of blok")
            return None
        text = " ".join(str(value).split()) if key != "beschrijving" else str(value).strip()
        if not text:
            if required:
                self.error(full, "mag niet leeg zijn; verwacht een tekst")
            return None
        if len(text) > limit:
            self.error(full, f"is {len(text)} tekens lang; verwacht hoogstens {limit}")
        return text

    def boolean(self, data: dict, key: str, path: tuple = ()) -> bool:
        value = data.get(key, False)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("ja", "nee"):
            return value.lower() == "ja"
        self.error(path + (key,), f"verwacht ja of nee, niet '{value}'")
        return False

    def term(self, value: Any, list_name: str, path: tuple, choices: list[str] | None = None) -> str | None:
        choices = choices if choices is not None else list(self.vocab[list_name].terms)
        label = self.vocab[list_name].label.lower() if list_name in self.vocab.lists else list_name
        if not isinstance(value, str) or value not in choices:
            self.error(
                path,
                f"onbekende waarde '{value}' voor {label}; verwacht een van: {listing(choices)}."
                + suggestion(str(value), choices),
            )
            return None
        return value

    def terms(self, data: dict, key: str, list_name: str, required: bool = True,
              choices: list[str] | None = None, path: tuple = ()) -> tuple[str, ...]:
        value = data.get(key)
        full = path + (key,)
        if value is None:
            if required:
                self.error(full, f"verplicht veld '{key}' ontbreekt; verwacht een lijst, bijvoorbeeld [{', '.join((choices or list(self.vocab[list_name].terms))[:2])}]")
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.error(full, "verwacht een lijst van termen")
            return ()
        found = [self.term(v, list_name, full + (i,), choices) for i, v in enumerate(value)]
        result = tuple(dict.fromkeys(v for v in found if v))
        if required and not value:
            self.error(full, "de lijst is leeg; verwacht ten minste één term")
        return result

    def date(self, data: dict) -> str:
        value = data.get("gecontroleerd")
        if value is None:
            self.error(("gecontroleerd",), "verplicht veld 'gecontroleerd' ontbreekt; verwacht een datum als 2019-03 of 2019-03-31")
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str) and DATE_RE.match(value):
            return value
        self.error(("gecontroleerd",), f"'{value}' is geen datum; verwacht jaar-maand (2019-03) of jaar-maand-dag (2019-03-31)")
        return ""

    def url(self, value: Any, path: tuple) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not URL_RE.match(value.strip()):
            self.error(path, f"'{value}' is geen webadres; verwacht een adres dat begint met https:// of http://")
            return None
        return value.strip()

    def bron(self, data: dict) -> Bron:
        value = data.get("bron")
        if value is None:
            self.error(("bron",), "verplicht veld 'bron' ontbreekt; verwacht een blok met 'titel' (en eventueel 'url')")
            return Bron("")
        if isinstance(value, str):
            value = {"titel": value}
        if not isinstance(value, dict):
            self.error(("bron",), "verwacht een blok met 'titel' en eventueel 'url'")
            return Bron("")
        self.unknown_keys(value, ("titel", "url"), ("bron",))
        titel = self.text(value, "titel", limit=300, path=("bron",)) or ""
        return Bron(titel, self.url(value.get("url"), ("bron", "url")))

    def unknown_keys(self, data: dict, allowed: tuple[str, ...], path: tuple = ()) -> None:
        for key in data:
            if key not in allowed:
                self.error(
                    path + (key,),
                    f"onbekend veld '{key}'; toegestaan zijn: {', '.join(allowed)}." + suggestion(key, list(allowed)),
                )

    def slug(self, data: dict, key: str, path: tuple = ()) -> str | None:
        value = data.get(key)
        if value is None:
            self.error(path + (key,), f"verplicht veld '{key}' ontbreekt; verwacht een id, bijvoorbeeld humanitas-zwolle")
            return None
        if not isinstance(value, str) or not SLUG_RE.match(value) or len(value) > 80:
            self.error(
                path + (key,),
                f"'{value}' is geen geldig id; verwacht kleine letters, cijfers en streepjes (zoals '{slugify(str(value)) or 'mijn-organisatie'}')",
            )
            return None
        return value


def _field_name(path: tuple) -> str:
    name = ""
    for part in path:
        name += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


ORG_KEYS = (
    "id", "naam", "soort", "gemeenten", "inzet", "beschrijving", "diensten", "fasen",
    "doelgroepen", "profielen", "duur", "toegang", "spoed", "contact", "website",
    *RELATION_KEYS, "bron", "gecontroleerd", "fictief",
)
CHAIN_KEYS = ("gemeente", "cbs", "regie", "toegang", "beschrijving", "routes", "bron", "gecontroleerd", "fictief",
              "niet-toegestaan")


@dataclass
class _Pending:
    """References that can only be checked once every file is read."""

    ids: list[tuple[str, _Checker, tuple]]  # (referenced id, checker, path)
    gemeenten: list[tuple[str, _Checker, tuple]]


def _check_profile(c: _Checker, value: Any, path: tuple, allow_spoed: bool = False) -> dict[str, tuple[str, ...]]:
    axes = c.vocab.axes
    result = {axis: tuple(tl.terms) for axis, tl in axes.items()}
    if value is None:
        return result
    if not isinstance(value, dict):
        c.error(path, f"verwacht een blok met de kenmerken {', '.join(axes)}")
        return result
    allowed = tuple(axes) + (("spoed",) if allow_spoed else ())
    c.unknown_keys(value, allowed, path)
    for axis, tl in axes.items():
        if axis in value:
            found = c.terms(value, axis, axis, choices=list(tl.terms), path=path)
            if found:
                result[axis] = found
    if allow_spoed and "spoed" in value:
        result["spoed"] = ("ja",) if c.boolean(value, "spoed", path) else ("nee",)
    return result


def _check_relations(c: _Checker, data: dict, org_id: str, pending: _Pending) -> tuple[Relatie, ...]:
    relations = []
    for soort in RELATION_KEYS:
        value = data.get(soort)
        if value is None:
            continue
        if not isinstance(value, list):
            c.error((soort,), "verwacht een lijst van organisaties (met '- naar: id')")
            continue
        for i, item in enumerate(value):
            path = (soort, i)
            if isinstance(item, str):
                item = {"naar": item}
            if not isinstance(item, dict):
                c.error(path, "verwacht een id of een blok met 'naar', 'wanneer' en 'warm'")
                continue
            c.unknown_keys(item, ("naar", "wanneer", "warm"), path)
            target = c.slug(item, "naar", path)
            wanneer = c.text(item, "wanneer", required=False, limit=500, path=path)
            warm = c.boolean(item, "warm", path)
            if target is None:
                continue
            if target == org_id:
                c.error(path + ("naar",), "een organisatie kan niet naar zichzelf verwijzen")
                continue
            pending.ids.append((target, c, path + ("naar",)))
            relations.append(Relatie(soort, org_id, target, wanneer, warm))
    return tuple(relations)


def _check_organisation(c: _Checker, file_stem: str, pending: _Pending) -> Organisatie | None:
    data = c.doc.data
    if not isinstance(data, dict):
        c.error((), "verwacht een blok met velden (id, naam, soort, ...), geen lijst of losse tekst")
        return None
    c.unknown_keys(data, ORG_KEYS)
    start = len(c.errors)
    org_id = c.slug(data, "id")
    if org_id and org_id != file_stem:
        c.error(("id",), f"id '{org_id}' wijkt af van de bestandsnaam; verwacht '{file_stem}' (of hernoem het bestand naar {org_id}.yaml)")
    naam = c.text(data, "naam", limit=200)
    soort = c.term(data.get("soort"), "soorten", ("soort",)) if "soort" in data else c.error(("soort",), f"verplicht veld 'soort' ontbreekt; verwacht een van: {listing(list(c.vocab['soorten'].terms))}")
    inzet = c.term(data.get("inzet"), "inzet", ("inzet",)) if "inzet" in data else c.error(("inzet",), "verplicht veld 'inzet' ontbreekt; verwacht vrijwilligers, beroepskrachten of beide")
    beschrijving = c.text(data, "beschrijving")
    gemeenten_raw = data.get("gemeenten")
    gemeenten: list[str] = []
    landelijk = False
    if gemeenten_raw is None:
        c.error(("gemeenten",), "verplicht veld 'gemeenten' ontbreekt; verwacht CBS-codes zoals [GM0193] of het woord landelijk")
    else:
        items = gemeenten_raw if isinstance(gemeenten_raw, list) else [gemeenten_raw]
        for i, code in enumerate(items):
            path = ("gemeenten", i) if isinstance(gemeenten_raw, list) else ("gemeenten",)
            if code == LANDELIJK:
                landelijk = True
            elif isinstance(code, str) and CBS_RE.match(code):
                gemeenten.append(code)
                pending.gemeenten.append((code, c, path))
            else:
                c.error(path, f"'{code}' is geen CBS-gemeentecode; verwacht GM gevolgd door vier cijfers (zoals GM0193) of het woord landelijk")
        if not items:
            c.error(("gemeenten",), "de lijst is leeg; verwacht ten minste één CBS-code of landelijk")
    diensten = c.terms(data, "diensten", "diensten")
    fasen = c.terms(data, "fasen", "fasen")
    doelgroepen = c.terms(data, "doelgroepen", "doelgroepen", required=False)
    profielen = _check_profile(c, data.get("profielen"), ("profielen",))
    duur = c.term(data["duur"], "duur", ("duur",)) if data.get("duur") is not None else None
    toegang = c.terms(data, "toegang", "toegang", required=False)
    spoed = c.boolean(data, "spoed")
    contact: dict[str, str] = {}
    if data.get("contact") is not None:
        if isinstance(data["contact"], dict):
            c.unknown_keys(data["contact"], CONTACT_KEYS, ("contact",))
            for key in CONTACT_KEYS:
                value = c.text(data["contact"], key, required=False, limit=300, path=("contact",))
                if value:
                    contact[key] = value
        else:
            c.error(("contact",), f"verwacht een blok met {', '.join(CONTACT_KEYS)}")
    website = c.url(data.get("website"), ("website",))
    relaties = _check_relations(c, data, org_id or file_stem, pending)
    bron = c.bron(data)
    gecontroleerd = c.date(data)
    fictief = c.boolean(data, "fictief")
    if len(c.errors) > start or not (org_id and naam and soort and inzet):
        return None
    return Organisatie(
        id=org_id, naam=naam, soort=soort, gemeenten=tuple(dict.fromkeys(gemeenten)), landelijk=landelijk,
        inzet=inzet, beschrijving=beschrijving or "", diensten=diensten, fasen=fasen,
        doelgroepen=doelgroepen, profielen=profielen, duur=duur, toegang=toegang, spoed=spoed,
        contact=contact, website=website, relaties=relaties, bron=bron,
        gecontroleerd=gecontroleerd, bestand=c.shown_as, fictief=fictief,
    )


def _check_chain(c: _Checker, pending: _Pending) -> Keten | None:
    data = c.doc.data
    if not isinstance(data, dict):
        c.error((), "verwacht een blok met velden (gemeente, cbs, beschrijving, ...)")
        return None
    c.unknown_keys(data, CHAIN_KEYS)
    start = len(c.errors)
    naam = c.text(data, "gemeente", limit=100)
    cbs = data.get("cbs")
    if cbs is None:
        c.error(("cbs",), "verplicht veld 'cbs' ontbreekt; verwacht de CBS-gemeentecode, zoals GM0193")
    elif not isinstance(cbs, str) or not CBS_RE.match(cbs):
        c.error(("cbs",), f"'{cbs}' is geen CBS-gemeentecode; verwacht GM gevolgd door vier cijfers, zoals GM0193")
    refs = {}
    for key in ("regie", "toegang"):
        if data.get(key) is not None:
            refs[key] = c.slug(data, key)
            if refs[key]:
                pending.ids.append((refs[key], c, (key,)))
    beschrijving = c.text(data, "beschrijving")
    routes = []
    raw_routes = data.get("routes") or []
    if not isinstance(raw_routes, list):
        c.error(("routes",), "verwacht een lijst van routes")
        raw_routes = []
    for i, item in enumerate(raw_routes):
        path = ("routes", i)
        if not isinstance(item, dict):
            c.error(path, "verwacht een blok met 'naam', 'voorwaarde' en 'stappen'")
            continue
        c.unknown_keys(item, ("naam", "voorwaarde", "stappen", "warm"), path)
        route_naam = c.text(item, "naam", limit=300, path=path)
        voorwaarde = _check_profile(c, item.get("voorwaarde"), path + ("voorwaarde",), allow_spoed=True)
        if item.get("voorwaarde") is not None and isinstance(item.get("voorwaarde"), dict):
            voorwaarde = {k: v for k, v in voorwaarde.items() if k in item["voorwaarde"]}
        else:
            voorwaarde = {}
        stappen = item.get("stappen")
        ids: list[str] = []
        if not isinstance(stappen, list) or len(stappen) < 1:
            c.error(path + ("stappen",), "verwacht een lijst van organisatie-id's, van eerste contact tot de organisatie die helpt")
        else:
            for j, step in enumerate(stappen):
                if isinstance(step, str) and SLUG_RE.match(step):
                    ids.append(step)
                    pending.ids.append((step, c, path + ("stappen", j)))
                else:
                    c.error(path + ("stappen", j), f"'{step}' is geen geldig id; verwacht kleine letters, cijfers en streepjes")
        routes.append(Route(route_naam or "", voorwaarde, tuple(ids), c.boolean(item, "warm", path)))
    bron = c.bron(data)
    gecontroleerd = c.date(data)
    fictief = c.boolean(data, "fictief")
    niet_toegestaan = _check_disallowed(c, data)
    if len(c.errors) > start or not naam or not cbs:
        return None
    return Keten(
        cbs=cbs, naam=naam, slug=slugify(naam), regie=refs.get("regie"), toegang=refs.get("toegang"),
        beschrijving=beschrijving or "", routes=tuple(routes), bron=bron, gecontroleerd=gecontroleerd,
        bestand=c.shown_as, fictief=fictief, niet_toegestaan=niet_toegestaan,
    )


def _check_disallowed(c: _Checker, data: dict) -> dict[str, int | None]:
    """The optional 'niet-toegestaan' list: kinds of scan finding (vocabulary 'bevindingen')."""
    kinds = c.terms(data, "niet-toegestaan", "bevindingen", required=False)
    raw = data.get("niet-toegestaan")
    items = raw if isinstance(raw, list) else [raw]
    return {kind: c.doc.line(("niet-toegestaan", items.index(kind)) if isinstance(raw, list) else ("niet-toegestaan",))
            for kind in kinds}


def data_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def load(data_dir: Path, shown_relative_to: Path | None = None,
         progress: Callable[[int, int], None] | None = None) -> tuple[Dataset, list[DataError]]:
    """Read and validate every data file under data_dir.

    Returns the dataset of valid records and the full list of errors (empty when all is well).
    """
    vocab = load_vocabulary()
    data_dir = Path(data_dir)
    base = shown_relative_to or data_dir.parent
    errors: list[DataError] = []
    pending = _Pending([], [])
    organisaties: dict[str, Organisatie] = {}
    first_seen: dict[str, str] = {}
    ketens: dict[str, Keten] = {}
    chain_files: dict[str, str] = {}
    if not data_dir.is_dir():
        return Dataset(), [DataError(str(data_dir), None, "", "de datamap bestaat niet")]
    files = data_files(data_dir)
    for n, path in enumerate(files, 1):
        if progress:
            progress(n, len(files))
        shown = _shown(path, base)
        doc, file_errors = read_yaml(path, shown)
        errors.extend(file_errors)
        if doc is None:
            continue
        checker = _Checker(doc, shown, vocab, errors)
        if path.parent.name == CHAIN_DIR and path.parent.parent == data_dir:
            keten = _check_chain(checker, pending)
            if keten:
                if keten.cbs in ketens:
                    checker.error(("cbs",), f"CBS-code {keten.cbs} komt ook voor in {chain_files[keten.cbs]}; verwacht één ketenbestand per gemeente")
                else:
                    ketens[keten.cbs] = keten
                    chain_files[keten.cbs] = shown
        else:
            raw_id = doc.data.get("id") if isinstance(doc.data, dict) else None
            if isinstance(raw_id, str) and raw_id in first_seen:
                checker.error(("id",), f"id '{raw_id}' is al gebruikt in {first_seen[raw_id]}; verwacht een uniek id")
                continue
            if isinstance(raw_id, str):
                first_seen[raw_id] = shown
            org = _check_organisation(checker, path.stem, pending)
            if org:
                organisaties[org.id] = org
    known_ids = sorted(first_seen)
    for ref, checker, path in pending.ids:
        if ref not in first_seen:
            checker.error(path, f"onbekende organisatie '{ref}'; verwacht het id van een organisatiebestand." + suggestion(ref, known_ids))
    known_codes = sorted(chain_files)
    for code, checker, path in pending.gemeenten:
        if code not in chain_files:
            checker.error(path, f"gemeente {code} heeft geen ketenbestand in {CHAIN_DIR}/; verwacht een van: {listing(known_codes)}." + suggestion(code, known_codes))
    errors.sort(key=lambda e: (e.path, e.line or 0))
    return Dataset(organisaties, ketens), errors


def _shown(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)
