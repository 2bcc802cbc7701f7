"""Stage 1: read the data folder, validate every record, and return a Dataset.

All problems in all files are collected and returned together; nothing is raised for bad
input. Messages are in Dutch, because the people who read them edit the data.
"""

from __future__ import annotations

import functools
import gc
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from generator import cachefile, urls
from generator.domain import gemeenten
from generator.domain.fields import (
    CBS_RE, CONTACT_KEYS, DATE_RE, KETEN, MAX_TEXT, ORGANISATIE, RELATION_KEYS, SLUG_RE, URL_RE, listing, quoted,
    slugify, suggestion, unknown_keys,
)
from generator.domain.vocab import Vocabulary, load_vocabulary
from generator.load.yamlfile import CacheShare, ParseCache, YamlDoc, read_yaml
from generator.model import DataError, Dataset, Keten, Organisatie, digest_of
from generator.parallel import cores, parallel_map_while
from generator.project import CHAIN_DIR

__all__ = ["CBS_RE", "CHAIN_DIR", "CHAIN_KEYS", "CONTACT_KEYS", "DATE_RE", "MAX_TEXT", "ORG_KEYS", "RELATION_KEYS",
           "RESERVED_CHAIN_SLUGS", "SLUG_RE", "URL_RE", "data_files", "freeze_loaded", "gemeente_keuzes",
           "gemeente_suggestie", "listing", "load", "odd_entries", "slugify", "suggestion", "zoek_gemeente"]


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


class _DocOnDemand:
    """The document of a file whose checked record was kept (loader._Checked): read and parsed
    only if an error about it needs a line (a reference to an organisation that is gone)."""

    def __init__(self, path: Path, shown_as: str):
        self.path, self.shown_as = path, shown_as

    @functools.cached_property
    def _doc(self) -> YamlDoc | None:
        return read_yaml(self.path, self.shown_as)[0]

    def line(self, path: tuple) -> int | None:
        return self._doc.line(path) if self._doc else None


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


def _is_data_name(name: str) -> bool:
    """Path(name).suffix is .yaml or .yml (so '.yaml' itself, a hidden file without suffix, is not)."""
    return name.endswith((".yaml", ".yml")) and name.rfind(".") > 0


def data_files(data_dir: Path) -> list[Path]:
    """The data files: regular YAML files below data_dir, symbolic links left out (see odd_entries)."""
    return _walk(Path(data_dir))[0]


def odd_entries(data_dir: Path) -> list[Path]:
    """What the loader refuses to read: symbolic links (to a YAML file, a folder or nowhere) and
    YAML names that are not regular files (a pipe, a device)."""
    return _walk(Path(data_dir))[1]


def _walk(data_dir: Path) -> tuple[list[Path], list[Path]]:
    files, odd = _scan(data_dir)
    return [path for path, _rel in files], odd


