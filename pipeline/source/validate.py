"""Source stage: read each design.yaml, check it against the schema and against its script.

Every problem names the file, the line where known, the field, and what is allowed.
"""
from __future__ import annotations

import ast
import json
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from ..fsutil import relative, symlinks_in
from ..model import Design, Parameter, ParameterValue, Problem, Text, Variant
from ..shown_text import contributed, text_only_problem
from .bom import bom_problems
from .discover import DesignSource
from .licences import lineage_problems
from .rules import RuleError, evaluate, names_in, parse_rule
from .script_check import check_script
from .tag_names import tag_names, with_tag_names
from .typed import typed_design
from .yaml_file import MAX_YAML_BYTES, line_of, load_yaml_file, schema_problems

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "design.schema.json"
MAX_METADATA_BYTES = MAX_YAML_BYTES  # design.yaml, as any YAML file of the catalogue
MAX_SCRIPT_BYTES = 256 * 1024


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(sources: list[DesignSource], root: Path, static_check: bool = True) -> tuple[list[Design], list[Problem]]:
    designs: list[Design] = []
    problems: list[Problem] = []
    slugs = frozenset(source.slug for source in sources)
    problems += tag_names(root)[1]  # named once; the designs still build, their tags in English
    for source in sources:
        try:
            design, found = validate_design(source, root, slugs, static_check)
        except Exception as err:  # noqa: BLE001 — one design's failure, whatever it is, is that design's problem
            design, found = None, [_unexpected(source, root, err)]
        problems.extend(found)
        if design is not None:
            designs.append(design)
    return designs, problems


def _unexpected(source: DesignSource, root: Path, err: BaseException) -> Problem:
    return Problem(relative(source.metadata_path, root), f"could not be checked ({type(err).__name__}: "
                   f"{str(err)[:200]}); the other designs still build. This is a bug of the build: please report it "
                   "with this design.yaml", design=source.slug)


def validate_design(source: DesignSource, root: Path, slugs: frozenset[str] = frozenset(),
                    static_check: bool = True) -> tuple[Design | None, list[Problem]]:
    """`slugs`: every design folder of the catalogue, so that a duplicate id names the design it collides with.
    `static_check=False` (`--skip-static-check`) leaves the script to the operating-system wall alone."""
    where = relative(source.metadata_path, root)
    links = symlinks_in(source.folder)
    if links:  # LICENSE -> /proc/self/environ would be published in the zip; a photo could be any file
        return None, [Problem.at("is a symlink; commit the file itself: the build never follows a link out of "
                                 "the design's folder", file=relative(link, root), design=source.slug) for link in links]
    node, data, problem = load_yaml_file(source.metadata_path, where)
    if problem:
        return None, [problem]
    problems = schema_problems(data, node, where, _validator())
    if problems:
        return None, problems
    problems = _check_identity(source, data, where, slugs) + lineage_problems(data, where)
    script_path = source.folder / data["script"]
    script_params, found = _script_parameters(script_path, source.folder, root, static_check)
    if found:
        return None, problems + found
    parameters = _parameters(data, where, script_params, problems)
    variants = _variants(data, node, where, parameters, problems)
    if problems:
        return None, problems
    problems = _parts_problems(data, where, parameters) + _cutting_problems(data, where, parameters)
    if problems:
        return None, problems
    design = typed_design(data, source.slug, source.folder, script_path, parameters, variants)
    design = replace(design, variants=tuple(replace(v, parts=design.parts_for(v.parameters)) for v in variants))
    design = with_tag_names(design, tag_names(root)[0])
    problems = _title_problems(design, node, where) + _rule_problems(design, node, where) + \
        bom_problems(design, node, where)
    return (None, problems) if problems else (design, [])


def _title_problems(design: Design, node: Any, where: str) -> list[Problem]:
    """The title reaches Material's navigation, Tags page and search results, which print it as HTML: text only."""
    texts = [("title", design.title.en)] + ([("title.fr", design.title.fr)] if design.title.fr else [])
    return [Problem(f"{where}:{line_of(node, ['title'])}: {field}", f"{problem}; write it as plain words")
            for field, text in texts if (problem := text_only_problem(text))]


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load_schema())


def _check_identity(source: DesignSource, data: dict[str, Any], where: str, slugs: frozenset[str]) -> list[Problem]:
    if data["id"] != source.slug and data["id"] in slugs:
        return [Problem(f"{where}: id", f"{data['id']!r} is already the id of designs/{data['id']}; ids are unique: set id: {source.slug} (the folder name)")]
    if data["id"] != source.slug:
        return [Problem(f"{where}: id", f"{data['id']!r} differs from the folder name {source.slug!r}; they must be equal")]
    return []


