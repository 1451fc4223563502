"""Production stage: slice every variant's STL for every reference printer, unless the slice cache has it.

A cache entry's key hashes the STL's bytes, the profiles' bytes, the design's
print settings and the slicer's version line, so a rebuild with nothing changed
runs no slicer at all. Below the entries, every slicer run is remembered by its
inputs' content (runs/, the run memo), so that two variants or designs with the
same STL and settings are sliced once. Slices run on up to `workers` threads
(each a slicer process with its own limit); a slicer error is one problem
naming the design, variant and printer, and the other slices go on.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..built import Artifact, BuildReport
from ..cad.cache import CadCache
from ..config import BuildConfig
from ..fsutil import relative
from ..model import Problem
from ..production.records import ProductionRun
from . import profiles
from .runs import read_run, slice_on_printer, write_run
from .slicer import SLICER, RunMemo, SliceBudget, SlicerError, slicer_version

# Bump when what an entry holds, or how it is computed, changes.
SLICE_FORMAT_VERSION = "5"


class SliceCache(CadCache):
    """Content-addressed like the CAD cache; an entry is whole once its figures.json is in."""

    def lookup(self, key: str) -> Path | None:
        entry = self.entry(key)
        return entry if (entry / "figures.json").is_file() else None


@dataclass(frozen=True)
class SliceJob:
    artifact: Artifact
    printer: profiles.Printer
    material: str
    overrides: dict[str, str]
    key: str
    with_reference: bool  # the first reference printer's job slices one copy at the reference settings too

    @property
    def label(self) -> str:
        return f"{self.artifact.job.label} on {self.printer.name}"


def slice_variants(artifacts: list[Artifact], config: BuildConfig, report: BuildReport) -> dict[str, tuple[ProductionRun, ...]]:
    """Production runs per artifact key, the reference printers' order; with --cached-only a missing one is a problem."""
    cache = SliceCache(config.slice_cache_dir)
    version = _version(cache, report)
    if version is None:
        return {}
    jobs = [job for artifact in artifacts for job in plan(artifact, version)]
    done: dict[str, ProductionRun | None] = {}
    missing = []
    for job in jobs:
        entry = cache.lookup(job.key)
        if entry is not None:
            done[job.key] = read_run(entry)
        elif config.cached_only:
            report.problems.append(_problem(job, config, f"not in the slice cache (key {job.key[:12]}); "
                                              "slice it with the shard that owns the variant, or drop --cached-only"))
        else:
            missing.append(job)
    report.slices_cached = len(done)
    memo = RunMemo(cache.folder / "runs")
    budgets = {j.artifact.job.design.slug: SliceBudget(config.limits.design_slice_seconds) for j in missing}
    with ThreadPoolExecutor(max_workers=max(1, config.workers)) as pool:
        outcomes = pool.map(lambda j: _slice(j, cache, memo, version, config, budgets[j.artifact.job.design.slug]),
                            missing)
        over_budget: set[str] = set()  # a design past its slicing budget is one line, not one per job
        for job, outcome in zip(missing, outcomes, strict=True):
            slug = job.artifact.job.design.slug
            if isinstance(outcome, str) and budgets[slug].remaining() <= 0:
                if slug not in over_budget:
                    over_budget.add(slug)
                    report.problems.append(_problem(job, config, budgets[slug].exhausted().args[0]))
            elif isinstance(outcome, str):
                report.problems.append(_problem(job, config, outcome))
            else:
                runs, entry = outcome
                report.slicer_runs += runs
                done[job.key] = read_run(entry)
    by_variant: dict[str, tuple[ProductionRun, ...]] = {}
    for job in jobs:
        run = done.get(job.key)
        if run is not None:
            by_variant[job.artifact.job.key] = by_variant.get(job.artifact.job.key, ()) + (run,)
    return by_variant


def _problem(job: SliceJob, config: BuildConfig, message: str) -> Problem:
    variant = job.artifact.job
    return Problem.at(message, file=relative(variant.design.folder, config.root), design=variant.design.slug,
                      variant=variant.variant.name, printer=job.printer.name)


def plan(artifact: Artifact, version: str) -> list[SliceJob]:
    design = artifact.job.design
    material = profiles.material(design)
    overrides = profiles.design_overrides(profiles.print_settings(design))
    jobs = []
    for index, printer in enumerate(profiles.printers()):
        with_reference = index == 0  # the reference settings' copy is sliced on the first printer only
        key = slice_key(artifact, printer, material, overrides, version, with_reference)
        jobs.append(SliceJob(artifact, printer, material, overrides, key, with_reference))
    return jobs


def slice_key(artifact: Artifact, printer: profiles.Printer, material: str, overrides: dict[str, str],
              version: str, with_reference: bool) -> str:
    recipe = {
        "format": SLICE_FORMAT_VERSION,
        "stl": hashlib.sha256(artifact.file("stl").read_bytes()).hexdigest(),
        "name": artifact.job.stem,  # named inside the plate 3MF
        "parts": artifact.parts,
        "profiles": [hashlib.sha256(p.read_bytes()).hexdigest() for p in
                     (printer.profile.path, profiles.PROFILES / profiles.REFERENCE_PRINT,
                      profiles.PROFILES / profiles.FILAMENTS[material])],
        "print_settings": sorted(overrides.items()),
        "slicer": version,
        "reference": with_reference,
    }
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()


def _version(cache: SliceCache, report: BuildReport) -> str | None:
    try:
        cache.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache.folder) as workdir:
            version, runs = slicer_version(SLICER, cache.folder, Path(workdir))
    except (OSError, SlicerError) as err:
        report.problems.append(Problem(str(SLICER), f"cannot run the slicer ({err}); install it with "
                                                    "tools/system-packages (Debian's prusa-slicer)"))
        return None
    report.slicer_runs += runs
    return version


def _slice(job: SliceJob, cache: SliceCache, memo: RunMemo, version: str,
           config: BuildConfig, budget: SliceBudget | None = None) -> tuple[int, Path] | str:
    """Slice one job into a staging folder and commit it; a problem's message on failure."""
    staging = cache.staging(job.key)
    workdir = Path(tempfile.mkdtemp(prefix="slicer-", dir=staging.parent))
    try:
        run, runs = slice_on_printer(job.artifact, job.printer, job.material, job.overrides, workdir,
                                     config.limits.slice_seconds, memo, version, budget, job.with_reference)
        write_run(run, staging)
    except SlicerError as err:
        cache.discard(staging)
        return f"PrusaSlicer: {err} (profile {job.printer.profile.path.name} with the design's print_settings)"
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as err:  # an unreadable output: one problem, not a crash
        cache.discard(staging)
        return f"PrusaSlicer's output could not be read ({type(err).__name__}: {err})"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return runs, cache.commit(job.key, staging)
