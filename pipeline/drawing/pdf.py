"""A `Drawing` as a one-page PDF at 1:1 scale, centred on an A4 or US-letter page.

Written with ReportLab (the reference PDF toolkit for Python, maintained since 2000): its canvas takes
coordinates in points with the y axis up like ours, draws circles as true curves that any viewer and any
printer driver keeps round, uses the standard Helvetica font without embedding, and its `invariant=1` mode
fixes the creation date and the document id, so two builds give the same bytes.

The page turns landscape when the drawing is wider than tall. A drawing larger than the page is cut by the
page's edges, still at 1:1 and still centred: scale is what matters on a template, never fit-to-page.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A0, A4, landscape, letter
from reportlab.lib.units import mm

from .model import DASHES, Circle, Drawing, Label, Line, Outline
from .svg import STROKE_MM

PAGES = {"A4": A4, "letter": letter, "A0": A0}
FONT = "Helvetica"
# Helvetica without embedding is in WinAnsi: the narrow no-break space of French typography is not, the
# no-break space is.
_WINANSI = str.maketrans({"\u202f": "\u00a0"})


def page_size_mm(drawing: Drawing, page: str) -> tuple[float, float]:
    """The page (width, height) in millimetres that `pdf_bytes` uses for `drawing`."""
    width, height = _page(drawing, page)
    return width / mm, height / mm


def _page(drawing: Drawing, page: str) -> tuple[float, float]:
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}; allowed: {', '.join(PAGES)}")
    size = PAGES[page]
    return landscape(size) if drawing.width_mm > drawing.height_mm else size


def new_canvas(buffer: io.BytesIO, width_pt: float, height_pt: float, title: str):  # noqa: ANN201 - a Canvas
    """A ReportLab canvas that writes the same bytes for the same drawing: no date, no random id."""
    from reportlab.pdfgen.canvas import Canvas  # here: its import is most of ReportLab's, needed only to write

    canvas = Canvas(buffer, pagesize=(width_pt, height_pt), invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("open hardware design catalogue")
    return canvas


def pdf_bytes(drawing: Drawing, page: str) -> bytes:
    page_width, page_height = _page(drawing, page)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, page_width, page_height, drawing.title)
    canvas.translate((page_width - drawing.width_mm * mm) / 2, (page_height - drawing.height_mm * mm) / 2)
    _page_of_shapes(canvas, drawing.shapes)
    canvas.save()
    return buffer.getvalue()


def _page_of_shapes(canvas, shapes) -> None:  # noqa: ANN001 - a reportlab Canvas
    """One finished page: the stroke every page starts from (ReportLab resets it at each page), then the shapes."""
    canvas.setLineWidth(STROKE_MM * mm)
    canvas.setLineJoin(1)
    draw_shapes(canvas, shapes)
    canvas.showPage()


def draw_shapes(canvas, shapes) -> None:  # noqa: ANN001 - a reportlab Canvas
    """Shapes in mm on a canvas whose origin is the drawing's bottom-left corner."""
    for shape in shapes:
        dashes = DASHES[getattr(shape, "style", "solid")]
        if dashes:
            canvas.setDash([d * mm for d in dashes])
        _draw(canvas, shape)
        if dashes:
            canvas.setDash([])


def _draw(canvas, shape) -> None:  # noqa: ANN001 - a reportlab Canvas
    if isinstance(shape, Circle):
        canvas.circle(shape.centre[0] * mm, shape.centre[1] * mm, shape.diameter / 2 * mm, stroke=1, fill=0)
    elif isinstance(shape, Line):
        canvas.line(shape.start[0] * mm, shape.start[1] * mm, shape.end[0] * mm, shape.end[1] * mm)
    elif isinstance(shape, Outline):
        path = canvas.beginPath()
        (x0, y0), *rest = shape.points
        path.moveTo(x0 * mm, y0 * mm)
        for x, y in rest:
            path.lineTo(x * mm, y * mm)
        if shape.closed:
            path.close()
        canvas.drawPath(path, stroke=1, fill=0)
    elif isinstance(shape, Label):
        canvas.setFont(FONT, shape.size_mm * mm)
        x, y, text = shape.position[0] * mm, shape.position[1] * mm, shape.text.translate(_WINANSI)
        draw = {"start": canvas.drawString, "middle": canvas.drawCentredString, "end": canvas.drawRightString}
        draw[shape.anchor](x, y, text)
    else:
        raise TypeError(f"not a drawing shape: {shape!r}")


def pdf_pages_bytes(drawings: list[Drawing], title: str) -> bytes:
    """Drawings at 1:1, one page each, every page the size of its drawing (a marker a copy shop prints on a roll)."""
    buffer = io.BytesIO()
    first = drawings[0]
    canvas = new_canvas(buffer, first.width_mm * mm, first.height_mm * mm, title)
    for drawing in drawings:
        canvas.setPageSize((drawing.width_mm * mm, drawing.height_mm * mm))
        _page_of_shapes(canvas, drawing.shapes)
    canvas.save()
    return buffer.getvalue()
