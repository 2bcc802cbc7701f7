"""Stage 3: the verwijswijzer. From a short profile of a help seeker to where to refer, and how.

This package is the one place where the matching happens: rules.py (the profile, the questions,
what each answer does, instruments, termijn), engine.py (numpy, every profile at once),
pagefile.py (the page file and its reader) and texts.py (the Dutch texts, the answer as text). The command line (`ketenkaart verwijs`)
asks it for one profile; the build asks it for every profile of every municipality and writes the
answers into a compact JSON file per municipality that the page only looks up. Both go through
the same function, `_Engine.run`, so the page and the command line cannot disagree.

The profile
-----------
Every question may be skipped ("weet ik niet"):

* the four axes of the infosheet: leerbaarheid, problematiek, schulden, vertrouwen;
* urgent: a threatening situation (eviction, cut-off of energy or water, cancelled health
  insurance); not urgent and "don't know" are the same answer;
* doelgroepen: any of the target groups with ``vraag: ja`` in the vocabulary (ouderen,
  jongeren, lvb, laaggeletterd, ondernemer);
* fase: the phase the help seeker is in.

Which organisations are candidates
----------------------------------
The local organisations of the municipality that can be referred to (``Domain.is_referable`` in
generator/domain/rules.py): not the signal partners (a kind with ``signaalpartner: ja``, or an
organisation that only signals), nobody is referred to them. National organisations are matched
the same way for the fallback list ``landelijk``.

Every answer is scored per organisation, on its own (``_bijdrage``):

==============================================  ==========  ===================================
Answer                                          Effect      Reason shown (redenen / let_op)
==============================================  ==========  ===================================
axis value the organisation does not serve      ruled out   let_op: "Past niet bij ..." (only
                                                            shown when spoed overrules, below)
axis value, organisation serves only some       +2          "Gericht op hulpvragers met dit
values of that axis (it specialises)                        kenmerk: ..."
axis value, organisation serves every value     0           (none)
axis skipped, organisation serves only some     0           let_op: "Alleen voor hulpvragers
values                                                      met: ..."
schulden = problematisch and the organisation   +1          "Richt zich op de doelgroep ..."
has doelgroep problematische-schulden
leerbaarheid = minder-leerbaar and the          +1          "Biedt langdurige steun ..."
organisation supports long-term (duur:                      (infosheet: less able learners
langdurig)                                                  need long-term support)
doelgroep chosen and the organisation has it    +2          "Richt zich op de doelgroep ..."
fase chosen, organisation works in it           +1          "Werkt in de fase ..."
fase chosen, organisation does not work in it   ruled out   let_op: "Werkt niet in de fase ..."
urgent and the organisation handles spoed       priority    "Helpt bij spoed ..."
==============================================  ==========  ===================================

Two scores come from the chain file rather than from one answer:

* +2 for the last organisation of the route the chain prescribes for these answers, when that
  route has a condition (voorwaarde) that the answers meet ("De keten stuurt ... hierheen");
* +1 for the central access point of the chain ("Centraal toegangspunt ...").

Ranking: organisations with priority (urgent and spoed) come first and are never ruled out, since
a threatening situation cannot wait; then the highest score; then the name. An organisation
without any reason of its own (score 0, no priority) has no reasons (``redenen: []``) and is
``ook_mogelijk``: every reason adds points or priority, so it always ranks below those with one,
and the answer groups it as "Ook mogelijk". At most
``MAX_ORGANISATIES`` are listed; ``meer_organisaties`` counts the others that fit. A national
organisation with its own target groups (for example Stichting Lezen en Schrijven) is listed
only when one of those groups was chosen: it is a fallback, not a general address.

Route: of the chain's routes whose condition the answers meet, the most specific one (most
conditions; on a tie the first in the chain file); a route without condition always applies.
Without any route, the central access point is the route. Each step says whether the handover
into it is warm (the route says ``warm: ja`` or the referral between the two is warm). When the
last step refers (``verwijst``) to the organisations that fit best, they are the next step
(``vervolg``); when exactly one fits best, the route continues to it.

First step (``eerste_stap``, the first block of every answer): the first organisation of the
route that applies (or the access point), how to reach it (``toegang``, website), whether the
next handover is warm, and how a professional refers there: ``aanmelden``, ``wachttijd`` (the
file's ``wachttijd``), ``meenemen`` and the forms of warm handover (``overdracht``), as far as
its file says. ``bereikbaar``: it has a way in of its own, contact details or a known way to
refer; otherwise ``via`` names who refers there. When the way to refer is not known, ``vraag``
says so and whom to ask (the access point, else the organisation with the regie, else the
municipality); every listed organisation carries the same fields. Without any route or access
point, ``vraag`` says whom to ask.

Answers without effect (``geen_effect``): the questions whose answer makes no difference for
this profile: with that question skipped, every part of the answer is the same.

Gap (``gat``): when no local organisation that gives help itself (``Domain.is_provider``: a
service with rol hulp, the same providers as the chain scan) fits, the answer says so, names the answers that
no local organisation serves, and points to the national services and to the chain's director.
It says so too when the situation is urgent but nobody in the chain is recorded as handling
spoed, when a phase is chosen that no helping organisation works in, and when a target group is
chosen that no local organisation focuses on (the others still help; the national services are
the fallback).

Termijn: Wgs art. 4: the first conversation within 3 working days in a threatening situation,
otherwise within 4 weeks. Instrumenten: the Signaallijst financiën LVB when an LVB is suspected,
the Basismeter for low literacy, Mesis when there are debts.

The page file
-------------
There are 3 x 3 x 4 x 3 x 2 x 2^5 x 7 = 48,384 profiles. The build computes the answer for each
with numpy, all at once: the options of a question that contribute alike to every organisation and
rule are computed once (``_Engine.option_classes``). The answer consists of parts (organisaties,
route, gat, termijn, instrumenten, landelijk). For each part the build then finds which questions,
and which values of a question, make a difference in this municipality; only those span its
lookup table. Each part's answers are stored once (``waarden``) and the table (``index``) holds,
per profile, the number of the answer as a fixed-width base-64 code. Organisations, texts and
listed entries are stored once and referred to by number. `page_data` documents the format;
``site_templates/assets/verwijswijzer.js`` reads it and `read_page` is the same reader in Python.
Municipalities are independent: with many of them, `build_verwijswijzer` spreads them over the
cores (generator.parallel), and what the national organisations contribute is computed once. A
build asks `page_text` per municipality, in the same round of worker processes as the chain scan
(pipeline.analyse).
"""

