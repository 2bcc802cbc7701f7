"""`ketenkaart nieuw gemeente`: real municipalities only, merged ones explained, and every
command that needs a missing chain file says how to make one."""

from __future__ import annotations

import yaml

from generator.cli import main as ketenkaart
from generator.load.loader import load


def _site(tmp_path, monkeypatch):
    target = tmp_path / "deventer"
    assert ketenkaart(["nieuw", "site", str(target), "--naam", "Schuldhulp Deventer"]) == 0
    monkeypatch.chdir(target)
    return target


def test_a_real_municipality_gets_a_valid_chain_file(tmp_path, monkeypatch, capsys):
    target = _site(tmp_path, monkeypatch)
    assert ketenkaart(["nieuw", "gemeente", "--naam", "deventer"]) == 0
    chain = yaml.safe_load((target / "organisaties" / "gemeenten" / "deventer.yaml").read_text(encoding="utf-8"))
    assert (chain["gemeente"], chain["cbs"]) == ("Deventer", "GM0150")
    dataset, errors = load(target / "organisaties")
    assert errors == [] and list(dataset.ketens) == ["GM0150"]
    assert ketenkaart(["nieuw", "gemeente", "--cbs", "GM0150"]) == 1  # a second one is refused
    assert "heeft al een ketenbestand" in capsys.readouterr().out


def test_unknown_and_merged_municipalities_are_refused_with_the_reason(tmp_path, monkeypatch, capsys):
    target = _site(tmp_path, monkeypatch)
    capsys.readouterr()
    assert ketenkaart(["nieuw", "gemeente", "--naam", "Deventr"]) == 2
    assert "Bedoelde u 'Deventer'?" in capsys.readouterr().err
    assert ketenkaart(["nieuw", "gemeente", "--cbs", "GM0457"]) == 2
    assert "opgegaan in GM0363 (Amsterdam)" in capsys.readouterr().err
    assert ketenkaart(["nieuw", "gemeente", "--naam", "Weesp"]) == 2
    assert "opgegaan in GM0363 (Amsterdam)" in capsys.readouterr().err
    assert not any((target / "organisaties" / "gemeenten").iterdir())


def test_commands_that_need_a_missing_chain_say_how_to_create_it(tmp_path, monkeypatch, capsys):
    _site(tmp_path, monkeypatch)
    assert ketenkaart(["nieuw", "gemeente", "--naam", "Deventer"]) == 0
    capsys.readouterr()
    assert ketenkaart(["verwijs", "--gemeente", "Zwolle"]) == 2
    assert "ketenkaart nieuw gemeente --cbs GM0193" in capsys.readouterr().err
    assert ketenkaart(["scan", "--gemeente", "GM0193"]) == 2
    assert "ketenkaart nieuw gemeente --cbs GM0193" in capsys.readouterr().err


def test_the_loader_checks_chain_codes_against_the_cbs_list(tmp_path, capsys):
    import fictief

    cases = {
        "weesp": ("Weesp", "GM0457", False, "opgegaan in GM0363 (Amsterdam)"),
        "verzonnen": ("Verzonnenstad", "GM9998", False, "zet 'fictief: ja'"),
        "mismatch": ("Zwolle", "GM0150", False, "'Zwolle' heeft CBS-code GM0193"),
        "onbekend": ("Nergenshuizen", "GM1234", False, "GM1234 is geen gemeente op de CBS-lijst"),
        "fictief": ("Fictiefstad", "GM9999", True, None),
    }
    for name, (naam, cbs, is_fictief, expected) in cases.items():
        data = tmp_path / name / "organisaties"
        record = fictief.chain(naam, cbs=cbs)
        record["fictief"] = is_fictief
        fictief.write(data, record, [])
        capsys.readouterr()
        status = ketenkaart(["check", "--data", str(data)])
        out = capsys.readouterr().out
        if expected is None:
            assert status == 0, out
            continue
        assert status == 1 and expected in out, (name, out)
        chain_file = next((data / "gemeenten").iterdir())
        assert out.startswith(f"{chain_file}:"), out  # located in the chain file (with its line)
