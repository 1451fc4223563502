"""The full plate: the most copies the slicer fits on one bed, and its arranged 3MF made deterministic.

The search is cheap: an export of the arranged plate (no slicing) tells whether N
copies fit, and the bed's area over the part's smallest possible footprint
(volume / height) bounds N from above. Copies are tried by doubling, then halving
the gap: a handful of arrangements, then one slice of the full plate.
"""
from __future__ import annotations

import io
import math
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from ..fsutil import ZIP_TIME, deterministic_zip
from .slicer import DoesNotFit, Slicer

FIXED_DATE = "{:04d}-{:02d}-{:02d}".format(*ZIP_TIME[:3])


def copies_bound(bed_mm: tuple[float, float], volume_mm3: float, height_mm: float) -> int:
    """No more copies fit than the bed's area over the least area one copy can cover."""
    footprint = volume_mm3 / height_mm if height_mm > 0 and volume_mm3 > 0 else 1.0
    return max(1, math.floor(bed_mm[0] * bed_mm[1] / footprint))


def most_copies(slicer: Slicer, model: Path, configs: list[Path], bound: int, folder: Path) -> tuple[int, bytes]:
    """The most copies that fit (at least 1, or DoesNotFit) and the slicer's arranged plate of them."""
    def plate(copies: int) -> bytes | None:
        try:
            return slicer.export_plate(model, configs, copies, folder / f"{model.stem}-arranged.3mf")
        except DoesNotFit:
            return None

    best, best_plate = 1, plate(1)
    if best_plate is None:
        raise DoesNotFit("one copy does not fit the bed")
    too_many = bound + 1
    trial = 2
    while trial < too_many:  # double while they fit
        found = plate(trial)
        if found is None:
            too_many = trial
            break
        best, best_plate, trial = trial, found, trial * 2
    while too_many - best > 1:  # then halve the gap
        trial = (best + too_many) // 2
        found = plate(trial)
        if found is None:
            too_many = trial
        else:
            best, best_plate = trial, found
    return best, best_plate


def normalised_plate(data: bytes, title: str) -> bytes:
    """The plate 3MF with nothing from the clock: the slicer stamps today's date in the model's metadata
    (CreationDate, ModificationDate) and in every zip entry; both get the catalogue's fixed date, the title
    names the plate, and the entries are written again in name order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries.pop("Metadata/Slic3r_PE.config", None)  # settings in a plate would override the profiles when sliced
    model = entries["3D/3dmodel.model"].decode("utf-8")
    model = re.sub(r'(<metadata name="(?:CreationDate|ModificationDate)">)[^<]*(</metadata>)',
                   rf"\g<1>{FIXED_DATE}\g<2>", model)
    model = re.sub(r'(<metadata name="(?:Title|Description)">)[^<]*(</metadata>)', rf"\g<1>{_xml(title)}\g<2>", model)
    entries["3D/3dmodel.model"] = model.encode("utf-8")
    return deterministic_zip(entries)


def _xml(text: str) -> str:
    return escape(text).replace("\\", "\\\\")  # re.sub's replacement: a backslash doubled
