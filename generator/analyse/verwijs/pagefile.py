"""The page file of the verwijswijzer: every answer of one municipality in a compact lookup.

`page_data` documents the format; site_templates/assets/verwijswijzer.js reads it and `read_page`
is the same reader in Python.
"""

from __future__ import annotations

import json

import networkx as nx
import numpy as np

from generator import urls
from generator.analyse.verwijs.engine import PART_ORDER, _Engine, _gemeente, _Lijsten
from generator.analyse.verwijs.rules import JA, SKIP, Profiel
from generator.model import ALLES, Dataset, Keten, Scope
from generator.parallel import parallel_map

FORMAT_VERSION = 3

# -- the page file ---------------------------------------------------------------------------------

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"


_DIGITS = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)


def _width(top: int) -> int:
    """Base-64 digits needed for every number 0..top."""
    width = 1
    while 64 ** width <= top:
        width += 1
    return width


def _digits(numbers: np.ndarray, width: int) -> np.ndarray:
    """Each number as `width` base-64 characters (ASCII codes), most significant first."""
    return _DIGITS[(numbers[..., None] >> (6 * np.arange(width - 1, -1, -1))) & 63]  # 64 = 2 ** 6


def _encode_ids(ids: np.ndarray) -> tuple[str, int]:
    """Fixed-width base-64 codes (ALPHABET), most significant digit first, as one text."""
    width = _width(int(ids.max(initial=0)))
    return _digits(ids.reshape(-1), width).tobytes().decode("ascii"), width


def _encode_rows(matrix: np.ndarray) -> tuple[list[str], int]:
    """Each row of a matrix of numbers as a text of fixed-width base-64 codes; -1 marks no number
    and stands only after a row's last number, so a row's text holds just its numbers."""
    rows, columns = matrix.shape
    width = _width(int(matrix.max(initial=0)))
    if not rows or not columns:
        return [""] * rows, width
    chars = _digits(np.maximum(matrix, 0), width)
    chars[matrix < 0] = 0  # NUL: numpy's byte strings drop them at the end of each row
    texts = np.ascontiguousarray(chars).reshape(rows, -1).view(f"S{columns * width}").reshape(-1)
    return b"\n".join(texts.tolist()).decode("ascii").split("\n"), width


def _compress(ids: np.ndarray, shape: tuple[int, ...]) -> tuple[list, np.ndarray]:
    """Drop the questions (and merge the options) that make no difference to a part.

    Returns the axes that remain, each as [question number, class per option], and the answer
    numbers over the remaining axes in row-major order.
    """
    arr = ids.reshape(shape)
    assen = []
    for d, size in enumerate(shape):
        slices = np.moveaxis(arr, d, 0).reshape(size, -1)  # one row per option of question d
        reps: list[int] = []
        classes: list[int] = []
        for opt in range(size):
            for ci, rep in enumerate(reps):
                if np.array_equal(slices[opt], slices[rep]):
                    classes.append(ci)
                    break
            else:
                reps.append(opt)
                classes.append(len(reps) - 1)
        if len(reps) < size:
            arr = np.take(arr, reps, axis=d)
        if len(reps) > 1:
            assen.append([d, classes])
    return assen, arr.reshape(-1)


def _first_use(ids: np.ndarray) -> list[int]:
    """The distinct values of ids in the order they first occur."""
    unique, first = np.unique(ids, return_index=True)
    return unique[np.argsort(first, kind="stable")].tolist()


def _frozen(value):
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


class _Interner:
    """Numbers equal values (texts, or lists of numbers and texts) in order of first use."""

    def __init__(self):
        self.items: list = []
        self.index: dict = {}

    def __call__(self, value) -> int:
        key = _frozen(value)
        if key not in self.index:
            self.index[key] = len(self.items)
            self.items.append(value)
        return self.index[key]


