"""Property-based tests (Hypothesis): whatever the data, `ketenkaart check` either reports located
errors or passes, and when it passes `ketenkaart build` (MkDocs --strict, which fails on a broken
link) succeeds.

Generated data sets have 1 to 3 chains and 1 to a few hundred organisations, with random terms,
profiles, relations, routes, and names and texts in any Unicode (Markdown and HTML characters,
right-to-left marks, emoji, names that slugify alike or to nothing). The hostile variant also
writes raw YAML values the parser cannot build (2020-02-31, a number of 5,000 digits, base-60
numbers, unknown tags), wrong types, unknown keys and broken files.

The invariant:

* `check` exits 1 and every line it prints is located: `path:line: ...` or `path: ...`, with the
  path a file of the data folder; or
* `check` exits 0, no two chains share a page address, and `build` exits 0.

Data sets go up to 600 organisations, so a chain can pass the 500 at which the old map layout
needed scipy (CHAIN_LIMIT caps one chain's map).

Runs
----
`make test` and `make quick` use the profile "standaard": a bounded number of examples (about
half a minute of one core for the tests of this module together). A longer search:

    HYPOTHESIS_PROFILE=lang .venv/bin/python -m pytest -p no:xdist tests/integration/test_property.py

("lang": 400 examples of the check property, 60 builds; HYPOTHESIS_EXAMPLES=N overrides the
number of examples of both). Found counterexamples are kept in .pytest_cache/hypothesis and tried
first on the next run.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from generator.cli import main as ketenkaart
from generator.domain.fields import slugify
from generator.domain.vocab import load_vocabulary
from generator.load.loader import RESERVED_CHAIN_SLUGS

from sitebuild import ROOT

pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

CHAIN_LIMIT = 600  # organisations on one chain's map (local plus national)
# The long run also builds data sets of 500 to 600 organisations; make test stops at 300 to stay
# quick (tests/integration/test_kaart.py builds a 520-organisation map on every run).
MAX_ORGS = 600 if os.environ.get("HYPOTHESIS_PROFILE") == "lang" else 300
_DB = DirectoryBasedExampleDatabase(str(ROOT / ".pytest_cache" / "hypothesis"))
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("standaard", max_examples=40, deadline=None, database=_DB,
                          suppress_health_check=_QUIET)
settings.register_profile("lang", max_examples=400, deadline=None, database=_DB, suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "standaard"))
_EXAMPLES = os.environ.get("HYPOTHESIS_EXAMPLES")


def _examples(standaard: int, lang: int) -> int:
    if _EXAMPLES:
        return int(_EXAMPLES)
    return lang if os.environ.get("HYPOTHESIS_PROFILE") == "lang" else standaard


VOCAB = load_vocabulary()
TERMS = {name: list(VOCAB[name].terms) for name in ("soorten", "inzet", "diensten", "fasen", "doelgroepen",
                                                      "duur", "toegang")}
AXES = {axis: list(tl.terms) for axis, tl in VOCAB.axes.items()}
LOCATED = re.compile(r"^(?P<path>[^\n]+?\.ya?ml):(?:[0-9]+:)? \S")

# -- names and texts -----------------------------------------------------------------------------------

TRICKY = [
    "Zwolle", "Zwolle!", "ZWOLLE", "Index", "Ketenscan", "Nederland", "???", "Súdwest-Fryslân",
    "'s-Hertogenbosch", "日本", "<script>alert(1)</script>", "[x](javascript:alert(1))", "*nadruk* _en_ `code`",
    "{{ jinja }}", "{% raw %}", "a|b|c", "# kop", "\u202eesrever", "a\u200db", "Café 😀", "---", "&amp; &lt;",
    "<!-- x -->", "[^1]", "*[ABC]: afkorting", ":material-home:", "!!! note", "    ingesprongen", "\\", "a\\*b",
    "https://voorbeeld.nl/", "<https://voorbeeld.nl>", "$x$", "1. genummerd", "- lijst", "> citaat", "  ",
    "\u00a0", "ﬁ ligatuur", "İstanbul", "ß", "Ǆ", "\u0301accent", "line\u2028separator", "tab\there",
]

any_text = st.text(min_size=1, max_size=40)  # any Unicode (no lone surrogates), control characters too
printable_text = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=40)
names = st.one_of(st.sampled_from(TRICKY), printable_text,
                  st.from_regex(r"[A-Z][a-z]{2,9}( [A-Z][a-z]{2,9}){0,2}", fullmatch=True))


def _text(rnd: random.Random, pool: list[str], words: int = 6) -> str:
    return " ".join(rnd.choice(pool) for _ in range(rnd.randint(1, words)))


# -- data sets -----------------------------------------------------------------------------------------

@st.composite
def datasets(draw, hostile: bool, max_orgs: int) -> dict:
    """{relative path: data-file dict or raw text} for one data folder."""
    # Chain names that slugify alike must be a located error: the hostile data sets make them often,
    # the others only through a reserved or empty slug ('Index', '???'), so that most of them build.
    chain_names = draw(st.lists(names, min_size=1, max_size=3, unique_by=None if hostile else slugify))
    pool = draw(st.lists(any_text if hostile else names, min_size=1, max_size=8)) + TRICKY[:12]
    bands = [(1, 12), (13, 60), (61, 150), (151, 300), (501, 600)]
    low, high = draw(st.sampled_from([(lo, min(hi, max_orgs)) for lo, hi in bands if lo <= max_orgs]))
    n_orgs = draw(st.integers(low, high))
    # The bulk (terms, relations, texts) comes from a seeded generator: drawn one by one, a few
    # hundred organisations would overrun Hypothesis's buffer.
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    codes = [f"GM9{n:03d}" for n in range(1, len(chain_names) + 1)]

    ids: list[str] = []
    while len(ids) < n_orgs:
        candidate = slugify(_text(rnd, pool, 3))[:40].strip("-") or f"org-{len(ids)}"
        candidate = candidate if candidate not in ids else f"{candidate}-{len(ids)}"
        ids.append(candidate)
    n_national = rnd.randint(0, min(len(ids) // 4, 20))
    national = set(rnd.sample(ids, n_national))
    local_count = {code: 0 for code in codes}
    orgs = []
    for org_id in ids:
        if org_id in national:
            gemeenten = ["landelijk"]
        else:
            room = [c for c in codes if local_count[c] + n_national < CHAIN_LIMIT]
            if not room:
                continue
            gemeenten = rnd.sample(room, rnd.randint(1, min(2, len(room))))
            for code in gemeenten:
                local_count[code] += 1
        orgs.append(_organisation(rnd, org_id, gemeenten, pool))
    kept = [o["id"] for o in orgs]
    for org in orgs:
        _relations(rnd, org, kept)
    files: dict[str, object] = {f"org/{o['id']}.yaml": o for o in orgs}
    for i, (naam, code) in enumerate(zip(chain_names, codes), 1):
        files[f"gemeenten/keten-{i}.yaml"] = _chain(rnd, naam, code, kept, pool)
    if hostile:
        files = _spoil(draw, rnd, files)
    return files


def _organisation(rnd: random.Random, org_id: str, gemeenten: list[str], pool: list[str]) -> dict:
    org: dict = {
        "id": org_id, "naam": _text(rnd, pool, 3), "soort": rnd.choice(TERMS["soorten"]), "gemeenten": gemeenten,
        "inzet": rnd.choice(TERMS["inzet"]), "beschrijving": _text(rnd, pool, 30),
        "diensten": rnd.sample(TERMS["diensten"], rnd.randint(1, 4)),
        "fasen": rnd.sample(TERMS["fasen"], rnd.randint(1, 3)),
    }
    if rnd.random() < 0.4:
        org["doelgroepen"] = rnd.sample(TERMS["doelgroepen"], rnd.randint(1, 2))
    if rnd.random() < 0.4:
        axis = rnd.choice(list(AXES))
        org["profielen"] = {axis: rnd.sample(AXES[axis], rnd.randint(1, len(AXES[axis])))}
    if rnd.random() < 0.5:
        org["duur"] = rnd.choice(TERMS["duur"])
    if rnd.random() < 0.5:
        org["toegang"] = rnd.sample(TERMS["toegang"], rnd.randint(1, 3))
    if rnd.random() < 0.3:
        org["spoed"] = rnd.choice(["ja", "nee"])
    if rnd.random() < 0.4:
        org["contact"] = {"telefoon": _text(rnd, pool, 2), "spreekuur": _text(rnd, pool, 3)}
    if rnd.random() < 0.4:
        org["website"] = "https://voorbeeld.nl/" + slugify(_text(rnd, pool, 2))
    org["bron"] = {"titel": _text(rnd, pool, 4)}
    org["gecontroleerd"] = rnd.choice(["2025-01", "2024-02-29", "2026-12-31"])
    org["fictief"] = "ja"
    return org


def _relations(rnd: random.Random, org: dict, ids: list[str]) -> None:
    others = [i for i in ids if i != org["id"]]
    for key in ("verwijst", "werkt-samen", "signaleert"):
        if others and rnd.random() < 0.5:
            targets = rnd.sample(others, rnd.randint(1, min(4, len(others))))
            org[key] = [t if rnd.random() < 0.6 else {"naar": t, "wanneer": "Bij schulden", "warm": "ja"}
                        for t in targets]


def _chain(rnd: random.Random, naam: str, code: str, ids: list[str], pool: list[str]) -> dict:
    chain: dict = {"gemeente": naam, "cbs": code}
    if ids and rnd.random() < 0.7:
        chain["regie"] = rnd.choice(ids)
    if ids and rnd.random() < 0.7:
        chain["toegang"] = rnd.choice(ids)
    chain["beschrijving"] = _text(rnd, pool, 20)
    if ids and rnd.random() < 0.6:
        routes = []
        for _ in range(rnd.randint(1, 3)):
            route: dict = {"naam": _text(rnd, pool, 4), "stappen": rnd.sample(ids, rnd.randint(1, min(4, len(ids))))}
            if rnd.random() < 0.5:
                axis = rnd.choice(list(AXES))
                route["voorwaarde"] = {axis: rnd.sample(AXES[axis], 1)}
            if rnd.random() < 0.3:
                route["warm"] = "ja"
            routes.append(route)
        chain["routes"] = routes
    chain["bron"] = {"titel": _text(rnd, pool, 4)}
    chain["gecontroleerd"] = "2025-06"
    chain["fictief"] = "ja"
    return chain


# Raw YAML scalars, written into the file as they are (not quoted by the dumper).
RAW_VALUES = [
    "2020-02-31", "2019-13-01", "0000-01-01", "2019-02-29", "9" * 5000, "-" + "9" * 4400, "0x" + "f" * 5000,
    "190:20:30:" + ":".join(["20"] * 2000), "12:30", "1e999", ".nan", "!!bool misschien", "!!timestamp gisteren",
    "!!int abc", "!!float x", "!!binary ???", "!foo bar", '"GM9001\\n"', '"a\\0b"', '"\\e[31mrood"', "٢٠١٩-٠٣",
    "GM٩٠٠١", "~", "[]", "{}", "[GM9001, GM9001]", "ja", "Nee", "true", "yes", "0o17", "-.inf", "'  '", '""',
    "&anker x", "*anker", "!!python/object:os.system x", "|", ">-", "@at", "`tick", "%pct",
]
RAW_FILES = ["", "[", "- a\n- b\n", "a: &x 1\nb: *x\n", "\x00", "id: [\n", "{a: 1, a: 2}\n", "? [a]\n: b\n",
             "---\nid: a\n---\nid: b\n", "\ufeffid: bom\n", "a:\n" + "  " * 30 + "b: c\n"]
ORG_KEYS = ["id", "naam", "soort", "gemeenten", "inzet", "beschrijving", "diensten", "fasen", "profielen",
            "verwijst", "bron", "gecontroleerd", "website", "contact", "onbekend", "spoed"]
CHAIN_KEYS = ["gemeente", "cbs", "regie", "toegang", "routes", "beschrijving", "bron", "gecontroleerd"]
python_values = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), any_text,
                          st.lists(any_text, max_size=3), st.dictionaries(any_text, any_text, max_size=2),
                          st.dates().map(str))


def _spoil(draw, rnd: random.Random, files: dict[str, object]) -> dict[str, object]:
    """Break some files: raw YAML values, values of the wrong type, missing keys, whole files."""
    files = dict(files)
    paths = sorted(files)
    for n in range(draw(st.integers(0, 4))):
        path = draw(st.sampled_from(paths))
        record = files[path]
        if not isinstance(record, dict):
            continue
        record = dict(record)
        key = draw(st.sampled_from(CHAIN_KEYS if path.startswith("gemeenten/") else ORG_KEYS))
        how = draw(st.sampled_from(["raw", "python", "drop"]))
        if how == "raw":
            record[key] = f"__RAW_{n}__"
            record.setdefault("__raw__", {})[f"__RAW_{n}__"] = draw(st.sampled_from(RAW_VALUES))
        elif how == "python":
            record[key] = draw(python_values)
        else:
            record.pop(key, None)
        files[path] = record
    if draw(st.booleans()) and paths:
        files[draw(st.sampled_from(paths))] = draw(st.sampled_from(RAW_FILES))
    return files


def write(folder: Path, files: dict[str, object]) -> None:
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, dict):
            content = dict(content)
            raw = content.pop("__raw__", {})
            text = yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=1 << 16)
            for marker, value in raw.items():
                text = text.replace(marker, value)
            content = text
        path.write_bytes(content.encode("utf-8", "surrogatepass"))


def run(argv: list[str]) -> tuple[int, list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = ketenkaart(argv)
    return status, [line for line in out.getvalue().splitlines() if line.strip()], err.getvalue()


def check_is_located_or_passes(folder: Path, files: dict[str, object]) -> bool:
    """The first half of the invariant; True when check passed."""
    data = folder / "organisaties"
    status, lines, err = run(["check", "--data", str(data)])
    note(f"check: {status}\n" + "\n".join(lines[:40]) + "\n" + err[-2000:])
    assert status in (0, 1)
    if status == 1:
        assert lines, "check failed without saying why"
        for line in lines:
            match = LOCATED.match(line)
            assert match, f"not located: {line!r}"
            assert match.group("path").startswith(str(data) + os.sep), line
        return False
    # a passing check prints nothing but located warnings (contradictions that do not stop a build)
    for line in lines:
        match = LOCATED.match(line)
        assert match and ": waarschuwing: " in line and match.group("path").startswith(str(data) + os.sep), line
    slugs = [slugify(f["gemeente"]) for p, f in files.items() if p.startswith("gemeenten/")]
    assert all(slugs) and len(set(slugs)) == len(slugs) and not set(slugs) & set(RESERVED_CHAIN_SLUGS), slugs
    return True


def _colliding(files: dict[str, object]) -> bool:
    slugs = [slugify(f["gemeente"]) for p, f in files.items()
             if p.startswith("gemeenten/") and isinstance(f, dict) and isinstance(f.get("gemeente"), str)]
    return len(set(slugs)) < len(slugs) or any(not s or s in RESERVED_CHAIN_SLUGS for s in slugs)


# -- the properties ------------------------------------------------------------------------------------

@settings(max_examples=_examples(30, 400))
@given(files=datasets(hostile=True, max_orgs=40))
def test_check_reports_located_errors_or_passes(files):
    with tempfile.TemporaryDirectory(prefix="kk-prop-") as tmp:
        write(Path(tmp) / "organisaties", files)
        passed = check_is_located_or_passes(Path(tmp), files)
    if _colliding(files):
        assert not passed


@settings(max_examples=_examples(4, 60))
@given(files=datasets(hostile=False, max_orgs=MAX_ORGS))
def test_data_that_passes_check_builds_with_every_link_working(files):
    with tempfile.TemporaryDirectory(prefix="kk-prop-") as tmp:
        base = Path(tmp)
        write(base / "organisaties", files)
        passed = check_is_located_or_passes(base, files)
        if _colliding(files):
            assert not passed
        assume(passed)
        status, lines, err = run(["build", "--project", str(ROOT), "--data", str(base / "organisaties"),
                                  "--out", str(base / "site"), "--werkmap", str(base / "build")])
        note("build:\n" + "\n".join(lines[-40:]) + "\n" + err[-3000:])
        assert status == 0
        assert (base / "site" / "index.html").is_file()
