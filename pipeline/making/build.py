"""The making stage: every way of making in METHODS, over the designs that use it, and what they write for
the whole site. The build calls these functions and names no method."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from ..built import Artifact, BuildReport
from ..fsutil import relative, replace_file
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


MethodOutcome = tuple[dict[str, MadeVariant], BuildReport]  # what a method made, by artifact key; what it reported


def making_calls(methods: Registry, artifacts: list[Artifact], config) -> dict[str, Callable[[], MethodOutcome]]:
    """Each way of making's work over the variants of the designs it makes, by name in METHODS' order: calls that
    share nothing, for the build to run in turn or side by side (catalogue.run_stages). A method no design uses is
    not even started (no slicer version asked)."""
    calls = {}
    for method in methods:
        used = [a for a in artifacts if method.uses(a.job.design)]
        if used:
            calls[method.name] = partial(_make, method, used, config)
    return calls


def _make(method: WayOfMaking, used: list[Artifact], config) -> MethodOutcome:
    reported = BuildReport()  # its own: the build adds it in METHODS' order, however the methods ran
    return method.make(used, config, reported), reported


def gather_made(outcomes: dict[str, MethodOutcome], artifacts: list[Artifact],
                report: BuildReport) -> dict[str, tuple[MadeVariant, ...]]:
    """Each variant's MadeVariants by artifact key, in METHODS' order (`outcomes`' order); each method's report
    added to the build's."""
    made: dict[str, tuple[MadeVariant, ...]] = {a.job.key: () for a in artifacts}
    for name, (results, reported) in outcomes.items():
        report.add_making(reported)
        for key, result in results.items():
            if result.method != name:  # a method's bug, not a design's: say so loudly
                raise TypeError(f"way of making {name!r} returned a MadeVariant of {result.method!r}")
            made[key] += (result,)
    return made


def write_documents(methods: Registry, published: list[PublishedDesign], docs_dir: Path, site: SiteInfo,
                    with_bom: Callable[[str, list[PublishedDesign]], str]) -> None:
    """Each method's site-wide files at the docs folder's root (published once for both languages)."""
    for method in methods:
        for name, text in method.documents(published, site).items():
            replace_file(docs_dir / name, with_bom(text, published) if name == PLANNER_DOCUMENT else text)
