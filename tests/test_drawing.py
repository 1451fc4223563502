"""The shared 2D writer: shapes in millimetres come out at 1:1 in SVG and PDF, measured from the output."""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pdfplumber
import pytest

from pipeline.drawing import Circle, Drawing, Label, Line, Outline, page_size_mm, pdf_bytes, svg_bytes

MM = 72 / 25.4  # PDF points per millimetre
SVG = "{http://www.w3.org/2000/svg}"
DRAWING = Drawing(
    width_mm=100,
    height_mm=60,
    shapes=(
        Outline(((0, 0), (100, 0), (100, 60), (0, 60))),
        Circle((30, 20), 6),
        Line((10, 5), (60, 5)),
        Label((10, 8), "imprimer à 100\u202f%"),
    ),
    title="test",
)


def test_svg_is_in_millimetres_with_y_down_and_one_circle_per_hole():
    root = ET.fromstring(svg_bytes(DRAWING))
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("100mm", "60mm", "0 0 100 60")
    [circle] = root.iter(f"{SVG}circle")
    assert (float(circle.get("cx")), float(circle.get("cy")), 2 * float(circle.get("r"))) == (30, 40, 6)
    [line] = root.iter(f"{SVG}line")
    assert float(line.get("x2")) - float(line.get("x1")) == 50
    assert [t.text for t in root.iter(f"{SVG}text")] == ["imprimer à 100\u202f%"]


@pytest.mark.parametrize("page, size", [("A4", (297, 210)), ("letter", (279.4, 215.9))])
def test_pdf_is_one_to_one_and_centred_on_a_landscape_page(page, size):
    with pdfplumber.open(io.BytesIO(pdf_bytes(DRAWING, page))) as pdf:
        [sheet] = pdf.pages
        assert (sheet.width / MM, sheet.height / MM) == pytest.approx(size, abs=0.01)
        assert page_size_mm(DRAWING, page) == pytest.approx(size, abs=0.01)
        left, bottom = (size[0] - 100) / 2, (size[1] - 60) / 2
        [curve] = sheet.curves
        centre = ((curve["x0"] + curve["x1"]) / 2 / MM - left, (curve["y0"] + curve["y1"]) / 2 / MM - bottom)
        assert centre == pytest.approx((30, 20), abs=0.01)
        assert (curve["x1"] - curve["x0"]) / MM == pytest.approx(6, abs=0.01)
        [line] = sheet.lines
        assert (line["x1"] - line["x0"]) / MM == pytest.approx(50, abs=0.01)
        assert "imprimer à 100 %" in sheet.extract_text().replace("\u00a0", " ")  # the no-break space kept


def test_both_writers_give_the_same_bytes_twice():
    assert pdf_bytes(DRAWING, "A4") == pdf_bytes(DRAWING, "A4")
    assert svg_bytes(DRAWING) == svg_bytes(DRAWING)
