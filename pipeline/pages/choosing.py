"""Help with choosing: the order of the cards for a maker, the designs that belong together, and the comparison of
the visors (compare.md.j2)."""
from __future__ import annotations

import re
from html import escape
from typing import Any

from ..categories import CATEGORIES
from ..making.records import PublishedDesign
from ..publish import facts
from ..publish.bom import unit_bom
from ..trust_records import REVIEW_SCOPES
from .summary import summary_context


def maker_order(cards: list[dict[str, Any]], parts_of_others: set[str] = frozenset()) -> list[dict[str, Any]]:
    """Visors first (the categories in the site's order), whole designs before the parts another design names (the
    headband before its clip), then the strongest review, then the most made in a day."""
    order = list(CATEGORIES)
    def key(c: dict[str, Any]) -> tuple:
        category = order.index(c["category"]) if c["category"] in order else len(order)
        return (category, c["slug"] in parts_of_others, -c["status_rank"],
                -max(c["per_day"].values(), default=0), c["slug"])
    return sorted(cards, key=key)


def status_rank(p: PublishedDesign) -> int:
    """0 for a prototype, then 1 + the review scope's place, weakest first."""
    status = facts.review_status(p.reviews)
    return 0 if status.scope is None else 1 + REVIEW_SCOPES.index(status.scope)


def mentions(published: list[PublishedDesign]) -> dict[str, set[str]]:
    """The other designs each design's bill of materials names by slug (the headband names its bottom clip).

    A slug is named where it stands alone, not inside a longer word or slug: a slug is made of [a-z0-9-], so that
    is a whole run of word characters and hyphens. Each text's runs are looked up among the slugs, once: a search
    for every slug in every design's texts was n² regular expressions, minutes at 1,000 designs."""
    slugs = {p.design.slug for p in published}
    named: dict[str, set[str]] = {}
    for p in published:
        texts = " ".join(t for v in p.variants for line in unit_bom(v) for t in _texts(line))
        named[p.design.slug] = (set(_WORD_RUN.findall(texts)) & slugs) - {p.design.slug}
    return named


_WORD_RUN = re.compile(r"[\w-]+")


def companions(published: list[PublishedDesign]) -> dict[str, list[str]]:
    """Designs that belong together: one names the other in its bill of materials; both ways, in the catalogue's
    order."""
    named = mentions(published)
    related = {slug: set(others) for slug, others in named.items()}
    for slug, others in named.items():
        for other in others:
            related[other].add(slug)
    position = {p.design.slug: i for i, p in enumerate(published)}
    return {slug: sorted(others, key=position.__getitem__) for slug, others in related.items()}


def parts_of_others(published: list[PublishedDesign]) -> set[str]:
    return set().union(*mentions(published).values()) if published else set()


def _texts(line) -> list[str]:
    texts = [line.name, line.specification, *line.substitutes] + ([line.note] if line.note else [])
    return [t.en for t in texts] + [t.fr for t in texts if t.fr]


def link_designs(text: str, titles: dict[str, str], prefix: str) -> str:
    """An escaped page text with every other design's slug made a link to its page (slugs are [a-z0-9-]: nothing to
    escape); `prefix` leads from the page to the designs' folder."""
    if not titles:
        return text
    pattern = re.compile(r"(?<![\w/-])(" + "|".join(re.escape(s) for s in sorted(titles, key=len, reverse=True)) + r")(?![\w-])")
    return pattern.sub(lambda m: f'<a href="{prefix}{m.group(1)}/" title="{escape(titles[m.group(1)])}">{m.group(1)}</a>', text)


def visor_comparison(published: list[PublishedDesign]) -> list[dict[str, Any]]:
    """One row per visor: how it is made and on what, its sheet and what else to buy, parts per day per machine,
    its status."""
    rows, parts = [], parts_of_others(published)
    for p in published:
        if p.design.category != "visor":
            continue
        summary = summary_context(p)
        kinds = sorted({m["figure"].kind for m in summary["machines"]})
        rows.append({"slug": p.design.slug, "title": p.design.title, "summary": summary, "kinds": kinds,
                     "status": facts.review_status(p.reviews), "rank": status_rank(p),
                     "sheet": [line for line in summary["to_buy"] if "sheet" in line.name.en.lower()],
                     "other": [line for line in summary["to_buy"] if "sheet" not in line.name.en.lower()],
                     "best": max((m["figure"].units_per_day for m in summary["machines"]), default=0),
                     "part_of_another": p.design.slug in parts})
    return sorted(rows, key=lambda r: (r["part_of_another"], -r["rank"], -r["best"], r["slug"]))
