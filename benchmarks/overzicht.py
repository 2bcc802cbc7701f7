"""The national overview map and its text at national scale: what the pages weigh, and what the
layouts cost. A benchmark, not a test: it prints figures and asserts nothing.

    .venv/bin/python benchmarks/overzicht.py                        # 342 municipalities x 30
    .venv/bin/python benchmarks/overzicht.py --per-gemeente 100     # 342 x 100 (several minutes)

Writes the clearly fictitious data set of benchmarks/fictief.py (every record says `fictief: ja`),
reads it with the Python API (generator.pipeline.load_project) and makes the two files as the
render stage does (the Gemeenten page by generator.render.pages, the map by
generator.render.overzicht; no other page, no MkDocs run). Printed:

* the overview map (kaarten/nederland.html): its document, and everything it loads (vis-network,
  the map scripts and style), uncompressed; budget: document with its data at most 500 KB;
* the Gemeenten page with the map's text equivalent: its Markdown, and its article as HTML
  (Python-Markdown with the extensions of mkdocs.yml; the theme's frame around it adds a fixed
  amount, the same for every data set); budget: 500 KB for the whole page;
* the time of the overview's layout and document, and of one chain map's layout at 100
  organisations (generator.render.kaart.layout), best of several runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))
from fictief import write_dataset  # noqa: E402

from generator import pipeline, urls  # noqa: E402
from generator.domain.rules import vocab_of  # noqa: E402
from generator.graph.build import build_graph, chain_members  # noqa: E402
from generator.project import Project  # noqa: E402
from generator.render import kaart, overzicht  # noqa: E402
from generator.render.markdown import html_env, markdown_env  # noqa: E402
from generator.render.pages import Pages  # noqa: E402

BUDGET_KB = 500
KB = 1000


def best_of(runs: int, job) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        job()
        best = min(best, time.perf_counter() - started)
    return best


def article_html(markdown_text: str) -> str:
    """The page's Markdown as HTML with the markdown extensions of mkdocs.yml (snippets left out:
    they only append the abbreviations)."""
    import markdown

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    extensions, configs = [], {}
    for item in config.get("markdown_extensions", []):
        name, options = (next(iter(item.items())) if isinstance(item, dict) else (item, None))
        if name == "pymdownx.snippets":
            continue
        extensions.append(name)
        if isinstance(options, dict):
            configs[name] = {k: v for k, v in options.items() if k not in ("permalink_title",)}
    body = markdown_text.split("---\n", 2)[-1] if markdown_text.startswith("---\n") else markdown_text
    return markdown.markdown(body, extensions=extensions, extension_configs=configs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gemeenten", type=int, default=342)
    parser.add_argument("--per-gemeente", type=int, default=30)
    args = parser.parse_args(argv)

    base = Path(tempfile.mkdtemp(prefix="kk-overzicht-"))
    try:
        data = write_dataset(base / "organisaties", args.gemeenten, args.per_gemeente)
        project = Project.at(ROOT, data=data, out=base / "site", work=base / "werk")
        started = time.perf_counter()
        dataset = pipeline.load_project(project)
        loaded = time.perf_counter() - started
        graph = build_graph(dataset)
        vocab = vocab_of(dataset)
        pages = Pages(markdown_env(), dataset, graph, vocab, pipeline.guidance(project),
                      pipeline.settings(project)[0], dt.date.today())
        files = {urls.GEMEENTEN_OVERZICHT: pages.overview_page(),
                 urls.OVERZICHTSKAART: overzicht.map_document(html_env(), dataset, graph, vocab), **kaart.vis_assets()}
        print(f"{len(dataset.ketens)} gemeenten, {len(dataset.organisaties)} organisaties (fictief): "
              f"inlezen {loaded:.1f} s")

        document = files[urls.OVERZICHTSKAART].encode("utf-8")
        loads = sum(len(files[p]) for p in (f"{kaart.VIS_DIR}/vis-network.min.js", kaart.BEELD_JS,
                                            kaart.OVERZICHT_JS, kaart.KAART_CSS))
        print(f"\nLandelijke kaart ({urls.OVERZICHTSKAART}):")
        print(f"  document met gegevens   {len(document) / KB:8.0f} KB   (budget {BUDGET_KB} KB)")
        print(f"  met alles wat hij laadt {(len(document) + loads) / KB:8.0f} KB   "
              f"(vis-network, scripts en stijl: {loads / KB:.0f} KB, gedeeld met de ketenkaarten)")

        source = files[urls.GEMEENTEN_OVERZICHT]
        html = article_html(source)
        print(f"\nPagina Gemeenten ({urls.url_of(urls.GEMEENTEN_OVERZICHT)}), met de kaart in tekst:")
        print(f"  Markdown                {len(source.encode()) / KB:8.0f} KB")
        print(f"  artikel als HTML        {len(html.encode()) / KB:8.0f} KB   (budget {BUDGET_KB} KB met het thema erom)")
        text = html[html.index('id="gedeelde-organisaties"'):] if 'id="gedeelde-organisaties"' in html else ""
        print(f"  waarvan de kaart in tekst {len(text.encode()) / KB:6.0f} KB")

        seconds = best_of(3, lambda: overzicht.map_document(html_env(), dataset, graph, vocab))
        print(f"\nLandelijke kaart maken (indeling en document): {seconds * 1000:.0f} ms (beste van 3)")
        seconds = best_of(3, pages.overview_page)
        print(f"Pagina Gemeenten maken: {seconds * 1000:.0f} ms (beste van 3)")
        biggest = max(dataset.ketens.values(), key=lambda k: len(chain_members(graph, k)))
        sub = graph.subgraph(chain_members(graph, biggest))
        phases = kaart.phase_positions(vocab, [dataset.organisaties[m] for m in sub])
        import networkx as nx
        seconds = best_of(5, lambda: kaart.layout(nx.Graph(sub), phases))
        print(f"Indeling van de grootste ketenkaart ({sub.number_of_nodes()} organisaties): {seconds * 1000:.0f} ms (beste van 5)")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
