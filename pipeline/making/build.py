"""The making stage: every way of making in METHODS, over the designs that use it, and what they write for
the whole site. The build calls these three functions and names no method."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import partial
from pathlib import Path
from typing import Protocol

from ..built import Artifact, BuildReport
from ..forking import can_fork, side_by_side
from ..fsutil import relative, replace_file, wait_for_deletions
from ..making.records import PublishedDesign
from ..model import Design, Problem
from ..siteinfo import SiteInfo
from .contract import MadeVariant, Registry, WayOfMaking

# The document the planner page reads first (catalogue/javascripts/planner.js): every published design, to which
# the core adds each variant's bill of materials.
PLANNER_DOCUMENT = "production.json"


def method_problems(designs: list[Design], methods: Registry, root: Path) -> tuple[list[Design], list[Problem]]:
    """The designs whose made_by names only known methods, and one problem per design that names another."""
    kept, problems = [], []
    for design in designs:
        unknown = [name for name in design.made_by if name not in methods]
        if unknown:
            problems.append(Problem.at(f"made_by: {', '.join(map(repr, unknown))} is no way of making this build "
                                       f"knows; known: {', '.join(methods.names())}",
                                       file=relative(design.folder / "design.yaml", root), design=design.slug))
        else:
            kept.append(design)
    return kept, problems


def make_all(methods: Registry, artifacts: list[Artifact], config, report: BuildReport,
             clock: Clock) -> dict[str, tuple[MadeVariant, ...]]:
    """Each variant's MadeVariants by artifact key, in METHODS' order; each method timed as a stage of its own.

    The methods run side by side, each in a forked copy of this process, when the machine allows it
    (forking.can_fork): printing keeps both cores busy for a minute of a cold build while cutting and sewing are
    seconds of one core each, which then cost no wall time of their own. Each method reports into a fresh report,
    added to the build's in METHODS' order, so problems and figures are the same either way."""
    work = {method.name: (method, used) for method in methods
            if (used := [a for a in artifacts if method.uses(a.job.design)])}  # unused: not even started
    wait_for_deletions()  # no thread of ours runs when the process forks
    if len(work) > 1 and can_fork():
        finished = side_by_side({name: partial(_make, method, used, config) for name, (method, used) in work.items()})
        for name, done in finished.items():
            clock.record(name, done.seconds, done.cpu_seconds)
        outcomes = {name: done.value for name, done in finished.items()}
    else:
        outcomes = {}
        for name, (method, used) in work.items():
            with clock(name):
                outcomes[name] = _make(method, used, config)
    made: dict[str, tuple[MadeVariant, ...]] = {a.job.key: () for a in artifacts}
    for name, (results, reported) in outcomes.items():
        report.add_making(reported)
        for key, result in results.items():
            if result.method != name:  # a method's bug, not a design's: say so loudly
                raise TypeError(f"way of making {name!r} returned a MadeVariant of {result.method!r}")
            made[key] += (result,)
    return made


def _make(method: WayOfMaking, used: list[Artifact], config) -> tuple[dict[str, MadeVariant], BuildReport]:
    reported = BuildReport()
    return method.make(used, config, reported), reported


class Clock(Protocol):
    """The build's stage clock (catalogue._Clock): times a `with` block, or records a stage timed elsewhere."""

    def __call__(self, stage: str) -> AbstractContextManager: ...

    def record(self, stage: str, seconds: float, cpu_seconds: float) -> None: ...


def write_documents(methods: Registry, published: list[PublishedDesign], docs_dir: Path, site: SiteInfo,
                    with_bom: Callable[[str, list[PublishedDesign]], str]) -> None:
    """Each method's site-wide files at the docs folder's root (published once for both languages)."""
    for method in methods:
        for name, text in method.documents(published, site).items():
            replace_file(docs_dir / name, with_bom(text, published) if name == PLANNER_DOCUMENT else text)
