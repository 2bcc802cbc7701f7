"""What the vocabulary's terms mean for a chain: the one definition every stage asks.

The chain scan (analyse/scan.py), the verwijswijzer (analyse/verwijs/), the map and the pages
all decide through this module who gives help, who is a signal partner, who can be referred to
and how a help seeker gets in. It reads only the properties of the terms (vocabulaire.yaml),
never the term keys, so a project that adds a term only writes its properties.

Definitions (the scan and the verwijswijzer agree on them by construction):

* Role of a service: the property ``rol`` of a ``diensten`` term: hulp (gives help itself),
  toegang (registration, walk-in hours), regie (coordination) or signaal (early signalling).
* Signal partner: an organisation of a ``soorten`` term with ``signaalpartner: ja``; or one that
  passes signals on (a relation whose kind has ``signaal: ja``, signaleert) and offers nothing
  but early signalling (every one of its services has rol signaal). An organisation that also
  takes registrations, coordinates or helps is not a signal partner: it can be referred to.
* Provider (gives help itself): offers at least one service with rol hulp and is not a signal
  partner.
* Referable (a help seeker can be sent there): not a signal partner and offers at least one
  service whose rol is not signaal.

So an organisation whose only service is early signalling and that passes no signals on (Vroeg
Eropaf Almere: it receives the signals) is neither a signal partner nor a provider, and nobody is
referred to it; the scan counts no help from it, and the verwijswijzer does not list it.
* Own way in: the organisation's ``toegang`` terms with ``eigen_ingang: ja`` (phone, website,
  walk-in): it can be reached without a referral.
* Way into the chain: the chain's central access point; a local organisation of a ``soorten``
  term with ``ingang: ja`` (a wijkteam); a local organisation with a ``toegang`` term with
  ``ingang: ja`` (walk-in hours); a signal partner. The first that applies names the kind.
* Debt levels of a phase: the ``fasen`` term's ``schulden`` list.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable

from generator.domain.vocab import Vocabulary, in_zin, load_vocabulary

if TYPE_CHECKING:  # only for annotations: generator.model builds its records from this package
    from generator.model import Keten, Organisatie

# Kinds of ways in that are not a term: the chain's access point and the signal partners.
INGANG_TOEGANG = "toegang"
INGANG_SIGNAAL = "signaal"
CONTACT_NAMEN = {"telefoon": "Telefoon", "email": "E-mail", "adres": "Adres", "spreekuur": "Spreekuur"}
TOEGANG_ONBEKEND = "Niet bekend; kijk op de pagina van de organisatie."


def vocab_of(dataset: Any) -> Vocabulary:
    """The vocabulary a dataset was checked against, or else the engine's own."""
    return getattr(dataset, "vocab", None) or load_vocabulary()


@dataclass(frozen=True)
class Ingang:
    """The kind of a way into the chain: key, Dutch name, and place in the listing."""

    soort: str
    naam: str
    rang: int


