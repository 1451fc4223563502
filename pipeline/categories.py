"""The catalogue's categories: the one place that lists them, in the site's order, with their titles.

Adding a category is a line here; schema/design.schema.json's `category` enum (for editors) and each language's
navigation in mkdocs.<lang>.yml repeat the list for tools that cannot read this file, and
tests/test_languages.py fails when they disagree with it.
"""
from __future__ import annotations

from .model import Text

CATEGORIES = {
    "visor": Text("Visors", "Visières"),
    "ear-saver": Text("Ear savers", "Attache-masques"),
    "adapter": Text("Adapters", "Adaptateurs"),
    "door-opener": Text("Door openers", "Ouvre-portes"),
    "mask": Text("Fabric masks", "Masques en tissu"),
}


def category_title(category: str, lang: str = "en") -> str:
    title = CATEGORIES.get(category)
    return (getattr(title, lang) or title.en) if title else category
