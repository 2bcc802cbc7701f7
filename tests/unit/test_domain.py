"""The domain: terms carry their meaning in vocabulaire.yaml, and one set of rules decides.

* A new kind of organisation (a soorten term with its properties) is drawn on the map and
  treated as a way in by the scan without any change to the Python code.
* The same term without its shape is a located error of `check_vocabulary`, never a KeyError.
* The chain scan and the verwijswijzer agree on who gives help itself, and on where the gaps are,
  also for an organisation like Vroeg Eropaf that only does early signalling.
* The verwijswijzer's packed counters cannot overflow silently.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import yaml

from generator.analyse import verwijs
from generator.analyse.scan import Profiles, scan, scan_keten
from generator.analyse.verwijs.engine import PackingError, _Engine, _Tabel
from generator.domain import rules
from generator.domain.vocab import VOCAB_FILE, VocabularyError, check_vocabulary, load_vocabulary
from generator.graph.build import build_graph
from generator.load.loader import load
from generator.render import kaart
from generator.render.markdown import html_env

from fictief import ALLE_FASEN, BRON, CBS
from fictief import org as _org

NEW_KIND = """    buurtnetwerk:
      label: Buurtnetwerk
      uitleg: Bewoners die in hun buurt een oogje in het zeil houden en de weg wijzen.
      vorm: box
      vormnaam: rechthoek
      ingang: ja
"""


def vocabulary_with(tmp_path: Path, term_text: str, name: str = "vocabulaire.yaml") -> Path:
    """A copy of the engine's vocabulary with one extra soorten term (given as YAML text)."""
    text = VOCAB_FILE.read_text(encoding="utf-8")
    anchor = "\n    gemeentelijke-dienst:\n"
    assert text.count(anchor) == 1
    path = tmp_path / name
    path.write_text(text.replace(anchor, "\n" + term_text + anchor.lstrip("\n"), 1), encoding="utf-8")
    return path




def write_small_chain(folder: Path) -> Path:
    """A small chain with an early-signalling approach like Vroeg Eropaf (only vroegsignalering).

    Loket is the access point and refers on; Budgetcoach helps learners in prevention and
    stabilisation; Vroeg Eropaf receives the signals of the housing corporation and offers nothing
    but early signalling.
    """
    data = folder / "organisaties"
    (data / "gemeenten").mkdir(parents=True)
    (data / "klein").mkdir()
    orgs = [
        _org("loket", "Loket Klein", "samenwerkingsverband", ["aanmelding"], ALLE_FASEN, toegang=["telefoon"],
             verwijst=["budget", "vroeg-eropaf"]),
        _org("budget", "Budgetcoach Klein", "vrijwilligersorganisatie", ["budgetbegeleiding"],
             ["preventie", "stabilisatie"], profielen={"leerbaarheid": ["leerbaar"]}, toegang=["verwijzing"], spoed=True),
        _org("vroeg-eropaf", "Vroeg Eropaf Klein", "samenwerkingsverband", ["vroegsignalering"], ["vroegsignalering"],
             beschrijving="De aanpak om huurachterstanden eerder te zien."),
        _org("corporatie", "Woonstichting Klein", "signaalpartner", ["vroegsignalering"], ["vroegsignalering"],
             beschrijving="Woningcorporatie; geeft huurachterstanden door.",
             signaleert=[{"naar": "vroeg-eropaf", "wanneer": "Huurachterstand"}]),
    ]
    for org in orgs:
        (data / "klein" / f"{org['id']}.yaml").write_text(yaml.safe_dump(org, allow_unicode=True), encoding="utf-8")
    chain = {"gemeente": "Klein", "cbs": CBS, "toegang": "loket", "regie": "loket",
             "beschrijving": "Een verzonnen keten om de regels te testen.", "bron": BRON,
             "gecontroleerd": "2026-01", "fictief": True}
    (data / "gemeenten" / "klein.yaml").write_text(yaml.safe_dump(chain, allow_unicode=True), encoding="utf-8")
    return data


def load_chain(tmp_path):
    dataset, errors = load(write_small_chain(tmp_path))
    assert errors == []
    return dataset, build_graph(dataset), dataset.ketens[CBS]


# -- a new term works without a change to the code -----------------------------------------------

def test_a_new_kind_of_organisation_is_drawn_and_is_a_way_in_without_code_changes(tmp_path):
    vocab = load_vocabulary(vocabulary_with(tmp_path, NEW_KIND))
    assert vocab is not load_vocabulary()  # a vocabulary of its own, cached per path
    assert load_vocabulary(tmp_path / "vocabulaire.yaml") is vocab
    dataset, graph, keten = load_chain(tmp_path)
    # the data of a project that uses the new kind (the loader checks against the engine's list)
    budget = dataclasses.replace(dataset.organisaties["budget"], soort="buurtnetwerk")
    dataset = dataclasses.replace(dataset, organisaties={**dataset.organisaties, "budget": budget})
    graph = build_graph(dataset)

    document = kaart.map_document(html_env(), dataset, graph, vocab, keten)
    assert '"shape": "box"' in document
    legend = kaart.legend(vocab, dataset.organisaties.values())
    assert ("Buurtnetwerk", "rechthoek") in legend["vormen"]

    chain = scan_keten(dataset, graph, keten, Profiles(vocab))
    ways_in = {i.org: i.naam for i in chain.ingangen()}
    assert ways_in["budget"] == "buurtnetwerk"  # ingang: ja, like a wijkteam
    assert ways_in["loket"] == "centraal toegangspunt"


