"""One variant on one reference printer: the slices that make its production figures, and their cache entry.

Slices, in order: one copy with the design's print settings; on the first reference printer only, one copy with the
0.20 mm reference settings (skipped when the design's settings are the same); the plate a workshop would load (plate.choose_plate), arranged by
the slicer, then sliced as arranged. The part comes from the CAD cache's STL, never from our 3MF, whose own settings could
override the profiles; the plate 3MF the slicer writes holds no settings. The slicer sees the part under a neutral
name, so a run is shared by every design and variant with the same STL and settings (the run memo).
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

from ..built import Artifact
from ..fsutil import link_or_copy
from ..production.records import ProductionRun, SliceFigures
from . import profiles
from .plate import choose_plate, copies_bound, copies_on_grid, normalised_plate
from .slicer import DoesNotFit, RunMemo, SliceBudget, Slicer

PART = "part.stl"


def slice_on_printer(artifact: Artifact, printer: profiles.Printer, material: str, overrides: dict[str, str],
                     workdir: Path, timeout_s: float, memo: RunMemo | None = None,
                     version: str = "", budget: SliceBudget | None = None,
                     with_reference: bool = True) -> tuple[ProductionRun | None, int]:
    """The run (None when one copy does not fit this printer) and how many times the slicer ran.

    `with_reference`: whether to slice one copy at the reference settings too. Those figures compare designs with
    each other at the same settings, which one printer does; on the other it was a twelfth of the stage's CPU."""
    name = artifact.job.stem
    model = workdir / PART
    link_or_copy(artifact.file("stl"), model)
    (workdir / "design-settings.ini").write_text(profiles.ini_text(overrides), encoding="utf-8")
    reference = [printer.profile.path, profiles.PROFILES / profiles.REFERENCE_PRINT,
                 profiles.PROFILES / profiles.FILAMENTS[material]]
    designed = reference + [workdir / "design-settings.ini"]
    slicer = Slicer(workdir, timeout_s, memo=memo, version=version, budget=budget)
    try:
        single = slicer.slice(model, designed)
    except DoesNotFit:
        return None, slicer.runs
    at_reference = None
    if with_reference:
        same = not profiles.differs_from_reference(overrides, printer)
        at_reference = single if same else slicer.slice(model, reference)
    bound = copies_bound(printer.bed_mm, artifact.facts.volume_mm3, artifact.facts.bounding_box_mm[2])
    grid = copies_on_grid(printer.bed_mm, artifact.facts.bounding_box_mm[:2], profiles.object_spacing_mm())
    plate = choose_plate(slicer, model, designed, single, bound, printer.plate_budget_s, grid)
    plate_path = workdir / f"{name}-plate.3mf"
    plate_path.write_bytes(normalised_plate(plate.arranged, name, f"{name} plate, {plate.copies} on {printer.name}"))
    run = ProductionRun(printer=printer.name, material=material, single=single, reference=at_reference,
                        copies=plate.copies, plate=plate.figures, plate_3mf=plate_path,
                        plate_change_s=printer.plate_change_s, parts_per_copy=artifact.parts,
                        plate_limit=plate.limit, plate_budget_s=printer.plate_budget_s, slicer=version,
                        plate_sliced_copies=plate.sliced_copies)
    return run, slicer.runs


def write_run(run: ProductionRun | None, staging: Path) -> None:
    """figures.json last: its presence marks a whole entry."""
    if run is not None:
        os.replace(run.plate_3mf, staging / "plate.3mf")
        document = asdict(run) | {"plate_3mf": "plate.3mf", "fits": True}
    else:
        document = {"fits": False}
    (staging / "figures.json").write_text(json.dumps(document, indent=1, sort_keys=True), encoding="utf-8")


def read_run(entry: Path) -> ProductionRun | None:
    document = json.loads((entry / "figures.json").read_text(encoding="utf-8"))
    if not document.pop("fits"):
        return None
    for figures in ("single", "reference", "plate"):
        document[figures] = SliceFigures(**document[figures]) if document[figures] is not None else None
    document["plate_3mf"] = entry / document["plate_3mf"]
    return ProductionRun(**document)
