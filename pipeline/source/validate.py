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
import yaml

from ..fsutil import relative
from ..model import Design, DesignSource, Parameter, ParameterValue, Problem, Text, Variant
from .licences import lineage_problems
from .rules import RuleError, evaluate, names_in, parse_rule
from .script_check import check_script
from .tag_names import tag_names, with_tag_names
from .typed import typed_design

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "design.schema.json"
MAX_METADATA_BYTES = 64 * 1024
MAX_SCRIPT_BYTES = 256 * 1024
FILL_IN = "FILL IN"  # marks a field `build.py new --from` could not fill: "FILL IN: <what to write>"


_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(yaml.SafeLoader):
    """Safe loading with no aliases: `*ref` can multiply a small file into a huge tree."""

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(problem="aliases (*name) are not allowed; write the value out", problem_mark=mark)
        return super().compose_node(parent, index)


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(sources: list[DesignSource], root: Path) -> tuple[list[Design], list[Problem]]:
    designs: list[Design] = []
    problems: list[Problem] = []
    slugs = frozenset(source.slug for source in sources)
    problems += tag_names(root)[1]  # named once; the designs still build, their tags in English
    for source in sources:
        design, found = validate_design(source, root, slugs)
        problems.extend(found)
        if design is not None:
            designs.append(design)
    return designs, problems


def validate_design(source: DesignSource, root: Path, slugs: frozenset[str] = frozenset(),
                    static_check: bool = True) -> tuple[Design | None, list[Problem]]:
    """`slugs`: every design folder of the catalogue, so that a duplicate id names the design it collides with.
    `static_check=False` (`check --skip-static-check`) leaves the script to the operating-system wall alone."""
    where = relative(source.metadata_path, root)
    node, data, problem = _load_yaml(source.metadata_path, where)
    if problem:
        return None, [problem]
    unfilled = list(_unfilled(data))
    errors = [(path, message) for path, message in _schema_errors(data) if not any(path[:len(u)] == u for u, _ in unfilled)]
    problems = [Problem(f"{where}:{_line_of(node, path)}: {_dotted(path)}", message) for path, message in unfilled + errors]
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
    problems = _parts_problems(data, where, parameters)
    if problems:
        return None, problems
    design = typed_design(data, source.slug, source.folder, script_path, parameters, variants)
    design = replace(design, variants=tuple(replace(v, parts=design.parts_for(v.parameters)) for v in variants))
    design = with_tag_names(design, tag_names(root)[0])
    problems = _rule_problems(design, node, where)
    return (None, problems) if problems else (design, [])


def _load_yaml(path: Path, where: str) -> tuple[Any, Any, Problem | None]:
    """The parsed data, and a lazily composed node tree for line numbers in messages."""
    if path.is_symlink():
        return None, None, Problem(where, "is a symlink; commit the file itself")
    size = path.stat().st_size  # before reading: a huge file is refused without loading it
    if size > MAX_METADATA_BYTES:
        return None, None, Problem(where, f"is {size} bytes; the limit is {MAX_METADATA_BYTES}; shorten the descriptions")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
        data = yaml.load(text, Loader=_FastLoader)  # libyaml: safe tags only, fast
        # An alias was used (a shared list or mapping; a scalar alias leaves no trace but its `*`):
        # find it with the strict loader, which names its line.
        if _shares_nodes(data) or ("*" in text and _has_alias(text)):
            yaml.compose(text, Loader=_StrictLoader)
    except UnicodeDecodeError as err:
        return None, None, Problem(where, f"is not UTF-8 text ({err.reason} at byte {err.start}); save it as UTF-8")
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        at = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        message = err.problem or err.context
        if isinstance(err, yaml.constructor.ConstructorError):  # !!python/... and other tags
            message += "; tags (!!...) are not allowed, write plain values"
        return None, None, Problem(f"{where}{at}", f"invalid YAML: {message}")
    except yaml.YAMLError as err:
        return None, None, Problem(where, f"invalid YAML: {err}")
    if not isinstance(data, dict):
        return None, None, Problem(where, "must be a mapping of fields (id: ..., title: ...); see CONTRIBUTING.md")
    return _LazyNode(text), data, None


class _LazyNode:
    """The YAML node tree, composed only when a message needs a line number."""

    def __init__(self, text: str):
        self.text = text

    @property
    def tree(self) -> Any:
        return yaml.compose(self.text, Loader=_StrictLoader)


def _unfilled(data: Any, path: tuple[Any, ...] = ()):
    """(path, message) of every value still reading "FILL IN: ...", in the file's order."""
    if isinstance(data, str) and data.startswith(FILL_IN):
        yield list(path), "still to fill in: " + (data[len(FILL_IN):].lstrip(": ") or "see CONTRIBUTING.md")
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _unfilled(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _unfilled(value, (*path, index))


def _has_alias(text: str) -> bool:
    """Whether the text uses an alias, read from libyaml's events (a `*` may just be in a string)."""
    return any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=_FastLoader))


