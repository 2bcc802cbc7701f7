"""`ketenkaart check`, `build` and `serve`: thin layers over generator.pipeline."""

from __future__ import annotations

import argparse
import logging
import re
from pathlib import Path

from generator import pipeline
from generator.cli.common import load_or_report, meervoud, project_of, project_options, say
from generator.project import Project, engine_path


def cmd_check(args: argparse.Namespace) -> int:
    project = project_of(args)
    dataset = load_or_report(project)
    if dataset is None:
        return 1
    if args.strict:
        from generator.cli.scan import strict_errors
        if findings := strict_errors(dataset):
            for finding in findings:
                print(finding)
            say(f"{meervoud(len(findings), 'bevinding', 'bevindingen')} van de ketenscan die een ketenbestand niet toestaat.")
            return 1
    found = pipeline.warnings(dataset)
    for warning in found:
        print(warning)
    say(f"In orde: {meervoud(len(dataset.organisaties), 'organisatie', 'organisaties')} in "
        f"{meervoud(len(dataset.ketens), 'keten', 'ketens')}"
        + (f", met {meervoud(len(found), 'waarschuwing', 'waarschuwingen')}." if found else "."))
    return 0


def build(project: Project, force: bool = False) -> int:
    missing = project.missing()
    if missing:
        for problem in missing:
            print(f"ketenkaart: {problem}")
        say(f"{project.root} is geen Ketenkaart-project. Begin er een met: ketenkaart nieuw site MAP")
        return 2
    try:
        report = pipeline.build(project, say, force)
    except pipeline.DataErrors as exc:
        for error in exc.errors:
            print(error)
        say(f"{meervoud(len(exc.errors), 'fout', 'fouten')} gevonden; er is niets gebouwd of gewijzigd.")
        return 1
    except pipeline.MkDocsError as exc:
        print(f"mkdocs: {exc}")
        say("De site is niet bijgewerkt; de vorige versie staat er nog.")
        return 1
    except pipeline.PublishError as exc:
        print(f"ketenkaart build: {exc}")
        say("De site is niet bijgewerkt; de vorige versie staat er nog.")
        return 1
    how = {"volledig": "helemaal opnieuw gebouwd",
           "incrementeel": f"alleen de gewijzigde pagina's opnieuw gebouwd ({report.gewijzigd} gewijzigde bestanden)",
           "ongewijzigd": "niets gewijzigd"}[report.bouwwijze]
    say(f"Klaar: {project.out} (generator {report.seconden_generator:.1f} s, MkDocs {report.seconden_mkdocs:.1f} s; {how}).")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    return build(project_of(args), args.force)


class _LiveReloadLog(logging.Handler):
    """The live-reload server's messages, in Dutch; the rest of its log stays quiet."""

    SAID = {"Detected file changes": "Wijziging gezien; de site wordt bijgewerkt ...",
            "Reloading browsers": "De site is bijgewerkt; open pagina's laden opnieuw."}

    def __init__(self):
        super().__init__()
        self.last_build_failed = False

    def emit(self, record: logging.LogRecord) -> None:
        message = re.sub(r"^\[[\d:]+\] ", "", record.getMessage())  # the server puts the time first
        if message.startswith("Reloading browsers") and self.last_build_failed:
            say("Na uw volgende wijziging probeert Ketenkaart het opnieuw.")
            return
        for start, dutch in self.SAID.items():
            if message.startswith(start):
                say(dutch)


def watched(project: Project) -> list[tuple[Path, bool]]:
    """What `serve` watches (path, recursive): the data, the project's pages and snippets, its
    mkdocs.yml (the files directly in the project folder) and the engine's templates."""
    paths = [(project.data, True), (project.content, True), (project.includes, True),
             (project.root, False), (engine_path(), True)]
    return [(path, recursive) for path, recursive in paths if path.is_dir()]


