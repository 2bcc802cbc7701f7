"""Rebuilds that make only what an edit can change (generator.reuse, issue 16: an edit visible in
seconds). After each kind of edit, the files of a rebuild that reuses the previous build's memo
are the files of a clean build of the edited data, byte for byte: a kept file (`Unchanged`) has
the digest of the clean build's file, every other file the same content. And the rebuild really
keeps what the edit cannot reach."""

from __future__ import annotations

import importlib.util
import os
import pickle
import shutil
from pathlib import Path
from typing import Callable

import pytest
import yaml

from generator import pipeline, reuse, urls
from generator.model import Unchanged, digest
from generator.project import Project
from sitebuild import ROOT

GEMEENTEN, PER_GEMEENTE = 6, 10


def _write_national(folder: Path) -> Path:
    """benchmarks/fictief.py write_dataset (its module name is taken by tests/fictief.py here)."""
    spec = importlib.util.spec_from_file_location("benchmarks_fictief", ROOT / "benchmarks" / "fictief.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_dataset(folder, GEMEENTEN, PER_GEMEENTE)


def _bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    """The example data plus six fictitious municipalities (a pristine copy and the folder the
    builds read), and the first build's files and memo."""
    folder = tmp_path_factory.mktemp("hergebruik")
    pristine, data = folder / "ongewijzigd", folder / "organisaties"
    shutil.copytree(ROOT / "organisaties", pristine, ignore=shutil.ignore_patterns("*.md"))
    _write_national(pristine)
    shutil.copytree(pristine, data)
    project = Project.at(ROOT, data=data)
    files, _results, memo = pipeline.generate_reusing(project, pipeline.load_project(project), None, None)
    assert not any(isinstance(c, Unchanged) for c in files.values())
    return pristine, data, {path: digest(_bytes(c)) for path, c in files.items()}, memo


@pytest.fixture
def base(first_build):
    """The data folder of the first build as it was (records name their file, so an edit is made
    in the same folder), its files' digests and its memo."""
    pristine, data, published, memo = first_build
    shutil.rmtree(data)
    shutil.copytree(pristine, data)
    return data, published, memo


def _record(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _save(path: Path, record: dict) -> None:
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _org_file(data: Path, org_id: str) -> Path:
    [found] = [p for p in data.rglob(f"{org_id}.yaml")]
    return found


def _change(data: Path, org_id: str, **fields) -> None:
    path = _org_file(data, org_id)
    _save(path, {**_record(path), **fields})


def _fictitious_chain(data: Path, n: int) -> tuple[Path, dict]:
    chains = sorted(p for p in (data / urls.GEMEENTEN).glob("*.yaml") if _record(p).get("fictief"))
    return chains[n], _record(chains[n])


def _local_orgs(data: Path, cbs: str) -> list[str]:
    return sorted(r["id"] for p in data.rglob("*.yaml") if isinstance(r := _record(p), dict)
                  and r.get("gemeenten") == [cbs])


RELATIONS = ("verwijst", "werkt-samen", "signaleert")  # the relation kinds of the vocabulary


def _targets(record: dict) -> set[str]:
    """The organisations a record links to (a relation is an id or a block with `naar`)."""
    return {r["naar"] if isinstance(r, dict) else r for kind in RELATIONS for r in record.get(kind) or []}


def _national_ids(data: Path) -> list[str]:
    return sorted(p.stem for p in (data / "landelijk").glob("*.yaml"))


def edit_description(data: Path) -> str:
    _path, keten = _fictitious_chain(data, 0)
    _change(data, _local_orgs(data, keten["cbs"])[0], beschrijving="Een nieuwe beschrijving (fictief, uit een test).")
    return keten["cbs"]


def edit_name_that_others_show(data: Path) -> str:
    _path, keten = _fictitious_chain(data, 1)
    target = keten.get("toegang") or _local_orgs(data, keten["cbs"])[0]
    _change(data, target, naam="Hernoemd Loket (fictief)")
    return keten["cbs"]


def edit_new_link_to_a_national_organisation(data: Path) -> str:
    _path, keten = _fictitious_chain(data, 2)
    org_id = _local_orgs(data, keten["cbs"])[-1]
    record = _record(_org_file(data, org_id))
    national = next(n for n in _national_ids(data) if n not in _targets(record))
    _change(data, org_id, verwijst=[*(record.get("verwijst") or []), {"naar": national, "wanneer": "Een test"}])
    return keten["cbs"]


def edit_removed_link(data: Path) -> str:
    _path, keten = _fictitious_chain(data, 3)
    for org_id in _local_orgs(data, keten["cbs"]):
        record = _record(_org_file(data, org_id))
        if record.get("verwijst"):
            _change(data, org_id, verwijst=record["verwijst"][1:])
            return keten["cbs"]
    raise AssertionError("no organisation with relations")


def edit_new_organisation(data: Path) -> str:
    _path, keten = _fictitious_chain(data, 4)
    template = _record(_org_file(data, _local_orgs(data, keten["cbs"])[0]))
    new = {**template, "id": "nieuwe-organisatie-uit-test", "naam": "Nieuwe organisatie (fictief)"}
    for kind in RELATIONS:
        new.pop(kind, None)
    _save(_org_file(data, template["id"]).with_name("nieuwe-organisatie-uit-test.yaml"), new)
    return keten["cbs"]


def edit_removed_organisation(data: Path) -> str:
    """An organisation nobody links to, nor the chain file names, goes."""
    _path, keten = _fictitious_chain(data, 5)
    named = {keten.get("toegang"), keten.get("regie"), *(s for r in keten.get("routes", []) for s in r.get("stappen", []))}
    targets = {t for p in data.rglob("*.yaml") if isinstance(rec := _record(p), dict) for t in _targets(rec)}
    org_id = next(o for o in _local_orgs(data, keten["cbs"]) if o not in targets and o not in named)
    _org_file(data, org_id).unlink()
    return keten["cbs"]


def edit_chain_file(data: Path) -> str:
    path, keten = _fictitious_chain(data, 0)
    _save(path, {**keten, "beschrijving": "Een andere beschrijving van de keten (fictief, uit een test)."})
    return keten["cbs"]


def edit_national_organisation(data: Path) -> None:
    _change(data, _national_ids(data)[0], beschrijving="Een nieuwe beschrijving van een landelijke organisatie.")


def edit_moved_organisation(data: Path) -> str:
    _path, first = _fictitious_chain(data, 1)
    _path, second = _fictitious_chain(data, 2)
    _change(data, _local_orgs(data, first["cbs"])[-1], gemeenten=[second["cbs"]])
    return first["cbs"]


def edit_checked_long_ago(data: Path) -> str:
    _path, keten = _fictitious_chain(data, 3)
    _change(data, _local_orgs(data, keten["cbs"])[0], gecontroleerd="2019-01")
    return keten["cbs"]


EDITS: list[Callable[[Path], str | None]] = [
    edit_description, edit_name_that_others_show, edit_new_link_to_a_national_organisation, edit_removed_link,
    edit_new_organisation, edit_removed_organisation, edit_chain_file, edit_national_organisation,
    edit_moved_organisation, edit_checked_long_ago,
]


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: e.__name__.removeprefix("edit_"))
def test_a_rebuild_after_an_edit_equals_a_clean_build(base, edit):
    data, published, memo = base
    edited_chain = edit(data)
    project = Project.at(ROOT, data=data)
    dataset = pipeline.load_project(project)

    rebuilt, results, new_memo = pipeline.generate_reusing(project, dataset, memo, published)
    clean, clean_results = pipeline.generate(project, dataset)

    assert set(rebuilt) == set(clean)
    kept = {path for path, content in rebuilt.items() if isinstance(content, Unchanged)}
    for path, content in rebuilt.items():
        if path in kept:
            assert content.digest == published[path] == digest(_bytes(clean[path])), path
        else:
            assert content == clean[path], path
    assert results.scan == clean_results.scan
    assert kept  # something was kept: every edit here leaves some municipality alone
    if edited_chain:  # a local edit leaves the other fictitious municipalities and their organisations alone
        untouched = [k for k in dataset.ketens.values() if k.cbs != edited_chain and k.cbs.startswith("GM9")]
        assert any(set(urls.keten_bestanden(k.slug)) <= kept for k in untouched)
        assert sum(path.startswith(f"{urls.ORGANISATIES}/") for path in kept) > len(dataset.organisaties) // 2
    # the new memo describes the clean build's files
    clean_digests = {path: digest(_bytes(c)) for path, c in clean.items()}
    for unit in (*new_memo.ketens.values(), *new_memo.organisaties.values()):
        assert all(clean_digests[path] == d for path, d in unit.files.items())


def test_nothing_changed_keeps_every_municipality_and_organisation(base):
    data, published, memo = base
    project = Project.at(ROOT, data=data)
    dataset = pipeline.load_project(project)
    files, _results, _memo = pipeline.generate_reusing(project, dataset, memo, published)
    units = [*(p for k in dataset.ketens.values() for p in urls.keten_bestanden(k.slug)),
             *(urls.organisatie_bron(o) for o in dataset.organisaties)]
    assert all(isinstance(files[p], Unchanged) for p in units)


def test_a_file_that_changed_in_the_work_folder_is_made_again(base):
    """The memo is only trusted for files that are still as that build left them."""
    data, published, memo = base
    project = Project.at(ROOT, data=data)
    dataset = pipeline.load_project(project)
    keten = next(iter(dataset.ketens.values()))
    page = urls.gemeente_bron(keten.slug)
    files, _results, _memo = pipeline.generate_reusing(project, dataset, memo, {**published, page: "anders"})
    assert all(not isinstance(files[p], Unchanged) for p in urls.keten_bestanden(keten.slug))


def test_another_engine_or_day_makes_everything(base, monkeypatch):
    data, published, memo = base
    project = Project.at(ROOT, data=data)
    dataset = pipeline.load_project(project)
    monkeypatch.setattr(reuse, "VERSION", reuse.VERSION + 1)  # as a change to the engine's files would
    files, _results, _memo = pipeline.generate_reusing(project, dataset, memo, published)
    assert not any(isinstance(c, Unchanged) for c in files.values())


def test_the_memo_is_kept_in_the_work_folder_and_a_foreign_one_runs_nothing(base, tmp_path):
    _data, _published, memo = base
    reuse.write_memo(tmp_path, memo)
    assert reuse.read_memo(tmp_path) == memo
    witness = tmp_path / "uitgevoerd"

    class Payload:
        def __reduce__(self):
            return os.system, (f"touch {witness}",)

    (tmp_path / reuse.MEMO_FILE).write_bytes(pickle.dumps(("ketenkaart-hergebruik", str(reuse.VERSION), Payload())))
    assert reuse.read_memo(tmp_path) is None
    assert not witness.exists()
