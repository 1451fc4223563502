"""What a workshop needs at a glance, in a real browser (issue 28): the planner a coordinator can trust, on a phone
and on a desktop; every design page's first screen and tables at 1280 and 390 px in both languages; search that
forgives accents and knows the words makers use. Screenshots land in test-artifacts/.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from .planning import fastest_days
from .test_site_browser import ARTIFACTS, Visit, base_url, browser, shown  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

# The order: 200 headbands, 200 clips, 100 laser-cut visors and 500 ear savers on 3 + 3 printers and a laser.
MIXED_ORDER = [("visor-headband-888/adult", 200), ("visor-bottom-clip/standard", 200), ("visor-laser-cut/adult", 100),
               ("ear-saver-strap/adult", 500)]
FLEET = {"bedslinger-220": 3, "mk3s-250x210": 3, "laser-co2-40w": 1, "laser-co2-100w": 0}


def machine_rates(root, order, fleet) -> list[list[float]]:
    """What all the machines of each kind make of each ordered variant in a day (the reference hours)."""
    printed = json.loads((root / "site/production.json").read_text())
    cut = json.loads((root / "site/cutting.json").read_text())
    def figure(document, key, variant_id, machine):
        slug, name = variant_id.split("/")
        for design in document["designs"]:
            for variant in design["variants"]:
                if design["slug"] == slug and variant["name"] == name:
                    entry = variant[key].get(machine)
                    return entry and entry[f"units_per_{'printer' if key == 'runs' else 'laser'}_per_day"]
        return None
    rates = []
    for variant_id, _ in order:
        row = []
        for machine, count in fleet.items():
            if machine.startswith("laser-"):
                per_day = figure(cut, "lasers", variant_id, machine.removeprefix("laser-"))
            else:
                per_day = figure(printed, "runs", variant_id, machine)
            row.append(count * (per_day or 0))
        rates.append(row)
    return rates


def fill_plan(page, order, fleet) -> None:
    rows = page.locator("#production-planner .planner-order")
    for index, (variant, parts) in enumerate(order):
        if index >= rows.count():
            page.click("#production-planner .planner-add")
        rows.nth(index).locator("select").select_option(variant)
        rows.nth(index).locator("input").fill(str(parts))
    for machine, count in fleet.items():
        page.locator(f"#production-planner input[name='{machine}']").fill(str(count))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_mixed_order_gives_the_parallel_figure_on_a_phone_and_after_a_reload(browser, base_url, catalogue, lang):  # noqa: F811
    root, _ = catalogue
    rates = machine_rates(root, MIXED_ORDER, FLEET)
    days = fastest_days([q for _, q in MIXED_ORDER], rates)
    one_after_another = sum(q / sum(r) for (_, q), r in zip(MIXED_ORDER, rates, strict=True))
    assert days < one_after_another - 1  # the 4.2 days against 5.8: the laser works while the printers print
    visit = Visit(browser, width=390, height=844)
    page = visit.page
    page.goto(base_url + f"{lang}/planner/", wait_until="networkidle")
    fill_plan(page, MIXED_ORDER, FLEET)
    assert shown(page, ".planner-days", lang) == pytest.approx(days, abs=0.05 + 1e-9)
    # each kind of machine at work is shown with its share; none is busier than the plan's days
    shares = page.locator("#production-planner .planner-shares tbody tr")
    assert shares.count() == 3
    busy = [shown(page, f"#production-planner .planner-shares tbody tr:nth-child({i + 1}) .planner-busy", lang)
            for i in range(3)]
    assert max(busy) == pytest.approx(days, abs=0.05 + 1e-9)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / f"planner-phone-{lang}.png"), full_page=True)
    page.reload(wait_until="networkidle")
    assert shown(page, ".planner-days", lang) == pytest.approx(days, abs=0.05 + 1e-9)
    rows = page.locator("#production-planner .planner-order")
    assert [(rows.nth(i).locator("select").input_value(), int(rows.nth(i).locator("input").input_value()))
            for i in range(rows.count())] == MIXED_ORDER
    assert page.locator("#production-planner input[name='laser-co2-40w']").input_value() == "1"
    assert visit.errors == []
    visit.close()


def test_zero_negative_fractional_and_absurd_inputs_get_a_visible_message(browser, base_url):  # noqa: F811
    visit = Visit(browser)
    page = visit.page
    page.goto(base_url + "en/planner/", wait_until="networkidle")
    fill_plan(page, [("visor-headband-888/adult", 100)], {"bedslinger-220": 1, "mk3s-250x210": 0})
    parts = page.locator("#production-planner .planner-order input").first
    message = page.locator(f"#{parts.get_attribute('id')}-message")
    planned = shown(page, ".planner-days")
    for typed, words in (("-5", "negative"), ("0", "0 parts"), ("", "How many parts"), ("2.5", "not a whole number"),
                         ("5000000", "More than 1,000,000"), ("lots", "not a number")):
        parts.fill(typed)
        assert message.is_visible() and words in message.inner_text(), typed
        assert parts.get_attribute("aria-invalid") == "true"
        assert page.locator(".planner-days").count() == 0  # the row is out of the plan, and the result says so
    parts.fill("1e2")  # the number a spreadsheet would paste: 100, not 1
    assert not message.is_visible()
    assert shown(page, ".planner-days") == pytest.approx(planned)
    machines = page.locator("#production-planner input[name='bedslinger-220']")
    machines.fill("1.5")
    assert "not a whole number" in page.locator("#planner-machine-bedslinger-220-message").inner_text()
    hours = page.locator("#production-planner input[name='bedslinger-220-hours']")
    machines.fill("1")
    hours.fill("30")
    assert "24 hours" in page.locator("#planner-hours-bedslinger-220-message").inner_text()
    hours.fill("12")  # half the hours: twice the days
    assert shown(page, ".planner-days") == pytest.approx(2 * planned, abs=0.1)
    assert visit.errors == []
    visit.close()


def test_focus_follows_the_rows_and_the_shopping_list_downloads_as_csv(browser, base_url):  # noqa: F811
    visit = Visit(browser)
    page = visit.page
    page.goto(base_url + "fr/planner/", wait_until="networkidle")
    fill_plan(page, [("visor-headband-888/adult", 200), ("ear-saver-strap/adult", 300)], {"bedslinger-220": 2})
    rows = page.locator("#production-planner .planner-order")
    page.click("#production-planner .planner-add")
    assert page.evaluate("document.activeElement.id") == rows.nth(2).locator("select").get_attribute("id")
    second = rows.nth(1).locator("select").get_attribute("id")
    rows.nth(0).locator(".planner-remove").click()
    assert page.evaluate("document.activeElement.id") == second  # the next row's design
    rows.nth(1).locator(".planner-remove").click()
    rows.nth(0).locator(".planner-remove").click()
    assert page.evaluate("document.activeElement.className").find("planner-add") >= 0
    fill_plan(page, [("visor-headband-888/adult", 200)], {"bedslinger-220": 2})
    with page.expect_download() as download:
        page.click("#production-planner .planner-csv")
    table = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert table[0][:2] == ["Élément", "Quantité"]
    sheet = next(row for row in table if row[0].startswith("Feuille transparente"))
    assert float(sheet[1]) == 200
    assert all(not cell.startswith(("=", "+", "@")) for row in table for cell in row)
    assert visit.errors == []
    visit.close()


FIRST_SCREEN_AND_TABLES = """() => {
    const article = document.querySelector("article.md-content__inner");
    const box = article.getBoundingClientRect();
    const wide = [...article.querySelectorAll("table")].filter(t => t.getBoundingClientRect().width > box.width + 1)
        .map(t => `${t.tHead ? t.tHead.textContent.trim().slice(0, 40) : "?"}: ${Math.round(t.getBoundingClientRect().width)} px`);
    const perDay = document.querySelector(".design-summary .design-summary__per-day");
    return {wide, perDayBottom: perDay ? perDay.getBoundingClientRect().bottom : null,
            perDayText: perDay ? perDay.closest("li").textContent : "", pageWidth: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
def test_every_design_page_fits_and_shows_a_per_day_figure_in_its_first_screen(browser, base_url, catalogue,  # noqa: F811
                                                                               width, height):
    root, _ = catalogue
    slugs = [d["slug"] for d in json.loads((root / "site/catalogue.json").read_text())["designs"]]
    visit = Visit(browser, width=width, height=height)
    page = visit.page
    for lang, per_day in (("en", "per day"), ("fr", "par jour")):
        for slug in slugs:
            page.goto(base_url + f"{lang}/designs/{slug}/", wait_until="load")
            seen = page.evaluate(FIRST_SCREEN_AND_TABLES)
            assert seen["wide"] == [], (lang, slug, seen["wide"])
            assert seen["pageWidth"] <= width, (lang, slug)
            assert seen["perDayBottom"] is not None and seen["perDayBottom"] <= height, (lang, slug)
            assert per_day in seen["perDayText"]
        page.goto(base_url + f"{lang}/designs/", wait_until="load")
        assert page.evaluate(FIRST_SCREEN_AND_TABLES)["wide"] == [], lang
    page.goto(base_url + "fr/designs/visor-headband-888/", wait_until="load")
    page.screenshot(path=str(ARTIFACTS / f"headband-fr-{width}.png"))
    assert visit.errors == []
    visit.close()


def search_results(page, words: str) -> list[str]:
    """The pages (without their #section) a query finds, best first, once the index has answered all of it."""
    page.click("label.md-search__icon, .md-search__input", timeout=5000)
    page.wait_for_function("() => !/Initializ|Initialis/.test(document.querySelector('.md-search-result__meta').textContent)",
                           timeout=15000)
    page.fill("input.md-search__input", words)
    page.press("input.md-search__input", "End")  # Material searches on keyup: one query, for all the words
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item a').length > 0", timeout=15000)
    pages = []
    for href in page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)"):
        found = href.split("?")[0].split("#")[0]
        if found not in pages:
            pages.append(found)
    return pages


@pytest.mark.parametrize("lang, words, expected", [
    ("fr", "visiere", "visor-"),
    ("fr", "VISIERES", "visor-"),
    ("fr", "elastique", ("visor-headband-888", "visor-frame-flat-80", "ear-saver-strap")),
    ("fr", "acétate", ("visor-headband-888", "visor-frame-flat-80")),
    ("fr", "acetate", ("visor-headband-888", "visor-frame-flat-80")),
    ("fr", "rhodoïd", ("visor-headband-888", "visor-frame-flat-80")),
    ("fr", "PET", ("visor-headband-888", "visor-frame-flat-80")),
    ("fr", "plexiglas", ("visor-laser-cut",)),
    ("fr", "PMMA", ("visor-laser-cut",)),
    ("fr", "attache-masque", "ear-saver-"),
    ("fr", "attache masque", "ear-saver-"),
    ("en", "acetate", ("visor-headband-888", "visor-frame-flat-80")),
    ("en", "plexiglass", ("visor-laser-cut",)),
    ("en", "elastic", ("visor-headband-888", "visor-frame-flat-80", "ear-saver-strap")),
    ("en", "vísor", "visor-"),
])
def test_search_forgives_accents_and_knows_makers_words(browser, base_url, lang, words, expected):  # noqa: F811
    """The right design among the first three pages found: accents folded in the index and the query, and the words
    makers use (javascripts/search-words.js) widened to the catalogue's."""
    visit = Visit(browser)
    page = visit.page
    page.goto(base_url + f"{lang}/", wait_until="networkidle")
    first_three = search_results(page, words)[:3]
    slugs = [href.rstrip("/").rsplit("/", 1)[-1] for href in first_three]
    right = (lambda slug: slug.startswith(expected)) if isinstance(expected, str) else (lambda slug: slug in expected)
    assert any(right(slug) for slug in slugs), first_three
    assert all(f"/{lang}/" in href for href in first_three)
    assert visit.errors == []
    visit.close()


def test_the_visor_comparison_is_reached_from_the_home_page_and_the_visor_category(browser, base_url, catalogue):  # noqa: F811
    root, _ = catalogue
    visors = {d["slug"] for d in json.loads((root / "site/catalogue.json").read_text())["designs"]
              if d["metadata"]["category"] == "visor"}
    visit = Visit(browser, width=390, height=844)
    page = visit.page
    for start in ("fr/", "fr/designs/categories/visor/"):
        page.goto(base_url + start, wait_until="load")
        page.locator("article a", has_text="Comparer les visières").first.click()  # in the page, not the menu
        page.wait_for_load_state("load")
        assert page.url.endswith("/fr/designs/compare-visors/")
    rows = page.locator(".visor-comparison tbody tr")
    listed = {rows.nth(i).locator("a").first.get_attribute("href").strip("./").split("/")[-1] for i in range(rows.count())}
    assert listed == visors
    text = page.locator(".visor-comparison").inner_text()
    assert "Pièces par jour" in text and "Statut" in text and "Élastique plat" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "compare-visors-fr-390.png"), full_page=True)
    assert visit.errors == []
    visit.close()


