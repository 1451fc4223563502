"""design.yaml's checked data as the model's frozen dataclasses, field for field.

Runs only on data the schema has accepted, so every required key is there and
every value has its schema type; a key the model does not declare is a bug here.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from pathlib import Path
from typing import Any

from ..model import Design, Parameter, Text, Variant
from ..shown_text import contributed

# Built by validate from the script and the variants, not copied from the data.
COMPUTED = ("slug", "folder", "script_path", "parameters", "variants")


def typed_design(data: dict[str, Any], slug: str, folder: Path, script_path: Path,
                 parameters: tuple[Parameter, ...], variants: tuple[Variant, ...]) -> Design:
    fields = {name: value for name, value in data.items() if name not in COMPUTED}
    return Design(slug=slug, folder=folder, script_path=script_path, parameters=parameters, variants=variants,
                  **{name: _convert(_hints(Design)[name], value) for name, value in fields.items()})


def _typed(cls: type, data: dict[str, Any]) -> Any:
    hints = _hints(cls)
    return cls(**{name: _convert(hints[name], value) for name, value in data.items()})


def _convert(hint: Any, value: Any) -> Any:
    """`value` as the annotation `hint` says: a dataclass, a tuple of them, or a plain value."""
    if isinstance(hint, types.UnionType):  # X | None: the schema decided which
        hint = next(h for h in typing.get_args(hint) if h is not type(None))
    if hint is Text:  # a free text: a plain string (English) or {en, fr}
        return Text.of(contributed(value))
    if dataclasses.is_dataclass(hint):
        return _typed(hint, value)
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        return tuple(_convert(item, v) for v in value)
    return contributed(value)  # a string is the contributor's text, escaped wherever a page shows it


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)
