"""A `Drawing` as DXF in millimetres, for laser and CNC software: closed LWPOLYLINEs and CIRCLEs, in the
drawing's order (a cut file lists inner contours before the outer one: the order they are cut in).

Written with ezdxf (the maintained DXF library for Python, pinned in requirements.txt) as DXF R2010,
$INSUNITS = 4 (millimetres), $MEASUREMENT = 1 (metric). ezdxf stamps every document with the wall clock, a
random GUID pair and its version with the time: ezdxf's own reproducible-output switch fixes them while
writing, and the entities are made in the drawing's order, so the same drawing gives the same bytes. Labels become TEXT
on a layer of their own ("LABELS"), never on the cutting layer; lines are LINEs on "CUT".
"""

from __future__ import annotations

import io
import threading

import ezdxf
from ezdxf import units
from ezdxf.enums import TextEntityAlignment

from .model import Circle, Drawing, Label, Line, Outline, Point, Shape

CUT_LAYER = "CUT"
LABEL_LAYER = "LABELS"
_WRITING = threading.Lock()  # ezdxf's fixed-stamp switch is process-wide


def dxf_bytes(drawing: Drawing) -> bytes:
    with _WRITING:
        # ezdxf's own switch for reproducible files: fixed dates (2000-01-01), fixed GUIDs, a fixed marker
        # instead of "<version> @ <now>" when the document is made and written; handles follow creation order
        previous = ezdxf.options.write_fixed_meta_data_for_testing
        ezdxf.options.write_fixed_meta_data_for_testing = True
        try:
            return _document(drawing)
        finally:
            ezdxf.options.write_fixed_meta_data_for_testing = previous


def _document(drawing: Drawing) -> bytes:
    doc = ezdxf.new("R2010", setup=False)
    doc.units = units.MM
    doc.header["$MEASUREMENT"] = 1
    # the drawing's rectangle as the extents CAD programs zoom to: ezdxf copies the model space's extents into the
    # header on saving, unless one corner is (0, 0, 0), which it takes for unset; so both are set
    doc.modelspace().reset_extents((0.0, 0.0, 0.0), (drawing.width_mm, drawing.height_mm, 0.0))
    doc.header["$EXTMIN"] = (0.0, 0.0, 0.0)
    doc.header["$EXTMAX"] = (drawing.width_mm, drawing.height_mm, 0.0)
    doc.layers.add(CUT_LAYER, color=1)
    doc.layers.add(LABEL_LAYER, color=5)
    space = doc.modelspace()
    for shape in drawing.shapes:
        _add(space, shape)
    stream = io.StringIO()
    doc.write(stream, fmt="asc")
    return _sorted_classes(stream.getvalue()).encode("utf-8")


def _micrometres(point: tuple[float, float]) -> tuple[float, float]:
    """A point to 1 µm, as the SVG writer writes it: a nested sheet of many parts in a third of the text, and
    the same bytes from coordinates that differ in their last bits."""
    return round(point[0], 3) + 0.0, round(point[1], 3) + 0.0  # + 0.0: never -0.0


def _sorted_classes(text: str) -> str:
    """The CLASSES section in name order: ezdxf lists the classes it used in a set's order, which changes
    with Python's string hashing from one process to the next (the order carries no meaning without proxies)."""
    head, found, rest = text.partition("  0\nSECTION\n  2\nCLASSES\n")
    if not found:
        return text
    body, end, tail = rest.partition("  0\nENDSEC\n")
    classes = [c for c in body.split("  0\nCLASS\n") if c]
    return head + found + "".join("  0\nCLASS\n" + c for c in sorted(classes)) + end + tail


def dxf_blocks_bytes(width_mm: float, height_mm: float, blocks: list[tuple[str, Point, tuple[Shape, ...]]]) -> bytes:
    """One block per named group of shapes (a pattern piece: the cutting tables' DXF-AAMA convention), each
    inserted once at its place; every shape on its own `layer` (AAMA numbers for pattern pieces)."""
    with _WRITING:
        previous = ezdxf.options.write_fixed_meta_data_for_testing
        ezdxf.options.write_fixed_meta_data_for_testing = True
        try:
            doc = ezdxf.new("R2010", setup=False)
            doc.units = units.MM
            doc.header["$MEASUREMENT"] = 1
            doc.modelspace().reset_extents((0.0, 0.0, 0.0), (width_mm, height_mm, 0.0))
            doc.header["$EXTMIN"] = (0.0, 0.0, 0.0)
            doc.header["$EXTMAX"] = (width_mm, height_mm, 0.0)
            layers = sorted({getattr(s, "layer", "") or (LABEL_LAYER if isinstance(s, Label) else CUT_LAYER)
                             for _, _, shapes in blocks for s in shapes})
            for layer in layers:
                doc.layers.add(layer)
            for name, origin, shapes in blocks:
                block = doc.blocks.new(name=name)
                for shape in shapes:
                    _add(block, shape)
                doc.modelspace().add_blockref(name, _micrometres(origin))
            stream = io.StringIO()
            doc.write(stream, fmt="asc")
            return _sorted_classes(stream.getvalue()).encode("utf-8")
        finally:
            ezdxf.options.write_fixed_meta_data_for_testing = previous


def _add(space, shape) -> None:
    if isinstance(shape, Outline):
        points = [_micrometres(p) for p in shape.points]
        space.add_lwpolyline(points, format="xy", close=shape.closed, dxfattribs={"layer": shape.layer or CUT_LAYER})
    elif isinstance(shape, Circle):
        space.add_circle(_micrometres(shape.centre), round(shape.diameter / 2, 4), dxfattribs={"layer": CUT_LAYER})
    elif isinstance(shape, Line):
        space.add_line(_micrometres(shape.start), _micrometres(shape.end), dxfattribs={"layer": shape.layer or CUT_LAYER})
    elif isinstance(shape, Label):
        align = {"start": "LEFT", "middle": "CENTER", "end": "RIGHT"}[shape.anchor]
        text = space.add_text(shape.text, height=shape.size_mm, dxfattribs={"layer": shape.layer or LABEL_LAYER})
        text.set_placement(shape.position, align=TextEntityAlignment[align])
    else:
        raise TypeError(f"not a drawing shape: {shape!r}")
