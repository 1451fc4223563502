"""Reviews stage, first step: read review records (reviews/<slug>/*.yaml) and print reports (reports/<slug>/*.yaml).

Each file is loaded safely and checked against its JSON Schema (schema/review.schema.json,
schema/report.schema.json); a bad file is one problem line naming it, and is left out.
"""
from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from ..fsutil import relative, symlinks_in
from ..model import Design, Problem
from ..photos import PhotoError, clean_photo
from ..shown_text import contributed
from ..source.yaml_file import line_of, load_yaml_file, schema_problems
from ..trust_records import PrintReport, ReviewRecord

SCHEMAS = Path(__file__).resolve().parents[2] / "schema"
MAX_RECORD_BYTES = 16 * 1024


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8")))


def read_reviews(folder: Path, root: Path, designs: list[Design]) -> tuple[list[ReviewRecord], list[Problem]]:
    records, problems = [], []
    for path, slug in _files(folder, designs, root, problems):
        data, where, found = _load(path, root, "review")
        problems += found
        if data is not None:
            records.append(_review(data, where, slug))
    return records, problems


def read_print_reports(folder: Path, root: Path, designs: list[Design]) -> tuple[list[PrintReport], list[Problem]]:
    prints, problems = [], []
    for path, slug in _files(folder, designs, root, problems):
        data, where, found = _load(path, root, "report")
        problems += found
        if data is None:
            continue
        try:
            photo, fmt = clean_photo(path.parent / data["photo"]["file"]) if "photo" in data else (None, "")
        except PhotoError as err:
            problems.append(Problem(f"{where}:{line_of(_node(path), ['photo', 'file'])}: photo.file", str(err)))
            continue
        prints.append(_print_report(data, where, slug, photo, fmt))
    return prints, problems


def _files(folder: Path, designs: list[Design], root: Path, problems: list[Problem]) -> list[tuple[Path, str]]:
    """Every <folder>/<slug>/*.yaml of the given designs, in name order; a folder that names no design is a problem."""
    if not folder.is_dir() and not folder.is_symlink():
        return []
    links = symlinks_in(folder)  # a linked folder or record could read YAML and photos from anywhere
    problems += [Problem(relative(link, root), "is a symlink; commit the file itself: the build never follows a "
                         "link out of the repository") for link in links]
    if folder.is_symlink():
        return []
    slugs = {d.slug for d in designs}
    found = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")):
        if not (root / "designs" / sub.name / "design.yaml").is_file():
            problems.append(Problem(relative(sub, root), "names no design of the catalogue; "
                                    "the folder's name must be the id of a folder in designs/"))
        elif sub.name in slugs:
            found += [(p, sub.name) for p in sorted(sub.glob("*.yaml")) if not p.is_symlink()]
    return found


def _load(path: Path, root: Path, kind: str) -> tuple[dict[str, Any] | None, str, list[Problem]]:
    where = relative(path, root)
    if path.stat().st_size > MAX_RECORD_BYTES:
        return None, where, [Problem(where, f"is {path.stat().st_size} bytes; the limit is {MAX_RECORD_BYTES}; shorten the notes")]
    node, data, problem = load_yaml_file(path, where)
    if problem:
        return None, where, [problem]
    if isinstance(data.get("date"), datetime.date):  # YAML reads an unquoted 2026-05-01 as a date
        data["date"] = data["date"].isoformat()
    problems = schema_problems(data, node, where, _validator(kind))
    return (None if problems else data), where, problems


def _node(path: Path) -> Any:
    return load_yaml_file(path, "")[0]


def _review(data: dict[str, Any], where: str, slug: str) -> ReviewRecord:
    """The one place that reads a review record's fields."""
    who, what = contributed(data["reviewer"]), data["reviewed"]  # the reviewer's words: escaped where shown
    return ReviewRecord(where, slug, who["name"], who["url"], who["kind"], data["date"], data["scope"],
                        contributed(data.get("scope_detail", {})), contributed(data["findings"]),
                        what["version"], what["variant"],
                        what["parameters"], what["commit"], what["files"])


def _print_report(data: dict[str, Any], where: str, slug: str, photo: bytes | None, fmt: str) -> PrintReport:
    """The one place that reads a print report's fields."""
    data = {**contributed(data), "printed_file": data["printed_file"]}  # the maker's words: escaped where shown
    maker, printed = data["maker"], data["printed_file"]
    return PrintReport(where, slug, maker["name"], maker.get("url", ""), data["date"], data["variant"],
                       printed["name"], printed["sha256"], data["printer"], data["slicer"], data["material"],
                       data.get("settings", {}), data["result"], data.get("notes", ""),
                       photo, fmt, data.get("photo", {}).get("alt", ""))
