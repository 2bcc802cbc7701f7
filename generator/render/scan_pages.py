"""The chain scan on the site: the section on each municipality page, the overview, the exports.

`scan_files(md_env, dataset, reports)` turns the analysis stage's reports (scan.scan_reports, one
per chain) into the section data for each chain page (gemeente.md.j2 includes ketenscan.md.j2
with it), gemeenten/ketenscan.md (the national comparison) and downloads/ketenscan.csv and .json
(every finding). Nothing is scanned here: the figure and the table of ways in come from the same
report as the findings.

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

CSV_FILE = urls.download("ketenscan", "csv")
JSON_FILE = urls.download("ketenscan", "json")
# Headings per kind of finding and the words in "geen ...": the properties kop and geen of the
# vocabulary's bevindingen.
CSV_COLUMNS = ("gemeente", "gemeentenaam", "soort", "kenmerk", "aandacht", "organisaties", "profiel", "fase",
               "fasen", "tekst")

# Figure layout (px) and colours: dark fills on white (contrast above 3:1 for graphics, WCAG 1.4.11).
LABEL_W, CELL, ROW, HEAD_ROW, PAD = 232, 24, 22, 20, 8
INK, FILL, GAP, GAP_FILL, NA_FILL, LINE = "#1a1a1a", "#1F3864", "#A4262C", "#FCE4E4", "#EDEDED", "#8A8A8A"
# Short labels in the figure: the property kort of each axis term (Domain.short_label).


def _x(value) -> str:
    """Text for inside the SVG: XML-escaped."""
    return str(escape(str(value)))


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
        return {
            "groepen": groepen, "leeg": ", ".join(leeg[:-1]) + " of " + leeg[-1] if len(leeg) > 1 else "".join(leeg), "telling": scan_stage.opsomming(telling),
            "svg": self.svg(keten, chain, rows, dekking), "rijen": rows, "alt": self.alt(keten),
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
        p = self.profiles
        n = len(p.all)
        width = LABEL_W + n * CELL + PAD
        top_org = PAD + HEAD_ROW * len(p.axes) + 24
        top_fase = top_org + 8 + ROW * max(len(rows), 1) + 30
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
               'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="12">',
               f'<title id="kk-scan-titel">{_x(title)}</title>',
               f'<desc id="kk-scan-uitleg">{_x(desc)}</desc>',
               f'<rect x="0" y="0" width="{width}" height="{height}" fill="#FFFFFF"/>']
        # column headings: one band per axis, values spanning their columns
        span = n
        for level, axis in enumerate(p.axes):
            span //= len(p.values[level])
            y = PAD + level * HEAD_ROW
            out.append(f'<text x="{LABEL_W - 8}" y="{y + 14}" text-anchor="end" fill="{INK}" font-weight="600">'
                       f'{_x(self.vocab.axes[axis].label)}</text>')
            for start in range(0, n, span):
                value = p.all[start][level]
                x = LABEL_W + start * CELL
                label = self.vocab.axes[axis].terms[value].label.lower() if span * CELL >= 100 else self.rules.short_label(axis, value)
                out.append(f'<rect x="{x + 1}" y="{y + 1}" width="{span * CELL - 2}" height="{HEAD_ROW - 2}" '
                           f'fill="#F3F5FA" stroke="{LINE}" stroke-width="0.5"/>')
                out.append(f'<text x="{x + span * CELL / 2:.1f}" y="{y + 14}" text-anchor="middle" fill="{INK}" '
                           f'font-size="{11 if span > 1 else 12}">{_x(label)}</text>')
        # organisations, placed by the profiles they serve
        out.append(f'<text x="{PAD}" y="{top_org - 4}" fill="{INK}" font-weight="600" font-size="12">'
                   'Organisaties (gevuld = helpt dit profiel)</text>')
        for r, row in enumerate(rows):
            y = top_org + 8 + r * ROW
            name = row["naam"] + (" (landelijk)" if row["landelijk"] else "")
            shown = name if len(name) <= 34 else name[:33] + "…"
            out.append(f'<text x="{LABEL_W - 8}" y="{y + 15}" text-anchor="end" fill="{INK}">{_x(shown)}</text>')
            out.append(f'<rect x="{LABEL_W}" y="{y + 2}" width="{n * CELL}" height="{ROW - 4}" fill="none" '
                       f'stroke="{LINE}" stroke-width="0.5"/>')
            for i in p.bits(row["mask"]):
                out.append(f'<rect x="{LABEL_W + i * CELL + 2}" y="{y + 4}" width="{CELL - 4}" height="{ROW - 8}" '
                           f'fill="{FILL}"/>')
        if not rows:
            out.append(f'<text x="{LABEL_W}" y="{top_org + 22}" fill="{INK}">Geen organisatie in deze keten biedt hulp.</text>')
        # coverage per phase
        out.append(f'<text x="{PAD}" y="{top_fase - 6}" fill="{INK}" font-weight="600">'
                   'Aantal organisaties per fase (0 = gat, grijs = hoort niet bij deze fase)</text>')
        for k, fase in enumerate(p.fasen):
            y = top_fase + k * ROW
            out.append(f'<text x="{LABEL_W - 8}" y="{y + 15}" text-anchor="end" fill="{INK}">'
                       f'{_x(self.vocab.label("fasen", fase))}</text>')
            for i, cell in enumerate(dekking[fase]):
                x = LABEL_W + i * CELL
                if cell is None:
                    out.append(f'<rect x="{x + 1}" y="{y + 1}" width="{CELL - 2}" height="{ROW - 2}" fill="{NA_FILL}"/>')
                elif not cell:
                    out.append(f'<rect x="{x + 1}" y="{y + 1}" width="{CELL - 2}" height="{ROW - 2}" fill="{GAP_FILL}" '
                               f'stroke="{GAP}" stroke-width="1.5"/>')
                    out.append(f'<text x="{x + CELL / 2:.1f}" y="{y + 15}" text-anchor="middle" fill="{GAP}" '
                               'font-weight="700">0</text>')
                else:
                    out.append(f'<rect x="{x + 1}" y="{y + 1}" width="{CELL - 2}" height="{ROW - 2}" fill="#FFFFFF" '
                               f'stroke="{LINE}" stroke-width="0.5"/>')
                    out.append(f'<text x="{x + CELL / 2:.1f}" y="{y + 15}" text-anchor="middle" fill="{INK}">'
                               f'{len(cell)}</text>')
        out.append(f'<text x="{PAD}" y="{legend_y + 6}" fill="{INK}" font-size="11">'
                   f'{_x("Schulden: geen, enkele of probl. (problematisch). Vertrouwen in hulp: + veel, − weinig.")}</text>')
        out.append("</svg>\n")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(out)

    # -- the whole country -----------------------------------------------------------------------------
    def overview_rows(self) -> list[dict]:
        measures = scan_stage.summary(self.findings, self.vocab)
        local = Counter(code for org in self.ds.organisaties.values() for code in org.gemeenten)
        total = scan_stage.total_cells(self.profiles)
        rows = []
        for keten in sorted(self.ds.ketens.values(), key=lambda k: (k.naam.casefold(), k.cbs)):
            m = measures.get(keten.cbs) or ({s: 0 for s in scan_stage.SOORTEN} | {"cellen": 0, "signaalsoorten": 0, "spoed": 1})
            rows.append({"keten": keten, "organisaties": local[keten.cbs],
                         "dekking": round(100 * (total - m["cellen"]) / total), **m})
        return rows

    def csv_text(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for row in self.json_rows():
            writer.writerow([_csv_cell(_flat(row[c])) for c in CSV_COLUMNS])
        return buffer.getvalue()

    def json_rows(self) -> list[dict]:
        rows = []
        for f in self.findings:
            row = f.as_dict()
            row["gemeentenaam"] = self.ds.ketens[f.gemeente].naam if f.gemeente in self.ds.ketens else f.gemeente
            rows.append(row)
        return rows


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


def scan_files(md_env: Environment, dataset: Dataset,
               reports: dict[str, scan_stage.ChainReport]) -> tuple[dict[str, dict], dict[str, str | bytes]]:
    """The section of each chain page (by CBS code), and the overview page, figures and exports,
    all from the reports the analysis stage made (nothing is scanned again here)."""
    view = ScanView(dataset, reports)
    sections = {keten.cbs: view.section(keten) for keten in dataset.ketens.values()}
    overview = md_env.get_template("ketenscan-overzicht.md.j2").render(hier=urls.KETENSCAN_OVERZICHT,
        rijen=view.overview_rows(), cellen=scan_stage.total_cells(view.profiles), csv_file=Markup(CSV_FILE),
        json_file=Markup(JSON_FILE), soorten=scan_stage.SOORTEN, signaalsoorten=len(view.vocab["signaalsoorten"].terms),
        aantal=len(view.findings),
    )
    figures = {urls.scan_figuur(keten.slug): sections[keten.cbs]["svg"] for keten in dataset.ketens.values()}
    return sections, {
        **figures,
        urls.KETENSCAN_OVERZICHT: overview,
        CSV_FILE: view.csv_text(),
        JSON_FILE: json.dumps(view.json_rows(), ensure_ascii=False, indent=1) + "\n",
    }
