"""design.yaml's `sewing` block, as the schema accepted it, turned into frozen records.

Positions on a piece (notches, fold ends) are fractions of its width and height from its bottom-left corner,
and pleats fractions of its height, so one declaration serves every size of the design.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Text

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

    def length_for(self, variant: str) -> float:
        return float(self.length_mm[variant] if isinstance(self.length_mm, dict) else self.length_mm)


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
    """What the schema cannot say: mirrored pieces come in pairs, a length per variant is given for each."""
    problems = [f"sewing.pieces[{i}] ({p.name}): mirrored pieces are cut in pairs; give an even number of copies"
                for i, p in enumerate(sewing.pieces) if p.mirrored and p.copies % 2]
    if isinstance(sewing.fastening.length_mm, dict):
        missing = [v for v in variants if v not in sewing.fastening.length_mm]
        if missing:
            problems.append(f"sewing.fastening.length_mm gives no length for variant(s) {', '.join(missing)}; "
                            "add one per variant, or give one number")
    return problems