def _shares_nodes(data: Any) -> bool:
    """True when one list or mapping appears twice in the tree: the mark of a YAML alias."""
    seen: set[int] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, (dict, list)):
            if id(item) in seen:
                return True
            seen.add(id(item))
            stack.extend(item.values() if isinstance(item, dict) else item)
    return False


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load_schema())


def _schema_errors(data: dict[str, Any]) -> list[tuple[list[Any], str]]:
    errors = sorted(_validator().iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    return [(list(e.absolute_path), _explain(e)) for e in errors]


def _explain(error: jsonschema.ValidationError) -> str:
    """One sentence per schema error: what was given and what is allowed."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties" and "review_status" in error.instance and not error.absolute_path:
        return ("review_status is no longer written in design.yaml: a review is a record of its own in "
                "reviews/<slug>/, tied to the exact files reviewed (see CONTRIBUTING.md); remove the line")
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(schema.get("properties", {}))) or "none"
        extra = sorted(set(error.instance) - set(schema.get("properties", {})))
        return f"unknown field(s) {', '.join(map(repr, extra))}; allowed: {allowed}"
    if error.validator == "required":
        return error.message.replace("is a required property", "is missing (required)")
    if error.validator == "enum":
        return f"{error.instance!r} is not allowed; allowed: {', '.join(map(str, error.validator_value))}"
    if error.validator == "anyOf" and "licence" in map(str, error.absolute_path):
        return f"{error.instance!r} is not a known SPDX id; use one of the ids listed in schema/design.schema.json or LicenseRef-<name>"
    if error.validator == "anyOf" and {"$ref": "#/$defs/text"} in error.validator_value:
        return (f"{error.instance!r} is not a text; write it as a plain string (English) or with en: and fr: "
                "keys (en required), e.g. {en: Width of the band., fr: Largeur de la bande.}")
    if error.validator == "pattern":
        return f"{error.instance!r} does not match the pattern {error.validator_value}"
    if error.validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return f"{error.instance!r} is out of range ({error.validator} {error.validator_value})"
    if error.validator == "type":
        return f"expected {error.validator_value}, got {type(error.instance).__name__} {error.instance!r}"
    return error.message


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
        return {}, [Problem(f"{where}:{err.lineno}", f"syntax error: {err.msg}")]
    refusals = check_script(tree) if static_check else []
    if refusals:
        return {}, [Problem(f"{where}:{r.line}", r.message) for r in refusals]
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
    if kind == "number":
        return Parameter(name, spec["default"], spec["unit"], spec["min"], spec["max"], Text.of(spec["description"]),
                         spec.get("integer", False), label=spec.get("label", ""))
    return Parameter(name, spec["default"], "", None, None, Text.of(spec["description"]), kind=kind,
                     choices=tuple(spec.get("choices", ())), label=spec.get("label", ""))


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
            line = _line_of(node, ["variants", index])
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


def _rule_problems(design: Design, node: Any, where: str) -> list[Problem]:
    """Every variant must meet every design rule; a broken rule is an error, never a file."""
    declared = {p.name for p in design.parameters}
    problems = []
    for index, rule in enumerate(design.rules):
        def at(index: int = index) -> str:  # the line is looked up only for a message
            return f"{where}:{_line_of(node, ['rules', index])}: rules[{index}]"
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


def _dotted(path: list[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _line_of(lazy: Any, path: list[Any]) -> int:
    """Line (1-based) of the deepest YAML node on `path` that exists."""
    node = lazy.tree if isinstance(lazy, _LazyNode) else lazy
    line = node.start_mark.line + 1 if node is not None else 1
    for part in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(part)), None)
            key = next((k for k, _ in node.value if k.value == str(part)), None)
            if key is not None:
                line = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


# For the other YAML files of the catalogue (review records, print reports): the same loading and messages.
def load_yaml_file(path: Path, where: str) -> tuple[Any, Any, Problem | None]:
    return _load_yaml(path, where)


def schema_problems(data: dict[str, Any], node: Any, where: str, validator: jsonschema.Validator) -> list[Problem]:
    """Every schema error of `data` as one line: file:line: field: what is wrong and what is allowed."""
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    unfilled = list(_unfilled(data))
    found = unfilled + [(list(e.absolute_path), _explain(e)) for e in errors
                        if not any(list(e.absolute_path)[:len(u)] == u for u, _ in unfilled)]
    return [Problem(f"{where}:{_line_of(node, path)}: {_dotted(path)}", message) for path, message in found]


def line_of(node: Any, path: list[Any]) -> int:
    return _line_of(node, path)
