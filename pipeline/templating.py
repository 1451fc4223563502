"""The Jinja2 environment shared by the pages and the bundle README: one set of filters, compiled once.

Every generated word is written in both languages where it is written:
`{{ tr("Downloads", "Téléchargements") }}` gives the text of the page's `lang`
("en" unless the render passes another).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

PACKAGE = Path(__file__).resolve().parent
TEMPLATE_FOLDERS = (PACKAGE / "pages" / "templates", PACKAGE / "publish")
LANGUAGES = ("en", "fr")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(f) for f in TEMPLATE_FOLDERS]),
                             undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                             # compiled templates kept in the user's temp folder, checked against the source
                             bytecode_cache=jinja2.FileSystemBytecodeCache())
    env.filters["size"] = human_size
    env.filters["num"] = lambda v: f"{v:g}"
    env.filters["value"] = parameter_value
    env.filters["cell"] = lambda s: str(s).replace("|", "\\|").replace("\n", " ")
    env.filters["yaml_string"] = lambda s: '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'
    env.filters["dimensions"] = lambda dims: " × ".join(f"{v:g}" for v in dims)
    env.globals["tr"] = tr
    return env


@jinja2.pass_context
def tr(context: jinja2.runtime.Context, en: str, fr: str) -> str:
    """The text in the language being rendered."""
    return fr if context.get("lang") == "fr" else en


def parameter_value(value: object) -> str:
    """A parameter's value as a page shows it: a number in its shortest form, True/False, a string quoted."""
    if isinstance(value, bool):
        return str(value)
    return f'"{value}"' if isinstance(value, str) else f"{value:g}"


def human_size(size: float) -> str:
    """Bytes in B, kB or MB (powers of 1000, as file managers show them)."""
    if size < 1000:
        return f"{size:.0f} B"
    return f"{size / 1000:.1f} kB" if size < 1000**2 else f"{size / 1000**2:.1f} MB"
