"""A variant's pattern and markers as files: what a home sewer, a copy shop and a cutting table each print or read.

- `<stem>-pattern-a4.pdf`, `<stem>-pattern-letter.pdf`: tiled pages at 1:1 with a test square and a page map;
- `<stem>-pattern-a0.pdf`: the whole pattern on one A0 sheet, for a copy shop;
- the same pattern as an SVG (mm) and a DXF (mm, one block per piece, AAMA layer numbers);
- the markers as one PDF, a page per roll width, and an SVG per width: a metre of each roll, nested.
Every writer fixes what would change from run to run, so the same pattern gives the same bytes.
"""
from __future__ import annotations

from shapely.geometry import Polygon

from ..drawing import Drawing, Label, Line, Outline, svg_bytes
from ..drawing.dxf import dxf_blocks_bytes
from ..drawing.pdf import pdf_bytes, pdf_pages_bytes
from ..drawing.tiles import tiled_pdf_bytes
from .pattern import Pattern
from .roll import SELVEDGE_MM, Marker, placed_shapes

MARKER_SHOWN_MM = 1000.0  # the markers show one metre of roll: the masks-per-metre figure


def pattern_files(pattern: Pattern, stem: str, heading: str) -> dict[str, bytes]:
    drawing = pattern.drawing
    blocks = [(p.piece.name, p.origin, p.shapes) for p in pattern.pieces]
    return {
        f"{stem}-pattern-a4.pdf": tiled_pdf_bytes(drawing, "A4", pattern.occupied, heading),
        f"{stem}-pattern-letter.pdf": tiled_pdf_bytes(drawing, "letter", pattern.occupied, heading),
        f"{stem}-pattern-a0.pdf": pdf_bytes(drawing, "A0"),
        f"{stem}-pattern.svg": svg_bytes(drawing),
        f"{stem}-pattern.dxf": dxf_blocks_bytes(drawing.width_mm, drawing.height_mm, blocks),
    }


def marker_drawing(marker: Marker, shapes: dict[tuple[str, int, bool], Polygon], title: str) -> Drawing:
    """A metre of the roll, y along it: the selvedges dashed, every piece that starts within the metre."""
    length = MARKER_SHOWN_MM
    drawn: list = [Outline(((0, 0), (marker.width_mm, 0), (marker.width_mm, length), (0, length))),
                   Line((SELVEDGE_MM, 0), (SELVEDGE_MM, length), style="dashed"),
                   Line((marker.width_mm - SELVEDGE_MM, 0), (marker.width_mm - SELVEDGE_MM, length), style="dashed")]
    for placement, shape in zip(marker.placements, placed_shapes(marker, shapes), strict=True):
        if shape.bounds[3] > length:
            continue
        drawn.append(Outline(tuple((round(x, 3), round(y, 3)) for x, y in list(shape.exterior.coords)[:-1])))
        cx, cy = shape.centroid.x, shape.centroid.y
        text = f"{placement.mask + 1} {placement.piece}" + (" (m)" if placement.mirrored else "")
        drawn.append(Label((round(cx, 3), round(cy, 3)), text, 12.0, anchor="middle"))
    drawn.append(Label((marker.width_mm / 2, length - 30), title, 20.0, anchor="middle"))
    return Drawing(marker.width_mm, length, tuple(drawn), title)


def marker_files(markers: list[Marker], shapes: dict[tuple[str, int, bool], Polygon], stem: str,
                 titles: list[str]) -> dict[str, bytes]:
    drawings = [marker_drawing(m, shapes, t) for m, t in zip(markers, titles, strict=True)]
    files = {f"{stem}-marker-{round(m.width_mm / 10)}.svg": svg_bytes(d) for m, d in zip(markers, drawings, strict=True)}
    files[f"{stem}-marker.pdf"] = pdf_pages_bytes(drawings, f"{stem} marker")
    return files
