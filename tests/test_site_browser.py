"""The built site in a real browser (Debian's Chromium driven by Playwright), served under a project path.

Both languages: search, the language menu, every page of each sitemap, and axe-core's WCAG 2.1 A/AA rules.
Screenshots and the page weights land in test-artifacts/.
"""
from __future__ import annotations

import contextlib
import functools
import json
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import pytest

from .planning import fastest_days

pytestmark = pytest.mark.browser

# Debian's Chromium as its old headless shell (package chromium-headless-shell, which tools/system-packages installs),
# as Playwright itself runs headless tests: the full browser's headless mode keeps drawing its own window's WebUI,
# and 12 visits with search typed cost 27 s of CPU in it against 13 s in the shell (measured side by side). Else the
# full Chromium; on GitHub's Ubuntu runners, where Chromium is only a snap, the Google Chrome they come with.
CHROMIUM = (shutil.which("chromium-headless-shell") or shutil.which("chromium") or shutil.which("google-chrome")
            or "/usr/bin/chromium-headless-shell")
PROJECT_PATH = "/catalogue/"  # as on GitHub Pages: https://<user>.github.io/<repo>/
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DOWNLOAD_SUFFIXES = (".stl", ".step", ".3mf", ".glb", ".png", ".zip", ".toml", ".py", ".dxf", ".svg", "SHA256SUMS")


