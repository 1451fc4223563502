"""The Jinja2 environment shared by the pages and the bundle README: one set of filters, compiled once.

Every generated word is written in both languages where it is written:
`{{ tr("Downloads", "Téléchargements") }}` gives the text of the page's `lang`
("en" unless the render passes another). A contributor's free text (design.yaml)
is either a plain English string or {en, fr}: `{{ say(field) }}` gives it in the
page's language, and a French page shows a missing French text in English,
marked "non traduit" and tagged lang="en" for screen readers.
"""
from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel.numbers import format_decimal
from babel.units import format_unit
from markupsafe import Markup

from .shown_text import Contributed, page_text

PACKAGE = Path(__file__).resolve().parent
TEMPLATE_FOLDERS = (PACKAGE / "pages" / "templates", PACKAGE / "publish")
_THIS_MODULE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(f) for f in TEMPLATE_FOLDERS]),
                             undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                             # compiled templates kept in the user's temp folder, checked against the source
                             bytecode_cache=jinja2.FileSystemBytecodeCache(pattern=_compiled_name()),
                             finalize=data_never_markup)
    env.filters["size"] = size_filter
    env.filters["num"] = num
    env.filters["decimal"] = decimal
    env.filters["value"] = parameter_value
    env.filters["cell"] = cell
    env.filters["yaml_string"] = yaml_string
    env.filters["dimensions"] = dimensions
    env.filters["duration"] = duration
    env.globals["tr"] = tr
    env.globals["say"] = say
    env.globals["plain"] = plain
    return env


def data_never_markup(value: Any) -> Any:
    """Every `{{ ... }}` passes through here: a contributor's text (shown_text.Contributed) is printed escaped
    for HTML and Markdown, whichever template prints it and however; our own text is printed as written."""
    return Markup(page_text(value)) if isinstance(value, Contributed) else value


def cell(text: Any) -> str:
    """A text in one cell of a Markdown table: on one line, its `|` not a column; a contributor's text escaped."""
    if not isinstance(text, Markup):
        text = page_text(text) if isinstance(text, Contributed) else str(text).replace("|", "\\|")
    return Markup(str(text).replace("\n", " ").replace("\r", " "))


def yaml_string(text: Any) -> str:
    """A front-matter value (title, description, tag) as a YAML double-quoted scalar (JSON's string syntax is
    YAML's: no line break or quote ends it early). Material prints these values into its HTML as they are
    (`<meta name="description" content="...">`, the navigation, the Tags page), so they are HTML text already."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return json.dumps(text, ensure_ascii=False)


def _compiled_name() -> str:
    """Compiled code depends on this module too (a filter that takes the context compiles differently):
    the name carries the hash of the code loaded in this process, read once, at import."""
    return f"__catalogue_jinja2_{_THIS_MODULE}_%s.cache"


@jinja2.pass_context
def tr(context: jinja2.runtime.Context, en: str, fr: str) -> str:
    """The text in the language being rendered."""
    return fr if context.get("lang") == "fr" else en


@jinja2.pass_context
def parameter_value(context: jinja2.runtime.Context, value: object) -> str:
    """A parameter's value as a page shows it: a number in its shortest form (as the page's language writes
    it), True/False, a string quoted."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, str):  # a string parameter's value is the contributor's text
        return Markup(f'"{page_text(value)}"')
    return num(context, value)


def localized(field: Any, lang: str) -> tuple[str, bool]:
    """A free text (model.Text, a plain English string, or None) in `lang`, and whether it is in that language.

    A missing translation: the English text stands in ('' when there is no text at all).
    """
    if field is None or isinstance(field, str):
        return (field or ""), lang == "en" or not field
    if getattr(field, lang, None):
        return getattr(field, lang), True
    return field.en, lang == "en"


@jinja2.pass_context
def say(context: jinja2.runtime.Context, field: Any) -> str:
    """A free text for the page: a missing translation shows the English text, marked."""
    text, translated = localized(field, context.get("lang", "en"))
    # A contributor's text is data: no markup of theirs, HTML or Markdown, reaches the page.
    text = page_text(text)
    if translated:
        return Markup(text)
    return Markup(f'<span lang="en">{text}</span> <span class="untranslated">(non traduit)</span>')


@jinja2.pass_context
def plain(context: jinja2.runtime.Context, field: Any) -> str:
    """A free text where markup cannot go (front matter, alt text): the English text stands in, unmarked."""
    return localized(field, context.get("lang", "en"))[0]


@jinja2.pass_context
def num(context: jinja2.runtime.Context, value: float) -> str:
    """A number as the page's language writes it: 0.4 in English, 0,4 in French."""
    return localized_number(f"{value:g}", context.get("lang") or "en")


@jinja2.pass_context
def decimal(context: jinja2.runtime.Context, text: str) -> str:
    """Numbers already formatted ("0.4", "170.0 × 16.0"), each with the decimal separator of the page's language."""
    lang = context.get("lang") or "en"
    return re.sub(r"\d+(?:\.\d+)?", lambda match: localized_number(match.group(0), lang), str(text))


@lru_cache(maxsize=4096)  # Babel's formatting is slow beside the few distinct numbers of a catalogue
def localized_number(text: str, lang: str) -> str:
    """A number already rounded ("%.1f"), written as `lang` writes it (Babel's CLDR data: 0,4 in French), with
    as many decimals and no thousands separator; from its text, so no rounding happens twice."""
    decimals = len(text.partition(".")[2]) if "e" not in text else 0
    return format_decimal(Decimal(text), format="0." + "0" * decimals if decimals else "0", locale=lang)


@jinja2.pass_context
def duration(context: jinja2.runtime.Context, text: str) -> str:
    """A duration already written ('2 d 03 h', '1 h 07 min') in the page's language: French days are 'j'.
    No-break spaces: a narrow table cell never splits '1 h' from '07 min'."""
    text = text.replace(" d ", " j ") if context.get("lang") == "fr" else text
    return text.replace(" ", "\u00a0")


@jinja2.pass_context
def dimensions(context: jinja2.runtime.Context, dims: list[float]) -> str:
    return " × ".join(num(context, v) for v in dims)


@jinja2.pass_context
def size_filter(context: jinja2.runtime.Context, size: float) -> str:
    """A file's size on a page, with a no-break space: '111,1 ko' stays on one line in a narrow cell."""
    return human_size(size, context.get("lang") or "en").replace("\u202f", " ").replace(" ", "\u00a0")


@lru_cache(maxsize=4096)
def human_size(size: float, lang: str = "en") -> str:
    """Bytes in B, kB or MB (powers of 1000, as file managers show them), as `lang` writes them (Babel: ko, Mo)."""
    if size < 1000:
        return f"{size:.0f} B"
    value, unit = (size / 1000, "digital-kilobyte") if size < 1000**2 else (size / 1000**2, "digital-megabyte")
    return format_unit(Decimal(f"{value:.1f}"), unit, length="short", format="0.0", locale=lang)
