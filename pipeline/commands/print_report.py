"""`python build.py report designs/<slug> --variant <name>`: the print report a maker fills in.

The design is built through the cache (instant when it is), so the report
carries the SHA-256 of the files the site publishes now; the maker fills in
each `FILL IN` and sends the file by pull request.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
from pathlib import Path

from ..built import Artifact
from ..cad.plan import plan_jobs
from ..config import BuildConfig
from ..model import Design, Problem
from .one_design import CommandError, build_jobs, design_folder, load_design

FORMATS = ("stl", "3mf", "step")  # what a slicer takes, the usual one first


def write_print_report_form(config: BuildConfig, name: str, variant: str | None,
                      today: datetime.date | None = None) -> tuple[Path | None, list[Problem]]:
    root = config.root
    design, problems = load_design(config, design_folder(config, name))
    if design is None:
        return None, problems
    if design.print_settings is None:
        raise CommandError(f"{design.slug} is not printed (design.yaml's made_by: {', '.join(design.made_by)}); "
                           "a print report is for a printed design")
    jobs = [j for j in plan_jobs([design]) if j.variant.name == (variant or design.variants[0].name)]
    if not jobs:
        raise CommandError(f"--variant {variant}: {design.slug} has no such variant; its variants: "
                           f"{', '.join(v.name for v in design.variants)}")
    built = build_jobs(config, jobs)
    if not built.ok:
        return None, built.problems
    date = (today or datetime.date.today()).isoformat()
    target = root / "reports" / design.slug / f"{date}-{jobs[0].variant.name}-your-name.yaml"
    if target.exists():
        raise CommandError(f"{target.relative_to(root)}: already exists; fill it in, or rename it first")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    partial.write_text(print_report_form(design, built.artifacts[0], date), encoding="utf-8")
    os.replace(partial, target)
    return target, []


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def print_report_form(design: Design, artifact: Artifact, date: str) -> str:
    variant = artifact.job.variant.name
    files = [(f"{artifact.job.stem}.{fmt}", hashlib.sha256(artifact.file(fmt).read_bytes()).hexdigest())
             for fmt in FORMATS]
    settings = design.print_settings
    return "\n".join([
        "# yaml-language-server: $schema=../../schema/report.schema.json",
        f"# A print report for {design.slug}, variant {variant}. Replace every FILL IN, rename the file",
        "# <date>-<your-name>.yaml, and send it by pull request (see CONTRIBUTING.md, \"Reviews and print reports\").",
        "maker:",
        f"  name: {_q('FILL IN: your name or your lab’s')}",
        "  # url: https://...  (optional: a page about you or your lab)",
        f"date: {_q(date)}",
        f"variant: {variant}",
        "printed_file:  # the file you printed, as published today; printed another one? use its line below",
        f"  name: {files[0][0]}",
        f"  sha256: {_q(files[0][1])}",
        *[f"  # name: {n}  sha256: {h}" for n, h in files[1:]],
        f"printer: {_q('FILL IN: make and model, e.g. Prusa i3 MK3S')}",
        f"slicer: {_q('FILL IN: name and version, e.g. PrusaSlicer 2.5.0')}",
        f"material: {_q('FILL IN: e.g. PETG, brand')}",
        "settings:  # what you used (the design's recommended values are filled in)",
        f"  nozzle_mm: {settings.nozzle_mm}",
        f"  layer_height_mm: {settings.layer_height_mm}",
        f"  perimeters: {settings.perimeters}",
        f"  infill_percent: {settings.infill_percent}",
        f"result: {_q('FILL IN: worked, needed-changes or failed')}",
        f"notes: {_q('FILL IN: what had to change, or why it failed (remove this line if it simply worked)')}",
        "# photo:  (optional) a JPEG or PNG of at most 500 kB next to this file; the build removes its metadata",
        "#   file: 2026-05-01-your-name.jpg",
        "#   alt: what the photo shows, for readers who cannot see it",
        "",
    ])