def _scan(data_dir: Path) -> tuple[list[tuple[Path, str]], list[Path]]:
    """The data files (each with its path relative to data_dir, with '/') and the odd entries,
    both in the order of their paths. Symbolic links to folders are not followed; the types come
    from the folder listing itself (os.scandir), so that a file costs no stat here."""
    files: list[tuple[Path, str]] = []
    odd: list[Path] = []
    folders: list[tuple[Path, str]] = [(data_dir, "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError:  # as os.walk: a folder that cannot be listed is left out
            continue
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((folder / name, f"{prefix}{name}/"))
                elif entry.is_symlink():
                    if _is_data_name(name) or entry.is_dir():  # a link to a file, to nowhere or to a folder
                        odd.append(folder / name)
                elif _is_data_name(name):
                    if entry.is_file(follow_symlinks=False):
                        files.append((folder / name, prefix + name))
                    else:  # a pipe, a device, a socket
                        odd.append(folder / name)
            except OSError:
                continue
    files.sort(key=lambda found: found[1].split("/"))  # the order of the paths, as sorted(paths)
    return files, sorted(odd)


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


CHECKED_FILE = "gecontroleerd.pickle"  # in the cache folder, beside yamlfile.CACHE_FILE
_CHECKED_MAGIC = "ketenkaart-gecontroleerd"


@functools.cache
def _checks_version() -> str | None:
    """The code that turns a document into a record: this package, the field registry and the
    domain rules, the records and the addresses (None when its source cannot be read)."""
    package = Path(__file__).resolve().parent.parent
    return cachefile.code_digest(package / "load", package / "domain", package / "model.py", package / "urls.py")


class _Checked:
    """The organisation records that were checked without any error at the previous load, by data
    file, kept in `folder/CHECKED_FILE`. A file the parse cache found unchanged, shown by the same
    path and checked by the same code against the same vocabulary gives the same record and the
    same references (to check once every file is read): it is not checked again. A file with any
    error is checked every time."""

    def __init__(self, folder: Path, vocab: Vocabulary):
        self.path = Path(folder) / CHECKED_FILE
        version = _checks_version()
        self.key = None if version is None else version + digest_of(vocab)
        stored = cachefile.read(self.path, _CHECKED_MAGIC, self.key) if self.key else None
        self.previous: dict = stored if isinstance(stored, dict) else {}
        self.kept: dict = {}
        self.changed = False

    def get(self, rel: str, shown: str) -> tuple | None:
        entry = self.previous.get(rel)
        if entry is None or entry[0] != shown:
            return None
        self.kept[rel] = entry
        return entry

    def put(self, rel: str, shown: str, org: Organisatie, ids: list[tuple[str, tuple]],
            gemeenten: list[tuple[str, tuple]]) -> None:
        self.kept[rel] = (shown, org, ids, gemeenten)
        self.changed = True

    def save(self) -> None:
        if self.key and (self.changed or len(self.kept) != len(self.previous)):
            cachefile.write(self.path, _CHECKED_MAGIC, self.key, self.kept)


def load(data_dir: Path, shown_relative_to: Path | None = None,
         progress: Callable[[int, int], None] | None = None,
         vocabulary: Vocabulary | None = None, cache: Path | None = None) -> tuple[Dataset, list[DataError]]:
    """Read and validate every data file under data_dir against `vocabulary` (default: the
    engine's own, load_vocabulary()).

    Returns the dataset of valid records (with the vocabulary as `vocab`) and the full list of
    errors (empty when all is well).

    `cache`: a folder where the parse of every file is kept for the next load (yamlfile.ParseCache),
    and the records checked without error (_Checked): a file that did not change is not read,
    parsed or checked again. The references between files are checked every time, so the dataset
    and the errors are those of a load without it.

    Thousands of files to read afresh (PARALLEL_READ_FILES) are read and checked on every core
    (_read_and_check); the dataset, the errors and the caches are those of one core.
    """
    with cachefile.gc_paused():  # it makes hundreds of thousands of objects that stay alive
        parse_cache = ParseCache(cache) if cache is not None else None
        vocab = vocabulary or load_vocabulary()
        checked = _Checked(cache, vocab) if cache is not None else None
        result = _load(Path(data_dir), shown_relative_to, progress, vocab, parse_cache, checked)
        if parse_cache is not None:
            parse_cache.save()
        if checked is not None:
            checked.save()
        return result


def _load(data_dir: Path, shown_relative_to: Path | None, progress: Callable[[int, int], None] | None,
          vocab: Vocabulary, parse_cache: ParseCache | None,
          checked: _Checked | None) -> tuple[Dataset, list[DataError]]:
    base = shown_relative_to or data_dir.parent
    errors: list[DataError] = []
    pending = _Pending()
    organisaties: dict[str, Organisatie] = {}
    first_seen: dict[str, str] = {}
    ketens: dict[str, Keten] = {}
    chain_files: dict[str, str] = {}
    if not data_dir.is_dir():
        return Dataset(vocab=vocab), [DataError(str(data_dir), None, "", "de datamap bestaat niet")]
    files, odd = _scan(data_dir)
    resolved: dict[Path, Path] = {}  # each folder resolved once (thousands of files share a few folders)
    errors.extend(_odd_error(path, _shown(path, base, resolved)) for path in odd)
    shown_folders: dict[str, str | None] = {}  # by folder relative to data_dir: how _shown shows it
    chain_checkers: dict[str, _Checker] = {}
    chain_prefix = CHAIN_DIR + "/"
    listed = []  # (path, rel, shown, is a chain file, what _Checked kept of it)
    for path, rel in files:
        shown = _shown_in(path, rel, base, resolved, shown_folders)
        is_chain = rel.startswith(chain_prefix) and "/" not in rel[len(chain_prefix):]
        stamp = parse_cache.unchanged_stamp(path, rel) if checked and parse_cache and not is_chain else None
        known = checked.get(rel, shown) if stamp else None
        if known is not None:
            parse_cache.keep_stamp(rel, stamp)
        listed.append((path, rel, shown, is_chain, known))
    # Every organisation file that is read afresh, read and checked on its own (on every core when
    # there are many); what ties the files together follows below, file by file, in their order.
    outcomes = _read_and_check([(path, rel, shown) for path, rel, shown, is_chain, known in listed
                                if known is None and not is_chain], vocab, parse_cache)
    for n, (path, rel, shown, is_chain, known) in enumerate(listed, 1):
        if progress:
            progress(n, len(files))
        if not is_chain:
            # unchanged since it was checked without error (its record and references), or read now
            outcome = _Outcome.of_checked(known) if known is not None else outcomes[rel]
            checker = _Checker(_DocOnDemand(path, shown), shown, vocab, errors, pending)
            if outcome.raw_id is not None and not _first_use_of_id(checker, outcome.raw_id, first_seen):
                continue  # a second file with the same id: that is its error, nothing else is said of it
            errors.extend(outcome.errors)
            pending.ids.extend((ref, checker, where) for ref, where in outcome.ids)
            pending.gemeenten.extend((code, checker, where) for code, where in outcome.codes)
            if outcome.org is not None:
                if known is None and checked is not None and not outcome.errors:
                    checked.put(rel, shown, outcome.org, outcome.ids, outcome.codes)
                organisaties[outcome.org.id] = outcome.org
            continue
        doc, file_errors = parse_cache.read(path, rel, shown) if parse_cache else read_yaml(path, shown)
        errors.extend(file_errors)
        if doc is None:
            continue
        checker = _Checker(doc, shown, vocab, errors, pending)
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
    pending.ids.clear()  # each refers to a checker, which refers to pending: without this cycle every
    pending.gemeenten.clear()  # document would stay alive until the garbage collector's next full walk
    return Dataset(organisaties, ketens, vocab), errors


@dataclass(frozen=True)
class _Outcome:
    """What reading and checking one organisation file on its own gave (_read_and_check)."""

    raw_id: str | None  # the id as written, if it is a text: a second file with it is refused unread
    org: Organisatie | None  # the record, when its fields could be made (an unknown key does not stop that)
    errors: list[DataError]
    ids: list[tuple[str, tuple]]  # referenced organisation ids, with where (checked once all are read)
    codes: list[tuple[str, tuple]]  # referenced municipality codes, with where

    @staticmethod
    def of_checked(entry: tuple) -> "_Outcome":
        """The outcome of a file _Checked kept from the previous load: (shown, record, ids, codes)."""
        _shown, org, ids, codes = entry
        return _Outcome(org.id, org, [], ids, codes)


PARALLEL_READ_FILES = 1_500  # fewer files to read afresh than this: one after another, in this process


def _read_and_check(todo: list[tuple[Path, str, str]], vocab: Vocabulary,
                    parse_cache: ParseCache | None) -> dict[str, _Outcome]:
    """Read and check each organisation file (path, relative path, as shown) on its own, by
    relative path. Many files are spread over the cores (generator.parallel): this process takes a
    share while the workers take theirs, and the parse cache learns what the workers read."""

    def run(part: list[tuple[Path, str, str]]) -> tuple[dict[str, _Outcome], CacheShare | None]:
        outcomes = {rel: _read_and_check_one(path, rel, shown, vocab, parse_cache) for path, rel, shown in part}
        return outcomes, parse_cache.share(outcomes) if parse_cache is not None else None

    if len(todo) < PARALLEL_READ_FILES:
        return run(todo)[0]
    shares = cores() + 1  # one for each worker and one for this process
    parts = [todo[len(todo) * i // shares:len(todo) * (i + 1) // shares] for i in range(shares)]
    theirs, (outcomes, _own_share) = parallel_map_while(run, parts[1:], lambda: run(parts[0]), min_items=2)
    for their_outcomes, share in theirs:
        outcomes.update(their_outcomes)
        if parse_cache is not None and share is not None:
            parse_cache.take(share)
    return outcomes


def _read_and_check_one(path: Path, rel: str, shown: str, vocab: Vocabulary, parse_cache: ParseCache | None) -> _Outcome:
    doc, errors = parse_cache.read(path, rel, shown) if parse_cache else read_yaml(path, shown)
    if doc is None:
        return _Outcome(None, None, errors, [], [])
    pending = _Pending()
    errors = list(errors)
    raw_id = doc.data.get("id") if isinstance(doc.data, dict) else None
    org = _check_organisation(_Checker(doc, shown, vocab, errors, pending), _stem(rel))
    if org is not None and not errors and parse_cache is not None:
        parse_cache.keep_stamp(rel)  # the record is kept (_Checked), its document need not be
    return _Outcome(raw_id if isinstance(raw_id, str) else None, org, errors,
                    [(ref, where) for ref, _checker, where in pending.ids],
                    [(code, where) for code, _checker, where in pending.gemeenten])


def _first_use_of_id(checker: _Checker, org_id: str, first_seen: dict[str, str]) -> bool:
    """Record where an organisation id is first used; an error (and False) when it was used before."""
    if org_id in first_seen:
        checker.error(("id",), f"id '{org_id}' is al gebruikt in {first_seen[org_id]}; verwacht een uniek id")
        return False
    first_seen[org_id] = checker.shown_as
    return True


YOUNG_OBJECTS = 50_000  # see freeze_loaded


def freeze_loaded() -> None:
    """For a process that loads once, builds and ends (the child of pipeline.build): move
    everything alive out of the garbage collector's view (gc.freeze). Its full collections then no
    longer walk the whole dataset again and again while the pages are made: at 342 municipalities
    that cost more than the verwijswijzer itself when it runs in one process. Loading leaves next
    to no garbage in cycles (it breaks its own; a collection found 23 objects at 342 municipalities
    and took 0.14 s), so there is no collection first. Frozen objects are never collected, so a
    process that loads again and again (a test session) should not call this, or call
    gc.unfreeze() afterwards.

    It also lets the youngest generation grow to YOUNG_OBJECTS before a collection (Python's
    default: 700). Making the pages and files creates millions of short-lived objects, hardly any
    in cycles: at 342 municipalities the collector ran about 1,000 times in the main process alone
    and took 1.6-2.0 s there, against 0.3-0.9 s and at most 15 MB more memory with this threshold. The
    worker processes forked afterwards (generator.parallel) inherit it."""
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])


def _shown(path: Path, base: Path, resolved: dict[Path, Path] | None = None) -> str:
    """The path relative to base; the folder is resolved, not the file (a symbolic link stays itself).
    `resolved`: folders resolved before, by folder (kept by the caller for one load)."""
    prefix = _shown_folder(path.parent, base, {} if resolved is None else resolved)
    return str(path) if prefix is None else prefix + path.name


def _shown_folder(folder: Path, base: Path, resolved: dict[Path, Path]) -> str | None:
    """How _shown shows files in `folder`: the resolved folder relative to the resolved base, with
    a separator ('' for base itself); None when it is not below base."""
    for known in (folder, base):
        if known not in resolved:
            resolved[known] = known.resolve()
    try:
        shown = str(resolved[folder].relative_to(resolved[base]))
    except ValueError:
        return None
    return "" if shown == "." else shown + os.sep


def _shown_in(path: Path, rel: str, base: Path, resolved: dict[Path, Path], folders: dict[str, str | None]) -> str:
    """_shown(path, base, resolved) for a data file at `rel` (relative to the data folder), its
    folder's part worked out once per folder and kept in `folders`."""
    folder_rel = rel.rpartition("/")[0]
    if folder_rel not in folders:
        folders[folder_rel] = _shown_folder(path.parent, base, resolved)
    prefix = folders[folder_rel]
    return str(path) if prefix is None else prefix + path.name
