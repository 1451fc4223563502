"""Find, validate and build a single design, for the check and export commands.

A design is named on the command line by its folder (`designs/<slug>`) or its
slug; either must resolve to a real folder directly inside designs/.
"""
from __future__ import annotations

from pathlib import Path

from ..built import Artifact, BuildReport, VariantJob
from ..cad.build import build_cad
from ..cad.cache import CadCache
from ..cad.plan import plan_jobs
from ..config import BuildConfig
from ..model import Design, Problem
from ..source.discover import METADATA_FILE, discover
from ..source.validate import validate_design


class CommandError(Exception):
    """A problem with what was typed on the command line: one line, with the fix."""


def design_folder(config: BuildConfig, name: str) -> Path:
    """The folder designs/<slug> that `name` names; refuses anything outside designs/ or a symlink."""
    designs = config.designs_dir.resolve()
    given = Path(name)
    if given.is_absolute():
        candidate = given
    elif given.parent == Path("."):  # a bare slug
        candidate = designs / given
    else:  # a path, from the current folder or else from the project root
        candidate = Path.cwd() / given if (Path.cwd() / given).exists() else config.root / given
    if candidate.is_symlink():
        raise CommandError(f"{name}: is a symlink; a design must be a real folder inside designs/")
    folder = candidate.resolve()
    if folder.parent != designs:
        raise CommandError(f"{name}: is not a folder directly inside {designs}; give designs/<slug>")
    if not (folder / METADATA_FILE).is_file():
        raise CommandError(f"{name}: has no {METADATA_FILE}; create one with `python build.py new <slug>`")
    return folder


def load_design(config: BuildConfig, folder: Path, static_check: bool = True) -> tuple[Design | None, list[Problem]]:
    """The validated design in `folder`, checked against the whole catalogue (for duplicate ids)."""
    sources, found = discover(config.designs_dir)
    mine = [p for p in found if p.design == folder.name]
    source = next((s for s in sources if s.slug == folder.name), None)
    if source is None:
        return None, mine
    design, problems = validate_design(source, config.root, frozenset(s.slug for s in sources), static_check)
    return design, mine + problems


def build_jobs(config: BuildConfig, jobs: list[VariantJob]) -> BuildReport:
    """Build `jobs` through the cache, exactly as the full build does."""
    report = BuildReport()
    report.artifacts = build_cad(jobs, CadCache(config.cache_dir), config.root, config.workers, config.limits, report)
    return report


def build_design(config: BuildConfig, design: Design) -> BuildReport:
    report = build_jobs(config, plan_jobs([design]))
    report.designs = [design]
    return report


def describe_facts(artifact: Artifact) -> str:
    facts = artifact.facts
    size = " × ".join(f"{round(v, 1):g}" for v in facts.bounding_box_mm)
    tight = "watertight" if facts.watertight else "NOT watertight"
    return (f"{size} mm, {facts.volume_mm3 / 1000:.2f} cm³, {facts.solids} solid(s), "
            f"{facts.triangles} triangles, {tight}")
