"""Incremental builds (issue 16, item 2): only changed files are written, only changed pages are
rendered again, and the site that results is byte for byte the site a clean build makes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from generator import pipeline
from generator.project import Project
from generator.publish import PublishError
from generator.publish import mkdocs as publish_mkdocs
from generator.publish.mkdocs import STATE
from generator.publish.partial import check_anchors, linked_copy, merged_search_index
from sitebuild import ROOT


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _project(data: Path, tmp: Path, name: str) -> Project:
    return Project.at(ROOT, data=data, out=tmp / name / "site", work=tmp / name / "work")


def _clean_build(data: Path, tmp: Path) -> dict[str, bytes]:
    report = pipeline.build(_project(data, tmp, "schoon"))
    assert report.bouwwijze == "volledig"
    return _files(tmp / "schoon" / "site")


def _runners() -> list[int]:
    """Child processes of this test running generator.publish.partial (MkDocs runners)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue
        if ppid == os.getpid() and b"generator.publish.partial" in cmdline:
            found.append(int(entry.name))
    return found


def _differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(rel for rel in set(a) | set(b) if a.get(rel) != b.get(rel))


def test_editing_one_organisation_rebuilds_its_pages_and_equals_a_clean_build(data_copy, tmp_path):
    project = _project(data_copy, tmp_path, "bewerkt")
    assert pipeline.build(project).bouwwijze == "volledig"
    again = pipeline.build(project)
    assert (again.bouwwijze, again.gewijzigd) == ("ongewijzigd", 0)

    org = data_copy / "zwolle" / "gemeente-zwolle-schulddienstverlening.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace(
        "de regie heeft in de keten.", "de regie heeft in de keten. Een zin die alleen deze test schrijft."),
        encoding="utf-8")
    page = project.out / "organisaties" / "gemeente-zwolle-schulddienstverlening" / "index.html"
    untouched = project.out / "organisaties" / "op-orde-zwolle" / "index.html"
    untouched_mtime = untouched.stat().st_mtime_ns

    edited = pipeline.build(project)

    assert edited.bouwwijze == "incrementeel"
    assert 0 < edited.gewijzigd < 10, edited.gewijzigd
    assert "Een zin die alleen deze test schrijft" in page.read_text(encoding="utf-8")
    assert untouched.stat().st_mtime_ns == untouched_mtime  # not rendered again, only copied
    assert _differences(_files(project.out), _clean_build(data_copy, tmp_path)) == []


def test_an_incremental_build_never_writes_into_the_previous_site(data_copy, tmp_path):
    """The new site starts as hard links to the previous site's files (quick); every file MkDocs
    writes must get a content of its own first. Witnesses: a second hard link to every file of
    the previous site, made before the build, still holds what that site held."""
    project = _project(data_copy, tmp_path, "bewerkt")
    pipeline.build(project)
    before = _files(project.out)
    spare = project.out.parent / ".site.vorige"  # kept to start the next copy from: after a full build,
    assert _files(spare) == before              # the replaced site made a linked copy of the new one
    witnesses = tmp_path / "getuigen"
    for rel in before:
        (witnesses / rel).parent.mkdir(parents=True, exist_ok=True)
        os.link(project.out / rel, witnesses / rel)
    org = data_copy / "zwolle" / "gemeente-zwolle-schulddienstverlening.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace(
        "de regie heeft in de keten.", "de regie heeft in de keten. Nog een zin van een test."), encoding="utf-8")

    edited = pipeline.build(project)

    assert edited.bouwwijze == "incrementeel"
    assert _files(witnesses) == before
    assert _files(spare) == before  # now the previous site itself
    after = _files(project.out)
    changed = _differences(after, before)
    assert "organisaties/gemeente-zwolle-schulddienstverlening/index.html" in changed
    # the files MkDocs did not write again are still shared with the previous site: not copied
    rewritten = sorted(rel for rel in after if rel in before and rel not in changed
                       and (project.out / rel).stat().st_ino != (witnesses / rel).stat().st_ino)
    assert rewritten == ["404.html", "search/search_index.json", "sitemap.xml", "sitemap.xml.gz", "tags.json"]

    # The next edit starts from that spare copy, linked again where it differs: the same guarantees.
    witnesses_2 = tmp_path / "getuigen-2"
    for rel in after:
        (witnesses_2 / rel).parent.mkdir(parents=True, exist_ok=True)
        os.link(project.out / rel, witnesses_2 / rel)
    org.write_text(org.read_text(encoding="utf-8").replace("Nog een zin van een test.", "Een andere zin."),
                   encoding="utf-8")
    assert pipeline.build(project).bouwwijze == "incrementeel"
    assert _files(witnesses_2) == after
    assert _files(spare) == after
    assert _differences(_files(project.out), _clean_build(data_copy, tmp_path)) == []


