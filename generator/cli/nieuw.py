"""`ketenkaart nieuw organisatie`: a few questions, then a valid, commented organisation file.

The questions (naam, id, soort, gemeenten, inzet, beschrijving, diensten, fasen, bron) are read
one line each from stdin, so the command works in a terminal and with answers piped in. A choice
can be given by its number, its key or its label; an answer that is not a choice is asked again,
with the nearest valid term. The finished record is checked by the loader together with the
rest of the data folder before anything is written (see orgfile.check_new_files).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Callable, TextIO

from generator.cli.gemeente import hint
from generator.load.loader import CBS_RE, SLUG_RE, listing, suggestion
from generator.model import LANDELIJK, Dataset
import yaml

from generator.domain.fields import ORGANISATIE
from generator.domain.vocab import Vocabulary, load_vocabulary, meervoud
from generator.exchange.orgfile import (
    NewFile, _Dumper, check_new_files, dump_organisation, folder_for, read_existing, suggested_id, write_new_files,
)

def optional_examples(vocab: Vocabulary | None = None) -> str:
    """Commented examples of every optional field of the registry, for the end of a new file."""
    vocab = vocab or load_vocabulary()
    lines = ["# Vul aan wat u weet (haal dan het hekje weg); zie organisaties/README.md voor elk veld:"]
    for f in ORGANISATIE.fields:
        if f.required:
            continue
        text = yaml.dump({f.key: f.kind.example(f, vocab)}, Dumper=_Dumper, allow_unicode=True,
                         sort_keys=False, width=88)
        lines.extend(f"# {line}" for line in text.rstrip("\n").splitlines())
    return "\n".join(lines) + "\n"


class Aborted(Exception):
    """stdin ended before every question was answered."""


class Interview:
    def __init__(self, dataset: Dataset, stdin: TextIO, stdout: TextIO):
        self.ds = dataset
        self.stdin = stdin
        self.stdout = stdout
        self.vocab = dataset.vocab or load_vocabulary()

    def say(self, text: str = "") -> None:
        print(text, file=self.stdout, flush=True)

    def ask(self, question: str, check: Callable[[str], tuple[object, str | None]], default: str = "") -> object:
        """Ask until check(answer) gives no problem; check returns (value, problem)."""
        while True:
            hint = f" [{default}]" if default else ""
            self.stdout.write(f"{question}{hint}: ")
            self.stdout.flush()
            line = self.stdin.readline()
            if not line:
                self.say()
                raise Aborted
            if not self.stdin.isatty():  # answers piped in: show them, so the transcript reads well
                self.say(line.strip())
            answer = line.strip() or default
            value, problem = check(answer)
            if problem is None:
                return value
            self.say(f"  {problem}")

    # -- checks ---------------------------------------------------------------------------------------
    @staticmethod
    def required(answer: str) -> tuple[str, str | None]:
        return answer, None if answer else "Dit is verplicht; typ een antwoord."

    def org_id(self, answer: str) -> tuple[str, str | None]:
        if not SLUG_RE.match(answer) or len(answer) > 80:
            return answer, "Een id bestaat uit kleine letters, cijfers en streepjes, zoals humanitas-zwolle."
        if answer in self.ds.organisaties:
            return answer, f"Het id '{answer}' bestaat al ({self.ds.organisaties[answer].bestand}); kies een ander."
        return answer, None

    def choices(self, list_name: str, multi: bool) -> Callable[[str], tuple[object, str | None]]:
        terms = self.vocab[list_name].terms
        keys = list(terms)

        def check(answer: str) -> tuple[object, str | None]:
            tokens = [t.strip() for t in re.split(r"[,;]", answer) if t.strip()] if multi else [answer.strip()]
            if not tokens or not answer:
                return None, "Kies ten minste één waarde."
            found = []
            for token in tokens:
                by_label = {t.label.casefold(): k for k, t in terms.items()}
                if token.isdigit() and 1 <= int(token) <= len(keys):
                    found.append(keys[int(token) - 1])
                elif token in terms:
                    found.append(token)
                elif token.casefold() in by_label:
                    found.append(by_label[token.casefold()])
                else:
                    return None, (f"'{token}' is geen keuze; typ een nummer of een van: {listing(keys)}."
                                  + suggestion(token, keys))
            found = list(dict.fromkeys(found))
            return (found if multi else found[0]), None

        return check

    def gemeenten(self, answer: str) -> tuple[object, str | None]:
        tokens = [t.strip() for t in re.split(r"[,;]", answer) if t.strip()]
        if not tokens:
            return None, "Noem ten minste één gemeente, of landelijk."
        by_name = {k.naam.casefold(): k.cbs for k in self.ds.ketens.values()}
        known = sorted(self.ds.ketens)
        codes = []
        for token in tokens:
            if token.casefold() == LANDELIJK:
                codes.append(LANDELIJK)
            elif token.upper() in self.ds.ketens or (not known and CBS_RE.match(token.upper())):
                codes.append(token.upper())
            elif token.casefold() in by_name:
                codes.append(by_name[token.casefold()])
            else:
                names = sorted(k.naam for k in self.ds.ketens.values())
                return None, (f"'{token}' is geen gemeente met een ketenbestand; kies uit: "
                              f"{listing(names + known + [LANDELIJK])}." + suggestion(token, names + known)
                              + hint(token))
        return list(dict.fromkeys(codes)), None

    def menu(self, list_name: str) -> None:
        tl = self.vocab[list_name]
        for n, (key, term) in enumerate(tl.terms.items(), 1):
            self.say(f"  {n:2}. {key}: {term.uitleg}")

    # -- the questions ----------------------------------------------------------------------------------
    def run(self) -> dict:
        self.say("Nieuwe organisatie. Beantwoord de vragen; Enter neemt de waarde tussen [ ] over.")
        data: dict = {}
        data["naam"] = self.ask("Naam van de organisatie", self.required)
        data["id"] = self.ask("Id (wordt ook de bestandsnaam)", self.org_id,
                              default=suggested_id(str(data["naam"]), set(self.ds.organisaties)))
        self.say("Soort organisatie:")
        self.menu("soorten")
        data["soort"] = self.ask("Soort (nummer of naam)", self.choices("soorten", multi=False))
        if self.ds.ketens:
            self.say("Gemeenten met een ketenbestand: " + ", ".join(
                f"{k.naam} ({k.cbs})" for k in sorted(self.ds.ketens.values(), key=lambda k: k.naam)))
        data["gemeenten"] = self.ask("Gemeenten (naam of CBS-code, of landelijk; meer scheiden met komma's)",
                                     self.gemeenten)
        self.say("Wie helpt:")
        self.menu("inzet")
        data["inzet"] = self.ask("Wie helpt (nummer of naam)", self.choices("inzet", multi=False))
        data["beschrijving"] = self.ask("Beschrijving: wat doet de organisatie (één alinea)", self.required)
        self.say("Aanbod:")
        self.menu("diensten")
        data["diensten"] = self.ask("Aanbod (nummers of namen, gescheiden door komma's)",
                                    self.choices("diensten", multi=True))
        self.say("Fasen:")
        self.menu("fasen")
        data["fasen"] = self.ask("Fasen (nummers of namen, gescheiden door komma's)", self.choices("fasen", multi=True))
        data["bron"] = {"titel": self.ask("Bron: waar komen deze gegevens vandaan", self.required)}
        data["gecontroleerd"] = dt.date.today().isoformat()
        return data


def new_organisation(data_dir: Path, stdin: TextIO | None = None, stdout: TextIO | None = None,
                     vocabulary: Vocabulary | None = None) -> int:
    """Run the interview and write the file; returns the exit status."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    dataset, _errors = read_existing(data_dir, vocabulary)
    try:
        data = Interview(dataset, stdin, stdout).run()
    except Aborted:
        print("De invoer stopte voordat alle vragen beantwoord waren; er is niets geschreven.", file=sys.stderr)
        return 2
    header = [f"Gemaakt met 'ketenkaart nieuw organisatie' op {dt.date.today().isoformat()}."]
    text = dump_organisation(data, header, vocab=dataset.vocab) + optional_examples(dataset.vocab)
    new = NewFile(data, text, "de nieuwe organisatie", folder_for(data, dataset))
    problems = check_new_files(data_dir, [new], dataset.vocab)
    if problems:
        for problem in problems:
            print(problem.error, file=stdout)
        print(f"{meervoud(len(problems), 'fout', 'fouten')}; er is niets geschreven.", file=sys.stderr)
        return 1
    (path,) = write_new_files(data_dir, [new])
    print(f"Geschreven: {path}", file=stdout)
    return 0
