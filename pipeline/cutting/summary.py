"""What the pages, the planner, catalogue.json and okh.toml say of the cut figures, computed once."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..cutting.records import PublishedCutPart, PublishedCutRun
from ..fsutil import json_text
from ..making.records import PublishedDesign, PublishedVariant
from ..model import CutPart, Design
from ..siteinfo import SiteInfo
from . import profiles


def duration(seconds: float) -> str:
    """'1 h 07 min', '4 min 05 s', '38 s': a part takes seconds on a laser, not minutes."""
    seconds = round(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


def laser_titles() -> dict[str, dict[str, Any]]:
    return {laser.name: {"title": laser.title, "title_fr": laser.title_fr, "power_w": laser.power_w,
                         "bed_mm": list(laser.bed_mm),
                         "sheet_mm": list(laser.sheet_mm), "sheet_change_minutes": laser.sheet_change_s / 60,
                         "attended_hours_per_day": laser.attended_hours_per_day, "profile": laser.path.name}
            for laser in profiles.lasers()}


def cut_parts(design: Design) -> dict[str, CutPart]:
    return {p.name: p for p in design.cutting.parts} if design.cutting else {}


def run_entry(published: PublishedCutRun, site: SiteInfo) -> dict[str, Any]:
    """One variant on one laser, for catalogue.json, okh.toml and the planner."""
    run = published.run
    parts = []
    for part, (dxf, svg) in zip(run.parts, published.sheets, strict=True):
        parts.append({
            "part": part.part, "material": part.material, "thickness_mm": part.thickness_mm, "copies": part.copies,
            "cut_length_mm": round(part.cut_length_mm, 1), "pierces": part.pierces,
            "seconds_per_part": round(part.part_seconds, 1), "sheet_mm": list(part.sheet_mm),
            "parts_per_sheet": part.parts_per_sheet, "sheets_per_load": part.sheets_per_load,
            "sheet_seconds": round(part.sheet_seconds, 1),
            "nested_sheet": {"dxf": _file(dxf, site), "svg": _file(svg, site)},
        })
    return {"laser": run.laser, "parts": parts, "sheet_change_seconds": run.sheet_change_s,
            "attended_hours_per_day": run.attended_hours_per_day,
            "seconds_per_unit": round(run.seconds_per_unit, 1), "units_per_laser_per_day": round(run.units_per_day, 2)}


def _file(download, site: SiteInfo) -> dict[str, Any]:
    return {"url": site.download_link(download), "size": download.size, "sha256": download.sha256}


# Each published variant's cut parts and laser runs with their files (the cutting method's).
PartsOf = Callable[[PublishedVariant], tuple[PublishedCutPart, ...]]
RunsOf = Callable[[PublishedVariant], tuple[PublishedCutRun, ...]]


def cutting_context(p: PublishedDesign, parts_of: PartsOf, runs_of: RunsOf) -> dict[str, Any]:
    """The design page's Cutting section: the parts' files per variant, then per laser a row per variant."""
    declared = cut_parts(p.design)
    variants = [{"variant": v.artifact.job.variant.name,
                 "parts": [{"part": declared[c.files.part], "dxf": c.dxf, "svg": c.svg,
                            "size": f"{c.files.size_mm[0]:.1f} × {c.files.size_mm[1]:.1f}",
                            "thickness": f"{declared[c.files.part].thickness_for(v.artifact.job.variant.parameters):g}"}
                           for c in parts_of(v)]}
                for v in p.variants if parts_of(v)]
    lasers = []
    for name, facts in laser_titles().items():
        rows = [_row(v.artifact.job.variant.name, r, declared) for v in p.variants for r in runs_of(v)
                if r.run.laser == name]
        if rows:
            lasers.append(facts | {"name": name, "rows": rows})
    return {"variants": variants, "lasers": lasers}


def _row(variant: str, published: PublishedCutRun, declared: dict[str, CutPart]) -> dict[str, Any]:
    run = published.run
    parts = [{"part": declared[part.part], "material": part.material, "thickness": f"{part.thickness_mm:g}",
              "cut_m": f"{part.cut_length_mm / 1000:.2f}", "pierces": part.pierces, "time": duration(part.part_seconds),
              "per_sheet": part.parts_per_sheet, "sheet": f"{part.sheet_mm[0]:g} × {part.sheet_mm[1]:g}",
              "per_load": part.sheets_per_load, "sheet_time": duration(part.sheet_seconds), "dxf": dxf, "svg": svg}
             for part, (dxf, svg) in zip(run.parts, published.sheets, strict=True)]
    return {"variant": variant, "parts": parts, "per_unit": duration(run.seconds_per_unit),
            "per_day": f"{run.units_per_day:.0f}", "per_hour": f"{3600 / run.seconds_per_unit:.0f}"}


PLANNER_FORMAT_VERSION = 1


def planner_document(published: list[PublishedDesign], runs_of: RunsOf) -> str:
    """cutting.json, which the planner reads beside production.json: every cut variant's units per laser per day."""
    document = {
        "format_version": PLANNER_FORMAT_VERSION,
        "lasers": laser_titles(),
        "designs": [{
            "slug": p.design.slug,
            "title": p.design.title.en,
            "title_fr": p.design.title.fr or p.design.title.en,
            "variants": [{"name": v.artifact.job.variant.name,
                          "lasers": {r.run.laser: {"units_per_laser_per_day": round(r.run.units_per_day, 2),
                                                   "seconds_per_unit": round(r.run.seconds_per_unit, 1)}
                                     for r in runs_of(v)}}
                         for v in p.variants if runs_of(v)],
        } for p in published if any(runs_of(v) for v in p.variants)],
    }
    return json_text(document)