def test_a_linked_copy_is_made_equal_to_the_site_again(tmp_path):
    site, copy = tmp_path / "site", tmp_path / "kopie"
    for rel, text in {"a.html": "a", "map/b.html": "b", "map/diep/c.html": "c", "weg.html": "w", "d/x.html": "x"}.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    (site / "link").symlink_to("a.html")
    linked_copy(site, copy)
    assert _files(copy) == _files(site)
    # the site changes as a build changes it (a file replaced, added, removed; a folder becomes a
    # file and the other way round; a link points elsewhere); the copy holds the old state
    (site / "a.html").unlink()
    (site / "a.html").write_text("nieuw a", encoding="utf-8")
    (site / "weg.html").unlink()
    (site / "map" / "nieuw.html").write_text("n", encoding="utf-8")
    shutil.rmtree(site / "d")
    (site / "d").write_text("nu een bestand", encoding="utf-8")
    (site / "map" / "diep" / "c.html").unlink()
    (site / "map" / "diep").rmdir()
    (site / "map" / "diep").mkdir()
    (site / "map" / "diep" / "andere.html").write_text("z", encoding="utf-8")
    (site / "link").unlink()
    (site / "link").symlink_to("map/b.html")
    (copy / "alleen-in-kopie.html").write_text("oud", encoding="utf-8")

    linked_copy(site, copy)

    assert _files(copy) == _files(site)
    assert sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*")) == \
        sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    assert os.readlink(copy / "link") == "map/b.html"
    assert all((copy / rel).stat().st_ino == (site / rel).stat().st_ino for rel in _files(site))


def test_a_new_organisation_or_a_changed_guidance_page_builds_in_full_and_still_equals_a_clean_build(
        data_copy, tmp_path):
    project = _project(data_copy, tmp_path, "bewerkt")
    pipeline.build(project)
    source = data_copy / "zwolle" / "gemeente-zwolle-schulddienstverlening.yaml"
    text = source.read_text(encoding="utf-8")
    (data_copy / "zwolle" / "extra-test.yaml").write_text(
        text.replace("id: gemeente-zwolle-schulddienstverlening", "id: extra-test")
            .replace("naam: Schulddienstverlening gemeente Zwolle", "naam: Extra testorganisatie Zwolle")
            .replace("werkt-samen: [op-orde-zwolle, sociaal-raadslieden-de-kern]", "werkt-samen: [op-orde-zwolle]"),
        encoding="utf-8")

    added = pipeline.build(project)

    assert added.bouwwijze == "volledig"  # a new page: the set of pages and their links changed
    assert _differences(_files(project.out), _clean_build(data_copy, tmp_path)) == []


def test_a_data_error_leaves_site_and_state_so_the_fixed_data_needs_no_rebuild(data_copy, tmp_path):
    project = _project(data_copy, tmp_path, "bewerkt")
    pipeline.build(project)
    before = _files(project.out)
    org = data_copy / "zwolle" / "gemeente-zwolle-schulddienstverlening.yaml"
    good = org.read_text(encoding="utf-8")
    org.write_text(good.replace("gecontroleerd: 2019-03", "gecontroleerd: 2019-13"), encoding="utf-8")

    try:
        pipeline.build(project)
    except pipeline.DataErrors as exc:
        assert any(error.field == "gecontroleerd" for error in exc.errors), exc.errors
    else:
        raise AssertionError("an impossible month was accepted")

    assert _files(project.out) == before
    assert _runners() == []  # the MkDocs runner started early was not needed: it is gone
    org.write_text(good, encoding="utf-8")
    assert pipeline.build(project).bouwwijze == "ongewijzigd"
    assert _runners() == []


