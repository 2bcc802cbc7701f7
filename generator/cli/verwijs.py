"""`ketenkaart verwijs`: the verwijswijzer on the command line, with the same answer as the page."""

from __future__ import annotations

from generator.cli.gemeente import unknown_chain
from generator.cli.common import load_or_report, project_of, project_options

import argparse
import json
import sys

from generator.analyse import verwijs
from generator.graph.build import build_graph
from generator.load.loader import gemeente_keuzes, listing, suggestion, zoek_gemeente


def _choice(name: str, values: tuple[str, ...]):
    def check(value: str) -> str:
        if value in values:
            return value
        raise argparse.ArgumentTypeError(
            f"onbekende waarde '{value}' voor {name}; kies uit: {', '.join(values)}." + suggestion(value, list(values)))
    check.__name__ = name
    return check


def register(subparsers) -> None:
    keuzes = verwijs.keuzes()
    sp = subparsers.add_parser(
        "verwijs", help="waar verwijs ik deze hulpvrager naar?",
        description="Geeft voor een korte schets van de hulpvrager eerst de eerste stap (bij wie u aanmeldt, "
                    "hoe, en bij wie u dat kunt navragen), dan de organisaties die passen (beste eerst), de route "
                    "in de keten, de wettelijke termijn, bruikbare instrumenten, landelijke diensten en de "
                    "antwoorden die hier geen verschil maken. Elke vraag mag u weglaten. Hetzelfde antwoord als "
                    "de verwijswijzer op de site.")
    project_options(sp)
    sp.add_argument("--gemeente", metavar="NAAM_OF_CBS_CODE", help="de gemeente, bijvoorbeeld Zwolle of GM0193")
    for axis in verwijs.AXES:
        sp.add_argument(f"--{axis}", type=_choice(axis, keuzes[axis]), metavar="|".join(keuzes[axis]))
    sp.add_argument("--urgent", action="store_true",
                    help="er is een dreigende situatie (huisuitzetting, afsluiting van energie of water, "
                         "opzegging van de zorgverzekering)")
    sp.add_argument("--doelgroep", action="append", default=[], type=_choice("doelgroep", keuzes["doelgroep"]),
                    metavar="|".join(keuzes["doelgroep"]), help="mag vaker voorkomen")
    sp.add_argument("--fase", type=_choice("fase", keuzes["fase"]), metavar="|".join(keuzes["fase"]))
    sp.add_argument("--json", action="store_true", help="het antwoord als JSON")
    sp.set_defaults(func=cmd_verwijs)


def _usage_error(message: str) -> int:
    print(f"ketenkaart verwijs: fout: {message}", file=sys.stderr)
    return 2


def cmd_verwijs(args: argparse.Namespace) -> int:
    dataset = load_or_report(project_of(args))
    if dataset is None:
        return 1
    choices = gemeente_keuzes(dataset)
    if not args.gemeente:
        return _usage_error(f"kies een gemeente met --gemeente; mogelijk zijn: {listing(choices, 30)}.")
    keten = zoek_gemeente(dataset, args.gemeente)
    if keten is None:
        return _usage_error(unknown_chain(dataset, args.gemeente))
    profiel = verwijs.Profiel(
        leerbaarheid=args.leerbaarheid, problematiek=args.problematiek, schulden=args.schulden,
        vertrouwen=args.vertrouwen, urgent=args.urgent, doelgroepen=frozenset(args.doelgroep), fase=args.fase)
    answer = verwijs.verwijs(dataset, build_graph(dataset), keten, profiel)
    if args.json:
        print(json.dumps(answer, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(verwijs.as_text(answer))
    return 0
