"""A `Drawing` as SVG in millimetres: width="…mm" height="…mm" and viewBox "0 0 w h", so one user unit is
one millimetre and the file prints and imports (Inkscape, laser software) at 1:1.

Written with the standard library's xml.etree: the format is small, the attribute order and number format are
ours (so the bytes are deterministic), and no dependency can change them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .model import DASHES, Circle, Drawing, Label, Line, Outline, number

SVG_NS = "http://www.w3.org/2000/svg"
STROKE_MM = 0.2
_ANCHORS = {"start": "start", "middle": "middle", "end": "end"}


def svg_bytes(drawing: Drawing) -> bytes:
    width, height = number(drawing.width_mm), number(drawing.height_mm)
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "version": "1.1",
            "width": f"{width}mm",
            "height": f"{height}mm",
            "viewBox": f"0 0 {width} {height}",
        },
    )
    if drawing.title:
        ET.SubElement(root, "title").text = drawing.title
    lines = ET.SubElement(
        root,
        "g",
        {"fill": "none", "stroke": "#000", "stroke-width": number(STROKE_MM), "stroke-linejoin": "round"},
    )
    texts = ET.SubElement(root, "g", {"fill": "#000", "font-family": "Helvetica, Arial, sans-serif"})

    def y(value: float) -> str:
        return number(drawing.height_mm - value)

    for shape in drawing.shapes:
        if isinstance(shape, Circle):
            ET.SubElement(
                lines,
                "circle",
                {"cx": number(shape.centre[0]), "cy": y(shape.centre[1]), "r": number(shape.diameter / 2)},
            )
        elif isinstance(shape, Line):
            ET.SubElement(
                lines,
                "line",
                {
                    "x1": number(shape.start[0]),
                    "y1": y(shape.start[1]),
                    "x2": number(shape.end[0]),
                    "y2": y(shape.end[1]),
                }
                | _dash(shape.style),
            )
        elif isinstance(shape, Outline):
            points = " ".join(f"{number(px)},{y(py)}" for px, py in shape.points)
            ET.SubElement(lines, "polygon" if shape.closed else "polyline", {"points": points} | _dash(shape.style))
        elif isinstance(shape, Label):
            text = ET.SubElement(
                texts,
                "text",
                {
                    "x": number(shape.position[0]),
                    "y": y(shape.position[1]),
                    "font-size": number(shape.size_mm),
                    "text-anchor": _ANCHORS[shape.anchor],
                },
            )
            text.text = shape.text
        else:
            raise TypeError(f"not a drawing shape: {shape!r}")
    if not len(texts):
        root.remove(texts)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def _dash(style: str) -> dict[str, str]:
    """A dashed line's stroke-dasharray; nothing for a solid one (the files of solid drawings are unchanged)."""
    dashes = DASHES[style]
    return {"stroke-dasharray": " ".join(number(d) for d in dashes)} if dashes else {}
