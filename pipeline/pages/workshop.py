"""What a design page shows a workshop beyond the printed part: what one unit needs (per variant), the assembly
steps with their pictures, and the sheet's 1:1 template."""
from __future__ import annotations

from typing import Any

from ..making.records import PublishedDesign, PublishedStep
from ..publish.bom import unit_bom
from ..source.bom import prints_per_unit

TEMPLATE_TITLES = {"svg": ("SVG (mm)", "SVG (mm)"), "a4": ("PDF, A4", "PDF, A4"), "letter": ("PDF, US letter", "PDF, US Letter")}


def workshop_context(p: PublishedDesign) -> dict[str, Any]:
    design = p.design
    bom = [{"variant": v.artifact.job.variant, "lines": unit_bom(v),
            "prints_per_unit": prints_per_unit(design, v.artifact.job.variant)} for v in p.variants] if design.bom else []
    return {
        "bom": bom,
        "bom_unit": design.bom.unit if design.bom else None,
        "bom_printed": bool(design.materials),  # "besides its printed part" only where there is one
        "bom_note": design.bom.note if design.bom else None,
        "bom_csv": p.bom_csv,
        "sheet_templates": [(_template_kind(d.name), d) for d in p.templates],
        "template_titles": TEMPLATE_TITLES,
        # published with their pictures; without them (a build that could not render) the text alone
        "steps": list(p.steps) or [PublishedStep(s, None) for s in design.steps],
    }


def _template_kind(name: str) -> str:
    return "svg" if name.endswith(".svg") else name.removesuffix(".pdf").rsplit("-", 1)[-1]
