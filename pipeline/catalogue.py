"""The whole build, read top to bottom: source → CAD → making (each way of making: printing, cutting, ...) and
pictures, side by side → reviews → publish → pages → site.

Each stage is a subpackage that imports only the shared modules (model, config,
fsutil, forking, materials, siteinfo, templating, languages, categories) and the stages before it.
The ways of making are iterated over (pipeline/making/METHODS), never named here.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from .built import Artifact, BuildReport
from .cad.build import build_cad
from .cad.cache import CadCache
from .cad.plan import plan_jobs
from .cad.shard import in_shard, merge_caches
from .config import BuildConfig
from .forking import cpu_seconds, side_by_side
from .fsutil import relative, symlinks_in, wait_for_deletions
from .making import register_built_in
from .making.build import gather_made, making_calls, method_problems, write_documents
from .model import Design, Problem
from .pages.render import render_pages
from .pictures.thumbnails import render_thumbnails
from .pictures.views import render_step_views
from .publish.bom import planner_with_bom
from .publish.catalogue_json import write_catalogue_json
from .publish.downloads import publish_downloads
from .publish.glb import GlbCompressionError, compressed_glbs
from .reviews.collect import collect_trust
from .site import SiteError, build_site
from .siteinfo import read_site_info
from .source.discover import discover
from .source.translations import untranslated
from .source.validate import validate

__all__ = ["BuildConfig", "build_catalogue"]


def build_catalogue(config: BuildConfig) -> BuildReport:
    try:
        return _build(config)
    finally:
        wait_for_deletions()


def _build(config: BuildConfig) -> BuildReport:
    report = BuildReport()
    clock = _Clock(report)
    with clock("discover and validate"):
        sources, problems = discover(config.designs_dir)
        designs, invalid = validate(sources, config.root, config.static_check)
        report.problems += problems + invalid + site_source_problems(config)
        methods = register_built_in()
        designs, unknown = method_problems(designs, methods, config.root)
        report.problems += unknown
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
    stages = making_calls(methods, artifacts, config)  # each way of making, behind its own cache
    if not config.shard:  # a shard's work ends in the caches; the assembling build renders the site
        stages["thumbnails"] = partial(_pictures, designs, artifacts, config)
    done = run_stages(stages, clock, report, shared=[*designs, *artifacts])
    made = gather_made({name: done[name] for name in methods.names() if name in done}, artifacts, report)
    if config.shard:
        return report
    with clock("reviews"):
        trust = collect_trust(designs, artifacts, config, report)
    pictures, step_pictures, picture_problems = done["thumbnails"]
    report.problems += picture_problems
    with clock("publish"):
        site = read_site_info(config.mkdocs_yml)
        artifacts, compressed = _compressed_glbs(artifacts, config, report)
        report.artifacts = artifacts
        published = publish_downloads(designs, artifacts, pictures, made, config.docs_dir, site,
                                      config.bundle_cache_dir, trust, config.downloads_host_dir, compressed,
                                      step_pictures=step_pictures, methods=methods, problems=report.problems)
        write_catalogue_json(published, config.docs_dir, site, methods)
        write_documents(methods, published, config.docs_dir, site, planner_with_bom)
    with clock("pages"):
        render_pages(published, config.docs_dir, site, methods)
    if config.site:
        with clock("site"):
            try:
                build_site(config.root, config.docs_dir, config.site_dir, site, config.template_cache_dir)
            except SiteError as err:
                report.problems.append(Problem("mkdocs.yml", str(err)))
            wait_for_deletions()  # the old trees' deletion counts in the site stage's time
    return report


def run_stages(stages: dict[str, Callable[[], Any]], clock: _Clock, report: BuildReport,
               shared: list[object]) -> dict[str, Any]:
    """What each stage returned, by name. Stages that share nothing (the ways of making, the pictures) run side by
    side, each in a forked copy of this process (forking.side_by_side), when the machine allows it: printing keeps
    both cores busy for a minute of a cold build while cutting, sewing and the pictures are seconds of one core
    each, which then cost no wall time of their own. Otherwise in turn. Each is timed as a stage of its own."""
    finished = side_by_side(stages, shared=shared)
    for name, stage in finished.items():
        clock.record(name, stage.seconds, stage.cpu_seconds)
    report.side_by_side = tuple(name for name, stage in finished.items() if stage.forked)
    return {name: stage.value for name, stage in finished.items()}


def _pictures(designs: list[Design], artifacts: list[Artifact],
              config: BuildConfig) -> tuple[dict[str, Path], dict[tuple[str, int], Path], list[Problem]]:
    """Each variant's thumbnail, each assembly step's view, and the problems of the steps VTK could not draw."""
    problems: list[Problem] = []
    pictures = render_thumbnails(artifacts, config.thumbnail_cache_dir)
    return pictures, render_step_views(designs, artifacts, config.thumbnail_cache_dir, problems, config.root), problems


SITE_SOURCES = ("pages", "overrides", "javascripts", "stylesheets", "assets")


def site_source_problems(config: BuildConfig) -> list[Problem]:
    """A symlink among the site's hand-written sources is a problem, and is never followed into the site."""
    links = [link for folder in SITE_SOURCES for link in symlinks_in(config.docs_dir / folder)]
    return [Problem(relative(link, config.root), "is a symlink; commit the file itself: the build never follows a "
                    "link out of the repository") for link in links]


def _compressed_glbs(artifacts: list[Artifact], config: BuildConfig,
                     report: BuildReport) -> tuple[list[Artifact], dict[Path, Path]]:
    """The variants to publish and their compressed GLB. A missing gltfpack is one problem naming the command that
    installs it, and every GLB is published as built (larger, still right); a GLB gltfpack cannot compress is its
    own design's problem, and that variant is not published until it can be."""
    try:
        compressed = compressed_glbs([a.file("glb") for a in artifacts], config.glb_cache_dir)
    except GlbCompressionError as err:
        report.problems.append(Problem("tools/gltf", f"{err}; the GLB files are published uncompressed"))
        return artifacts, {}
    for artifact in artifacts:
        if artifact.file("glb") not in compressed:
            report.problems.append(Problem.at("gltfpack could not compress its GLB; the variant is not published "
                                              "until it can", file=relative(artifact.job.design.script_path, config.root),
                                              design=artifact.job.design.slug, variant=artifact.job.variant.name))
    return [a for a in artifacts if a.file("glb") in compressed], compressed


class _Clock:
    def __init__(self, report: BuildReport):
        self.report = report

    def __call__(self, stage: str) -> _Clock:
        self.stage = stage
        return self

    def __enter__(self) -> None:
        self.start, self.cpu_start = time.perf_counter(), cpu_seconds()

    def __exit__(self, *exc: object) -> None:
        self.record(self.stage, time.perf_counter() - self.start, cpu_seconds() - self.cpu_start)

    def record(self, stage: str, seconds: float, cpu: float) -> None:
        """A stage's wall and CPU seconds, this process's and its finished children's (workers, renderer, gltfpack),
        or a forked copy's own when the stage ran in one."""
        self.report.timings[stage] = seconds
        self.report.cpu_timings[stage] = cpu
