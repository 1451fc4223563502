"""CAD stage, first step: one job per variant, with everything that determines its files and their cache key."""
from __future__ import annotations

from ..built import VariantJob
from ..model import Design, Variant
from .cache import cache_key
from .checks import DEFAULT_PRINT_BED_MM


def plan_jobs(designs: list[Design]) -> list[VariantJob]:
    return [variant_job(design, variant) for design in designs for variant in design.variants]


def variant_job(design: Design, variant: Variant) -> VariantJob:
    return VariantJob(design, variant, design.mesh, cache_key(design, variant, design.mesh))


def print_bed(design: Design) -> tuple[float, float, float]:
    """The volume every variant must fit; a design made by cutting is checked against the lasers' sheets
    instead (pipeline/cutting), part by part, and no bed bounds the parts shown side by side."""
    if design.cutting is not None and design.print_bed is None:
        return (float("inf"),) * 3
    bed = design.print_bed
    return (bed.x_mm, bed.y_mm, bed.z_mm) if bed else DEFAULT_PRINT_BED_MM
