"""The cutting stage's records: a variant's cut parts as files, and their figures on a reference laser."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import Download


@dataclass(frozen=True)
class CutPartRun:
    """One cut part of a variant on one reference laser: an estimate for the laser's profile."""

    part: str  # CutPart.name
    material: str
    thickness_mm: float
    copies: int  # in one finished unit
    cut_length_mm: float  # every contour of one part
    pierces: int  # one per contour
    part_seconds: float  # one part: cutting, piercing, the moves between its contours
    sheet_mm: tuple[float, float]
    parts_per_sheet: int  # from nesting the real outline (cutting/nesting.py)
    sheet_seconds: float  # a full sheet: cutting, piercing, every move; the sheet change is apart
    sheets_per_load: int  # stock sheets laid on the bed at once (several A4 sheets on a large bed); 1 for a bed-sized sheet
    sheet_dxf: Path  # the nested sheet, in the cutting cache
    sheet_svg: Path


@dataclass(frozen=True)
class CuttingRun:
    """One variant on one reference laser: every cut part it needs, each nested on its own sheet."""

    laser: str  # the profile's name, cutting/profiles/laser-<name>.toml
    parts: tuple[CutPartRun, ...]
    sheet_change_s: int
    attended_hours_per_day: float  # a laser is never left cutting alone

    @property
    def seconds_per_unit(self) -> float:
        """Laser time for one finished unit: each part's share of a bed load (its sheets, then one change)."""
        return sum(p.copies * (p.sheet_seconds * p.sheets_per_load + self.sheet_change_s)
                   / (p.parts_per_sheet * p.sheets_per_load) for p in self.parts)

    @property
    def units_per_day(self) -> float:
        """Finished units one laser cuts in its attended hours of a day, sheet changes included."""
        return self.attended_hours_per_day * 3600 / self.seconds_per_unit


@dataclass(frozen=True)
class CutFiles:
    """One cut part of a variant as 2D files, in the cutting cache: the same for every laser."""

    part: str
    dxf: Path
    svg: Path
    size_mm: tuple[float, float]  # its bounding box, the drawings' size
    area_mm2: float = 0.0  # its outline's area, holes removed: with the sheet's thickness, its volume


@dataclass(frozen=True)
class CutVariant:
    files: tuple[CutFiles, ...]  # the design's cutting.parts order
    runs: tuple[CuttingRun, ...]  # one per reference laser that cuts every part


@dataclass(frozen=True)
class PublishedCutPart:
    files: CutFiles
    dxf: Download
    svg: Download


@dataclass(frozen=True)
class PublishedCutRun:
    run: CuttingRun
    sheets: tuple[tuple[Download, Download], ...]  # per part, in run.parts' order: the nested sheet's DXF and SVG
