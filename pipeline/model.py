"""Plain data handed from stage to stage."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, phrased for the person who can fix it."""

    where: str  # "designs/x/design.yaml: parameters.width.max" or "designs/x/x.py:12"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class DesignSource:
    """A folder under designs/ as found on disk, not yet read."""

    slug: str
    folder: Path
    metadata_path: Path


@dataclass(frozen=True)
class Parameter:
    name: str
    default: float
    unit: str
    min: float
    max: float
    description: str
    integer: bool = False


@dataclass(frozen=True)
class Variant:
    name: str
    description: str
    parameters: dict[str, float]  # every parameter, defaults filled in
    parts: int = 1  # separate solids it must show (a stack of N parts: N)


@dataclass(frozen=True)
class Design:
    slug: str
    folder: Path
    script_path: Path
    metadata: dict[str, Any]  # the validated design.yaml
    parameters: tuple[Parameter, ...]
    variants: tuple[Variant, ...]

    @property
    def title(self) -> str:
        return self.metadata["title"]["en"]


@dataclass(frozen=True)
class MeshSettings:
    tolerance_mm: float
    angular_tolerance_rad: float


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


@dataclass(frozen=True)
class Artifact:
    """The built files of one variant, in the cache, with the facts measured on them."""

    job: VariantJob
    folder: Path  # cache entry holding model.stl, model.step, facts.json
    facts: dict[str, Any]

    def file(self, fmt: str) -> Path:
        return self.folder / f"model.{fmt}"


@dataclass(frozen=True)
class Download:
    """One published file."""

    path: str  # relative to the docs folder: downloads/<slug>/<name>
    size: int
    sha256: str

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def format(self) -> str:
        return self.name.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class PublishedVariant:
    artifact: Artifact
    files: tuple[Download, ...]  # one per FORMATS, in that order
    picture: Download


@dataclass(frozen=True)
class PublishedDesign:
    design: Design
    variants: tuple[PublishedVariant, ...]
    script: Download
    checksums: Download
    bundle: Download
    manifest: Download  # okh.toml



@dataclass
class BuildReport:
    """What a build did, for the summary line and for tests."""

    designs: list[Design] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    cad_jobs_run: int = 0
    cad_jobs_cached: int = 0
    workers_started: int = 0
    peak_worker_rss_kb: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems
