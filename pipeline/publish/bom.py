"""A design's bill of materials as the published files and data say it: one CSV per design, and the list each
variant carries in catalogue.json, production.json (the planner's shopping list) and okh.toml."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..categories import CATEGORIES
from ..fsutil import json_text
from ..making.records import PublishedDesign, PublishedVariant
from ..model import BomLine, Text
from ..source.bom import prints_per_unit, variant_bom

CSV_COLUMNS = ("variant", "kind", "name_en", "name_fr", "quantity_per_unit", "unit", "specification_en",
               "specification_fr", "optional", "substitutes_en", "substitutes_fr", "note_en", "note_fr")


def bom_csv_name(slug: str) -> str:
    return f"{slug}-bom.csv"


def kind(line: BomLine) -> str:
    """printed (the variant's own part), item (to buy), or connects-to (what it is used with, not bought)."""
    return "printed" if line.printed else ("connects-to" if line.connects_to else "item")


def unit_bom(v: PublishedVariant) -> tuple[BomLine, ...]:
    """What one unit of a published variant needs: design.yaml's lines (source.bom.variant_bom), then each way
    of making's own (a cut part's sheets, as nested)."""
    design, variant = v.artifact.job.design, v.artifact.job.variant
    return variant_bom(design, variant) + tuple(line for m in v.made for line in m.made.bom_lines)


def bom_entries(v: PublishedVariant) -> list[dict[str, Any]]:
    """The variant's BOM as JSON data: free texts {en, fr}, the quantity per unit (null: left open)."""
    design, variant = v.artifact.job.design, v.artifact.job.variant
    entries = []
    for line in unit_bom(v):
        entry = {"kind": kind(line), "name": _text(line.name), "quantity_per_unit": line.quantity, "unit": line.unit,
                 "specification": _text(line.specification), "optional": line.optional,
                 "substitutes": [_text(s) for s in line.substitutes]}
        if line.note is not None:
            entry["note"] = _text(line.note)
        if line.printed:
            entry["prints_per_unit"] = round(prints_per_unit(design, variant), 4)
        entries.append(entry)
    return entries


def bom_csv(variants: tuple[PublishedVariant, ...]) -> bytes:
    """Every variant's lines, a row each; UTF-8 with a byte-order mark so that spreadsheets read the accents."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for v in variants:
        for line in unit_bom(v):
            writer.writerow([_not_a_formula(cell) for cell in [v.artifact.job.variant.name, kind(line), line.name.en, _fr(line.name),
                             "" if line.quantity is None else f"{line.quantity:g}", line.unit,
                             line.specification.en, _fr(line.specification), "yes" if line.optional else "no",
                             " | ".join(s.en for s in line.substitutes), " | ".join(_fr(s) for s in line.substitutes),
                             line.note.en if line.note else "", _fr(line.note) if line.note else ""]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# What a spreadsheet reads as the start of a formula (=HYPERLINK(...), +cmd|...): OWASP's "CSV injection".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def _not_a_formula(cell: str) -> str:
    """A contributor's text as a CSV cell a spreadsheet shows as text: a leading apostrophe, which spreadsheets
    hide, before a cell that would start a formula (also after leading spaces, which some of them skip)."""
    return "'" + cell if cell.lstrip(" ").startswith(FORMULA_STARTS) else cell


def _fr(text: Text) -> str:
    return text.fr or text.en


def _text(text: Text) -> dict[str, str]:
    return {"en": text.en} | ({"fr": text.fr} if text.fr else {})


def planner_with_bom(document: str, published: list[PublishedDesign]) -> str:
    """production.json with each design's bill of materials per variant, for the planner's shopping list, and
    every variant's name (the planner lists the variants the slicer did not measure too)."""
    data = json.loads(document)
    by_slug = {p.design.slug: p for p in published}
    # the planner groups its designs by category, in the site's order, and names each variant in the page's language
    data["categories"] = [{"name": name, "title": title.en, "title_fr": title.fr or title.en}
                          for name, title in CATEGORIES.items()]
    for entry in data["designs"]:
        p = by_slug[entry["slug"]]
        entry["category"] = p.design.category
        entry["variant_names"] = [v.artifact.job.variant.name for v in p.variants]
        entry["variant_titles"] = {v.artifact.job.variant.name: _text(v.artifact.job.variant.description)
                                   for v in p.variants}
        entry["bom"] = {v.artifact.job.variant.name: bom_entries(v) for v in p.variants}
    return json_text(data)
