"""Stage 1: read the data folder, validate every record, and return a Dataset.

All problems in all files are collected and returned together; nothing is raised for bad
input. Messages are in Dutch, because the people who read them edit the data.
"""

from __future__ import annotations

import gc
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from generator import urls
from generator.domain import gemeenten
from generator.domain.fields import (
    CBS_RE, CONTACT_KEYS, DATE_RE, KETEN, MAX_TEXT, ORGANISATIE, RELATION_KEYS, SLUG_RE, URL_RE, listing, quoted,
    slugify, suggestion, unknown_keys,
)
from generator.domain.vocab import Vocabulary, load_vocabulary
from generator.load.yamlfile import YamlDoc, read_yaml
from generator.model import DataError, Dataset, Keten, Organisatie

__all__ = ["CBS_RE", "CHAIN_DIR", "CHAIN_KEYS", "CONTACT_KEYS", "DATE_RE", "MAX_TEXT", "ORG_KEYS", "RELATION_KEYS",
           "RESERVED_CHAIN_SLUGS", "SLUG_RE", "URL_RE", "data_files", "freeze_loaded", "gemeente_keuzes",
           "gemeente_suggestie", "listing", "load", "odd_entries", "slugify", "suggestion", "zoek_gemeente"]

CHAIN_DIR = urls.GEMEENTEN


def _stem(source: str) -> str:
    return posixpath.splitext(posixpath.basename(source))[0]


# Chain slugs that would overwrite a page or file Ketenkaart makes itself (gemeenten/<slug>.md,
# downloads/<slug>.json, ...), with what it makes there.
RESERVED_CHAIN_SLUGS = {
    _stem(urls.GEMEENTEN_OVERZICHT): f"het overzicht van de gemeenten ({urls.url_of(urls.GEMEENTEN_OVERZICHT)})",
    _stem(urls.KETENSCAN_OVERZICHT): f"de ketenscan ({urls.url_of(urls.KETENSCAN_OVERZICHT)} en "
                                     f"{urls.DOWNLOADS}/{_stem(urls.KETENSCAN_OVERZICHT)}.json)",
    urls.NATIONAAL: f"de landelijke kaart ({urls.OVERZICHTSKAART}) en de landelijke downloads "
                    f"({urls.DOWNLOADS}/{urls.NATIONAAL}.json)",
}
ORG_KEYS = ORGANISATIE.keys
CHAIN_KEYS = KETEN.keys


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
class _Pending:
    """References that can only be checked once every file is read."""

    ids: list[tuple[str, _Checker, tuple]] = field(default_factory=list)  # (referenced id, checker, path)
    gemeenten: list[tuple[str, _Checker, tuple]] = field(default_factory=list)


@dataclass
class _Checker:
    """Validates one document, remembering errors with the file and line (a fields.Context)."""

    doc: YamlDoc
    shown_as: str
    vocab: Vocabulary
    errors: list[DataError]
    pending: _Pending
    own_id: str = ""

    def error(self, path: tuple, message: str) -> None:
        self.errors.append(DataError(self.shown_as, self.doc.line(path), _field_name(path), message))

    def line(self, path: tuple) -> int | None:
        return self.doc.line(path)

    def reference(self, ident: str, path: tuple) -> None:
        self.pending.ids.append((ident, self, path))

    def municipality(self, code: str, path: tuple) -> None:
        self.pending.gemeenten.append((code, self, path))


def _field_name(path: tuple) -> str:
    name = ""
    for part in path:
        name += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def _not_a_block(keys: tuple[str, ...]) -> str:
    return f"verwacht een blok met velden ({', '.join(keys[:3])}, ...), geen lijst of losse tekst"


def _check_organisation(c: _Checker, file_stem: str) -> Organisatie | None:
    data = c.doc.data
    if not isinstance(data, dict):
        c.error((), _not_a_block(ORG_KEYS))
        return None
    unknown_keys(c, data, ORG_KEYS)
    start = len(c.errors)
    raw_id = data.get("id")
    c.own_id = raw_id if isinstance(raw_id, str) and SLUG_RE.match(raw_id) else file_stem
    values = ORGANISATIE.check(c, data)
    org_id = values["id"]
    if org_id and org_id != file_stem:
        c.error(("id",), f"id '{org_id}' wijkt af van de bestandsnaam; verwacht '{file_stem}' "
                         f"(of hernoem het bestand naar {org_id}.yaml)")
    if len(c.errors) > start:
        return None
    return ORGANISATIE.build(values, bestand=c.shown_as)


def _check_chain(c: _Checker) -> Keten | None:
    data = c.doc.data
    if not isinstance(data, dict):
        c.error((), _not_a_block(CHAIN_KEYS))
        return None
    unknown_keys(c, data, CHAIN_KEYS)
    start = len(c.errors)
    values = KETEN.check(c, data)
    if len(c.errors) > start:
        return None
    naam = values[KETEN.fields[0].key]
    return KETEN.build(values, slug=slugify(naam), bestand=c.shown_as)


