"""The parse cache of stage 1 (load(..., cache=folder), generator.load.yamlfile.ParseCache).

A rebuild after editing one file parses that one file, and the dataset and the errors are
always those of a load without a cache: for files with errors too, after edits (also edits that
keep the size and the mtime), added and deleted files, and with a cache that is corrupt, foreign,
in a read-only folder or in a folder that cannot be made. Real files in tmp_path throughout; the
only instrument is a spy on the real parser (yamlfile.parse_yaml) that records which files it
was given.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import pickle
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from datafiles import edit, line_of
from generator import parallel
from generator.load import yamlfile
from generator.load import loader
from generator.load.loader import CHECKED_FILE, load
from generator.load.yamlfile import CACHE_FILE, MAX_BYTES, RACY_NS

HOUR_NS = 3600 * 10**9


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The files (as shown in errors) the real parser is given, in order."""
    seen: list[str] = []
    real = yamlfile.parse_yaml

    def spy(raw: bytes, shown_as: str):
        seen.append(shown_as)
        return real(raw, shown_as)

    monkeypatch.setattr(yamlfile, "parse_yaml", spy)
    return seen


def age(data: Path, ns: int = HOUR_NS) -> None:
    """Set every data file's mtime `ns` back: older than any cache written from now on."""
    past = time.time_ns() - ns
    for path in data.rglob("*.yaml"):
        os.utime(path, ns=(past, past))


def same_as_without_cache(data: Path, cache: Path) -> tuple:
    result = load(data, cache=cache)
    assert result == load(data)
    return result


def add_broken_files(data: Path) -> None:
    """Files that stop at reading or parsing, and edits that the checks report with a line."""
    (data / "zwolle" / "kapot.yaml").write_text("id: kapot\nsoort: [vrijwilligersorganisatie\n", encoding="utf-8")
    (data / "zwolle" / "leeg.yaml").write_text("# alleen commentaar\n", encoding="utf-8")
    (data / "zwolle" / "latin1.yaml").write_bytes("id: latin1\nnaam: Cliënt\n".encode("latin-1"))
    (data / "zwolle" / "anker.yaml").write_text("id: anker\nnaam: &n Anker\nbron: *n\n", encoding="utf-8")
    edit(data / "zwolle" / "wijz-zwolle.yaml", "duur: langdurig", "duur: eeuwig\nbeschrjiving2: x")
    edit(data / "zwolle" / "wijz-zwolle.yaml", "fasen: [preventie, vroegsignalering, minnelijk]",
         "fasen:\n  - preventie\n  - vroegsignalring\n  - minnelijk")
    edit(data / "landelijk" / "bkr.yaml", "gecontroleerd: ", "gecontroleerd: 2019-03-15\nx-datum: ")
    edit(data / "gemeenten" / "zwolle.yaml", "gecontroleerd: 2019-03", "gecontroleerd: 2019-03\n"
                                                                          "niet-toegestaan:\n  - lus\n  - doodlopend")


def test_a_load_with_a_cache_equals_one_without_also_for_files_with_errors(data_copy, tmp_path, parsed):
    add_broken_files(data_copy)
    age(data_copy)
    cache = tmp_path / "werk"
    dataset, errors = same_as_without_cache(data_copy, cache)  # writes the cache
    assert (cache / CACHE_FILE).is_file()
    assert {e.path.rsplit("/", 1)[-1] for e in errors} >= {"kapot.yaml", "leeg.yaml", "latin1.yaml", "anker.yaml",
                                                           "wijz-zwolle.yaml", "bkr.yaml"}
    line = line_of(data_copy / "gemeenten" / "zwolle.yaml", "niet-toegestaan")
    assert dataset.ketens["GM0193"].niet_toegestaan == {"lus": line + 1, "doodlopend": line + 2}  # in a valid record
    wijz = data_copy / "zwolle" / "wijz-zwolle.yaml"
    assert [(e.line, e.field) for e in errors if e.path.endswith("wijz-zwolle.yaml")] == \
        [(line_of(wijz, "- vroegsignalring"), "fasen[2]"), (line_of(wijz, "duur"), "duur"),
         (line_of(wijz, "beschrjiving2"), "beschrjiving2")]
    parsed.clear()
    assert same_as_without_cache(data_copy, cache) == (dataset, errors)
    files = len(list(data_copy.rglob("*.yaml")))
    assert len(parsed) == files  # every one by the load without cache, none by the one with it
    # shown relative to another folder: the cached errors name the files the same way as a parse
    elsewhere = load(data_copy, shown_relative_to=tmp_path, cache=cache)
    assert elsewhere == load(data_copy, shown_relative_to=tmp_path)
    assert any(e.path.startswith("organisaties/zwolle/") for e in elsewhere[1])


