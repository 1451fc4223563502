"""`python build.py check designs/<slug>`: validate and build one design, and say what came out."""
from __future__ import annotations

import ast
import time
from dataclasses import replace

from ..built import BuildReport
from ..config import BuildConfig
from ..making import register_built_in
from ..making.contract import MadeVariant
from ..reviews.collect import collect_trust
from ..source.script_check import accepted_star_imports
from ..source.translations import untranslated
from .one_design import build_design, describe_facts, design_folder, load_design


def check(config: BuildConfig, name: str, static_check: bool = True) -> tuple[str, bool]:
    """The report to print, and whether the design is ready for a pull request.

    `static_check=False` tests the operating-system wall alone: never a verdict for a pull request."""
    start = time.perf_counter()
    folder = design_folder(config, name)
    where = f"designs/{folder.name}"
    design, problems = load_design(config, folder, static_check)
    if design is None:
        return _report(where, ["not built: fix design.yaml and the script first"], [str(p) for p in problems]), False
    report = build_design(config, design)
    # its review records and print reports too: a record that no longer holds is named here, before the pull request
    collect_trust([design], report.artifacts, config, report)
    made = _made(config, report)  # a part declared cut that cannot be is named here too
    lines = _built_lines(report, time.perf_counter() - start) + _made_lines(report, made)
    lines += accepted_star_imports(ast.parse(design.script_path.read_bytes()))
    if design.slug in report.inferred_parts:
        parts = report.inferred_parts[design.slug]
        lines.append(f"parts: {parts} inferred: every variant shows one object of {parts} solids; declare "
                     f"parts: {parts} in design.yaml to have the build check that count")
    missing = untranslated(design)
    if missing:  # not a problem: the French pages show these in English, marked
        lines.append(f"{len(missing)} text(s) without French, welcome but not required: {', '.join(missing)}")
    return _report(where, lines, [str(p) for p in report.problems], static_check), report.ok


def _built_lines(report: BuildReport, seconds: float) -> list[str]:
    design = report.designs[0]
    lines = [f"{len(design.variants)} variant(s): {report.cad_jobs_run} built, "
             f"{report.cad_jobs_cached} from the cache, in {seconds:.1f} s"]
    width = max(len(v.name) for v in design.variants)
    for artifact in report.artifacts:
        lines.append(f"{artifact.job.variant.name:<{width}}  {describe_facts(artifact)}")
    return lines


def _made(config: BuildConfig, report: BuildReport) -> list[tuple[str, MadeVariant]]:
    """Each way of making the design uses, over its variants; without slicing (minutes a variant: the full build
    slices), so that `check` stays quick."""
    quick = replace(config, production=False)
    made = []
    for method in register_built_in().used_by(report.designs[0]):
        results = method.make(report.artifacts, quick, report)
        made += [(a.job.variant.name, results[a.job.key]) for a in report.artifacts if a.job.key in results]
    return made


def _made_lines(report: BuildReport, made: list[tuple[str, MadeVariant]]) -> list[str]:
    lines = []
    for variant, m in made:
        per_day = ", ".join(f"{f.machine} {f.units_per_day:.0f}" for f in m.machines)
        lines.append(f"{variant} {m.method}: {len(m.files)} file(s)" + (f"; units per day: {per_day}" if per_day else ""))
    return lines


def _report(where: str, lines: list[str], problems: list[str], static_check: bool = True) -> str:
    out = [f"{where}:"] + [f"  {line}" for line in lines]
    if problems:
        out.append(f"{len(problems)} problem(s):")
        out += [f"  {p}" for p in problems]
    elif not static_check:
        out.append(f"built with the operating-system wall alone (--skip-static-check); run `python build.py check "
                   f"{where}` without it before a pull request")
    else:
        out.append(f"OK: {where} is valid and builds; open a pull request (see CONTRIBUTING.md)")
    return "\n".join(out)
