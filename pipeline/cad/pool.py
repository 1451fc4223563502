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

import atexit
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Limits
from ..forking import count_cpu_of_others
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


class Replies:
    """JSON lines from a pipe's read end, one object each: the zygote's replies, or the template's "ready"."""

    def __init__(self, fd: int):
        self.fd = fd
        self._unread = b""  # what was read from the pipe past the last whole reply

    def read(self, timeout: float) -> dict[str, Any] | None:
        """The next reply; None if the writer ended or said nothing for `timeout` seconds.

        Reads the pipe's descriptor itself: a buffered reader could hold a second reply that select() no
        longer sees, and the build would wait for the next one (or the time limit) before taking it."""
        with selectors.DefaultSelector() as sel:
            sel.register(self.fd, selectors.EVENT_READ)
            while b"\n" not in self._unread:
                if not sel.select(timeout=timeout):
                    return None
                chunk = os.read(self.fd, 1 << 16)
                if not chunk:
                    return None
                self._unread += chunk
        line, _, self._unread = self._unread.partition(b"\n")
        try:
            reply = json.loads(line)  # the zygote's own JSON; a child's text is checked by the caller
        except ValueError:
            return None
        return reply if isinstance(reply, dict) else None


class ZygoteProcess:
    """The running zygote, started anew: a Python process that imports CadQuery. Send jobs, read replies."""

    def __init__(self, limits: Limits, children: int, scratch: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-c", ZYGOTE_MAIN, json.dumps(zygote_settings(limits, children, scratch))],
            # Not the project root: the zygote holds no folder of ours; each child runs in its staging folder.
            cwd="/", env=worker_environment(), start_new_session=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0,
        )
        self.pid, self.jobs, self.replies = self.proc.pid, self.proc.stdin, Replies(self.proc.stdout.fileno())
        self.returncode: int | None = None
        ready = self.read_reply(START_SECONDS)
        if not ready or ready.get("status") != READY:
            self.stop()
            raise RuntimeError(f"the CAD worker failed to start (exit code {self.returncode}); "
                               "run `python build.py check` on one design to see its error")

    def send(self, jobs: list[dict[str, Any]]) -> None:
        """Write every job, then close: from another thread, so that replies never wait behind a full pipe."""
        try:
            for job in jobs:
                self.jobs.write(json.dumps(job).encode() + b"\n")
            self.jobs.close()
        except (BrokenPipeError, OSError, ValueError):
            pass  # the zygote died; the reader reports it

    def read_reply(self, timeout: float) -> dict[str, Any] | None:
        """The next reply; None if the zygote ended or said nothing for `timeout` seconds."""
        return self.replies.read(timeout)

    def stop(self) -> None:
        """The zygote and anything left in its session."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.returncode = self._wait()

    def _wait(self) -> int:
        return self.proc.wait()


class ForkedZygote(ZygoteProcess):
    """A zygote the template forked for this build: the same zygote as one started anew, CadQuery already
    imported. Its pipes are this build's; the template, its parent, reaps it and says what CPU it used."""

    def __init__(self, template: Template, limits: Limits, children: int, scratch: Path):
        jobs_r, jobs_w = os.pipe()
        replies_r, replies_w = os.pipe()
        try:
            self.pid = template.fork(zygote_settings(limits, children, scratch), jobs_r, replies_w)
        except BaseException:
            os.close(jobs_w)
            os.close(replies_r)
            raise
        finally:
            os.close(jobs_r)
            os.close(replies_w)
        self.template, self.returncode = template, None
        self.jobs, self.replies = os.fdopen(jobs_w, "wb", buffering=0), Replies(replies_r)

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)  # itself too: it may not have made its session yet (its pid stays its
        except ProcessLookupError:             # own until the template reaps it)
            pass
        super().stop()
        os.close(self.replies.fd)

    def _wait(self) -> int:
        status, cpu = self.template.reap(self.pid)
        count_cpu_of_others(cpu)  # the stage's CPU, as if the zygote had been this process's child
        return status


