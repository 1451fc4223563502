"""Pattern pieces nested on a fabric roll, with shapely: how many masks a metre gives, and the marker.

The rule (a cutting table's marker, simplified): the roll's width is across, its length runs along the
straight grain, so each piece is first turned to put its grainline along the length and then turned only by
0° or 180° (a piece cut off the grain stretches and twists). A mirrored piece's copies alternate plain and
mirrored. Masks are laid one after the other, each mask's pieces together in design.yaml's order; pieces go
in rows across the roll, left to right inside the selvedges. In a row, each piece, in the turn that takes
less room, is slid left until it comes within the spacing of the piece before it (true shape, not its box);
a full row is slid down the roll onto the rows before it the same way. Every placed piece is inside the
usable width and at least the spacing away from every other piece, checked on the exact outlines after
placing (`check_marker`, which the tests repeat independently).

Masks per metre: the complete masks whose every piece lies within the first metre (the roll's first END_MM
straighten its cut edge). Metres per 100 masks: the length 100 masks' pieces take, from the roll's start. The result of this rule, not the best marker there
is: a marker maker that mixes the masks' pieces freely may fit more.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from shapely import STRtree, affinity
from shapely.geometry import Polygon, box

from .spec import END_MM, MASKS_FOR_LENGTH, ROLL_WIDTHS_MM, SELVEDGE_MM, SPACING_MM  # noqa: F401 - the roll's rule

RESOLUTION_MM = 0.05


@dataclass(frozen=True)
class Placed:
    mask: int  # 0-based
    piece: str
    turn: int  # 0 or 180, after the grain turn
    mirrored: bool
    x: float  # where the turned piece's bounding box starts, across the roll
    y: float  # along the roll, from its start


@dataclass(frozen=True)
class Marker:
    width_mm: float
    placements: tuple[Placed, ...]
    length_mm: float  # the roll used, from its start (the straightened edge, END_MM) to the last piece's end

    def masks_within(self, length_mm: float, pieces_per_mask: int, shapes: dict[tuple[str, int, bool], Polygon]) -> int:
        """Complete masks whose every piece lies within `length_mm` of the roll (less the end margin)."""
        done: dict[int, int] = {}
        for p in self.placements:
            top = p.y + shapes[(p.piece, p.turn, p.mirrored)].bounds[3]
            if top <= length_mm + 1e-9:
                done[p.mask] = done.get(p.mask, 0) + 1
        count = 0
        while done.get(count, 0) == pieces_per_mask:  # masks are laid in order: the first incomplete one ends it
            count += 1
        return count


def on_grain(outline: Polygon, grainline: str) -> Polygon:
    """The piece with its grainline along the roll's length (the y axis), its bounding box starting at (0, 0)."""
    shape = affinity.rotate(outline, 90, origin=(0, 0)) if grainline == "horizontal" else outline
    return _at_origin(shape)


def variants_of(shape: Polygon) -> dict[tuple[int, bool], Polygon]:
    """The four ways a piece may lie: turned 0 or 180 degrees, plain or mirrored."""
    found = {}
    for mirrored in (False, True):
        base = affinity.scale(shape, -1, 1, origin=(0, 0)) if mirrored else shape
        for turn in (0, 180):
            found[(turn, mirrored)] = _at_origin(affinity.rotate(base, turn, origin=(0, 0)))
    return found


def _at_origin(shape: Polygon) -> Polygon:
    x0, y0, _, _ = shape.bounds
    return affinity.translate(shape, -x0, -y0)


def sequence(pieces: list[tuple[str, Polygon, int, bool]], masks: int) -> list[tuple[int, str, Polygon, bool]]:
    """(mask, piece name, piece on grain, mirrored) for every copy, mask after mask."""
    order = []
    for mask in range(masks):
        for name, shape, copies, mirrored in pieces:
            order += [(mask, name, shape, mirrored and copy % 2 == 1) for copy in range(copies)]
    return order


