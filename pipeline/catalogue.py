"""The whole build, read top to bottom: source → CAD → reviews → pictures → publish → pages → site.

Each stage is a subpackage that imports only the shared modules (model, config,
fsutil, materials, siteinfo, templating) and the stages before it.
"""
from __future__ import annotations

import time

from .cad.build import build_cad
from .cad.cache import CadCache
from .cad.plan import plan_jobs
from .cad.shard import in_shard, merge_caches
from .config import BuildConfig
from .model import BuildReport, Problem
from .pages.render import render_pages
from .pictures.thumbnails import render_thumbnails
from .publish.downloads import publish_downloads
from .reviews.collect import collect_trust
from .site import SiteError, build_site
from .siteinfo import read_site_info
from .source.discover import discover
from .source.translations import untranslated
from .source.validate import validate

__all__ = ["BuildConfig", "build_catalogue"]


def build_catalogue(config: BuildConfig) -> BuildReport:
    report = BuildReport()
    clock = _Clock(report)
    with clock("discover and validate"):
        sources, problems = discover(config.designs_dir)
        designs, invalid = validate(sources, config.root)
        report.problems += problems + invalid
        report.designs = designs
        report.untranslated = {d.slug: paths for d in designs if (paths := untranslated(d))}
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
    with clock("reviews"):
        trust = collect_trust(designs, artifacts, config, report)
    with clock("thumbnails"):
        pictures = render_thumbnails(artifacts, config.thumbnail_cache_dir)
    with clock("pages"):
        site = read_site_info(config.mkdocs_yml)
        published = publish_downloads(designs, artifacts, pictures, config.docs_dir, site, config.bundle_cache_dir, trust)
        render_pages(published, config.docs_dir, site)
    if config.site:
        with clock("site"):
            try:
                build_site(config.root, config.docs_dir, config.site_dir, site, config.template_cache_dir)
            except SiteError as err:
                report.problems.append(Problem("mkdocs.yml", str(err)))
    return report


class _Clock:
    def __init__(self, report: BuildReport):
        self.report = report

    def __call__(self, stage: str) -> _Clock:
        self.stage = stage
        return self

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.report.timings[self.stage] = time.perf_counter() - self.start
