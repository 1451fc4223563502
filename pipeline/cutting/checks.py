"""Whether each part declared as cut can be cut: a flat extrusion of the declared thickness, on a sheet that
holds it, with no slot or bridge narrower than its material allows. Each problem is one sentence naming the
part and the fix.

Narrow features are found with shapely by morphology: opening the outline by the minimum bridge width
(shrink by half of it, grow back) removes every bridge or peg narrower than that; closing it by the minimum
slot width fills every narrower slot. A removed or filled piece counts when its area is above half the
square of the width: opening also rounds every convex corner a little, closing every concave one, and the
sliver a corner loses stays under that down to corners of about 35° (a corner's sliver is
r² (cot(α/2) − (π − α)/2) for a radius r of half the width), while a peg or slot as long as it is wide passes it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import CutPart
from .outlines import SolidOutline
from .profiles import Laser, SheetMaterial

if TYPE_CHECKING:  # shapely (and numpy under it) is imported where a part is checked: 55 ms of a no-change rebuild
    from shapely.geometry import Polygon
    from shapely.geometry.base import BaseGeometry

THICKNESS_TOLERANCE_MM = 0.01
CORNER_SLIVER = 0.5  # of the width squared: what opening or closing may take off one corner


def part_problems(part: CutPart, solid: SolidOutline, thickness_mm: float, material: SheetMaterial) -> list[str]:
    name = f"cut part {part.name!r}"
    if solid.not_flat:
        return [f"{name} is not a flat extrusion: {solid.not_flat}; model it as a 2D outline extruded straight "
                f"along Z by the sheet's thickness (e.g. .extrude({thickness_mm:g})), or remove it from cutting.parts"]
    if abs(solid.thickness_mm - thickness_mm) > THICKNESS_TOLERANCE_MM:
        return [f"{name} is {solid.thickness_mm:.2f} mm thick but design.yaml declares {thickness_mm:g} mm "
                f"{part.material} sheet; extrude it by the declared thickness, or declare the thickness it has"]
    shape = solid.polygon()
    problems = []
    bridge = narrowest_feature(shape, material.min_bridge(thickness_mm), bridges=True)
    if bridge is not None:
        problems.append(f"{name} has a bridge or peg narrower than {material.min_bridge(thickness_mm):g} mm near "
                        f"({bridge[0]:.1f}, {bridge[1]:.1f}) mm of its outline, the least {thickness_mm:g} mm "
                        f"{part.material} holds when cut; widen it")
    slot = narrowest_feature(shape, material.min_slot(thickness_mm), bridges=False)
    if slot is not None:
        problems.append(f"{name} has a slot narrower than {material.min_slot(thickness_mm):g} mm near "
                        f"({slot[0]:.1f}, {slot[1]:.1f}) mm of its outline, which melts shut when cut; widen it")
    return problems


def narrowest_feature(shape: Polygon, width: float, bridges: bool) -> tuple[float, float] | None:
    """A point of a bridge (or, with bridges=False, a slot) narrower than `width`, or None."""
    if bridges:
        kept = shape.buffer(-width / 2, join_style="round").buffer(width / 2, join_style="round")
        changed = shape.difference(kept)
    else:
        kept = shape.buffer(width / 2, join_style="round").buffer(-width / 2, join_style="round")
        changed = kept.difference(shape)
    for piece in _pieces(changed):
        if piece.area > CORNER_SLIVER * width**2:
            point = piece.representative_point()
            return point.x, point.y
    return None


def _pieces(geometry: BaseGeometry) -> list[Polygon]:
    from shapely.geometry import Polygon

    if geometry.is_empty:
        return []
    return [g for g in getattr(geometry, "geoms", [geometry]) if isinstance(g, Polygon)]


def fits_sheet(solid: SolidOutline, sheet_mm: tuple[float, float], margin_mm: float) -> bool:
    """Whether the part fits inside the sheet's margins, as drawn or turned 90°."""
    x0, y0, _, x1, y1, _ = solid.bounding_box_mm
    w, h = x1 - x0, y1 - y0
    sw, sh = sheet_mm[0] - 2 * margin_mm, sheet_mm[1] - 2 * margin_mm
    return (w <= sw and h <= sh) or (h <= sw and w <= sh)


def part_sheet(part: CutPart, laser: Laser) -> tuple[float, float] | None:
    """The sheet this part is cut from on this laser: its own stock if it names one and the bed takes it."""
    if part.sheet_mm is None:
        return laser.sheet_mm
    w, h = part.sheet_mm
    bw, bh = laser.bed_mm
    return (w, h) if (w <= bw and h <= bh) or (h <= bw and w <= bh) else None