def test_the_new_term_without_its_shape_is_a_located_error(tmp_path):
    term = NEW_KIND.replace("      vorm: box\n", "")
    path = vocabulary_with(tmp_path, term)
    vocab, errors = check_vocabulary(path)
    assert vocab is None
    [error] = errors
    line = path.read_text(encoding="utf-8").splitlines().index("    buurtnetwerk:") + 1
    assert (error.path, error.line, error.field) == (str(path), line, "soorten.buurtnetwerk.vorm")
    assert "verplichte eigenschap 'vorm' ontbreekt" in error.message and "triangleDown" in error.message
    assert str(error).startswith(f"{path}:{line}: soorten.buurtnetwerk.vorm: ")
    with pytest.raises(VocabularyError) as raised:
        load_vocabulary(path)
    assert raised.value.errors == errors
    assert "soorten.buurtnetwerk.vorm" in str(raised.value)


def test_every_problem_in_the_vocabulary_is_reported_at_once(tmp_path):
    text = VOCAB_FILE.read_text(encoding="utf-8")
    text = text.replace('kleur: "#F4B183"', "kleur: oranje", 1)  # inzet vrijwilligers
    text = text.replace("      rol: signaal\n", "      rol: signalen\n", 1)  # diensten vroegsignalering
    text = text.replace("schulden: [problematisch]", "schulden: [veel]", 1)  # fasen minnelijk
    text = text.replace("herkenning: 'drinkwater|waterbedrijf|waterleiding'", "herkenning: 'drinkwater|(water'")
    text = text.replace("      pijl: ja\n", "      pijl: yes\n", 1)  # relaties verwijst
    path = tmp_path / "vocabulaire.yaml"
    path.write_text(text, encoding="utf-8")
    vocab, errors = check_vocabulary(path)
    assert vocab is None
    fields = {e.field: e for e in errors}
    assert set(fields) == {"inzet.vrijwilligers.kleur", "diensten.vroegsignalering.rol", "fasen.minnelijk.schulden",
                           "signaalsoorten.drinkwater.herkenning", "relaties.verwijst.pijl"}
    assert all(e.line for e in errors)
    assert "#RRGGBB" in fields["inzet.vrijwilligers.kleur"].message
    assert "hulp, toegang, regie, signaal" in fields["diensten.vroegsignalering.rol"].message
    assert "'veel'" in fields["fasen.minnelijk.schulden"].message
    assert "reguliere expressie" in fields["signaalsoorten.drinkwater.herkenning"].message
    assert "ja of nee" in fields["relaties.verwijst.pijl"].message


def test_the_engine_vocabulary_is_valid():
    vocab, errors = check_vocabulary(VOCAB_FILE)
    assert errors == [] and vocab is not None


# -- the scan and the verwijswijzer agree ---------------------------------------------------------

def test_scan_and_verwijswijzer_agree_on_who_gives_help(tmp_path):
    dataset, graph, keten = load_chain(tmp_path)
    chain = scan_keten(dataset, graph, keten)
    engine = _Engine(dataset, graph, keten)
    helpers = {o.id for o, helps in zip(engine.lokaal.orgs, engine.helper) if helps}
    assert set(chain.providers) == helpers == {"budget"}
    eropaf = dataset.organisaties["vroeg-eropaf"]
    vocab = load_vocabulary()
    assert not rules.is_provider(eropaf, vocab) and not rules.is_referable(eropaf, vocab)
    assert not rules.is_signal_partner(eropaf, vocab)  # it receives signals, it passes none on
    assert rules.is_signal_partner(dataset.organisaties["corporatie"], vocab)
    assert not verwijs.helpt_zelf(eropaf) and not verwijs.verwijsbaar(eropaf)


def test_the_verwijswijzer_reports_a_gap_exactly_where_the_scan_has_an_empty_cell(tmp_path):
    dataset, graph, keten = load_chain(tmp_path)
    chain = scan_keten(dataset, graph, keten)
    dekking = chain.dekking()
    p = chain.p
    profiles, cells = [], []
    for fase in p.fasen:
        for i, values in enumerate(p.all):
            if dekking[fase][i] is None:  # this debt level does not belong to this phase
                continue
            profiles.append(verwijs.Profiel(**dict(zip(p.axes, values)), fase=fase))
            cells.append(dekking[fase][i])
    answers = verwijs.verwijs_alle(dataset, graph, keten, profiles)
    finder_gap = [bool(a["gat"]) and "Dat is een gat in de keten" in a["gat"] for a in answers]
    scan_gap = [not c for c in cells]
    assert finder_gap == scan_gap
    assert any(scan_gap) and not all(scan_gap)

    # the concrete case of the bug: a learner with some debts at the early-signalling stage
    concrete = verwijs.Profiel(leerbaarheid="leerbaar", problematiek="eenvoudig", schulden="beperkt",
                               vertrouwen="veel", fase="vroegsignalering")
    assert "Dat is een gat in de keten" in verwijs.verwijs(dataset, graph, keten, concrete)["gat"]
    gaps = [f for f in scan(dataset, graph) if f.soort == "gat" and "vroegsignalering" in f.fasen]
    assert gaps and gaps[0].profiel == {}  # nobody helps anyone at that stage


