"""CAD stage: build every variant's CAD model and export it, unless the cache has it.

What to rebuild is decided from cache keys before any worker starts, so a build
with nothing changed never imports CadQuery.
"""
from __future__ import annotations

import json
import stat
import threading
from pathlib import Path
from typing import Any

from ..config import MAX_JOB_SECONDS, Limits
from ..fsutil import relative
from ..model import Artifact, BuildReport, Problem, VariantJob
from .cache import ENTRY_FILES, CadCache
from .checks import geometry_problems, infer_parts
from .durations import BuildDurations
from .plan import print_bed
from .worker.wall import WHAT_TO_DO, wall_unavailable
from .workers import JobOutcome, run_jobs


def build_cad(jobs: list[VariantJob], cache: CadCache, root: Path, workers: int, limits: Limits,
              report: BuildReport, cached_only: bool = False) -> list[Artifact]:
    """Artifacts for every job that built and passed its checks; problems go to the report."""
    done: dict[str, Artifact] = {}
    to_build: dict[str, tuple[VariantJob, Path]] = {}
    for job in jobs:
        entry = cache.lookup(job.key)
        if entry is not None:
            done[job.key] = Artifact(job, entry, _read_facts(entry))
        elif cached_only:
            report.problems.append(Problem.at(f"not in the cache (key {job.key[:12]}); build it with the shard "
                                              "that owns it, or drop --cached-only",
                                              file=relative(job.design.script_path, root), design=job.design.slug,
                                              variant=job.variant.name))
        else:
            to_build[job.key] = (job, cache.staging(job.key))
    report.cad_jobs_cached = len(done)
    if to_build and not limits.trust_scripts and (why := wall_unavailable()):
        report.problems.append(Problem("CAD stage", f"refused to run {len(to_build)} design script(s) without the "
                                                    f"operating-system wall: {why}; {WHAT_TO_DO}"))
        for _, staging in to_build.values():
            cache.discard(staging)
        to_build = {}
    report.cad_jobs_run = len(to_build)
    lock = threading.Lock()
    durations = BuildDurations(cache.folder / "durations.json")

    def finished(request: dict[str, Any], outcome: JobOutcome) -> None:
        job, staging = to_build[request["key"]]
        durations.finished(job)
        with lock:
            report.peak_worker_rss_kb = max(report.peak_worker_rss_kb, outcome.reply.get("peak_rss_kb", 0))
            strange = _unexpected_files(staging) if outcome.ok else []
            if strange:
                outcome = JobOutcome(False, {"error": f"left {', '.join(strange)} in its staging folder; a design "
                                                      "script writes no file (the build exports what it shows)"})
            if outcome.ok:
                try:
                    done[job.key] = Artifact(job, cache.commit(job.key, staging), outcome.reply["facts"])
                except OSError as err:
                    report.problems.append(Problem(f"{relative(cache.folder, root)} [{job.label}]",
                                                   f"the built files could not be stored in the cache: {err}",
                                                   design=job.design.slug, variant=job.variant.name))
            else:
                cache.discard(staging)
                report.problems.append(_script_problem(job, outcome.reply, root))

    order = durations.longest_first([job for job, _ in to_build.values()])
    requests = [_request(job, to_build[job.key][1], limits) for job in order]
    durations.started(order, workers)
    report.workers_started = run_jobs(requests, workers, cache.scratch, limits, finished)
    if to_build:
        durations.save()
    artifacts, inferred = infer_parts([done[job.key] for job in jobs if job.key in done])
    report.inferred_parts |= inferred
    passed = []
    for artifact in artifacts:
        problems = geometry_problems(artifact.facts, artifact.job.variant.parts, print_bed(artifact.job.design))
        job = artifact.job
        report.problems += [Problem.at(message, file=relative(job.design.script_path, root), design=job.design.slug,
                                       variant=job.variant.name) for message in problems]
        if not problems:
            passed.append(artifact)
    return passed


def _request(job: VariantJob, staging: Path, limits: Limits) -> dict[str, Any]:
    return {
        "key": job.key,
        "source": job.design.script_path.read_text(encoding="utf-8"),  # the child cannot read designs/
        "seconds": time_limit(job, limits),
        "parameters": job.variant.parameters,
        "out_dir": str(staging),
        "product_name": job.stem,
        "tolerance_mm": job.mesh.tolerance_mm,
        "angular_tolerance_rad": job.mesh.angular_tolerance_rad,
    }


def time_limit(job: VariantJob, limits: Limits) -> float:
    """design.yaml's build_time_limit_s when it has one (up to the cap), else the build's limit."""
    asked = job.design.build_time_limit_s
    return float(min(asked, MAX_JOB_SECONDS)) if asked else limits.job_seconds


def _unexpected_files(staging: Path) -> list[str]:
    """What a published entry must not hold: other names, links, anything but a plain file."""
    found = []
    for path in sorted(staging.iterdir()):
        info = path.lstat()
        if path.name not in ENTRY_FILES or not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            found.append(path.name)
    return found + [f"no {name}" for name in ENTRY_FILES if not (staging / name).exists()]


def _script_problem(job: VariantJob, reply: dict[str, Any], root: Path) -> Problem:
    return Problem.at(reply.get("error", "failed"), file=relative(job.design.script_path, root),
                      line=reply.get("line") or None, design=job.design.slug, variant=job.variant.name)


def _read_facts(entry: Path) -> dict[str, Any]:
    return json.loads((entry / "facts.json").read_text(encoding="utf-8"))