def test_cards_put_whole_visors_first_and_designs_that_belong_together_link_each_other(browser, base_url):  # noqa: F811
    visit = Visit(browser)
    page = visit.page
    page.goto(base_url + "en/", wait_until="load")
    cards = page.eval_on_selector_all(".design-cards li strong a", "links => links.map(a => a.getAttribute('href'))")
    slugs = [href.rstrip("/").rsplit("/", 1)[-1] for href in cards]
    visors = [s for s in slugs if s.startswith("visor-")]
    assert slugs[:len(visors)] == visors  # the visors first
    assert visors[-1] == "visor-bottom-clip"  # the clip goes with a headband: after the whole visors
    page.goto(base_url + "en/designs/visor-headband-888/", wait_until="load")
    assert page.locator(".design-summary a[href='../visor-bottom-clip/']").count() == 1  # "Goes with"
    assert page.locator(".workshop-bom a[href='../visor-bottom-clip/']").count() >= 1  # the BOM names it
    page.goto(base_url + "en/designs/visor-bottom-clip/", wait_until="load")
    assert page.locator(".design-summary a[href='../visor-headband-888/']").count() == 1  # and back
    visit.close()


def test_the_french_site_speaks_french_and_the_language_menu_keeps_the_anchor(browser, base_url):  # noqa: F811
    visit = Visit(browser)
    page = visit.page
    page.goto(base_url + "fr/designs/visor-headband-888/#what-you-need", wait_until="load")
    assert "Fait avec" in page.locator(".md-copyright").inner_text()
    assert page.locator("a.headerlink").first.get_attribute("title") == "Lien permanent"
    assert "Tourner en 3D" in page.content() and "la visionneuse" in page.content()  # what the button really loads
    tags = [t.strip() for t in page.locator(".md-tag").all_inner_texts()]
    assert tags.count("visière") == 1 and "Visières" not in tags  # one tag, with its French name
    english = page.locator(".md-select__link[hreflang='en']")
    page.locator(".md-header__button[aria-label]").filter(has=page.locator("svg")).first.hover()
    english.dispatch_event("pointerdown")
    assert english.get_attribute("href").endswith("/en/designs/visor-headband-888/#what-you-need")
    page.goto(base_url + "fr/designs/", wait_until="load")
    assert page.locator(".sortable th").first.get_attribute("title") == "Trier selon cette colonne"
    assert visit.errors == []
    visit.close()


