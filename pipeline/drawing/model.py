"""Plain 2D shapes in millimetres, y axis up (the CAD convention), shared by every 2D writer.

A `Drawing` is a rectangle `width_mm` × `height_mm` with its origin at the bottom-left corner; the
writers (SVG, PDF, and DXF for cut files) turn the same shapes into their own format at 1:1 scale.
"""

from __future__ import annotations

from dataclasses import dataclass

Point = tuple[float, float]


@dataclass(frozen=True)
class Outline:
    """A polyline contour: closed (last point joins the first) unless said otherwise."""

    points: tuple[Point, ...]
    closed: bool = True
    style: str = "solid"  # "solid", "dashed" (a stitch line, a trim line) or "dashdot" (a fold)
    layer: str = ""  # the DXF layer; the cutting layer when empty


@dataclass(frozen=True)
class Circle:
    centre: Point
    diameter: float


@dataclass(frozen=True)
class Line:
    start: Point
    end: Point
    style: str = "solid"
    layer: str = ""


@dataclass(frozen=True)
class Label:
    """Text whose baseline starts at `position` (anchor "start"), is centred on it ("middle") or ends at it ("end")."""

    position: Point
    text: str
    size_mm: float = 4.0
    anchor: str = "start"
    layer: str = ""  # the DXF layer; LABELS when empty


Shape = Outline | Circle | Line | Label

# Dash patterns in mm, the same in every writer: a stitch or trim line, a fold line.
DASHES = {"solid": (), "dashed": (3.0, 2.0), "dashdot": (6.0, 1.5, 1.0, 1.5)}


@dataclass(frozen=True)
class Drawing:
    width_mm: float
    height_mm: float
    shapes: tuple[Shape, ...]
    title: str = ""


def number(value: float) -> str:
    """A coordinate as short, stable text: 3 decimals (1 µm), no trailing zeros, never "-0"."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
