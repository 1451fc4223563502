"""Each piece drawn as a pattern piece, and the pieces laid side by side on one pattern sheet.

On a piece, as makers print them: the cut line (solid), the stitch line (dashed; the cut line offset inward by
the seam allowance, with shapely), the grainline (a double arrow), fold lines (dash-dot), notches (short
ticks from the cut line inward), pleat marks (the two lines each pleat brings together, with an arrow), the
piece's name in both languages, its size and how many to cut. Each kind of line has its own DXF layer, with
the numbers of the cutting tables' DXF-AAMA convention: 1 cut line, 8 stitch line, 4 notches, 7 grainline,
6 folds (AAMA's mirror line), 8 pleat lines (AAMA's internal lines are on 8 as well).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from shapely import affinity
from shapely.geometry import Point as ShapelyPoint
from shapely.geometry import Polygon

from ..drawing import Drawing, Label, Line, Outline, Shape
from .spec import Piece, Sewing

CUT, STITCH, NOTCH, GRAIN, FOLD, INTERNAL, TEXT = "1", "8", "4", "7", "6", "8", "LABELS"
MARGIN_MM = 15.0
GAP_MM = 25.0  # between pieces on the sheet: room for their labels
NOTCH_MM = 6.0
ARROW_MM = 4.0


@dataclass(frozen=True)
class PlacedPiece:
    piece: Piece
    outline: Polygon  # the cut line, on the sheet
    origin: tuple[float, float]  # where the piece's bounding box starts on the sheet
    shapes: tuple[Shape, ...]  # in the piece's own coordinates (origin at its bounding box's corner)


@dataclass(frozen=True)
class Pattern:
    drawing: Drawing  # every piece, placed
    pieces: tuple[PlacedPiece, ...]

    def occupied(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """Whether a region of the sheet holds part of a piece (a tiled page that does not is left out)."""
        region = Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
        return any(p.outline.buffer(NOTCH_MM).intersects(region) for p in self.pieces)


def pleat_problems(piece: Piece, outline: Polygon, seam_mm: float) -> list[str]:
    """Pleats must lie between the stitch lines, apart from each other, and leave a finished height."""
    height = outline.bounds[3] - outline.bounds[1]
    problems, previous = [], seam_mm
    for low, high in sorted(piece.pleats):
        if not low < high:
            problems.append(f"pleat {low:g}–{high:g}: give its lower height first")
        elif low * height < previous - 1e-6 or high * height > height - seam_mm + 1e-6:
            problems.append(f"pleat {low:g}–{high:g} ({low * height:.1f}–{high * height:.1f} mm) leaves the stitched "
                            f"area or overlaps the pleat below; pleats must lie between {seam_mm:g} mm and "
                            f"{height - seam_mm:.1f} mm, apart")
        previous = high * height
    if piece.pleats and finished_height(piece, outline, seam_mm) <= 0:
        problems.append("the pleats take up more than the piece's height")
    return problems


def finished_height(piece: Piece, outline: Polygon, seam_mm: float) -> float:
    """The stitched height once pleated: the height between the stitch lines less what each pleat takes up."""
    height = outline.bounds[3] - outline.bounds[1]
    return height - 2 * seam_mm - sum((high - low) * height for low, high in piece.pleats)


def piece_shapes(piece: Piece, outline: Polygon, sewing: Sewing, size_text: str) -> tuple[Shape, ...]:
    """One piece's pattern, in its own coordinates (its bounding box starting at (0, 0))."""
    _, _, w, h = outline.bounds
    seam = sewing.seam_allowance_mm
    stitch = outline.buffer(-seam, join_style="mitre")
    shapes: list[Shape] = [Outline(_ring(outline), layer=CUT), Outline(_ring(stitch), style="dashed", layer=STITCH)]
    shapes += _grainline(piece, w, h)
    for (ax, ay), (bx, by) in piece.folds:
        shapes.append(Line((ax * w, ay * h), (bx * w, by * h), style="dashdot", layer=FOLD))
        shapes.append(Label((w * 0.72, ay * h + 1.5), "fold / pli", 3.5, layer=TEXT))
    shapes += [_notch(outline, stitch, (x * w, y * h)) for x, y in piece.notches]
    shapes += _pleat_marks(piece, w, h, seam)
    shapes += _labels(piece, outline, sewing, size_text, w, h)
    return tuple(shapes)


def _ring(polygon: Polygon) -> tuple[tuple[float, float], ...]:
    coords = list(polygon.exterior.coords)[:-1]
    return tuple((round(x, 4), round(y, 4)) for x, y in coords)


def _grainline(piece: Piece, w: float, h: float) -> list[Shape]:
    if piece.grainline == "vertical":
        a, b = (w * 0.18, h * 0.22), (w * 0.18, h * 0.78)
        heads = [((0, 0), (-1, 1)), ((0, 0), (1, 1))]
    else:
        a, b = (w * 0.22, h * 0.18), (w * 0.78, h * 0.18)
        heads = [((0, 0), (1, -1)), ((0, 0), (1, 1))]
    shapes: list[Shape] = [Line(a, b, layer=GRAIN)]
    for end, sign in ((a, 1), (b, -1)):  # a double arrow: heads at both ends, pointing outward
        for _, (dx, dy) in heads:
            if piece.grainline == "vertical":
                tip = (end[0] + dx * ARROW_MM * 0.6, end[1] + sign * dy * ARROW_MM)
            else:
                tip = (end[0] + sign * dx * ARROW_MM, end[1] + dy * ARROW_MM * 0.6)
            shapes.append(Line(end, tip, layer=GRAIN))
    label = (a[0] + 2, a[1] + (b[1] - a[1]) * 0.3) if piece.grainline == "vertical" else (a[0] + (b[0] - a[0]) * 0.3, a[1] + 2)
    shapes.append(Label(label, "grain / droit fil", 3.0, layer=TEXT))
    return shapes