def _script_parameters(script: Path, folder: Path, root: Path,
                       static_check: bool = True) -> tuple[dict[str, ParameterValue], list[Problem]]:
    """The script's top-level parameter assignments, read with `ast` without running it.

    The script is also checked statically (script_check): a refused script never reaches a worker.
    """
    where = relative(script, root)
    if script.is_symlink() or not script.is_file():
        return {}, [Problem(where, "missing or a symlink; the script must be a file in the design's folder")]
    if script.resolve().parent != folder.resolve():
        return {}, [Problem(where, "is outside the design's folder; put the script next to design.yaml")]
    size = script.stat().st_size
    if size > MAX_SCRIPT_BYTES:
        return {}, [Problem(where, f"is {size} bytes; the limit is {MAX_SCRIPT_BYTES}; a design script describes geometry, not data")]
    raw = script.read_bytes()
    try:
        tree = ast.parse(raw, filename=where)
    except SyntaxError as err:
        return {}, [Problem.at(f"syntax error: {err.msg}", file=where, line=err.lineno, design=folder.name)]
    refusals = check_script(tree) if static_check else []
    if refusals:
        return {}, [Problem.at(r.message, file=where, line=r.line, design=folder.name) for r in refusals]
    return script_parameters(tree), []


def script_parameters(tree: ast.Module) -> dict[str, ParameterValue]:
    """What CQGI takes as parameters: top-level `name = <number, True/False or string>`; the last of a name wins, as in CQGI."""
    found: dict[str, ParameterValue] = {}
    for stmt in tree.body:
        if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                and isinstance(stmt.value, ast.Constant) and type(stmt.value.value) in (int, float, bool, str)):
            found[stmt.targets[0].id] = stmt.value.value
    return found


KIND_OF_VALUE = {bool: "boolean", str: "string", int: "number", float: "number"}


def _parameters(data: dict[str, Any], where: str, script_params: dict[str, ParameterValue],
                problems: list[Problem]) -> tuple[Parameter, ...]:
    script = data["script"]
    declared = data["parameters"]
    for name in sorted(set(script_params) - set(declared)):
        if not name.isupper():  # UPPER_CASE names are fixed constants by convention
            problems.append(Problem(f"{where}: parameters", f"the script {script} sets parameter {name!r} = {script_params[name]!r} but design.yaml does not declare it; add it (a number with its unit and range, a boolean, or a string with its choices), or name it in UPPER_CASE if it is a fixed constant"))
    result = []
    for name, spec in declared.items():
        at = f"{where}: parameters.{name}"
        if name not in script_params:
            problems.append(Problem(at, f"the script {script} has no top-level assignment `{name} = <value>`; declare it there or remove it here"))
            continue
        param = _parameter(name, spec)
        given = KIND_OF_VALUE[type(script_params[name])]
        if given != param.kind:
            problems.append(Problem(f"{at}.type", f"the script's {name} = {script_params[name]!r} is a {given}, but design.yaml declares a {param.kind}; write type: {given}"))
            continue
        if spec["default"] != script_params[name]:
            problems.append(Problem(f"{at}.default", f"{spec['default']!r} differs from the script's {name} = {script_params[name]!r}; make them equal"))
        if param.kind == "number" and spec["min"] > spec["max"]:
            problems.append(Problem(f"{at}.min", f"{spec['min']} is above max {spec['max']}"))
        problems.extend(_range_problems(param, spec["default"], f"{at}.default"))
        result.append(param)
    return tuple(result)


def _parameter(name: str, spec: dict[str, Any]) -> Parameter:
    """design.yaml's declaration of one parameter, of any kind (the one place that reads it)."""
    kind = spec.get("type", "number")
    spec = {**spec, "description": contributed(spec["description"]), "label": contributed(spec.get("label", "")),
            "choices": contributed(spec.get("choices", []))}  # shown on the page: the contributor's text
    if kind == "number":
        return Parameter(name, spec["default"], spec["unit"], spec["min"], spec["max"], Text.of(spec["description"]),
                         spec.get("integer", False), label=spec["label"])
    return Parameter(name, spec["default"], "", None, None, Text.of(spec["description"]), kind=kind,
                     choices=tuple(spec["choices"]), label=spec["label"])


def value_problems(param: Parameter, value: ParameterValue, at: str) -> list[Problem]:
    """Whether `value` is allowed for `param` (also used for values given on the command line)."""
    return _range_problems(param, value, at)