class ProjectPathHandler(SimpleHTTPRequestHandler):
    """Serves the site only below PROJECT_PATH; anything else is a 404, as an absolute link would be."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(PROJECT_PATH):
            return str(Path(self.directory) / ".no-such-file")
        return super().translate_path("/" + path[len(PROJECT_PATH):])

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve_site(site: Path):
    """`site` served below PROJECT_PATH on 127.0.0.1; yields the base URL."""
    handler = functools.partial(ProjectPathHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{PROJECT_PATH}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def base_url(catalogue):
    root, _ = catalogue
    with serve_site(root / "site") as url:
        yield url


CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
# WebGL without a GPU, for the 3D view only: SwiftShader draws every frame on the CPU, and a page repainting as
# search results are typed cost 1.6 s of CPU instead of 0.5 s (measured, 8 visits of 4 pages).
WEBGL_ARGS = ["--use-angle=swiftshader", "--enable-unsafe-swiftshader"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def webgl_browser(browser):
    """A Chromium that draws the 3D view (WebGL), in software; started by the same Playwright (one per process)."""
    launched = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + WEBGL_ARGS)
    yield launched
    launched.close()


class Visit:
    """A page with everything it requested and every console error it logged."""

    def __init__(self, browser, width: int = 1280, height: int = 900):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.bytes_received = 0
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("Network.enable")
        cdp.on("Network.loadingFinished", self._count)

    def _count(self, event) -> None:
        self.bytes_received += int(event.get("encodedDataLength", 0))

    def outside(self, base_url: str) -> list[str]:
        origin = base_url[: base_url.index(PROJECT_PATH)]
        return [u for u in self.requests if not u.startswith(origin + "/") and not u.startswith(("data:", "blob:"))]

    def close(self) -> None:
        self.context.close()


def record_weight(name: str, size: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "page-weight.json"
    weights = json.loads(path.read_text()) if path.is_file() else {}
    weights[name] = size
    path.write_text(json.dumps(weights, indent=1, sort_keys=True) + "\n")


def search(page, words: str):
    """Type into Material's search box once its index is ready; the first result's link."""
    page.click("label.md-search__icon, .md-search__input", timeout=5000)
    page.wait_for_function("() => !document.querySelector('.md-search-result__meta').textContent.includes('Initializing')",
                           timeout=15000)
    page.locator("input.md-search__input").press_sequentially(words, delay=30)
    # results for the whole query, not for the letters typed so far (each link carries its query in ?h=, with its
    # accents folded: javascripts/search-worker.js)
    page.wait_for_function("""words => {
        const letters = s => s.normalize("NFD").replace(/[\\u0300-\\u036f]/g, "").replace(/[^\\p{L}]/gu, "").toLowerCase();
        return [...document.querySelectorAll(".md-search-result__item a")].some(a =>
            letters(new URL(a.href).searchParams.get("h") || "") === letters(words));
    }""", arg=words, timeout=15000)
    return page.locator(".md-search-result__item a").first


def settled(page, selector: str, quiet_ms: int = 300) -> None:
    """Wait until nothing under `selector` has changed for `quiet_ms` (a list drawn in batches is complete)."""
    page.evaluate("""([selector, quiet]) => new Promise(done => {
        let timer = setTimeout(done, quiet);
        new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quiet); })
            .observe(document.querySelector(selector), {subtree: true, childList: true, characterData: true});
    })""", [selector, quiet_ms])


def result_links(page) -> list[str]:
    return page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")


def test_the_root_sends_a_reader_to_their_language(browser, base_url):
    for locale, lang in (("en-GB", "en"), ("fr-FR", "fr")):
        context = browser.new_context(locale=locale)
        page = context.new_page()
        page.goto(base_url, wait_until="networkidle")
        assert page.url == f"{base_url}{lang}/"
        assert page.locator("html").get_attribute("lang") == lang
        context.close()


def test_searching_for_an_ear_saver_opens_its_page(browser, base_url):
    visit = Visit(browser)
    page = visit.page
    page.goto(base_url + "en/", wait_until="networkidle")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
    result = search(page, "ear saver")
    result.click()
    page.wait_for_load_state("networkidle")
    assert "/en/designs/ear-saver-" in page.url  # the catalogue has several ear savers: any of them is right
    assert "ear saver" in page.locator("h1").first.inner_text().lower()
    assert visit.errors == []
    assert visit.outside(base_url) == []
    visit.close()


@pytest.mark.parametrize("lang, words, expected", [
    ("fr", "visière", r"/fr/designs/visor-"),
    ("fr", "attache-masque", r"/fr/designs/ear-saver-"),
    ("fr", "raccord", r"/fr/designs/iso-5356-22[fm]-coupler/"),
    ("en", "visor", r"/en/designs/visor-"),
    ("en", "ear saver", r"/en/designs/ear-saver-"),
    ("en", "coupler", r"/en/designs/iso-5356-22[fm]-coupler/"),
])
def test_each_language_searches_its_own_pages(browser, base_url, lang, words, expected):
    visit = Visit(browser)
    page = visit.page
    page.goto(base_url + f"{lang}/", wait_until="networkidle")
    search(page, words)
    hrefs = result_links(page)
    assert re.search(expected, hrefs[0]), hrefs[:3]  # the best match is a page of the right kind
    assert all(f"{PROJECT_PATH}{lang}/" in href for href in hrefs)  # and every match is in this language
    assert visit.errors == [] and visit.outside(base_url) == []
    visit.close()


def test_a_french_word_does_not_find_english_pages(browser, base_url):
    visit = Visit(browser)
    page = visit.page
    page.goto(base_url + "en/", wait_until="networkidle")
    search(page, "visor")  # the English index is ready once it answers
    assert finished_search(page, "") == "Type to start searching"
    # Material searches on keyup: the whole word goes in at once, then one key, so "raccord" is the only query
    # in flight, and the meta line changes only once the index has answered it (never on a slow search)
    assert finished_search(page, "raccord") == "No matching documents"
    assert result_links(page) == []
    visit.close()


def finished_search(page, words: str) -> str:
    """Search for exactly `words` (one query, not one per letter); the result line once the index has answered."""
    meta = page.locator(".md-search-result__meta")
    before = meta.inner_text()
    page.fill("input.md-search__input", words)
    page.press("input.md-search__input", "End")
    page.wait_for_function("before => document.querySelector('.md-search-result__meta').textContent.trim() !== before",
                           arg=before.strip(), timeout=15000)
    return meta.inner_text().strip()


def test_the_language_menu_keeps_the_reader_on_the_same_design(browser, base_url):
    visit = Visit(browser)
    page = visit.page
    page.goto(base_url + "en/designs/visor-headband-888/", wait_until="networkidle")
    for lang, heading in (("fr", "Serre-tête de visière"), ("en", "Visor headband")):
        page.hover(".md-header__option .md-select")
        page.click(f"a.md-select__link[hreflang={lang}]")
        page.wait_for_load_state("networkidle")
        assert page.url == f"{base_url}{lang}/designs/visor-headband-888/"
        assert page.locator("html").get_attribute("lang") == lang
        assert heading in page.locator("h1").first.inner_text()
    assert visit.errors == [] and visit.outside(base_url) == []
    visit.close()


def test_every_page_of_each_sitemap_exists_in_both_languages(browser, base_url):
    visit = Visit(browser)
    request = visit.context.request
    pages: dict[str, set[str]] = {}
    for lang in ("en", "fr"):
        sitemap = request.get(f"{base_url}{lang}/sitemap.xml").text()
        locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
        pages[lang] = {re.sub(rf"^.*?/{lang}/", "", loc) for loc in locations}
    assert pages["en"] == pages["fr"] and len(pages["en"]) > 15
    for path in sorted(pages["en"]):
        for lang in ("en", "fr"):
            response = request.get(f"{base_url}{lang}/{path}")
            assert response.status == 200, f"{lang}/{path} answers {response.status}"
            assert f'<html lang="{lang}"' in response.text()
    visit.close()


def test_the_3d_view_loads_its_glb_from_the_site_only(webgl_browser, base_url):
    visit = Visit(webgl_browser, width=412, height=915)  # a phone
    page = visit.page
    page.goto(base_url + "en/designs/ear-saver-strap/", wait_until="networkidle")
    record_weight("design page (ear-saver-strap, en, phone)", visit.bytes_received)
    assert not any(u.endswith((".glb", "model-viewer.min.js")) for u in visit.requests), "the 3D view must load lazily"
    page.screenshot(path=str(ARTIFACTS / "design-page-phone.png"), full_page=True)
    page.click(".design-viewer__open")
    page.wait_for_function("() => document.querySelector('model-viewer') && document.querySelector('model-viewer').loaded",
                           timeout=60000)
    page.wait_for_function("""() => performance.getEntriesByType("resource").some(
        e => e.name.endsWith("/assets/meshopt/meshopt_decoder.js"))""", timeout=60000)
    assert any(u.endswith("ear-saver-strap-adult.glb") for u in visit.requests)
    assert any(u.endswith("/assets/meshopt/meshopt_decoder.js") for u in visit.requests)  # the compressed GLB's decoder
    # a clip, not an element screenshot: a busy software WebGL renderer can keep the element "unstable"
    page.screenshot(path=str(ARTIFACTS / "design-3d-view.png"), clip=page.locator("figure.design-viewer").bounding_box(),
                    timeout=60000)
    assert visit.errors == []
    assert visit.outside(base_url) == []
    visit.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_design_page_screenshot_and_weights_on_a_desktop(browser, base_url, lang):
    ARTIFACTS.mkdir(exist_ok=True)
    for name, path in (("home", ""), ("design page (visor-headband-888)", "designs/visor-headband-888/")):
        visit = Visit(browser)
        visit.page.goto(f"{base_url}{lang}/{path}", wait_until="networkidle")
        record_weight(f"{name}, {lang}", visit.bytes_received)
        if path:
            suffix = "" if lang == "en" else "-fr"
            visit.page.screenshot(path=str(ARTIFACTS / f"design-page{suffix}.png"), full_page=True)
        assert visit.errors == []
        assert visit.outside(base_url) == []
        visit.close()


def serious_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A and AA rules on the page as it is now; what it rates serious or critical."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("lang, path, query", [
    (lang, path, query) for lang in ("en", "fr") for path, query in (
        ("", None), ("designs/visor-headband-888/", None), ("designs/", None), ("designs/categories/visor/", None),
        ("designs/compare-visors/", None), ("designs/visor-laser-cut/", None), ("planner/", None),
        ("", {"en": "visor", "fr": "visière"}))])
def test_no_serious_accessibility_violation(browser, base_url, lang, path, query):
    visit = Visit(browser)
    page = visit.page
    page.goto(f"{base_url}{lang}/{path}", wait_until="networkidle")
    if query:
        search(page, query[lang])
        settled(page, ".md-search-result")  # every result drawn
    assert serious_violations(page) == []
    assert visit.outside(base_url) == []
    visit.close()


def test_pictures_and_the_3d_view_have_text_in_the_pages_language(webgl_browser, base_url):
    visit = Visit(webgl_browser)
    page = visit.page
    for lang, words in (("en", "variant adult"), ("fr", "variante adult")):
        page.goto(f"{base_url}{lang}/designs/ear-saver-strap/", wait_until="networkidle")
        alts = page.eval_on_selector_all("article img", "imgs => imgs.map(i => i.alt)")
        assert alts and all(alts), "every picture has alt text"
        assert words in page.locator("figure.design-viewer img").get_attribute("alt")
        page.click(".design-viewer__open")
        page.wait_for_selector("model-viewer", timeout=60000)
        viewer = page.locator("model-viewer")
        assert words in viewer.get_attribute("alt")
        described_by = viewer.get_attribute("aria-describedby")
        assert page.locator(f"#{described_by}").inner_text().strip()
    visit.close()


def test_every_download_link_answers_200(browser, base_url, catalogue):
    _, report = catalogue
    visit = Visit(browser)
    checked = 0
    for design in report.designs:
        page_url = base_url + f"en/designs/{design.slug}/"
        visit.page.goto(page_url)
        hrefs = visit.page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
        for href in {h for h in hrefs if h.endswith(DOWNLOAD_SUFFIXES)}:
            response = visit.context.request.get(urljoin(page_url, href))
            assert response.status == 200, f"{page_url}: {href} answers {response.status}"
            checked += 1
    assert checked >= len(report.artifacts) * 4 + 3 * len(report.designs)
    visit.close()


def test_the_table_of_all_designs_sorts_by_a_column(browser, base_url):
    visit = Visit(browser)
    page = visit.page
    page.goto(base_url + "en/designs/")
    first_cells = "() => [...document.querySelectorAll('.sortable tbody tr')].map(r => r.cells[0].innerText)"
    page.click(".sortable th:nth-child(1)")
    ascending = page.evaluate(first_cells)
    page.click(".sortable th:nth-child(1)")
    descending = page.evaluate(first_cells)
    assert ascending == sorted(ascending, key=str.lower)
    assert descending == ascending[::-1]
    visit.close()


def shown(page, selector: str, lang: str = "en") -> float:
    """A number as the planner shows it: 1,234.5 in English, 1 234,5 in French."""
    text = re.sub(r"\s", "", page.locator(selector).inner_text())
    return float(text.replace(",", "") if lang == "en" else text.replace(",", "."))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_planner_gives_the_days_the_per_printer_figures_imply(browser, base_url, catalogue, lang):
    """500 adult headbands on 70 bed-slingers: 500 / (70 × parts per printer per day) days."""
    root, _ = catalogue
    figures = json.loads((root / "site/production.json").read_text())
    headband = next(d for d in figures["designs"] if d["slug"] == "visor-headband-888")
    run = next(v for v in headband["variants"] if v["name"] == "adult")["runs"]["bedslinger-220"]
    days = 500 / (70 * run["units_per_printer_per_day"])
    kg = 500 * run["full_plate"]["filament_g"] / (run["copies_per_plate"] * run["parts_per_copy"]) / 1000
    visit = Visit(browser)
    page = visit.page
    page.goto(base_url + f"{lang}/planner/", wait_until="networkidle")
    page.locator("#production-planner .planner-orders select").first.select_option("visor-headband-888/adult")
    page.locator("#production-planner .planner-orders input").first.fill("500")
    page.locator("#production-planner input[name='bedslinger-220']").fill("70")
    page.locator("#production-planner input[name='mk3s-250x210']").fill("0")
    assert shown(page, ".planner-days", lang) == pytest.approx(days, abs=0.05 + 1e-9)  # shown to 0.1 day
    assert shown(page, ".planner-kg", lang) == pytest.approx(kg, abs=0.005 + 1e-9)  # shown to 0.01 kg
    assert (" jours de production" if lang == "fr" else " days of production") in page.inner_text(".planner-result")
    page.screenshot(path=str(ARTIFACTS / f"planner-{lang}.png"), full_page=True)
    # a second kind of printer shares the run in proportion to what each makes in a day
    mk3s = next(v for v in headband["variants"] if v["name"] == "adult")["runs"]["mk3s-250x210"]
    page.locator("#production-planner input[name='mk3s-250x210']").fill("10")
    both = 500 / (70 * run["units_per_printer_per_day"] + 10 * mk3s["units_per_printer_per_day"])
    assert shown(page, ".planner-days", lang) == pytest.approx(both, abs=0.05 + 1e-9)
    assert visit.errors == []
    assert visit.outside(base_url) == []
    visit.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_planner_with_printers_and_lasers_gives_the_days_the_per_machine_figures_imply(browser, base_url, catalogue,
                                                                                            lang):
    """500 laser-cut ear savers and 500 laser-cut visors on 20 bed-slingers and 2 ~100 W lasers, all at work at once:
    the visors, which no printer makes, go to the lasers alone, the ear savers to whichever machines finish the
    order soonest; the days are those of the fastest plan, worked out here as a linear programme."""
    root, _ = catalogue
    printed = json.loads((root / "site/production.json").read_text())
    cut = json.loads((root / "site/cutting.json").read_text())
    ear_printer = next(v for d in printed["designs"] if d["slug"] == "ear-saver-laser-cut"
                       for v in d["variants"] if v["name"] == "adult")["runs"]["bedslinger-220"]
    ear_laser = next(v for d in cut["designs"] if d["slug"] == "ear-saver-laser-cut"
                     for v in d["variants"] if v["name"] == "adult")["lasers"]["co2-100w"]
    visor_laser = next(v for d in cut["designs"] if d["slug"] == "visor-laser-cut"
                       for v in d["variants"] if v["name"] == "adult")["lasers"]["co2-100w"]
    days = fastest_days([500, 500], [[20 * ear_printer["units_per_printer_per_day"], 2 * ear_laser["units_per_laser_per_day"]],
                                     [0, 2 * visor_laser["units_per_laser_per_day"]]])
    # one after the other, as the planner once counted, would have been longer
    sequential = (500 / (20 * ear_printer["units_per_printer_per_day"] + 2 * ear_laser["units_per_laser_per_day"])
                  + 500 / (2 * visor_laser["units_per_laser_per_day"]))
    visit = Visit(browser)
    page = visit.page
    page.goto(base_url + f"{lang}/planner/", wait_until="networkidle")
    page.locator("#production-planner .planner-orders select").first.select_option("ear-saver-laser-cut/adult")
    page.locator("#production-planner .planner-orders input").first.fill("500")
    page.click("#production-planner .planner-add")
    page.locator("#production-planner .planner-orders select").nth(1).select_option("visor-laser-cut/adult")
    page.locator("#production-planner .planner-orders input").nth(1).fill("500")
    page.locator("#production-planner input[name='bedslinger-220']").fill("20")
    page.locator("#production-planner input[name='mk3s-250x210']").fill("0")
    page.locator("#production-planner input[name='laser-co2-100w']").fill("2")
    page.locator("#production-planner input[name='laser-co2-40w']").fill("0")
    assert shown(page, ".planner-days", lang) == pytest.approx(days, abs=0.05 + 1e-9)
    assert days < sequential - 0.1
    page.screenshot(path=str(ARTIFACTS / f"planner-lasers-{lang}.png"), full_page=True)
    assert visit.errors == []
    visit.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_planner_plans_sewn_masks_with_sewers_and_counts_the_fabric(browser, base_url, catalogue, lang):
    """500 adult pleated masks with 10 sewers: 500 × minutes per mask / (10 × hours a day × 60) days, and the
    shopping list's fabric is 500 masks of the 140 cm roll the nested marker gives (catalogue.json)."""
    root, _ = catalogue
    sewing = json.loads((root / "site/sewing.json").read_text())
    entries = json.loads((root / "site/catalogue.json").read_text())["designs"]
    mask = next(v for d in entries if d["slug"] == "mask-afnor-pleated" for v in d["variants"] if v["name"] == "adult")
    minutes = mask["sewing"]["minutes_per_mask"]
    hours = sewing["sewer"]["hours_per_day"]
    metres = 500 / 100 * next(r for r in mask["sewing"]["rolls"] if r["width_cm"] == 140)["metres_per_100_masks"]
    visit = Visit(browser)
    page = visit.page
    page.goto(base_url + f"{lang}/planner/", wait_until="networkidle")
    page.locator("#production-planner .planner-orders select").first.select_option("mask-afnor-pleated/adult")
    page.locator("#production-planner .planner-orders input").first.fill("500")
    page.locator("#production-planner input[name='sewers']").fill("10")
    assert shown(page, ".planner-days", lang) == pytest.approx(500 * minutes / (10 * hours * 60), abs=0.05 + 1e-9)
    assert shown(page, ".planner-kg", lang) == 0  # sewing uses no filament
    rows = page.locator(".planner-shopping tbody tr")
    name = "Tissu" if lang == "fr" else "Fabric"  # the item's own cell: the thread's note speaks of fabric too
    fabric = next(rows.nth(i) for i in range(rows.count()) if rows.nth(i).locator("td").first.inner_text().strip() == name)
    amount = fabric.locator(".planner-amount").inner_text()
    assert amount.endswith("m")
    number = re.sub(r"[^\d,.]", "", amount)
    # the BOM carries a mask's fabric to 0.1 mm, the list shows metres to 0.1 m
    assert float(number.replace(",", "") if lang == "en" else number.replace(",", ".")) == pytest.approx(metres, abs=0.1)
    page.locator("#production-planner input[name='sewers-hours']").fill(str(hours / 2))  # half the hours: twice the days
    assert shown(page, ".planner-days", lang) == pytest.approx(500 * minutes / (10 * hours / 2 * 60), abs=0.05 + 1e-9)
    page.screenshot(path=str(ARTIFACTS / f"planner-sewing-{lang}.png"), full_page=True)
    assert visit.errors == []
    visit.close()