def page_data(dataset: Dataset, graph: nx.MultiDiGraph, keten: Keten) -> dict:
    """Every answer for one municipality, in the compact form the page looks up.

    Format (version 3)::

        gemeente  {naam, cbs, pagina}
        vragen    [[sleutel, [optie, ...]], ...]      questions in order; option 0 = skipped
        teksten   [tekst, ...]                          every text, once
        orgs      [[id, naam, pagina, [toegang tekst], website|null, aanmelden|-1, wachttijd|-1,
                    meenemen|-1, [overdracht tekst], vraag|-1, bereikbaar 0|1], ...]  (-1: none)
        items     [[org, [reden tekst], [let_op tekst]], ...]        a listed organisation
        delen     {deel: {assen: [[vraag, [klasse per optie]], ...], breedte, index, waarden}}
                  (organisaties and landelijk also: codebreedte)

    To look up a part: start at 0; for every axis, multiply by its number of classes and add the
    class of the chosen option; read `breedte` characters at that position of `index` as a
    base-64 number (ALPHABET); that is the position in `waarden`. Part values:
    eerste_stap [org|-1, warm, daarna-org|-1, [via-org, ...], vraag-tekst|-1],
    organisaties and landelijk: a text of base-64 numbers of `codebreedte` characters each: the
    listed items in order, for organisaties after the number of others that fit (meer),
    route [[[org, warm, wanneer-tekst|-1], ...], naam-tekst|-1, [[org, warm, wanneer-tekst|-1], ...]],
    gat [tekst, ...] (sentences, joined with spaces; none: no gap), termijn and instrumenten as in
    the plain answer. An item without reasons is 'ook mogelijk'. The answers without effect
    (`geen_effect`) are not stored: a question's answer has none when every part looks up the
    same value with that question skipped (`read_page`).
    """
    engine = _Engine(dataset, graph, keten)
    qs = engine.qs
    # Compute one representative option per class of alike options (options that give the same
    # answer in every part); each part's table then gives every option the answer of its class.
    classes = engine.option_classes()
    reps = [[cls.index(c) for c in range(max(cls) + 1)] for cls in classes]
    reduced_shape = tuple(len(r) for r in reps)
    P = np.indices(reduced_shape).reshape(len(reduced_shape), -1).T
    P = np.column_stack([np.asarray(r)[P[:, qi]] for qi, r in enumerate(reps)]) if len(P) else P
    parts = engine.run(P, grid=reps)
    teksten, orgs, items = _Interner(), _Interner(), _Interner()
    org_rows: dict[str, int] = {}

    def org_nr(org_id: str) -> int:
        if org_id not in org_rows:
            org = dataset.organisaties[org_id]
            info = engine.verwijzen(org)
            org_rows[org_id] = orgs([org.id, org.naam, urls.organisatie(org.id),
                                     [teksten(t) for t in engine.rules.how_to_get_in(org)], org.website,
                                     opt_text(info["aanmelden"]), opt_text(info["wachttijd"]), opt_text(info["meenemen"]),
                                     [teksten(t) for t in info["overdracht"]], opt_text(info["vraag"]),
                                     int(info["bereikbaar"])])
        return org_rows[org_id]

    item_rows: dict[tuple[str, int], int] = {}

    def item_nr(table: str, key: int) -> int:
        if (table, key) not in item_rows:
            entry = engine.items[table][key]
            item_rows[table, key] = items([org_nr(entry.org.id), [teksten(t) for t in entry.redenen],
                                           [teksten(t) for t in entry.let_op]])
        return item_rows[table, key]

    def opt_text(value: str | None) -> int:
        return teksten(value) if value else -1

    def compact(name: str, value):
        """One answer of a part in the page file's form (organisaties and landelijk: see lists)."""
        if name == "gat":
            return [teksten(z) for z in value.zinnen]
        if name == "eerste_stap":
            e = value["eerste_stap"]
            return [org_nr(e["id"]) if e["id"] else -1, int(e["warme_overdracht"]),
                    org_nr(e["daarna"]["id"]) if e["daarna"] else -1, [org_nr(v["id"]) for v in e["via"]],
                    opt_text(e["vraag"]) if not e["id"] else -1]
        if name == "route":
            return [[[org_nr(s["id"]), int(s["warme_overdracht"]), opt_text(s["wanneer"])] for s in value["route_stappen"]],
                    opt_text(value["route_naam"]),
                    [[org_nr(v["id"]), int(v["warme_overdracht"]), opt_text(v["wanneer"])] for v in value["vervolg"]]]
        return value[name]

    def lists(value: _Lijsten, rows: list[int], meer: bool) -> tuple[list[str], int]:
        """The lists of organisations at `rows` of the key matrix as texts of item numbers (see
        _encode_rows), with `meer` first when asked. Items are numbered in the order their keys
        first occur, row by row, as everything else in the file."""
        keys = value.keys[rows]
        present = keys >= 0
        flat = keys[present]  # row by row: the order of first use
        unique, first = np.unique(flat, return_index=True)
        numbers = np.zeros(len(unique), dtype=np.int64)
        for at in np.argsort(first, kind="stable").tolist():
            numbers[at] = item_nr(value.tabel, int(unique[at]))
        mapped = np.full(keys.shape, -1, dtype=np.int64)
        if len(flat):
            mapped[present] = numbers[np.searchsorted(unique, flat)]
        if meer:
            mapped = np.column_stack([value.meer[rows], mapped])
        return _encode_rows(mapped)

    delen = {}
    for name in PART_ORDER:
        ids, values = parts[name]
        # The rows of P are the classes of alike options in row-major order: compress that
        # table, then give every option of a question the class of its option class.
        assen, reduced = _compress(ids, reduced_shape)
        assen = [[q, [merged[c] for c in classes[q]]] for q, merged in assen]
        # number the answers in order of first use, so the table starts with small codes
        first_use = _first_use(reduced)
        renumber = np.zeros(len(values), dtype=np.int64)
        renumber[first_use] = np.arange(len(first_use))
        index, width = _encode_ids(renumber[reduced])
        if isinstance(values, _Lijsten):  # organisaties and landelijk
            waarden, codebreedte = lists(values, first_use, meer=name == "organisaties")
            delen[name] = {"assen": assen, "breedte": width, "index": index, "codebreedte": codebreedte,
                           "waarden": waarden}
        else:
            delen[name] = {"assen": assen, "breedte": width, "index": index,
                           "waarden": [compact(name, values[i]) for i in first_use]}
    return {
        "versie": FORMAT_VERSION,
        "gemeente": _gemeente(keten),
        "vragen": [[q.sleutel, list(q.opties)] for q in qs],
        "teksten": teksten.items,
        "orgs": orgs.items,
        "items": items.items,
        "delen": delen,
    }


