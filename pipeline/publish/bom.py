"""A design's bill of materials as the published files and data say it: one CSV per design, and the list each
variant carries in catalogue.json, production.json (the planner's shopping list) and okh.toml."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..fsutil import json_text
from ..model import BomLine, Design, PublishedDesign, PublishedVariant, Text
from ..source.bom import prints_per_unit, variant_bom

CSV_COLUMNS = ("variant", "kind", "name_en", "name_fr", "quantity_per_unit", "unit", "specification_en",
               "specification_fr", "optional", "substitutes_en", "substitutes_fr", "note_en", "note_fr")


def bom_csv_name(slug: str) -> str:
    return f"{slug}-bom.csv"


def kind(line: BomLine) -> str:
    """printed (the variant's own part), item (to buy), or connects-to (what it is used with, not bought)."""
    return "printed" if line.printed else ("connects-to" if line.connects_to else "item")


def variant_lines(design: Design, published: PublishedVariant) -> tuple[BomLine, ...]:
    """The variant's whole BOM: design.yaml's lines, then those each way of making adds (a sewn mask's fabric,
    whose quantity is a figure of the build: the nested marker)."""
    return variant_bom(design, published.artifact.job.variant) + tuple(
        line for m in published.made for line in m.made.bom_lines)


def has_bom(design: Design, variants: tuple[PublishedVariant, ...]) -> bool:
    return design.bom is not None or any(m.made.bom_lines for v in variants for m in v.made)


def bom_unit(design: Design) -> Text:
    """What one unit is; a design whose lines all come from its ways of making says "one unit"."""
    return design.bom.unit if design.bom is not None else Text("one unit", "une unité")


def bom_entries(design: Design, published: PublishedVariant) -> list[dict[str, Any]]:
    """The variant's BOM as JSON data: free texts {en, fr}, the quantity per unit (null: left open)."""
    entries, variant = [], published.artifact.job.variant
    for line in variant_lines(design, published):
        entry = {"kind": kind(line), "name": _text(line.name), "quantity_per_unit": line.quantity, "unit": line.unit,
                 "specification": _text(line.specification), "optional": line.optional,
                 "substitutes": [_text(s) for s in line.substitutes]}
        if line.note is not None:
            entry["note"] = _text(line.note)
        if line.printed:
            entry["prints_per_unit"] = round(prints_per_unit(design, variant), 4)
        entries.append(entry)
    return entries


def bom_csv(design: Design, variants: tuple[PublishedVariant, ...]) -> bytes:
    """Every variant's lines, a row each; UTF-8 with a byte-order mark so that spreadsheets read the accents."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for published in variants:
        variant = published.artifact.job.variant
        for line in variant_lines(design, published):
            writer.writerow([variant.name, kind(line), line.name.en, _fr(line.name),
                             "" if line.quantity is None else f"{line.quantity:g}", line.unit,
                             line.specification.en, _fr(line.specification), "yes" if line.optional else "no",
                             " | ".join(s.en for s in line.substitutes), " | ".join(_fr(s) for s in line.substitutes),
                             line.note.en if line.note else "", _fr(line.note) if line.note else ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _fr(text: Text) -> str:
    return text.fr or text.en


def _text(text: Text) -> dict[str, str]:
    return {"en": text.en} | ({"fr": text.fr} if text.fr else {})


def planner_with_bom(document: str, published: list[PublishedDesign]) -> str:
    """production.json with each design's bill of materials per variant, for the planner's shopping list, and
    every variant's name (the planner lists the variants the slicer did not measure too)."""
    data = json.loads(document)
    by_slug = {p.design.slug: p for p in published}
    for entry in data["designs"]:
        p = by_slug[entry["slug"]]
        entry["variant_names"] = [v.artifact.job.variant.name for v in p.variants]
        entry["bom"] = {v.artifact.job.variant.name: bom_entries(p.design, v) for v in p.variants}
    return json_text(data)
