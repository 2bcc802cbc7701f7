"""The chain scan on the site: the section on each municipality page, the overview, the exports.

`ScanView(dataset, reports)` holds the analysis stage's reports (scan.scan_reports, one per
chain); its `section` makes the section data for each chain page (gemeente.md.j2 includes
ketenscan.md.j2 with it) and its figure (`svg`), where the chain page is made, and
`scan_overview_files(md_env, view)` makes gemeenten/ketenscan.md (the national comparison) and
downloads/ketenscan.csv and .json (every finding). Nothing is scanned here: the figure, the
table of ways in and the count of stale records (checked longer ago than the site allows;
upkeep.ChainUpkeep) come from the same report as the findings.

The coverage figure is the infosheet's figure 1 per municipality: the 24 profiles from the most
to the least self-reliant help seeker as columns, the organisations as rows placed by the
profiles they serve, and per phase the number of organisations per profile. It is an SVG
with role="img", <title> and <desc>, written as its own file (assets/ketenscan/<slug>.svg) and shown
with <img> and an alternative text; every text from data in it is XML-escaped, and the same content
follows as tables on the page.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

from jinja2 import Environment
from markupsafe import Markup, escape

from generator.analyse import scan as scan_stage
from generator import urls
from generator.model import Dataset, Keten
from generator.domain.rules import domain, vocab_of
from generator.upkeep import KETEN_BESTANDEN

CSV_FILE = urls.download("ketenscan", "csv")
JSON_FILE = urls.download("ketenscan", "json")
# Headings per kind of finding and the words in "geen ...": the properties kop and geen of the
# vocabulary's bevindingen.
CSV_COLUMNS = ("gemeente", "gemeentenaam", "soort", "kenmerk", "aandacht", "organisaties", "profiel", "fase",
               "fasen", "tekst")

# Figure layout (px) and colours: dark fills on white (contrast above 3:1 for graphics, WCAG 1.4.11).
# The figure is shown at its own size (never scaled down), so every text is at least FONT px; the
# label column is as wide as its longest label (estimated generously, see _text_width), at most
# LABEL_MAX, so that no label is cut off at the left edge.
CELL, ROW, HEAD_ROW, PAD, FONT, LINE_H = 20, 22, 20, 8, 12, 14
LABEL_MIN, LABEL_MAX = 120, 196  # a longer name takes two lines (the figure then fits a 688 px column)
INK, FILL, GAP, GAP_FILL, NA_FILL, LINE = "#1a1a1a", "#1F3864", "#A4262C", "#FCE4E4", "#EDEDED", "#8A8A8A"
# Short labels in the figure: the property kort of each axis term (Domain.short_label).


def _x(value) -> str:
    """Text for inside the SVG: XML-escaped."""
    return str(escape(str(value)))


# Advance widths (in em) of DejaVu Sans, the widest of the usual system-ui fonts: an estimate of
# a text's width that errs on the wide side, so that labels stay inside the figure.
_NARROW = dict.fromkeys("ijlI.,:;'!|", 0.32) | dict.fromkeys("ftr()[]-", 0.42)
_WIDE = dict.fromkeys("mwMW", 0.99) | dict.fromkeys("ABCDGHKNOQRUVXYZ", 0.79) | {"…": 1.0}


def _text_width(text: str, size: float = FONT, bold: bool = False) -> float:
    em = sum(_NARROW.get(ch, _WIDE.get(ch, 0.72 if ch.isupper() else 0.62)) for ch in text)
    return em * size * (1.1 if bold else 1.0)


def _fit_text(text: str, width: float, size: float = FONT) -> str:
    """The text, shortened with an ellipsis at a word (or letter) when it would be wider than width."""
    if _text_width(text, size) <= width:
        return text
    words = text.split()
    while len(words) > 1 and _text_width(" ".join(words) + " …", size) > width:
        words.pop()
    shown = " ".join(words)
    while shown and _text_width(shown + "…", size) > width:
        shown = shown[:-1]
    return shown.rstrip() + "…"


def _two_lines(text: str, width: float, size: float = FONT) -> list[str]:
    """The text on one line, or on two (the second shortened if need be) when it is wider than width."""
    if _text_width(text, size) <= width:
        return [text]
    words = text.split()
    first = []
    while words and _text_width(" ".join(first + words[:1]), size) <= width:
        first.append(words.pop(0))
    if not first:
        return [_fit_text(text, width, size)]
    return [" ".join(first), _fit_text(" ".join(words), width, size)] if words else [" ".join(first)]


def _profile_label(p: scan_stage.Profiles, index: int) -> str:
    vocab = p.vocab
    return ", ".join(vocab.axes[a].terms[v].label.lower() for a, v in zip(p.axes, p.all[index]))


def _axis_values(p: scan_stage.Profiles, mask: int, axis: str) -> str:
    k = p.axes.index(axis)
    served = [v for v in p.values[k] if any(p.all[i][k] == v for i in p.bits(mask))]
    if len(served) == len(p.values[k]):
        return "alle"
    return " en ".join(p.vocab.axes[axis].terms[v].label.lower() for v in served)


class ScanView:
    def __init__(self, dataset: Dataset, reports: dict[str, scan_stage.ChainReport]):
        self.ds = dataset
        self.vocab = vocab_of(dataset)
        self.rules = domain(self.vocab)
        self.profiles = scan_stage.Profiles(self.vocab)
        self.reports = reports
        self.findings = scan_stage.findings_of(reports)

    # -- one municipality ----------------------------------------------------------------------------
    def section(self, keten: Keten) -> dict:
        chain = self.reports[keten.cbs]
        findings = list(chain.findings)
        groepen = []
        bevindingen = self.vocab["bevindingen"].terms
        for soort in scan_stage.SOORTEN:
            items = [f for f in findings if f.soort == soort]
            if items:
                groepen.append((bevindingen[soort]["kop"], items, bevindingen[soort].get("pagina")))
        leeg = [bevindingen[s]["geen"] for s in scan_stage.SOORTEN
                if bevindingen[s].get("geen") and not any(f.soort == s for f in findings)]
        telling = []
        for soort in scan_stage.SOORTEN:
            n = sum(1 for f in findings if f.soort == soort and f.aandacht)
            if n and soort != "signalering":
                telling.append(f"{n} × {self.vocab.label('bevindingen', soort).lower()}")
        p = self.profiles
        rows = self._provider_rows(keten, chain)
        dekking = chain.dekking
        fasen = []
        for fase in p.fasen:
            cells = [c for c in dekking[fase] if c is not None]
            fasen.append({"fase": fase, "totaal": len(cells), "met": sum(1 for c in cells if c),
                          "zonder": sum(1 for c in cells if not c)})
        others = [m for m in chain.members if not chain.fit[m]]
        ingangen = [{"org": i.org, "soort": i.naam, "bereikt": i.bereikt,
                     "profielen": i.profielen, "min": i.min_overdrachten, "max": i.max_overdrachten}
                    for i in chain.ingangen]
        svg, breedte, hoogte = self.figure(keten, chain, rows, dekking)
        bijhouden = chain.bijhouden
        return {
            "bijhouden": None if bijhouden is None else {
                "tekst": bijhouden.tekst(), "maanden": bijhouden.maanden,
                "verouderd": [{"soort": r.soort, "id": r.id, "gecontroleerd": r.gecontroleerd} for r in bijhouden.verouderd]},
            "svg": svg, "breedte": breedte, "hoogte": hoogte,
            "groepen": groepen, "leeg": ", ".join(leeg[:-1]) + " of " + leeg[-1] if len(leeg) > 1 else "".join(leeg), "telling": scan_stage.opsomming(telling),
            "rijen": rows, "alt": self.alt(keten),
            "figuur": Markup(urls.relative(urls.scan_figuur(keten.slug), urls.gemeente(keten.slug) + "index.html")), "fasen": fasen, "anderen": others,
            "ingangen": ingangen, "cellen": scan_stage.total_cells(p), "profielen": len(p.all),
        }

    def _provider_rows(self, keten: Keten, chain: scan_stage.ChainReport) -> list[dict]:
        p = self.profiles
        rows = []
        for m in chain.providers:
            org = self.ds.organisaties[m]
            bits = p.bits(chain.fit[m])
            rows.append({
                "id": m, "naam": org.naam, "landelijk": keten.cbs not in org.gemeenten, "mask": chain.fit[m],
                "midden": sum(bits) / len(bits), "fasen": [f for f in p.fasen if f in org.fasen],
                "assen": {a: _axis_values(p, chain.fit[m], a) for a in p.axes},
                "wie": "alle hulpvragers" if chain.fit[m] == p.full else
                       scan_stage.opsomming([scan_stage.wie(c, self.vocab) for c in p.describe(chain.fit[m])]),
            })
        rows.sort(key=lambda r: (r["midden"], r["naam"].casefold()))
        return rows

    @staticmethod
    def title(keten: Keten) -> str:
        return f"Ketenscan {keten.naam}: welke organisaties welke hulpvragers helpen"

    def alt(self, keten: Keten) -> str:
        return (f"{self.title(keten)}. Per organisatie de profielen van hulpvragers die zij ondersteunt, en per fase "
                "het aantal organisaties per profiel. De tabellen onder de figuur geven dezelfde gegevens.")

    def svg(self, keten: Keten, chain: scan_stage.ChainReport, rows: list[dict], dekking: dict) -> str:
        """The coverage figure as a standalone SVG document (every text from data XML-escaped)."""
        return self.figure(keten, chain, rows, dekking)[0]

    def figure(self, keten: Keten, chain: scan_stage.ChainReport, rows: list[dict],
               dekking: dict) -> tuple[str, int, int]:
        """(SVG document, width, height): the figure is meant to be shown at this size."""
        p = self.profiles
        n = len(p.all)
        names = [row["naam"] + (" (landelijk)" if row["landelijk"] else "") for row in rows]
        side = ([_text_width(self.vocab.axes[a].label, bold=True) for a in p.axes]
                + [min(_text_width(name), LABEL_MAX - 2 * PAD - 4) for name in names]
                + [_text_width(self.vocab.label("fasen", f)) for f in p.fasen])
        label_w = int(min(max(max(side, default=0) + 2 * PAD + 4, LABEL_MIN), LABEL_MAX))
        notes = ("Organisaties (gevuld = helpt dit profiel)",
                 "Aantal organisaties per fase (0 = gat, grijs = hoort niet bij deze fase)")
        legend = "Schulden: geen, enkele of probl. (problematisch). Vertrouwen in hulp: + veel, − weinig."
        free = max([_text_width(t, bold=True) for t in notes] + [_text_width(legend)])
        width = int(max(label_w + n * CELL + PAD, free + 2 * PAD + 4))
        lines = [_two_lines(name, label_w - PAD - 12) for name in names]
        heights = [ROW + LINE_H * (len(ls) - 1) for ls in lines]
        top_org = PAD + HEAD_ROW * len(p.axes) + 24
        top_fase = top_org + 8 + (sum(heights) if rows else ROW) + 30
        legend_y = top_fase + ROW * len(p.fasen) + 18
        height = legend_y + 24
        gaps = sum(1 for fase in p.fasen for c in dekking[fase] if c is not None and not c)
        title = self.title(keten)
        desc = (f"Kolommen: de {n} profielen van hulpvragers, links leerbare hulpvragers met eenvoudige "
                "problematiek, zonder schulden en met veel vertrouwen in hulp, rechts minder leerbare hulpvragers "
                "met complexe problematiek, problematische schulden en weinig vertrouwen. Rijen: de "
                f"{len(rows)} organisaties die hulp bieden, geplaatst naar de profielen die zij ondersteunen "
                "(een gevuld vak). Onderaan per fase het aantal organisaties per profiel; "
                f"{gaps} vakken hebben geen enkele organisatie (een gat). Dezelfde gegevens staan in de tabellen "
                "onder de figuur.")
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="kk-scan-titel kk-scan-uitleg" '
               f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
               f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="{FONT}">',
               f'<title id="kk-scan-titel">{_x(title)}</title>',
               f'<desc id="kk-scan-uitleg">{_x(desc)}</desc>',
               f'<rect x="0" y="0" width="{width}" height="{height}" fill="#FFFFFF"/>']
        # column headings: one band per axis, values spanning their columns
        span = n
        for level, axis in enumerate(p.axes):
            span //= len(p.values[level])
            y = PAD + level * HEAD_ROW
            out.append(f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end" fill="{INK}" font-weight="600">'
                       f'{_x(self.vocab.axes[axis].label)}</text>')
            for start in range(0, n, span):
                value = p.all[start][level]
                x = label_w + start * CELL
                label = self.vocab.axes[axis].terms[value].label.lower()
                if _text_width(label) > span * CELL - 4:
                    label = self.rules.short_label(axis, value)
                out.append(f'<rect x="{x + 1}" y="{y + 1}" width="{span * CELL - 2}" height="{HEAD_ROW - 2}" '
                           f'fill="#F3F5FA" stroke="{LINE}" stroke-width="0.5"/>')
                out.append(f'<text x="{x + span * CELL / 2:.1f}" y="{y + 14}" text-anchor="middle" fill="{INK}">'
                           f'{_x(label)}</text>')
        # organisations, placed by the profiles they serve
        out.append(f'<text x="{PAD}" y="{top_org - 4}" fill="{INK}" font-weight="600">{_x(notes[0])}</text>')
        y = top_org + 8
        for row, shown, h in zip(rows, lines, heights):
            # one text element, a line per tspan: its text is the name as written (the space before
            # the second line is invisible, right-aligned)
            spans = "".join(f'<tspan x="{label_w - 8}" y="{y + 15 + j * LINE_H}">{_x((" " if j else "") + line)}</tspan>'
                            for j, line in enumerate(shown))
            out.append(f'<text text-anchor="end" fill="{INK}">{spans}</text>')
            out.append(f'<rect x="{label_w}" y="{y + 2}" width="{n * CELL}" height="{h - 4}" fill="none" '
                       f'stroke="{LINE}" stroke-width="0.5"/>')
            # the filled cells of a row as one path of rectangles: the same picture as a rect each,
            # in a third of the bytes (a chain of 100 organisations: hundreds of cells)
            cells = "".join(f"M{label_w + i * CELL + 2} {y + 4}h{CELL - 4}v{h - 8}h-{CELL - 4}z" for i in p.bits(row["mask"]))
            if cells:
                out.append(f'<path d="{cells}" fill="{FILL}"/>')
            y += h
        if not rows:
            out.append(f'<text x="{PAD}" y="{top_org + 22}" fill="{INK}">Geen organisatie in deze keten biedt hulp.</text>')
        # coverage per phase
        out.append(f'<text x="{PAD}" y="{top_fase - 6}" fill="{INK}" font-weight="600">{_x(notes[1])}</text>')
        # the cells of a phase grouped by kind (not in the phase, a gap, covered), then their
        # numbers: each group's look (of its cells, of its numbers) said once
        kinds = {"na": (f'fill="{NA_FILL}"', None),
                 "gat": (f'fill="{GAP_FILL}" stroke="{GAP}" stroke-width="1.5"', f'fill="{GAP}" font-weight="700"'),
                 "ok": (f'fill="#FFFFFF" stroke="{LINE}" stroke-width="0.5"', f'fill="{INK}"')}
        for k, fase in enumerate(p.fasen):
            y = top_fase + k * ROW
            out.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" fill="{INK}">'
                       f'{_x(self.vocab.label("fasen", fase))}</text>')
            shapes: dict[str, str] = {kind: "" for kind in kinds}
            numbers: dict[str, str] = {kind: "" for kind in kinds}
            for i, cell in enumerate(dekking[fase]):
                x = label_w + i * CELL
                kind = "na" if cell is None else "gat" if not cell else "ok"
                shapes[kind] += f'<rect x="{x + 1}" y="{y + 1}" width="{CELL - 2}" height="{ROW - 2}"/>'
                if cell is not None:
                    numbers[kind] += f'<text x="{x + CELL / 2:.1f}" y="{y + 15}">{len(cell)}</text>'
            out.extend(f'<g {kinds[kind][0]}>{cells}</g>' for kind, cells in shapes.items() if cells)
            out.extend(f'<g text-anchor="middle" {kinds[kind][1]}>{texts}</g>' for kind, texts in numbers.items() if texts)
        out.append(f'<text x="{PAD}" y="{legend_y + 6}" fill="{INK}">{_x(legend)}</text>')
        out.append("</svg>\n")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(out), width, height

    # -- the whole country -----------------------------------------------------------------------------
    def overview_rows(self) -> list[dict]:
        measures = scan_stage.summary(self.findings, self.vocab)
        local = Counter(code for org in self.ds.organisaties.values() for code in org.gemeenten)
        total = scan_stage.total_cells(self.profiles)
        rows = []
        for keten in sorted(self.ds.ketens.values(), key=lambda k: (k.naam.casefold(), k.cbs)):
            m = measures.get(keten.cbs) or ({s: 0 for s in scan_stage.SOORTEN} | {"cellen": 0, "signaalsoorten": 0, "spoed": 1})
            bijhouden = self.reports[keten.cbs].bijhouden if keten.cbs in self.reports else None
            rows.append({"keten": keten, "organisaties": local[keten.cbs],
                         "dekking": round(100 * (total - m["cellen"]) / total), **m,
                         "verouderd": len(bijhouden.verouderd) if bijhouden else None,
                         "bestanden": bijhouden.bestanden if bijhouden else None})
        return rows

    def threshold_months(self) -> int | None:
        """The upkeep threshold the reports were counted with (None when they were not counted)."""
        return next((r.bijhouden.maanden for r in self.reports.values() if r.bijhouden), None)

    def csv_text(self, rows: list[dict] | None = None) -> str:
        """The findings as CSV (`rows`: json_rows(), when the caller has them already)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for row in self.json_rows() if rows is None else rows:
            writer.writerow([_csv_cell(_flat(row[c])) for c in CSV_COLUMNS])
        return buffer.getvalue()

    def json_rows(self) -> list[dict]:
        return scan_stage.finding_rows(self.findings, self.ds)


def _flat(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    return str(value)


def _csv_cell(text: str) -> str:
    """Keep spreadsheets from reading a cell as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def scan_overview_files(md_env: Environment, view: ScanView) -> dict[str, str | bytes]:
    """The overview page and the exports of all chains, from the reports the analysis stage made
    (nothing is scanned again here); `ScanView.section` makes each chain page's section and figure."""
    overview = md_env.get_template("ketenscan-overzicht.md.j2").render(hier=urls.KETENSCAN_OVERZICHT,
        rijen=view.overview_rows(), cellen=scan_stage.total_cells(view.profiles), csv_file=Markup(CSV_FILE),
        json_file=Markup(JSON_FILE), soorten=scan_stage.SOORTEN, signaalsoorten=len(view.vocab["signaalsoorten"].terms),
        aantal=len(view.findings), maanden=view.threshold_months(), bestanden_van_de_keten=KETEN_BESTANDEN,
    )
    rows = view.json_rows()
    return {
        urls.KETENSCAN_OVERZICHT: overview,
        CSV_FILE: view.csv_text(rows),
        JSON_FILE: json.dumps(rows, ensure_ascii=False, indent=1) + "\n",
    }
