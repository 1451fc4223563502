"""Sewing stage: for every variant of a design with a `sewing` block, draw its pattern, nest it on fabric rolls
and write the files, unless the sewing cache has them.

Reads the STEP files the CAD stage built, through the cutting stage's outline reader (a process of its own
behind the wall, cached by the STEP's SHA-256); writes only under .cache/sewing/. An entry's key hashes the
outline's key, the sewing block, the variant's name and this module's format version: a rebuild with nothing
changed computes nothing. A piece that cannot be drawn is one problem naming the design, the variant and the
fix; the other variants and designs go on.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..built import Artifact, BuildReport
from ..config import BuildConfig
from ..cutting.outlines import SolidOutline, outline_key, variant_outlines
from ..fsutil import relative, replace_file
from ..model import Problem
from .spec import MASKS_FOR_LENGTH, ROLL_WIDTHS_MM, SELVEDGE_MM, Sewing, sewing_of, spec_problems

if TYPE_CHECKING:
    from shapely.geometry import Polygon

# shapely (and numpy under it) and the pattern writers are imported where an entry is made: a build that finds every
# sewn variant in the cache (a no-change rebuild, `serve` after another design's edit) reads all it needs there.
SEWING_FORMAT_VERSION = "2"


@dataclass(frozen=True)
class RollFigures:
    width_mm: float
    masks_per_metre: int  # complete masks within the first metre (roll.py's rule)
    metres_per_100: float  # the roll 100 masks take


@dataclass(frozen=True)
class SewnPiece:
    name: str
    size_mm: tuple[float, float]  # the cut piece's bounding box
    copies: int
    mirrored: bool


@dataclass(frozen=True)
class SewnVariant:
    """One variant's pattern files (in the sewing cache) and fabric figures."""

    files: dict[str, Path]  # published name -> cached file
    pieces: tuple[SewnPiece, ...]
    rolls: tuple[RollFigures, ...]  # ROLL_WIDTHS_MM's order
    finished_mm: tuple[float, float] | None  # a pleated mask's stitched width and height once pleated
    sewing: Sewing


def sew_variants(artifacts: list[Artifact], config: BuildConfig, report: BuildReport) -> dict[str, SewnVariant]:
    """The pattern files and fabric figures of every variant whose design has a sewing block, by artifact key."""
    sewn = [a for a in artifacts if a.job.design.sewing is not None]
    if not sewn:
        return {}
    outlines = variant_outlines(sewn, config)
    found = {}
    for artifact in sewn:
        design, variant = artifact.job.design, artifact.job.variant
        at = {"file": relative(design.folder / "design.yaml", config.root), "design": design.slug, "variant": variant.name}
        solids = outlines[artifact.job.key]
        if isinstance(solids, str):
            report.problems.append(Problem.at(f"the STEP file could not be read for its pattern: {solids}", **at))
            continue
        sewing = sewing_of(design.sewing)
        problems = spec_problems(sewing, [v.name for v in design.variants])
        try:
            made = problems or sewn_variant(artifact, sewing, solids, config.cache_root / "sewing")
        except ValueError as err:  # a pattern too large to tile (more than 26 rows of pages): this design's problem
            made = [f"the pattern could not be drawn: {err}"]
        if isinstance(made, SewnVariant):
            found[artifact.job.key] = made
        else:
            report.problems += [Problem.at(p, **at) for p in made]
    return found


def piece_problems(sewing: Sewing, solids: list[SolidOutline]) -> list[str]:
    if len(solids) != len(sewing.pieces):
        return [f"the script shows {len(solids)} solid(s) but sewing.pieces declares {len(sewing.pieces)} piece(s) "
                f"({', '.join(p.name for p in sewing.pieces)}); show each piece as a thin flat plate with its own "
                "show_object() call, in the order of sewing.pieces"]
    from .pattern import pleat_problems
    from .roll import on_grain

    problems = []
    usable = min(ROLL_WIDTHS_MM) - 2 * SELVEDGE_MM
    for piece, solid in zip(sewing.pieces, solids, strict=True):
        if solid.not_flat:
            problems.append(f"sewing piece {piece.name!r} is not a flat plate: {solid.not_flat}")
            continue
        outline = _outline(solid)
        if outline.buffer(-sewing.seam_allowance_mm).is_empty:
            problems.append(f"sewing piece {piece.name!r} is too small for its {sewing.seam_allowance_mm:g} mm seam "
                            "allowance")
            continue
        problems += [f"sewing piece {piece.name!r}: {p}" for p in pleat_problems(piece, outline, sewing.seam_allowance_mm)]
        across = on_grain(outline, piece.grainline).bounds[2]
        if across > usable:
            problems.append(f"sewing piece {piece.name!r} is {across:.0f} mm across the roll with its grain kept; the "
                            f"narrowest reference roll ({min(ROLL_WIDTHS_MM) / 10:g} cm) leaves {usable:.0f} mm between "
                            "its selvedges: make it smaller, or split it")
    return problems


