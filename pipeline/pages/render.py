"""Pages stage: render the catalogue's generated Markdown pages with Jinja2.

Writes, in the docs folder: the home page with a card per design (index.md),
designs/index.md (a sortable table of all designs), designs/<slug>.md per
design, designs/categories/<category>.md, and catalogue.json.
"""
from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from ..fsutil import fresh_staging, replace_dir, replace_file
from ..model import Design, PublishedDesign
from ..production.summary import planner_document, production_context, units_per_day
from ..publish import facts
from ..publish.catalogue_json import catalogue_document
from ..publish.downloads import FORMAT_TITLES
from ..siteinfo import SiteInfo
from ..templating import environment
from .trust import card_trust, trust_context

CATEGORY_TITLES = facts.CATEGORY_TITLES


def render_pages(published: list[PublishedDesign], docs_dir: Path, site: SiteInfo) -> list[Path]:
    """Write every generated page; returns the design pages written."""
    env = environment()
    cards = [card(p) for p in published]
    staging = fresh_staging(docs_dir / "designs")
    written = []
    for p in published:
        page = staging / f"{p.design.slug}.md"
        page.write_text(env.get_template("design.md.j2").render(design_context(p, site)), encoding="utf-8")
        written.append(page)
    (staging / "index.md").write_text(env.get_template("index.md.j2").render(cards=cards), encoding="utf-8")
    (staging / "categories").mkdir()
    for category, title in CATEGORY_TITLES.items():
        members = [c for c in cards if c["category"] == category]
        (staging / "categories" / f"{category}.md").write_text(env.get_template("category.md.j2").render(
            title=title, title_fr=facts.CATEGORY_TITLES_FR[category], cards=members,
            link=partial(site.download_link, from_page=f"designs/categories/{category}.md")), encoding="utf-8")
    replace_dir(staging, docs_dir / "designs")
    replace_file(docs_dir / "index.md", env.get_template("home.md.j2").render(
        cards=cards, categories=CATEGORY_TITLES, link=partial(site.download_link, from_page="index.md")))
    replace_file(docs_dir / "catalogue.json", catalogue_document(published, site))
    replace_file(docs_dir / "production.json", planner_document(published, site))
    return written


def card(p: PublishedDesign) -> dict[str, Any]:
    """What the home page, category pages and the table of all designs show of one design."""
    design, first = p.design, p.variants[0]
    masses = facts.masses_g(design, first.artifact)
    return {
        "slug": design.slug,
        "title": design.title.en,
        "title_fr": facts.text(design.title, "fr"),
        "summary": design.summary.en,
        "category": design.category,
        "category_title": CATEGORY_TITLES[design.category],
        "licence": design.licence,
        "picture": first.picture,
        "variants": len(p.variants),
        "dimensions": facts.outer_dimensions_mm(first.artifact),
        "mass": masses[0] if masses else None,
        "materials": [m.name for m in design.materials],
        "tags": list(design.tags),
        "per_day": units_per_day(p),
    } | card_trust(p)


def design_context(p: PublishedDesign, site: SiteInfo) -> dict[str, Any]:
    design = p.design
    return {
        "link": partial(site.download_link, from_page=f"designs/{design.slug}.md"),
        "design": design,
        "meta": design,
        "text": facts.text,
        "category_title": CATEGORY_TITLES[design.category],
        "tags": page_tags(design),
        "licence_url": facts.licence_url(design.licence),
        "remix_of": facts.remix_of(design),
        "variants": [facts.variant_summary(design, v) for v in p.variants],
        "first": facts.variant_summary(design, p.variants[0]),
        "published": p,
        "checksum_lines": [(d.sha256, d.name) for v in p.variants for d in (*v.files, v.picture)]
                          + [(p.script.sha256, p.script.name), (p.bundle.sha256, p.bundle.name)],
        "formats": FORMAT_TITLES,
        "mesh": p.variants[0].artifact.job.mesh,
        "example_command": example_command(design),
        "production": production_context(p),
    } | trust_context(p)


def example_command(design: Design) -> str:
    """A command with the first parameter set to another allowed value: a round number inside its range,
    the other truth value, the next choice; the plain command when the design has no parameters."""
    if not design.parameters:
        return facts.rebuild_command(design, [])
    p = design.parameters[0]
    if p.kind == "boolean":
        value = not p.default
    elif p.kind == "string":
        value = p.choices[(p.choices.index(p.default) + 1) % len(p.choices)]
    else:
        value = p.default + (p.max - p.default) / 2 if p.max > p.default else p.default - (p.default - p.min) / 2
        value = round(value) if p.integer or abs(value) >= 10 else round(value, 1)
    return facts.rebuild_command(design, [(p.name, value)])


def page_tags(design: Design) -> list[str]:
    tags = [CATEGORY_TITLES[design.category], *design.tags, *(m.name for m in design.materials)]
    return list(dict.fromkeys(tags))
