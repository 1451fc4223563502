"""The reference lasers (profiles/laser-*.toml) and sheet materials (profiles/materials.toml).

Each laser file is TOML with its figures and, per material and thickness, a cutting speed with the
source it comes from; README.md beside them says how each estimate was made. A thickness between two
listed ones is cut at the speed interpolated on time per millimetre of cut (which grows with thickness);
a thinner one at the thinnest listed speed (a conservative choice), a thicker one not at all.
"""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROFILES = Path(__file__).resolve().parent / "profiles"
MATERIALS = PROFILES / "materials.toml"


@dataclass(frozen=True)
class CutSpeed:
    material: str
    thickness_mm: float
    speed_mm_s: float
    source: str


@dataclass(frozen=True)
class Laser:
    name: str  # laser-<name>.toml
    path: Path
    title: str
    title_fr: str
    power_w: float
    bed_mm: tuple[float, float]
    sheet_mm: tuple[float, float]
    margin_mm: float
    spacing_mm: float
    travel_mm_s: float
    pierce_s: float
    sheet_change_s: int
    attended_hours_per_day: float
    speeds: tuple[CutSpeed, ...]

    def speed_mm_s(self, material: str, thickness_mm: float) -> float | None:
        """Cutting speed for this sheet; None when this laser cannot cut it in one pass."""
        listed = sorted((s.thickness_mm, s.speed_mm_s) for s in self.speeds if s.material == material)
        if not listed or thickness_mm > listed[-1][0] + 1e-9:
            return None
        if thickness_mm <= listed[0][0]:
            return listed[0][1]
        for (t0, v0), (t1, v1) in zip(listed, listed[1:], strict=False):
            if t0 <= thickness_mm <= t1:
                share = (thickness_mm - t0) / (t1 - t0)
                return 1 / ((1 - share) / v0 + share / v1)
        return None

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class SheetMaterial:
    name: str
    title: str
    title_fr: str
    min_bridge_mm: float
    min_bridge_per_thickness: float
    min_slot_mm: float
    min_slot_per_thickness: float
    density_g_per_cm3: float  # for a cut part's mass

    def min_bridge(self, thickness_mm: float) -> float:
        return max(self.min_bridge_mm, self.min_bridge_per_thickness * thickness_mm)

    def min_slot(self, thickness_mm: float) -> float:
        return max(self.min_slot_mm, self.min_slot_per_thickness * thickness_mm)


def read_laser(path: Path) -> Laser:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Laser(
        name=path.stem.removeprefix("laser-"), path=path, title=data["title"], title_fr=data["title_fr"],
        power_w=float(data["power_w"]), bed_mm=tuple(data["bed_mm"]), sheet_mm=tuple(data["sheet_mm"]),
        margin_mm=float(data["margin_mm"]), spacing_mm=float(data["spacing_mm"]),
        travel_mm_s=float(data["travel_mm_s"]), pierce_s=float(data["pierce_s"]),
        sheet_change_s=round(float(data["sheet_change_minutes"]) * 60),
        attended_hours_per_day=float(data["attended_hours_per_day"]),
        speeds=tuple(CutSpeed(c["material"], float(c["thickness_mm"]), float(c["speed_mm_s"]), c["source"])
                     for c in data["cut"]),
    )


@lru_cache(maxsize=1)
def lasers() -> tuple[Laser, ...]:
    """The reference lasers, by power."""
    return tuple(sorted((read_laser(p) for p in PROFILES.glob("laser-*.toml")), key=lambda laser: laser.power_w))


@lru_cache(maxsize=1)
def materials() -> dict[str, SheetMaterial]:
    data = tomllib.loads(MATERIALS.read_text(encoding="utf-8"))
    return {name: SheetMaterial(name=name, **values) for name, values in data.items()}


def materials_digest() -> str:
    return hashlib.sha256(MATERIALS.read_bytes()).hexdigest()
