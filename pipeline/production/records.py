"""The printing stage's records: what the slicer says of a variant on a reference printer, and its plate."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import Download


@dataclass(frozen=True)
class SliceFigures:
    """What the slicer's G-code says of one print: an estimate for the profile it was sliced with."""

    seconds: int
    filament_mm: float
    filament_cm3: float
    filament_g: float
    cost: float  # in the filament profile's currency (euros)

    def scaled(self, factor: float) -> SliceFigures:
        """These figures times `factor`, to the slicer's own precision (whole seconds, hundredths)."""
        return SliceFigures(seconds=round(self.seconds * factor), filament_mm=round(self.filament_mm * factor, 2),
                            filament_cm3=round(self.filament_cm3 * factor, 2),
                            filament_g=round(self.filament_g * factor, 2), cost=round(self.cost * factor, 2))


@dataclass(frozen=True)
class ProductionRun:
    """One variant sliced for one reference printer, with the design's print settings on top."""

    printer: str  # the printer profile's name, profiles/printer-<name>.ini
    material: str
    single: SliceFigures  # one copy, the design's print settings
    reference: SliceFigures | None  # one copy, the 0.20 mm reference print settings: the first printer's only
    copies: int  # the plate a workshop would load: the most copies that fit the bed and the plate budget
    plate: SliceFigures  # that plate: a whole slice of `plate_sliced_copies` copies as arranged, scaled to `copies`
    plate_3mf: Path  # the arranged plate, in the slice cache
    plate_change_s: int  # the operator's time between two plates
    parts_per_copy: int = 1  # a stack of N headbands: N
    plate_limit: str = "bed"  # what limited the plate: "bed" (no copy more fits) or "time" (the plate budget)
    plate_budget_s: int = 86400  # the printer profile's plate_hours
    slicer: str = ""  # the slicer's version line, e.g. PrusaSlicer-2.5.0+linux-x64-GTK3
    # the copies of the plate sliced for the figures: `copies`, or a copy or two off; required, since no default
    # could say how a figure was obtained
    plate_sliced_copies: int = field(kw_only=True)

    @property
    def plate_sliced_whole(self) -> bool:
        """Whether the plate's figures are a slice of this very plate (else of a plate a copy or two off, scaled)."""
        return self.plate_sliced_copies == self.copies

    @property
    def units_per_day(self) -> float:
        """Parts one printer makes in 24 h of such plates, a plate change between each."""
        return self.copies * self.parts_per_copy * 86400 / (self.plate.seconds + self.plate_change_s)


@dataclass(frozen=True)
class PublishedRun:
    run: ProductionRun
    plate: Download  # the arranged plate 3MF
