"""A visor's transparent sheet as a mesh, from design.yaml's `sheet` (its size and punched holes), for the assembly
step that shows it (views.py, view "sheet"): a flat surface, the holes cut as polygons, written as ASCII STL.

No triangulation library is needed: each hole sits in a square whose ring is a band of quads between the hole's
polygon and the square's edge, and the rest of the sheet is rectangles around the squares. It is a picture's
surface, not a part to print: neighbouring pieces may meet at T-junctions.
"""
from __future__ import annotations

import math
from pathlib import Path

from ..model import Sheet

SEGMENTS = 48  # per hole
A4_LANDSCAPE_MM = (297.0, 210.0)


def sheet_triangles(sheet: Sheet) -> list[tuple[tuple[float, float], ...]]:
    """The sheet's surface as 2D triangles (mm), its centre at the origin, the punched long edge at the top."""
    width, height = sheet.size_mm or A4_LANDSCAPE_MM
    radius = sheet.hole_diameter_mm / 2
    y_holes = height / 2 - (sheet.hole_edge_mm if sheet.hole_edge_mm is not None else 10.0)
    half = min(radius * 1.6, (height / 2 - y_holes) * 0.95, *(abs(b - a) / 2.1 for a, b in zip(
        sorted(sheet.holes_mm), sorted(sheet.holes_mm)[1:], strict=False)))
    triangles: list[tuple[tuple[float, float], ...]] = []

    def rectangle(x0: float, y0: float, x1: float, y1: float) -> None:
        if x1 - x0 > 1e-9 and y1 - y0 > 1e-9:
            triangles.extend((((x0, y0), (x1, y0), (x1, y1)), ((x0, y0), (x1, y1), (x0, y1))))

    rectangle(-width / 2, -height / 2, width / 2, y_holes - half)  # below the row of holes
    rectangle(-width / 2, y_holes + half, width / 2, height / 2)  # above it, to the punched edge
    edges = [-width / 2] + [e for x in sorted(sheet.holes_mm) for e in (x - half, x + half)] + [width / 2]
    for left, right in zip(edges[0::2], edges[1::2], strict=True):  # between the holes' squares
        rectangle(left, y_holes - half, right, y_holes + half)
    for x in sheet.holes_mm:
        ring = [_ring_point(x, y_holes, radius, half, k) for k in range(SEGMENTS + 1)]
        for (inner0, outer0), (inner1, outer1) in zip(ring, ring[1:], strict=False):
            triangles.extend(((inner0, outer0, outer1), (inner0, outer1, inner1)))
    return triangles


def _ring_point(cx: float, cy: float, radius: float, half: float, k: int) -> tuple[tuple[float, float], ...]:
    """The k-th point of a hole's polygon and the point of its square straight out from it."""
    angle = 2 * math.pi * k / SEGMENTS
    c, s = math.cos(angle), math.sin(angle)
    reach = half / max(abs(c), abs(s))
    return (cx + radius * c, cy + radius * s), (cx + reach * c, cy + reach * s)


def write_sheet_stl(sheet: Sheet, target: Path) -> None:
    """The sheet lying flat (z = 0), as ASCII STL; written beside and renamed in."""
    lines = ["solid sheet"]
    for triangle in sheet_triangles(sheet):
        lines += ["facet normal 0 0 1", "outer loop",
                  *(f"vertex {x:.4f} {y:.4f} 0" for x, y in triangle), "endloop", "endfacet"]
    lines.append("endsolid sheet")
    partial = target.with_suffix(".tmp.stl")
    partial.write_text("\n".join(lines) + "\n", encoding="ascii")
    partial.replace(target)
