"""CAD stage: build every variant's CAD model and export it, unless the cache has it.

What to rebuild is decided from cache keys before any worker starts, so a build
with nothing changed never imports CadQuery. A job's reply and files are
untrusted text and bytes: they become an Artifact only once checked here (the
facts strictly, built.Facts; the files by name, kind and size; modes set to 0644;
facts.json written by this process); anything else is that variant's problem.
"""
from __future__ import annotations

import json
import os
import shutil
import stat
import threading
from pathlib import Path
from typing import Any

from ..built import Artifact, BuildReport, Facts, FactsError, VariantJob
from ..config import MAX_DESIGN_SECONDS, MAX_JOB_SECONDS, Limits
from ..fsutil import PUBLISHED_MODE, relative, remove_tree
from ..model import Problem
from ..wall import WHAT_TO_DO, wall_unavailable
from .cache import MODEL_FILES, CadCache, script_inputs
from .checks import geometry_problems, infer_parts
from .durations import BuildDurations
from .plan import print_bed
from .pool import JobOutcome, run_jobs


def build_cad(jobs: list[VariantJob], cache: CadCache, root: Path, workers: int, limits: Limits,
              report: BuildReport, cached_only: bool = False) -> list[Artifact]:
    """Artifacts for every job that built and passed its checks; problems go to the report."""
    done: dict[str, Artifact] = {}
    to_build: dict[str, tuple[VariantJob, Path]] = {}
    for job in jobs:
        entry = cache.lookup(job.key)
        facts = _read_facts(entry) if entry is not None else None
        if facts is not None:
            done[job.key] = Artifact(job, entry, facts)
        elif cached_only:
            report.problems.append(Problem.at(f"not in the cache (key {job.key[:12]}); build it with the shard "
                                              "that owns it, or drop --cached-only",
                                              file=relative(job.design.script_path, root), design=job.design.slug,
                                              variant=job.variant.name))
        else:
            if entry is not None:
                remove_tree(entry)  # an entry whose facts.json does not read is a miss: built again
            to_build[job.key] = (job, _with_inputs(job, cache.staging(job.key)))
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
            report.peak_worker_rss_kb = max(report.peak_worker_rss_kb, _kilobytes(outcome.reply.get("peak_rss_kb")))
            try:
                if not outcome.ok:
                    report.problems.append(_script_problem(job, outcome.reply, root))
                    return
                files = staging / "export"
                facts = _accepted(outcome.reply, files, limits)
                done[job.key] = Artifact(job, cache.commit(job.key, files), facts)
            except FactsError as err:
                report.problems.append(Problem.at(f"its build answered what the build cannot accept: {err}",
                                                  file=relative(job.design.script_path, root),
                                                  design=job.design.slug, variant=job.variant.name))
            except OSError as err:
                report.problems.append(Problem(f"{relative(cache.folder, root)} [{job.label}]",
                                               f"the built files could not be stored in the cache: {err}",
                                               design=job.design.slug, variant=job.variant.name))
            finally:
                cache.discard(staging)

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


def _with_inputs(job: VariantJob, staging: Path) -> Path:
    """The design's input files copied into the script's scratch folder, where the script's relative paths
    find them (the child reads nothing of the repository itself)."""
    for path in script_inputs(job.design):
        shutil.copyfile(path, staging / "script" / path.name, follow_symlinks=False)
    return staging


def _request(job: VariantJob, staging: Path, limits: Limits) -> dict[str, Any]:
    return {
        "key": job.key,
        "source": job.design.script_path.read_text(encoding="utf-8"),  # the child cannot read designs/
        "seconds": time_limit(job, limits),
        "parameters": job.variant.parameters,
        "script_dir": str(staging / "script"),
        "export_dir": str(staging / "export"),
        "product_name": job.stem,
        "tolerance_mm": job.mesh.tolerance_mm,
        "angular_tolerance_rad": job.mesh.angular_tolerance_rad,
    }


def time_limit(job: VariantJob, limits: Limits) -> float:
    """design.yaml's build_time_limit_s when it has one (up to the cap), else the build's limit; at most the
    design's share of MAX_DESIGN_SECONDS, so that its variants together never take more."""
    asked = job.design.build_time_limit_s
    own = float(min(asked, MAX_JOB_SECONDS)) if asked else limits.job_seconds
    return min(own, MAX_DESIGN_SECONDS / max(1, len(job.design.variants)))


def _accepted(reply: dict[str, Any], files: Path, limits: Limits) -> Facts:
    """The checked facts of a reply, once the export folder holds exactly the model files, plain and 0644,
    and facts.json is written beside them (by this process, strict JSON); else FactsError."""
    shown = reply.get("facts")
    facts = Facts.from_json(shown | {"shown_objects": reply.get("shown_objects")} if isinstance(shown, dict) else shown)
    strange = _unexpected_files(files, limits.file_bytes)
    if strange:
        raise FactsError(f"left {', '.join(strange)} in its export folder")
    for name in MODEL_FILES:
        os.chmod(files / name, PUBLISHED_MODE, follow_symlinks=False)
    text = json.dumps(facts.to_json(), indent=1, sort_keys=True, allow_nan=False) + "\n"
    (files / "facts.json").write_text(text, encoding="utf-8")
    return facts


def _unexpected_files(folder: Path, most_bytes: int) -> list[str]:
    """What an entry must not hold: other names, links, anything but a plain file, a file above the size limit."""
    found = []
    for path in sorted(folder.iterdir()):
        info = path.lstat()
        if (path.name not in MODEL_FILES or not stat.S_ISREG(info.st_mode) or info.st_nlink != 1
                or info.st_size > most_bytes):
            found.append(path.name[:100])
    return found + [f"no {name}" for name in MODEL_FILES if not (folder / name).exists()]


def _kilobytes(value: Any) -> int:
    return value if type(value) is int and 0 <= value < 1 << 40 else 0


def _script_problem(job: VariantJob, reply: dict[str, Any], root: Path) -> Problem:
    line = reply.get("line")
    error = reply.get("error")
    return Problem.at(error if isinstance(error, str) else "failed", file=relative(job.design.script_path, root),
                      line=line if type(line) is int and line > 0 else None, design=job.design.slug,
                      variant=job.variant.name)


def _read_facts(entry: Path) -> Facts | None:
    """The facts stored with a cache entry; None (a miss, built again) when they do not read as facts."""
    try:
        return Facts.from_json(json.loads((entry / "facts.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, RecursionError):
        return None
