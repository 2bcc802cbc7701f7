"""The verwijswijzer: `ketenkaart verwijs` on the example data, its errors, and the page files.

The expected organisations come from the infosheet (LSTA, March 2019), kader 2 "Expertise binnen
Op Orde": the sociaal raadslieden are the low-threshold service for complex and urgent financial
questions; volunteers of Humanitas and SchuldHulpMaatje help people learn to keep their own
paperwork; volunteers of WijZ support less able learners for a long time; with debts the
registration always goes through the sociaal raadslieden to the municipal debt service.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import random

import pytest

from generator.analyse import verwijs
from generator.analyse.verwijs.texts import REDEN_GEEN
from generator.cli import main as ketenkaart
from generator.domain.rules import access_contradictions
from generator.domain.vocab import load_vocabulary
from generator.graph.build import build_graph
from generator.load.loader import load, zoek_gemeente

from sitebuild import EXAMPLE_DATA

DATASET, _ERRORS = load(EXAMPLE_DATA)
GRAPH = build_graph(DATASET)
ZWOLLE = zoek_gemeente(DATASET, "GM0193")

# Organisations of the Zwolle chain, named in the infosheet (kader 2 and the route text).
OP_ORDE = "op-orde-zwolle"
RAADSLIEDEN = "sociaal-raadslieden-de-kern"
GEMEENTE = "gemeente-zwolle-schulddienstverlening"
LEREN_BIJHOUDEN = {"humanitas-zwolle", "schuldhulpmaatje-zwolle"}
WIJZ = "wijz-zwolle"


def run(capsys, *args: str) -> tuple[int, str, str]:
    """`ketenkaart verwijs --data organisaties/ ARGS`, in-process; (exit code, stdout, stderr)."""
    try:
        code = ketenkaart(["verwijs", "--data", str(EXAMPLE_DATA), *args])
    except SystemExit as exc:  # argparse ends usage errors this way
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def answer(capsys, *args: str) -> dict:
    code, out, err = run(capsys, "--json", *args)
    assert code == 0, err
    return json.loads(out)


def ids(orgs: list[dict]) -> list[str]:
    return [o["id"] for o in orgs]


def test_example_data_is_valid():
    assert not _ERRORS
    assert ZWOLLE is not None and ZWOLLE.naam == "Zwolle"


@pytest.mark.parametrize("extra", [[], ["--problematiek", "eenvoudig", "--schulden", "geen", "--vertrouwen", "veel"]])
def test_a_learner_goes_to_the_volunteers_who_teach_the_paperwork(capsys, extra):
    result = answer(capsys, "--gemeente", "Zwolle", "--leerbaarheid", "leerbaar", *extra)
    best = result["organisaties"][:2]
    assert set(ids(best)) == LEREN_BIJHOUDEN
    for org in best:
        record = DATASET.organisaties[org["id"]]
        assert record.inzet == "vrijwilligers" and "thuisadministratie" in record.diensten
        assert any("leerbaar" in reden for reden in org["redenen"])
        assert org["toegang"]
    assert WIJZ not in ids(result["organisaties"])  # WijZ is for less able learners
    # The raadslieden sort every registration; they refer on to both (equally good) volunteer groups.
    assert result["route"][:2] == [OP_ORDE, RAADSLIEDEN]
    assert set(ids(result["vervolg"])) == LEREN_BIJHOUDEN


def test_a_less_able_learner_goes_to_long_term_support(capsys):
    result = answer(capsys, "--gemeente", "Zwolle", "--leerbaarheid", "minder-leerbaar")
    assert result["organisaties"][0]["id"] == WIJZ
    assert DATASET.organisaties[WIJZ].duur == "langdurig"
    assert any("langdurige steun" in r for r in result["organisaties"][0]["redenen"])
    assert not LEREN_BIJHOUDEN & set(ids(result["organisaties"]))
    assert result["route"] == [OP_ORDE, RAADSLIEDEN, WIJZ]  # the one best fit, reached through the raadslieden


@pytest.mark.parametrize("args", [["--urgent"], ["--problematiek", "complex"]])
def test_an_urgent_or_complex_question_goes_to_the_sociaal_raadslieden(capsys, args):
    result = answer(capsys, "--gemeente", "GM0193", *args)
    assert result["organisaties"][0]["id"] == RAADSLIEDEN
    assert result["route"] == [OP_ORDE, RAADSLIEDEN]


def test_urgent_puts_the_raadslieden_first_whatever_the_other_answers():
    profiles = [p for p in verwijs.alle_profielen() if p.urgent]
    focused = {d for o in DATASET.in_gemeente(ZWOLLE.cbs) for d in o.doelgroepen}
    helped = {f for o in DATASET.in_gemeente(ZWOLLE.cbs) if verwijs.helpt_zelf(DATASET.organisaties[o.id]) for f in o.fasen}
    for profile, result in zip(profiles, verwijs.verwijs_alle(DATASET, GRAPH, ZWOLLE, profiles)):
        assert result["organisaties"][0]["id"] == RAADSLIEDEN, profile
        assert result["termijn"]["termijn"] == "3 werkdagen"
        # a gap only for a target group nobody focuses on or a phase nobody helps in, never for spoed
        named = bool(profile.doelgroepen - focused) or (profile.fase is not None and profile.fase not in helped)
        assert (result["gat"] is not None) == named, profile
        assert "spoed" not in (result["gat"] or "")


@pytest.mark.parametrize("schulden", ["beperkt", "problematisch"])
def test_with_debts_the_route_goes_through_op_orde_and_the_raadslieden_to_the_debt_service(capsys, schulden):
    result = answer(capsys, "--gemeente", "zwolle", "--schulden", schulden)
    assert result["route"] == [OP_ORDE, RAADSLIEDEN, GEMEENTE]
    assert [s["warme_overdracht"] for s in result["route_stappen"]] == [False, True, True]
    assert result["organisaties"][0]["id"] == GEMEENTE
    assert any("De keten stuurt" in r for r in result["organisaties"][0]["redenen"])
    assert "Mesis" in [i["naam"] for i in result["instrumenten"]]
    assert result["termijn"]["termijn"] == "4 weken"


def test_every_profile_with_debts_takes_that_route():
    profiles = [p for p in verwijs.alle_profielen() if p.schulden in ("beperkt", "problematisch")]
    for profile, result in zip(profiles, verwijs.verwijs_alle(DATASET, GRAPH, ZWOLLE, profiles)):
        assert result["route"] == [OP_ORDE, RAADSLIEDEN, GEMEENTE], profile


def test_a_phase_nobody_in_the_chain_covers_is_a_gap_with_a_national_fallback(capsys):
    local = [o for o in DATASET.in_gemeente(ZWOLLE.cbs) if "wsnp" in o.fasen]
    national = {o.id for o in DATASET.landelijke() if "wsnp" in o.fasen and verwijs.verwijsbaar(o) and not o.doelgroepen}
    assert not local and national  # the data: nobody in Zwolle works in the WSNP; a national service does
    result = answer(capsys, "--gemeente", "Zwolle", "--fase", "wsnp")
    assert result["gat"] and "WSNP" in result["gat"] and "gat in de keten" in result["gat"]
    assert not [o for o in result["organisaties"] if verwijs.helpt_zelf(DATASET.organisaties[o["id"]])]
    assert national <= set(ids(result["landelijk"]))
    assert answer(capsys, "--gemeente", "Zwolle", "--fase", "stabilisatie")["gat"] is None


@pytest.mark.parametrize("doelgroep, instrument", [("lvb", "Signaallijst financiën LVB"), ("laaggeletterd", "Basismeter")])
def test_screening_instruments_follow_the_target_group(capsys, example_site, doelgroep, instrument):
    result = answer(capsys, "--gemeente", "Zwolle", "--doelgroep", doelgroep)
    chosen = {i["naam"]: i for i in result["instrumenten"]}
    assert list(chosen) == [instrument]
    assert (example_site / chosen[instrument]["pagina"] / "index.html").is_file()
    assert answer(capsys, "--gemeente", "Zwolle")["instrumenten"] == []


def test_a_national_service_for_one_group_is_offered_only_for_that_group(capsys):
    for_group = {o.id for o in DATASET.landelijke() if "laaggeletterd" in o.doelgroepen}
    assert for_group
    assert for_group <= set(ids(answer(capsys, "--gemeente", "Zwolle", "--doelgroep", "laaggeletterd")["landelijk"]))
    assert not for_group & set(ids(answer(capsys, "--gemeente", "Zwolle")["landelijk"]))


def test_name_code_and_text_output(capsys):
    by_code = answer(capsys, "--gemeente", "gm0193", "--leerbaarheid", "leerbaar", "--doelgroep", "lvb", "--doelgroep", "ouderen")
    by_name = answer(capsys, "--gemeente", "ZWOLLE", "--leerbaarheid", "leerbaar", "--doelgroep", "ouderen", "--doelgroep", "lvb")
    assert by_code == by_name
    assert by_code["profiel"]["doelgroepen"] == ["ouderen", "lvb"]
    code, out, _err = run(capsys, "--gemeente", "Zwolle", "--urgent")
    assert code == 0
    for heading in ("Organisaties die passen", "Route in de keten", "Termijn: eerste gesprek binnen 3 werkdagen",
                    "Instrumenten", "Landelijke diensten"):
        assert heading in out
    assert "Sociaal Raadslieden De Kern" in out.split("Route in de keten")[0]


def test_an_unknown_municipality_is_a_usage_error_listing_the_choices(capsys):
    code, out, err = run(capsys, "--gemeente", "Zwole")
    assert code == 2 and not out
    assert "Zwole" in err and "Almere (GM0034)" in err and "Zwolle (GM0193)" in err and "Bedoelde u 'Zwolle'" in err
    code, _out, err = run(capsys)
    assert code == 2 and "--gemeente" in err and "Zwolle (GM0193)" in err


@pytest.mark.parametrize("option, value, choices", [
    ("--leerbaarheid", "slim", ["leerbaar", "minder-leerbaar"]),
    ("--problematiek", "zwaar", ["eenvoudig", "complex"]),
    ("--schulden", "veel", ["geen", "beperkt", "problematisch"]),
    ("--vertrouwen", "geen", ["veel", "weinig"]),
    ("--doelgroep", "kinderen", ["ouderen", "jongeren", "lvb", "laaggeletterd", "ondernemer"]),
    ("--fase", "schuldsanering", ["preventie", "vroegsignalering", "stabilisatie", "minnelijk", "wsnp", "nazorg"]),
])
def test_an_unknown_value_is_a_usage_error_listing_the_choices(capsys, option, value, choices):
    code, out, err = run(capsys, "--gemeente", "Zwolle", option, value)
    assert code == 2 and not out
    assert f"'{value}'" in err and ", ".join(choices) in err


def test_bad_data_exits_1(capsys, data_copy):
    (data_copy / "zwolle" / "wijz-zwolle.yaml").write_text("id: wijz-zwolle\nnaam: [\n", encoding="utf-8")
    code = ketenkaart(["verwijs", "--data", str(data_copy), "--gemeente", "Zwolle"])
    out, _err = capsys.readouterr()
    assert code == 1 and "wijz-zwolle.yaml" in out


@pytest.mark.exhaustive
@pytest.mark.parametrize("keten", sorted(DATASET.ketens.values(), key=lambda k: k.slug), ids=lambda k: k.slug)
def test_page_file_and_command_line_agree_for_every_profile(capsys, example_site, keten):
    """Every profile: the answer looked up in the published page file equals the CLI's answer."""
    data = json.loads((example_site / "verwijswijzer" / "data" / f"{keten.slug}.json").read_text(encoding="utf-8"))
    profiles = verwijs.alle_profielen()
    assert len(profiles) == 3 * 3 * 4 * 3 * 2 * 2 ** 5 * 7  # each question answered or skipped
    expected = verwijs.verwijs_alle(DATASET, GRAPH, keten, profiles)  # what `verwijs --json` prints
    differ = [p for p, want in zip(profiles, expected) if verwijs.read_page(data, p) != want]
    assert not differ, f"{len(differ)} profielen wijken af, bijvoorbeeld {differ[0]}"
    # And the command line itself prints that answer (a sample: each run reloads the data).
    for profile in random.Random(keten.cbs).sample(profiles, 6):
        args = ["--gemeente", keten.cbs, *_cli_args(profile)]
        assert answer(capsys, *args) == json.loads(json.dumps(verwijs.read_page(data, profile))), args


