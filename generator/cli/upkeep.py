"""`ketenkaart verouderd`: the records checked longer ago than the project allows (generator.upkeep)."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json

from generator import pipeline
from generator.cli.common import load_or_report, project_of, project_options, say
from generator.domain.vocab import meervoud
from generator.upkeep import stale


def register(sub: argparse._SubParsersAction) -> None:
    sp = sub.add_parser("verouderd", help="welke gegevens zijn te lang niet gecontroleerd?",
                        description="Toont per gemeente de keten- en organisatiebestanden die langer geleden zijn "
                                    "gecontroleerd dan de site toestaat (extra: ketenkaart: verouderd_na_maanden "
                                    "in mkdocs.yml, standaard 12), de oudste eerst.")
    project_options(sp)
    sp.add_argument("--maanden", type=int, metavar="N", help="gebruik N maanden in plaats van de instelling")
    sp.add_argument("--json", action="store_true", help="de lijst als JSON")
    sp.set_defaults(func=cmd_verouderd)


def cmd_verouderd(args: argparse.Namespace) -> int:
    project = project_of(args)
    dataset = load_or_report(project)
    if dataset is None:
        return 1
    settings, _errors = pipeline.settings(project)
    if args.maanden is not None:
        if not 1 <= args.maanden <= 120:
            print("ketenkaart verouderd: fout: --maanden verwacht een aantal van 1 tot 120")
            return 2
        settings = dataclasses.replace(settings, verouderd_na_maanden=args.maanden)
    vandaag = dt.date.today()
    rows = stale(dataset, settings, vandaag)
    if args.json:
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        say(f"Alles is de afgelopen {settings.verouderd_na_maanden} maanden gecontroleerd.")
        return 0
    print(f"Gecontroleerd meer dan {settings.verouderd_na_maanden} maanden voor {vandaag.isoformat()}:")
    current = None
    for row in rows:
        if row.groep != current:
            current = row.groep
            print(f"\n{row.groepnaam}" + (f" ({row.groep})" if row.groep.startswith("GM") else ""))
        print(f"  {row.gecontroleerd:<10}  {row.naam}  ({row.bestand})")
    say(f"\n{meervoud(len(rows), 'bestand', 'bestanden')} om opnieuw te controleren; werk daarna 'gecontroleerd' bij.")
    return 0