def read_page(data: dict, profiel: Profiel) -> dict:
    """Look an answer up in a page file, exactly as verwijswijzer.js does (the reference reader).

    Returns the same plain data as `verwijs` for that profile.
    """
    options = []
    for key, opties in data["vragen"]:
        if key == "urgent":
            value = JA if profiel.urgent else SKIP
        elif key.startswith("doelgroep."):
            value = JA if key.partition(".")[2] in profiel.doelgroepen else SKIP
        else:
            value = getattr(profiel, key) or SKIP
        options.append(opties.index(value) if value in opties else 0)

    def part(name: str, options: list[int] = options):
        p = data["delen"][name]
        index = 0
        for question, classes in p["assen"]:
            index = index * (max(classes) + 1) + classes[options[question]]
        return p["waarden"][number(p["index"], index, p["breedte"])]

    def number(codes: str, at: int, width: int) -> int:
        """The base-64 number at position `at` of a text of `width`-character numbers."""
        value = 0
        for ch in codes[at * width:(at + 1) * width]:
            value = value * 64 + ALPHABET.index(ch)
        return value

    def numbers(name: str) -> list[int]:
        """A list part's value: its text of base-64 numbers, decoded."""
        codes, width = part(name), data["delen"][name]["codebreedte"]
        return [number(codes, at, width) for at in range(len(codes) // width)]

    text = data["teksten"].__getitem__

    def opt_text(i: int) -> str | None:
        return None if i < 0 else text(i)

    def org(i: int) -> dict:
        o = data["orgs"][i]
        return {"id": o[0], "naam": o[1], "pagina": o[2], "toegang": [text(t) for t in o[3]], "website": o[4],
                "aanmelden": opt_text(o[5]), "wachttijd": opt_text(o[6]), "meenemen": opt_text(o[7]),
                "overdracht": [text(t) for t in o[8]], "vraag": opt_text(o[9]), "bereikbaar": o[10] == 1}

    def item(i: int) -> dict:
        org_nr, redenen, let_op = data["items"][i]
        return {**org(org_nr), "redenen": [text(t) for t in redenen], "ook_mogelijk": not redenen,
                "let_op": [text(t) for t in let_op]}

    def short(i: int) -> dict:
        o = org(i)
        return {"id": o["id"], "naam": o["naam"], "pagina": o["pagina"]}

    def eerste_stap(e: list) -> dict:
        org_nr, warm, daarna, via, vraag = e
        if org_nr < 0:
            return {"id": None, "naam": None, "pagina": None, "toegang": [], "website": None, "aanmelden": None,
                    "wachttijd": None, "meenemen": None, "overdracht": [], "bereikbaar": False, "via": [],
                    "warme_overdracht": False, "daarna": None, "vraag": opt_text(vraag)}
        return {**org(org_nr), "via": [short(v) for v in via], "warme_overdracht": warm == 1,
                "daarna": short(daarna) if daarna >= 0 else None}

    def step(s: list) -> dict:
        o = org(s[0])
        return {"id": o["id"], "naam": o["naam"], "pagina": o["pagina"], "warme_overdracht": s[1] == 1,
                "wanneer": opt_text(s[2])}

    meer, *orgs = numbers("organisaties")
    route = part("route")
    stappen = [step(s) for s in route[0]]
    # An answer without effect: with that question skipped, every part looks up the same value.
    geen_effect = []
    for q, (key, _opties) in enumerate(data["vragen"]):
        if options[q] > 0:
            skipped = [0 if i == q else o for i, o in enumerate(options)]
            if all(part(name, skipped) == part(name) for name in data["delen"]):
                geen_effect.append(key)
    return {
        "gemeente": data["gemeente"],
        "profiel": profiel.as_dict([key.partition(".")[2] for key, _ in data["vragen"] if key.startswith("doelgroep.")]),
        "eerste_stap": eerste_stap(part("eerste_stap")),
        "organisaties": [item(i) for i in orgs], "meer_organisaties": meer,
        "route": [s["id"] for s in stappen], "route_naam": opt_text(route[1]), "route_stappen": stappen,
        "vervolg": [step(s) for s in route[2]],
        "termijn": part("termijn"), "instrumenten": part("instrumenten"),
        "landelijk": [item(i) for i in numbers("landelijk")], "gat": " ".join(text(t) for t in part("gat")) or None,
        "geen_effect": geen_effect,
    }


def page_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def build_verwijswijzer(dataset: Dataset, graph: nx.MultiDiGraph, scope: Scope = ALLES) -> dict[str, str]:
    """The build stage: the page file (JSON text) of every municipality (in `scope`), by chain slug.

    Municipalities are independent, so with many of them they are spread over the cores
    (generator.parallel); the texts are the same as one after another."""
    ketens = [k for k in dataset.ketens.values() if scope.keten(k.cbs)]
    return page_order(ketens, parallel_map(lambda keten: page_text(dataset, graph, keten), ketens))


def page_text(dataset: Dataset, graph: nx.MultiDiGraph, keten: Keten) -> str:
    """The page file of one municipality, as build_verwijswijzer makes it: for callers that spread
    the municipalities over the cores together with other work per municipality (pipeline.analyse)."""
    return page_json(page_data(dataset, graph, keten))


def page_order(ketens: list[Keten], texts: list[str]) -> dict[str, str]:
    """The page files of `ketens` (texts in the same order) by chain slug, in build_verwijswijzer's
    order (by slug)."""
    return {keten.slug: text for keten, text in sorted(zip(ketens, texts), key=lambda pair: pair[0].slug)}
