"""The rules of the verwijswijzer: the profile, the questions, what each answer does to each
organisation (`_bijdrage`, see the table in the package docstring), the screening instruments and
the statutory term (termijn). Who can be referred to and who gives help itself is not decided
here but in generator/domain/rules.py, the same rules the chain scan uses.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from generator.analyse.verwijs.texts import REDEN_SPOED
from generator.domain.rules import domain
from generator.domain.vocab import AXES_REQUIRED, Vocabulary, in_zin, load_vocabulary
from generator.model import Organisatie

SKIP = ""  # the option value for a skipped question ("weet ik niet")
JA = "ja"
AXES = AXES_REQUIRED  # the four axes of the profile, as the vocabulary requires them (Profiel has one field each)
MAX_ORGANISATIES = 8
MAX_LANDELIJK = 5

PUNTEN_SPECIALISATIE = 2
PUNTEN_DOELGROEP = 2
PUNTEN_BIJ_DOELGROEP = 1
PUNTEN_LANGDURIG = 1
PUNTEN_FASE = 1
PUNTEN_ROUTE = 2
PUNTEN_TOEGANGSPUNT = 1

WGS_BRON = "Wet gemeentelijke schuldhulpverlening (Wgs), artikel 4"
WGS_PAGINA = "kennisbank/wettelijk-kader/#termijnen"
TERMIJN_SPOED = {
    "termijn": "3 werkdagen",
    "uitleg": ("Er is een dreigende situatie: een huisuitzetting, afsluiting van gas, elektriciteit, "
               "stadsverwarming of water, of opzegging van de zorgverzekering. Dan vindt het eerste "
               "gesprek met de gemeente binnen 3 werkdagen na de aanmelding plaats."),
    "bron": WGS_BRON,
    "pagina": WGS_PAGINA,
}
TERMIJN_GEWOON = {
    "termijn": "4 weken",
    "uitleg": ("Het eerste gesprek met de gemeente vindt binnen 4 weken na de aanmelding plaats. "
               "Is er een dreigende situatie, zoals een huisuitzetting of afsluiting, dan binnen "
               "3 werkdagen. Na het eerste gesprek beslist de gemeente binnen 8 weken."),
    "bron": WGS_BRON,
    "pagina": WGS_PAGINA,
}


@dataclass(frozen=True)
class Instrument:
    """A screening instrument and when it is worth using (the infosheet's list)."""

    naam: str
    pagina: str  # site path of the guidance page (content/instrumenten/*.md)
    reden: str


SIGNAALLIJST = Instrument(
    "Signaallijst financiën LVB", "instrumenten/signaallijst-lvb/",
    "U vermoedt een licht verstandelijke beperking. De signaallijst geeft zicht op de geldzaken "
    "van iemand met een LVB.")
BASISMETER = Instrument(
    "Basismeter", "instrumenten/basismeter/",
    "De hulpvrager heeft moeite met lezen, schrijven of rekenen. De Basismeter geeft een eerste "
    "indruk of steun bij taal, rekenen of digitale vaardigheden nodig is.")
MESIS = Instrument(
    "Mesis", "instrumenten/mesis/",
    "Er zijn schulden. Mesis helpt in te schatten of iemand na de hulp zonder schulden kan "
    "blijven, en wat daarvoor nodig is.")
MESIS_LEERBAARHEID = " Mesis kijkt ook naar leerbaarheid, die u nog niet kon invullen."


# -- the profile ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Profiel:
    """A help seeker's answers; None (or False, or empty) means the question was skipped."""

    leerbaarheid: str | None = None
    problematiek: str | None = None
    schulden: str | None = None
    vertrouwen: str | None = None
    urgent: bool = False
    doelgroepen: frozenset[str] = frozenset()
    fase: str | None = None

    def as_dict(self, volgorde: Sequence[str] | None = None) -> dict[str, Any]:
        """Plain data; target groups in the order of `volgorde` (default: the vocabulary's)."""
        order = list(volgorde) if volgorde is not None else list(load_vocabulary()["doelgroepen"].terms)
        return {
            "leerbaarheid": self.leerbaarheid, "problematiek": self.problematiek,
            "schulden": self.schulden, "vertrouwen": self.vertrouwen, "urgent": self.urgent,
            "doelgroepen": [d for d in order if d in self.doelgroepen]
                           + sorted(d for d in self.doelgroepen if d not in order),
            "fase": self.fase,
        }


@dataclass(frozen=True)
class Vraag:
    """One question as a dimension of the profile space. Option 0 is always SKIP."""

    sleutel: str  # 'urgent', an axis, 'doelgroep.<term>' or 'fase'
    opties: tuple[str, ...]

    @property
    def soort(self) -> str:
        if self.sleutel.startswith("doelgroep."):
            return "doelgroep"
        return "as" if self.sleutel in AXES else self.sleutel

    @property
    def term(self) -> str:
        return self.sleutel.partition(".")[2] if self.soort == "doelgroep" else self.sleutel

    def optie(self, profiel: Profiel) -> int:
        if self.soort == "urgent":
            value = JA if profiel.urgent else SKIP
        elif self.soort == "doelgroep":
            value = JA if self.term in profiel.doelgroepen else SKIP
        else:
            value = getattr(profiel, self.sleutel) or SKIP
        try:
            return self.opties.index(value)
        except ValueError:
            raise ValueError(f"onbekende waarde {value!r} voor {self.sleutel}") from None


def vragen(vocab: Vocabulary | None = None) -> tuple[Vraag, ...]:
    """The questions in the order of the profile space (and of the page's lookup tables)."""
    vocab = vocab or load_vocabulary()
    result = [Vraag("urgent", (SKIP, JA))]
    result += [Vraag(axis, (SKIP, *vocab.axes[axis].terms)) for axis in AXES]
    result += [Vraag(f"doelgroep.{d}", (SKIP, JA)) for d in profiel_doelgroepen(vocab)]
    result.append(Vraag("fase", (SKIP, *vocab["fasen"].terms)))
    return tuple(result)


def keuzes(vocab: Vocabulary | None = None) -> dict[str, tuple[str, ...]]:
    """Valid values per question, for the command line and the form."""
    vocab = vocab or load_vocabulary()
    result = {axis: tuple(vocab.axes[axis].terms) for axis in AXES}
    result["doelgroep"] = profiel_doelgroepen(vocab)
    result["fase"] = tuple(vocab["fasen"].terms)
    return result


def alle_profielen(vocab: Vocabulary | None = None) -> list[Profiel]:
    """Every profile, in the order of the profile space."""
    qs = vragen(vocab)
    return [_profiel_uit_opties(qs, combo) for combo in itertools.product(*(range(len(q.opties)) for q in qs))]


def _profiel_uit_opties(qs: Sequence[Vraag], combo: Sequence[int]) -> Profiel:
    values = {q.sleutel: q.opties[i] for q, i in zip(qs, combo)}
    return Profiel(
        **{axis: values[axis] or None for axis in AXES},
        urgent=values["urgent"] == JA,
        doelgroepen=frozenset(q.term for q in qs if q.soort == "doelgroep" and values[q.sleutel] == JA),
        fase=values["fase"] or None,
    )


# -- per answer, per organisation -------------------------------------------------------------------

@dataclass(frozen=True)
class Bijdrage:
    """What one answer does to one organisation (see the table in the module docstring)."""

    uit: bool = False
    voorrang: bool = False
    punten: int = 0
    redenen: tuple[str, ...] = ()
    let_op: str | None = None
    doelgroep: bool = False  # the answer matched one of the organisation's target groups


def _of(words: Iterable[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " of " + words[-1]


def bijdrage_sleutel(org: Organisatie, vraag: Vraag) -> tuple:
    """Everything of an organisation that `_bijdrage` reads for this question: two organisations
    with the same key get the same contributions (keep the two in step; a test varies every
    other field of an organisation and checks that nothing changes)."""
    soort = vraag.soort
    if soort == "urgent":
        return (org.spoed,)
    if soort == "as":
        return tuple(org.profielen[vraag.sleutel]), tuple(org.doelgroepen), org.duur
    if soort == "doelgroep":
        return (vraag.term in org.doelgroepen,)
    return (tuple(org.fasen),)


def _bijdrage(org: Organisatie, vraag: Vraag, optie: str, vocab: Vocabulary) -> Bijdrage:
    soort = vraag.soort
    if soort == "urgent":
        return Bijdrage(voorrang=True, redenen=(REDEN_SPOED,)) if optie == JA and org.spoed else Bijdrage()
    if soort == "as":
        axis = vocab.axes[vraag.sleutel]
        served = org.profielen[vraag.sleutel]
        specialised = len(served) < len(axis.terms)
        if optie == SKIP:
            if specialised:
                labels = _of(in_zin(axis.terms[v].label) for v in served)
                return Bijdrage(let_op=f"Alleen voor hulpvragers met: {labels} ({in_zin(axis.label)}).")
            return Bijdrage()
        label = in_zin(axis.terms[optie].label)
        if optie not in served:
            return Bijdrage(uit=True, let_op=f"Past niet bij uw antwoord: {label} ({in_zin(axis.label)}).")
        punten, redenen = 0, []
        if specialised:
            punten += PUNTEN_SPECIALISATIE
            redenen.append(f"Gericht op hulpvragers met dit kenmerk: {label}.")
        # A target group or a duration that this answer implies (vocabulary: doelgroepen with
        # e.g. schulden: [problematisch]; duur with e.g. leerbaarheid: [minder-leerbaar]).
        matched_group = False
        groups = vocab["doelgroepen"].terms
        for group in org.doelgroepen:
            if group in groups and optie in (groups[group].get(vraag.sleutel) or ()):
                punten += PUNTEN_BIJ_DOELGROEP
                matched_group = True
                redenen.append(f"Richt zich op de doelgroep ‘{groups[group].label}’.")
        duur = vocab["duur"].terms.get(org.duur) if org.duur else None
        if duur is not None and optie in (duur.get(vraag.sleutel) or ()):
            punten += PUNTEN_LANGDURIG
            redenen.append(duur.get("reden") or f"Biedt steun van deze duur: {in_zin(duur.label)}.")
        return Bijdrage(punten=punten, redenen=tuple(redenen), doelgroep=matched_group)
    if soort == "doelgroep":
        if optie == JA and vraag.term in org.doelgroepen:
            return Bijdrage(punten=PUNTEN_DOELGROEP, doelgroep=True,
                            redenen=(f"Richt zich op de doelgroep ‘{vocab.label('doelgroepen', vraag.term)}’.",))
        return Bijdrage()
    if soort == "fase":
        if optie == SKIP:
            return Bijdrage()
        label = in_zin(vocab.label("fasen", optie))
        if optie in org.fasen:
            return Bijdrage(punten=PUNTEN_FASE, redenen=(f"Werkt in de fase: {label}.",))
        return Bijdrage(uit=True, let_op=f"Werkt niet in de fase: {label}.")
    raise ValueError(vraag.sleutel)


def profiel_doelgroepen(vocab: Vocabulary | None = None) -> tuple[str, ...]:
    """The target groups the verwijswijzer asks about (doelgroepen with vraag: ja)."""
    return domain(vocab or load_vocabulary()).asked_groups()


def verwijsbaar(org: Organisatie, vocab: Vocabulary | None = None) -> bool:
    """Can a help seeker be referred to this organisation at all? (Domain.is_referable)"""
    return domain(vocab).is_referable(org)


def helpt_zelf(org: Organisatie, vocab: Vocabulary | None = None) -> bool:
    """Does the organisation give help itself? (Domain.is_provider, the scan's providers)"""
    return domain(vocab).is_provider(org)
