"""`ketenkaart nieuw gemeente`: start a chain file for a real municipality.

The name or CBS code is checked against the official list (generator/domain/gemeenten.yaml): an
unknown name gets the nearest real municipality as a suggestion, a code or name of a municipality
that merged since 2019 gets "opgegaan in ...", both with exit status 2 and nothing written. The
new chain file is checked by the loader together with the rest of the data folder before it is
written. Without --naam or --cbs the command asks (one answer per line, so answers can be piped).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import yaml

from generator.cli.common import load_or_report, project_of, project_options, say
from generator.domain import gemeenten
from generator import pipeline
from generator.load.loader import slugify
from generator.project import CHAIN_DIR


def hint(tekst: str) -> str:
    """For a command that needs a chain file: how to create one for the municipality `tekst`,
    or an empty string when `tekst` is no real municipality."""
    code = gemeenten.zoek(tekst)
    if code is None:
        return ""
    return (f" {gemeenten.naam(code)} ({code}) heeft nog geen ketenbestand; maak er een met: "
            f"ketenkaart nieuw gemeente --cbs {code}")


def unknown_chain(dataset, wanted: str) -> str:
    """What a command says when `wanted` names no chain in the data: the choices, the nearest
    name, and how to create a chain file when it is a real municipality without one."""
    from generator.load.loader import gemeente_keuzes, gemeente_suggestie, listing

    return (f"onbekende gemeente '{wanted}'; kies uit: {listing(gemeente_keuzes(dataset), 30)}."
            + gemeente_suggestie(dataset, wanted) + hint(wanted))


def resolve(naam: str | None, cbs: str | None) -> tuple[str | None, str | None]:
    """(code, None) for a current municipality, or (None, the Dutch reason) for anything else."""
    given = cbs or naam or ""
    if gemeenten.zoek_opgeheven(given):
        return None, gemeenten.melding_opgeheven(gemeenten.zoek_opgeheven(given))
    code = gemeenten.zoek(given)
    if code is not None and (cbs is None or naam is None or gemeenten.zoek(naam) == code):
        return code, None
    if code is not None:
        return None, f"--naam '{naam}' en --cbs {cbs} zijn niet dezelfde gemeente ({cbs} is {gemeenten.naam(code)})"
    if cbs is not None:
        return None, (f"'{cbs}' is geen CBS-gemeentecode van {gemeenten.PEILDATUM}; verwacht GM en vier cijfers, "
                      "zoals GM0150 (Deventer)")
    suggestion = gemeenten.suggestie(given)
    return None, (f"'{given}' is geen Nederlandse gemeente volgens de CBS-lijst van {gemeenten.PEILDATUM}."
                  + (f" Bedoelde u '{suggestion}'?" if suggestion else ""))


def chain_text(code: str, beschrijving: str, bron: str) -> str:
    naam = gemeenten.naam(code)
    data = {"gemeente": naam, "cbs": code, "beschrijving": beschrijving, "bron": {"titel": bron},
            "gecontroleerd": dt.date.today().isoformat()}
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=88)
    return (f"# Ketenbestand van de gemeente {naam}, gemaakt met 'ketenkaart nieuw gemeente' op "
            f"{dt.date.today().isoformat()}.\n"
            "# Vul aan wat u weet (haal dan het hekje weg); 'ketenkaart schema keten' toont elk veld:\n"
            "# regie: id-van-de-organisatie-die-de-regie-heeft\n"
            "# toegang: id-van-het-centrale-toegangspunt\n"
            "# routes:\n"
            "#   - naam: Met schulden via het toegangspunt naar de schuldhulpverlening\n"
            "#     voorwaarde: {schulden: [beperkt, problematisch]}\n"
            "#     stappen: [id-toegangspunt, id-schuldhulpverlening]\n"
            + body)


def _ask(question: str) -> str:
    sys.stdout.write(f"{question}: ")
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    if not sys.stdin.isatty():
        print(line.strip())
    return line.strip()


def cmd_nieuw_gemeente(args: argparse.Namespace) -> int:
    project = project_of(args)
    naam, cbs, beschrijving = args.naam, args.cbs, args.beschrijving
    try:
        while True:
            if naam is None and cbs is None:
                answer = _ask("Gemeente (naam of CBS-code)")
                naam, cbs = (None, answer) if answer.upper().startswith("GM") else (answer, None)
            code, problem = resolve(naam, cbs)
            if code is not None:
                break
            if args.naam is not None or args.cbs is not None:  # given on the command line: no second try
                print(f"ketenkaart nieuw gemeente: fout: {problem}", file=sys.stderr)
                return 2
            print(f"  {problem}")
            naam = cbs = None
        if beschrijving is None and args.naam is None and args.cbs is None:
            beschrijving = _ask("Beschrijving: hoe werkt de keten in deze gemeente (één alinea)")
    except EOFError:
        print("\nDe invoer stopte voordat alle vragen beantwoord waren; er is niets geschreven.", file=sys.stderr)
        return 2
    gemeente = gemeenten.naam(code)
    target = project.data / CHAIN_DIR / f"{slugify(gemeente)}.yaml"
    dataset = load_or_report(project) if project.data.is_dir() else None
    if dataset is not None and code in dataset.ketens:
        print(f"ketenkaart nieuw gemeente: {gemeente} ({code}) heeft al een ketenbestand: "
              f"{dataset.ketens[code].bestand}; er is niets geschreven.")
        return 1
    if target.exists():
        print(f"ketenkaart nieuw gemeente: {target} bestaat al; er is niets geschreven.")
        return 1
    text = chain_text(code, beschrijving or f"De keten van schulddienstverlening in {gemeente}.",
                      args.bron or f"Gegevens van de gemeente {gemeente}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    _dataset, errors = pipeline.check(project)
    own = [e for e in errors if e.path.endswith(target.name)]
    if own:
        target.unlink()
        for error in own:
            print(error)
        say("Het ketenbestand klopt niet; er is niets geschreven.")
        return 1
    print(f"Geschreven: {target}")
    say(f"Voeg nu organisaties toe met: ketenkaart nieuw organisatie (gemeente: {gemeente} of {code}).")
    return 0


def register_nieuw(what: argparse._SubParsersAction) -> None:
    """`ketenkaart nieuw gemeente`, added to the `nieuw` group (generator/cli/exchange.py)."""
    sp = what.add_parser("gemeente", help="een nieuw ketenbestand voor een gemeente",
                         description="Maakt organisaties/gemeenten/<gemeente>.yaml voor een gemeente uit de "
                                     f"CBS-lijst van {gemeenten.PEILDATUM}. Zonder --naam of --cbs stelt het "
                                     "commando de vragen.")
    project_options(sp)
    sp.add_argument("--naam", metavar="NAAM", help="de naam van de gemeente, bijvoorbeeld Deventer")
    sp.add_argument("--cbs", metavar="GMXXXX", help="de CBS-code van de gemeente, bijvoorbeeld GM0150")
    sp.add_argument("--beschrijving", metavar="TEKST", help="hoe de keten in deze gemeente werkt (één alinea)")
    sp.add_argument("--bron", metavar="TEKST", help="waar de gegevens vandaan komen (standaard: de gemeente zelf)")
    sp.set_defaults(func=cmd_nieuw_gemeente)
