"""A clearly fictitious national data set for benchmarks: every organisation says `fictief: ja`.

`write_dataset(folder, n_gemeenten=342, per_gemeente=30, seed=2019)` writes valid Ketenkaart data
files (the same layout as organisaties/) into folder and returns that folder:

    folder/gemeenten/<slug>.yaml      one chain file per municipality
    folder/<slug>/<id>.yaml           per_gemeente local organisations per municipality
    folder/regionaal/<id>.yaml        drinking-water companies, each serving a region
    folder/landelijk/<id>.yaml        national services and national signal partners

Municipality names ("Fictiefdorp 001", ...) and CBS codes (GM9001, ...) are invented, so nobody
can mistake the data for a real chain; GM9xxx is not a code CBS uses. The relations follow the
shape of real chains (wijkteams and walk-in points refer to a central access point, sociaal
raadslieden sort cases, the municipal debt service takes everyone with debts, landlords, energy,
water and health-insurance companies send early signals), with seeded random variation: some
municipalities have no central access point, no aftercare, a referral loop or a walk-in point
that refers nobody on. The same seed always gives the same files.

The signature of write_dataset is stable: other benchmarks import it.
"""

from __future__ import annotations

import random
import string
import sys
from pathlib import Path

import yaml

try:  # the C emitter is several times faster; PyYAML without libyaml still works
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper

NAAM_PREFIX = ("Fictiefdorp", "Verzonnenstad", "Nergensveen", "Denkbeeldwijk")
BRON = {"titel": "Fictieve gegevens voor metingen (benchmarks/fictief.py); geen echte organisatie"}
GECONTROLEERD = "2026-01"
HEADER = "# FICTIEF: verzonnen gegevens voor metingen van Ketenkaart. Geen echte organisatie of gemeente.\n"
FASEN = ("preventie", "vroegsignalering", "stabilisatie", "minnelijk", "wsnp", "nazorg")
FILLERS = (  # (id stem, name, kind, who helps, services, phases, target groups)
    ("buurthuis", "Buurthuis", "vrijwilligersorganisatie", "vrijwilligers", ["inloopspreekuur", "voorlichting"], ["preventie"], []),
    ("diaconie", "Diaconaal Steunpunt", "vrijwilligersorganisatie", "vrijwilligers", ["thuisadministratie", "budgetbegeleiding"], ["preventie", "stabilisatie"], []),
    ("geldcafe", "Geldcafé", "vrijwilligersorganisatie", "vrijwilligers", ["inloopspreekuur", "formulieren"], ["preventie", "vroegsignalering"], []),
    ("cursus-geldzaken", "Cursus Geldzaken", "vrijwilligersorganisatie", "beide", ["groepsaanbod"], ["preventie", "nazorg"], []),
    ("seniorenadvies", "Seniorenadvies", "professionele-organisatie", "beide", ["formulieren", "clientondersteuning"], ["preventie", "stabilisatie"], ["ouderen"]),
    ("mantelzorgpunt", "Mantelzorgpunt", "professionele-organisatie", "beroepskrachten", ["clientondersteuning"], ["stabilisatie"], []),
    ("statushouders", "Steunpunt Nieuwkomers", "vrijwilligersorganisatie", "vrijwilligers", ["thuisadministratie", "taal-en-rekenen"], ["preventie", "stabilisatie"], ["laaggeletterd"]),
    ("lvb-steunpunt", "Steunpunt Eigen Regie", "professionele-organisatie", "beroepskrachten", ["budgetbegeleiding", "huisbezoek"], ["stabilisatie", "nazorg"], ["lvb"]),
)


def _gemeenten(n: int) -> list[tuple[str, str, str]]:
    """(name, slug, CBS code) for n fictitious municipalities."""
    if not 1 <= n <= 999:
        raise ValueError("n_gemeenten moet tussen 1 en 999 liggen (codes GM9001 tot GM9999)")
    result = []
    for i in range(1, n + 1):
        prefix = NAAM_PREFIX[(i - 1) % len(NAAM_PREFIX)]
        result.append((f"{prefix} {i:03d}", f"{prefix.lower()}-{i:03d}", f"GM{9000 + i}"))
    return result


