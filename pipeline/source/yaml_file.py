"""Reading the catalogue's YAML files (design.yaml, review records, print reports) safely, and saying what is
wrong in one line: file:line: field: what was given and what is allowed.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from ..model import Problem

MAX_YAML_BYTES = 64 * 1024
FILL_IN = "FILL IN"  # marks a field `build.py new --from` could not fill: "FILL IN: <what to write>"

_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(yaml.SafeLoader):
    """Safe loading with no aliases: `*ref` can multiply a small file into a huge tree."""

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(problem="aliases (*name) are not allowed; write the value out", problem_mark=mark)
        return super().compose_node(parent, index)


def load_yaml_file(path: Path, where: str) -> tuple[Any, Any, Problem | None]:
    """The parsed data, and a lazily composed node tree for line numbers in messages."""
    if path.is_symlink():
        return None, None, Problem(where, "is a symlink; commit the file itself")
    size = path.stat().st_size  # before reading: a huge file is refused without loading it
    if size > MAX_YAML_BYTES:
        return None, None, Problem(where, f"is {size} bytes; the limit is {MAX_YAML_BYTES}; shorten the descriptions")
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
    return LazyNode(text), data, None


class LazyNode:
    """The YAML node tree, composed only when a message needs a line number, and then once for all messages.

    libyaml composes it where present: the text has already loaded with no alias (load_yaml_file), so the
    strict loader's check would find nothing, and the pure-Python composer takes ~40 ms for a design.yaml."""

    def __init__(self, text: str):
        self.text = text

    @functools.cached_property
    def tree(self) -> Any:
        return yaml.compose(self.text, Loader=_FastLoader)


def unfilled(data: Any, path: tuple[Any, ...] = ()):
    """(path, message) of every value still reading "FILL IN: ...", in the file's order."""
    if isinstance(data, str) and data.startswith(FILL_IN):
        yield list(path), "still to fill in: " + (data[len(FILL_IN):].lstrip(": ") or "see CONTRIBUTING.md")
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from unfilled(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from unfilled(value, (*path, index))


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


def explain(error: jsonschema.ValidationError) -> str:
    """One sentence per schema error: what was given and what is allowed."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties" and "review_status" in error.instance and not error.absolute_path:
        return ("review_status is no longer written in design.yaml: a review is a record of its own in "
                "reviews/<slug>/, tied to the exact files reviewed (see CONTRIBUTING.md); remove the line")
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(schema.get("properties", {}))) or "none"
        extra = sorted(set(error.instance) - set(schema.get("properties", {})))
        return f"unknown field(s) {', '.join(map(repr, extra))}; allowed: {allowed}"
    if error.validator == "not" and "description" in schema:  # a field another field rules out: the schema says why
        return schema["description"]
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


def dotted(path: list[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def line_of(lazy: Any, path: list[Any]) -> int:
    """Line (1-based) of the deepest YAML node on `path` that exists."""
    node = lazy.tree if isinstance(lazy, LazyNode) else lazy
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


def schema_problems(data: dict[str, Any], node: Any, where: str, validator: jsonschema.Validator) -> list[Problem]:
    """Every schema error of `data` as one line: file:line: field: what is wrong and what is allowed."""
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    unfilled_values = list(unfilled(data))
    found = unfilled_values + [(list(e.absolute_path), explain(e)) for e in errors
                        if not any(list(e.absolute_path)[:len(u)] == u for u, _ in unfilled_values)]
    return [Problem(f"{where}:{line_of(node, path)}: {dotted(path)}", message) for path, message in found]

