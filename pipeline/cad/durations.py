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

from ..fsutil import replace_file
from ..model import VariantJob


class BuildDurations:
    def __init__(self, path: Path):
        self.path = path
        try:
            self.seconds: dict[str, float] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.seconds = {}
        self._lock = threading.Lock()
        self._last_done: dict[int, float] = {}

    def longest_first(self, jobs: list[VariantJob]) -> list[VariantJob]:
        """Jobs never timed first (they may be long), then by last build time, longest first; stable otherwise."""
        return sorted(jobs, key=lambda job: (job.label in self.seconds, -self.seconds.get(job.label, 0.0)))

    def started(self) -> None:
        self._start = time.perf_counter()

    def finished(self, job: VariantJob) -> None:
        """Called on the thread that drove the job: its time is the time since that thread's previous job.

        A thread's first job also paid for starting its worker: kept only when nothing better is known.
        """
        now, thread = time.perf_counter(), threading.get_ident()
        with self._lock:
            previous = self._last_done.get(thread)
            self._last_done[thread] = now
            if previous is not None or job.label not in self.seconds:
                self.seconds[job.label] = round(now - (previous if previous is not None else self._start), 3)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(self.path, json.dumps(self.seconds, indent=0, sort_keys=True) + "\n")
