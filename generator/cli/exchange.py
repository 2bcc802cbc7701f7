"""Subcommands for exchange: `import hsds|csv|xlsx`, `export hsds|xlsx|csv` and `nieuw organisatie`.

`import csv|xlsx --bijwerken` updates existing organisations from a spreadsheet (an export,
edited); `--droog` shows what would change and writes nothing (generator.exchange.roundtrip).
Registered through cli.COMMAND_MODULES. Exit codes as everywhere: 0 ok, 1 data errors (nothing
is written), 2 usage errors.
"""

from __future__ import annotations

from generator.cli.gemeente import hint, register_nieuw as register_nieuw_gemeente, unknown_chain
from generator.cli.site import register_nieuw
from generator.domain.vocab import meervoud
from generator.cli.common import project_of, project_options, vocabulary_or_report

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

from generator.exchange.hsds import AS_ATTRIBUTES, FILES, NOT_EXPORTED, import_records, read_package, \
    export_package, validate_package
from generator.exchange.roundtrip import ChangedMeanwhile, Plan, check_plan, export_csv, export_members, \
    export_xlsx, new_path, plan_import, relation_rows, write_plan
from generator.exchange.table import TableError, read_tables
from generator.load.loader import CBS_RE, listing, zoek_gemeente
from generator.model import Dataset
from generator.cli.nieuw import new_organisation
from generator.exchange.orgfile import NewFile, check_new_files, read_existing, write_new_files


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _report(lines: list[str]) -> int:
    for line in lines:
        print(line)
    _say(f"{meervoud(len(lines), 'fout', 'fouten')} gevonden; er is niets geschreven.")
    return 1


def _write(data_dir: Path, files: list[NewFile]) -> int:
    return _written(lambda: write_new_files(data_dir, files))


def _written(write) -> int:
    """Run a writer of data files; list what it wrote, or say in Dutch why nothing was written."""
    try:
        written = write()
    except ChangedMeanwhile as exc:
        print(f"{exc}: het bestand is veranderd sinds het gelezen werd; er is niets geschreven. Probeer het opnieuw.")
        return 1
    except FileExistsError as exc:
        print(f"Deze bestanden bestaan al; er is niets geschreven: {exc}")
        return 1
    print(f"Geschreven ({meervoud(len(written), 'bestand', 'bestanden')}):")
    for path in written:
        print(f"  {path}")
    return 0


def _gemeente(value: str | None, dataset: Dataset) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    keten = zoek_gemeente(dataset, value)
    if keten is not None:
        return keten.cbs, None
    code = value.strip().upper()
    if CBS_RE.match(code) and not dataset.ketens:  # a data folder without chain files yet
        return code, None
    choices = sorted(dataset.ketens) + sorted(k.naam for k in dataset.ketens.values())
    return None, f"--gemeente '{value}' is geen gemeente met een ketenbestand; kies uit: {listing(choices)}.{hint(value)}"


def _existing(args: argparse.Namespace):
    """(project, vocabulary, data as it is, its errors), or None when the vocabulary is not usable."""
    project = project_of(args)
    vocab = vocabulary_or_report(project)
    if vocab is None:
        return None
    dataset, errors = read_existing(project.data, vocab)
    return project, vocab, dataset, errors


def cmd_import_hsds(args: argparse.Namespace) -> int:
    if (existing := _existing(args)) is None:
        return 1
    project, vocab, dataset, _errors = existing
    gemeente, problem = _gemeente(args.gemeente, dataset)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    package = read_package(args.path)
    for line in package.problems:
        print(line)
    if package.problems:  # part of the package is unreadable: importing the rest would lose records quietly
        _say("Het pakket is niet (helemaal) te lezen; er is niets geschreven.")
        return 1
    result = import_records(package, dataset, gemeente, source=Path(args.path).resolve().name)
    print(f"Gelezen uit {args.path}: {meervoud(result.organizations, 'organisatie', 'organisaties')} en "
          f"{meervoud(result.services, 'dienst', 'diensten')}, samen "
          f"{meervoud(len(result.files), 'organisatiebestand', 'organisatiebestanden')}.")
    if result.not_mapped:
        print("Niet overgenomen (Ketenkaart heeft er geen veld voor):")
        for what, count in sorted(result.not_mapped.items()):
            print(f"  - {what}" + (f" ({count}x)" if count > 1 else ""))
    if result.provisional:
        print("Voorlopig ingevuld, want niet in het HSDS-bestand (controleer en pas aan):")
        for label, fields in result.provisional.items():
            print(f"  - {label}: {', '.join(fields)}")
    if not result.files:
        _say("Het pakket bevat geen organisaties of diensten; er is niets geschreven.")
        return 1
    if any(f.meta["no_gemeente"] for f in result.files):
        print("Bij sommige diensten noemt het pakket geen gemeente die Ketenkaart kent; "
              "geef met --gemeente CBS-CODE aan voor welke gemeente ze zijn.")
    problems = check_new_files(project.data, result.files, vocab)
    if problems:
        return _report([str(p.error) for p in problems])
    return _write(project.data, result.files)


