"""Cutting stage: for every variant of a design with `cutting` parts, check each part, write its DXF and SVG,
nest it on each reference laser's sheet and compute the cut figures, unless the cutting cache has them.

Reads the STEP files the CAD stage built (through the cutting worker, outlines.py); writes only under
.cache/cutting/. A cache entry's key hashes the outline read from the STEP (itself keyed by the STEP's
SHA-256), the part's declaration and, for figures, the laser's and materials' profile bytes: a rebuild
with nothing changed computes nothing. A part that cannot be cut is one problem naming the design, the
variant and the part, with the fix; the design's other variants and the other designs go on.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from ..built import Artifact, BuildReport
from ..config import BuildConfig
from ..cutting.records import CutFiles, CutPartRun, CuttingRun, CutVariant
from ..drawing import svg_bytes
from ..drawing.dxf import dxf_bytes
from ..fsutil import relative, replace_file
from ..model import CutPart, Problem
from . import profiles
from .checks import fits_sheet, part_problems, part_sheet
from .outlines import SolidOutline, outline_key, variant_outlines

# nesting and sheets (shapely, and numpy under it: 50 ms) are imported where an entry is made: a build that finds
# every cut part in the cache reads them from there.

# Bump when what an entry holds, or how it is computed, changes.
CUT_FORMAT_VERSION = "6"  # 2: stock sheets per bed load; 3: DXF classes in name order; 4: DXF to 1 µm; 5: nested sheets simplified to 0.01 mm; 6: DXF extents


def cut_variants(artifacts: list[Artifact], config: BuildConfig, report: BuildReport) -> dict[str, CutVariant]:
    """The cut files and figures of every variant whose design declares cut parts, by artifact key."""
    cut = [a for a in artifacts if a.job.design.cutting is not None]
    if not cut:
        return {}
    outlines = variant_outlines(cut, config)
    found = {}
    for artifact in cut:
        solids = outlines[artifact.job.key]
        def located(message: str, artifact: Artifact = artifact) -> Problem:
            return Problem.at(message, file=relative(artifact.job.design.folder / "design.yaml", config.root),
                              design=artifact.job.design.slug, variant=artifact.job.variant.name)
        if isinstance(solids, str):
            report.problems.append(located(f"the STEP file could not be read for cutting: {solids}"))
            continue
        problems = variant_problems(artifact, solids, config.cutting_cache_dir)
        report.problems += [located(p) for p in problems]
        if not problems:
            found[artifact.job.key] = _variant(artifact, solids, config.cutting_cache_dir)
    return found


def variant_problems(artifact: Artifact, solids: list[SolidOutline], cache_dir: Path | None = None) -> list[str]:
    parts = artifact.job.design.cutting.parts
    if len(solids) != len(parts):
        return [f"the script shows {len(solids)} solid(s) but cutting.parts declares {len(parts)} part(s) "
                f"({', '.join(p.name for p in parts)}); show each cut part with its own show_object() call, "
                "in the order of cutting.parts"]
    problems = []
    step_key = outline_key(artifact.file("step")) if cache_dir is not None else ""
    for index, (part, solid) in enumerate(zip(parts, solids, strict=True)):
        thickness = part.thickness_for(artifact.job.variant.parameters)
        found = _part_problems(part, index, solid, thickness, step_key, cache_dir)
        if not found and not _lasers_for(part, solid, thickness):
            x0, y0, _, x1, y1, _ = solid.bounding_box_mm
            sheets = "; ".join(f"{laser.name}: {_sheet_text(part_sheet(part, laser))}" for laser in profiles.lasers())
            found = [f"cut part {part.name!r} ({x1 - x0:.1f} × {y1 - y0:.1f} mm, {thickness:g} mm {part.material}) "
                     f"fits no reference laser's sheet or is too thick for all of them ({sheets}); make it smaller, "
                     "or split it into parts"]
        problems += found
    return problems


def _part_problems(part: CutPart, index: int, solid: SolidOutline, thickness: float, step_key: str,
                   cache_dir: Path | None) -> list[str]:
    """part_problems, remembered in the cache by the outline, the part's declaration and the materials: its
    narrowest-feature search (shapely buffers) was most of a no-change rebuild's cutting stage."""
    material = profiles.materials()[part.material]
    if cache_dir is None:
        return part_problems(part, solid, thickness, material)
    entry = _entry(cache_dir, _key("checks", step_key, index, asdict(part), thickness, profiles.materials_digest()))
    if (entry / "problems.json").is_file():
        return json.loads((entry / "problems.json").read_text(encoding="utf-8"))
    found = part_problems(part, solid, thickness, material)
    entry.mkdir(parents=True, exist_ok=True)
    _write(entry / "problems.json", json.dumps(found).encode())
    return found


def _sheet_text(sheet: tuple[float, float] | None) -> str:
    return "its stock sheet does not fit the bed" if sheet is None else f"{sheet[0]:g} × {sheet[1]:g} mm sheet"


def _lasers_for(part: CutPart, solid: SolidOutline, thickness: float) -> list[profiles.Laser]:
    usable = []
    for laser in profiles.lasers():
        sheet = part_sheet(part, laser)
        if sheet and fits_sheet(solid, sheet, laser.margin_mm) and laser.speed_mm_s(part.material, thickness):
            usable.append(laser)
    return usable