def test_only_the_edited_file_is_parsed_again_also_an_edit_that_keeps_size_and_mtime(data_copy, tmp_path, parsed):
    age(data_copy)
    cache = tmp_path / "werk"
    load(data_copy, cache=cache)
    target = data_copy / "zwolle" / "humanitas-zwolle.yaml"
    before = target.stat()
    edit(target, "naam: Humanitas", "naam: Humanitaz")  # same size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same mtime
    assert target.stat().st_size == before.st_size and target.stat().st_mtime_ns == before.st_mtime_ns
    parsed.clear()
    dataset, _errors = load(data_copy, cache=cache)
    assert dataset.organisaties["humanitas-zwolle"].naam.startswith("Humanitaz")
    assert [p.rsplit("/", 1)[-1] for p in parsed] == ["humanitas-zwolle.yaml"]
    assert (dataset, _errors) == load(data_copy)


def test_files_changed_shortly_before_the_cache_was_written_are_parsed_again(data_copy, tmp_path, parsed):
    """Within RACY_NS of the load that wrote the cache (or later) a file may have changed again
    in the same tick of the clock, without a new mtime: its stamp is not trusted."""
    age(data_copy)
    recent = data_copy / "zwolle" / "op-orde-zwolle.yaml"
    future = data_copy / "almere" / "vitens.yaml"
    now = time.time_ns()
    os.utime(recent, ns=(now, now - RACY_NS // 2))
    os.utime(future, ns=(now, now + HOUR_NS))
    cache = tmp_path / "werk"
    load(data_copy, cache=cache)
    parsed.clear()
    assert same_as_without_cache(data_copy, cache)
    cached_load = parsed[: len(parsed) - len(list(data_copy.rglob("*.yaml")))]  # the other load parses every file
    assert sorted(p.rsplit("/", 1)[-1] for p in cached_load) == ["op-orde-zwolle.yaml", "vitens.yaml"]


def test_added_and_deleted_files_are_seen_and_deleted_ones_leave_the_cache(data_copy, tmp_path, parsed):
    age(data_copy)
    cache = tmp_path / "werk"
    load(data_copy, cache=cache)
    gone = data_copy / "zwolle" / "wijz-zwolle.yaml"
    copy = data_copy / "almere" / "wijz-zwolle.yaml"
    shutil.move(gone, copy)  # same file, another place: a new path for the cache
    (data_copy / "landelijk" / "bkr.yaml").unlink()
    parsed.clear()
    dataset, errors = same_as_without_cache(data_copy, cache)
    assert "bkr" not in dataset.organisaties and "wijz-zwolle" in dataset.organisaties
    assert parsed[0].endswith("almere/wijz-zwolle.yaml") and len(parsed) == 1 + len(list(data_copy.rglob("*.yaml")))
    stored = yamlfile.ParseCache(cache).previous
    assert "almere/wijz-zwolle.yaml" in stored and "zwolle/wijz-zwolle.yaml" not in stored
    assert "landelijk/bkr.yaml" not in stored and len(stored) == len(list(data_copy.rglob("*.yaml")))


@pytest.mark.parametrize("content", [
    b"",
    b"geen pickle",
    pickle.dumps({"a": 1}),
    pickle.dumps(("ketenkaart-gelezen", "een andere versie", 0, {})),
    # a pickle that would run a command when loaded by pickle.load: refused, nothing runs
    b"cos\nsystem\n(S'touch /tmp/ketenkaart-cache-test-ran'\ntR.",
])
def test_a_corrupt_or_foreign_cache_file_is_ignored_and_replaced(content, data_copy, tmp_path, parsed):
    age(data_copy)
    cache = tmp_path / "werk"
    cache.mkdir()
    (cache / CACHE_FILE).write_bytes(content)
    same_as_without_cache(data_copy, cache)
    assert not Path("/tmp/ketenkaart-cache-test-ran").exists()
    parsed.clear()
    load(data_copy, cache=cache)
    assert parsed == []  # the cache was written again, and is used


def test_a_cache_of_another_parser_version_is_not_used(data_copy, tmp_path, parsed, monkeypatch):
    age(data_copy)
    cache = tmp_path / "werk"
    load(data_copy, cache=cache)
    monkeypatch.setattr(yamlfile, "cache_version", lambda: "een andere versie van yamlfile.py")
    parsed.clear()
    load(data_copy, cache=cache)
    assert len(parsed) == len(list(data_copy.rglob("*.yaml")))


@pytest.fixture
def read_only(tmp_path):
    """Make a folder read-only, also for root (whom permissions do not stop): the immutable flag."""
    made: list[Path] = []

    def make(folder: Path) -> None:
        folder.chmod(0o555)
        made.append(folder)
        if os.access(folder, os.W_OK):
            chattr = shutil.which("chattr")
            if not chattr or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode:
                pytest.skip("cannot make a folder read-only for this user")

    yield make
    for folder in made:
        if shutil.which("chattr"):
            subprocess.run([shutil.which("chattr"), "-i", str(folder)], capture_output=True)
        folder.chmod(0o755)


def test_a_read_only_cache_folder_is_used_but_not_written(data_copy, tmp_path, parsed, read_only):
    age(data_copy)
    cache = tmp_path / "werk"
    load(data_copy, cache=cache)
    read_only(cache)
    target = data_copy / "zwolle" / "humanitas-zwolle.yaml"
    edit(target, "naam: Humanitas", "naam: Humanitas Nieuw")
    parsed.clear()
    dataset, _errors = same_as_without_cache(data_copy, cache)
    assert dataset.organisaties["humanitas-zwolle"].naam.startswith("Humanitas Nieuw")
    assert parsed[0].endswith("humanitas-zwolle.yaml") and len(parsed) == 1 + len(list(data_copy.rglob("*.yaml")))
    assert sorted(os.listdir(cache)) == sorted([CACHE_FILE, CHECKED_FILE])  # no temporary file left behind


def test_a_cache_folder_is_made_only_when_its_parent_exists(data_copy, tmp_path):
    same_as_without_cache(data_copy, tmp_path / "nergens" / "werk")
    assert not (tmp_path / "nergens").exists()
    same_as_without_cache(data_copy, tmp_path / "werk")
    assert (tmp_path / "werk" / CACHE_FILE).is_file()
    (tmp_path / "bestand").write_text("geen map", encoding="utf-8")
    same_as_without_cache(data_copy, tmp_path / "bestand")


def test_anchors_are_refused_with_their_line_also_from_the_cache_and_an_ampersand_in_text_is_fine(
        data_copy, tmp_path):
    target = data_copy / "zwolle" / "humanitas-zwolle.yaml"
    edit(target, "beschrijving: >\n", "beschrijving: >\n  Schuld & Zorg * samen.\n")
    bomb = data_copy / "zwolle" / "bom.yaml"
    bomb.write_text("id: bom\nnaam: Bom\nbeschrijving: Tekst & meer\nsoort: &s wijkteam\ninzet: *s\n", encoding="utf-8")
    age(data_copy)
    cache = tmp_path / "werk"
    for _ in range(2):  # parsed, then from the cache
        dataset, errors = same_as_without_cache(data_copy, cache)
        assert "Schuld & Zorg * samen." in dataset.organisaties["humanitas-zwolle"].beschrijving
        [message] = [str(e) for e in errors]
        assert message.endswith("bom.yaml:4: ankers (&) en verwijzingen (*) zijn niet toegestaan; "
                                "schrijf de waarde voluit"), message


def test_size_limit_and_its_message_are_kept(data_copy):
    big = data_copy / "zwolle" / "groot.yaml"
    big.write_bytes(b"#" * MAX_BYTES + b"\n")
    just = data_copy / "zwolle" / "net.yaml"
    just.write_bytes(b"#" * (MAX_BYTES - 1) + b"\n")
    errors = [str(e) for e in load(data_copy)[1]]
    assert [e for e in errors if "groot.yaml" in e] == \
        [f"{data_copy.name}/zwolle/groot.yaml: het bestand is {(MAX_BYTES + 1) // 1024} KB; "
         f"verwacht hoogstens {MAX_BYTES // 1024} KB"]
    assert [e for e in errors if "net.yaml" in e] == [f"{data_copy.name}/zwolle/net.yaml: het bestand is leeg; "
                                                      "verwacht de velden van een organisatie of keten"]


def test_a_named_pipe_is_refused_without_waiting_for_it(data_copy, tmp_path):
    os.mkfifo(data_copy / "zwolle" / "pijp.yaml")
    for cache in (None, tmp_path / "werk"):
        _dataset, errors = load(data_copy, cache=cache)
        assert [str(e) for e in errors] == \
            [f"{data_copy.name}/zwolle/pijp.yaml: is geen gewoon bestand; verwacht een YAML-bestand"]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was(enabled, data_copy):
    (gc.enable if enabled else gc.disable)()
    try:
        load(data_copy)
        assert gc.isenabled() is enabled
        with pytest.raises(TypeError):
            load(data_copy, progress="geen functie")
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


# -- records checked before (loader._Checked) ------------------------------------------------------

@pytest.fixture
def checked(monkeypatch) -> list[str]:
    """The organisation files (as shown) whose records are checked, in order: a spy on the real check."""
    seen: list[str] = []
    real = loader._check_organisation

    def spy(c, file_stem):
        seen.append(c.shown_as)
        return real(c, file_stem)

    monkeypatch.setattr(loader, "_check_organisation", spy)
    return seen


def test_an_unchanged_file_is_not_checked_again_and_the_result_is_the_same(data_copy, tmp_path, checked):
    age(data_copy)
    cache = tmp_path / "werk"
    same_as_without_cache(data_copy, cache)
    checked.clear()
    load(data_copy, cache=cache)
    assert checked == []  # every record came from the previous load
    edit(data_copy / "zwolle" / "humanitas-zwolle.yaml", "naam: Humanitas", "naam: Humanitas Anders")
    checked.clear()
    dataset, _errors = same_as_without_cache(data_copy, cache)
    assert [c.rsplit("/", 1)[-1] for c in checked[:1]] == ["humanitas-zwolle.yaml"]
    assert len(checked) == 1 + len(dataset.organisaties)  # the edited file, then the load without cache
    assert dataset.organisaties["humanitas-zwolle"].naam.startswith("Humanitas Anders")


def test_references_of_an_unchanged_file_are_checked_again_with_their_line(data_copy, tmp_path, checked):
    """A record taken over still has its references checked: the organisation it names may be gone."""
    age(data_copy)
    cache = tmp_path / "werk"
    same_as_without_cache(data_copy, cache)
    (data_copy / "zwolle" / "op-orde-zwolle.yaml").unlink()
    checked.clear()
    _dataset, errors = same_as_without_cache(data_copy, cache)
    found = [e for e in errors if "op-orde-zwolle" in e.message]
    assert found and all(e.line for e in found)
    assert not any(c.endswith("gemeente-zwolle-schulddienstverlening.yaml") for c in checked[:len(checked) // 2])


def test_another_vocabulary_checks_every_record_again(data_copy, tmp_path, checked):
    from generator.domain.vocab import load_vocabulary

    age(data_copy)
    cache = tmp_path / "werk"
    load(data_copy, cache=cache)
    other = dataclasses.replace(load_vocabulary(), bestand="ander/vocabulaire.yaml")  # any difference: another key
    checked.clear()
    load(data_copy, cache=cache, vocabulary=other)
    assert len(checked) > 0


def test_a_foreign_checked_file_runs_nothing(data_copy, tmp_path, checked):
    age(data_copy)
    cache = tmp_path / "werk"
    load(data_copy, cache=cache)
    witness = tmp_path / "uitgevoerd"

    class Payload:
        def __reduce__(self):
            return os.system, (f"touch {witness}",)

    key = pickle.loads((cache / CHECKED_FILE).read_bytes())[1]
    (cache / CHECKED_FILE).write_bytes(pickle.dumps(("ketenkaart-gecontroleerd", key, Payload())))
    checked.clear()
    same_as_without_cache(data_copy, cache)
    assert not witness.exists()
    assert checked  # the foreign file was ignored: the records were checked again


def test_a_kept_record_needs_no_document_and_one_is_parsed_again_when_it_is_needed(data_copy, tmp_path, parsed):
    """The parse cache keeps only the stat of a file whose checked record is kept (it stays
    small), from the first load on; when the records cannot be used (another vocabulary), those
    files are parsed again."""
    from generator.domain.vocab import load_vocabulary

    def kept_entries():
        kept = pickle.loads((cache / CACHE_FILE).read_bytes())[2][1]
        organisations = {rel: entry for rel, entry in kept.items() if not rel.startswith(loader.CHAIN_DIR + "/")}
        assert organisations and all(entry[1:] == (None, None, None) for entry in organisations.values())
        assert all(entry[2] is not None for rel, entry in kept.items() if rel not in organisations)  # chain files
        return organisations

    age(data_copy)
    cache = tmp_path / "werk"
    load(data_copy, cache=cache)
    assert kept_entries()
    parsed.clear()
    load(data_copy, cache=cache)
    assert parsed == []
    organisations = kept_entries()
    other = dataclasses.replace(load_vocabulary(), bestand="ander/vocabulaire.yaml")
    parsed.clear()
    result = load(data_copy, cache=cache, vocabulary=other)
    assert len(parsed) == len(organisations)
    assert result == load(data_copy, vocabulary=other)


def test_a_new_file_that_takes_the_id_of_an_unchanged_one_is_reported_as_without_cache(data_copy, tmp_path):
    """Ids are checked across files also for records taken over: whichever file comes first in the
    order of paths keeps the id, the other is reported at its id's line."""
    age(data_copy)
    cache = tmp_path / "werk"
    load(data_copy, cache=cache)
    taken = (data_copy / "zwolle" / "humanitas-zwolle.yaml").read_text(encoding="utf-8")
    (data_copy / "zwolle" / "aaa-dubbel.yaml").write_text(taken, encoding="utf-8")  # before it in path order
    (data_copy / "zwolle" / "zzz-dubbel.yaml").write_text(taken, encoding="utf-8")  # after it
    _dataset, errors = same_as_without_cache(data_copy, cache)
    doubles = [e for e in errors if "al gebruikt" in e.message]
    assert {e.path.rsplit("/", 1)[-1] for e in doubles} == {"humanitas-zwolle.yaml", "zzz-dubbel.yaml"}
    assert all(e.line for e in doubles)


# -- files read and checked on every core (loader._read_and_check) ---------------------------------

def test_files_read_on_every_core_give_the_load_of_one_core_with_every_error_and_the_same_caches(
        data_copy, tmp_path, monkeypatch):
    """Many files are read and checked in worker processes and tied together here: the dataset,
    the errors (with their lines: duplicate ids, unknown references and keys, broken files) and
    what the caches keep are those of a load that reads them one after another."""
    add_broken_files(data_copy)
    taken = (data_copy / "zwolle" / "humanitas-zwolle.yaml").read_text(encoding="utf-8")
    (data_copy / "zwolle" / "aaa-dubbel.yaml").write_text(taken, encoding="utf-8")
    edit(data_copy / "zwolle" / "wijz-zwolle.yaml", "naam: ", "onbekend-veld: 1\nnaam: ")
    edit(data_copy / "zwolle" / "schuldhulpmaatje-zwolle.yaml", "werkt-samen: [op-orde-zwolle,", "werkt-samen: [niet-bestaand,")
    age(data_copy)
    monkeypatch.setattr(loader, "PARALLEL_READ_FILES", 10**9)
    serial = load(data_copy, cache=tmp_path / "een")
    assert parallel.last_workers() == 0
    monkeypatch.setattr(loader, "PARALLEL_READ_FILES", 1)
    monkeypatch.setattr(parallel, "PROCESSES", 2)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    both = load(data_copy, cache=tmp_path / "twee")
    assert parallel.last_workers() == 2
    dataset, errors = serial
    said = " ".join(e.message for e in errors)
    assert "al gebruikt" in said and "onbekende organisatie 'niet-bestaand'" in said and "onbekend-veld" in said
    assert all(e.line for e in errors if "kapot" not in e.path and "leeg" not in e.path and "latin1" not in e.path)
    assert both == serial == load(data_copy)
    for name in (CACHE_FILE, CHECKED_FILE):
        kept = [pickle.loads((tmp_path / folder / name).read_bytes())[2] for folder in ("een", "twee")]
        if name == CACHE_FILE:
            kept = [entries for _started, entries in kept]
        assert kept[0] == kept[1] and kept[0]
    assert load(data_copy, cache=tmp_path / "twee") == serial  # and from those caches
