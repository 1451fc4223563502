"""Text from contributors (what a script prints or raises, a value in design.yaml) as our output shows it.

A CI log and a reviewer's terminal both obey what they are sent: an escape sequence sets a terminal's
title or clipboard or rewrites the line above ("OK: ... is valid"); a line starting with `::` is a GitHub
workflow command (`::error file=…::` forges an annotation, `::stop-commands::` turns the build's own off).
`shown` is the one place such text passes through on its way out (model.Problem uses it): it comes out on
one line, every control or invisible formatting character made visible, and unable to start a command.
"""
from __future__ import annotations

import unicodedata

LINE_BREAKS = {"\n", "\r", "\v", "\f", "\x85", "\u2028", "\u2029"}
# What a runner takes for a command at the start of a line (after spaces): `::name ...::` and the older `##[name]`.
COMMAND_STARTS = ("::", "##[")


def shown(text: str) -> str:
    """`text` on one line, with control and formatting characters visible and no workflow command at its start."""
    out = "".join(_visible(char) for char in text)
    if out.lstrip().startswith(COMMAND_STARTS):
        out = "\u203a" + out  # "›": the line now starts with text, never with a command
    return out


def _visible(char: str) -> str:
    if char in LINE_BREAKS:
        return " \u23ce "  # ⏎, as the zygote joins a script's printed lines
    if char == "\t":
        return " "
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") and char != "\u200d":
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    return char


class Contributed(str):
    """A text a contributor, a maker or a reviewer wrote (design.yaml, a script's parameters, a print report, a
    review record, designs/tags.yml): data, never markup. The page templates escape it wherever it is printed
    (templating.environment's `finalize`), so a template cannot forget to; operations that make a new string
    (`replace`, f-strings) give a plain `str`, which `say` and `cell` still escape."""
    __slots__ = ()


# Every character HTML or our Markdown (Python-Markdown with attr_list, md_in_html, tables, admonition,
# superfences) gives a meaning to, written as a numeric character reference: a browser shows the same
# character, Markdown sees no link, image, emphasis, attribute list, table column, fence or tag in it.
PAGE_SPECIAL = {char: f"&#{ord(char)};" for char in "&<>\"'`\\*_[]{}|!#~"}


def page_text(text: str) -> str:
    """`text` as data on a Markdown page (in running text, a table cell or an HTML element's content)."""
    return "".join(PAGE_SPECIAL.get(char, char) for char in str(text))


def contributed(value: object) -> object:
    """Every string in `value` (a loaded YAML document: dicts, lists, scalars) marked Contributed."""
    if isinstance(value, str):
        return Contributed(value)
    if isinstance(value, dict):
        return {key: contributed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [contributed(item) for item in value]
    return value


# Titles and tag names reach places no template of ours escapes (Material's navigation, Tags page and search
# results, the browser's title bar): they are plain text, without these characters or a line break.
TEXT_ONLY = "<>&\"`\\{}[]"


def text_only_problem(text: str) -> str | None:
    """Why `text` cannot be a title or a tag name (None when it can)."""
    bad = sorted({char for char in text if char in TEXT_ONLY or char in LINE_BREAKS or unicodedata.category(char) == "Cc"})
    if not bad:
        return None
    return f"has {' '.join(repr(char) for char in bad)}; a title is plain text, without any of {TEXT_ONLY} or a line break"
