"""argparse in Dutch: the usage line, the headings of the help text, the help option and every
error message that argparse writes itself.

argparse looks its own texts up with gettext (`argparse._` and `argparse.ngettext`) at the moment
it needs them. `NederlandsParser` swaps in the Dutch texts below for exactly that moment (while it
builds itself, formats help or usage, parses, or reports an error) and puts the originals back
afterwards, so nothing else in the process (such as a test runner that uses argparse) changes.
Subparsers are made with the class of their parent, so every subcommand speaks Dutch as well.

A text argparse writes that is not in the table stays as it is; `test_voice` runs every
subcommand's help and the common errors to catch such a text.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
from typing import Callable, Iterator

# argparse's own texts (Python 3.9 to 3.13) and their Dutch translation, as in a .po file.
VERTALING: dict[str, str] = {
    "usage: ": "Gebruik: ",
    "positional arguments": "Argumenten",
    "options": "Opties",
    "optional arguments": "Opties",  # Python before 3.10
    "subcommands": "Commando's",
    "show this help message and exit": "toon deze uitleg en stop",
    "show program's version number and exit": "toon het versienummer en stop",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "bij %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "dit ontbreekt nog: %s",
    "one of the arguments %s is required": "geef een van deze opties: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "onbekende keuze %(value)r; kies uit: %(choices)s",
    "invalid %(type)s value: %(value)r": "ongeldige waarde %(value)r (verwacht: %(type)s)",
    "expected one argument": "hier hoort één waarde achter",
    "expected at most one argument": "hier hoort hoogstens één waarde achter",
    "expected at least one argument": "hier hoort minstens één waarde achter",
    "not allowed with argument %s": "mag niet samen met %s",
    "ignored explicit argument %r": "waarde %r genegeerd",
    "ambiguous option: %(option)s could match %(matches)s": "optie %(option)s is niet eenduidig; bedoelt u %(matches)s?",
    "unexpected option string: %s": "onverwachte optie: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "onbekend commando %(parser_name)r (kies uit: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
    "argument \"-\" with mode %r": "argument \"-\" met modus %r",
    "%r is not callable": "%r is geen functie",
}

# Texts with a singular and a plural form: English singular -> (Dutch singular, Dutch plural).
VERTALING_MEERVOUD: dict[str, tuple[str, str]] = {
    "expected %s argument": ("hier hoort %s waarde achter", "hier horen %s waarden achter"),
    "conflicting option string: %s": ("optie bestaat al: %s", "opties bestaan al: %s"),
}

# Names of value types as argparse shows them in "invalid ... value" ("int" for type=int).
TYPENAMEN: dict[str, str] = {"int": "een geheel getal", "float": "een getal", "Path": "een pad", "str": "tekst"}


def vertaal(text: str) -> str:
    """gettext for argparse: the Dutch text, or the text itself when there is none."""
    return VERTALING.get(text, text)


def vertaal_meervoud(singular: str, plural: str, n: int) -> str:
    """ngettext for argparse."""
    if singular in VERTALING_MEERVOUD:
        enkel, meer = VERTALING_MEERVOUD[singular]
        return enkel if n == 1 else meer
    return singular if n == 1 else plural


@contextlib.contextmanager
def nederlands() -> Iterator[None]:
    """argparse speaks Dutch inside this block (re-entrant: nested blocks keep the Dutch texts)."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = vertaal, vertaal_meervoud
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def _in_dutch(method: Callable) -> Callable:
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with nederlands():
            return method(self, *args, **kwargs)
    return wrapper


class NederlandseUitleg(argparse.HelpFormatter):
    """The help text, with a usage line that starts with 'Gebruik:'."""

    def _format_usage(self, usage, actions, groups, prefix):
        return super()._format_usage(usage, actions, groups, VERTALING["usage: "] if prefix is None else prefix)


class NederlandsParser(argparse.ArgumentParser):
    """An ArgumentParser whose own texts (help, usage, errors) are Dutch; see the module text."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", NederlandseUitleg)
        with nederlands():
            super().__init__(*args, **kwargs)

    add_subparsers = _in_dutch(argparse.ArgumentParser.add_subparsers)
    format_usage = _in_dutch(argparse.ArgumentParser.format_usage)
    format_help = _in_dutch(argparse.ArgumentParser.format_help)
    parse_known_args = _in_dutch(argparse.ArgumentParser.parse_known_args)
    parse_args = _in_dutch(argparse.ArgumentParser.parse_args)

    def _get_value(self, action, arg_string):
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError as exc:
            # "ongeldige waarde 'x' (verwacht: int)": name the type in Dutch.
            for name, dutch in TYPENAMEN.items():
                exc.message = exc.message.replace(f"(verwacht: {name})", f"(verwacht: {dutch})")
            raise

    def error(self, message: str):
        with nederlands():
            super().error(message)
