"""Pages stage: render the catalogue's pages with Jinja2, once per language.

Assembles, for each language, a whole MkDocs docs folder `<docs>/<lang>/`: the
hand-written pages of `<docs>/pages/<lang>/`, the shared styles and scripts,
the home page with a card per design (index.md), designs/index.md (a sortable
table of all designs), designs/<slug>.md per design and
designs/categories/<category>.md. Both languages have the same pages at the
same paths, so the language menu can lead to the same page. Written once for
both: index.html (which sends a reader to their language). catalogue.json is the
publish stage's, production.json the production stage's.
"""
from __future__ import annotations

import os
import shutil
from functools import partial
from pathlib import Path
from typing import Any

from ..categories import CATEGORIES, category_title
from ..forking import side_by_side
from ..fsutil import fresh_staging, replace_dir, replace_file
from ..languages import LANGUAGES
from ..making.contract import Registry
from ..making.records import PublishedDesign, PublishedVariant
from ..model import Design
from ..publish import facts
from ..publish.downloads import FORMAT_TITLES
from ..siteinfo import CONTRIBUTOR_GUIDES, SiteInfo
from ..templating import environment, localized
from .choosing import companions, link_designs, maker_order, parts_of_others, status_rank, visor_comparison
from .summary import summary_context
from .trust import card_trust, trust_context
from .workshop import workshop_context

# Shared by both languages' docs folders: small files, copied into each.
STATIC = ("stylesheets", "javascripts")


def render_pages(published: list[PublishedDesign], docs_dir: Path, site: SiteInfo,
                 methods: Registry | None = None) -> list[Path]:
    """Write every generated page; returns the design pages written. `methods`: the ways of making, each of
    which writes its own section of the pages of the designs it makes."""
    methods = methods if methods is not None else Registry()
    languages = {lang: partial(render_language, published, docs_dir, lang, site, methods) for lang in LANGUAGES}
    # each language but the first in a forked copy: no page reads another's
    written = [path for done in side_by_side(languages, first_here=True).values() for path in done.value]
    replace_file(docs_dir / "index.html", environment().get_template("root.html.j2").render(languages=LANGUAGES))
    # what the host serves for any missing address (GitHub Pages: the site's root 404.html)
    replace_file(docs_dir / "404.html", environment().get_template("404.html.j2").render(site_url=site.site_url))
    return written


def design_page(docs_dir: Path, lang: str, slug: str) -> Path:
    """Where a design's generated page is published in the docs folder."""
    return docs_dir / lang / "designs" / f"{slug}.md"


def render_language(published: list[PublishedDesign], docs_dir: Path, lang: str, site: SiteInfo,
                    methods: Registry | None = None) -> list[Path]:
    methods = methods if methods is not None else Registry()
    env = environment()
    staging = fresh_staging(docs_dir / lang)
    _copy_hand_written(docs_dir, lang, staging)
    designs = staging / "designs"
    (designs / "categories").mkdir(parents=True)
    written = []
    together = companions(published)
    titles = {p.design.slug: localized(p.design.title, lang)[0] for p in published}
    for p in published:
        page = designs / f"{p.design.slug}.md"
        page.write_text(env.get_template("design.md.j2").render(
            design_context(p, lang, site, methods), viewer_size=viewer_size(docs_dir),
            goes_with=[(s, titles[s]) for s in together[p.design.slug]],
            link_designs=partial(link_designs, titles={s: titles[s] for s in together[p.design.slug]}, prefix="../")),
            encoding="utf-8")
        written.append(design_page(docs_dir, lang, p.design.slug))
    cards = maker_order([card(p, lang) for p in published], parts_of_others(published))
    (designs / "compare-visors.md").write_text(env.get_template("compare.md.j2").render(
        lang=lang, rows=visor_comparison(published)), encoding="utf-8")
    common = {"lang": lang, "cards": cards, "reference": reference_machines(published)}
    (designs / "index.md").write_text(env.get_template("index.md.j2").render(common, **_links(site, lang, "designs/index.md", "../../")),
                                      encoding="utf-8")
    for category in CATEGORIES:
        members = [c for c in cards if c["category"] == category]
        (designs / "categories" / f"{category}.md").write_text(env.get_template("category.md.j2").render(
            common, title=category_title(category, lang), cards=members, category=category,
            **_links(site, lang, f"designs/categories/{category}.md", "../../../../")),
            encoding="utf-8")
    (staging / "index.md").write_text(env.get_template("home.md.j2").render(
        common, categories={c: category_title(c, lang) for c in CATEGORIES}, guide=partial(guide_reference, site, lang),
        **_links(site, lang, "index.md", "../")),
        encoding="utf-8")
    replace_dir(staging, docs_dir / lang)
    return written


def viewer_size(docs_dir: Path) -> int:
    """What the 3D button loads besides the GLB, the first time: the vendored viewer and its decoder."""
    return sum(f.stat().st_size for f in (docs_dir / "assets/model-viewer/model-viewer.min.js",
                                          docs_dir / "assets/meshopt/meshopt_decoder.js") if f.is_file())


