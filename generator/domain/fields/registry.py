"""The registry itself: every field of organisation and chain files, declared once.

To add an optional field to organisation files, add one `Field(...)` line to ORGANISATIE_FIELDS
(and, to show it, a line in site_templates/organisatie.md.j2).
"""

from __future__ import annotations

from generator.domain.fields.kinds import *  # noqa: F401,F403
from generator.domain.fields.records import Field, Record


# == the registry ===================================================================================

CONTACT_FIELDS = (
    Field("telefoon", Text(300), "Telefoonnummer.", hsds=NATIVE, example="0800 1234"),
    Field("email", Text(300), "E-mailadres.", hsds=NATIVE, example="info@voorbeeld.nl"),
    Field("adres", Text(300), "Bezoekadres, als vrije tekst.", label="Adres (vrije tekst)",
          example="Straat 1, Plaats"),
    Field("spreekuur", Text(300), "Wanneer de organisatie spreekuur houdt of bereikbaar is.", hsds=NATIVE,
          example="dinsdag 10.00-12.00 uur"),
)

BRON_FIELDS = (
    Field("titel", Text(300), "Titel van de bron: een document, website of gesprek.", required=True,
          label="Bron", example="Gegevens van de organisatie zelf"),
    Field("url", Url(), "Webadres van de bron.", label="Webadres van de bron"),
)
BRON = Block(BRON_FIELDS, name="Bron", shorthand="titel")

RELATION_ITEM_FIELDS = (
    Field("naar", Slug(ref=True), "Id van de andere organisatie.", required=True),
    Field("wanneer", Text(500), "Wanneer, in gewone taal (bijvoorbeeld: Er zijn schulden)."),
    Field("warm", YesNo(), "ja als de overdracht warm is: samen, met de gegevens erbij."),
)

# The forms of warm handover into an organisation (ja when possible; left out: not known).
WARME_OVERDRACHT_FIELDS = (
    Field("gegevens", YesNo(), "ja als de verwijzer de gegevens van de hulpvrager, met diens toestemming, vooraf "
                               "mag doorgeven.", label="Gegevens doorgeven met toestemming"),
    Field("meegaan", YesNo(), "ja als de verwijzer mee mag naar het eerste gesprek.", label="Meegaan naar het "
                                                                                          "eerste gesprek"),
    Field("dossier", YesNo(), "ja als de verwijzer het dossier, met toestemming, kan overdragen.",
          label="Dossier overdragen"),
)

ORGANISATIE_FIELDS = (
    Field("id", Slug(), "Vaste naam van dit bestand en van de pagina: kleine letters, cijfers en streepjes, "
                        "gelijk aan de bestandsnaam; verandert nooit.",
          required=True, label="Ketenkaart-id", hsds_entity="organization", graph=NONE),
    Field("naam", Text(200), "Naam zoals de organisatie zichzelf noemt.", required=True, hsds=NATIVE, graph=NODE),
    Field("soort", Term("soorten"), "Soort organisatie: wat voor organisatie het is.", required=True, graph=NODE),
    Field("gemeenten", Gemeenten(), "CBS-codes van de gemeenten waar de organisatie werkt (zoals GM0193), "
                                    "of landelijk.",
          required=True, label="Gemeente (CBS-code of landelijk)", graph=NODE),
    Field("inzet", Term("inzet"), "Wie helpt: vrijwilligers, beroepskrachten of allebei.", required=True,
          graph=NODE),
    Field("beschrijving", Text(MAX_TEXT, paragraphs=True), "Wat de organisatie doet, in gewone taal.",
          required=True, hsds=NATIVE, graph=NONE),
    Field("diensten", Terms("diensten"), "Aanbod: wat de organisatie voor een hulpvrager doet.", required=True,
          graph=NODE),
    Field("fasen", Terms("fasen"), "Fasen van de schulddienstverlening waarin de organisatie helpt.",
          required=True, graph=NODE),
    Field("doelgroepen", Terms("doelgroepen"), "Doelgroepen waarop de organisatie zich richt; weglaten als "
                                               "ze iedereen helpt.", graph=NODE),
    Field("profielen", Profile(), "Alleen invullen als de organisatie niet iedereen helpt: per kenmerk de "
                                  "hulpvragers die ze helpt. Een kenmerk dat ontbreekt betekent: alle hulpvragers."),
    Field("duur", Term("duur"), "Hoe lang de steun duurt."),
    Field("toegang", Terms("toegang"), "Hoe hulpvragers binnenkomen."),
    Field("spoed", YesNo(), "ja als de organisatie ook helpt bij dringende of dreigende situaties "
                            "(huisuitzetting, afsluiting).", label="Helpt bij spoed (ja of nee)"),
    Field("contact", Block(CONTACT_FIELDS), "Openbare contactgegevens: alleen wat de organisatie zelf openbaar "
                                            "maakt.", graph=NONE),
    Field("website", Url(), "Webadres van de organisatie.", hsds=NATIVE),
    Field("verwijst", Relations("verwijst"), "Naar wie de organisatie doorverwijst (id), met wanneer en of de "
                                             "overdracht warm is.", attr="relaties", graph=NONE),
    Field("werkt-samen", Relations("werkt-samen"), "Met wie de organisatie samenwerkt (id's).", attr="relaties",
          graph=NONE, example=["id-van-een-andere-organisatie"]),
    Field("signaleert", Relations("signaleert"), "Aan wie de organisatie vroegsignalen doorgeeft (id's).",
          attr="relaties", graph=NONE, example=[{"naar": "id-van-een-andere-organisatie", "wanneer": "Huurachterstand"}]),
    Field("bron", BRON, "Waar deze gegevens vandaan komen.", required=True, graph=NONE),
    Field("gecontroleerd", Date(), "Wanneer de gegevens voor het laatst zijn gecontroleerd.", required=True,
          label="Laatst gecontroleerd", graph=NONE),
    Field("fictief", YesNo(), "ja voor verzonnen gegevens (tests en voorbeelden).", label="Fictieve gegevens",
          example="nee"),
    # How a professional refers (issue 12): separate from how the public gets in (toegang).
    Field("aanmelden", Text(500), "Hoe een beroepskracht iemand hier aanmeldt of doorverwijst: het formulier, het "
                                  "kanaal of de persoon. Los van hoe hulpvragers zelf binnenkomen (toegang).",
          label="Aanmelden door beroepskrachten", example="Via het aanmeldformulier voor verwijzers op de website"),
    Field("wachttijd", Text(300), "Wachttijd: hoe lang het meestal duurt tot het eerste gesprek, zoals de "
                                       "organisatie het zelf zegt.", label="Wachttijd tot het eerste gesprek",
          example="Meestal binnen twee weken"),
    Field("meenemen", Text(500), "Wat de hulpvrager meeneemt naar het eerste gesprek.", label="Meenemen",
          example="Legitimatiebewijs, loonstroken en brieven van schuldeisers"),
    Field("warme-overdracht", Block(WARME_OVERDRACHT_FIELDS), "Welke vormen van warme overdracht naar deze "
                                                              "organisatie mogelijk zijn.", label="Warme overdracht"),
)

