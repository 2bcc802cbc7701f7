"""The verwijswijzer page in Chromium: the form, the result, the shared link, keyboard, phone, print.

The expected answers come from the command line's function (generator/analyse/verwijs), so the page
is checked against the same matching, not against numbers written down here.
"""

from __future__ import annotations

import random
import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from generator.analyse import verwijs
from generator.graph.build import build_graph
from generator.load.loader import load, zoek_gemeente

from sitebuild import EXAMPLE_DATA, build_site, serve_folder

DATASET, _ = load(EXAMPLE_DATA)
GRAPH = build_graph(DATASET)
ZWOLLE = zoek_gemeente(DATASET, "Zwolle")
RESULT = "#kk-vw-resultaat"


def only_local(urls: list[str], base: str) -> list[str]:
    """The requests that went anywhere but the local test server."""
    own = urlsplit(base).netloc
    return [u for u in urls if urlsplit(u).scheme not in ("data", "blob", "about") and urlsplit(u).netloc != own]


def new_page(browser, **options):
    context = browser.new_context(locale="nl-NL", **options)
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda request: pg.requests.append(request.url))
    pg.errors = []
    pg.on("pageerror", lambda error: pg.errors.append(str(error)))
    return context, pg


def wait_for_result(pg) -> None:
    pg.wait_for_selector(f"{RESULT} h2 >> visible=true")
    pg.wait_for_function("!document.getElementById('kk-vw-resultaat').hasAttribute('aria-busy')")


def listed_names(pg) -> list[str]:
    """The local organisations of the advice: those that fit, then those 'ook mogelijk'."""
    return pg.locator(f"{RESULT} .kk-vw-advies .kk-vw-lijst:not(.kk-vw-landelijk) .kk-vw-naam").all_text_contents()


def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF from Chromium (its page objects; /Type /Pages is the tree)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))


def test_fill_in_get_result_and_open_the_shared_link(browser, page, example_server):
    page.goto(f"{example_server}/verwijswijzer/")
    assert page.get_attribute(RESULT, "aria-live") == "polite"
    page.select_option("#kk-vw-gemeente", "zwolle")
    page.check("#kk-vw-leerbaarheid-leerbaar")
    page.check("#kk-vw-doelgroep-lvb")
    page.click("button[type=submit]")
    wait_for_result(page)

    expected = verwijs.verwijs(DATASET, GRAPH, ZWOLLE, verwijs.Profiel(leerbaarheid="leerbaar", doelgroepen=frozenset({"lvb"})))
    assert page.inner_text(f"{RESULT} h2") == "Advies voor Zwolle"
    assert listed_names(page) == [o["naam"] for o in expected["organisaties"]]
    assert [i["naam"] for i in expected["instrumenten"]] == page.locator(".kk-vw-instrumenten a").all_text_contents()
    assert page.locator(".kk-vw-route li a").all_text_contents() == [s["naam"] for s in expected["route_stappen"]]
    shown = page.inner_text(RESULT)
    assert expected["termijn"]["termijn"] in shown

    link = page.evaluate("document.getElementById('kk-vw-link').href")
    assert page.url == link  # the address bar holds the answers too
    assert "leerbaarheid=leerbaar" in link and "doelgroep=lvb" in link

    context, fresh = new_page(browser, viewport={"width": 1280, "height": 900})
    try:
        fresh.goto(link)
        wait_for_result(fresh)
        assert fresh.inner_text(RESULT) == shown
        assert fresh.is_checked("#kk-vw-leerbaarheid-leerbaar") and fresh.is_checked("#kk-vw-doelgroep-lvb")
        assert fresh.input_value("#kk-vw-gemeente") == "zwolle"
        assert not fresh.errors
        assert not only_local(fresh.requests, example_server)
    finally:
        context.close()
    assert not only_local(page.requests, example_server)


def test_keyboard_only(page, example_server):
    page.goto(f"{example_server}/verwijswijzer/")
    page.focus("#kk-vw-gemeente")
    page.keyboard.press("End")  # the last municipality in the list
    last = page.evaluate("[...document.getElementById('kk-vw-gemeente').options].pop().value")
    assert page.input_value("#kk-vw-gemeente") == last
    page.keyboard.press("Tab")  # into the first question; its checked option is "weet ik niet"
    assert page.evaluate("document.activeElement.id") == "kk-vw-leerbaarheid-onbekend"
    page.keyboard.press("ArrowUp")
    assert page.is_checked("#kk-vw-leerbaarheid-minder-leerbaar")
    for _ in range(40):  # tab on to the button, as a keyboard user does
        if page.evaluate("document.activeElement.type") == "submit":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    wait_for_result(page)
    keten = zoek_gemeente(DATASET, last)
    expected = verwijs.verwijs(DATASET, GRAPH, keten, verwijs.Profiel(leerbaarheid="minder-leerbaar"))
    assert listed_names(page) == [o["naam"] for o in expected["organisaties"]]


