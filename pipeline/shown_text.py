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
