"""Stage 5: lay out the downloadable files where the site will serve them.

Generated folders are written beside their final place and swapped in by
rename, so an interrupted build never leaves a half-written tree.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from .model import Artifact

FORMATS = ("stl", "step")


def download_name(artifact: Artifact, fmt: str) -> str:
    return f"{artifact.job.design.slug}-{artifact.job.variant.name}.{fmt}"


def download_path(artifact: Artifact, fmt: str) -> str:
    """Path of a download relative to the docs folder."""
    return f"downloads/{artifact.job.design.slug}/{download_name(artifact, fmt)}"


def publish_downloads(artifacts: list[Artifact], docs_dir: Path) -> None:
    staging = fresh_staging(docs_dir / "downloads")
    for artifact in artifacts:
        for fmt in FORMATS:
            target = staging / download_path(artifact, fmt).removeprefix("downloads/")
            target.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(artifact.file(fmt), target)
    replace_dir(staging, docs_dir / "downloads")


def fresh_staging(final: Path) -> Path:
    """An empty sibling folder of `final`, hidden from MkDocs (its name starts with a dot)."""
    staging = final.with_name(f".{final.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def replace_dir(staging: Path, final: Path) -> None:
    """Put `staging` in the place of `final` with renames only."""
    old = final.with_name(f".{final.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.rename(final, old)
    os.rename(staging, final)
    shutil.rmtree(old, ignore_errors=True)


def _link_or_copy(source: Path, target: Path) -> None:
    """Hard-link from the cache (instant, no extra space); copy across file systems."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
