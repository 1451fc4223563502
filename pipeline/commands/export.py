"""`python build.py export designs/<slug> -p name=value ...`: a maker's own size, as STL and STEP.

The values are range-checked against design.yaml, the variant is built through
the same cache and workers as the catalogue, and the files are copied into the
output folder by rename (never half-written).
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from ..built import VariantJob
from ..cad.plan import variant_job
from ..config import BuildConfig
from ..model import Design, Parameter, ParameterValue, Problem, Variant
from ..publish.facts import command_value
from ..source.validate import value_problems
from .one_design import CommandError, build_jobs, describe_facts, design_folder, load_design

FORMATS = ("stl", "step")


@dataclass(frozen=True)
class Exported:
    files: list[Path]
    facts: str


def export(config: BuildConfig, name: str, assignments: list[str], variant: str | None,
           out_dir: Path) -> tuple[Exported | None, list[Problem]]:
    design, problems = load_design(config, design_folder(config, name))
    if design is None:
        return None, problems
    job = _custom_job(design, _base_variant(design, variant), parse_assignments(design, assignments))
    report = build_jobs(config, [job])
    if not report.ok:
        return None, report.problems
    [artifact] = report.artifacts
    stem = job.stem
    files = [_place(artifact.file(fmt), out_dir / f"{stem}.{fmt}") for fmt in FORMATS]
    return Exported(files, describe_facts(artifact)), []


def parse_assignments(design: Design, assignments: list[str]) -> dict[str, ParameterValue]:
    """`-p name=value` options as numbers, each checked against the parameter's range."""
    by_name = {p.name: p for p in design.parameters}
    values: dict[str, ParameterValue] = {}
    for text in assignments:
        name, sep, raw = text.partition("=")
        name = name.strip()
        if not sep:
            example = f"{design.parameters[0].name}={command_value(design.parameters[0].default)}" if design.parameters else "name=value"
            raise CommandError(f"-p {text}: expected name=value, e.g. -p {example}")
        if name not in by_name:
            raise CommandError(f"-p {text}: {design.slug} has no parameter {name!r}; its parameters: {', '.join(sorted(by_name)) or '(none)'}")
        value = _value(by_name[name], raw, text)
        problems = value_problems(by_name[name], value, f"-p {name}")
        if problems:
            raise CommandError(str(problems[0]))
        values[name] = value
    return values


BOOLEAN_WORDS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _value(param: Parameter, raw: str, text: str) -> ParameterValue:
    """The typed value of `-p name=raw`, by the parameter's kind."""
    if param.kind == "string":
        return raw
    if param.kind == "boolean":
        if raw.strip().lower() not in BOOLEAN_WORDS:
            raise CommandError(f"-p {text}: {raw!r} is not true or false; {param.name} is a boolean")
        return BOOLEAN_WORDS[raw.strip().lower()]
    try:
        value = float(raw)
    except ValueError:
        raise CommandError(f"-p {text}: {raw!r} is not a number; give {param.name} in {param.unit}") from None
    return int(value) if value.is_integer() else value


def _base_variant(design: Design, name: str | None) -> Variant:
    if name is None:
        return design.variants[0]
    for variant in design.variants:
        if variant.name == name:
            return variant
    raise CommandError(f"--variant {name}: {design.slug} has no such variant; its variants: {', '.join(v.name for v in design.variants)}")


def _custom_job(design: Design, base: Variant, overrides: dict[str, float]) -> VariantJob:
    """The values asked for: a named variant when they are exactly one's (its files are then in the cache)."""
    values = base.parameters | overrides
    named = next((v for v in design.variants if v.parameters == values), None)
    if named is not None:
        variant = named
    else:
        changed = {k: v for k, v in overrides.items() if v != base.parameters[k]}
        suffix = "".join(f"-{k.replace('_', '').lower()}{_name_part(v)}" for k, v in sorted(changed.items()))
        variant = replace(base, name=base.name + suffix, parameters=values, parts=design.parts_for(values))
    return variant_job(design, variant)


def _name_part(value: ParameterValue) -> str:
    """A value as it may appear in a file name."""
    return "".join(c if c.isalnum() or c in ".-" else "_" for c in command_value(value))


def _place(source: Path, target: Path) -> Path:
    """Copy into a hidden temporary beside `target`, then rename over it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)
    return target