class Template:
    """A zygote that serves no job: CadQuery imported and warmed up once, it forks a fresh zygote for each build
    (`serve_builds` in the zygote's module). Kept by a process that builds again and again (`build.py serve`,
    the tests), where each build's import was 3 s of CPU; `build.py` builds once and starts its zygote anew."""

    def __init__(self, scratch: Path):
        self.environment, self.start_cpu = worker_environment(), 0.0
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        settings = {"control": theirs.fileno(), "scratch": str(scratch)}
        self.proc = subprocess.Popen([sys.executable, "-I", "-c", ZYGOTE_MAIN, json.dumps(settings)], cwd="/",
                                     env=self.environment, start_new_session=True, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, pass_fds=[theirs.fileno()])
        theirs.close()
        self.control, self.lock = ours, threading.Lock()
        ready = Replies(self.proc.stdout.fileno()).read(START_SECONDS)
        if not ready or ready.get("status") != READY:
            self.close()
            raise RuntimeError("the CAD template failed to start")
        self.start_cpu = _cpu_of(self.proc.pid)  # its import, counted in the build that started it
        count_cpu_of_others(self.start_cpu)

    def fork(self, settings: dict[str, Any], jobs: int, replies: int) -> int:
        with self.lock:
            socket.send_fds(self.control, [json.dumps(settings).encode()], [jobs, replies])
            return json.loads(self.control.recv(1 << 16))["pid"]

    def reap(self, pid: int) -> tuple[int, float]:
        with self.lock:
            self.control.send(json.dumps({"reap": pid}).encode())
            answer = json.loads(self.control.recv(1 << 16))
        return answer["status"], answer["cpu"]

    def alive(self) -> bool:
        return self.proc.poll() is None and self.environment == worker_environment()

    def close(self) -> None:
        self.control.close()  # the template ends at the end of its requests
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()  # now among this process's finished children: its start is no longer counted apart
        count_cpu_of_others(-self.start_cpu)
        self.start_cpu = 0.0


_TEMPLATE: dict[str, Template | None] = {}  # "kept" once keep_cadquery_loaded() was called in this process


def keep_cadquery_loaded() -> None:
    """From now on, this process's builds fork their zygote from a template that imported CadQuery once."""
    _TEMPLATE.setdefault("kept", None)


def start_zygote(limits: Limits, children: int, scratch: Path) -> ZygoteProcess:
    scratch.mkdir(parents=True, exist_ok=True)
    if "kept" not in _TEMPLATE:
        return ZygoteProcess(limits, children, scratch)
    template = _TEMPLATE["kept"]
    try:
        if template is None or not template.alive():
            if template is not None:
                template.close()
            template = _TEMPLATE["kept"] = Template(scratch)
            atexit.register(template.close)
        return ForkedZygote(template, limits, children, scratch)
    except (RuntimeError, OSError, ValueError, KeyError):  # no template: a zygote of its own, as without one
        if template is not None:
            template.close()
        _TEMPLATE["kept"] = None
        return ZygoteProcess(limits, children, scratch)


def zygote_settings(limits: Limits, children: int, scratch: Path) -> dict[str, Any]:
    return {"children": children, "confine": not limits.trust_scripts, "memory_bytes": limits.memory_bytes,
            "file_bytes": limits.file_bytes, "print_bytes": limits.print_bytes, "scratch": str(scratch),
            "staging_bytes": limits.staging_bytes, "staging_files": limits.staging_files}


def _cpu_of(pid: int) -> float:
    """The CPU seconds a running process has used so far (/proc/<pid>/stat: utime and stime, in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_jobs(jobs: Iterable[dict[str, Any]], workers: int, scratch: Path, limits: Limits,
             on_done: Callable[[dict[str, Any], JobOutcome], None]) -> int:
    """Run every job, `workers` children at a time; returns how many CadQuery imports that took (0 or 1).
    `scratch`: the cache's folder for work in progress (CadCache.scratch), where the zygote warms up."""
    waiting = {job["key"]: job for job in jobs}
    if not waiting:
        return 0
    try:
        zygote = start_zygote(limits, min(workers, len(waiting)), scratch)
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
    code = zygote.returncode
    for job in waiting.values():  # the zygote died or hung: the jobs it never answered
        on_done(job, JobOutcome(False, {"error": f"the CAD worker stopped (exit status {code}) before building this variant"}))
    return 1