def _cli_args(p: verwijs.Profiel) -> list[str]:
    args = []
    for axis in verwijs.AXES:
        if getattr(p, axis):
            args += [f"--{axis}", getattr(p, axis)]
    if p.urgent:
        args.append("--urgent")
    for d in sorted(p.doelgroepen):
        args += ["--doelgroep", d]
    if p.fase:
        args += ["--fase", p.fase]
    return args


def test_page_files_are_compact_lookups(example_site):
    """Only the questions that matter in a municipality span its tables; no scoring data is shipped."""
    for keten in DATASET.ketens.values():
        data = json.loads((example_site / "verwijswijzer" / "data" / f"{keten.slug}.json").read_text(encoding="utf-8"))
        assert data["gemeente"] == {"naam": keten.naam, "cbs": keten.cbs, "pagina": f"gemeenten/{keten.slug}/"}
        termijn = data["delen"]["termijn"]
        assert [q for q, _classes in termijn["assen"]] == [0] and data["vragen"][0][0] == "urgent"
        for part in data["delen"].values():
            cells = 1
            for _q, classes in part["assen"]:
                cells *= max(classes) + 1
            assert len(part["index"]) == cells * part["breedte"]


def test_a_chain_without_organisations_is_one_plain_gap(data_copy):
    """A municipality whose chain file lists nobody yet (fictitious): every answer says so, in a small file."""
    (data_copy / "gemeenten" / "leegdorp.yaml").write_text(
        "gemeente: Leegdorp\ncbs: GM9999\nbeschrijving: Een verzonnen gemeente zonder organisaties.\n"
        "bron:\n  titel: Test\ngecontroleerd: 2026-01\nfictief: ja\n", encoding="utf-8")
    dataset, errors = load(data_copy)
    assert not errors
    graph = build_graph(dataset)
    keten = zoek_gemeente(dataset, "Leegdorp")
    data = json.loads(verwijs.page_json(verwijs.page_data(dataset, graph, keten)))
    profiles = random.Random(9).sample(verwijs.alle_profielen(), 400)
    for profile, want in zip(profiles, verwijs.verwijs_alle(dataset, graph, keten, profiles)):
        assert verwijs.read_page(data, profile) == want
        assert want["organisaties"] == [] and want["route"] == []
        assert "staat nog geen organisatie" in want["gat"]
        assert ("3 werkdagen" in want["gat"]) == profile.urgent