def _links(site: SiteInfo, lang: str, page: str, site_root: str) -> dict[str, Any]:
    """How the page `page` of the `lang` docs folder, `site_root` away from the site's root, links the shared
    files: `link(download)` for every download (on the site's root, published once for both languages, or on
    the download host), `site_root` for catalogue.json."""
    return {"site_root": site_root, "link": partial(site.download_link, from_page=f"{lang}/{page}")}


def _copy_hand_written(docs_dir: Path, lang: str, staging: Path) -> None:
    shutil.copytree(docs_dir / "pages" / lang, staging, dirs_exist_ok=True, ignore=_symlinks)
    for folder in STATIC:
        shutil.copytree(docs_dir / folder, staging / folder, ignore=_symlinks)


def card(p: PublishedDesign, lang: str) -> dict[str, Any]:
    """What the home page, category pages and the table of all designs show of one design."""
    design, first = p.design, p.variants[0]
    masses = facts.variant_masses(first)
    return {
        "slug": design.slug,
        "title": design.title,
        "summary": design.summary,
        "category": design.category,
        "category_title": category_title(design.category, lang),
        "licence": design.licence,
        "picture": first.picture,
        "variants": len(p.variants),
        "dimensions": facts.outer_dimensions_mm(first.artifact),
        "mass": masses[0] if masses else None,
        "materials": materials(p),
        "per_day": first_machines(first),
        "status_rank": status_rank(p),
    } | card_trust(p)


def reference_machines(published: list[PublishedDesign]):
    """The machine of each kind the table's per-day columns quote (each variant's first of that kind), as its
    way of making describes it: its title and what its day is."""
    found = {}
    for figures in (f for p in published for m in p.variants[0].made for f in m.made.machines):
        found.setdefault(figures.kind, figures)
    return found


def first_machines(variant: PublishedVariant) -> dict[str, float]:
    """The variant's units per day on the first reference machine of each kind (printer, laser, sewer)."""
    per_day: dict[str, float] = {}
    for figures in (f for m in variant.made for f in m.made.machines):
        per_day.setdefault(figures.kind, figures.units_per_day)
    return per_day


def materials(p: PublishedDesign) -> list[str]:
    """What a design is made of: its filaments, or the materials its ways of making state masses in."""
    named = [m.name for m in p.design.materials] + [name for m in p.variants[0].made for name, _ in m.made.masses_g]
    return list(dict.fromkeys(named))


def design_context(p: PublishedDesign, lang: str, site: SiteInfo, methods: Registry | None = None) -> dict[str, Any]:
    design = p.design
    context = {
        "lang": lang,
        "design": design,
        "meta": design,
        **_links(site, lang, f"designs/{design.slug}.md", "../../../"),  # <lang>/designs/<slug>/ to the site's root
        "category_title": category_title(design.category, lang),
        "tags": page_tags(design, lang),
        "licence_url": facts.licence_url(design.licence),
        "remix_of": facts.remix_of(design),
        "variants": [facts.variant_summary(design, v) for v in p.variants],
        "first": facts.variant_summary(design, p.variants[0]),
        "published": p,
        # SHA256SUMS's lines (every file but itself, the zip, okh.toml and the reviewers' and makers' own), then the zip
        "checksum_lines": [(d.sha256, d.name) for d in sorted(sums_files(p), key=lambda d: d.name)]
                          + [(p.bundle.sha256, p.bundle.name)],
        "formats": FORMAT_TITLES,
        "mesh": p.variants[0].artifact.job.mesh,
        "example_command": example_command(design),
        "guide": partial(guide_reference, site, lang),
        "making": facts.making_summary(p.variants),
        "summary": summary_context(p),
    } | trust_context(p) | workshop_context(p)
    context["making_sections"] = [method.page_section(p, tuple(m for v in p.variants if (m := v.made_by(method.name))),
                                                      context)
                                  for method in (methods if methods is not None else Registry()).used_by(design)]
    return context


def sums_files(p: PublishedDesign):
    """The files SHA256SUMS names: all before it in PublishedDesign.files."""
    return p.files[:p.files.index(p.checksums)] if p.checksums in p.files else ()


def guide_reference(site: SiteInfo, lang: str, section: str) -> str:
    """A reference to a section of the contributor's guide in the page's language, as Markdown: a link to it
    at the repository (plain text when mkdocs.yml names no repository). `section` is the heading as written."""
    name = CONTRIBUTOR_GUIDES[lang]
    text = f"{name}, « {section} »" if lang == "fr" else f"{name}, “{section}”"
    url = site.guide_url(lang, section)
    return f"[{text}]({url})" if url else text


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


def page_tags(design: Design, lang: str) -> list[str]:
    """The design's tags in the page's language, its materials, and its category unless a tag already names it
    (one tag "visière", not "visière" beside "Visières")."""
    named = any(t.en.replace(" ", "-") == design.category for t in design.tags)
    tags = [*([] if named else [category_title(design.category, lang)]), *(localized(t, lang)[0] for t in design.tags),
            *(m.name for m in design.materials)]
    return list(dict.fromkeys(tags))


def _symlinks(folder: str, names: list[str]) -> set[str]:
    """A committed symlink is never followed into the site (catalogue.site_source_problems names it)."""
    return {name for name in names if os.path.islink(os.path.join(folder, name))}