class Domain:
    """The rules of the chain over one vocabulary. Use `domain(vocab)` to get a shared one."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        diensten = vocab["diensten"]
        self.rol = {k: t["rol"] for k, t in diensten.terms.items()}
        self.signaalpartner_soorten = frozenset(vocab["soorten"].with_prop("signaalpartner"))
        self.ingang_soorten = vocab["soorten"].with_prop("ingang")
        self.ingang_toegang = vocab["toegang"].with_prop("ingang")
        self.eigen_ingang = frozenset(vocab["toegang"].with_prop("eigen_ingang"))
        self.verwijzing = frozenset(vocab["relaties"].with_prop("verwijzing"))
        self.signaal = frozenset(vocab["relaties"].with_prop("signaal"))
        self.wederzijds = frozenset(vocab["relaties"].with_prop("wederzijds"))
        self.vrijwilligers_inzet = frozenset(vocab["inzet"].with_prop("vrijwilligers"))
        kinds = [(INGANG_TOEGANG, "centraal toegangspunt")]
        kinds += [(k, in_zin(vocab["soorten"].terms[k].label)) for k in self.ingang_soorten]
        kinds += [(k, in_zin(vocab["toegang"].terms[k].label)) for k in self.ingang_toegang]
        kinds.append((INGANG_SIGNAAL, "signaalpartner"))
        self.ingang_kinds = {k: Ingang(k, naam, rang) for rang, (k, naam) in enumerate(kinds)}
        self._signal_kinds: dict[int, tuple[weakref.ref, str | None]] = {}  # see signal_kind

    # -- services and signals -------------------------------------------------------------------
    def help_services(self, org: Organisatie) -> tuple[str, ...]:
        """The organisation's services that are help itself (rol hulp), in its own order."""
        return tuple(d for d in org.diensten if self.rol.get(d) == "hulp")

    def passes_signals(self, org: Organisatie) -> bool:
        """Passes signals on to another organisation (a relation with signaal: ja)."""
        return any(r.soort in self.signaal for r in org.relaties)

    def is_signal_partner(self, org: Organisatie) -> bool:
        if org.soort in self.signaalpartner_soorten:
            return True
        return self.passes_signals(org) and all(self.rol.get(d) == "signaal" for d in org.diensten)

    def is_provider(self, org: Organisatie) -> bool:
        """Gives help itself: a service with rol hulp, and not a signal partner."""
        return bool(self.help_services(org)) and not self.is_signal_partner(org)

    def is_referable(self, org: Organisatie) -> bool:
        """A help seeker can be referred to it: not a signal partner, and more than signalling."""
        return not self.is_signal_partner(org) and any(self.rol.get(d) != "signaal" for d in org.diensten)

    def signal_relations(self, org: Organisatie):
        return [r for r in org.relaties if r.soort in self.signaal]

    def is_referral(self, relation_kind: str) -> bool:
        return relation_kind in self.verwijzing

    def is_signal(self, relation_kind: str) -> bool:
        return relation_kind in self.signaal

    def is_mutual(self, relation_kind: str) -> bool:
        return relation_kind in self.wederzijds

    def signal_kind(self, org: Organisatie) -> str | None:
        """Which statutory signal partner (signaalsoorten) the organisation is, by the words
        in its name, description and signal conditions; None when none is recognised.

        Asked per chain, and a national signal partner signals to every chain: the answer is
        kept per organisation (records do not change), else the search grows with the square."""
        known = self._signal_kinds.get(id(org))
        if known is not None and known[0]() is org:
            return known[1]
        text = " ".join([org.naam, org.beschrijving] + [r.wanneer or "" for r in self.signal_relations(org)])
        found = next((key for key, term in self.vocab["signaalsoorten"].terms.items() if term["herkenning"].search(text)),
                     None)
        self._signal_kinds[id(org)] = (weakref.ref(org), found)  # the reference tells a reused id apart
        return found

    # -- people: who helps --------------------------------------------------------------------------
    def volunteers(self, org: Organisatie) -> bool:
        """Volunteers give (part of) the help (inzet with vrijwilligers: ja)."""
        return org.inzet in self.vrijwilligers_inzet

    # -- ways in ------------------------------------------------------------------------------------
    def own_ways_in(self, org: Organisatie) -> tuple[str, ...]:
        """Its ways in of its own (eigen_ingang: ja: phone, website, walk-in), in its order."""
        return tuple(t for t in org.toegang if t in self.eigen_ingang)

    def entry(self, org: Organisatie, keten: Keten) -> Ingang | None:
        """Whether (and as what) the organisation is a way into this chain; see the module docstring."""
        local = keten.cbs in org.gemeenten
        if org.id == keten.toegang:
            return self.ingang_kinds[INGANG_TOEGANG]
        if local and org.soort in self.ingang_soorten:
            return self.ingang_kinds[org.soort]
        if local:
            for t in self.ingang_toegang:
                if t in org.toegang:
                    return self.ingang_kinds[t]
        if self.is_signal_partner(org):
            return self.ingang_kinds[INGANG_SIGNAAL]
        return None

    def how_to_get_in(self, org: Organisatie) -> list[str]:
        """How to get in, in plain Dutch: the ways in, then the contact details from the data."""
        lines = [self.vocab.label("toegang", t) for t in org.toegang]
        lines += [f"{CONTACT_NAMEN.get(k, k.capitalize())}: {v}" for k, v in org.contact.items()]
        return lines or [TOEGANG_ONBEKEND]

    def walk_in_service(self, dienst: str) -> str | None:
        """The way in of its own (a ``toegang`` term with eigen_ingang: ja) that a service stands for,
        or None: a service with rol toegang whose property ``toegang`` names that term, or else whose
        label is the label of that term (diensten 'Inloopspreekuur' and toegang 'Inloopspreekuur')."""
        term = self.vocab["diensten"].terms.get(dienst)
        if term is None or self.rol.get(dienst) != "toegang":
            return None
        named = term.get("toegang")
        if named in self.eigen_ingang:
            return named
        for key in self.eigen_ingang:
            if self.vocab["toegang"].terms[key].label.casefold() == term.label.casefold():
                return key
        return None

    def access_contradictions(self, org: Organisatie) -> list[tuple[str, str]]:
        """Where ``toegang`` and ``diensten`` contradict each other, as (field, Dutch message).

        The one contradiction: toegang names only ways in that need a referral (eigen_ingang: nee,
        such as 'Alleen na verwijzing'), while diensten offers a way in of its own (a walk-in), so
        the organisation page would say both 'Inloopspreekuur' and 'Alleen na verwijzing'. Without
        any toegang there is nothing to contradict (the ways in are simply not known).
        """
        if not org.toegang or self.own_ways_in(org):
            return []
        said = opsomming(f"'{self.vocab.label('toegang', t)}'" for t in org.toegang)
        messages = []
        for dienst in org.diensten:
            way = self.walk_in_service(dienst)
            if way is None:
                continue
            messages.append((
                "toegang",
                f"zegt alleen {said}, maar bij diensten staat '{self.vocab.label('diensten', dienst)}' ({dienst}): "
                f"daar kan een hulpvrager zonder verwijzing binnenlopen. Zet '{way}' bij toegang als dat klopt; "
                f"is de organisatie alleen aanwezig op het spreekuur van een ander, haal dan '{dienst}' weg bij "
                "diensten en zeg dat in de beschrijving."))
        return messages

    def handover_forms(self, org: Organisatie) -> list[str]:
        """The forms of warm handover into the organisation that its file says are possible, in Dutch
        (from the field registry's labels of the block warme-overdracht)."""
        from generator.domain.fields.registry import WARME_OVERDRACHT_FIELDS
        given = getattr(org, "warme_overdracht", None) or {}
        return [f.label for f in WARME_OVERDRACHT_FIELDS if given.get(f.key)]

    # -- phases and profiles ------------------------------------------------------------------------
    def phase_debts(self, fase: str) -> tuple[str, ...]:
        """The debt levels (axis schulden) a phase is about."""
        return tuple(self.vocab["fasen"].terms[fase]["schulden"])

    def phase_in(self, fase: str) -> str:
        """The phase inside a sentence: 'in de preventie'."""
        return self.vocab["fasen"].terms[fase]["in_zin"]

    def phases_after_signalling(self) -> set[str]:
        """The phases after the (first) phase in which signals come in (signaalfase: ja)."""
        fasen = list(self.vocab["fasen"].terms)
        signal = self.vocab["fasen"].with_prop("signaalfase")
        return set(fasen[fasen.index(signal[0]) + 1:]) if signal else set()

    def asked_groups(self) -> tuple[str, ...]:
        """The target groups the verwijswijzer asks about (vraag: ja), in list order."""
        return self.vocab["doelgroepen"].with_prop("vraag")

    def group(self, cube: dict[str, str]) -> str:
        """'minder leerbare hulpvragers met problematische schulden' for a group of profiles
        (axis -> value; axes left out: any value)."""
        bijvoeglijk, met, zonder = [], [], []
        for axis, value in cube.items():
            term = self.vocab.axes[axis].terms[value]
            {"bijvoeglijk": bijvoeglijk, "met": met, "zonder": zonder}[term["groepsvorm"]].append(term["groepstekst"])
        text = "".join(a + " " for a in bijvoeglijk) + "hulpvragers"
        if zonder:
            text += " " + opsomming(zonder) + ("," if met else "")
        if met:
            text += " met " + opsomming(met)
        return text

    def short_label(self, axis: str, value: str) -> str:
        """A short label for a value in the coverage figure (kort, else the key)."""
        return self.vocab.axes[axis].terms[value].get("kort") or value

    # -- the map ------------------------------------------------------------------------------------
    def shape(self, soort: str) -> str:
        return self.vocab["soorten"].terms[soort]["vorm"]

    def colour(self, inzet: str) -> str:
        return self.vocab["inzet"].terms[inzet]["kleur"]

    def line_style(self, relation_kind: str) -> dict:
        t = self.vocab["relaties"].terms[relation_kind]
        return {"color": t["kleur"], "dashes": t["streep"], "arrows": "to" if t["pijl"] else ""}