# == issue 12: the way in first, how to refer, answers that explain themselves =====================

ALMERE = zoek_gemeente(DATASET, "GM0034")
TOEGANGSPUNT_ALMERE = "toegangspunt-schulddienstverlening-almere"


@pytest.mark.parametrize("keten", sorted(DATASET.ketens.values(), key=lambda k: k.slug), ids=lambda k: k.slug)
def test_every_answer_opens_with_a_contact_route_or_whom_to_ask(keten):
    """For every profile: the first block names the first step of the route and how to reach it
    (a way in of its own, contact details or the way to refer), or says whom to ask."""
    profiles = verwijs.alle_profielen()
    for profile, result in zip(profiles, verwijs.verwijs_alle(DATASET, GRAPH, keten, profiles)):
        stap = result["eerste_stap"]
        assert list(result)[:3] == ["gemeente", "profiel", "eerste_stap"]
        assert stap["bereikbaar"] or "Vraag het aan" in (stap["vraag"] or ""), profile
        if result["route"]:
            assert stap["id"] == result["route"][0] and stap["toegang"]
            if len(result["route"]) > 1:
                assert stap["daarna"]["id"] == result["route"][1]
                assert stap["warme_overdracht"] == result["route_stappen"][1]["warme_overdracht"]
        if stap["bereikbaar"]:
            record = DATASET.organisaties[stap["id"]]
            assert verwijs.toegang(record, DATASET.vocab) == stap["toegang"]