def test_the_runner_started_early_builds_the_changed_page(data_copy, tmp_path):
    """Publisher.start_runner: MkDocs starts while the generator works and takes the first job."""
    project = _project(data_copy, tmp_path, "vroeg")
    pipeline.build(project)
    fresh = tmp_path / "kopie"
    linked_copy(project.out, fresh)
    page = "organisaties/op-orde-zwolle.md"
    (project.work / "docs" / page).write_text("# Op Orde Zwolle\n\nEen zin die alleen deze test schrijft.\n",
                                              encoding="utf-8")
    with publish_mkdocs.Publisher(project) as publisher:
        publisher.start_runner()
        waiting = publisher._take_runner()
        assert waiting is not None and waiting[0].poll() is None  # started, waiting for its job
        assert publish_mkdocs.run_incremental(project, fresh, [page], waiting)
        assert waiting[0].returncode == 0  # it was the one that built
    assert "Een zin die alleen deze test schrijft" in \
        (fresh / "organisaties" / "op-orde-zwolle" / "index.html").read_text(encoding="utf-8")
    assert _runners() == []


def test_merged_search_index_keeps_build_order_and_takes_each_page_from_its_part():
    old = {"config": {"lang": ["nl"]}, "docs": [
        {"location": "", "title": "Start", "text": "a"},
        {"location": "organisaties/x/", "title": "X", "text": "oud"},
        {"location": "organisaties/x/#kop", "title": "Kop", "text": "oud"},
        {"location": "organisaties/y/", "title": "Y", "text": "y"}]}
    new = {"config": {"lang": ["nl"]}, "docs": [{"location": "organisaties/x/", "title": "X", "text": "nieuw"}]}
    order = ["", "organisaties/x/", "organisaties/y/"]

    merged = json.loads(merged_search_index([(new, {"organisaties/x/"}), (old, {"", "organisaties/y/"})], order))

    assert [(e["location"], e["text"]) for e in merged["docs"]] == [
        ("", "a"), ("organisaties/x/", "nieuw"), ("organisaties/y/", "y")]


def test_a_build_in_parts_equals_a_build_in_one_process(data_copy, tmp_path, monkeypatch):
    one = _clean_build(data_copy, tmp_path)
    monkeypatch.setattr(publish_mkdocs, "SPLIT_FROM_PAGES", 0)  # the fixture is far below the real threshold
    monkeypatch.setattr(publish_mkdocs.os, "cpu_count", lambda: 3)
    project = _project(data_copy, tmp_path, "delen")

    assert pipeline.build(project).bouwwijze == "volledig"

    assert not list(project.out.parent.glob("*.deel*"))  # the parts were moved together
    assert _differences(_files(project.out), one) == []


def test_anchor_links_between_parts_are_checked_as_mkdocs_would():
    reports = [
        {"anchors": {"gemeenten/zwolle.md": ["routes", "ketenscan"]}, "links": {}},
        {"anchors": {"organisaties/a.md": ["aanbod"]},
         "links": {"organisaties/a.md": {"gemeenten/zwolle.md": {"routes": "../gemeenten/zwolle.md#routes",
                                                                 "weg": "../gemeenten/zwolle.md#weg"},
                                         "organisaties/a.md": {"nergens": "#nergens"}}}},
    ]

    assert check_anchors(reports) == [
        "Doc file 'organisaties/a.md' contains a link '#nergens', but there is no such anchor on this page.",
        "Doc file 'organisaties/a.md' contains a link '../gemeenten/zwolle.md#weg', but the doc "
        "'gemeenten/zwolle.md' does not contain an anchor '#weg'.",
    ]


