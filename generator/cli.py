"""The `ketenkaart` command: check, build and serve."""

from __future__ import annotations

import argparse
import functools
import importlib
import http.server
import sys
import time
from pathlib import Path

from . import publish as publish_stage
from .graph import build_graph
from .load import load
from .model import Dataset
from .render import read_abbreviations, render_site
from .scan import scan
from .verwijs import build_verwijswijzer

DEFAULT_DATA = publish_stage.PROJECT_ROOT / "organisaties"
DEFAULT_OUT = publish_stage.PROJECT_ROOT / "site"
DEFAULT_WORK = publish_stage.PROJECT_ROOT / "build"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load_or_report(data_dir: Path) -> Dataset | None:
    """Load the data; on errors print one line per error (path:line: ...) and return None.

    Every command that reads data starts here, so they all report errors the same way."""
    dataset, errors = load(data_dir, shown_relative_to=Path.cwd())
    if not errors:
        return dataset
    for error in errors:
        print(error)
    _say(f"{len(errors)} fout{'en' if len(errors) != 1 else ''} gevonden; er is niets gebouwd of gewijzigd.")
    return None


def cmd_check(args: argparse.Namespace) -> int:
    dataset = load_or_report(args.data)
    if dataset is None:
        return 1
    if getattr(args, "strict", False):
        from .scan_cli import strict_errors
        if findings := strict_errors(dataset):
            for finding in findings:
                print(finding)
            _say(f"{len(findings)} bevinding{'en' if len(findings) != 1 else ''} van de ketenscan die een ketenbestand niet toestaat.")
            return 1
    _say(f"In orde: {len(dataset.organisaties)} organisaties in {len(dataset.ketens)} ketens.")
    return 0


def build(data: Path, out: Path, work: Path) -> int:
    started = time.perf_counter()
    _say(f"1/4 Gegevens lezen uit {data} ...")
    dataset = load_or_report(data)
    if dataset is None:
        return 1
    _say(f"2/4 Keten opbouwen: {len(dataset.organisaties)} organisaties, {len(dataset.ketens)} gemeenten ...")
    graph = build_graph(dataset)
    _say("    Verwijswijzer: de antwoorden voor elk profiel in elke gemeente berekenen ...")
    verwijswijzer = build_verwijswijzer(dataset, graph)
    findings = scan(dataset, graph)
    _say(f"    Ketenscan: {len(findings)} bevindingen in {len(dataset.ketens)} gemeenten")
    _say("3/4 Pagina's en kaarten maken ...")
    generated = render_site(dataset, graph, read_abbreviations(publish_stage.INCLUDES / "afkortingen.md"),
                            verwijswijzer=verwijswijzer, findings=findings)
    rendered = time.perf_counter()
    _say(f"4/4 Site bouwen met MkDocs ({len(generated)} gegenereerde bestanden) ...")
    try:
        publish_stage.publish(generated, out, work)
    except publish_stage.PublishError as exc:
        print(f"mkdocs: {exc}")
        _say("De site is niet bijgewerkt; de vorige versie staat er nog.")
        return 1
    done = time.perf_counter()
    _say(f"Klaar: {out} (generator {rendered - started:.1f} s, MkDocs {done - rendered:.1f} s).")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    return build(args.data, args.out, args.werkmap)


def cmd_serve(args: argparse.Namespace) -> int:
    status = build(args.data, args.out, args.werkmap)
    if status:
        return status
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(args.out))
    with http.server.ThreadingHTTPServer((args.host, args.port), handler) as server:
        _say(f"De site draait op http://{args.host}:{args.port}/ (stoppen met Ctrl+C)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


# Modules that add their own subcommand: each has register(subparsers, data_option).
COMMAND_MODULES: tuple[str, ...] = ("verwijs_cli", "exchange_cli", "scan_cli")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ketenkaart", description="Ketenkaart: de keten van schulddienstverlening per gemeente.")
    sub = p.add_subparsers(dest="command", required=True)

    def data_option(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--data", type=Path, default=DEFAULT_DATA, metavar="DIR",
                        help="map met organisatie- en ketenbestanden (standaard: organisaties/)")

    check = sub.add_parser("check", help="controleer de gegevens")
    data_option(check)
    check.add_argument("--strict", action="store_true",
                       help="faal ook op bevindingen van de ketenscan die een ketenbestand niet toestaat (niet-toegestaan)")
    check.set_defaults(func=cmd_check)

    for name, func, helptext in (("build", cmd_build, "bouw de hele site"),
                                 ("serve", cmd_serve, "bouw de site en toon hem op een lokale poort")):
        sp = sub.add_parser(name, help=helptext)
        data_option(sp)
        sp.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR", help="map voor de site (standaard: site/)")
        sp.add_argument("--werkmap", type=Path, default=DEFAULT_WORK, metavar="DIR",
                        help="map voor de gegenereerde Markdown (standaard: build/)")
        if name == "serve":
            sp.add_argument("--host", default="127.0.0.1")
            sp.add_argument("--port", type=int, default=8000)
        sp.set_defaults(func=func)
    for module_name in COMMAND_MODULES:
        importlib.import_module(f"generator.{module_name}").register(sub, data_option)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
