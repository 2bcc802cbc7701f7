"""One voice, in Dutch, without leftover markup.

* The site speaks to its reader as "u", never as "je": no page of the built example site uses
  je, jij, jou, jouw or jezelf.
* Every text a reader or editor sees is Dutch: the 404 page, the footer, the theme's labels, and
  `ketenkaart --help` with every subcommand's help and its usage errors.
* Every template is rendered with every vocabulary value (a fictitious chain that uses them all)
  and no page shows markup as text ("{ .md-button }", "{{", "{%"); a route's condition reads as a
  phrase ("enkele of problematische schulden"), not as "schulden enkele schulden".
* A guidance page that links to an example chain that is not in the data (Zwolle) loses the
  link and its button attributes, not just the link.
"""

from __future__ import annotations

import argparse
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.cli import main as ketenkaart, parser as ketenkaart_parser
from generator.domain.vocab import load_vocabulary
from generator.publish.mkdocs import unlink_missing_chain_links
from sitebuild import EXAMPLE_DATA, build_site

# -- reading what a visitor sees -----------------------------------------------------------------


class _VisibleText(HTMLParser):
    """The text of a page as a visitor meets it: text nodes plus the labels screen readers and
    tooltips show (title, aria-label, alt, placeholder); no scripts, styles or code."""

    SKIP = {"script", "style", "code", "pre", "svg"}
    LABELS = ("title", "aria-label", "alt", "placeholder")

    def __init__(self):
        super().__init__()
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        if not self.skip:
            self.parts.extend(value for name, value in attrs if name in self.LABELS and value)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(page: Path) -> str:
    parser = _VisibleText()
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "kaarten" not in p.parts or p.name == "index.html")


# -- one form of address ---------------------------------------------------------------------------

INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)


def test_no_page_calls_the_reader_je(example_site):
    informal = {}
    for page in html_pages(example_site):
        found = INFORMAL.findall(visible_text(page))
        if found:
            informal[str(page.relative_to(example_site))] = sorted(set(found))
    assert not informal, f"pagina's die 'je' zeggen in plaats van 'u': {informal}"


def test_the_guidance_addresses_the_reader_as_u(example_site):
    text = visible_text(example_site / "kennisbank" / "lvb-herkennen" / "index.html")
    assert re.search(r"\bu\b", text) and re.search(r"\buw\b", text)


def test_no_guidance_source_uses_je():
    content = Path(__file__).resolve().parents[2] / "content"
    for page in sorted(content.rglob("*.md")):
        found = INFORMAL.findall(page.read_text(encoding="utf-8"))
        assert not found, (page.relative_to(content), found)


# -- Dutch only -------------------------------------------------------------------------------------

# What Material for MkDocs and argparse write in English when nobody translates them.
ENGLISH_ON_PAGES = ["Not found", "Made with", "Material for MkDocs", "Skip to content", "Back to top",
                    "Table of contents", "Type to start searching", "Header", "Footer", "Previous", "Next"]


def test_the_404_page_is_dutch(example_site):
    text = visible_text(example_site / "404.html")
    assert "Pagina niet gevonden" in text
    assert "Not found" not in text and "404 -" not in text


def test_no_page_shows_the_themes_english(example_site):
    english = {}
    for page in html_pages(example_site):
        text = visible_text(page)
        found = [e for e in ENGLISH_ON_PAGES if re.search(rf"\b{re.escape(e)}\b", text)]
        if found:
            english[str(page.relative_to(example_site))] = found
    assert not english, english


def test_the_footer_is_dutch(example_site):
    html = (example_site / "index.html").read_text(encoding="utf-8")
    footer = html[html.index('class="md-copyright"'):]
    footer = footer[: footer.index("</div>")]
    assert "Gemaakt met" in footer and "Made with" not in footer


ENGLISH_ON_THE_COMMAND_LINE = re.compile(
    r"usage:|options:|optional arguments|positional arguments|subcommands|show this help|error:|"
    r"required:|unrecognized|invalid choice|invalid \w+ value|expected (?:one|at most|at least) |(?-i:\bHOST\b|\bPORT\b)",
    re.IGNORECASE)


