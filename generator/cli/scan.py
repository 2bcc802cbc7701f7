"""`ketenkaart scan`: the chain scan's findings on the command line, and `check --strict`.

Per chain the findings, and how many of the chain's records were checked longer ago than the site
allows (the settings' verouderd_na_maanden on the day the command runs; generator.upkeep's rule).
"""

from __future__ import annotations

from generator.cli.gemeente import unknown_chain
from generator.cli.common import load_or_report, project_of, project_options

import argparse
import datetime as dt
import json
import sys

from generator import pipeline
from generator.analyse import scan as scan_stage
from generator.graph.build import build_graph
from generator.load.loader import zoek_gemeente
from generator.model import DataError, Dataset
from generator.domain.rules import vocab_of
from generator.upkeep import Threshold


def register(subparsers) -> None:
    sp = subparsers.add_parser(
        "scan", help="zoek gaten, overlap, verwijslussen en knelpunten in de ketens",
        description="De ketenscan: per gemeente de gaten en de overlap in het aanbod, verwijslussen, "
                    "doodlopende routes, knelpunten, onbereikbare organisaties en de verbinding met de "
                    "wettelijke signaalpartners, en hoeveel bestanden van de keten langer geleden zijn "
                    "gecontroleerd dan de site toestaat (verouderd_na_maanden in mkdocs.yml).")
    project_options(sp)
    sp.add_argument("--gemeente", metavar="NAAM_OF_CBS_CODE",
                    help="alleen deze gemeente, bijvoorbeeld Zwolle of GM0193 (standaard: alle gemeenten)")
    sp.add_argument("--json", action="store_true",
                    help="als JSON: 'bevindingen' (een lijst met gemeente, soort, organisaties, profiel, fase, "
                         "tekst, ...) en 'ketens' (per gemeente de verouderde bestanden)")
    sp.set_defaults(func=cmd_scan)


def as_json(reports: dict[str, scan_stage.ChainReport], dataset: Dataset, drempel: Threshold) -> dict:
    return {
        "peildatum": drempel.vandaag.isoformat(),
        "verouderd_na_maanden": drempel.maanden,
        "ketens": [{"gemeente": cbs, "gemeentenaam": dataset.ketens[cbs].naam,
                    **(r.bijhouden.as_dict() if r.bijhouden else {})} for cbs, r in reports.items()],
        "bevindingen": scan_stage.finding_rows(scan_stage.findings_of(reports), dataset),
    }


def as_text(reports: dict[str, scan_stage.ChainReport], dataset: Dataset) -> str:
    vocab = vocab_of(dataset)
    lines: list[str] = []
    for cbs, report in reports.items():
        keten = dataset.ketens[cbs]
        if lines:
            lines.append("")
        lines.append(f"Ketenscan {keten.naam} ({keten.cbs})")
        for f in report.findings:
            label = vocab.label("bevindingen", f.soort)
            lines.append(f"- [{label}{'' if f.aandacht else ', ter informatie'}] {f.tekst}")
        if report.bijhouden:
            lines.append(f"Bijhouden: {report.bijhouden.tekst()}")
            lines += [f"  {r.gecontroleerd:<10}  {r.naam}  ({r.bestand})" for r in report.bijhouden.verouderd]
    return "\n".join(lines) + "\n" if lines else "Geen ketens.\n"


def cmd_scan(args: argparse.Namespace) -> int:
    project = project_of(args)
    dataset = load_or_report(project)
    if dataset is None:
        return 1
    wanted = None
    if args.gemeente:
        keten = zoek_gemeente(dataset, args.gemeente)
        if keten is None:
            print(f"ketenkaart scan: fout: {unknown_chain(dataset, args.gemeente)}", file=sys.stderr)
            return 2
        wanted = [keten.cbs]
    drempel = pipeline.settings(project)[0].threshold(dt.date.today())
    reports = scan_stage.scan_reports(dataset, build_graph(dataset), gemeenten=wanted, drempel=drempel)
    if args.json:
        print(json.dumps(as_json(reports, dataset, drempel), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(as_text(reports, dataset))
    return 0


def strict_errors(dataset: Dataset) -> list[DataError]:
    """For `check --strict`: findings that a chain file marks as niet-toegestaan."""
    if not any(k.niet_toegestaan for k in dataset.ketens.values()):
        return []
    wanted = [k.cbs for k in dataset.ketens.values() if k.niet_toegestaan]
    return scan_stage.disallowed(dataset, scan_stage.scan(dataset, build_graph(dataset), gemeenten=wanted))