def _range_problems(param: Parameter, value: ParameterValue, at: str) -> list[Problem]:
    if param.kind == "boolean":
        return [] if isinstance(value, bool) else [Problem(at, f"{value!r} is not true or false; {param.name} is a boolean")]
    if param.kind == "string":
        if value in param.choices:
            return []
        return [Problem(at, f"{value!r} is not an allowed value of {param.name}; allowed: {', '.join(param.choices)}")]
    if isinstance(value, (bool, str)):
        return [Problem(at, f"{value!r} is not a number; {param.name} is a number in {param.unit}")]
    allowed = f"allowed: {param.min} to {param.max} {param.unit}"
    if value < param.min:
        return [Problem(at, f"{value} is below the minimum of {param.name}; {allowed}")]
    if value > param.max:
        return [Problem(at, f"{value} is above the maximum of {param.name}; {allowed}")]
    if param.integer and value != int(value):
        return [Problem(at, f"{value} is not a whole number; {param.name} is a count")]
    return []


def _variants(data: dict[str, Any], node: Any, where: str, parameters: tuple[Parameter, ...], problems: list[Problem]) -> tuple[Variant, ...]:
    by_name = {p.name: p for p in parameters}
    defaults = {p.name: p.default for p in parameters}
    variants, seen = [], set()
    for index, spec in enumerate(data["variants"]):
        found: list[Problem] = []
        at = f"variants[{index}] ({spec['name']})"
        if spec["name"] in seen:
            found.append(Problem(at, f"variant name {spec['name']!r} is used twice; names must be unique"))
        seen.add(spec["name"])
        values = dict(defaults)
        for name, value in spec.get("parameters", {}).items():
            if name not in by_name:
                found.append(Problem(f"{at}.parameters.{name}", f"unknown parameter; declared: {', '.join(sorted(by_name))}"))
                continue
            found.extend(_range_problems(by_name[name], value, f"{at}.parameters.{name}"))
            values[name] = value
        if found:  # only now pay for the line number
            line = line_of(node, ["variants", index])
            problems.extend(Problem(f"{where}:{line}: {p.where}", p.message) for p in found)
        variants.append(Variant(spec["name"], Text.of(spec["description"]), values))
    return tuple(variants)


def _parts_problems(data: dict[str, Any], where: str, parameters: tuple[Parameter, ...]) -> list[Problem]:
    """design.yaml's `parts` is a number, or the name of an integer parameter that counts the solids."""
    parts = data.get("parts", 1)
    counts = {p.name for p in parameters if p.integer}
    if isinstance(parts, int) or parts in counts:
        return []
    return [Problem(f"{where}: parts", f"{parts!r} is not an integer parameter of the design; "
                    f"give a whole number or one of: {', '.join(sorted(counts)) or '(none declared)'}")]


def _cutting_problems(data: dict[str, Any], where: str, parameters: tuple[Parameter, ...]) -> list[Problem]:
    """A cut part's thickness is a number or names a number parameter; part names are unique."""
    numbers = {p.name for p in parameters if p.kind == "number"}
    problems, seen = [], set()
    for index, part in enumerate(data.get("cutting", {}).get("parts", [])):
        at = f"{where}: cutting.parts[{index}]"
        if part["name"] in seen:
            problems.append(Problem(f"{at}.name", f"{part['name']!r} is used twice; part names must be unique"))
        seen.add(part["name"])
        thickness = part["thickness_mm"]
        if isinstance(thickness, str) and thickness not in numbers:
            problems.append(Problem(f"{at}.thickness_mm", f"{thickness!r} is not a number parameter of the design; "
                                    f"give the thickness in mm or one of: {', '.join(sorted(numbers)) or '(none declared)'}"))
    return problems


def _rule_problems(design: Design, node: Any, where: str) -> list[Problem]:
    """Every variant must meet every design rule; a broken rule is an error, never a file."""
    declared = {p.name for p in design.parameters}
    problems = []
    for index, rule in enumerate(design.rules):
        def at(index: int = index) -> str:  # the line is looked up only for a message
            return f"{where}:{line_of(node, ['rules', index])}: rules[{index}]"
        try:
            tree = parse_rule(rule.check)
            unknown = names_in(tree) - declared
            if unknown:
                raise RuleError(f"names unknown parameter(s) {', '.join(sorted(unknown))}; declared: {', '.join(sorted(declared))}")
            for variant in design.variants:
                if not evaluate(tree, variant.parameters):
                    used = ", ".join(f"{n} = {_shown(variant.parameters[n])}" for n in sorted(names_in(tree)))
                    problems.append(Problem(f"{at()} ({variant.name})",
                                            f"breaks the design rule `{rule.check}`: {rule.message.en} ({used})"))
        except RuleError as err:
            problems.append(Problem(f"{at()}.check", f"{rule.check!r} {err}"))
        except (ArithmeticError, ValueError, TypeError) as err:
            problems.append(Problem(f"{at()}.check", f"{rule.check!r} cannot be evaluated: {err}"))
    return problems


def _shown(value: ParameterValue) -> str:
    return repr(value) if isinstance(value, (bool, str)) else f"{value:g}"