def _print_plan(plan: Plan, data_dir: Path, dry: bool) -> None:
    for update in plan.updates:
        where = f" (rij {update.row})" if update.row else ""
        print(f"{'Zou bijwerken' if dry else 'Bijwerken'}: {update.shown}{where}")
        for change in update.changes:
            print(f"  {change}")
    for new in plan.new:
        print(f"{'Zou nieuw maken' if dry else 'Nieuw'}: {new_path(data_dir, new)} ({new.label})")
    print(f"Samen: {meervoud(len(plan.updates), 'organisatie', 'organisaties')} bijgewerkt, "
          f"{len(plan.new)} nieuw, {plan.unchanged} ongewijzigd.")


def cmd_import_table(args: argparse.Namespace) -> int:
    if (existing := _existing(args)) is None:
        return 1
    project, vocab, dataset, errors = existing
    if args.bijwerken and errors:  # an update compares with the data: it must be readable first
        for error in errors:
            print(error)
        _say(f"{meervoud(len(errors), 'fout', 'fouten')} in de gegevens; los die eerst op. Er is niets geschreven.")
        return 1
    try:
        tables = read_tables(args.path)
    except TableError as exc:
        print(exc)
        return 1
    table = tables.organisations
    plan = plan_import(tables, dataset, update=args.bijwerken)
    if plan.header:  # the header itself: no row can be read
        for line in plan.header:
            print(line)
        _say("De kopregel klopt niet; er is niets geschreven.")
        return 1
    if not (plan.new or plan.updates or plan.problems or plan.unchanged):
        print(f"{table.label}: geen rijen met gegevens onder de kopregel")
        return 1
    # The loader checks the data as the plan leaves it; a plan that changes nothing leaves it as it is.
    problems = [*plan.problems, *(check_plan(project.data, plan, tables, vocab) if plan.new or plan.updates else [])]
    if problems:
        if not args.bijwerken and any(new.data.get("id") in dataset.organisaties for new in plan.new):
            _say("Rijen met het id van een bestaande organisatie werken die organisatie bij met --bijwerken.")
        return _report(problems)
    _print_plan(plan, project.data, args.droog)
    if args.droog:
        _say("Proefdraaien (--droog): er is niets geschreven.")
        return 0
    if not (plan.new or plan.updates):
        _say("Er verandert niets; er is niets geschreven.")
        return 0
    return _written(lambda: write_plan(project.data, plan))


def _errors_stop_export(errors) -> bool:
    """Print the data's errors, if any; an export of data with errors does not start."""
    for error in errors:
        print(error)
    if errors:
        _say(f"{meervoud(len(errors), 'fout', 'fouten')} in de gegevens; er is niets geëxporteerd.")
    return bool(errors)


def cmd_export_table(args: argparse.Namespace) -> int:
    if (existing := _existing(args)) is None:
        return 1
    _project, vocab, dataset, errors = existing
    if _errors_stop_export(errors):
        return 1
    keten = None
    if args.gemeente:
        keten = zoek_gemeente(dataset, args.gemeente)
        if keten is None:
            print(f"ketenkaart export: fout: {unknown_chain(dataset, args.gemeente)}", file=sys.stderr)
            return 2
    out = args.out or Path(f"{keten.slug if keten else 'organisaties'}.{args.formaat}")
    if out.is_dir():
        print(f"ketenkaart export: fout: {out} is een map; verwacht de naam van een .{args.formaat}-bestand",
              file=sys.stderr)
        return 2
    orgs = export_members(dataset, keten)
    content = export_xlsx(dataset, orgs, keten) if args.formaat == "xlsx" else export_csv(orgs, vocab)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.ketenkaart-tmp")
    temporary.write_bytes(content)
    os.replace(temporary, out)
    what = meervoud(len(orgs), "organisatie", "organisaties")
    if args.formaat == "xlsx":
        what += f" en {meervoud(len(relation_rows(orgs, vocab)), 'relatie', 'relaties')}"
    print(f"Geschreven: {out} ({what}{f' op de kaart van {keten.naam}' if keten else ''}).")
    _say(f"Pas het bestand aan en lees het terug met: ketenkaart import {args.formaat} {out} --bijwerken "
         "(eerst met --droog om te zien wat er verandert).")
    return 0


