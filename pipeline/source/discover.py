"""Source stage: find design folders under designs/."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import Problem

METADATA_FILE = "design.yaml"


@dataclass(frozen=True)
class DesignSource:
    """A folder under designs/ as found on disk, not yet read."""

    slug: str
    folder: Path
    metadata_path: Path


def discover(designs_dir: Path) -> tuple[list[DesignSource], list[Problem]]:
    """Every folder of designs/ that holds a design.yaml, sorted by slug.

    Folders reached through a symlink are refused: a design must live inside designs/.
    """
    sources: list[DesignSource] = []
    problems: list[Problem] = []
    if designs_dir.is_symlink():
        return [], [Problem("designs", "is a symlink; the designs folder must be a real folder")]
    if not designs_dir.is_dir():
        return [], [Problem(str(designs_dir), "no designs folder; create it with one folder per design")]
    for folder in sorted(designs_dir.iterdir()):
        if folder.name.startswith((".", "_")) or not folder.is_dir():
            continue
        where = {"file": f"designs/{folder.name}", "design": folder.name}
        if folder.is_symlink():
            problems.append(Problem.at("is a symlink; a design must be a real folder inside designs/", **where))
            continue
        metadata = folder / METADATA_FILE
        if not metadata.is_file():
            problems.append(Problem.at(f"has no {METADATA_FILE}; add one (see CONTRIBUTING.md)", **where))
            continue
        sources.append(DesignSource(slug=folder.name, folder=folder, metadata_path=metadata))
    return sources, problems
