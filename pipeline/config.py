"""How a build runs: the project's folders and the limits put on CAD workers, decided once by build.py."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

# The most a design may ask for with build_time_limit_s in design.yaml (the schema says the same).
MAX_JOB_SECONDS = 300
# CAD seconds all the variants of one design may take together: each variant gets this divided by their number,
# when that is below its own limit. With MAX_VARIANTS (the schema's maxItems), a design costs a build at most this.
MAX_DESIGN_SECONDS = 600
MAX_VARIANTS = 16


@dataclass(frozen=True)
class Limits:
    """What one CAD job may use; contributors' scripts are untrusted."""

    job_seconds: float = 60.0  # every variant in the catalogue builds in under 6 s; a design may ask for more
    memory_bytes: int = 4 * 1024**3
    file_bytes: int = 1024**3  # largest file a job may write (a fine STL is tens of MB)
    print_bytes: int = 1024**2  # what a script may print before it is stopped
    staging_bytes: int = 2 * 1024**3  # what one child's folder may hold (a fine STL, STEP and GLB: tens of MB)
    staging_files: int = 100  # files and folders in it (the export writes four)
    trust_scripts: bool = False  # run scripts without the operating-system wall: only for your own scripts
    slice_seconds: float = 1800.0  # one slicer run: a full plate of 48 small parts at 0.1 mm takes minutes
    design_slice_seconds: float = 1800.0  # every slicer run of one design together (production/slicer.SliceBudget)


@dataclass(frozen=True)
class BuildConfig:
    root: Path
    workers: int = max(1, os.cpu_count() or 1)
    limits: Limits = field(default_factory=Limits)
    site: bool = True
    production: bool = True  # slice every variant for the production figures (minutes cold); tests of other stages skip it
    shard: tuple[int, int] | None = None  # build only this share of the variants, into the cache
    merge_caches: tuple[Path, ...] = ()  # cache folders built by shards, merged in first
    cached_only: bool = False  # assemble from the cache; a missing variant is a problem, not a build
    slice_cache: Path | None = None  # where slicer results are kept, when not .cache/slices (tests share one)
    static_check: bool = True  # False (--skip-static-check): scripts meet only the operating-system wall, to test it

    @property
    def designs_dir(self) -> Path:
        return self.root / "designs"

    @property
    def docs_dir(self) -> Path:
        return self.root / "catalogue"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def downloads_host_dir(self) -> Path:
        """The large downloads laid out for the download host (mkdocs.yml's extra.downloads_url), when one is set."""
        return self.root / "downloads-host"

    @property
    def cache_root(self) -> Path:
        return self.root / ".cache"

    @property
    def cache_dir(self) -> Path:
        return self.cache_root / "cad"

    @property
    def thumbnail_cache_dir(self) -> Path:
        return self.cache_root / "thumbnails"

    @property
    def bundle_cache_dir(self) -> Path:
        return self.cache_root / "bundles"

    @property
    def glb_cache_dir(self) -> Path:
        return self.cache_root / "glb"

    @property
    def slice_cache_dir(self) -> Path:
        return self.slice_cache or self.cache_root / "slices"

    @property
    def cutting_cache_dir(self) -> Path:
        """Outlines read from STEP files, 2D drawings and cut figures, by content (pipeline/cutting)."""
        return self.cache_root / "cutting"

    @property
    def template_cache_dir(self) -> Path:
        return self.cache_root / "templates"

    @property
    def reviews_dir(self) -> Path:
        return self.root / "reviews"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def review_script_dir(self) -> Path:
        """Scripts as they were at a reviewed commit, by SHA-256: what the CAD cache keys on and workers run."""
        return self.cache_root / "review-scripts"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"
