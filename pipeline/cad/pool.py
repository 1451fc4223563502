"""The CAD pool as the build process sees it: one zygote process that forks a confined child per job.

The zygote (pipeline/cad/worker/zygote.py) imports CadQuery once and runs no
contributor's code itself; each child confines itself (Landlock, seccomp,
resource limits) and builds one variant. The zygote starts in its own session
with a bare environment and "/" as its folder; this process only writes jobs and
reads replies, and stops the whole session at the end.

Ours, not multiprocessing's or concurrent.futures' pools: their long-lived workers would run one contributor's
script after another in one process, and cannot raise the wall around each job before it runs.
"""
from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Limits
from ..wall import worker_environment

READY = "ready"
CODE_ROOT = Path(__file__).resolve().parents[2]
# -I isolates the zygote from the environment's PYTHON* variables and the current folder.
ZYGOTE_MAIN = f"import sys; sys.path.insert(0, {str(CODE_ROOT)!r}); from pipeline.cad.worker.zygote import main; main()"
START_SECONDS = 120.0  # importing CadQuery takes a few seconds; a loaded machine may take longer
SILENCE_MARGIN = 60.0  # the zygote answers each job within its limit; this much longer means it is stuck


@dataclass(frozen=True)
class JobOutcome:
    ok: bool
    reply: dict[str, Any]  # the child's answer, or {"error": ...} when it died


class ZygoteProcess:
    """The running zygote: send jobs, read replies."""

    def __init__(self, limits: Limits, children: int, scratch: Path):
        scratch.mkdir(parents=True, exist_ok=True)
        settings = {"children": children, "confine": not limits.trust_scripts, "memory_bytes": limits.memory_bytes,
                    "file_bytes": limits.file_bytes, "print_bytes": limits.print_bytes, "scratch": str(scratch),
                    "staging_bytes": limits.staging_bytes, "staging_files": limits.staging_files}
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-c", ZYGOTE_MAIN, json.dumps(settings)],
            # Not the project root: the zygote holds no folder of ours; each child runs in its staging folder.
            cwd="/", env=worker_environment(), start_new_session=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0,
        )
        self._unread = b""  # what was read from the pipe past the last whole reply
        ready = self.read_reply(START_SECONDS)
        if not ready or ready.get("status") != READY:
            self.stop()
            raise RuntimeError(f"the CAD worker failed to start (exit code {self.proc.returncode}); "
                               "run `python build.py check` on one design to see its error")

    def send(self, jobs: list[dict[str, Any]]) -> None:
        """Write every job, then close: from another thread, so that replies never wait behind a full pipe."""
        try:
            for job in jobs:
                self.proc.stdin.write(json.dumps(job).encode() + b"\n")
            self.proc.stdin.close()
        except (BrokenPipeError, OSError, ValueError):
            pass  # the zygote died; the reader reports it

    def read_reply(self, timeout: float) -> dict[str, Any] | None:
        """The next reply; None if the zygote ended or said nothing for `timeout` seconds.

        Reads the pipe's descriptor itself: a buffered reader could hold a second reply that select() no
        longer sees, and the build would wait for the next one (or the time limit) before taking it."""
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            while b"\n" not in self._unread:
                if not sel.select(timeout=timeout):
                    return None
                chunk = os.read(self.proc.stdout.fileno(), 1 << 16)
                if not chunk:
                    return None
                self._unread += chunk
        line, _, self._unread = self._unread.partition(b"\n")
        try:
            reply = json.loads(line)  # the zygote's own JSON; a child's text is checked by the caller
        except ValueError:
            return None
        return reply if isinstance(reply, dict) else None

    def stop(self) -> None:
        """The zygote and anything left in its session."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()


def run_jobs(jobs: Iterable[dict[str, Any]], workers: int, scratch: Path, limits: Limits,
             on_done: Callable[[dict[str, Any], JobOutcome], None]) -> int:
    """Run every job, `workers` children at a time; returns how many CadQuery imports that took (0 or 1).
    `scratch`: the cache's folder for work in progress (CadCache.scratch), where the zygote warms up."""
    waiting = {job["key"]: job for job in jobs}
    if not waiting:
        return 0
    try:
        zygote = ZygoteProcess(limits, min(workers, len(waiting)), scratch)
    except RuntimeError as err:
        for job in waiting.values():
            on_done(job, JobOutcome(False, {"error": str(err)}))
        return 1
    sender = threading.Thread(target=zygote.send, args=(list(waiting.values()),), daemon=True)
    sender.start()
    silence = 2 * max(job["seconds"] for job in waiting.values()) + SILENCE_MARGIN  # a script child, then an export child
    try:
        while waiting:
            reply = zygote.read_reply(silence)
            if reply is None:
                break
            job = waiting.pop(reply.pop("key", None), None)
            if job is None:
                continue
            on_done(job, JobOutcome(bool(reply.get("ok")), reply))
    finally:
        zygote.stop()
        sender.join()
    code = zygote.proc.returncode
    for job in waiting.values():  # the zygote died or hung: the jobs it never answered
        on_done(job, JobOutcome(False, {"error": f"the CAD worker stopped (exit status {code}) before building this variant"}))
    return 1
