"""Splitting the CAD work across machines, and merging what they built.

A shard builds the variants whose cache key falls to it; the cache is
content-addressed, so merging shards is copying entries, and the final
assembling build finds everything cached and renders without any CAD work.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..built import VariantJob


class ShardError(ValueError):
    pass


def parse_shard(text: str) -> tuple[int, int]:
    """'i/N' with 1 <= i <= N."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise ShardError(f"--shard {text!r}: expected i/N, for example 1/4") from None
    if not 1 <= index <= count:
        raise ShardError(f"--shard {text!r}: i must be between 1 and N")
    return index, count


def in_shard(job: VariantJob, shard: tuple[int, int]) -> bool:
    """A stable split: the same variant always falls to the same shard, whatever the job order."""
    index, count = shard
    return int(job.key[:16], 16) % count == index - 1


def merge_caches(sources: list[Path], target: Path, marker: str = "facts.json") -> int:
    """Copy cache entries the target lacks (an entry is whole when it holds `marker`); returns how many were added."""
    added = 0
    for source in sources:
        for entry in sorted(source.glob("??/*")):
            if not (entry / marker).is_file():
                continue
            final = target / entry.parent.name / entry.name
            if final.exists():
                continue
            staging = target / "tmp" / f"merge-{entry.name}-{os.getpid()}"
            shutil.rmtree(staging, ignore_errors=True)
            shutil.copytree(entry, staging)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.rename(staging, final)  # whole entries only, as a build commits them
            added += 1
    return added