def test_the_text_answer_opens_with_the_first_step(capsys):
    code, out, _err = run(capsys, "--gemeente", "Almere", "--problematiek", "complex", "--schulden", "problematisch",
                          "--vertrouwen", "weinig")
    assert code == 0
    blocks = out.split("\n\n")
    assert blocks[2].startswith("Eerste stap: Centraal toegangspunt schulddienstverlening Almere")
    assert "Vraag het aan de gemeente Almere." in blocks[2] and "Daarna: PLANgroep" in blocks[2]
    assert out.index("Eerste stap") < out.index("Organisaties die passen") < out.index("Route in de keten")
    assert "Geen van uw antwoorden sluit deze organisatie uit" not in out
    assert "Antwoorden zonder effect:\n  - vertrouwen in hulp: weinig vertrouwen: maakt in deze gemeente geen verschil" in out


def test_almere_complex_problematic_debts_little_trust(capsys):
    """The profile of issue 12: the route's first step is the access point; nothing about how to
    register there is in the source, so the answer says whom to ask; 'weinig vertrouwen' changes nothing."""
    result = answer(capsys, "--gemeente", "Almere", "--problematiek", "complex", "--schulden", "problematisch",
                    "--vertrouwen", "weinig")
    stap = result["eerste_stap"]
    assert stap["id"] == TOEGANGSPUNT_ALMERE and stap["daarna"]["id"] == "plangroep-almere"
    assert not stap["bereikbaar"] and stap["aanmelden"] is None and stap["vraag"].endswith("Vraag het aan de gemeente Almere.")
    plangroep = result["organisaties"][0]
    assert plangroep["id"] == "plangroep-almere" and "Centraal toegangspunt schulddienstverlening Almere" in plangroep["vraag"]
    assert result["geen_effect"] == ["vertrouwen"]
    for org in result["organisaties"]:  # never invented: the example data says nothing about these
        assert org["aanmelden"] is None and org["wachttijd"] is None and org["meenemen"] is None and org["overdracht"] == []