def _org(id_: str, naam: str, soort: str, gemeenten, inzet: str, beschrijving: str, diensten, fasen,
         **extra) -> dict:
    record = {"id": id_, "naam": f"{naam} (fictief)", "soort": soort, "gemeenten": gemeenten, "inzet": inzet,
              "beschrijving": beschrijving, "diensten": list(diensten), "fasen": list(fasen)}
    for key in ("doelgroepen", "profielen", "duur", "toegang", "spoed", "website",
                "verwijst", "werkt-samen", "signaleert"):
        if extra.get(key):
            record[key] = extra[key]
    record.update({"bron": BRON, "gecontroleerd": GECONTROLEERD, "fictief": True})
    return record


def _ref(naar: str, wanneer: str | None = None, warm: bool = False) -> dict:
    item: dict = {"naar": naar}
    if wanneer:
        item["wanneer"] = wanneer
    if warm:
        item["warm"] = True
    return item


def _local(naam: str, slug: str, code: str, per_gemeente: int, rng: random.Random) -> tuple[list[dict], dict, dict]:
    """The organisations of one municipality, its chain file, and its vroegsignalering hub (or None)."""
    g = [code]
    ids = {
        "loket": f"geldloket-{slug}", "shv": f"schulddienstverlening-{slug}", "raad": f"sociaal-raadslieden-{slug}",
        "vroeg": f"vroegsignalering-{slug}", "bewind": f"beschermingsbewind-{slug}", "budget": f"budgetcoaching-{slug}",
        "form": f"formulierenhulp-{slug}", "mw": f"maatschappelijk-werk-{slug}", "taal": f"taalhuis-{slug}",
        "jong": f"jongerenloket-{slug}", "ondern": f"ondernemerspunt-{slug}", "nazorg": f"nazorg-{slug}",
        "wsnp": f"wsnp-bewind-{slug}", "huisarts": f"huisartsen-{slug}",
    }
    has_loket = rng.random() < 0.8
    has_nazorg = rng.random() < 0.7
    loop = rng.random() < 0.05
    wijkteams = [f"wijkteam-{k}-{slug}" for k in range(1, rng.randint(1, 4) + 1)]
    corporaties = [f"woningcorporatie-{k}-{slug}" for k in range(1, rng.randint(1, 2) + 1)]
    admins = [f"thuisadministratie-{k}-{slug}" for k in range(1, rng.randint(2, 4) + 1)]
    entry = ids["loket"] if has_loket else ids["raad"]
    orgs: list[dict] = []

    orgs.append(_org(
        ids["shv"], f"Schulddienstverlening {naam}", "gemeentelijke-dienst", g, "beroepskrachten",
        "De gemeentelijke schuldhulpverlening, met de regie over de keten.",
        ["schuldhulpverlening", "regie"], ["stabilisatie", "minnelijk"] + (["nazorg"] if rng.random() < 0.3 else []),
        doelgroepen=["problematische-schulden"], profielen={"schulden": ["beperkt", "problematisch"]},
        toegang=["verwijzing", "telefoon"],
        verwijst=[_ref(ids["wsnp"], "Het minnelijk traject is mislukt"), _ref(ids["budget"], "Na de schuldregeling")]
        + ([_ref(ids["nazorg"], "Na afloop van het traject", warm=True)] if has_nazorg else [])
        + ([_ref(ids["loket"], "Past niet in een traject: terug naar het loket")] if loop and has_loket else []),
        **{"werkt-samen": [ids["raad"]]},
    ))
    if has_loket:
        orgs.append(_org(
            ids["loket"], f"Geldloket {naam}", "samenwerkingsverband", g, "beide",
            "Centraal aanmeldpunt voor vragen over geld en papieren.", ["aanmelding", "inloopspreekuur"],
            ["preventie", "vroegsignalering", "stabilisatie"], toegang=["telefoon", "website", "inloop"],
            verwijst=[_ref(ids["raad"], "Elke aanmelding", warm=True),
                      _ref(ids["shv"], "Er zijn schulden")],
            **{"werkt-samen": wijkteams[:1]},
        ))
    orgs.append(_org(
        ids["raad"], f"Sociaal Raadslieden {naam}", "professionele-organisatie", g, "beroepskrachten",
        "Gratis advies bij ingewikkelde en dringende vragen over geld en regelingen.",
        ["sociaal-juridisch-advies", "formulieren"], ["stabilisatie"], profielen={"problematiek": ["complex"]},
        spoed=rng.random() < 0.7, toegang=["verwijzing"] + (["telefoon"] if not has_loket else []),
        verwijst=[_ref(ids["shv"], "Er zijn schulden", warm=True), _ref(ids["bewind"], "Minder leerbaar met problematische schulden"),
                  _ref(ids["mw"], "Veel problemen tegelijk")]
        + [_ref(a, "Leerbaar; wil de eigen administratie leren bijhouden") for a in admins]
        + ([_ref("landelijk-juridisch-steunpunt", "Juridische vraag over een vordering")] if rng.random() < 0.5 else []),
    ))
    for k, wt in enumerate(wijkteams, 1):
        orgs.append(_org(
            wt, f"Wijkteam {k} {naam}", "wijkteam", g, "beide", "Sociaal wijkteam met een inloopspreekuur.",
            ["aanmelding", "inloopspreekuur"], ["preventie", "vroegsignalering"], toegang=["inloop"],
            verwijst=[_ref(entry, "Vragen over geld en administratie")], **{"werkt-samen": [ids["raad"]]},
        ))
    vroeg_refs = [_ref(entry if has_loket else ids["shv"], "Na contact: de inwoner wil hulp")]
    orgs.append(_org(
        ids["vroeg"], f"Vroegsignalering {naam}", "samenwerkingsverband", g, "beroepskrachten",
        "Gaat op huisbezoek bij inwoners met een betalingsachterstand.", ["vroegsignalering", "huisbezoek"],
        ["vroegsignalering"], verwijst=vroeg_refs if rng.random() < 0.9 else None,
    ))
    for k, wc in enumerate(corporaties, 1):
        orgs.append(_org(
            wc, f"Woningcorporatie {k} {naam}", "signaalpartner", g, "beroepskrachten",
            "Woningcorporatie; geeft huurachterstanden door.", ["vroegsignalering"], ["vroegsignalering"],
            signaleert=[_ref(ids["vroeg"], "Huurachterstand van twee maanden")],
        ))
    orgs.append(_org(
        ids["huisarts"], f"Huisartsen {naam}", "signaalpartner", g, "beroepskrachten",
        "Huisartsen die geldzorgen bij patiënten helpen signaleren.", ["vroegsignalering"], ["vroegsignalering"],
        signaleert=[_ref(ids["vroeg"], "Geldzorgen in de spreekkamer")] if rng.random() < 0.5 else None,
    ))
    for k, adm in enumerate(admins, 1):
        leer = rng.choice([["leerbaar"], ["leerbaar"], ["minder-leerbaar"]])
        fasen = ["preventie"] + [f for f in ("vroegsignalering", "stabilisatie", "minnelijk", "nazorg") if rng.random() < 0.5]
        orgs.append(_org(
            adm, f"Thuisadministratie {k} {naam}", "vrijwilligersorganisatie", g, "vrijwilligers",
            "Vrijwilligers helpen de administratie op orde te brengen en te houden.", ["thuisadministratie"],
            fasen, profielen={"leerbaarheid": leer}, duur=rng.choice(["kort", "jaar", "langdurig"]),
            toegang=["verwijzing"] + (["inloop"] if rng.random() < 0.3 else []),
            **{"werkt-samen": [a for a in admins if a != adm][:2] + ([ids["loket"]] if has_loket else [])},
        ))
    orgs.append(_org(
        ids["bewind"], f"Beschermingsbewind {naam}", "professionele-organisatie", g, "beroepskrachten",
        "Bewindvoerders die op last van de kantonrechter het geld beheren.", ["beschermingsbewind"],
        ["stabilisatie", "minnelijk", "wsnp"], profielen={"leerbaarheid": ["minder-leerbaar"]}, duur="langdurig",
        toegang=["verwijzing"],
    ))
    orgs.append(_org(
        ids["budget"], f"Budgetcoaching {naam}", "vrijwilligersorganisatie", g, "vrijwilligers",
        "Budgetcoaches helpen rondkomen van het inkomen.", ["budgetbegeleiding"],
        ["stabilisatie", "nazorg"] if rng.random() < 0.6 else ["stabilisatie"], duur="jaar", toegang=["verwijzing", "telefoon"],
    ))
    orgs.append(_org(
        ids["form"], f"Formulierenhulp {naam}", "vrijwilligersorganisatie", g, "vrijwilligers",
        "Hulp bij formulieren en toeslagen.", ["formulieren", "inloopspreekuur"], ["preventie", "stabilisatie"],
        toegang=["inloop"], verwijst=[_ref(entry, "Er is meer aan de hand dan een formulier")] if rng.random() < 0.85 else None,
    ))
    orgs.append(_org(
        ids["mw"], f"Maatschappelijk Werk {naam}", "professionele-organisatie", g, "beroepskrachten",
        "Maatschappelijk werkers bij meerdere problemen tegelijk.", ["clientondersteuning", "huisbezoek"],
        ["stabilisatie", "nazorg"], profielen={"problematiek": ["complex"]}, toegang=["verwijzing", "telefoon"],
        verwijst=[_ref(ids["shv"], "Er zijn problematische schulden")],
    ))
    orgs.append(_org(
        ids["wsnp"], f"WSNP-bewindvoering {naam}", "professionele-organisatie", g, "beroepskrachten",
        "Bewindvoerders in de wettelijke schuldsanering.", ["beschermingsbewind", "juridisch-advies"], ["wsnp"],
        profielen={"schulden": ["problematisch"]}, toegang=["verwijzing"],
    ))
    if has_nazorg:
        orgs.append(_org(
            ids["nazorg"], f"Nazorg Geldzaken {naam}", "vrijwilligersorganisatie", g, "vrijwilligers",
            "Steun na een schuldregeling, zodat er geen nieuwe schulden komen.", ["budgetbegeleiding", "groepsaanbod"],
            ["nazorg"], profielen={"leerbaarheid": ["leerbaar"]} if rng.random() < 0.4 else None, duur="jaar",
            toegang=["verwijzing"],
        ))
    optional = [
        (ids["taal"], f"Taalhuis {naam}", "vrijwilligersorganisatie", "vrijwilligers", ["taal-en-rekenen"], ["preventie"], ["laaggeletterd"]),
        (ids["jong"], f"Jongerenloket Geld {naam}", "professionele-organisatie", "beroepskrachten", ["voorlichting", "budgetbegeleiding"], ["preventie", "stabilisatie"], ["jongeren"]),
        (ids["ondern"], f"Ondernemerspunt {naam}", "professionele-organisatie", "beroepskrachten", ["schuldhulpverlening"], ["stabilisatie", "minnelijk"], ["ondernemer"]),
    ]
    for oid, onaam, soort, inzet, diensten, fasen, doelgroepen in optional:
        orgs.append(_org(oid, onaam, soort, g, inzet, "Aanbod voor een bijzondere doelgroep.", diensten, fasen,
                         doelgroepen=doelgroepen, toegang=["telefoon", "website"], website=None,
                         verwijst=[_ref(entry, "Vragen buiten het eigen aanbod")]))
    k = 0
    fillers = list(FILLERS)
    rng.shuffle(fillers)
    while len(orgs) < per_gemeente:
        k += 1
        stem, fnaam, soort, inzet, diensten, fasen, doelgroepen = fillers[(k - 1) % len(fillers)]
        refers = rng.random() < 0.9
        orgs.append(_org(
            f"{stem}-{k}-{slug}", f"{fnaam} {k} {naam}", soort, g, inzet, "Lokaal aanbod rond geldzaken.", diensten, fasen,
            doelgroepen=doelgroepen, toegang=["inloop"] if "inloopspreekuur" in diensten else ["telefoon"],
            verwijst=[_ref(entry, "Vragen over geld buiten het eigen aanbod")]
            + ([_ref("landelijke-geldlijn", "Zelf verder met informatie")] if rng.random() < 0.3 else []) if refers else None,
        ))
    orgs = orgs[:max(per_gemeente, 1)]
    present = {o["id"] for o in orgs}
    for o in orgs:  # with a small per_gemeente some targets were cut: drop links to them
        for key in ("verwijst", "werkt-samen", "signaleert"):
            if key in o:
                o[key] = [r for r in o[key] if (r["naar"] if isinstance(r, dict) else r) in present | NATIONAL_IDS]
                if not o[key]:
                    del o[key]
    keten = {
        "gemeente": naam, "cbs": code,
        "regie": ids["shv"] if ids["shv"] in present else None,
        "toegang": entry if entry in present and (has_loket or rng.random() < 0.5) else None,
        "beschrijving": f"Fictieve keten van {naam}, gemaakt voor metingen. Geen echte gemeente.",
        "routes": [{"naam": "Met schulden via het loket en de sociaal raadslieden naar de schulddienstverlening",
                    "voorwaarde": {"schulden": ["beperkt", "problematisch"]},
                    "stappen": [s for s in (ids["loket"] if has_loket else None, ids["raad"], ids["shv"]) if s and s in present],
                    "warm": True}],
        "bron": BRON, "gecontroleerd": GECONTROLEERD, "fictief": True,
    }
    keten = {k2: v for k2, v in keten.items() if v is not None}
    if not keten["routes"][0]["stappen"]:
        del keten["routes"]
    return orgs, keten, ids["vroeg"] if ids["vroeg"] in present else None


