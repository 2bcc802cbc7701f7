"""The official list of municipalities (generator/domain/gemeenten.yaml) and its lookups."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from generator.domain import gemeenten as g


def test_telling_op_peildatum():
    # CBS, Gemeentelijke indeling op 1 januari 2026: 342 gemeenten (geen herindeling per 2026).
    assert g.PEILDATUM == dt.date(2026, 1, 1)
    assert len(g.GEMEENTEN) == 342


@pytest.mark.parametrize("code, naam", [
    ("GM0363", "Amsterdam"),
    ("GM0193", "Zwolle"),
    ("GM0034", "Almere"),
    ("GM0150", "Deventer"),
    ("GM0518", "'s-Gravenhage"),
    ("GM1992", "Voorne aan Zee"),
])
def test_bekende_codes(code, naam):
    assert g.bestaat(code)
    assert g.naam(code) == naam
    assert g.zoek(code) == code
    assert g.zoek(naam) == code
    assert g.opgeheven(code) is None


def test_den_haag_als_andere_naam():
    assert "Den Haag" in g.ook("GM0518")
    assert g.zoek("Den Haag") == g.zoek("'s-Gravenhage") == g.zoek("s-gravenhage") == "GM0518"


def test_zoek_is_verdraagzaam():
    assert g.zoek("deventer") == g.zoek("GM0150") == g.zoek("gm0150") == "GM0150"
    assert g.zoek("  Deventer ") == "GM0150"
    assert g.zoek("Sudwest Fryslan") == g.zoek("Súdwest-Fryslân") == "GM1900"
    assert g.zoek("Hengelo") == g.zoek("hengelo (o.)") == "GM0164"
    assert g.zoek("Bergen") is None  # Bergen (L.) en Bergen (NH.): dubbelzinnig
    assert g.zoek("Nergenshuizen") is None
    assert g.zoek("GM9999") is None


@pytest.mark.parametrize("oud, oude_naam, nieuw, nieuwe_naam, datum", [
    ("GM0003", "Appingedam", "GM1979", "Eemsdelta", dt.date(2021, 1, 1)),
    ("GM1685", "Landerd", "GM1991", "Maashorst", dt.date(2022, 1, 1)),
    ("GM0398", "Heerhugowaard", "GM1980", "Dijk en Waard", dt.date(2022, 1, 1)),
    ("GM0457", "Weesp", "GM0363", "Amsterdam", dt.date(2022, 3, 24)),
    ("GM0614", "Westvoorne", "GM1992", "Voorne aan Zee", dt.date(2023, 1, 1)),
])
def test_opgeheven_code(oud, oude_naam, nieuw, nieuwe_naam, datum):
    assert not g.bestaat(oud)
    assert g.zoek(oud) is None
    assert g.opgeheven(oud) == (oude_naam, nieuw, nieuwe_naam, datum)
    assert g.zoek_opgeheven(oude_naam) == oud
    melding = g.melding_opgeheven(oud)
    assert f"opgegaan in {nieuw} ({nieuwe_naam})" in melding


def test_verdeelde_gemeente():
    haaren = g.opgeheven("GM0788")
    assert haaren.nieuwe_codes == ("GM0757", "GM0824", "GM0855", "GM0865")
    assert all(g.bestaat(c) for c in haaren.nieuwe_codes)
    assert "verdeeld over GM1966 (Het Hogeland) en GM1969 (Westerkwartier)" in g.melding_opgeheven("GM0053")


def test_herindelingen_kloppen_met_de_tellingen():
    # CBS: 380 (2018) -> 355 (2019) -> 352 (2021) -> 345 (2022) -> 344 (24-03-2022) -> 342 (2023).
    data = g._LIJST.opgeheven
    per_datum = Counter(datum for _naam, _nieuw, datum in data.values())
    assert per_datum == {dt.date(2019, 1, 1): 34, dt.date(2021, 1, 1): 4, dt.date(2022, 1, 1): 10,
                         dt.date(2022, 3, 24): 1, dt.date(2023, 1, 1): 3}
    nieuwe = {c for _naam, nieuw, _d in data.values() for c in nieuw}
    assert all(g.bestaat(c) for c in nieuwe)


@pytest.mark.parametrize("fout, bedoeld", [
    ("Deventr", "Deventer"),
    ("Amsterdm", "Amsterdam"),
    ("Zwole", "Zwolle"),
    ("Den Haaf", "Den Haag"),
    ("Apeldorn", "Apeldoorn"),
])
def test_suggestie(fout, bedoeld):
    assert g.zoek(fout) is None
    assert g.suggestie(fout) == bedoeld


def test_geen_suggestie_voor_onzin():
    assert g.suggestie("Fictiefdorp 001") is None
    assert g.suggestie("GM0151") is None


def test_geen_echte_code_in_fictieve_reeks():
    assert all(re.fullmatch(r"GM\d{4}", c) for c in g.GEMEENTEN)
    assert not any(g.is_fictief_code(c) for c in g.GEMEENTEN)
    assert not any(g.is_fictief_code(c) for c in g._LIJST.opgeheven)
    assert max(g.GEMEENTEN) < "GM9000"
    assert g.is_fictief_code("GM9001") and g.is_fictief_code("GM9999")
    assert not g.is_fictief_code("GM0363") and not g.is_fictief_code("GM90011")


def test_kop_noemt_bron_en_datum():
    kop = []
    for regel in g.GEMEENTEN_FILE.read_text(encoding="utf-8").splitlines():
        if not regel.startswith("#"):
            break
        kop.append(regel)
    kop = "\n".join(kop)
    assert "cbs.nl" in kop and "Gemeentelijke indeling op 1 januari 2026" in kop
    assert "Peildatum:" in kop and "2026-01-01" in kop
    assert "Opgehaald:" in kop and re.search(r"\d{4}-\d{2}-\d{2}", kop)
    assert g.BRON["url"].startswith("https://www.cbs.nl/")
    assert g.BRON["titel"]


def test_kapotte_lijst_wordt_gemeld(tmp_path):
    pad = tmp_path / "gemeenten.yaml"
    pad.write_text(
        'peildatum: "2026-01-01"\nbron: {titel: t, url: u}\n'
        'gemeenten:\n  GM9001: {naam: "Fictiefdorp"}\n  GM0001: {naam: "A"}\n  GM0002: {naam: "a"}\n'
        'opgeheven:\n  GM0003: {naam: "B", opgegaan_in: "GM0004", datum: "2020-01-01"}\n',
        encoding="utf-8",
    )
    with pytest.raises(g.GemeentenError) as fout:
        g._lees(pad)
    tekst = str(fout.value)
    assert "GM9001" in tekst and "GM0004" in tekst and "hoort ook bij" in tekst