def test_zwolle_less_able_learner_urgent_elderly(capsys):
    result = answer(capsys, "--gemeente", "Zwolle", "--leerbaarheid", "minder-leerbaar", "--schulden", "problematisch",
                    "--urgent", "--doelgroep", "ouderen")
    stap = result["eerste_stap"]
    assert stap["id"] == OP_ORDE and stap["bereikbaar"] and stap["website"] == "https://www.opordezwolle.nl/"
    assert "Telefonisch" in stap["toegang"] and stap["daarna"]["id"] == RAADSLIEDEN and stap["warme_overdracht"]
    # no organisation in Zwolle focuses on older people: said plainly, as a gap, with national options
    assert "‘Ouderen’" in result["gat"] and "gat in de keten" in result["gat"] and result["landelijk"]
    assert "doelgroep.ouderen" not in result["geen_effect"]


def test_organisations_without_a_reason_of_their_own_are_also_possible_and_rank_last():
    profiles = random.Random(12).sample(verwijs.alle_profielen(), 2000)
    for keten in DATASET.ketens.values():
        for profile, result in zip(profiles, verwijs.verwijs_alle(DATASET, GRAPH, keten, profiles)):
            flags = [o["ook_mogelijk"] for o in result["organisaties"]]
            assert flags == sorted(flags), profile  # every one with a reason comes first
            for org in result["organisaties"] + result["landelijk"]:
                assert org["ook_mogelijk"] == (not org["redenen"])
                assert REDEN_GEEN not in org["redenen"]