NATIONAL_IDS = {"landelijke-geldlijn", "landelijk-juridisch-steunpunt", "landelijke-groepstraining"}


def _national(hubs: list[tuple[str, str | None]], rng: random.Random) -> list[tuple[str, dict]]:
    """National services and signal partners, and regional drinking-water companies."""
    out: list[tuple[str, dict]] = []
    land = "landelijk"
    out.append((land, _org("landelijke-geldlijn", "Landelijke Geldlijn", "landelijke-dienst", land, "beide",
                           "Website en telefoonlijn met tests en stappenplannen bij geldzorgen.", ["zelfhulp", "aanmelding"],
                           ["preventie", "vroegsignalering"], toegang=["website", "telefoon"])))
    out.append((land, _org("landelijk-juridisch-steunpunt", "Landelijk Juridisch Steunpunt", "landelijke-dienst", land,
                           "beroepskrachten", "Gratis juridisch advies onder een inkomensgrens.", ["juridisch-advies"],
                           ["minnelijk", "wsnp"], profielen={"problematiek": ["complex"]}, toegang=["telefoon", "website"])))
    out.append((land, _org("landelijke-groepstraining", "Landelijke Groepstraining Geld", "landelijke-dienst", land,
                           "vrijwilligers", "Groepstrainingen om geldproblemen te voorkomen.", ["groepsaanbod"], ["preventie"],
                           toegang=["website"])))
    targets = [hub for _code, hub in hubs if hub]
    for letter in "ABC":
        out.append((land, _org(f"energieleverancier-{letter.lower()}", f"Energieleverancier {letter}", "signaalpartner", land,
                               "beroepskrachten", "Energieleverancier; geeft betalingsachterstanden door.", ["vroegsignalering"],
                               ["vroegsignalering"], signaleert=[_ref(t, "Betalingsachterstand energie") for t in targets])))
        out.append((land, _org(f"zorgverzekeraar-{letter.lower()}", f"Zorgverzekeraar {letter}", "signaalpartner", land,
                               "beroepskrachten", "Zorgverzekeraar; geeft premieachterstanden door.", ["vroegsignalering"],
                               ["vroegsignalering"], signaleert=[_ref(t, "Premieachterstand zorgverzekering") for t in targets])))
    regions = 6
    for r in range(regions):
        part = hubs[r::regions]
        if not part:
            continue
        out.append(("regionaal", _org(
            f"drinkwaterbedrijf-{string.ascii_lowercase[r]}", f"Drinkwaterbedrijf {string.ascii_uppercase[r]}", "signaalpartner",
            [code for code, _hub in part], "beroepskrachten", "Drinkwaterbedrijf; geeft betalingsachterstanden door.",
            ["vroegsignalering"], ["vroegsignalering"],
            signaleert=[_ref(hub, "Betalingsachterstand drinkwater") for _code, hub in part if hub and rng.random() < 0.95])))
    return out


def _dump(path: Path, record: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(record, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
    path.write_text(HEADER + text, encoding="utf-8")


def write_dataset(folder, n_gemeenten: int = 342, per_gemeente: int = 30, seed: int = 2019) -> Path:
    """Write a fictitious national data set into folder (created if needed) and return it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    hubs: list[tuple[str, str | None]] = []
    for naam, slug, code in _gemeenten(n_gemeenten):
        rng = random.Random(f"{seed}-{code}")
        orgs, keten, hub = _local(naam, slug, code, per_gemeente, rng)
        for org in orgs:
            _dump(folder / slug / f"{org['id']}.yaml", org)
        _dump(folder / "gemeenten" / f"{slug}.yaml", keten)
        hubs.append((code, hub))
    for sub, org in _national(hubs, random.Random(f"{seed}-landelijk")):
        _dump(folder / sub / f"{org['id']}.yaml", org)
    return folder


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("fictief")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 342
    print(write_dataset(target, n_gemeenten=count))