def _commands(p: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path: (), ('check',), ..., ('import', 'hsds'), ..."""
    found = [path]
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                if sub.prog.endswith(" " + name):  # an alias points at the same parser; list it once
                    found += _commands(sub, path + (name,))
    return found


COMMANDS = _commands(ketenkaart_parser())


def _run(capsys, argv: list[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stopped:
        ketenkaart(argv)
    out, err = capsys.readouterr()
    return stopped.value.code, out + err


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "ketenkaart")
def test_every_help_text_is_dutch(capsys, command):
    code, text = _run(capsys, [*command, "--help"])
    assert code == 0
    assert text.startswith("Gebruik: ketenkaart"), text[:80]
    assert "Opties:" in text
    assert not ENGLISH_ON_THE_COMMAND_LINE.search(text), text


@pytest.mark.parametrize("argv", [
    [],                                  # no command
    ["bouw"],                            # an unknown command
    ["check", "--onbekend"],             # an unknown option
    ["serve", "--port", "acht"],         # a value of the wrong type
    ["check", "--project"],              # an option without its value
    ["nieuw"],                           # a group without its subcommand
], ids=["geen-commando", "onbekend-commando", "onbekende-optie", "verkeerd-type", "waarde-ontbreekt",
        "subcommando-ontbreekt"])
def test_usage_errors_are_dutch(capsys, argv):
    code, text = _run(capsys, argv)
    assert code == 2
    assert "Gebruik: ketenkaart" in text and ": fout: " in text, text
    assert not ENGLISH_ON_THE_COMMAND_LINE.search(text), text


def test_argparse_speaks_english_again_outside_ketenkaart(capsys):
    """The Dutch texts are swapped in only while ketenkaart's parser works."""
    _run(capsys, ["--help"])
    plain = argparse.ArgumentParser(prog="ander")
    assert "usage:" in plain.format_usage()


# -- every template with every vocabulary value ------------------------------------------------------

CBS = "GM9999"  # not a code CBS uses: clearly fictitious


def _every_value_chain(folder: Path) -> None:
    """A fictitious municipality whose organisations, relations and routes use every term of every
    vocabulary list that the data can use, and every profile value alone and all together."""
    vocab = load_vocabulary()
    terms = {name: list(vocab[name].terms) for name in ("soorten", "inzet", "diensten", "fasen", "doelgroepen",
                                                         "duur", "toegang")}
    axes = {axis: list(tl.terms) for axis, tl in vocab.axes.items()}
    n = max(len(v) for v in [*terms.values(), *axes.values()])
    ids = [f"allesdorp-{i:02d}" for i in range(n)]
    (folder / "allesdorp").mkdir(parents=True)
    common = {"bron": {"titel": "Verzonnen gegevens voor een test van Ketenkaart"}, "gecontroleerd": "2026-11",
              "fictief": True}
    for i, org_id in enumerate(ids):
        def pick(values: list[str], k: int = 1) -> list[str]:
            return [values[(i + j) % len(values)] for j in range(k)]
        record = {
            "id": org_id, "naam": f"Allesdorp organisatie {i + 1} (fictief)", "soort": pick(terms["soorten"])[0],
            "gemeenten": [CBS], "inzet": pick(terms["inzet"])[0],
            "beschrijving": "Een verzonnen organisatie om elke waarde van de woordenlijst te tonen.",
            "diensten": sorted(set(pick(terms["diensten"], 3))), "fasen": sorted(set(pick(terms["fasen"], 2))),
            "doelgroepen": pick(terms["doelgroepen"]), "duur": pick(terms["duur"])[0],
            "toegang": sorted(set(pick(terms["toegang"], 2))),
            "profielen": {axis: pick(values) for axis, values in axes.items()},
            "verwijst": [{"naar": ids[(i + 1) % n], "wanneer": "Als de hulpvrager dat wil"}],
            "werkt-samen": [ids[(i + 2) % n]],
            **common,
        }
        (folder / "allesdorp" / f"{org_id}.yaml").write_text(yaml.safe_dump(record, allow_unicode=True), "utf-8")
    # Dedicated signal partner, so the signal relation (and its kind) occurs too.
    signal = {"id": "allesdorp-signaal", "naam": "Allesdorp Woningen (fictief)", "soort": "signaalpartner",
              "gemeenten": [CBS], "inzet": "onbekend", "beschrijving": "Een verzonnen verhuurder.",
              "diensten": ["vroegsignalering"], "fasen": ["vroegsignalering"],
              "signaleert": [{"naar": ids[0], "wanneer": "Huurachterstand van een maand"}], **common}
    (folder / "allesdorp" / "allesdorp-signaal.yaml").write_text(yaml.safe_dump(signal, allow_unicode=True), "utf-8")
    routes = [{"naam": "Alle hulpvragers", "stappen": ids[:2]},
              {"naam": "Bij spoed", "voorwaarde": {"spoed": True}, "stappen": ids[:2], "warm": True},
              {"naam": "Alle waarden samen", "voorwaarde": dict(axes), "stappen": ids[:2]}]
    for axis, values in axes.items():
        for value in values:
            routes.append({"naam": f"Alleen {axis} {value}", "voorwaarde": {axis: [value]}, "stappen": ids[1:3]})
    chain = {"gemeente": "Allesdorp", "cbs": CBS, "regie": ids[0], "toegang": ids[0],
             "beschrijving": "Een verzonnen gemeente waarin elke waarde van de woordenlijst voorkomt.",
             "routes": routes, **common}
    (folder / "gemeenten" / "allesdorp.yaml").write_text(yaml.safe_dump(chain, allow_unicode=True), "utf-8")


@pytest.fixture(scope="module")
def every_value_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("alle-waarden")
    data = base / "organisaties"
    shutil.copytree(EXAMPLE_DATA, data)
    _every_value_chain(data)
    assert build_site(data, base / "site", base / "build") == 0
    return base / "site"


LEFTOVER_MARKUP = re.compile(r"\{[:.#%{]|\{ [.#:]|\{ data-|[%}]\}|\]\(|\*\*|\[\[")


def test_no_page_shows_markup_as_text(every_value_site):
    leftovers = {}
    for page in html_pages(every_value_site):
        text = visible_text(page)
        found = [text[max(0, m.start() - 30): m.end() + 30] for m in LEFTOVER_MARKUP.finditer(text)]
        if found:
            leftovers[str(page.relative_to(every_value_site))] = found[:3]
    assert not leftovers, leftovers


def test_route_conditions_read_as_phrases(every_value_site):
    vocab = load_vocabulary()
    text = visible_text(every_value_site / "gemeenten" / "allesdorp" / "index.html")
    conditions = re.findall(r"geldt bij: ([^)]*)\)", text)
    assert len(conditions) >= 2 + sum(len(tl.terms) for tl in vocab.axes.values())
    for condition in conditions:
        for part in condition.split("; "):
            words = part.replace(":", " ").split()
            for axis in vocab.axes.values():
                word = axis.label.lower().split()[0]
                assert words.count(word) <= 1, f"'{word}' staat dubbel in 'geldt bij: {condition}'"
    assert "enkele of problematische schulden" in text or "geen, enkele of problematische schulden" in text
    assert "spoed" in " ".join(conditions)


# -- links to example chains that are not in the data ---------------------------------------------------

def test_a_button_to_a_missing_chain_leaves_no_attribute_list():
    page = ("# Praktijk\n\n[Bekijk de keten van Zwolle op de kaart](../gemeenten/zwolle.md){ .md-button }\n\n"
            "Zie [de keten van Zwolle](../gemeenten/zwolle.md#routes){: .x } en "
            "[die van Almere](../gemeenten/almere.md){ .md-button }.\n")

    text = unlink_missing_chain_links(page, {"gemeenten/almere.md"})

    assert "Bekijk de keten van Zwolle" not in text  # a lone button to nowhere goes as a whole
    assert "Zie de keten van Zwolle en" in text  # a link in a sentence becomes its text
    assert "[die van Almere](../gemeenten/almere.md){ .md-button }" in text  # existing chains keep theirs
    assert "{: .x }" not in text


def test_a_site_without_zwolle_shows_no_button_markup(tmp_path):
    data = tmp_path / "organisaties"
    shutil.copytree(EXAMPLE_DATA, data)
    shutil.rmtree(data / "zwolle")
    (data / "gemeenten" / "zwolle.yaml").unlink()
    for org in data.rglob("*.yaml"):  # national organisations may name Zwolle's as partners
        text = org.read_text(encoding="utf-8")
        if "zwolle" in text:
            record = yaml.safe_load(text)
            for key in ("verwijst", "werkt-samen", "signaleert"):
                if key in record:
                    kept = [r for r in record[key] if "zwolle" not in str(r)]
                    if kept:
                        record[key] = kept
                    else:
                        del record[key]
            org.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    assert build_site(data, tmp_path / "site", tmp_path / "build") == 0

    text = visible_text(tmp_path / "site" / "kennisbank" / "praktijk-zwolle" / "index.html")
    assert "md-button" not in text and "{" not in text
