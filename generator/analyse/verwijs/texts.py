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

def as_text(answer: dict, vocab: Vocabulary | None = None) -> str:
    """The answer in plain Dutch, for the terminal."""
    vocab = vocab or load_vocabulary()
    g = answer["gemeente"]
    p = answer["profiel"]
    lines = [f"Verwijswijzer voor {g['naam']} ({g['cbs']})", ""]
    given = []
    for axis in vocab.axes:
        if p.get(axis):
            given.append(f"{in_zin(vocab.axes[axis].label)}: {in_zin(vocab.axes[axis].terms[p[axis]].label)}")
    if p["urgent"]:
        given.append("dreigende situatie")
    if p["doelgroepen"]:
        given.append("doelgroep: " + ", ".join(vocab.label("doelgroepen", d) for d in p["doelgroepen"]))
    if p["fase"]:
        given.append(f"fase: {in_zin(vocab.label('fasen', p['fase']))}")
    lines.append("Uw antwoorden: " + ("; ".join(given) if given else "geen (alle vragen overgeslagen)"))
    lines.append("")
    if answer["gat"]:
        lines += ["Let op, gat in de keten:", f"  {answer['gat']}", ""]
    lines.append("Organisaties die passen (beste eerst):")
    if not answer["organisaties"]:
        lines.append("  Geen.")
    for i, org in enumerate(answer["organisaties"], 1):
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
        lines += _org_lines(i, org)
    return "\n".join(lines) + "\n"


def _org_lines(i: int, org: dict) -> list[str]:
    lines = [f"  {i}. {org['naam']}"]
    lines += [f"     - {r}" for r in org["redenen"]]
    lines += [f"     Let op: {w}" for w in org["let_op"]]
    lines.append("     Hoe komt u binnen: " + "; ".join(org["toegang"]) + (f" ({org['website']})" if org["website"] else ""))
    return lines