def _is_data_file(path: Path) -> bool:
    return path.suffix in (".yaml", ".yml")


def data_files(data_dir: Path) -> list[Path]:
    """The data files: regular YAML files below data_dir, symbolic links left out (see odd_entries)."""
    return _walk(Path(data_dir))[0]


def odd_entries(data_dir: Path) -> list[Path]:
    """What the loader refuses to read: symbolic links (to a YAML file, a folder or nowhere) and
    YAML names that are not regular files (a pipe, a device)."""
    return _walk(Path(data_dir))[1]


def _walk(data_dir: Path) -> tuple[list[Path], list[Path]]:
    files: list[Path] = []
    odd: list[Path] = []
    for root, dirs, names in os.walk(data_dir):  # does not follow symbolic links to folders
        base = Path(root)
        odd.extend(base / d for d in dirs if (base / d).is_symlink())
        for name in names:
            path = base / name
            if not _is_data_file(path):
                continue
            if path.is_symlink() or not path.is_file():
                odd.append(path)
            else:
                files.append(path)
    return sorted(files), sorted(odd)


def _odd_error(path: Path, shown: str) -> DataError:
    if path.is_symlink():
        what = "de map" if path.is_dir() else "het bestand"
        return DataError(shown, None, "", f"is een symbolische koppeling (naar {os.readlink(path)}); Ketenkaart leest "
                                          f"alleen gewone bestanden en mappen in de datamap: kopieer {what} hierheen")
    return DataError(shown, None, "", "is geen gewoon bestand; verwacht een YAML-bestand")


def _check_chain_slugs(ketens: dict[str, Keten], checkers: dict[str, _Checker]) -> None:
    """Every chain gets pages and files named after its slug: two chains with the same slug, a
    slug Ketenkaart uses itself or an empty slug would overwrite or break a page."""
    by_slug: dict[str, list[Keten]] = {}
    for cbs, keten in list(ketens.items()):
        checker = checkers[cbs]
        if not keten.slug:
            checker.error(("gemeente",), f"de naam '{quoted(keten.naam)}' geeft geen paginaadres: er staat geen letter "
                                         "of cijfer (a-z, 0-9) in; schrijf de naam met letters, zoals CBS hem schrijft")
        elif keten.slug in RESERVED_CHAIN_SLUGS:
            checker.error(("gemeente",), f"de naam '{quoted(keten.naam)}' geeft het adres '{keten.slug}', dat "
                                         f"Ketenkaart al gebruikt voor {RESERVED_CHAIN_SLUGS[keten.slug]}; kies een "
                                         f"andere naam, zoals 'Gemeente {quoted(keten.naam)}'")
        else:
            by_slug.setdefault(keten.slug, []).append(keten)
            continue
        del ketens[cbs]
    for slug, same in by_slug.items():
        if len(same) < 2:
            continue
        for keten in same:
            others = " en ".join(f"de gemeente {quoted(o.naam)} in {o.bestand}" for o in same if o is not keten)
            checkers[keten.cbs].error(("gemeente",), f"de naam '{quoted(keten.naam)}' geeft hetzelfde paginaadres "
                                                     f"({urls.gemeente(slug)}) als {others}; verwacht een eigen naam "
                                                     "per gemeente")
        for keten in same[1:]:
            del ketens[keten.cbs]


def _check_chain_codes(ketens: dict[str, Keten], checkers: dict[str, _Checker]) -> None:
    """Every chain's CBS code is a municipality on the CBS list (generator/domain/gemeenten.yaml),
    matching its name; GM9xxx codes, which CBS does not use, are for fictitious data only."""
    for cbs, keten in ketens.items():
        checker = checkers[cbs]
        by_name = gemeenten.zoek(keten.naam)
        if gemeenten.is_fictief_code(cbs):
            if not keten.fictief:
                real = f" De echte code van {gemeenten.naam(by_name)} is {by_name}." if by_name else ""
                checker.error(("cbs",), f"{cbs} is een code voor verzonnen gegevens (CBS gebruikt GM9000 tot en met "
                                        f"GM9999 niet voor gemeenten); zet 'fictief: ja' als de keten verzonnen is.{real}")
        elif gemeenten.opgeheven(cbs):
            checker.error(("cbs",), gemeenten.melding_opgeheven(cbs) + " Gebruik de code van de nieuwe gemeente.")
        elif not gemeenten.bestaat(cbs):
            hint = f" Bedoelt u {gemeenten.naam(by_name)} ({by_name})?" if by_name else ""
            checker.error(("cbs",), f"{cbs} is geen gemeente op de CBS-lijst van {gemeenten.PEILDATUM}.{hint}")
        elif by_name and by_name != cbs:
            checker.error(("gemeente",), f"'{quoted(keten.naam)}' heeft CBS-code {by_name}, maar bij cbs staat {cbs} "
                                         f"({gemeenten.naam(cbs)}); verwacht de naam en de code van dezelfde gemeente")