from __future__ import annotations

from generator.analyse.verwijs.engine import (
    MAX_LANDELIJK, MAX_ORGANISATIES, PART_ORDER, SCORE_VOORRANG, PackingError, verwijs, verwijs_alle,
)
from generator.analyse.verwijs.pagefile import (
    ALPHABET, FORMAT_VERSION, build_verwijswijzer, page_data, page_json, page_order, page_text, read_page,
)
from generator.analyse.verwijs.rules import (
    AXES, JA, SKIP, Bijdrage, Instrument, Profiel, Vraag, alle_profielen, helpt_zelf, keuzes, profiel_doelgroepen,
    verwijsbaar, vragen,
)
from generator.analyse.verwijs.texts import as_text, toegang

__all__ = [
    "ALPHABET", "AXES", "FORMAT_VERSION", "JA", "MAX_LANDELIJK", "MAX_ORGANISATIES", "PART_ORDER", "PROFIEL_DOELGROEPEN",
    "SCORE_VOORRANG", "SKIP", "Bijdrage", "Instrument", "PackingError", "Profiel", "Vraag", "alle_profielen", "as_text",
    "build_verwijswijzer", "helpt_zelf", "keuzes", "page_data", "page_json", "page_order", "page_text",
    "profiel_doelgroepen", "read_page",
    "toegang", "verwijs", "verwijs_alle", "verwijsbaar", "vragen",
]


def __getattr__(name: str):
    """PROFIEL_DOELGROEPEN: the target groups asked about in the engine's vocabulary (vraag: ja)."""
    if name == "PROFIEL_DOELGROEPEN":
        return profiel_doelgroepen()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