def _outline(solid: SolidOutline) -> Polygon:
    """The cut line: the plate's outer contour (a hole in a fabric piece is not cut)."""
    from shapely.geometry import Polygon

    return Polygon(solid.polygon().exterior)


def sewn_variant(artifact: Artifact, sewing: Sewing, solids: list[SolidOutline],
                 cache_dir: Path) -> SewnVariant | list[str]:
    """The variant's pattern files and figures, or its pieces' problems; either is kept in the cache entry of the
    pieces' outlines, the sewing block and the names it is published under."""
    design, variant = artifact.job.design, artifact.job.variant
    stem = f"{design.slug}-{variant.name}"
    key = hashlib.sha256(json.dumps([SEWING_FORMAT_VERSION, outline_key(artifact.file("step")), design.sewing,
                                     stem, design.title.en], sort_keys=True).encode()).hexdigest()
    entry = cache_dir / key[:2] / key
    if not (entry / "figures.json").is_file():
        _write_entry(entry, artifact, sewing, solids, stem)
    figures = json.loads((entry / "figures.json").read_text(encoding="utf-8"))
    if figures["problems"]:
        return figures["problems"]
    pieces = tuple(SewnPiece(p.name, tuple(size), p.copies, p.mirrored)
                   for p, size in zip(sewing.pieces, figures["pieces_mm"], strict=True))
    finished = tuple(figures["finished_mm"]) if figures["finished_mm"] else None
    return SewnVariant({name: entry / name for name in figures["files"]}, pieces,
                       tuple(RollFigures(**r) for r in figures["rolls"]), finished, sewing)


def _write_entry(entry: Path, artifact: Artifact, sewing: Sewing, solids: list[SolidOutline], stem: str) -> None:
    """Every file, then figures.json last: its presence marks a whole entry. A variant whose pieces have problems
    has an entry of its problems only."""
    problems = piece_problems(sewing, solids)
    if problems:
        entry.mkdir(parents=True, exist_ok=True)
        replace_file(entry / "figures.json", json.dumps({"problems": problems}, indent=1, sort_keys=True) + "\n")
        return
    from .files import marker_files, pattern_files
    from .pattern import finished_height, lay_out
    from .roll import check_marker, lay_marker, on_grain, variants_of

    outlines = [_outline(s) for s in solids]
    pleated = next(((p, o) for p, o in zip(sewing.pieces, outlines, strict=True) if p.pleats), None)
    finished = None
    if pleated:
        width = pleated[1].bounds[2] - 2 * sewing.seam_allowance_mm
        finished = [width, finished_height(pleated[0], pleated[1], sewing.seam_allowance_mm)]
    design, variant = artifact.job.design, artifact.job.variant
    sizes = [f"{variant.name}: {(o.bounds[2]) / 10:g} × {(o.bounds[3]) / 10:g} cm" for o in outlines]
    heading = f"{design.title.en} - {variant.name}"
    pattern = lay_out(outlines, sewing, sizes, f"{stem} pattern")
    files = pattern_files(pattern, stem, heading)
    on_roll = [(p.name, on_grain(o, p.grainline), p.copies, p.mirrored)
               for p, o in zip(sewing.pieces, outlines, strict=True)]
    shapes = {(name, turn, mirrored): shape for name, grained, _, _ in on_roll
              for (turn, mirrored), shape in variants_of(grained).items()}
    markers, rolls = [], []
    for width in ROLL_WIDTHS_MM:
        marker = lay_marker(on_roll, MASKS_FOR_LENGTH, width)
        wrong = check_marker(marker, shapes)
        if wrong:  # the nester broke its own promise: a bug here, never a design's fault
            raise RuntimeError(f"nesting {stem} on a {width:g} mm roll: {'; '.join(wrong)}")
        markers.append(marker)
        rolls.append({"width_mm": width, "masks_per_metre": marker.masks_within(1000.0, sewing.pieces_per_mask(), shapes),
                      "metres_per_100": round(marker.length_mm / 1000 * 100 / MASKS_FOR_LENGTH, 3)})
    titles = [f"{stem}: {r['masks_per_metre']} masks per metre of {r['width_mm'] / 10:g} cm" for r in rolls]
    files |= marker_files(markers, shapes, stem, titles)
    entry.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        _write(entry / name, data)
    placements = {str(m.width_mm): [list(p.__dict__.values()) for p in m.placements] for m in markers}
    replace_file(entry / "figures.json", json.dumps({
        "problems": [], "files": sorted(files), "rolls": rolls, "placements": placements, "finished_mm": finished,
        "pieces_mm": [list(o.bounds[2:]) for o in outlines]}, indent=1, sort_keys=True) + "\n")


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.new")
    tmp.write_bytes(data)
    tmp.replace(path)