def cmd_serve(args: argparse.Namespace) -> int:
    """Build, serve the site and rebuild it when a watched file changes; open pages reload by
    themselves (MkDocs' live-reload server: a small script on the same address, nothing from
    another host). The rebuild is incremental: an edit to one organisation renders its pages only."""
    from mkdocs.livereload import LiveReloadServer

    project = project_of(args)
    status = build(project, args.force)
    if status:
        return status

    messages = _LiveReloadLog()

    def rebuild() -> None:
        # A failed build keeps the previous site (open pages reload it unchanged); the server goes on.
        messages.last_build_failed = build(project, args.force) != 0

    log = logging.getLogger("mkdocs.livereload")
    log.propagate = False
    log.setLevel(logging.INFO)
    log.addHandler(messages)
    try:
        server = LiveReloadServer(builder=rebuild, host=args.host, port=args.port, root=str(project.out))
        server.server_bind()
    except OSError as exc:
        print(f"ketenkaart serve: poort {args.port} op {args.host} is niet te gebruiken ({exc.strerror}); "
              f"kies een andere poort met --port, bijvoorbeeld --port {args.port + 1}")
        return 2

    def error_page(code: int) -> bytes | None:
        page = project.out / "404.html"
        return page.read_bytes() if code == 404 and page.is_file() else None

    server.error_handler = error_page
    server.server_bind = lambda: None  # bound above, so a busy port is reported before serving
    for path, recursive in watched(project):
        server.watch(str(path), recursive=recursive)
    say(f"De site draait op http://{args.host}:{args.port}/ en wordt bijgewerkt zodra u gegevens, pagina's of "
        "mkdocs.yml wijzigt (stoppen met Ctrl+C)")
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser("check", help="controleer de gegevens")
    project_options(check)
    check.add_argument("--strict", action="store_true",
                       help="faal ook op bevindingen van de ketenscan die een ketenbestand niet toestaat (niet-toegestaan)")
    check.set_defaults(func=cmd_check)
    for name, func, helptext in (("build", cmd_build, "bouw de hele site"),
                                 ("serve", cmd_serve, "bouw de site en toon hem op een lokale poort")):
        sp = sub.add_parser(name, help=helptext)
        project_options(sp, out=True)
        sp.add_argument("--force", action="store_true",
                        help="vervang de map van --out ook als die geen eerder gebouwde Ketenkaart-site is")
        if name == "serve":
            sp.add_argument("--host", default="127.0.0.1", metavar="ADRES",
                            help="het adres waarop de site te zien is (standaard: 127.0.0.1, alleen deze computer)")
            sp.add_argument("--port", type=int, default=8000, metavar="POORT",
                            help="het poortnummer (standaard: 8000)")
        sp.set_defaults(func=func)


def cmd_nieuw_site(args: argparse.Namespace) -> int:
    from generator.project import ProjectExists, create

    try:
        written = create(args.map, args.naam or args.map.resolve().name)
    except ProjectExists as exc:
        print(f"ketenkaart nieuw site: deze bestanden bestaan al; er is niets geschreven: {exc}")
        return 1
    for path in written:
        print(f"Geschreven: {path}")
    print(f"Klaar. Lees {args.map / 'README.md'} voor de volgende stappen, of bouw meteen de (lege) site:")
    print(f"  cd {args.map} && ketenkaart check && ketenkaart build")
    return 0


def register_nieuw(what: argparse._SubParsersAction) -> None:
    """`ketenkaart nieuw site MAP`, added to the `nieuw` group (generator/cli/exchange.py)."""
    site = what.add_parser("site", help="een nieuw project: mkdocs.yml, een startpagina en een lege organisaties/")
    site.add_argument("map", type=Path, metavar="MAP", help="de map van het nieuwe project (mag nog niet bestaan)")
    site.add_argument("--naam", help="naam van de site, bijvoorbeeld 'Schuldhulp Deventer' (standaard: de naam van de map)")
    site.set_defaults(func=cmd_nieuw_site)