def cmd_export_hsds(args: argparse.Namespace) -> int:
    if (existing := _existing(args)) is None:
        return 1
    _project, _vocab, dataset, errors = existing
    if _errors_stop_export(errors):
        return 1
    package = export_package(dataset)
    problems = validate_package(package)
    if problems:  # a bug in the export, not in the data
        for line in problems:
            print(line)
        _say("De export voldoet niet aan de HSDS 3.0-schema's; er is niets geschreven.")
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        (out / name).write_text(json.dumps(package[name], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    orgs = package["organizations.json"]["contents"]
    attributes = Counter(len(s.get("attributes", [])) for o in orgs for s in o["services"])
    print(f"HSDS 3.0-pakket geschreven naar {out}: {meervoud(len(orgs), 'organisatie', 'organisaties')} met elk één dienst, "
          f"{sum(n * c for n, c in attributes.items())} Ketenkaart-kenmerken; gecontroleerd tegen de HSDS 3.0-schema's.")
    print("Meegegeven als kenmerk uit de taxonomie Ketenkaart, omdat HSDS er geen veld voor heeft:")
    for what in AS_ATTRIBUTES:
        print(f"  - {what}")
    print("Niet meegegeven, omdat HSDS het niet kan bevatten:")
    for what in NOT_EXPORTED:
        print(f"  - {what}")
    return 0


def cmd_nieuw(args: argparse.Namespace) -> int:
    return new_organisation(project_of(args).data, vocabulary=vocabulary_or_report(project_of(args)) or None)


def register(subparsers: argparse._SubParsersAction) -> None:
    imp = subparsers.add_parser("import", help="lees organisaties in uit HSDS of een spreadsheet")
    kinds = imp.add_subparsers(dest="soort", required=True)
    hsds = kinds.add_parser("hsds", help="een Open Referral HSDS-pakket (JSON, of CSV met datapackage.json)")
    hsds.add_argument("path", type=Path, metavar="PAD", help="map of JSON-bestand van het HSDS-pakket")
    project_options(hsds)
    hsds.add_argument("--gemeente", metavar="CBS", help="gemeente (CBS-code of naam) voor diensten zonder bekend werkgebied")
    hsds.set_defaults(func=cmd_import_hsds)
    table = kinds.add_parser("csv", aliases=["xlsx"], help="een spreadsheet (.csv of .xlsx), één organisatie per rij")
    table.add_argument("path", type=Path, metavar="PAD", help="het .csv- of .xlsx-bestand")
    project_options(table)
    table.add_argument("--bijwerken", action="store_true",
                       help="werk ook bestaande organisaties (zelfde id) bij; een lege cel verandert niets, "
                            "'(verwijderen)' haalt een veld weg")
    table.add_argument("--droog", action="store_true", help="toon alleen wat er zou veranderen; schrijf niets")
    table.set_defaults(func=cmd_import_table)

    exp = subparsers.add_parser("export", help="schrijf de gegevens in een uitwisselformaat")
    formats = exp.add_subparsers(dest="formaat", required=True)
    hsds_out = formats.add_parser("hsds", help="als Open Referral HSDS 3.0-pakket (JSON)")
    project_options(hsds_out)
    hsds_out.add_argument("--out", type=Path, default=Path("hsds"), metavar="MAP", help="doelmap (standaard: hsds/)")
    hsds_out.set_defaults(func=cmd_export_hsds)
    for fmt, helptext in (("xlsx", "als Excel-werkmap: bladen Organisaties, Verwijzingen en Uitleg"),
                          ("csv", "als CSV-bestand: één organisatie per rij (verwijzingen alleen als id's)")):
        sheet_out = formats.add_parser(fmt, help=helptext)
        project_options(sheet_out)
        sheet_out.add_argument("--gemeente", metavar="NAAM_OF_CBS_CODE",
                               help="alleen de organisaties op de kaart van deze gemeente, bijvoorbeeld Zwolle of GM0193")
        sheet_out.add_argument("--out", type=Path, default=None, metavar="BESTAND",
                               help=f"het bestand (standaard: organisaties.{fmt}, of <gemeente>.{fmt})")
        sheet_out.set_defaults(func=cmd_export_table)

    new = subparsers.add_parser("nieuw", help="maak een nieuw gegevensbestand door vragen te beantwoorden")
    what = new.add_subparsers(dest="wat", required=True)
    org = what.add_parser("organisatie", help="een nieuwe organisatie")
    project_options(org)
    org.set_defaults(func=cmd_nieuw)
    register_nieuw(what)  # nieuw site
    register_nieuw_gemeente(what)  # nieuw gemeente
