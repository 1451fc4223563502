"""What the build made: each variant's job and artifact (its files in the CAD cache), the facts measured on it
(pipeline/cad/worker/measure.py writes them, checked strictly on the way in: the one record that crosses from the
worker to the build), and the build's report. Shared: every stage after the CAD stage reads them."""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .materials import DENSITY_G_PER_CM3
from .model import Design, MeshSettings, Problem, Variant, variant_stem


class FactsError(ValueError):
    """A reply or a facts.json that is not what the measuring code writes: the variant's failure, never the build's."""


LARGEST_COUNT = 10**9  # solids, triangles, show_object calls: far above any printable part


LARGEST_SIZE = 1e9  # mm, mm³, g


@dataclass(frozen=True)
class Facts:
    """What was measured on one variant's shape and STL, by code no script ran in (pipeline/cad/worker/measure.py).

    Built only through `from_json`, which checks every field of the untrusted text strictly: the exact keys,
    their types (a bool is no number), finite numbers in range, three sizes, one mass per known material.
    """

    solids: int
    valid: bool
    volume_mm3: float
    bounding_box_mm: tuple[float, float, float]
    mass_g: dict[str, float]  # material -> grams, every material of materials.DENSITY_G_PER_CM3
    triangles: int
    watertight: bool
    winding_consistent: bool
    mesh_volume_mm3: float
    shown_objects: int  # show_object() calls: one part each, as CQ-editor shows them

    @classmethod
    def from_json(cls, data: Any) -> Facts:
        if not isinstance(data, dict):
            raise FactsError(f"facts must be an object, not {type(data).__name__}")
        names = {f.name for f in fields(cls)}
        if set(data) != names:
            raise FactsError(f"facts must have exactly the keys {', '.join(sorted(names))}")
        mass = data["mass_g"]
        if not isinstance(mass, dict) or set(mass) != set(DENSITY_G_PER_CM3):
            raise FactsError("facts.mass_g must give one mass per material")
        box = data["bounding_box_mm"]
        if not isinstance(box, list | tuple) or len(box) != 3:
            raise FactsError("facts.bounding_box_mm must be three sizes")
        return cls(
            solids=_count(data, "solids"), valid=_flag(data, "valid"), volume_mm3=_number(data, "volume_mm3", signed=True),
            bounding_box_mm=tuple(_number(dict(enumerate(box)), i, "bounding_box_mm") for i in range(3)),
            mass_g={name: _number(mass, name, "mass_g", signed=True) for name in sorted(mass)},
            triangles=_count(data, "triangles"), watertight=_flag(data, "watertight"),
            winding_consistent=_flag(data, "winding_consistent"),
            mesh_volume_mm3=_number(data, "mesh_volume_mm3", signed=True), shown_objects=_count(data, "shown_objects"),
        )

    def to_json(self) -> dict[str, Any]:
        return {f.name: list(v) if isinstance(v := getattr(self, f.name), tuple) else v for f in fields(self)}


def _count(data: dict, key: str) -> int:
    value = data[key]
    if type(value) is not int or not 0 <= value <= LARGEST_COUNT:
        raise FactsError(f"facts.{key} must be a whole number from 0 to {LARGEST_COUNT}")
    return value


def _flag(data: dict, key: str) -> bool:
    if type(data[key]) is not bool:
        raise FactsError(f"facts.{key} must be true or false")
    return data[key]


def _number(data: dict, key: Any, within: str = "", signed: bool = False) -> float:
    """A finite number (an int or a float, never a bool), at most LARGEST_SIZE; negative only when `signed`."""
    value = data[key]
    name = f"{within}[{key}]" if within else key
    if type(value) not in (int, float) or not math.isfinite(value) or abs(value) > LARGEST_SIZE \
            or (value < 0 and not signed):
        raise FactsError(f"facts.{name} must be a finite number of at most {LARGEST_SIZE:g}"
                         + ("" if signed else ", not negative"))
    return float(value)


@dataclass(frozen=True)
class VariantJob:
    """One variant to build: everything that determines its files, and their cache key."""

    design: Design
    variant: Variant
    mesh: MeshSettings
    key: str

    @property
    def label(self) -> str:
        return f"{self.design.slug}/{self.variant.name}"

    @property
    def stem(self) -> str:
        return variant_stem(self.design.slug, self.variant.name)


@dataclass(frozen=True)
class Artifact:
    """The built files of one variant, in the cache, with the facts measured on them."""

    job: VariantJob
    folder: Path  # cache entry holding model.stl, model.step, model.glb, model.3mf, facts.json
    facts: Facts

    def file(self, fmt: str) -> Path:
        return self.folder / f"model.{fmt}"

    @property
    def parts(self) -> int:
        """Separate solids it holds: design.yaml's number, else one per show_object() call."""
        return self.job.variant.parts if self.job.variant.parts is not None else self.facts.shown_objects


@dataclass
class BuildReport:
    """What a build did, for the summary line and for tests."""

    designs: list[Design] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    cad_jobs_run: int = 0
    cad_jobs_cached: int = 0
    slicer_runs: int = 0
    slices_cached: int = 0
    workers_started: int = 0
    peak_worker_rss_kb: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # wall time of each stage
    cpu_timings: dict[str, float] = field(default_factory=dict)  # CPU time, this process and its children
    side_by_side: tuple[str, ...] = ()  # the stages that ran at once, each in a forked copy (catalogue.run_stages)
    untranslated: dict[str, list[str]] = field(default_factory=dict)  # slug: free texts with no French
    inferred_parts: dict[str, int] = field(default_factory=dict)  # slug: parts counted, design.yaml declaring none

    @property
    def ok(self) -> bool:
        return not self.problems

    def add_making(self, reported: BuildReport) -> None:
        """What one way of making reported into a report of its own (making.build.gather_made): its problems
        after those already here, and its slicer counts."""
        self.problems += reported.problems
        self.slicer_runs += reported.slicer_runs
        self.slices_cached += reported.slices_cached
