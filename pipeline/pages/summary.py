"""The box under a design page's title (_summary.md.j2): what a workshop asks first, for the recommended variant (the
first listed) — its status, time per unit and units per day on each reference machine, what to load, one download,
and what to buy.

It reads the ways-of-making contract's `MachineFigures` (pipeline/making/records.py), whatever the method: a new way
of making (sewing) appears in the box with no edit here.
"""
from __future__ import annotations

from typing import Any

from ..cutting.summary import duration as short_duration
from ..making.records import MachineFigures, PublishedDesign, PublishedMade, PublishedVariant
from ..model import Download
from ..production.summary import duration as long_duration
from ..publish.bom import unit_bom

LOAD_ROLES = ("plate", "cut-sheet", "marker")  # the file a machine is loaded from, per way of making


def machine_rows(v: PublishedVariant) -> list[dict[str, Any]]:
    """Each reference machine that makes the variant: its figures, the time per unit as a page writes it, and the
    file to load it from (the method's plate, sheet or marker named after that machine), if any."""
    return [{"figure": f, "per_day": f"{f.units_per_day:.0f}", "per_unit": _per_unit(f), "load_file": _load_file(m, f)}
            for m in v.made for f in m.made.machines]


def _per_unit(f: MachineFigures) -> str:
    """Seconds for a laser's cut (it takes seconds), minutes and hours for the rest (a print, a seam)."""
    return short_duration(f.seconds_per_unit) if f.kind == "laser" and f.seconds_per_unit < 3600 \
        else long_duration(f.seconds_per_unit)


def _load_file(made: PublishedMade, figure: MachineFigures) -> Download | None:
    files = [d for f, d in zip(made.made.files, made.downloads, strict=True)
             if f.role in LOAD_ROLES and f"-{figure.machine}." in d.name]
    return files[0] if files else None


def summary_context(p: PublishedDesign) -> dict[str, Any]:
    first = p.variants[0]
    variant = first.artifact.job.variant
    files = {d.format: d for d in first.files}
    machines = machine_rows(first)
    printed = any(m["figure"].kind == "printer" for m in machines)
    return {
        "variant": variant,
        "machines": machines,
        # a slicer-ready file for a printed design; the zip (every part's files and the licence) otherwise
        "download": files.get("3mf") if printed and "3mf" in files else p.bundle,
        "to_buy": [line for line in unit_bom(first) if not line.printed and not line.connects_to],
    }
