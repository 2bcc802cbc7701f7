"""The `ketenkaart` command: a thin layer over the Python API (generator.pipeline and friends).

Each module here registers its subcommands (register(subparsers)) and turns arguments into a
call of the API, and results or errors into Dutch lines. Exit status: 0 in order, 1 problems in
the data (nothing written), 2 a usage error.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Modules that add their subcommands, in the order of the help text.
COMMAND_MODULES: tuple[str, ...] = ("site", "scan", "verwijs", "exchange", "schema", "upkeep")


def parser() -> argparse.ArgumentParser:
    from generator.cli.dutch import NederlandsParser  # argparse's own texts in Dutch, subcommands too

    p = NederlandsParser(prog="ketenkaart", description="Ketenkaart: de keten van schulddienstverlening per gemeente.")
    sub = p.add_subparsers(dest="command", required=True, title="Commando's", metavar="COMMANDO")
    for module_name in COMMAND_MODULES:
        importlib.import_module(f"generator.cli.{module_name}").register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
