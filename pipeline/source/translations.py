"""Which of a design's free texts have no French translation yet.

A contributor may write a design in one language: the build still publishes
it (the French page shows the English text, marked) and counts what is left
to translate, so a translator knows where to start.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from ..model import Design, Text


def untranslated(design: Design) -> list[str]:
    """The dotted paths (as in design.yaml) of the design's free texts that have no French text; a tag is
    named with the file that translates it (designs/tags.yml), since design.yaml cannot."""
    return [f'tag "{text.en}" (designs/tags.yml)' if path.startswith("tags[") else path
            for path, text in _texts(design, "") if not text.fr]


def _texts(value: Any, at: str) -> list[tuple[str, Text]]:
    """Every Text inside `value`, with its path: parameters by name, list items by index."""
    if isinstance(value, Text):
        return [(at, value)]
    if dataclasses.is_dataclass(value):
        fields = ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value))
        if isinstance(value, Design):  # parameters are keyed by name in design.yaml
            fields = (("parameters", {p.name: p for p in value.parameters}) if name == "parameters" else (name, v)
                      for name, v in fields)
        return [hit for name, v in fields for hit in _texts(v, f"{at}.{name}" if at else name)]
    if isinstance(value, dict):
        return [hit for key, v in value.items() for hit in _texts(v, f"{at}.{key}")]
    if isinstance(value, tuple):
        return [hit for index, v in enumerate(value) for hit in _texts(v, f"{at}[{index}]")]
    return []