def load(data_dir: Path, shown_relative_to: Path | None = None,
         progress: Callable[[int, int], None] | None = None,
         vocabulary: Vocabulary | None = None) -> tuple[Dataset, list[DataError]]:
    """Read and validate every data file under data_dir against `vocabulary` (default: the
    engine's own, load_vocabulary()).

    Returns the dataset of valid records (with the vocabulary as `vocab`) and the full list of
    errors (empty when all is well).
    """
    vocab = vocabulary or load_vocabulary()
    data_dir = Path(data_dir)
    base = shown_relative_to or data_dir.parent
    errors: list[DataError] = []
    pending = _Pending()
    organisaties: dict[str, Organisatie] = {}
    first_seen: dict[str, str] = {}
    ketens: dict[str, Keten] = {}
    chain_files: dict[str, str] = {}
    if not data_dir.is_dir():
        return Dataset(vocab=vocab), [DataError(str(data_dir), None, "", "de datamap bestaat niet")]
    files, odd = _walk(data_dir)
    resolved: dict[Path, Path] = {}  # each folder resolved once (thousands of files share a few folders)
    errors.extend(_odd_error(path, _shown(path, base, resolved)) for path in odd)
    chain_checkers: dict[str, _Checker] = {}
    for n, path in enumerate(files, 1):
        if progress:
            progress(n, len(files))
        shown = _shown(path, base, resolved)
        doc, file_errors = read_yaml(path, shown)
        errors.extend(file_errors)
        if doc is None:
            continue
        checker = _Checker(doc, shown, vocab, errors, pending)
        if path.parent.name == CHAIN_DIR and path.parent.parent == data_dir:
            keten = _check_chain(checker)
            raw_cbs = doc.data.get("cbs") if isinstance(doc.data, dict) else None
            if keten is None and isinstance(raw_cbs, str) and CBS_RE.match(raw_cbs):
                chain_files.setdefault(raw_cbs, shown)  # a chain with errors: its organisations are not orphans
            if keten:
                if keten.cbs in ketens:
                    checker.error(("cbs",), f"CBS-code {keten.cbs} komt ook voor in {chain_files[keten.cbs]}; verwacht één ketenbestand per gemeente")
                else:
                    ketens[keten.cbs] = keten
                    chain_files[keten.cbs] = shown
                    chain_checkers[keten.cbs] = checker
        else:
            raw_id = doc.data.get("id") if isinstance(doc.data, dict) else None
            if isinstance(raw_id, str) and raw_id in first_seen:
                checker.error(("id",), f"id '{raw_id}' is al gebruikt in {first_seen[raw_id]}; verwacht een uniek id")
                continue
            if isinstance(raw_id, str):
                first_seen[raw_id] = shown
            org = _check_organisation(checker, path.stem)
            if org:
                organisaties[org.id] = org
    _check_chain_slugs(ketens, chain_checkers)
    _check_chain_codes(ketens, chain_checkers)
    known_ids = sorted(first_seen)
    for ref, checker, path in pending.ids:
        if ref not in first_seen:
            checker.error(path, f"onbekende organisatie '{ref}'; verwacht het id van een organisatiebestand." + suggestion(ref, known_ids))
    known_codes = sorted(chain_files)
    for code, checker, path in pending.gemeenten:
        if code not in chain_files:
            checker.error(path, f"gemeente {code} heeft geen ketenbestand in {CHAIN_DIR}/; verwacht een van: {listing(known_codes)}." + suggestion(code, known_codes))
    errors.sort(key=lambda e: (e.path, e.line or 0))
    return Dataset(organisaties, ketens, vocab), errors


def freeze_loaded() -> None:
    """For a process that loads once, builds and ends (the child of pipeline.build): free what
    loading left behind, then move everything alive out of the garbage collector's view
    (gc.freeze). Its full collections then no longer walk the whole dataset again and again while
    the pages are made: at 342 municipalities that cost more than the verwijswijzer itself when
    it runs in one process. Frozen objects are never collected, so a process that loads again and
    again (a test session) should not call this, or call gc.unfreeze() afterwards."""
    gc.collect()
    gc.freeze()


def _shown(path: Path, base: Path, resolved: dict[Path, Path] | None = None) -> str:
    """The path relative to base; the folder is resolved, not the file (a symbolic link stays itself).
    `resolved`: folders resolved before, by folder (kept by the caller for one load)."""
    cache = {} if resolved is None else resolved

    def resolve(folder: Path) -> Path:
        if folder not in cache:
            cache[folder] = folder.resolve()
        return cache[folder]

    try:
        return str((resolve(path.parent) / path.name).relative_to(resolve(base)))
    except ValueError:
        return str(path)
