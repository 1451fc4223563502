"""A `Drawing` larger than a page, printed at 1:1 on tiled A4 or US-letter pages, as home sewers print patterns.

Page 1 is the cover: a test square to measure (10 cm on A4; 4 in on letter, the size US makers know) and the
page map, every page's label (rows A, B… from the top, columns 1, 2… from the left) with the blank ones
greyed and left out of the file. Each tile page shows its part of the drawing inside 10 mm margins (what
home printers leave); neighbouring pages overlap by `OVERLAP_MM`: a dashed trim line marks where to cut
the page on the right (or below), and alignment marks (a circle and a cross) printed on both pages at the
same place of the drawing are laid on each other when taping. The drawing is never scaled.
"""
from __future__ import annotations

import io
import math
import string
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.lib.units import inch, mm

from .model import Drawing, Outline
from .pdf import _WINANSI, FONT, PAGES, STROKE_MM, draw_shapes, new_canvas

if TYPE_CHECKING:  # type hints only: the canvas is made by pdf.new_canvas, which imports ReportLab's when writing
    from reportlab.pdfgen.canvas import Canvas

MARGIN_MM = 10.0  # unprintable border of home printers, with room to spare
OVERLAP_MM = 10.0
TEST_SQUARE_MM = {"A4": 100.0, "letter": 4 * inch / mm}  # 10 cm; 4 in = 101.6 mm
TEST_SQUARE_TEXT = {"A4": "10 cm", "letter": "4 in"}


@dataclass(frozen=True)
class Tile:
    row: int  # from the top
    column: int  # from the left
    x0: float  # the drawing's region this page shows, mm
    y0: float

    @property
    def label(self) -> str:
        return f"{string.ascii_uppercase[self.row]}{self.column + 1}"


def tile_area_mm(page: str) -> tuple[float, float]:
    width, height = PAGES[page]
    return width / mm - 2 * MARGIN_MM, height / mm - 2 * MARGIN_MM