def opsomming(items: Iterable[str]) -> str:
    """'a, b en c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


@lru_cache(maxsize=32)
def domain(vocab: Vocabulary | None = None) -> Domain:
    """The rules over a vocabulary (default: the engine's own), shared per vocabulary."""
    return Domain(vocab or load_vocabulary())


# Plain functions, for callers that hold a vocabulary rather than a Domain.

def is_provider(org: Organisatie, vocab: Vocabulary) -> bool:
    return domain(vocab).is_provider(org)


def is_signal_partner(org: Organisatie, vocab: Vocabulary) -> bool:
    return domain(vocab).is_signal_partner(org)


def is_referable(org: Organisatie, vocab: Vocabulary) -> bool:
    return domain(vocab).is_referable(org)


def own_ways_in(org: Organisatie, vocab: Vocabulary) -> tuple[str, ...]:
    return domain(vocab).own_ways_in(org)


def how_to_get_in(org: Organisatie, vocab: Vocabulary) -> list[str]:
    return domain(vocab).how_to_get_in(org)


def phase_debts(fase: str, vocab: Vocabulary) -> tuple[str, ...]:
    return domain(vocab).phase_debts(fase)


def access_contradictions(org: Organisatie, vocab: Vocabulary) -> list[tuple[str, str]]:
    """(field, message) for each contradiction between toegang and diensten (for the loader)."""
    return domain(vocab).access_contradictions(org)