# -- the packed counters of the verwijswijzer -------------------------------------------------------

def test_a_forced_field_too_small_for_the_points_is_refused(tmp_path):
    dataset, graph, keten = load_chain(tmp_path)
    vocab = load_vocabulary()
    orgs = [o for o in dataset.in_gemeente(CBS) if rules.is_referable(o, vocab)]
    qs = verwijs.vragen(vocab)
    table = _Tabel(orgs, qs, vocab)  # the default layout fits: Budgetcoach can earn 3 points
    assert table.layout.breedte == {"punten": 8, "uit": 4, "voorrang": 1, "doelgroep": 3}
    with pytest.raises(PackingError, match=r"'punten' kan oplopen tot 3, en dat past niet in 1 bit \(nodig: 2 bits\)"):
        _Tabel(orgs, qs, vocab, breedtes={"punten": 1})


def test_many_target_group_questions_widen_the_field_instead_of_overflowing(tmp_path):
    groups = ["mantelzorgers", "statushouders", "zzp", "studenten"]
    text = VOCAB_FILE.read_text(encoding="utf-8")
    extra = "".join(f"    {g}:\n      label: {g.capitalize()}\n      uitleg: Een doelgroep voor de test.\n"
                    f"      vraag: ja\n" for g in groups)
    anchor = "    problematische-schulden:\n"
    path = tmp_path / "vocabulaire.yaml"
    path.write_text(text.replace(anchor, extra + anchor, 1), encoding="utf-8")
    vocab = load_vocabulary(path)
    asked = verwijs.profiel_doelgroepen(vocab)
    assert len(asked) == 9  # with the debt axis, up to 10 matches: more than the default 3 bits hold

    dataset, _graph, _keten = load_chain(tmp_path)
    org = dataclasses.replace(dataset.organisaties["budget"], doelgroepen=(*asked, "problematische-schulden"),
                              profielen={**dataset.organisaties["budget"].profielen, "schulden": ("problematisch",)})
    qs = verwijs.vragen(vocab)
    table = _Tabel([org], qs, vocab)
    assert table.layout.breedte["doelgroep"] == 4
    with pytest.raises(PackingError, match="'doelgroep'"):
        _Tabel([org], qs, vocab, breedtes={"doelgroep": 3})

    # every group chosen, debts problematic: all ten matches counted, the points exact
    options = [q.opties.index(verwijs.JA) if q.soort == "doelgroep" else
               q.opties.index("problematisch") if q.sleutel == "schulden" else 0 for q in qs]
    P = np.array([options], dtype=np.int64)
    uit, voorrang, matched, punten, _code = table.combine(P)
    expected = sum(verwijs.rules._bijdrage(org, q, q.opties[o], vocab).punten for q, o in zip(qs, options))
    assert not uit[0, 0] and not voorrang[0, 0] and matched[0, 0]
    assert punten[0, 0] == expected == 9 * 2 + 1 + 2


def test_the_relation_fields_of_the_registry_are_the_relation_terms_of_the_vocabulary():
    """A relation kind is a term (its meaning, map style, headings) and a key of organisation files
    (its field); the two lists must name the same kinds, in the same order."""
    from generator.domain.fields import RELATION_KEYS
    from generator.domain.vocab import load_vocabulary

    assert RELATION_KEYS == tuple(load_vocabulary()["relaties"].terms)


def test_the_contribution_key_names_everything_the_contribution_reads():
    """rules.bijdrage_sleutel lets organisations with the same key share their contributions
    (engine._Kolom). Give an organisation another organisation's value of one field at a time:
    whenever its key stays the same, every contribution must stay the same too."""
    from sitebuild import EXAMPLE_DATA

    dataset, errors = load(EXAMPLE_DATA)
    assert not errors
    vocab = load_vocabulary()
    orgs = sorted(dataset.organisaties.values(), key=lambda o: o.id)
    names = [f.name for f in dataclasses.fields(orgs[0])]
    checked = 0
    for a, b in zip(orgs, orgs[1:] + orgs[:1]):
        for name in names:
            if getattr(a, name) == getattr(b, name):
                continue
            c = dataclasses.replace(a, **{name: getattr(b, name)})
            for q in verwijs.vragen(vocab):
                if verwijs.rules.bijdrage_sleutel(c, q) == verwijs.rules.bijdrage_sleutel(a, q):
                    assert [verwijs.rules._bijdrage(c, q, o, vocab) for o in q.opties] == \
                           [verwijs.rules._bijdrage(a, q, o, vocab) for o in q.opties], (a.id, name, q.sleutel)
                    checked += 1
    assert checked > 1000
