"""The reference profiles (profiles/*.ini) and what a design's print_settings change on top of them.

Each .ini is PrusaSlicer's own format; our few facts about a profile (its title
in both languages, the plate-change time, the plate budget) are `# key: value` comments at its top,
which the slicer ignores.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..model import Design

PROFILES = Path(__file__).resolve().parent / "profiles"
REFERENCE_PRINT = "print-reference-0.20mm.ini"
FILAMENTS = {"PLA": "filament-pla.ini", "PETG": "filament-petg.ini"}
DEFAULT_MATERIAL = "PLA"
DEFAULT_PLATE_HOURS = 24  # for a design that lists neither PLA nor PETG


@dataclass(frozen=True)
class Profile:
    path: Path
    title: str
    title_fr: str
    settings: dict[str, str]  # the slicer's keys and values
    notes: dict[str, str]  # our `# key: value` comments

    @property
    def name(self) -> str:
        return self.path.stem.split("-", 1)[1]


@dataclass(frozen=True)
class Printer:
    profile: Profile

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def bed_mm(self) -> tuple[float, float]:
        corners = [tuple(float(v) for v in c.split("x")) for c in self.profile.settings["bed_shape"].split(",")]
        return (max(c[0] for c in corners) - min(c[0] for c in corners),
                max(c[1] for c in corners) - min(c[1] for c in corners))

    @property
    def plate_change_s(self) -> int:
        return round(float(self.profile.notes["plate_change_minutes"]) * 60)

    @property
    def plate_budget_s(self) -> int:
        """The longest plate a workshop would load on this printer (plate_hours; 24 h when the profile is silent)."""
        return round(float(self.profile.notes.get("plate_hours", DEFAULT_PLATE_HOURS)) * 3600)


def read_profile(path: Path) -> Profile:
    settings, notes = {}, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ") and ": " in line and " " not in line[2:].split(":", 1)[0]:
            key, value = line[2:].split(": ", 1)
            notes[key] = value.strip()
        elif "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            settings[key.strip()] = value.strip()
    return Profile(path, notes.get("title", path.stem), notes.get("title_fr", notes.get("title", path.stem)),
                   settings, notes)


@lru_cache(maxsize=1)
def printers() -> tuple[Printer, ...]:
    return tuple(Printer(read_profile(p)) for p in sorted(PROFILES.glob("printer-*.ini")))


def reference_print() -> Profile:
    return read_profile(PROFILES / REFERENCE_PRINT)


def object_spacing_mm() -> float:
    """The gap the slicer leaves between arranged copies (the reference print profile's min_object_distance)."""
    return float(reference_print().settings["min_object_distance"])


def filament(material: str) -> Profile:
    return read_profile(PROFILES / FILAMENTS[material])


def print_settings(design: Design) -> dict[str, Any]:
    """The one place production reads design.yaml's print settings."""
    return {k: v for k, v in dataclasses.asdict(design.print_settings).items() if v is not None}


def material(design: Design) -> str:
    """The design's first material that has a reference filament profile."""
    listed = [m.name for m in design.materials]
    return next((m for m in listed if m in FILAMENTS), DEFAULT_MATERIAL)


def design_overrides(settings: dict[str, Any]) -> dict[str, str]:
    """The slicer settings a design's print_settings set on top of the reference profiles."""
    layer = settings["layer_height_mm"]
    infill = settings["infill_percent"]
    overrides = {
        "nozzle_diameter": f"{settings['nozzle_mm']:g}",
        "layer_height": f"{layer:g}",
        "first_layer_height": f"{settings.get('first_layer_height_mm', max(layer, 0.2)):g}",
        "perimeters": str(settings["perimeters"]),
        "fill_density": f"{infill:g}%",
        "support_material": "1" if settings["supports"] else "0",
    }
    if infill >= 100:  # the slicer refuses a grid at 100 %: rectilinear is what it would pick itself
        overrides["fill_pattern"] = "rectilinear"
    return overrides


def differs_from_reference(overrides: dict[str, str], printer: Printer) -> bool:
    """Whether the design's settings slice differently from the reference ones (else one slice serves both)."""
    reference = reference_print().settings | printer.profile.settings
    return any(_same(reference.get(k)) != _same(v) for k, v in overrides.items())


def _same(value: str | None) -> str | None:
    try:
        return f"{float(str(value).rstrip('%')):g}" + ("%" if str(value).endswith("%") else "")
    except ValueError:
        return value


def ini_text(settings: dict[str, str]) -> str:
    return "".join(f"{k} = {v}\n" for k, v in sorted(settings.items()))
