"""generator.exchange.yamledit: edits change the lines of one value and keep every other byte."""

from __future__ import annotations

import pytest
import yaml

from generator.exchange.yamledit import APPEND, DELETE, SET, Edit, EditError, apply_edits

ORDER = {(): ("id", "naam", "duur", "contact", "verwijst", "bron", "fictief"),
         ("contact",): ("telefoon", "email", "adres"), ("bron",): ("titel", "url")}

TEXT = """\
# Kop.
id: proef
naam: Proef   # een opmerking
# Over contact.
contact:
  telefoon: 038 000 0000
  adres: Straat 1
verwijst:
  - eerste
  - naar: tweede
    wanneer: Bij schulden
bron: {titel: Verzonnen}
fictief: ja
# Slot.
"""


def edit(text: str, *edits: Edit) -> str:
    return apply_edits(text, edits, lambda path: ORDER.get(tuple(path), ("naar", "wanneer", "warm")), {"beschrijving"})


def diff(old: str, new: str) -> tuple[list[str], list[str]]:
    a, b = old.splitlines(), new.splitlines()
    return [line for line in a if line not in b], [line for line in b if line not in a]


def test_set_replaces_the_value_and_keeps_the_comment_beside_it():
    new = edit(TEXT, Edit(SET, ("naam",), "Andere naam"))
    assert diff(TEXT, new) == (["naam: Proef   # een opmerking"], ["naam: Andere naam   # een opmerking"])


def test_a_new_key_goes_to_its_place_in_the_field_order_and_new_blocks_are_made():
    new = edit(TEXT, Edit(SET, ("duur",), "jaar"), Edit(SET, ("contact", "email"), "proef@example.org"))
    lines = new.splitlines()
    assert lines.index("duur: jaar") == lines.index("naam: Proef   # een opmerking") + 1
    assert lines.index("  email: proef@example.org") == lines.index("  telefoon: 038 000 0000") + 1
    assert diff(TEXT, new)[0] == []  # nothing else went
    made = edit("id: proef\nnaam: Proef\n", Edit(SET, ("contact", "telefoon"), "038 000 0000"))
    assert made == "id: proef\nnaam: Proef\ncontact:\n  telefoon: 038 000 0000\n"


def test_delete_takes_the_lines_of_the_value_and_an_emptied_block_with_them():
    new = edit(TEXT, Edit(DELETE, ("contact", "adres")))
    assert diff(TEXT, new) == (["  adres: Straat 1"], [])
    new = edit(new, Edit(DELETE, ("contact", "telefoon")))
    assert "contact:" not in new and "# Over contact." in new  # the comment is the editor's: it stays
    assert yaml.safe_load(new)["naam"] == "Proef"


def test_flow_blocks_are_written_anew_keeping_their_order():
    new = edit(TEXT, Edit(SET, ("bron", "url"), "https://example.org/"))
    assert yaml.safe_load(new)["bron"] == {"titel": "Verzonnen", "url": "https://example.org/"}
    assert list(yaml.safe_load(new)["bron"]) == ["titel", "url"]
    assert diff(TEXT, new)[0] == ["bron: {titel: Verzonnen}"]


def test_list_items_are_changed_added_and_removed_in_place():
    new = edit(TEXT, Edit(SET, ("verwijst", 0), {"naar": "eerste", "warm": "ja"}),
               Edit(SET, ("verwijst", 1, "wanneer"), "Bij grote schulden"),
               Edit(APPEND, ("verwijst",), "derde"))
    assert yaml.safe_load(new)["verwijst"] == [{"naar": "eerste", "warm": "ja"},
                                                {"naar": "tweede", "wanneer": "Bij grote schulden"}, "derde"]
    assert "  - naar: eerste\n    warm: ja\n  - naar: tweede\n    wanneer: Bij grote schulden\n  - derde\n" in new
    gone = edit(TEXT, Edit(DELETE, ("verwijst", 1)))
    assert diff(TEXT, gone) == (["  - naar: tweede", "    wanneer: Bij schulden"], [])


def test_line_endings_and_byte_order_mark_stay():
    text = "\ufeff" + TEXT.replace("\n", "\r\n")
    long = " ".join(["Een lange tekst"] * 8)
    new = edit(text, Edit(SET, ("duur",), "jaar"), Edit(SET, ("beschrijving",), long))
    assert new.startswith("\ufeff") and new.count("\n") == new.count("\r\n")
    assert "\r\nbeschrijving: >-\r\n  Een lange tekst" in new  # a description is written as a text block
    assert yaml.safe_load(new.lstrip("\ufeff"))["beschrijving"] == long


def test_an_edit_that_cannot_be_made_exactly_is_refused():
    with pytest.raises(EditError):
        edit(TEXT, Edit(SET, ("naam", "deel"), "x"))  # naam is a text, not a block
    with pytest.raises(EditError):
        edit("[een, lijst]\n", Edit(SET, ("naam",), "x"))


def test_every_field_of_every_example_file_can_be_set_and_removed_keeping_its_comments():
    """The frozen example files, as people wrote them: each field set, removed, each relation item
    changed and one added; every result is exact (apply_edits checks it) and keeps every comment."""
    from pathlib import Path

    from generator.domain.fields import ORGANISATIE, RELATION_KEYS
    from generator.domain.vocab import load_vocabulary
    from generator.exchange.roundtrip import BLOCK_TEXT, _order

    order = _order(load_vocabulary())
    folder = Path(__file__).resolve().parents[1] / "fixtures" / "voorbeeld"
    files = [p for p in sorted(folder.rglob("*.yaml")) if p.parent.name != "gemeenten"]
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        edits = [Edit(SET, (key,), "Een waarde") for key in ORGANISATIE.keys]
        edits += [Edit(DELETE, (key,)) for key in data if key != "id"]
        for key in RELATION_KEYS:
            for i, item in enumerate(data.get(key) or []):
                edits += [Edit(DELETE, (key, i)), Edit(SET, (key, i), {"naar": "ander-id", "warm": "ja"})]
                if isinstance(item, dict):
                    edits += [Edit(DELETE, (key, i, "wanneer")), Edit(SET, (key, i, "wanneer"), "Bij schulden")]
            edits.append(Edit(APPEND, (key,), {"naar": "nieuw-id", "wanneer": "Altijd"}))
        comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
        for one in edits:
            new = apply_edits(text, [one], lambda p: order(tuple(p)), BLOCK_TEXT)
            assert [line for line in new.splitlines() if line.lstrip().startswith("#")] == comments, (path, one)
