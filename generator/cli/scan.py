"""`ketenkaart scan`: the chain scan's findings on the command line, and `check --strict`."""

from __future__ import annotations

from generator.cli.gemeente import hint
from generator.cli.common import load_or_report, project_of, project_options

import argparse
import json
import sys

from generator.analyse import scan as scan_stage
from generator.graph.build import build_graph
from generator.load.loader import gemeente_keuzes, gemeente_suggestie, listing, zoek_gemeente
from generator.model import DataError, Dataset
from generator.domain.rules import vocab_of


def register(subparsers) -> None:
    sp = subparsers.add_parser(
        "scan", help="zoek gaten, overlap, verwijslussen en knelpunten in de ketens",
        description="De ketenscan: per gemeente de gaten en de overlap in het aanbod, verwijslussen, "
                    "doodlopende routes, knelpunten, onbereikbare organisaties en de verbinding met de "
                    "wettelijke signaalpartners.")
    project_options(sp)
    sp.add_argument("--gemeente", metavar="NAAM_OF_CBS_CODE",
                    help="alleen deze gemeente, bijvoorbeeld Zwolle of GM0193 (standaard: alle gemeenten)")
    sp.add_argument("--json", action="store_true",
                    help="de bevindingen als JSON-lijst (gemeente, soort, organisaties, profiel, fase, tekst, ...)")
    sp.set_defaults(func=cmd_scan)


def as_json(findings: list[scan_stage.Finding], dataset: Dataset) -> list[dict]:
    rows = []
    for f in findings:
        row = f.as_dict()
        row["gemeentenaam"] = dataset.ketens[f.gemeente].naam if f.gemeente in dataset.ketens else f.gemeente
        rows.append(row)
    return rows


def as_text(findings: list[scan_stage.Finding], dataset: Dataset) -> str:
    vocab = vocab_of(dataset)
    lines: list[str] = []
    current = None
    for f in findings:
        if f.gemeente != current:
            current = f.gemeente
            keten = dataset.ketens[f.gemeente]
            if lines:
                lines.append("")
            lines.append(f"Ketenscan {keten.naam} ({keten.cbs})")
        label = vocab.label("bevindingen", f.soort)
        lines.append(f"- [{label}{'' if f.aandacht else ', ter informatie'}] {f.tekst}")
    return "\n".join(lines) + "\n" if lines else "Geen bevindingen.\n"


def cmd_scan(args: argparse.Namespace) -> int:
    dataset = load_or_report(project_of(args))
    if dataset is None:
        return 1
    wanted = None
    if args.gemeente:
        keten = zoek_gemeente(dataset, args.gemeente)
        if keten is None:
            print(f"ketenkaart scan: fout: onbekende gemeente '{args.gemeente}'; kies uit: "
                  f"{listing(gemeente_keuzes(dataset), 30)}." + gemeente_suggestie(dataset, args.gemeente) + hint(args.gemeente),
                  file=sys.stderr)
            return 2
        wanted = [keten.cbs]
    findings = scan_stage.scan(dataset, build_graph(dataset), gemeenten=wanted)
    if args.json:
        print(json.dumps(as_json(findings, dataset), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(as_text(findings, dataset))
    return 0


def strict_errors(dataset: Dataset) -> list[DataError]:
    """For `check --strict`: findings that a chain file marks as niet-toegestaan."""
    if not any(k.niet_toegestaan for k in dataset.ketens.values()):
        return []
    wanted = [k.cbs for k in dataset.ketens.values() if k.niet_toegestaan]
    return scan_stage.disallowed(dataset, scan_stage.scan(dataset, build_graph(dataset), gemeenten=wanted))
