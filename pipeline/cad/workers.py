"""A small pool of long-lived worker processes that run design scripts.

Each worker imports CadQuery once (seconds of CPU) and then builds many
variants. Scripts are untrusted, so each worker runs with resource limits and a
bare environment, and the parent enforces a wall-time limit per job: a script
that hangs, exhausts memory or crashes the geometry kernel costs one job and a
worker restart, never the build.
"""
from __future__ import annotations

import json
import os
import queue
import resource
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Limits

READY = "ready"
CODE_ROOT = Path(__file__).resolve().parents[2]
# -I isolates the worker from the environment's PYTHON* variables and the current folder.
WORKER_MAIN = f"import sys; sys.path.insert(0, {str(CODE_ROOT)!r}); from pipeline.cad.worker.main import main; main()"


CRASH_HINTS = {
    "SIGSEGV": " (a crash in the geometry kernel or the interpreter: "
               "simplify the operation on the script's last lines)",
    "SIGABRT": " (the geometry kernel aborted: check booleans and fillets)",
    "SIGKILL": " (memory limit reached?)",
    "SIGXFSZ": " (it wrote a file above the size limit)",
}


@dataclass(frozen=True)
class JobOutcome:
    ok: bool
    reply: dict[str, Any]  # the worker's answer, or {"error": ...} when it died


def worker_environment() -> dict[str, str]:
    """Only what Python and OCCT need: no tokens, keys or CI secrets reach a script."""
    keep = ("PATH", "LANG", "LC_ALL", "TZ", "SOURCE_DATE_EPOCH", "VTK_DEFAULT_OPENGL_WINDOW")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["OMP_NUM_THREADS"] = "1"
    env["HOME"] = "/nonexistent"
    return env


class Worker:
    def __init__(self, project_root: Path, limits: Limits):
        self.limits = limits
        self.jobs_done = 0

        def apply_limits() -> None:
            os.setsid()
            if limits.memory_bytes:
                resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))

        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-c", WORKER_MAIN],
            # Not project_root: the worker holds no folder of ours; each job runs in its staging folder.
            cwd="/", env=worker_environment(), preexec_fn=apply_limits,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
        )
        ready = self._read_line(timeout=120.0)
        if not ready or json.loads(ready).get("status") != READY:
            self.stop()
            raise RuntimeError(f"a CAD worker failed to start (exit code {self.proc.returncode})")

    def run(self, job: dict[str, Any]) -> JobOutcome:
        try:
            self.proc.stdin.write(json.dumps(job) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            return JobOutcome(False, {"error": self._death()})
        line = self._read_line(timeout=self.limits.job_seconds)
        self.jobs_done += 1
        if line is None:
            self.stop()
            return JobOutcome(False, {"error": f"took longer than {self.limits.job_seconds:g} s and was stopped; "
                                               "simplify the geometry or check for an endless loop"})
        if not line:  # end of file: the worker died (its exit status may lag its closed pipe)
            return JobOutcome(False, {"error": self._death()})
        reply = json.loads(line)
        return JobOutcome(reply.get("ok", False), reply)

    @property
    def usable(self) -> bool:
        return self.proc.poll() is None and self.jobs_done < self.limits.jobs_per_worker

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()

    def _death(self) -> str:
        code = self.proc.wait()
        if code < 0:
            name = signal.Signals(-code).name
            return f"the worker crashed with {name}{CRASH_HINTS.get(name, '')} while building this variant"
        if code == 0:
            return "the worker exited while building this variant (does the script call exit()?)"
        return f"the worker exited with code {code} while building this variant (memory limit reached?)"

    def _read_line(self, timeout: float) -> str | None:
        """The next line; "" if the worker closed its end, None if `timeout` passed first."""
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(timeout=left):
                    return None
                return self.proc.stdout.readline()


def run_jobs(jobs: Iterable[dict[str, Any]], workers: int, project_root: Path, limits: Limits,
             on_done: Callable[[dict[str, Any], JobOutcome], None]) -> int:
    """Run every job on at most `workers` processes; returns how many processes were started."""
    pending: queue.Queue = queue.Queue()
    for job in jobs:
        pending.put(job)
    if pending.empty():
        return 0
    count = min(workers, pending.qsize())
    started = [0]
    lock = threading.Lock()

    def drive() -> None:
        worker: Worker | None = None
        try:
            while True:
                try:
                    job = pending.get_nowait()
                except queue.Empty:
                    return
                if worker is None or not worker.usable:
                    if worker is not None:
                        worker.stop()
                    worker = None
                    with lock:
                        started[0] += 1
                    try:
                        worker = Worker(project_root, limits)
                    except RuntimeError as err:
                        on_done(job, JobOutcome(False, {"error": str(err)}))
                        continue
                outcome = worker.run(job)
                on_done(job, outcome)
        finally:
            if worker is not None:
                worker.stop()

    threads = [threading.Thread(target=drive, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return started[0]