def tiles(drawing: Drawing, page: str, occupied) -> tuple[list[Tile], list[Tile]]:
    """(printed, blank) tiles covering the drawing; `occupied(x0, y0, x1, y1)` says whether a region holds ink."""
    width, height = tile_area_mm(page)
    step_x, step_y = width - OVERLAP_MM, height - OVERLAP_MM
    columns = max(1, -int(-(drawing.width_mm - OVERLAP_MM) // step_x))
    rows = max(1, -int(-(drawing.height_mm - OVERLAP_MM) // step_y))
    if rows > len(string.ascii_uppercase):
        raise ValueError(f"{drawing.title}: {rows} rows of pages; at most {len(string.ascii_uppercase)}")
    printed, blank = [], []
    for row in range(rows):
        for column in range(columns):
            x0, top = column * step_x, drawing.height_mm - row * step_y
            tile = Tile(row, column, x0, top - height)
            (printed if occupied(x0, top - height, x0 + width, top) else blank).append(tile)
    return printed, blank


def tiled_pdf_bytes(drawing: Drawing, page: str, occupied, heading: str) -> bytes:
    """The cover and one page per printed tile, in label order (A1, A2… B1…)."""
    page_width, page_height = PAGES[page]
    printed, blank = tiles(drawing, page, occupied)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, page_width, page_height, drawing.title)
    canvas.setLineWidth(STROKE_MM * mm)
    canvas.setLineJoin(1)
    _cover(canvas, drawing, page, printed, blank, heading)
    for tile in printed:
        _tile_page(canvas, drawing, page, tile, printed)
    canvas.save()
    return buffer.getvalue()


def _text(canvas: Canvas, x_mm: float, y_mm: float, text: str, size_mm: float = 4.0) -> None:
    canvas.setFont(FONT, size_mm * mm)
    canvas.drawString(x_mm * mm, y_mm * mm, text.translate(_WINANSI))


def _cover(canvas: Canvas, drawing: Drawing, page: str, printed: list[Tile], blank: list[Tile], heading: str) -> None:
    _, page_height = (v / mm for v in PAGES[page])
    top = page_height - MARGIN_MM
    _text(canvas, MARGIN_MM, top - 6, heading, 5)
    _text(canvas, MARGIN_MM, top - 13, "Print at 100 % (actual size), never 'fit to page' / "
          "Imprimer à 100 % (taille réelle)", 3.5)
    side = TEST_SQUARE_MM[page]
    canvas.setLineWidth(STROKE_MM * mm)
    canvas.rect(MARGIN_MM * mm, (top - 20 - side) * mm, side * mm, side * mm, stroke=1, fill=0)
    _text(canvas, MARGIN_MM + 3, top - 20 - side / 2, f"test square {TEST_SQUARE_TEXT[page]} / carré test", 3.5)
    _text(canvas, MARGIN_MM + 3, top - 26 - side / 2, "measure it before cutting / à mesurer", 3.5)
    _page_map(canvas, drawing, page, printed, blank, top - 30 - side)
    canvas.showPage()


def _page_map(canvas: Canvas, drawing: Drawing, page: str, printed: list[Tile], blank: list[Tile],
              top_mm: float) -> None:
    """Each page as a small rectangle at its place, labelled; blank pages greyed: they are not printed."""
    width, height = tile_area_mm(page)
    page_width = PAGES[page][0] / mm
    rows = 1 + max(t.row for t in printed + blank)
    columns = 1 + max(t.column for t in printed + blank)
    scale = min((page_width - 2 * MARGIN_MM) / (columns * width), (top_mm - 10 - MARGIN_MM) / (rows * height), 0.25)
    _text(canvas, MARGIN_MM, top_mm - 5, f"Page map / plan d'assemblage: {len(printed)} of {len(printed) + len(blank)} "
          f"pages printed / imprimées ({len(blank)} blank, left out / vides, omises)", 3.5)
    for tile, ink in [(t, True) for t in printed] + [(t, False) for t in blank]:
        x = MARGIN_MM + tile.column * width * scale
        y = top_mm - 10 - (tile.row + 1) * height * scale
        canvas.setFillGray(1 if ink else 0.85)
        canvas.rect(x * mm, y * mm, width * scale * mm, height * scale * mm, stroke=1, fill=1)
        canvas.setFillGray(0)
        _text(canvas, x + 2, y + 2, tile.label, 4)


def _tile_page(canvas: Canvas, drawing: Drawing, page: str, tile: Tile, printed: list[Tile]) -> None:
    width, height = tile_area_mm(page)
    canvas.saveState()
    canvas.translate(MARGIN_MM * mm, MARGIN_MM * mm)
    frame = canvas.beginPath()
    frame.rect(0, 0, width * mm, height * mm)
    canvas.clipPath(frame, stroke=1, fill=0)
    canvas.translate(-tile.x0 * mm, -tile.y0 * mm)
    canvas.setLineWidth(STROKE_MM * mm)
    draw_shapes(canvas, drawing.shapes)
    draw_shapes(canvas, _alignment_marks(tile, width, height))
    canvas.restoreState()
    canvas.saveState()
    canvas.translate(MARGIN_MM * mm, MARGIN_MM * mm)
    canvas.setDash([3 * mm, 2 * mm])
    if tile.column > 0:  # trim here, then lay this page over the one on its left
        canvas.line(OVERLAP_MM * mm, 0, OVERLAP_MM * mm, height * mm)
    if tile.row > 0:  # trim here, then lay this page over the one above
        canvas.line(0, (height - OVERLAP_MM) * mm, width * mm, (height - OVERLAP_MM) * mm)
    canvas.restoreState()
    _text(canvas, MARGIN_MM + OVERLAP_MM + 2, MARGIN_MM + 2, f"{tile.label}   {drawing.title}", 3.5)
    canvas.showPage()


def _alignment_marks(tile: Tile, width: float, height: float) -> tuple[Outline, ...]:
    """Marks in the overlaps, at the same place of the drawing on both pages that share them: a circle and a cross
    at one and two thirds of each overlap strip."""
    marks = []
    left, right, bottom, top = tile.x0, tile.x0 + width, tile.y0, tile.y0 + height
    for fraction in (1 / 3, 2 / 3):
        y = bottom + height * fraction
        x = left + width * fraction
        marks += [(left + OVERLAP_MM / 2, y), (right - OVERLAP_MM / 2, y), (x, top - OVERLAP_MM / 2),
                  (x, bottom + OVERLAP_MM / 2)]
    shapes = []
    for cx, cy in marks:
        shapes.append(Outline(tuple((cx + 3 * c, cy + 3 * s) for c, s in _UNIT_CIRCLE), layer="MARKS"))
        shapes.append(Outline(((cx - 4, cy), (cx + 4, cy)), closed=False, layer="MARKS"))
        shapes.append(Outline(((cx, cy - 4), (cx, cy + 4)), closed=False, layer="MARKS"))
    return tuple(shapes)


_UNIT_CIRCLE = tuple((math.cos(i * math.pi / 12), math.sin(i * math.pi / 12)) for i in range(24))