def test_a_file_shared_with_the_previous_site_is_separated_before_writing_also_through_a_link(tmp_path):
    from generator.publish.partial import _separate_on_write

    real, witness = tmp_path / "echt", tmp_path / "getuige.html"
    (real / "map").mkdir(parents=True)
    witness.write_text("oud", encoding="utf-8")
    os.link(witness, real / "map" / "a.html")
    os.link(witness, real / "b.html")
    alias = tmp_path / "alias"
    alias.symlink_to(real)

    with _separate_on_write(alias):  # the site reached through a symbolic link, written through the real path
        with open(real / "map" / "a.html", "w", encoding="utf-8") as handle:
            handle.write("nieuw")
    with _separate_on_write(real):  # and the other way round, appending
        with open(alias / "b.html", "a", encoding="utf-8") as handle:
            handle.write(" en meer")
    with open(witness, "a", encoding="utf-8"):  # outside the context: nothing is separated
        pass

    assert witness.read_text(encoding="utf-8") == "oud"
    assert (real / "map" / "a.html").read_text(encoding="utf-8") == "nieuw"
    assert (real / "b.html").read_text(encoding="utf-8") == "oud en meer"
    assert witness.stat().st_nlink == 1


def _work_files(project: Project) -> dict[str, bytes]:
    return {rel: data for rel, data in _files(project.work).items() if rel.startswith(publish_mkdocs.WORK_FOLDERS)}


def test_files_written_early_are_not_written_again_and_the_work_folder_is_that_of_one_write(
        data_copy, tmp_path, monkeypatch):
    """Publisher.write_early (files that are final while the generator still works, on a build from
    scratch): `write` keeps them, writes one again that it is given with other content, removes
    one that was not generated after all, and the work folder is the one a single write makes."""
    generated = {"a.md": "# A\n", "kaarten/b.html": b"<p>b</p>", "c.md": "# C\n"}
    one = _project(data_copy, tmp_path, "een")
    with publish_mkdocs.Publisher(one) as publisher:
        publisher.write(generated)
    written: list[list[str]] = []
    real = publish_mkdocs.write_files
    monkeypatch.setattr(publish_mkdocs, "write_files", lambda tree, work: written.append(sorted(tree)) or real(tree, work))
    two = _project(data_copy, tmp_path, "twee")
    with publish_mkdocs.Publisher(two) as publisher:
        publisher.write_early({"a.md": "# A\n", "weg.md": "# weg\n"})
        assert (two.work / "docs" / "a.md").read_text(encoding="utf-8") == "# A\n"
        publisher.write_early({"kaarten/b.html": b"<p>b</p>", "c.md": "# Eerst anders\n"})
        publisher.write(generated)
    assert written[:2] == [["docs/a.md", "docs/weg.md"], ["docs/c.md", "docs/kaarten/b.html"]]
    assert "docs/c.md" in written[2] and not {"docs/a.md", "docs/kaarten/b.html"} & set(written[2])
    assert _work_files(two) == _work_files(one)


def test_nothing_is_written_early_when_an_earlier_build_is_known(data_copy, tmp_path):
    """With an earlier build known, `write` compares every file with what it left (and reads the
    tags of changed pages before they are overwritten): write_early then writes nothing."""
    project = _project(data_copy, tmp_path, "eerder")
    pipeline.build(project)
    before = _work_files(project)
    with publish_mkdocs.Publisher(project) as publisher:
        publisher.write_early({"nieuw.md": "# Nieuw\n", "organisaties/op-orde-zwolle.md": "# Anders\n"})
    assert _work_files(project) == before


def test_a_file_that_cannot_be_written_early_stops_with_a_message_that_names_it(data_copy, tmp_path):
    project = _project(data_copy, tmp_path, "fout")
    with publish_mkdocs.Publisher(project) as publisher:
        with pytest.raises(PublishError, match=r"docs/a\.md"):
            publisher.write_early({"a.md": "# A\n", "a.md/b.md": "# B\n"})  # a.md is then a folder
