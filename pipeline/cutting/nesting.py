"""True-shape lattice nesting of one part on a sheet, with shapely.

The rule: copies of the part's real outline, all turned the same way (0°, 90°, 180° or 270°), on a lattice:
along a row each copy is slid against the previous one until their outlines come within the spacing; each
row is shifted sideways by one of twelve fractions of that pitch and slid down onto the previous row the
same way (rows interlock where the outline lets them, e.g. hooks into notches). Rows start at the sheet's
margin; each holds as many copies as fit inside the margins. The count is the best over every turn and
shift.

What it guarantees: every placed copy is inside the sheet's margins and at least the spacing (kerf
included) away from every other copy, checked on the exact outlines after placing (`check_placements`,
which the tests repeat on the published sheet). It is the best count for this rule, not the best count
there is: a free-form nester that mixes turns may fit more, never fewer than a worse rule would.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from shapely import STRtree, affinity
from shapely.geometry import Polygon, box
from shapely.prepared import prep

TURNS = (0, 90, 180, 270)
SHIFTS = 12  # row shifts tried, as fractions of the row pitch
STEP_MM = 1.0  # the coarse slide; then halved down to RESOLUTION_MM at the first contact
RESOLUTION_MM = 0.05


@dataclass(frozen=True)
class Placement:
    turn: int  # degrees, anticlockwise
    x: float  # where the turned part's bounding box starts, on the sheet
    y: float


@dataclass(frozen=True)
class Nest:
    sheet_mm: tuple[float, float]
    placements: tuple[Placement, ...]

    @property
    def count(self) -> int:
        return len(self.placements)


def turned(part: Polygon, turn: int) -> Polygon:
    """The part turned about its centre, its bounding box moved to start at (0, 0)."""
    shape = affinity.rotate(part, turn, origin="centroid")
    x0, y0, _, _ = shape.bounds
    return affinity.translate(shape, -x0, -y0)


def placed(part: Polygon, placement: Placement) -> Polygon:
    return affinity.translate(turned(part, placement.turn), placement.x, placement.y)


def nest(part: Polygon, sheet_mm: tuple[float, float], margin_mm: float, spacing_mm: float) -> Nest:
    """The most copies this rule fits; ties go to the first turn and shift tried, so the result is stable."""
    outline = Polygon(part.exterior)  # holes take no other part: only the outline matters here
    best = Nest(sheet_mm, ())
    for turn in TURNS:
        shape = turned(outline, turn)
        for lattice in _lattices(shape, spacing_mm):
            placements = _fill(shape, lattice, sheet_mm, margin_mm, turn)
            if len(placements) > best.count:
                best = Nest(sheet_mm, placements)
    return best


def lattice_counts(part: Polygon, sheet_mm: tuple[float, float], margin_mm: float, spacing_mm: float) -> list[int]:
    """How many copies each lattice of the rule fits: the nest's count is their maximum."""
    outline = Polygon(part.exterior)
    return [len(_fill(turned(outline, turn), lattice, sheet_mm, margin_mm, turn))
            for turn in TURNS for lattice in _lattices(turned(outline, turn), spacing_mm)]


def _lattices(shape: Polygon, spacing: float) -> list[tuple[float, float, float]]:
    """(pitch along a row, row shift, row pitch) for each shift tried."""
    _, _, w, h = shape.bounds
    grown = shape.buffer(spacing / 2, quad_segs=4)
    target = prep(grown)
    pitch = _slide(lambda d: [(k * d, 0.0) for k in range(1, math.ceil((w + spacing) / max(d, 0.01)) + 1)],
                   w + spacing, target, grown)
    found = []
    for i in range(SHIFTS):
        shift = pitch * i / SHIFTS

        def neighbours(d: float, shift: float = shift) -> list[tuple[float, float]]:
            rows = math.ceil((h + spacing) / max(d, 0.01))
            reach = math.ceil((w + spacing) / pitch) + rows + 1
            return [(j * shift + k * pitch, j * d) for j in range(1, rows + 1) for k in range(-reach, reach + 1)]

        found.append((pitch, shift, _slide(neighbours, h + spacing, target, grown)))
    return found


def _slide(neighbours, start: float, target, grown: Polygon) -> float:
    """The least distance, sliding in from `start`, before the copies at `neighbours(d)` first touch."""
    def clear(d: float) -> bool:
        x0, y0, x1, y1 = grown.bounds
        return not any(target.intersects(affinity.translate(grown, dx, dy)) for dx, dy in neighbours(d)
                       if abs(dx) < x1 - x0 and abs(dy) < y1 - y0)

    free, d = start, start
    while d - STEP_MM > 0 and clear(d - STEP_MM):
        d -= STEP_MM
        free = d
    touching = max(free - STEP_MM, 0.0)
    while free - touching > RESOLUTION_MM:
        middle = (free + touching) / 2
        if clear(middle):
            free = middle
        else:
            touching = middle
    return round(free + RESOLUTION_MM, 2)  # a hair more than the contact, on a stable grid


def _fill(shape: Polygon, lattice: tuple[float, float, float], sheet_mm: tuple[float, float], margin: float,
          turn: int) -> tuple[Placement, ...]:
    pitch, shift, row_pitch = lattice
    _, _, w, h = shape.bounds
    width, height = sheet_mm[0] - 2 * margin, sheet_mm[1] - 2 * margin
    placements = []
    row = 0
    while row * row_pitch + h <= height + 1e-9:
        offset = (row * shift) % pitch
        column = 0
        while offset + column * pitch + w <= width + 1e-9:
            placements.append(Placement(turn, round(margin + offset + column * pitch, 3),
                                        round(margin + row * row_pitch, 3)))
            column += 1
        row += 1
    return tuple(placements)


def check_placements(part: Polygon, nest_: Nest, margin_mm: float, spacing_mm: float) -> list[str]:
    """Every way the nest breaks its promise (outside the margins, closer than the spacing), on the exact outline."""
    sheet = box(margin_mm, margin_mm, nest_.sheet_mm[0] - margin_mm, nest_.sheet_mm[1] - margin_mm)
    shapes = [placed(Polygon(part.exterior), p) for p in nest_.placements]
    wrong = [f"copy {i + 1} leaves the sheet's margins" for i, s in enumerate(shapes)
             if not sheet.buffer(1e-6).contains(s)]
    tree = STRtree(shapes)  # only pairs whose boxes come within the spacing are measured
    for i, a in enumerate(shapes):
        for j in sorted(int(j) for j in tree.query(a, predicate="dwithin", distance=spacing_mm - 1e-6)):
            if j > i:
                wrong.append(f"copies {i + 1} and {j + 1} are closer than {spacing_mm:g} mm")
    return wrong


def stock_sheets_per_load(sheet_mm: tuple[float, float], bed_mm: tuple[float, float]) -> int:
    """How many stock sheets (e.g. A4) lie side by side on the bed in one load, all turned the same way."""
    (w, h), (bw, bh) = sheet_mm, bed_mm
    return max(int(bw // w) * int(bh // h), int(bw // h) * int(bh // w))
