"""CAD stage, first step: one job per variant, with everything that determines its files and their cache key."""
from __future__ import annotations

from ..model import Design, MeshSettings, VariantJob
from .cache import cache_key
from .checks import DEFAULT_PRINT_BED_MM

DEFAULT_MESH = MeshSettings(tolerance_mm=0.05, angular_tolerance_rad=0.2)


def plan_jobs(designs: list[Design]) -> list[VariantJob]:
    jobs = []
    for design in designs:
        mesh = _mesh_settings(design)
        for variant in design.variants:
            jobs.append(VariantJob(design, variant, mesh, cache_key(design, variant, mesh)))
    return jobs


def _mesh_settings(design: Design) -> MeshSettings:
    spec = design.metadata.get("mesh", {})
    return MeshSettings(spec.get("tolerance_mm", DEFAULT_MESH.tolerance_mm),
                        spec.get("angular_tolerance_rad", DEFAULT_MESH.angular_tolerance_rad))


def print_bed(design: Design) -> tuple[float, float, float]:
    bed = design.metadata.get("print_bed")
    return (bed["x_mm"], bed["y_mm"], bed["z_mm"]) if bed else DEFAULT_PRINT_BED_MM
