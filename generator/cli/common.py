"""What every subcommand shares: the project options, messages, and reading the data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.domain.vocab import meervoud
from generator.model import Dataset
from generator.project import Project


def say(message: str) -> None:
    """A progress or summary line, on standard error (standard output carries the results)."""
    print(message, file=sys.stderr, flush=True)


def project_options(sp: argparse.ArgumentParser, out: bool = False) -> None:
    """--project and --data for every command; --out and --werkmap for those that build."""
    sp.add_argument("--project", type=Path, default=None, metavar="MAP",
                    help="de projectmap met organisaties/, content/ en mkdocs.yml (standaard: de huidige map)")
    sp.add_argument("--data", type=Path, default=None, metavar="MAP",
                    help="map met organisatie- en ketenbestanden (standaard: organisaties/ in de projectmap)")
    if out:
        sp.add_argument("--out", type=Path, default=None, metavar="MAP",
                        help="map voor de site (standaard: site/ in de projectmap)")
        sp.add_argument("--werkmap", type=Path, default=None, metavar="MAP",
                        help="map voor de gegenereerde Markdown (standaard: build/ in de projectmap)")


def project_of(args: argparse.Namespace) -> Project:
    return Project.at(args.project, data=args.data, out=getattr(args, "out", None),
                      work=getattr(args, "werkmap", None))


def load_or_report(project: Project) -> Dataset | None:
    """Load the project's data; on errors print one line per error (path:line: ...) and return None.

    Every command that reads data starts here, so they all report errors the same way."""
    from generator.pipeline import check

    dataset, errors = check(project)
    if not errors:
        return dataset
    for error in errors:
        print(error)
    say(f"{meervoud(len(errors), 'fout', 'fouten')} gevonden; er is niets gebouwd of gewijzigd.")
    return None


def vocabulary_or_report(project: Project):
    """The project's vocabulary; on errors print them (path:line: ...) and return None."""
    from generator.domain.vocab import check_vocabulary
    from generator.pipeline import shown

    vocab, errors = check_vocabulary(project.vocabulary, shown(project.vocabulary))
    for error in errors:
        print(error)
    if vocab is None:
        say(f"{meervoud(len(errors), 'fout', 'fouten')} in de woordenlijst; er is niets gedaan.")
    return vocab
