"""What the pages, the planner, catalogue.json and okh.toml say of the production figures, computed once."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..fsutil import json_text
from ..making.records import PublishedDesign, PublishedVariant
from ..model import Design
from ..production.records import PublishedRun, SliceFigures
from ..siteinfo import SiteInfo
from . import profiles

PLANNER_FORMAT_VERSION = 1


def duration(seconds: float) -> str:
    """'1 h 07 min', '31 min', '2 d 03 h'."""
    minutes = round(seconds / 60)
    if minutes >= 48 * 60:
        return f"{minutes // 1440} d {minutes % 1440 // 60:02d} h"
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def printer_titles() -> dict[str, dict[str, Any]]:
    return {p.name: {"title": p.profile.title, "title_fr": p.profile.title_fr, "bed_mm": list(p.bed_mm),
                     "plate_change_minutes": p.plate_change_s / 60, "plate_hours": p.plate_budget_s / 3600,
                     "profile": p.profile.path.name}
            for p in profiles.printers()}


def figures(f: SliceFigures) -> dict[str, Any]:
    return {"time": duration(f.seconds), "seconds": f.seconds, "grams": f"{f.filament_g:.1f}",
            "metres": f"{f.filament_mm / 1000:.2f}", "cost": f"{f.cost:.2f}"}


# Each published variant's runs with their plates, in the reference printers' order (the printing method's).
RunsOf = Callable[[PublishedVariant], tuple[PublishedRun, ...]]


def production_context(design: Design, variants: tuple[PublishedVariant, ...], runs_of: RunsOf) -> dict[str, Any]:
    """The design page's Production section: per reference printer, a row per variant that fits it."""
    single = _single_variant(variants)
    printers = []
    for name, facts in printer_titles().items():
        rows = [_row(v, r, single, runs_of) for v in variants for r in runs_of(v) if r.run.printer == name]
        if rows:
            printers.append(facts | {"name": name, "rows": rows, "with_reference": any(r["reference"] for r in rows)})
    material = next((r.run.material for v in variants for r in runs_of(v)), None)
    slicer = next((r.run.slicer for v in variants for r in runs_of(v)), "")
    return {"printers": printers, "material": material, "slicer": slicer_name(slicer),
            "print_profile": profiles.REFERENCE_PRINT, "settings": profiles.print_settings(design),
            "filament_profile": profiles.FILAMENTS.get(material or "", "")}


def slicer_name(version_line: str) -> str:
    """'PrusaSlicer-2.5.0+linux-x64-GTK3' → 'PrusaSlicer 2.5.0'."""
    name, _, version = version_line.partition("-")
    return f"{name} {version.split('+')[0]}".strip()


def _row(v: PublishedVariant, published: PublishedRun, single: PublishedVariant | None,
         runs_of: RunsOf) -> dict[str, Any]:
    run = published.run
    row = {"variant": v.artifact.job.variant.name, "single": figures(run.single),
           "reference": figures(run.reference) if run.reference else None, "copies": run.copies, "plate": figures(run.plate),
           "plate_file": published.plate, "per_day": f"{run.units_per_day:.0f}", "parts": run.parts_per_copy,
           "limit": run.plate_limit, "per_part": None,
           "sliced_copies": None if run.plate_sliced_whole else run.plate_sliced_copies}
    if run.parts_per_copy > 1 and single is not None:
        alone = next((r.run for r in runs_of(single) if r.run.printer == run.printer), None)
        if alone is not None:
            row["per_part"] = {"time": duration(run.single.seconds / run.parts_per_copy),
                               "single_time": duration(alone.single.seconds),
                               "single_variant": single.artifact.job.variant.name}
    return row


def _single_variant(variants: tuple[PublishedVariant, ...]) -> PublishedVariant | None:
    """What a stack is compared with: the design's first variant of one part."""
    return next((v for v in variants if v.artifact.parts == 1), None)


def run_entry(published: PublishedRun, site: SiteInfo) -> dict[str, Any]:
    """One variant on one printer, for catalogue.json, okh.toml and the planner."""
    run = published.run
    def numbers(f: SliceFigures) -> dict[str, Any]:
        return {"seconds": f.seconds, "filament_g": f.filament_g, "filament_m": round(f.filament_mm / 1000, 3),
                "cost_eur": f.cost}
    return {
        "printer": run.printer,
        "material": run.material,
        "one_copy": numbers(run.single),
        **({"one_copy_reference_0_20mm": numbers(run.reference)} if run.reference else {}),
        "copies_per_plate": run.copies,
        "parts_per_copy": run.parts_per_copy,
        "full_plate": numbers(run.plate),
        "plate_limited_by": {"bed": "bed full", "time": "a day's printing"}[run.plate_limit],
        "plate_budget_hours": run.plate_budget_s / 3600,
        # "sliced": a whole slice of what the figures describe; the plate's may be those of a plate a copy or two off,
        # sliced whole and scaled to the plate's count
        "figures_obtained": "sliced" if run.plate_sliced_whole else f"from a slice of {run.plate_sliced_copies} copies",
        "plate_sliced_copies": run.plate_sliced_copies,
        "slicer": slicer_name(run.slicer),
        "plate_change_seconds": run.plate_change_s,
        "units_per_printer_per_day": round(run.units_per_day, 2),
        "plate_3mf": {"url": site.download_link(published.plate), "size": published.plate.size,
                      "sha256": published.plate.sha256},
    }


def planner_document(published: list[PublishedDesign], site: SiteInfo, runs_of: RunsOf) -> str:
    """production.json, which the planner page reads: every variant's figures on every reference printer, and
    every published design (the core adds their bills of materials: publish/bom.planner_with_bom)."""
    document = {
        "format_version": PLANNER_FORMAT_VERSION,
        "printers": printer_titles(),
        "designs": [{
            "slug": p.design.slug,
            "title": p.design.title.en,
            "title_fr": p.design.title.fr or p.design.title.en,
            "variants": [{"name": v.artifact.job.variant.name,
                          "runs": {r.run.printer: run_entry(r, site) for r in runs_of(v)}}
                         for v in p.variants if runs_of(v)],
        } for p in published],
    }
    return json_text(document)