def test_answers_without_effect_are_exactly_those_that_change_nothing():
    """`geen_effect`: skipping that answer gives the same advice; skipping any other answer changes it."""
    def advice(result: dict) -> dict:
        return {k: v for k, v in result.items() if k not in ("profiel", "geen_effect")}

    qs = {q.sleutel: q for q in verwijs.vragen()}
    profiles = random.Random(21).sample(verwijs.alle_profielen(), 150)
    for keten in DATASET.ketens.values():
        for profile, result in zip(profiles, verwijs.verwijs_alle(DATASET, GRAPH, keten, profiles)):
            for sleutel, q in qs.items():
                if q.optie(profile) == 0:
                    continue
                if q.soort == "urgent":
                    skipped = dataclasses.replace(profile, urgent=False)
                elif q.soort == "doelgroep":
                    skipped = dataclasses.replace(profile, doelgroepen=profile.doelgroepen - {q.term})
                else:
                    skipped = dataclasses.replace(profile, **{sleutel: None})
                same = advice(verwijs.verwijs(DATASET, GRAPH, keten, skipped)) == advice(result)
                assert same == (sleutel in result["geen_effect"]), (keten.naam, profile, sleutel)


def test_how_to_refer_is_shown_when_the_file_says_it(data_copy, tmp_path):
    """A (fictitious) copy where the access point's file says how to refer: the answer and the page
    file carry it, and nobody is told to ask."""
    path = data_copy / "zwolle" / "op-orde-zwolle.yaml"
    path.write_text(path.read_text(encoding="utf-8") + (
        "aanmelden: Met het verwijsformulier voor beroepskrachten\n"
        "wachttijd: Binnen twee weken\n"
        "meenemen: Brieven van schuldeisers\n"
        "warme-overdracht:\n  gegevens: ja\n  meegaan: ja\n"), encoding="utf-8")
    dataset, errors = load(data_copy)
    assert not errors
    graph = build_graph(dataset)
    keten = zoek_gemeente(dataset, "Zwolle")
    result = verwijs.verwijs(dataset, graph, keten, verwijs.Profiel(schulden="problematisch"))
    stap = result["eerste_stap"]
    assert stap["aanmelden"] == "Met het verwijsformulier voor beroepskrachten" and stap["vraag"] is None
    assert stap["wachttijd"] == "Binnen twee weken" and stap["meenemen"] == "Brieven van schuldeisers"
    assert stap["overdracht"] == ["Gegevens doorgeven met toestemming", "Meegaan naar het eerste gesprek"]
    text = verwijs.as_text(result)
    assert "Aanmelden: Met het verwijsformulier voor beroepskrachten" in text and "Wachttijd: Binnen twee weken" in text
    data = json.loads(verwijs.page_json(verwijs.page_data(dataset, graph, keten)))
    profiles = random.Random(3).sample(verwijs.alle_profielen(), 300)
    for profile, want in zip(profiles, verwijs.verwijs_alle(dataset, graph, keten, profiles)):
        assert verwijs.read_page(data, profile) == want


def test_a_walk_in_service_contradicting_referral_only_is_found():
    """toegang says only 'Alleen na verwijzing' while diensten has an inloopspreekuur: a message
    naming the field (the loader reports it); registration (aanmelding) is no contradiction."""
    found = {o.id: access_contradictions(o, load_vocabulary()) for o in DATASET.organisaties.values()}
    flagged = {i for i, messages in found.items() if messages}
    assert flagged == {"humanitas-zwolle", "schuldhulpmaatje-zwolle", "wijz-zwolle"}
    field, message = found["wijz-zwolle"][0]
    assert field == "toegang" and "'Alleen na verwijzing'" in message and "'Inloopspreekuur'" in message
    assert not found[RAADSLIEDEN] and not found[OP_ORDE]


def test_the_organisation_page_says_how_to_refer_and_flags_the_contradiction(example_site):
    page = (example_site / "organisaties" / "wijz-zwolle" / "index.html").read_text(encoding="utf-8")
    assert "Aanmelden door beroepskrachten" in page and "staat niet in de gegevens" in page
    assert "alleen\n    binnen na verwijzing" in page or "alleen binnen na verwijzing" in " ".join(page.split())
    op_orde = (example_site / "organisaties" / "op-orde-zwolle" / "index.html").read_text(encoding="utf-8")
    assert "Aanmelden door beroepskrachten" in op_orde and "volgens de gegevens komen hulpvragers" not in op_orde


def test_page_files_stay_within_budget(example_site):
    for keten in DATASET.ketens.values():
        raw = (example_site / "verwijswijzer" / "data" / f"{keten.slug}.json").read_bytes()
        assert len(gzip.compress(raw)) <= 50_000
