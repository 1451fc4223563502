"""design.yaml's `sewing` block, as the schema accepted it, turned into frozen records.

Positions on a piece (notches, fold ends) are fractions of its width and height from its bottom-left corner,
and pleats fractions of its height, so one declaration serves every size of the design.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Text

# The roll a marker is laid on (roll.py), here so that pages read them without importing shapely.
SELVEDGE_MM = 10.0  # left uncut at each edge of the roll
SPACING_MM = 3.0  # between two pieces: room for the scissors
END_MM = 10.0  # at the start of the roll (a straightened cut edge)
ROLL_WIDTHS_MM = (1400.0, 1500.0, 1120.0)  # 140 and 150 cm (French cotton), 112 cm (44 in, US quilting cotton)
MASKS_FOR_LENGTH = 100

Fraction2 = tuple[float, float]


@dataclass(frozen=True)
class Piece:
    name: str
    title: Text
    copies: int  # cut for one mask
    layer: Text  # which layer(s) of the mask and in what fabric
    grainline: str  # "vertical": the straight grain along the piece's height; "horizontal": along its width
    mirrored: bool = False  # half the copies cut mirrored
    folds: tuple[tuple[Fraction2, Fraction2], ...] = ()
    notches: tuple[Fraction2, ...] = ()
    pleats: tuple[tuple[float, float], ...] = ()  # heights brought together; the pleat takes up their distance

    def cut_text(self) -> tuple[str, str]:
        """How many to cut, in English and in French."""
        if self.mirrored:
            return (f"Cut {self.copies}, {self.copies // 2} mirrored",
                    f"Couper {self.copies}, dont {self.copies // 2} en miroir")
        return f"Cut {self.copies}", f"Couper {self.copies}"


@dataclass(frozen=True)
class Fastening:
    kind: str  # "elastic" or "ties"
    count: int
    length_mm: float | dict[str, float]  # one length, or one per variant
    width_mm: float | None = None
    source: Text | None = None

    def length_for(self, variant: str) -> float | None:
        """Each one's length for this variant; None when a per-variant list names it not (left open)."""
        if isinstance(self.length_mm, dict):
            return float(self.length_mm[variant]) if variant in self.length_mm else None
        return float(self.length_mm)


@dataclass(frozen=True)
class Sewing:
    seam_allowance_mm: float
    minutes_per_mask: float
    minutes_source: Text
    fastening: Fastening
    pieces: tuple[Piece, ...]
    nose_wire_mm: float | None = None

    def pieces_per_mask(self) -> int:
        return sum(p.copies for p in self.pieces)


def sewing_of(block: dict[str, Any]) -> Sewing:
    fastening = dict(block["fastening"])
    if "source" in fastening:
        fastening["source"] = Text.of(fastening["source"])
    pieces = tuple(Piece(name=p["name"], title=Text.of(p["title"]), copies=p["copies"], layer=Text.of(p["layer"]),
                         grainline=p["grainline"], mirrored=p.get("mirrored", False),
                         folds=tuple((tuple(a), tuple(b)) for a, b in p.get("folds", ())),
                         notches=tuple(tuple(n) for n in p.get("notches", ())),
                         pleats=tuple(tuple(pl) for pl in p.get("pleats", ())))
                   for p in block["pieces"])
    return Sewing(seam_allowance_mm=float(block["seam_allowance_mm"]), minutes_per_mask=float(block["minutes_per_mask"]),
                  minutes_source=Text.of(block["minutes_source"]), fastening=Fastening(**fastening), pieces=pieces,
                  nose_wire_mm=block.get("nose_wire_mm"))


def spec_problems(sewing: Sewing, variants: list[str]) -> list[str]:
    """What the schema cannot say: mirrored pieces come in pairs. (A variant a per-variant length leaves out has
    its length left open in the bill of materials, as a design leaves any quantity open.)"""
    return [f"sewing.pieces[{i}] ({p.name}): mirrored pieces are cut in pairs; give an even number of copies"
            for i, p in enumerate(sewing.pieces) if p.mirrored and p.copies % 2]