def _variant(artifact: Artifact, solids: list[SolidOutline], cache_dir: Path) -> CutVariant:
    design, variant = artifact.job.design, artifact.job.variant
    parts = design.cutting.parts
    step_key = outline_key(artifact.file("step"))
    files = tuple(_files(artifact, part, index, solid, step_key, cache_dir)
                  for index, (part, solid) in enumerate(zip(parts, solids, strict=True)))
    runs = []
    for laser in profiles.lasers():
        usable = [laser in _lasers_for(p, s, p.thickness_for(variant.parameters)) for p, s in zip(parts, solids, strict=True)]
        if all(usable):
            runs.append(CuttingRun(laser.name, tuple(_part_run(artifact, p, i, s, step_key, laser, cache_dir)
                                                     for i, (p, s) in enumerate(zip(parts, solids, strict=True))),
                                   laser.sheet_change_s, laser.attended_hours_per_day))
    return CutVariant(files, tuple(runs))


def _key(*recipe: object) -> str:
    return hashlib.sha256(json.dumps([CUT_FORMAT_VERSION, *recipe], sort_keys=True, default=str).encode()).hexdigest()


def _entry(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / key


def _files(artifact: Artifact, part: CutPart, index: int, solid: SolidOutline, step_key: str,
           cache_dir: Path) -> CutFiles:
    name = f"{artifact.job.design.slug}-{artifact.job.variant.name}-{part.name}"
    entry = _entry(cache_dir, _key("part", step_key, index, name))
    dxf, svg, facts = entry / "part.dxf", entry / "part.svg", entry / "part.json"
    if not facts.is_file():
        from .sheets import part_drawing

        drawing = part_drawing(solid, name)
        entry.mkdir(parents=True, exist_ok=True)
        _write(dxf, dxf_bytes(drawing))
        _write(svg, svg_bytes(drawing))
        replace_file(facts, json.dumps({"area_mm2": solid.polygon().area}) + "\n")  # last: the entry is whole
    x0, y0, _, x1, y1, _ = solid.bounding_box_mm
    area = json.loads(facts.read_text(encoding="utf-8"))["area_mm2"]
    return CutFiles(part.name, dxf, svg, (x1 - x0, y1 - y0), area)


def _part_run(artifact: Artifact, part: CutPart, index: int, solid: SolidOutline, step_key: str,
              laser: profiles.Laser, cache_dir: Path) -> CutPartRun:
    thickness = part.thickness_for(artifact.job.variant.parameters)
    name = f"{artifact.job.design.slug}-{artifact.job.variant.name}-{part.name}"
    entry = _entry(cache_dir, _key("sheet", step_key, index, name, asdict(part), thickness, laser.digest,
                                   profiles.materials_digest()))
    figures = entry / "figures.json"
    if not figures.is_file():
        entry.mkdir(parents=True, exist_ok=True)
        _write_figures(entry, solid, part, thickness, laser, name)
    data = json.loads(figures.read_text(encoding="utf-8"))
    return CutPartRun(part=part.name, material=part.material, thickness_mm=thickness, copies=part.copies,
                      cut_length_mm=data["cut_length_mm"], pierces=data["pierces"], part_seconds=data["part_seconds"],
                      sheet_mm=tuple(data["sheet_mm"]), parts_per_sheet=data["parts_per_sheet"],
                      sheet_seconds=data["sheet_seconds"], sheets_per_load=data["sheets_per_load"], sheet_dxf=entry / "sheet.dxf", sheet_svg=entry / "sheet.svg")


def _write_figures(entry: Path, solid: SolidOutline, part: CutPart, thickness: float, laser: profiles.Laser,
                   name: str) -> None:
    """The nested sheet's drawings, then figures.json last: its presence marks a whole entry."""
    from .nesting import check_placements, nest, stock_sheets_per_load
    from .sheets import part_path, sheet_contours, sheet_drawing, sheet_path

    sheet = part_sheet(part, laser)
    shape = solid.polygon()
    nested = nest(shape, sheet, laser.margin_mm, laser.spacing_mm)
    wrong = check_placements(shape, nested, laser.margin_mm, laser.spacing_mm)
    if wrong:  # the nester broke its own promise: a bug here, never a design's fault
        raise RuntimeError(f"nesting {name} on {laser.name}: {'; '.join(wrong)}")
    speed = laser.speed_mm_s(part.material, thickness)
    on_sheet = sheet_contours(solid, nested)  # every copy's contours, moved once for the drawing and the path
    drawing = sheet_drawing(on_sheet, nested, f"{name}, {nested.count} on {sheet[0]:g} × {sheet[1]:g} mm, {laser.name}")
    _write(entry / "sheet.dxf", dxf_bytes(drawing))
    _write(entry / "sheet.svg", svg_bytes(drawing))
    one, full = part_path(solid), sheet_path(on_sheet)
    figures = {
        "cut_length_mm": round(one.cut_mm, 3), "pierces": one.pierces,
        "part_seconds": round(one.seconds(speed, laser.pierce_s, laser.travel_mm_s), 3),
        "sheet_mm": list(sheet), "parts_per_sheet": nested.count,
        "sheet_seconds": round(full.seconds(speed, laser.pierce_s, laser.travel_mm_s), 3),
        "sheets_per_load": stock_sheets_per_load(sheet, laser.bed_mm) if part.sheet_mm else 1,
        "speed_mm_s": round(speed, 3), "placements": [asdict(p) for p in nested.placements],
    }
    replace_file(entry / "figures.json", json.dumps(figures, indent=1, sort_keys=True) + "\n")


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")  # builds sharing a cache never write one file
    tmp.write_bytes(data)
    tmp.replace(path)