def test_no_municipality_chosen_says_so(page, example_server):
    page.goto(f"{example_server}/verwijswijzer/")
    page.click("button[type=submit]")
    assert page.is_visible("#kk-vw-gemeente-fout")
    assert page.get_attribute("#kk-vw-gemeente", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "kk-vw-gemeente"
    page.goto(f"{example_server}/verwijswijzer/#gemeente=GM0193&urgent=ja")  # a CBS code works in a link
    wait_for_result(page)
    assert listed_names(page)[0] == DATASET.organisaties["sociaal-raadslieden-de-kern"].naam


def test_phone_print_and_accessibility(browser, example_server):
    context, pg = new_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        pg.goto(f"{example_server}/verwijswijzer/")
        pg.select_option("#kk-vw-gemeente", "zwolle")
        pg.tap("label[for=kk-vw-schulden-problematisch]")
        pg.tap("label[for=kk-vw-urgent-ja]")
        pg.tap("button[type=submit]")
        wait_for_result(pg)
        assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        results = Axe().run(pg, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
        blocking = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert not blocking
        pg.emulate_media(media="print")
        assert not pg.is_visible("#kk-vw-formulier")
        assert pg.is_visible(RESULT) and pg.is_visible(f"{RESULT} .kk-vw-route")
        assert not pg.is_visible("#keten-per-gemeente")
        assert not pg.errors and not only_local(pg.requests, example_server)
    finally:
        context.close()


def test_without_javascript_the_page_points_to_the_chain_pages(browser, example_server):
    context, pg = new_page(browser, java_script_enabled=False)
    try:
        pg.goto(f"{example_server}/verwijswijzer/")
        assert not pg.is_visible("#kk-vw-formulier")
        for keten in DATASET.ketens.values():
            assert pg.get_by_role("link", name=f"Keten {keten.naam}").is_visible()
        pg.get_by_role("link", name="Keten Zwolle").click()
        assert pg.url.endswith("/gemeenten/zwolle/")
    finally:
        context.close()


def test_the_page_script_and_the_command_line_agree(page, example_server):
    """The page's own lookup (verwijswijzer.js) on a sample of profiles, against the CLI's answers."""
    page.goto(f"{example_server}/verwijswijzer/")
    profiles = random.Random(4).sample(verwijs.alle_profielen(), 150)
    for keten in DATASET.ketens.values():
        expected = verwijs.verwijs_alle(DATASET, GRAPH, keten, profiles)
        answers = [{"gemeente": keten.slug, **{a: getattr(p, a) or "" for a in verwijs.AXES},
                    "urgent": "ja" if p.urgent else "", "doelgroep": sorted(p.doelgroepen), "fase": p.fase or ""}
                   for p in profiles]
        got = page.evaluate("""async ([slug, answers]) => {
            const vw = window.ketenkaartVerwijswijzer;
            const data = await vw.load(slug);
            return answers.map(a => vw.lookup(data, a));
        }""", [keten.slug, answers])
        for profile, want, have in zip(profiles, expected, got):
            want = dict(want)
            del want["profiel"]
            assert have == want, profile


@pytest.fixture
def hostile_site(data_copy, tmp_path):
    """The example data with markup in an organisation's name and reason, built and served."""
    path = data_copy / "zwolle" / "humanitas-zwolle.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("naam: Humanitas Thuisadministratie Zwolle",
                        "naam: '<img src=x onerror=\"window.kkGehackt=1\">Humanitas'")
    path.write_text(text, encoding="utf-8")
    assert build_site(data_copy, tmp_path / "site", tmp_path / "build") == 0
    url, server = serve_folder(tmp_path / "site")
    yield url
    server.shutdown()


def test_text_from_data_is_shown_as_text(page, hostile_site):
    page.goto(f"{hostile_site}/verwijswijzer/#gemeente=zwolle&leerbaarheid=leerbaar")
    wait_for_result(page)
    assert '<img src=x onerror="window.kkGehackt=1">Humanitas' in listed_names(page)
    assert page.locator(f"{RESULT} img").count() == 0
    assert page.evaluate("window.kkGehackt") is None
    assert not only_local(page.requests, hostile_site)


ALMERE = zoek_gemeente(DATASET, "Almere")
ISSUE_LINK_ALMERE = "/verwijswijzer/#gemeente=almere&problematiek=complex&schulden=problematisch&vertrouwen=weinig"


def in_viewport(pg, selector: str) -> bool:
    return pg.evaluate("""(sel) => {
        const r = document.querySelector(sel).getBoundingClientRect();
        return r.top >= 0 && r.top < window.innerHeight && r.bottom > 0;
    }""", selector)


def test_a_shared_link_opens_at_the_advice_with_the_first_step_first(browser, example_server):
    context, pg = new_page(browser, viewport={"width": 1280, "height": 900})
    try:
        pg.goto(example_server + ISSUE_LINK_ALMERE)
        wait_for_result(pg)
        pg.wait_for_function("window.scrollY > 0")
        assert in_viewport(pg, "#kk-vw-advies") and in_viewport(pg, "#kk-vw-eerste-stap")
        expected = verwijs.verwijs(DATASET, GRAPH, ALMERE, verwijs.Profiel(
            problematiek="complex", schulden="problematisch", vertrouwen="weinig"))
        first = pg.inner_text("#kk-vw-eerste-stap")
        assert expected["eerste_stap"]["naam"] in first and "Vraag het aan de gemeente Almere." in first
        # the first block of the advice, before the organisations
        headings = pg.locator(f"{RESULT} .kk-vw-advies h3").all_text_contents()
        assert headings[:2] == ["Eerste stap", "Organisaties die passen"] and "Ook mogelijk" in headings
        assert "Antwoorden zonder effect" in headings
        assert "Weinig vertrouwen" in pg.inner_text(".kk-vw-geen-effect")
        assert listed_names(pg) == [o["naam"] for o in expected["organisaties"]]
        assert not pg.errors and not only_local(pg.requests, example_server)
    finally:
        context.close()


def test_the_form_marks_answers_that_make_no_difference_here(page, example_server):
    page.goto(f"{example_server}/verwijswijzer/")
    page.select_option("#kk-vw-gemeente", "almere")
    page.wait_for_selector(".kk-vw-geen-verschil")
    data = page.evaluate("window.ketenkaartVerwijswijzer.load('almere')")
    marked = set(page.evaluate("""() => [...document.querySelectorAll('.kk-vw-geen-verschil')]
        .map(s => document.getElementById(s.parentElement.htmlFor).id)"""))
    expected = set()
    for q, (key, options) in enumerate(data["vragen"]):
        for o, value in enumerate(options):
            if o and not any(q == axis and classes[o] != classes[0]
                             for part in data["delen"].values() for axis, classes in part["assen"]):
                name = "doelgroep" if key.startswith("doelgroep.") else key
                expected.add(f"kk-vw-{name}-{key.partition('.')[2] if name == 'doelgroep' else value}")
    assert marked == expected and "kk-vw-vertrouwen-weinig" in marked
    assert page.inner_text("label[for=kk-vw-vertrouwen-weinig]").endswith("Maakt in deze gemeente geen verschil.")
    page.select_option("#kk-vw-gemeente", "")
    page.wait_for_function("!document.querySelector('.kk-vw-geen-verschil')")


def test_the_view_for_the_help_seeker_is_a_link_and_one_a4(browser, example_server):
    context, pg = new_page(browser, viewport={"width": 1280, "height": 900})
    try:
        pg.goto(f"{example_server}/verwijswijzer/#gemeente=zwolle&leerbaarheid=minder-leerbaar&schulden=problematisch"
                "&urgent=ja&doelgroep=ouderen")
        wait_for_result(pg)
        link = pg.get_attribute(".kk-vw-naar-hulpvrager a", "href")
        assert "voor=hulpvrager" in link and "gemeente=zwolle" in link
        pg.click(".kk-vw-naar-hulpvrager a")
        pg.wait_for_function("document.documentElement.classList.contains('kk-vw-voor-hulpvrager')")
        assert not pg.is_visible("#kk-vw-formulier") and not pg.is_visible("#kk-vw-advies")
        view = pg.inner_text("#kk-vw-hulpvrager")
        assert "Op Orde Zwolle" in view and "3 werkdagen" in view and "U kunt hier zelf terecht" in view
        assert "geen naam of andere gegevens over u" in view
        assert in_viewport(pg, "#kk-vw-hulpvrager-kop")
        pg.emulate_media(media="print")
        assert pdf_pages(pg.pdf(format="A4")) == 1
        assert not pg.errors and not only_local(pg.requests, example_server)
    finally:
        context.close()
    # the same view, opened from a shared link in a fresh browser, and with the longest first step
    context, pg = new_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        pg.goto(example_server + ISSUE_LINK_ALMERE + "&voor=hulpvrager")
        wait_for_result(pg)
        assert in_viewport(pg, "#kk-vw-hulpvrager-kop")
        assert "Uw hulpverlener meldt u hier aan" in pg.inner_text("#kk-vw-hulpvrager")
        pg.emulate_media(media="print")
        assert pdf_pages(pg.pdf(format="A4")) == 1
        pg.emulate_media(media="screen")
        pg.click(".kk-vw-heel-advies a")
        pg.wait_for_function("!document.documentElement.classList.contains('kk-vw-voor-hulpvrager')")
        assert pg.is_visible("#kk-vw-formulier") and pg.is_visible("#kk-vw-advies")
    finally:
        context.close()