def test_the_404_page_is_styled_and_leads_home_from_any_path(browser, base_url, catalogue):  # noqa: F811
    """The host serves the site's root 404.html for any missing address, at any depth: it needs no other file."""
    root, _ = catalogue
    page_text = (root / "site/404.html").read_text(encoding="utf-8")
    visit = Visit(browser, width=390, height=844)
    page = visit.page
    page.route("**/somewhere/else/entirely/", lambda route: route.fulfill(status=404, body=page_text,
                                                                         content_type="text/html; charset=utf-8"))
    page.goto(base_url.replace("/catalogue/", "/somewhere/else/entirely/"), wait_until="load")
    assert page.locator("h1").first.inner_text() == "Page introuvable"
    assert page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor") == "rgb(0, 105, 92)"
    links = page.eval_on_selector_all("a", "links => links.map(a => a.href)")
    site_url = json.loads((root / "site/catalogue.json").read_text())["site"]
    assert len(links) == 4 and all(link.startswith(site_url) for link in links)  # absolute: right from any depth
    assert {link[len(site_url):] for link in links} == {"en/", "fr/", "en/designs/", "fr/designs/"}
    assert [r for r in visit.requests if not r.startswith(base_url.replace("/catalogue/", "/somewhere/"))] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    visit.close()


def test_a_broken_plan_in_the_address_starts_the_default_plan(browser, base_url):  # noqa: F811
    visit = Visit(browser)
    page = visit.page
    page.goto(base_url + "en/planner/#plan=o%3Dvisor-headband-888%2Fadult*2%E0%A4%A", wait_until="networkidle")
    assert page.locator("#production-planner .planner-order").count() == 1
    assert page.locator(".planner-days").count() == 1
    assert visit.errors == []
    visit.close()
