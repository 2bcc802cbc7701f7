"""Bad input, fed through the real `ketenkaart check` command, must give clear messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from datafiles import edit, line_of
from generator.cli import main as ketenkaart
from generator.load.loader import load

from sitebuild import ROOT
LINE_RE = re.compile(r"^(?P<path>[^:]+\.ya?ml):(?:(?P<line>\d+):)? ")


def check(data: Path, capsys) -> tuple[int, list[str]]:
    status = ketenkaart(["check", "--data", str(data)])
    out = capsys.readouterr().out
    return status, [line for line in out.splitlines() if line.strip()]




def test_example_data_is_valid(capsys):
    status, lines = check(ROOT / "organisaties", capsys)
    assert status == 0 and lines == []


def test_malformed_yaml_names_file_and_line(data_copy, capsys):
    target = data_copy / "zwolle" / "humanitas-zwolle.yaml"
    edit(target, "soort: vrijwilligersorganisatie", "soort: [vrijwilligersorganisatie")
    status, lines = check(data_copy, capsys)
    assert status == 1
    [message] = [l for l in lines if "humanitas-zwolle.yaml" in l]
    match = LINE_RE.match(message)
    assert match and match.group("line"), message
    assert "geen geldige YAML" in message
    assert abs(int(match.group("line")) - line_of(target, "soort: [")) <= 1


def test_unknown_key_and_unknown_term_suggest_the_nearest(data_copy, capsys):
    target = data_copy / "zwolle" / "wijz-zwolle.yaml"
    edit(target, "duur: langdurig", "duur: langdurig\nbeschrjiving2: x")
    edit(target, "fasen: [preventie, vroegsignalering, minnelijk]", "fasen: [preventie, vroegsignalring, minnelijk]")
    status, lines = check(data_copy, capsys)
    assert status == 1
    unknown_key = next(l for l in lines if "beschrjiving2" in l)
    assert unknown_key.startswith(f"{target}:{line_of(target, 'beschrjiving2')}: beschrjiving2:")
    assert "onbekend veld" in unknown_key
    typo = next(l for l in lines if "vroegsignalring" in l)
    assert f":{line_of(target, 'vroegsignalring')}: fasen[2]:" in typo
    assert "Bedoelde u 'vroegsignalering'?" in typo
    assert "nazorg" in typo  # the valid choices are listed


def test_relation_to_unknown_organisation(data_copy, capsys):
    target = data_copy / "zwolle" / "sociale-wijkteams-zwolle.yaml"
    edit(target, "  - naar: op-orde-zwolle", "  - naar: op-orde-zwole")
    status, lines = check(data_copy, capsys)
    assert status == 1
    [message] = lines
    assert f":{line_of(target, 'op-orde-zwole')}: verwijst[1].naar:" in message
    assert "onbekende organisatie 'op-orde-zwole'" in message
    assert "Bedoelde u 'op-orde-zwolle'?" in message


def test_duplicate_id_names_both_files(data_copy, capsys):
    copy = data_copy / "almere" / "humanitas-zwolle.yaml"
    copy.write_text((data_copy / "zwolle" / "humanitas-zwolle.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    status, lines = check(data_copy, capsys)
    assert status == 1
    [message] = [l for l in lines if "al gebruikt" in l]
    assert "almere/humanitas-zwolle.yaml" in message.split(":")[0] or "zwolle/humanitas-zwolle.yaml" in message.split(":")[0]
    assert message.count("humanitas-zwolle.yaml") == 2


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "Humanitas Zwolle", "humanitas_zwolle", "<script>"])
def test_unsafe_id_is_refused(data_copy, capsys, bad_id):
    target = data_copy / "landelijk" / "bkr.yaml"
    edit(target, "id: bkr", f"id: {yaml.safe_dump(bad_id).splitlines()[0]}")
    status, lines = check(data_copy, capsys)
    assert status == 1
    assert any(f":{line_of(target, 'id: ')}: id:" in l and "geen geldig id" in l for l in lines), lines


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/", "www.example.org", "data:text/html,x"])
def test_website_must_be_http(data_copy, capsys, url):
    target = data_copy / "landelijk" / "stichting-lift.yaml"
    edit(target, "website: https://www.stichtinglift.nl/", f"website: '{url}'")
    status, lines = check(data_copy, capsys)
    assert status == 1
    [message] = lines
    assert f":{line_of(target, 'website:')}: website:" in message and "https://" in message


def test_empty_file(data_copy, capsys):
    (data_copy / "zwolle" / "leeg.yaml").write_text("# alleen commentaar\n", encoding="utf-8")
    status, lines = check(data_copy, capsys)
    assert status == 1
    [message] = lines
    assert "leeg.yaml:" in message and "leeg" in message.split(":", 1)[1]


def test_file_that_is_not_utf8(data_copy, capsys):
    target = data_copy / "zwolle" / "latin1.yaml"
    target.write_bytes("id: latin1\nnaam: Cliënt\n".encode("latin-1"))
    status, lines = check(data_copy, capsys)
    assert status == 1
    [message] = lines
    assert "latin1.yaml:2:" in message and "UTF-8" in message


def test_alias_bomb_is_refused_quickly(data_copy, capsys):
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        bomb.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]")
    (data_copy / "zwolle" / "bom.yaml").write_text("\n".join(bomb) + "\n", encoding="utf-8")
    status, lines = check(data_copy, capsys)
    assert status == 1
    [message] = lines
    assert "bom.yaml:1:" in message and "niet toegestaan" in message


def test_all_errors_are_reported_in_one_run(data_copy, capsys):
    edit(data_copy / "zwolle" / "wijz-zwolle.yaml", "duur: langdurig", "duur: eeuwig")
    edit(data_copy / "almere" / "vitens.yaml", "soort: signaalpartner", "soort: waterbedrijf")
    edit(data_copy / "gemeenten" / "almere.yaml", "cbs: GM0034", "cbs: 0034")
    (data_copy / "landelijk" / "leeg.yaml").write_text("", encoding="utf-8")
    status, lines = check(data_copy, capsys)
    assert status == 1
    files = {LINE_RE.match(l).group("path").rsplit("/", 1)[-1] for l in lines}
    assert {"wijz-zwolle.yaml", "vitens.yaml", "almere.yaml", "leeg.yaml"} <= files
    assert all(LINE_RE.match(l) for l in lines), lines


def test_missing_required_fields_are_named(data_copy, capsys):
    target = data_copy / "landelijk" / "geldfit.yaml"
    text = target.read_text(encoding="utf-8")
    text = re.sub(r"^naam: .*\n", "", text, flags=re.M)
    text = re.sub(r"^gecontroleerd: .*\n", "", text, flags=re.M)
    target.write_text(text, encoding="utf-8")
    status, lines = check(data_copy, capsys)
    assert status == 1
    assert any("'naam' ontbreekt" in l for l in lines)
    assert any("'gecontroleerd' ontbreekt" in l for l in lines)


def test_unknown_municipality_code(data_copy, capsys):
    target = data_copy / "zwolle" / "wijz-zwolle.yaml"
    edit(target, "gemeenten: [GM0193]", "gemeenten: [GM0194]")
    status, lines = check(data_copy, capsys)
    assert status == 1
    [message] = lines
    assert "GM0194" in message and "Bedoelde u 'GM0193'?" in message


def test_readme_example_is_valid(tmp_path):
    """The annotated example in organisaties/README.md must pass the loader."""
    readme = (ROOT / "organisaties" / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, flags=re.S)
    org_block, chain_block = blocks
    data = tmp_path / "organisaties"
    (data / "gemeenten").mkdir(parents=True)
    (data / "gemeenten" / "zwolle.yaml").write_text(chain_block.replace("...", "partners"), encoding="utf-8")
    (data / "humanitas-zwolle.yaml").write_text(org_block, encoding="utf-8")
    for other in ("gemeente-zwolle-schulddienstverlening", "op-orde-zwolle", "vroeg-eropaf-almere",
                  "sociaal-raadslieden-de-kern"):
        stub = yaml.safe_load(org_block)
        stub.update(id=other, naam=other, fictief=True)
        for key in ("verwijst", "werkt-samen", "signaleert"):
            stub.pop(key)
        (data / f"{other}.yaml").write_text(yaml.safe_dump(stub, allow_unicode=True), encoding="utf-8")
    dataset, errors = load(data)
    assert errors == []
    assert dataset.organisaties["humanitas-zwolle"].profielen["schulden"] == ("geen", "beperkt")


def test_walk_in_service_next_to_only_through_referral_is_a_warning(capsys):
    """The frozen example chains still list 'inloopspreekuur' for three volunteer organisations
    whose toegang says only 'verwijzing' (the live data has been corrected): check names each
    file and field, and still passes."""
    from sitebuild import EXAMPLE_DATA

    status, lines = check(EXAMPLE_DATA, capsys)
    assert status == 0
    assert sorted(line.split(":")[0].rsplit("/", 1)[-1] for line in lines) == \
        ["humanitas-zwolle.yaml", "schuldhulpmaatje-zwolle.yaml", "wijz-zwolle.yaml"]
    assert all(": toegang: waarschuwing: " in line and "'Inloopspreekuur'" in line for line in lines)
