"""A cut part's drawing, its nested sheet's drawing, and the beam's path and time over them.

The path: on a sheet, parts in rows from the bottom, left to right then right to left; within a part, its
inner contours first and its outline last (a part that falls out of the sheet before its holes are cut
moves under the beam). Each contour is pierced once at its start and cut whole; between contours the head
travels in a straight line with the beam off, from the sheet's origin and back to it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from shapely import affinity
from shapely.geometry import LineString, Polygon

from ..drawing import Circle, Drawing, Outline
from .nesting import Nest, Placement
from .outlines import Contour, SolidOutline

SHEET_TOLERANCE_MM = 0.01


@dataclass(frozen=True)
class Path:
    cut_mm: float
    pierces: int
    travel_mm: float

    def seconds(self, speed_mm_s: float, pierce_s: float, travel_mm_s: float) -> float:
        return self.cut_mm / speed_mm_s + self.pierces * pierce_s + self.travel_mm / travel_mm_s


def part_contours(solid: SolidOutline) -> list[Contour]:
    """The contours moved so that the part's bounding box starts at (0, 0), in cutting order."""
    x0, y0 = solid.bounding_box_mm[0], solid.bounding_box_mm[1]
    return [_moved(c, lambda x, y: (x - x0, y - y0)) for c in solid.contours]


def part_drawing(solid: SolidOutline, title: str) -> Drawing:
    x0, y0, _, x1, y1, _ = solid.bounding_box_mm
    return Drawing(x1 - x0, y1 - y0, tuple(_shape(c) for c in part_contours(solid)), title)


def part_path(solid: SolidOutline) -> Path:
    contours = part_contours(solid)
    travel = sum(math.dist(a.start, b.start) for a, b in zip(contours, contours[1:], strict=False))
    return Path(sum(c.length_mm for c in contours), len(contours), travel)


def cutting_order(nest: Nest) -> list[Placement]:
    """Rows from the bottom, alternately left to right and right to left."""
    rows: dict[float, list[Placement]] = {}
    for p in nest.placements:
        rows.setdefault(p.y, []).append(p)
    ordered = []
    for index, y in enumerate(sorted(rows)):
        ordered += sorted(rows[y], key=lambda p: p.x, reverse=index % 2 == 1)
    return ordered


def sheet_contours(solid: SolidOutline, nest: Nest) -> list[Contour]:
    """Every copy's contours on the sheet, in cutting order."""
    contours = part_contours(solid)
    outline = Polygon(next(c for c in contours if c.outer).ring())
    return [_moved(c, _placing(outline, p)) for p in cutting_order(nest) for c in contours]


def sheet_drawing(contours: list[Contour], nest: Nest, title: str) -> Drawing:
    """The nested sheet (`contours`: sheet_contours'), its curves' polylines within SHEET_TOLERANCE_MM of the part's
    own (a tenth of a laser's kerf: a sheet of hundreds of parts in a third of the points; the part's own files keep
    every point)."""
    shapes = tuple(_shape(_simplified(c)) for c in contours)
    return Drawing(nest.sheet_mm[0], nest.sheet_mm[1], shapes, title)


def _simplified(contour: Contour) -> Contour:
    if contour.circle is not None or len(contour.points) < 8:
        return contour
    ring = LineString([*contour.points, contour.points[0]]).simplify(SHEET_TOLERANCE_MM, preserve_topology=True)
    return Contour(contour.outer, contour.length_mm, points=tuple(ring.coords)[:-1])


def sheet_path(contours: list[Contour]) -> Path:
    """The laser's path over the sheet (`contours`: sheet_contours')."""
    stops = [(0.0, 0.0)] + [c.start for c in contours] + [(0.0, 0.0)]
    travel = sum(math.dist(a, b) for a, b in zip(stops, stops[1:], strict=False))
    return Path(sum(c.length_mm for c in contours), len(contours), travel)


def _placing(outline: Polygon, placement: Placement):
    """The map of a point of the part to the sheet: the nest's turn about the outline's centroid, then its place."""
    centre = outline.centroid  # as nesting.turned() turns it, then moves its bounding box to the placement
    rotated = affinity.rotate(outline, placement.turn, origin=centre).bounds
    dx, dy = placement.x - rotated[0], placement.y - rotated[1]
    angle = math.radians(placement.turn)
    cos, sin = math.cos(angle), math.sin(angle)

    def move(x: float, y: float) -> tuple[float, float]:
        rx, ry = x - centre.x, y - centre.y
        return centre.x + rx * cos - ry * sin + dx, centre.y + rx * sin + ry * cos + dy

    return move


def _moved(contour: Contour, move) -> Contour:
    if contour.circle is not None:
        x, y, d = contour.circle
        return Contour(contour.outer, contour.length_mm, circle=(*move(x, y), d))
    return Contour(contour.outer, contour.length_mm, points=tuple(move(x, y) for x, y in contour.points))


def _shape(contour: Contour):
    if contour.circle is not None:
        return Circle((contour.circle[0], contour.circle[1]), contour.circle[2])
    return Outline(contour.points, closed=True)