ROUTE_FIELDS = (
    Field("naam", Text(300), "Wat de route is, in gewone taal.", required=True),
    Field("voorwaarde", Profile(spoed=True, fill=False), "Voor welke hulpvragers de route geldt: per kenmerk de "
                                                         "waarden; spoed: ja voor alleen dringende situaties."),
    Field("stappen", IdList("organisatie-id's, van eerste contact tot de organisatie die helpt"),
          "Id's van de organisaties, van eerste contact tot de organisatie die helpt.", required=True),
    Field("warm", YesNo(), "ja als de organisaties elkaar warm overdragen."),
)
ROUTE = Block(ROUTE_FIELDS, name="Route")

KETEN_FIELDS = (
    Field("gemeente", Text(100), "De naam van de gemeente.", required=True, attr="naam"),
    Field("cbs", Cbs(), "De CBS-gemeentecode, zoals GM0193.", required=True),
    Field("regie", Slug(ref=True), "Id van de organisatie met de regie over de keten."),
    Field("toegang", Slug(ref=True), "Id van het centrale toegangspunt."),
    Field("beschrijving", Text(MAX_TEXT, paragraphs=True), "Hoe de keten werkt, in gewone taal.", required=True),
    Field("routes", ListOf(ROUTE, "routes"), "Routes die de keten voorschrijft."),
    Field("bron", BRON, "Waar deze gegevens vandaan komen.", required=True),
    Field("gecontroleerd", Date(), "Wanneer de gegevens voor het laatst zijn gecontroleerd.", required=True),
    Field("fictief", YesNo(), "ja voor verzonnen gegevens (tests en voorbeelden)."),
    Field("niet-toegestaan", TermLines("bevindingen"), "Bevindingen van de ketenscan die `ketenkaart check "
                                                       "--strict` laten falen.", json=False),
)

ORGANISATIE = Record(
    "Organisatie", "organisatie", ORGANISATIE_FIELDS, extra=(("bestand", ""),),
    doc="One organisation (an organisation file); `bestand` is the file as messages show it.")
KETEN = Record(
    "Keten", "keten", KETEN_FIELDS, extra=(("slug", ""), ("bestand", "")),
    doc="The chain of one municipality (a chain file). `niet_toegestaan` holds the kinds of scan finding "
        "this chain does not allow, each with its line in the file.")

RECORDS = {"organisatie": ORGANISATIE, "keten": KETEN}

# The model classes (re-exported by generator.model).
Organisatie = ORGANISATIE.model
Keten = KETEN.model
Bron = BRON.model
Route = ROUTE.model

RELATION_KEYS = tuple(f.key for f in ORGANISATIE_FIELDS if isinstance(f.kind, Relations))
CONTACT_KEYS = tuple(f.key for f in CONTACT_FIELDS)
