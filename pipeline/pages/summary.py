"""The box under a design page's title (_summary.md.j2): what a workshop asks first, for the recommended variant (the
first listed) — its status, time per part and parts per day on each reference machine, the plate or sheet to load,
one download, and what to buy.

The machine figures come through `machine_figures`, the one place that reads how a variant is made (today the
production and cutting records): when printing, cutting and sewing become one "ways of making" contract, only
that function changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..cutting import profiles as laser_profiles
from ..cutting.summary import duration as cut_duration
from ..model import Download, PublishedDesign, PublishedVariant
from ..production import profiles as printer_profiles
from ..production.summary import duration as print_duration
from ..source.bom import variant_bom


@dataclass(frozen=True)
class Load:
    """What goes on a machine at once: a printer's plate, or one cut part's nested sheet."""

    copies: str  # "4", or "4 × 4" for a plate of four stacks of four
    time: str  # the whole plate or sheet, as production/cutting write durations
    file: Download | None  # the plate 3MF or the nested sheet (SVG)
    sheet_mm: str = ""  # a laser's sheet: "600 × 400"
    thickness_mm: str = ""
    material: str = ""


@dataclass(frozen=True)
class MachineFigure:
    """One variant on one reference machine, as the box says it (the fields of the coming ways-of-making contract)."""

    kind: str  # printer, laser (sewer to come)
    machine: str  # the profile's name
    title: str
    title_fr: str
    seconds_per_unit: float  # one unit made alone: a printed copy's print time per part, a cut unit's laser time
    units_per_day: float  # on one machine, in the hours its figures assume
    loads: tuple[Load, ...]


def machine_figures(v: PublishedVariant) -> list[MachineFigure]:
    printers = {p.name: p.profile for p in printer_profiles.printers()}
    lasers = {laser.name: laser for laser in laser_profiles.lasers()}
    figures = []
    for published in v.production:
        run, profile = published.run, printers[published.run.printer]
        copies = f"{run.copies} × {run.parts_per_copy}" if run.parts_per_copy > 1 else str(run.copies)
        figures.append(MachineFigure(
            "printer", run.printer, profile.title, profile.title_fr, run.single.seconds / run.parts_per_copy,
            run.units_per_day, (Load(copies, print_duration(run.plate.seconds), published.plate),)))
    for published in v.cutting:
        run, laser = published.run, lasers[published.run.laser]
        loads = tuple(Load(str(p.parts_per_sheet), cut_duration(p.sheet_seconds), svg,
                           f"{p.sheet_mm[0]:g} × {p.sheet_mm[1]:g}", f"{p.thickness_mm:g}", p.material)
                      for p, (_, svg) in zip(run.parts, published.sheets, strict=True))
        figures.append(MachineFigure("laser", run.laser, laser.title, laser.title_fr, run.seconds_per_unit,
                                     run.units_per_day, loads))
    return figures


def summary_context(p: PublishedDesign) -> dict[str, Any]:
    first = p.variants[0]
    variant = first.artifact.job.variant
    files = {d.format: d for d in first.files}
    machines = [{"figure": f, "per_day": f"{f.units_per_day:.0f}",
                 "per_unit": print_duration(f.seconds_per_unit) if f.kind == "printer" else cut_duration(f.seconds_per_unit)}
                for f in machine_figures(first)]
    printed = any(f["figure"].kind == "printer" for f in machines)
    return {
        "variant": variant,
        "machines": machines,
        # a slicer-ready file for a printed design; the zip (every part's sheet and the licence) for a cut-only one
        "download": files.get("3mf") if printed or not first.cutting else p.bundle,
        "to_buy": [line for line in variant_bom(p.design, variant) if not line.printed and not line.connects_to],
    }
