"""How long each variant took to build last time, kept beside the CAD cache, to start the longest first.

On two workers, a long variant started last leaves one worker idle while it
finishes; starting the longest first trims that tail. Keyed by design and
variant (not by cache key, which changes with every edit of the script).
"""
from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from ..built import VariantJob
from ..fsutil import replace_file


class BuildDurations:
    def __init__(self, path: Path):
        self.path = path
        try:
            self.seconds: dict[str, float] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.seconds = {}
        self._lock = threading.Lock()
        self._finished: list[float] = []

    def longest_first(self, jobs: list[VariantJob]) -> list[VariantJob]:
        """Jobs never timed first (they may be long), then by last build time, longest first; stable otherwise."""
        return sorted(jobs, key=lambda job: (job.label in self.seconds, -self.seconds.get(job.label, 0.0)))

    def started(self, order: list[VariantJob], slots: int) -> None:
        """The jobs are handed out in `order`, `slots` at a time, each as soon as one before it finishes."""
        self._start, self._slots = time.perf_counter(), max(1, slots)
        self._position = {job.key: i for i, job in enumerate(order)}

    def finished(self, job: VariantJob) -> None:
        """A job started when the job `slots` places before it in the order freed its slot: its time runs from then.

        The first `slots` jobs also paid for starting the CAD worker: kept only when nothing better is known.
        """
        now = time.perf_counter()
        with self._lock:
            position = self._position.get(job.key, 0)
            self._finished.append(now)
            started = self._finished[position - self._slots] if position >= self._slots else None
            if started is not None or job.label not in self.seconds:
                self.seconds[job.label] = round(now - (started if started is not None else self._start), 3)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(self.path, json.dumps(self.seconds, indent=0, sort_keys=True) + "\n")
