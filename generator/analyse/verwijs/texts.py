"""The Dutch texts of the verwijswijzer: reasons, how to get in, and the answer as text.

Everything a reader sees in an answer that is not a label from the vocabulary or a sentence the
engine builds from data is written here.
"""

from __future__ import annotations

from generator.domain.rules import domain
from generator.domain.vocab import Vocabulary, in_zin, load_vocabulary
from generator.model import Organisatie

REDEN_GEEN = "Geen van uw antwoorden sluit deze organisatie uit."
REDEN_SPOED = "Helpt bij spoed, zoals een dreigende huisuitzetting of afsluiting van energie of water."


def toegang(org: Organisatie, vocab: Vocabulary) -> list[str]:
    """How to get in, in plain Dutch: the ways in, then the contact details (generator/domain/rules.py)."""
    return domain(vocab).how_to_get_in(org)


# -- text for the command line ---------------------------------------------------------------------

KOP_EERSTE_STAP = "Eerste stap"
KOP_OOK_MOGELIJK = "Ook mogelijk"
UITLEG_OOK_MOGELIJK = "Geen van uw antwoorden wijst speciaal naar deze organisaties, maar ze sluiten hen ook niet uit."
GEEN_VERSCHIL = "maakt in deze gemeente geen verschil"


def antwoord_label(sleutel: str, profiel: dict, vocab: Vocabulary) -> str:
    """One given answer in words: 'vertrouwen in hulp: weinig vertrouwen', 'doelgroep: Ouderen'."""
    if sleutel == "urgent":
        return "dreigende situatie"
    if sleutel.startswith("doelgroep."):
        return "doelgroep: " + vocab.label("doelgroepen", sleutel.partition(".")[2])
    if sleutel == "fase":
        return f"fase: {in_zin(vocab.label('fasen', profiel['fase']))}"
    axis = vocab.axes[sleutel]
    return f"{in_zin(axis.label)}: {in_zin(axis.terms[profiel[sleutel]].label)}"


def eerste_stap_lines(stap: dict, urgent: bool) -> list[str]:
    """The first step of the route, for the terminal: whom to contact, how, and whom to ask."""
    if not stap["id"]:
        return [f"{KOP_EERSTE_STAP}:", f"  {stap['vraag']}"]
    lines = [f"{KOP_EERSTE_STAP}: {stap['naam']}"]
    lines.append("  Hoe: " + "; ".join(stap["toegang"]) + (f" ({stap['website']})" if stap["website"] else ""))
    if not stap["bereikbaar"] and stap["via"]:
        lines.append("  Verwijzers in de keten: " + ", ".join(v["naam"] for v in stap["via"]) + ".")
    lines += _verwijs_lines(stap, "  ")
    if stap["daarna"]:
        lines.append(f"  Daarna: {stap['daarna']['naam']}" + (" (warme overdracht)" if stap["warme_overdracht"]
                                                                else "; een warme overdracht staat niet in de gegevens"))
    if urgent:
        lines.append("  Zeg bij de aanmelding dat het dringend is: het eerste gesprek moet dan binnen 3 werkdagen zijn.")
    return lines


def _verwijs_lines(org: dict, indent: str) -> list[str]:
    lines = [f"{indent}Aanmelden: {org['aanmelden']}" if org["aanmelden"] else f"{indent}Aanmelden: {org['vraag']}"]
    if org["wachttijd"]:
        lines.append(f"{indent}Wachttijd: {org['wachttijd']}")
    if org["meenemen"]:
        lines.append(f"{indent}Meenemen: {org['meenemen']}")
    if org["overdracht"]:
        lines.append(f"{indent}Warme overdracht mogelijk: " + "; ".join(org["overdracht"]))
    return lines


