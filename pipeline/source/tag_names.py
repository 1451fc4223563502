"""designs/tags.yml: the French name of each tag, shared by every design.

A tag is written once, in English, in design.yaml; one glossary gives its French
name, so a tag reads the same on every French page and has one page in the French
tag index. A tag the glossary lacks shows in English there and is counted as a
text to translate, like any other free text.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import yaml

from ..model import Design, Problem, Text
from ..shown_text import TEXT_ONLY, contributed, text_only_problem

GLOSSARY = Path("designs") / "tags.yml"
MAX_NAME_LENGTH = 40
FIX = 'write one line per tag, "<tag in English>: <nom français>"'


def tag_names(root: Path) -> tuple[dict[str, str], list[Problem]]:
    """The glossary of the project at `root` ({} when it has none), and what is wrong with it."""
    path = root / GLOSSARY
    if path.is_symlink():
        return {}, [Problem(str(GLOSSARY), "is a symlink; commit the file itself")]
    if not path.is_file():
        return {}, []
    stat = path.stat()
    return _read(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _read(path: Path, mtime_ns: int, size: int) -> tuple[dict[str, str], list[Problem]]:
    """Read once per version of the file: every design of a build asks for it."""
    if size > 64 * 1024:
        return {}, [Problem(str(GLOSSARY), f"is {size} bytes; the limit is 65536")]
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{GLOSSARY}:{mark.line + 1}" if mark else str(GLOSSARY)
        return {}, [Problem(where, f"is not valid YAML ({getattr(err, 'problem', None) or err}); {FIX}")]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [Problem(str(GLOSSARY), f"is not a list of names; {FIX}")]
    bad = [str(tag) for tag, name in data.items() if not _is_name(tag) or not _is_name(name)]
    if bad:
        return {}, [Problem(f"{GLOSSARY}: {tag}", f"a tag and its name are one line of text each, at most "
                                                  f"{MAX_NAME_LENGTH} characters, text only (none of {TEXT_ONLY}); {FIX}") for tag in bad]
    return dict(data), []


def _is_name(value: object) -> bool:
    """A tag's name is a page's title on the Tags page and in search results: text only (shown_text.TEXT_ONLY)."""
    return (isinstance(value, str) and 0 < len(value.strip()) <= MAX_NAME_LENGTH and "\n" not in value
            and not text_only_problem(value))


def with_tag_names(design: Design, names: dict[str, str]) -> Design:
    """The design's tags as texts: English as written, French from the glossary when it has the tag."""
    return replace(design, tags=tuple(Text(en=t.en, fr=contributed(names.get(t.en))) for t in design.tags))
