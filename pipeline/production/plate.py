"""The plate a workshop would load at once: the most copies that fit the bed and finish within the printer's
plate budget (plate_hours in its profile), and its arranged 3MF made deterministic.

The copies are chosen from real slices, never from a formula alone: one copy's time gives a first count, the slicer
arranges and slices that plate, and its time per copy gives the count: the same (the figures are that slice's), or
a copy or two off (the figures are that slice's scaled to the count, and say so), or, rarely, a count further off,
sliced again. Whether N copies fit the bed is the slicer's own arrangement, asked first of the count of the part's
bounding boxes in rows and columns; the bed's area over the part's smallest possible footprint (volume / height)
bounds N from above.
"""
from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..fsutil import ZIP_TIME, deterministic_zip
from ..production.records import SliceFigures
from .slicer import SETTINGS_3MF, Slicer

FIXED_DATE = "{:04d}-{:02d}-{:02d}".format(*ZIP_TIME[:3])
BED_FULL, DAY_FULL = "bed", "time"  # what limited a plate: the bed's area, or the plate budget
MOST_SLICES = 4  # plate slices per variant and printer; the count settles after one
# Figures of a plate sliced whole are scaled to a count at most 1/NEAR of its copies away (one copy at least);
# further off, the plate of the new count is sliced. One copy in ten changes a plate's time per copy by well under
# 1 %: the travel between copies and the skirt are a small part of a plate, and no copy is slowed for cooling beside
# others.
NEAR = 10


@dataclass(frozen=True)
class Plate:
    copies: int
    figures: SliceFigures  # of the plate: a whole slice of `sliced_copies` copies as arranged, scaled to `copies`
    arranged: bytes  # the slicer's 3MF of `copies` copies
    limit: str  # BED_FULL or DAY_FULL
    sliced_copies: int  # the copies of the plate the figures were sliced from: `copies`, or one or two more or fewer


def copies_bound(bed_mm: tuple[float, float], volume_mm3: float, height_mm: float) -> int:
    """No more copies fit than the bed's area over the least area one copy can cover."""
    footprint = volume_mm3 / height_mm if height_mm > 0 and volume_mm3 > 0 else 1.0
    return max(1, math.floor(bed_mm[0] * bed_mm[1] / footprint))


