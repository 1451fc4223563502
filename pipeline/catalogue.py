"""The whole build, read top to bottom: discover → validate → build CAD → export → render pages → site."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .cache import CadCache
from .cad import build_cad, plan_jobs
from .discover import discover
from .model import BuildReport, Problem
from .pages import render_pages
from .publish import publish_downloads
from .shard import in_shard, merge_caches
from .site import SiteError, build_site
from .siteinfo import read_site_info
from .thumbnails import render_thumbnails
from .validate import validate
from .workers import Limits


@dataclass(frozen=True)
class BuildConfig:
    root: Path
    workers: int = max(1, os.cpu_count() or 1)
    limits: Limits = field(default_factory=Limits)
    site: bool = True
    shard: tuple[int, int] | None = None  # build only this share of the variants, into the cache
    merge_caches: tuple[Path, ...] = ()  # cache folders built by shards, merged in first
    cached_only: bool = False  # assemble from the cache; a missing variant is a problem, not a build

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
    def cache_dir(self) -> Path:
        return self.root / ".cache" / "cad"

    @property
    def thumbnail_cache_dir(self) -> Path:
        return self.root / ".cache" / "thumbnails"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"


def build_catalogue(config: BuildConfig) -> BuildReport:
    report = BuildReport()
    clock = _Clock(report)
    with clock("discover and validate"):
        sources, problems = discover(config.designs_dir)
        designs, invalid = validate(sources, config.root)
        report.problems += problems + invalid
        report.designs = designs
    with clock("cad"):
        merge_caches(list(config.merge_caches), config.cache_dir)
        jobs = plan_jobs(designs)
        if config.shard:
            jobs = [job for job in jobs if in_shard(job, config.shard)]
        artifacts = build_cad(jobs, CadCache(config.cache_dir), config.root, config.workers, config.limits, report,
                              cached_only=config.cached_only)
        report.artifacts = artifacts
    if config.shard:
        return report  # a shard's work ends in the cache; the assembling build renders the site
    with clock("thumbnails"):
        pictures = render_thumbnails(artifacts, config.thumbnail_cache_dir)
    with clock("pages"):
        site = read_site_info(config.mkdocs_yml)
        published = publish_downloads(designs, artifacts, pictures, config.docs_dir, site,
                                      config.root / ".cache" / "bundles")
        render_pages(published, config.docs_dir, site)
    if config.site:
        with clock("site"):
            try:
                build_site(config.mkdocs_yml, config.site_dir, config.root / ".cache" / "templates")
            except SiteError as err:
                report.problems.append(Problem("mkdocs.yml", str(err)))
    return report


class _Clock:
    def __init__(self, report: BuildReport):
        self.report = report

    def __call__(self, stage: str) -> "_Clock":
        self.stage = stage
        return self

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.report.timings[self.stage] = time.perf_counter() - self.start
