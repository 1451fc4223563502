"""The workshop's sections in a real browser: the planner's shopping list, the "What you need" tables and the
assembly steps in both languages, axe on them, and screenshots (test-artifacts/) of a French page on a phone.

Built without the slicer (the shopping list comes from the bills of materials, not from production figures).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.catalogue import BuildConfig, build_catalogue

from .conftest import REPO, make_project
from .test_site_browser import ARTIFACTS, Visit, browser, serious_violations, serve_site  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
DESIGNS = ("visor-headband-888", "visor-frame-flat-80", "ear-saver-strap")
NEW_SECTIONS = [".workshop-bom", ".assembly-steps"]


@pytest.fixture(scope="module")
def workshop_site(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("workshop-site"), [REPO / "designs" / s for s in DESIGNS])
    report = build_catalogue(BuildConfig(root=root, workers=2, production=False))
    assert report.ok, "\n".join(map(str, report.problems))
    with serve_site(root / "site") as url:
        yield root, url


def amount(text: str, lang: str) -> float:
    """'141.8 m' or '141,8 m', '1,000' or '1 000': the number."""
    number = re.sub(r"[^\d.,]", "", text)
    return float(number.replace(",", "") if lang == "en" else number.replace(".", "").replace(",", "."))


def title(root: Path, slug: str, lang: str) -> str:
    document = json.loads((root / "site/production.json").read_text())
    design = next(d for d in document["designs"] if d["slug"] == slug)
    return design["title_fr"] if lang == "fr" else design["title"]


def variant_label(root: Path, slug: str, variant: str, lang: str) -> str:
    """How the planner names a variant: the design's title, then the variant's description in the page's language."""
    document = json.loads((root / "site/production.json").read_text())
    design = next(d for d in document["designs"] if d["slug"] == slug)
    described = design["variant_titles"][variant]
    return f"{title(root, slug, lang)} — {described.get(lang, described['en']).removesuffix('.')}"


def per_unit(root: Path, slug: str, variant: str) -> dict[str, dict]:
    document = json.loads((root / "site/production.json").read_text())
    design = next(d for d in document["designs"] if d["slug"] == slug)
    return {line["name"]["en"]: line for line in design["bom"][variant]}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_shopping_list_sums_the_bills_of_materials(browser, workshop_site, lang):  # noqa: F811
    """500 adult headbands and 200 straps: 500 sheets, 500 × the elastic per headband, the prints of each."""
    root, url = workshop_site
    visit = Visit(browser)
    page = visit.page
    page.goto(f"{url}{lang}/planner/", wait_until="networkidle")
    orders = page.locator("#production-planner .planner-order")
    orders.nth(0).locator("select").select_option("visor-headband-888/adult")
    orders.nth(0).locator("input").fill("500")
    page.click("#production-planner .planner-add")
    orders.nth(1).locator("select").select_option("ear-saver-strap/adult")
    orders.nth(1).locator("input").fill("200")
    rows = page.locator("#production-planner .planner-shopping tbody tr")
    shown = {rows.nth(i).locator("td").nth(0).inner_text(): rows.nth(i).locator("td").nth(1).inner_text()
             for i in range(rows.count())}
    headband = per_unit(root, "visor-headband-888", "adult")
    sheet, elastic = headband["Transparent sheet"], headband["Flat elastic"]
    sheets, metres = shown[sheet["name"][lang]], shown[elastic["name"][lang]]
    assert amount(sheets, lang) == 500 * sheet["quantity_per_unit"]
    assert metres.endswith("m") and amount(metres, lang) == pytest.approx(500 * elastic["quantity_per_unit"] / 1000, abs=0.05)
    assert amount(shown[variant_label(root, "ear-saver-strap", "adult", lang)], lang) == 200  # prints of the strap
    assert amount(shown[variant_label(root, "visor-headband-888", "adult", lang)], lang) == 500
    # what a strap is used with (a mask) is not bought with it
    assert not any("Mask" in k or "Masque" in k for k in shown)
    page.set_viewport_size({"width": 1000, "height": 900})
    page.locator(".planner-shopping").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"planner-shopping-list-{lang}.png"), full_page=True)
    assert visit.errors == []
    visit.close()


def test_the_planners_fields_have_visible_labels(browser, workshop_site):  # noqa: F811
    _, url = workshop_site
    visit = Visit(browser)
    page = visit.page
    page.goto(f"{url}fr/planner/", wait_until="networkidle")
    for field in page.locator("#production-planner input, #production-planner select").all():
        label = page.locator(f"label[for='{field.get_attribute('id')}']")
        assert label.is_visible() and label.inner_text().strip()
        assert field.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    assert serious_violations(page) == []
    visit.close()


@pytest.mark.parametrize("lang, need, assembly, sheet", [
    ("en", "What you need", "Assembly", "Transparent sheet"),
    ("fr", "Ce qu'il vous faut", "Montage", "Feuille transparente")])
def test_the_design_page_shows_what_you_need_and_the_steps(browser, workshop_site, lang, need, assembly, sheet):  # noqa: F811
    _, url = workshop_site
    visit = Visit(browser)
    page = visit.page
    page.goto(f"{url}{lang}/designs/visor-headband-888/", wait_until="networkidle")
    assert page.locator("h2#what-you-need").inner_text().startswith(need)
    assert page.locator("h2#assembly").inner_text().startswith(assembly)
    tables = page.locator(".workshop-bom table")
    assert tables.count() == 3  # one per variant
    assert sheet in tables.first.inner_text()
    steps = page.locator(".assembly-steps .assembly-step")
    assert steps.count() == 4
    for i in range(steps.count()):
        picture = steps.nth(i).locator("img")
        assert picture.get_attribute("alt")
        assert page.request.get(picture.evaluate("i => i.src")).headers["content-type"] == "image/png"
    templates = page.locator("a[href$='sheet-template-a4.pdf']")
    assert templates.count() == 1 and page.request.get(templates.evaluate("a => a.href")).ok
    violations = serious_violations(page)
    assert violations == []
    assert visit.errors == []
    visit.close()


def test_screenshots_of_the_new_sections_in_french_on_a_phone(browser, workshop_site):  # noqa: F811
    _, url = workshop_site
    ARTIFACTS.mkdir(exist_ok=True)
    visit = Visit(browser, width=390, height=844)
    page = visit.page
    page.goto(f"{url}fr/designs/visor-headband-888/", wait_until="networkidle")
    for name, selector in (("what-you-need", "h2#what-you-need"), ("assembly", "h2#assembly")):
        top = page.locator(selector).evaluate("e => e.getBoundingClientRect().top + window.scrollY")
        page.evaluate("y => window.scrollTo(0, y - 60)", top)
        page.wait_for_timeout(200)
        page.screenshot(path=str(ARTIFACTS / f"workshop-{name}-fr-phone.png"))
    # nothing wider than the phone: the tables scroll inside their region, not the page
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    visit.close()