def _notch(outline: Polygon, stitch: Polygon, point: tuple[float, float]) -> Shape:
    """A tick from the cut line inward, square to it (towards the nearest point of the stitch line)."""
    on_cut = outline.exterior.interpolate(outline.exterior.project(ShapelyPoint(point)))
    inward = stitch.exterior.interpolate(stitch.exterior.project(on_cut))
    dx, dy = inward.x - on_cut.x, inward.y - on_cut.y
    length = (dx * dx + dy * dy) ** 0.5 or 1.0
    end = (on_cut.x + dx / length * NOTCH_MM, on_cut.y + dy / length * NOTCH_MM)
    return Line((round(on_cut.x, 4), round(on_cut.y, 4)), (round(end[0], 4), round(end[1], 4)), layer=NOTCH)


def _pleat_marks(piece: Piece, w: float, h: float, seam: float) -> list[Shape]:
    """Each pleat: its two lines across the stitched width, and an arrow from the upper onto the lower."""
    shapes: list[Shape] = []
    for low, high in piece.pleats:
        for y, style in ((low * h, "solid"), (high * h, "dashed")):
            shapes.append(Line((seam, y), (w - seam, y), style=style, layer=INTERNAL))
        x = w * 0.86
        shapes += [Line((x, high * h), (x, low * h), layer=INTERNAL),
                   Line((x, low * h), (x - 1.5, low * h + ARROW_MM), layer=INTERNAL),
                   Line((x, low * h), (x + 1.5, low * h + ARROW_MM), layer=INTERNAL)]
        shapes.append(Label((x - 3, (low + high) / 2 * h), "pleat / pli", 3.0, anchor="end", layer=TEXT))
    return shapes


def _labels(piece: Piece, outline: Polygon, sewing: Sewing, size_text: str, w: float, h: float) -> list[Shape]:
    cut_en, cut_fr = piece.cut_text()
    lines = [(_one_line(piece.title.en), 5.0), (_one_line(piece.title.fr or piece.title.en), 4.0), (size_text, 4.0),
             (f"{cut_en} / {cut_fr}", 4.0), (f"seam allowance / couture {sewing.seam_allowance_mm:g} mm", 3.0)]
    if piece.pleats:
        finished = finished_height(piece, outline, sewing.seam_allowance_mm)
        lines.append((f"pleated: {finished / 10:.1f} cm high / plissé : {finished / 10:.1f} cm de haut", 3.0))
    top = h * 0.5 + sum(size + 2 for _, size in lines) / 2
    shapes: list[Shape] = []
    for text, size in lines:
        top -= size + 2
        shapes.append(Label((w / 2, top), text, size, anchor="middle", layer=TEXT))
    return shapes


def _one_line(text: str) -> str:
    """A contributor's title as a label: one line, no control characters (which SVG and DXF cannot hold), at
    most 60 characters (a piece's label stays on the piece)."""
    text = " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", text).split())
    return text if len(text) <= 60 else text[:59] + "…"


def lay_out(outlines: list[Polygon], sewing: Sewing, size_texts: list[str], title: str) -> Pattern:
    """The pieces side by side on one sheet, in design.yaml's order, bottoms aligned."""
    placed, x = [], MARGIN_MM
    height = max(o.bounds[3] - o.bounds[1] for o in outlines) + 2 * MARGIN_MM
    for piece, outline, size_text in zip(sewing.pieces, outlines, size_texts, strict=True):
        origin = (x, MARGIN_MM)
        shapes = piece_shapes(piece, outline, sewing, size_text)
        placed.append(PlacedPiece(piece, affinity.translate(outline, *origin), origin, shapes))
        x += outline.bounds[2] - outline.bounds[0] + GAP_MM
    width = x - GAP_MM + MARGIN_MM
    shapes = tuple(_moved(s, p.origin) for p in placed for s in p.shapes)
    return Pattern(Drawing(width, height, shapes, title), tuple(placed))


def _moved(shape: Shape, origin: tuple[float, float]) -> Shape:
    ox, oy = origin

    def at(p: tuple[float, float]) -> tuple[float, float]:
        return (round(p[0] + ox, 4), round(p[1] + oy, 4))

    if isinstance(shape, Outline):
        return Outline(tuple(at(p) for p in shape.points), shape.closed, shape.style, shape.layer)
    if isinstance(shape, Line):
        return Line(at(shape.start), at(shape.end), shape.style, shape.layer)
    if isinstance(shape, Label):
        return Label(at(shape.position), shape.text, shape.size_mm, shape.anchor, shape.layer)
    raise TypeError(f"not a pattern shape: {shape!r}")