def as_text(answer: dict, vocab: Vocabulary | None = None) -> str:
    """The answer in plain Dutch, for the terminal: the first step, then the organisations, then the rest."""
    vocab = vocab or load_vocabulary()
    g = answer["gemeente"]
    p = answer["profiel"]
    lines = [f"Verwijswijzer voor {g['naam']} ({g['cbs']})", ""]
    given = []
    for axis in vocab.axes:
        if p.get(axis):
            given.append(antwoord_label(axis, p, vocab))
    if p["urgent"]:
        given.append("dreigende situatie")
    if p["doelgroepen"]:
        given.append("doelgroep: " + ", ".join(vocab.label("doelgroepen", d) for d in p["doelgroepen"]))
    if p["fase"]:
        given.append(f"fase: {in_zin(vocab.label('fasen', p['fase']))}")
    lines.append("Uw antwoorden: " + ("; ".join(given) if given else "geen (alle vragen overgeslagen)"))
    lines.append("")
    lines += eerste_stap_lines(answer["eerste_stap"], p["urgent"])
    lines.append("")
    if answer["gat"]:
        lines += ["Let op, gat in de keten:", f"  {answer['gat']}", ""]
    eigen = [o for o in answer["organisaties"] if not o["ook_mogelijk"]]
    ook = [o for o in answer["organisaties"] if o["ook_mogelijk"]]
    lines.append("Organisaties die passen (beste eerst):")
    if not eigen:
        lines.append("  Geen organisatie past in het bijzonder bij uw antwoorden." if ook else "  Geen.")
    for i, org in enumerate(eigen, 1):
        lines += _org_lines(i, org)
    if ook:
        lines += [f"{KOP_OOK_MOGELIJK}: {UITLEG_OOK_MOGELIJK}"]
        for i, org in enumerate(ook, len(eigen) + 1):
            lines += _org_lines(i, org)
    if answer["meer_organisaties"]:
        lines.append(f"  En nog {answer['meer_organisaties']} andere; zie de ketenpagina.")
    lines.append("")
    lines.append("Route in de keten:" + (f" {answer['route_naam']}" if answer["route_naam"] else ""))
    if answer["route_stappen"]:
        for i, step in enumerate(answer["route_stappen"], 1):
            how = " (warme overdracht)" if step["warme_overdracht"] else ""
            lines.append(f"  {i}. {step['naam']}{how}")
    else:
        lines.append("  Deze keten heeft geen vaste route en geen centraal toegangspunt.")
    if answer["vervolg"]:
        lines.append("  Daarna verwijst de laatste stap door naar een van:")
        for step in answer["vervolg"]:
            lines.append(f"  - {step['naam']}" + (f": {step['wanneer']}" if step["wanneer"] else ""))
    lines.append("")
    t = answer["termijn"]
    lines += [f"Termijn: eerste gesprek binnen {t['termijn']}.", f"  {t['uitleg']}", f"  Bron: {t['bron']}.", ""]
    lines.append("Instrumenten:")
    if not answer["instrumenten"]:
        lines.append("  Geen instrument in het bijzonder bij deze antwoorden.")
    for ins in answer["instrumenten"]:
        lines.append(f"  - {ins['naam']}: {ins['reden']} (zie {ins['pagina']})")
    lines += ["", "Landelijke diensten (als de keten geen passende hulp heeft):"]
    if not answer["landelijk"]:
        lines.append("  Geen.")
    for i, org in enumerate(answer["landelijk"], 1):
        lines += _org_lines(i, org, verwijzen=False)
    if answer["geen_effect"]:
        lines += ["", "Antwoorden zonder effect:"]
        for sleutel in answer["geen_effect"]:
            lines.append(f"  - {antwoord_label(sleutel, p, vocab)}: {GEEN_VERSCHIL} (bij deze andere antwoorden).")
    return "\n".join(lines) + "\n"


def _org_lines(i: int, org: dict, verwijzen: bool = True) -> list[str]:
    lines = [f"  {i}. {org['naam']}"]
    lines += [f"     - {r}" for r in org["redenen"]]
    lines += [f"     Let op: {w}" for w in org["let_op"]]
    lines.append("     Hoe komt u binnen: " + "; ".join(org["toegang"]) + (f" ({org['website']})" if org["website"] else ""))
    if verwijzen or org["aanmelden"]:
        lines += _verwijs_lines(org, "     ")
    return lines