def copies_on_grid(bed_mm: tuple[float, float], footprint_mm: tuple[float, float], spacing_mm: float) -> int:
    """Copies of the part's bounding box in rows and columns on the bed, `spacing_mm` apart: where the search for
    what fits starts, since the slicer's arrangement (by outline, not box) usually fits that many or a few more."""
    across, along = ((bed + spacing_mm) // (size + spacing_mm) for bed, size in zip(bed_mm, footprint_mm, strict=True))
    return max(1, int(across * along))


def choose_plate(slicer: Slicer, model: Path, configs: list[Path], single: SliceFigures, bound: int,
                 budget_s: int, grid: int = 1) -> Plate:
    """The plate of the most copies that fit the bed and whose time is within `budget_s`, at the time per copy of a
    whole plate sliced.

    One copy's time gives a first count; the slicer arranges and slices that plate whole. When its time per copy
    says one copy more or fewer (the travel between copies, the cooling shared: rarely more), the plate of that count
    is arranged by the slicer and its figures are those of the sliced plate, scaled to the count (`sliced_copies`
    says so); a count further off is sliced again. One copy always makes a plate, even one that prints for longer
    than the budget (its limit is then the day)."""
    bed = _Bed(slicer, model, configs, bound, grid)
    copies = bed.most_up_to(budget_s // max(1, single.seconds))  # the arrangement is remembered for the slice
    for _ in range(MOST_SLICES):
        arranged, figures = slicer.plate(model, configs, copies)
        most = bed.most_up_to(math.floor(budget_s / (figures.seconds / copies)))
        if most == copies:
            return Plate(copies, figures, arranged, _limit(bed, copies), copies)
        if abs(most - copies) <= max(1, copies // NEAR):
            plate = slicer.arranged(model, configs, most)  # known to fit: the bed asked the slicer for it
            return Plate(most, figures.scaled(most / copies), plate, _limit(bed, most), copies)
        copies = most
    arranged, figures = slicer.plate(model, configs, copies)
    return Plate(copies, figures, arranged, _limit(bed, copies), copies)


def _limit(bed: _Bed, copies: int) -> str:
    return BED_FULL if bed.known_full(copies) else DAY_FULL


class _Bed:
    """What the slicer's arrangement says of how many copies fit, remembered: at least `fitting`, fewer than
    `too_many`. The search starts from the grid's count and gallops from it, so that it asks the slicer two or three
    times, mostly of plates about as full as the answer, rather than halving down from the bound."""

    def __init__(self, slicer: Slicer, model: Path, configs: list[Path], bound: int, grid: int = 1):
        self.slicer, self.model, self.configs, self.bound = slicer, model, configs, bound
        self.grid = min(max(1, grid), bound)
        self.fitting, self.too_many = 1, bound + 1  # one copy fits: it was sliced first

    def fits(self, copies: int) -> bool:
        if copies <= self.fitting:
            return True
        if copies >= self.too_many:
            return False
        if self.slicer.fits(self.model, self.configs, copies):
            self.fitting = copies
            return True
        self.too_many = copies
        return False

    def most_up_to(self, wanted: int) -> int:
        """The most copies that fit, up to `wanted`."""
        wanted = min(max(1, wanted), self.bound)
        if wanted <= self.grid and self.fits(wanted):  # as many as the grid holds, or fewer: they fit, as a rule
            return wanted
        low, high = self.fitting, min(self.too_many, wanted + 1)
        if high - low <= 1:
            return low
        start = min(max(self.grid, low + 1), high - 1)
        low, high = self._gallop(low, high, start)
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if self.fits(middle) else (low, middle)
        return low

    def _gallop(self, low: int, high: int, start: int) -> tuple[int, int]:
        """From `start`, steps of 1, 2, 4… up while copies fit, or down while they don't; the range left."""
        step, up = 1, self.fits(start)
        low, high = (start, high) if up else (low, start)
        while high - low > 1:
            probe = min(low + step, high - 1) if up else max(high - step, low + 1)
            fits = self.fits(probe)
            low, high = (probe, high) if fits else (low, probe)
            if fits != up:
                break
            step *= 2
        return low, high

    def known_full(self, copies: int) -> bool:
        """Whether one copy more is known not to fit (no slicer run)."""
        return copies + 1 >= self.too_many


def normalised_plate(data: bytes, name: str, title: str) -> bytes:
    """The plate 3MF named after the variant and with nothing from the clock.

    The slicer ran on a neutral file name (so that the same part in two designs is sliced once): the objects take
    the variant's name here. It stamps today's date in the model's metadata (CreationDate, ModificationDate) and
    in every zip entry: both get the catalogue's fixed date, and the entries are written again in name order."""
    from xml.sax.saxutils import escape, quoteattr  # here: it imports urllib.request, ssl and email, 40 ms a build

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {entry: archive.read(entry) for entry in archive.namelist()}
    entries.pop(SETTINGS_3MF, None)  # settings in a plate would override the profiles when sliced
    model = entries["3D/3dmodel.model"].decode("utf-8")
    model = re.sub(r'(<metadata name="(?:CreationDate|ModificationDate)">)[^<]*(</metadata>)',
                   rf"\g<1>{FIXED_DATE}\g<2>", model)
    model = re.sub(r'(<metadata name="(?:Title|Description)">)[^<]*(</metadata>)',
                   lambda m: m.group(1) + escape(title) + m.group(2), model)
    entries["3D/3dmodel.model"] = model.encode("utf-8")
    objects = "Metadata/Slic3r_PE_model.config"
    if objects in entries:
        config = entries[objects].decode("utf-8")
        config = re.sub(r'(key="(?:name|source_file)" value=)"[^"]*"', lambda m: m.group(1) + quoteattr(f"{name}.stl"),
                        config)
        entries[objects] = config.encode("utf-8")
    return deterministic_zip(entries)