def lay_marker(pieces: list[tuple[str, Polygon, int, bool]], masks: int, width_mm: float) -> Marker:
    """`pieces`: (name, outline on grain, copies per mask, mirrored) in design.yaml's order."""
    usable = width_mm - 2 * SELVEDGE_MM
    for name, shape, _, _ in pieces:
        if shape.bounds[2] > usable:
            raise ValueError(f"piece {name!r} is {shape.bounds[2]:.0f} mm wide on grain; the roll's usable width is "
                             f"{usable:.0f} mm")
    placed: list[tuple[Placed, Polygon]] = []
    row: list[tuple[Placed, Polygon]] = []
    for mask, name, shape, mirrored in sequence(pieces, masks):
        options = variants_of(shape)
        best = None
        for turn in (0, 180):
            candidate = options[(turn, mirrored)]
            x = _slide_left(candidate, [s for _, s in row])
            if x + candidate.bounds[2] <= SELVEDGE_MM + usable + 1e-9 and (best is None or x + candidate.bounds[2] < best[0]):
                best = (x + candidate.bounds[2], turn, x, candidate)
        if best is None:  # the row is full: slide it down and start the next
            placed += _settled(row, placed)
            row = []
            turn, candidate = 0, options[(0, mirrored)]
            best = (0.0, turn, SELVEDGE_MM, candidate)
        _, turn, x, candidate = best
        row.append((Placed(mask, name, turn, mirrored, round(x, 3), 0.0), affinity.translate(candidate, x, 0)))
    placed += _settled(row, placed)
    length = max(s.bounds[3] for _, s in placed) if placed else 0.0
    return Marker(width_mm, tuple(p for p, _ in placed), round(length, 3))


def _slide_left(candidate: Polygon, row: list[Polygon]) -> float:
    """The least x (from the selvedge) at which the piece stays the spacing away from the row's pieces."""
    if not row:
        return SELVEDGE_MM
    start = max(s.bounds[2] for s in row) + SPACING_MM

    def clear(x: float) -> bool:
        moved = affinity.translate(candidate, x, 0)
        # a piece that ends more than the spacing left of x cannot come near: only its bounds are read
        return all(moved.distance(s) >= SPACING_MM - 1e-9 for s in row if s.bounds[2] > x - SPACING_MM)

    return _least(clear, SELVEDGE_MM, start)


def _settled(row: list[tuple[Placed, Polygon]], below: list[tuple[Placed, Polygon]]) -> list[tuple[Placed, Polygon]]:
    """The row slid down the roll (towards y = END_MM) until it comes within the spacing of the rows before it."""
    if not row:
        return []
    shapes = [s for _, s in below]
    start = max((s.bounds[3] for s in shapes), default=END_MM - SPACING_MM) + SPACING_MM
    tree = STRtree(shapes) if shapes else None

    def clear(y: float) -> bool:
        if tree is None:
            return True
        for _, s in row:
            moved = affinity.translate(s, 0, y)
            for index in tree.query(moved, predicate="dwithin", distance=SPACING_MM - 1e-6):
                if moved.distance(shapes[int(index)]) < SPACING_MM - 1e-9:
                    return False
        return True

    y = _least(clear, END_MM, start)
    return [(Placed(p.mask, p.piece, p.turn, p.mirrored, p.x, round(y, 3)), affinity.translate(s, 0, y))
            for p, s in row]


def _least(clear, low: float, high: float) -> float:
    """The least value in [low, high] that is clear, `high` being clear; on a RESOLUTION_MM grid, rounded up.

    Checked on a 1 mm grid down from `high` first (an outline can be clear again lower down, past a bump),
    then halved to the resolution at the first contact."""
    value = high
    while value - 1.0 >= low and clear(value - 1.0):
        value -= 1.0
    if value - low < 1.0 and clear(low):
        return low
    blocked = max(value - 1.0, low)
    while value - blocked > RESOLUTION_MM:
        middle = (value + blocked) / 2
        if clear(middle):
            value = middle
        else:
            blocked = middle
    return math.ceil(value / RESOLUTION_MM) * RESOLUTION_MM


def placed_shapes(marker: Marker, shapes: dict[tuple[str, int, bool], Polygon]) -> list[Polygon]:
    return [affinity.translate(shapes[(p.piece, p.turn, p.mirrored)], p.x, p.y) for p in marker.placements]


def check_marker(marker: Marker, shapes: dict[tuple[str, int, bool], Polygon]) -> list[str]:
    """Every way the marker breaks its promise: a piece outside the usable width, or closer than the spacing."""
    usable = box(SELVEDGE_MM, 0, marker.width_mm - SELVEDGE_MM, marker.length_mm + 1)
    placed = placed_shapes(marker, shapes)
    wrong = [f"piece {i + 1} leaves the usable width" for i, s in enumerate(placed) if not usable.buffer(1e-6).contains(s)]
    tree = STRtree(placed)
    for i, a in enumerate(placed):
        for j in sorted(int(j) for j in tree.query(a, predicate="dwithin", distance=SPACING_MM - 1e-6)):
            if j > i and a.distance(placed[j]) < SPACING_MM - 1e-6:
                wrong.append(f"pieces {i + 1} and {j + 1} are closer than {SPACING_MM:g} mm")
    return wrong
