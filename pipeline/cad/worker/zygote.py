"""The CAD zygote: imports CadQuery once, never runs a contributor's script, forks one child per job.

Why forking: each child starts with CadQuery already imported (one import per
build, not one per worker), confines itself for exactly one job and exits, so a
script can leave nothing behind (no thread, no patched module) for the next
design. The zygote must fork before any thread exists in it: it checks that.

Protocol with the build process: settings as JSON in argv[1]; jobs as JSON lines
on stdin; replies as JSON lines on stdout, each with the job's key. The zygote
enforces each job's wall time and how much its script may print; the child sets
its own memory, file-size and CPU limits and its wall (`wall.py`).
"""
from __future__ import annotations

import json
import os
import resource
import selectors
import signal
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CRASH_HINTS = {
    "SIGSEGV": " (a crash in the geometry kernel or the interpreter: simplify the operation on the script's last lines)",
    "SIGABRT": " (the geometry kernel aborted: check booleans and fillets)",
    "SIGKILL": " (memory limit reached?)",
    "SIGXFSZ": " (it wrote a file above the size limit)",
    "SIGXCPU": " (it used more CPU time than its time limit)",
    "SIGSYS": (" by the build's wall: the script tried to start a program or a process, or to reach another "
               "process; a design script only computes its shape"),
}
WARM_UP_SCRIPT = 'import cadquery as cq\nshow_object(cq.Workplane("XY").box(2, 2, 2).edges("|Z").fillet(0.5))\n'
SHOWN_OUTPUT = 4096  # bytes of a script's prints kept to show in a problem
REPLY_BYTES = 1 << 20  # a reply is a few hundred bytes of facts; a script writing more into it is stopped


@dataclass
class Child:
    job: dict[str, Any]
    pid: int
    pidfd: int
    output: int  # read end of the child's stdout and stderr
    reply: int  # read end of the reply pipe
    deadline: float
    printed: bytearray = field(default_factory=bytearray)
    printed_bytes: int = 0
    answer: bytearray = field(default_factory=bytearray)
    stopped_because: str | None = None


class Zygote:
    def __init__(self, settings: dict[str, Any], replies):
        self.settings = settings
        self.replies = replies
        self.pending: deque[dict[str, Any]] = deque()
        self.running: dict[int, Child] = {}  # by pid
        self.selector = selectors.DefaultSelector()
        self.readable = self._readable_paths() if settings["confine"] else []

    def serve(self) -> None:
        os.set_blocking(0, False)
        self.selector.register(0, selectors.EVENT_READ, ("jobs", None))
        buffered, jobs_open = b"", True
        while jobs_open or self.pending or self.running:
            while self.pending and len(self.running) < self.settings["children"]:
                self._start(self.pending.popleft())
            for key, _ in self.selector.select(self._next_timeout()):
                kind, child = key.data
                if kind == "jobs":
                    chunk = os.read(0, 1 << 16)
                    if not chunk:
                        jobs_open = False
                        self.selector.unregister(0)
                    *lines, buffered = (buffered + chunk).split(b"\n")
                    self.pending.extend(json.loads(line) for line in lines if line.strip())
                elif kind == "exit":
                    self._finish(child)
                else:
                    self._drain(child, kind)
            self._stop_late_children()

    def _start(self, job: dict[str, Any]) -> None:
        output_r, output_w = os.pipe()
        reply_r, reply_w = os.pipe()
        sys.stderr.flush()  # else the child inherits the zygote's unwritten text and "prints" it
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                run_child(job, self.settings, self.readable, output_w, reply_w)
            finally:
                os._exit(70)
        os.close(output_w)
        os.close(reply_w)
        child = Child(job, pid, os.pidfd_open(pid), output_r, reply_r, time.monotonic() + job["seconds"])
        for fd, kind in ((child.output, "output"), (child.reply, "reply"), (child.pidfd, "exit")):
            os.set_blocking(fd, False)
            self.selector.register(fd, selectors.EVENT_READ, (kind, child))
        self.running[pid] = child

    def _drain(self, child: Child, kind: str) -> None:
        """Read what a child wrote so far; stop it when it prints or answers too much."""
        fd = child.output if kind == "output" else child.reply
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            return
        if not chunk:
            self.selector.unregister(fd)
            return
        if kind == "output":
            child.printed_bytes += len(chunk)
            child.printed += chunk[: max(0, SHOWN_OUTPUT - len(child.printed))]
            if child.printed_bytes > self.settings["print_bytes"]:
                self._stop(child, f"printed more than {_size(self.settings['print_bytes'])} and was stopped; "
                                  "print less (or nothing: the build shows the first lines only when it fails)")
        else:
            child.answer += chunk
            if len(child.answer) > REPLY_BYTES:
                self._stop(child, "wrote more than 1 MiB into its reply to the build and was stopped")

    def _finish(self, child: Child) -> None:
        for fd, kind in ((child.output, "output"), (child.reply, "reply")):
            while fd in self.selector.get_map():
                os.set_blocking(fd, True)  # the child is dead: its pipes end
                self._drain(child, kind)
        _, status = os.waitpid(child.pid, 0)
        for fd in (child.pidfd, child.output, child.reply):
            if fd in self.selector.get_map():
                self.selector.unregister(fd)
            os.close(fd)
        del self.running[child.pid]
        reply = self._reply(child, status)
        reply["key"] = child.job["key"]
        self.replies.write(json.dumps(reply) + "\n")

    def _reply(self, child: Child, status: int) -> dict[str, Any]:
        if child.stopped_because:
            return {"ok": False, "error": child.stopped_because + _shown(child.printed)}
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and child.answer:
            try:
                reply = json.loads(child.answer.decode("utf-8", "replace").splitlines()[-1])
            except (ValueError, IndexError):
                reply = {"ok": False, "error": "the script wrote something else than the build's reply into its reply"}
            if not reply.get("ok"):
                reply["error"] = str(reply.get("error", "failed")) + _shown(child.printed)
            return reply
        return {"ok": False, "error": _death(status) + _shown(child.printed)}

    def _stop(self, child: Child, reason: str) -> None:
        if child.stopped_because is None:
            child.stopped_because = reason
            os.kill(child.pid, signal.SIGKILL)  # not yet reaped: the pid is still this child's

    def _stop_late_children(self) -> None:
        now = time.monotonic()
        for child in list(self.running.values()):
            if now >= child.deadline:
                self._stop(child, f"took longer than {child.job['seconds']:g} s and was stopped; simplify the geometry "
                                  "or check for an endless loop (a heavy design may raise build_time_limit_s in design.yaml)")

    def _next_timeout(self) -> float | None:
        if not self.running:
            return None
        waiting = [c.deadline for c in self.running.values() if c.stopped_because is None]
        return max(0.0, min(waiting) - time.monotonic()) if waiting else None

    @staticmethod
    def _readable_paths() -> list[Path]:
        """Also loads the wall's libraries here: a confined child could not find libseccomp (ldconfig) any more."""
        import landlock
        import pyseccomp  # noqa: F401

        from .wall import read_only_paths

        landlock.landlock_abi_version()
        return read_only_paths()


def run_child(job: dict[str, Any], settings: dict[str, Any], readable: list[Path], output: int, reply: int) -> None:
    """In the forked child: fence in the file descriptors, limit, confine, build, answer, exit."""
    null = os.open("/dev/null", os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(output, 1)
    os.dup2(output, 2)
    os.dup2(reply, 3)
    os.closerange(4, _highest_fd() + 1)  # the zygote's job pipe and any terminal the build holds stay outside
    memory, file_bytes = settings["memory_bytes"], settings["file_bytes"]
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    cpu = int(job["seconds"]) * (os.cpu_count() or 1) + 5  # a backstop: meshing runs on threads, the zygote stops it first
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    os.chdir(job["out_dir"])
    from . import main

    if settings["confine"]:
        from .wall import confine

        try:
            confine(Path(job["out_dir"]), readable, os.getpid())
        except Exception as err:  # fail closed: this child never runs the script
            os.write(3, (json.dumps({"ok": False, "error": f"the build's wall could not be raised: {err}"}) + "\n").encode())
            os._exit(0)
        main.WALLED = True
    result = json.dumps(main.answer(job)) + "\n"
    os.write(3, result.encode("utf-8"))
    sys.stdout.flush()
    os._exit(0)


def warm_up(scratch: Path) -> None:
    """Load, in the zygote, everything a build loads lazily (exporters, trimesh), without starting a thread."""
    from .main import build_variant

    with tempfile.TemporaryDirectory(dir=scratch, prefix="warm-up-") as folder:
        build_variant({"source": WARM_UP_SCRIPT, "parameters": {}, "out_dir": folder, "product_name": "warm-up",
                       "tolerance_mm": 0.1, "angular_tolerance_rad": 0.3}, parallel=False)
    threads = len(os.listdir("/proc/self/task"))
    if threads != 1:
        raise RuntimeError(f"the CAD zygote has {threads} threads after importing CadQuery; it must fork with one")


def _shown(printed: bytes) -> str:
    """The first lines a failed script printed, on the problem's one line."""
    text = printed.decode("utf-8", "replace").strip()
    if not text:
        return ""
    lines = text.splitlines()
    first = " ⏎ ".join(line.strip() for line in lines[:3])[:300]
    more = f" (+{len(lines) - 3} more lines)" if len(lines) > 3 else ""
    return f"; it printed: {first}{more}"


def _death(status: int) -> str:
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        if name == "SIGSYS":
            return f"stopped{CRASH_HINTS[name]}"
        return f"the worker crashed with {name}{CRASH_HINTS.get(name, '')} while building this variant"
    code = os.WEXITSTATUS(status)
    if code == 0:
        return "the worker exited while building this variant (does the script call os._exit()?)"
    return f"the worker exited with code {code} while building this variant (memory limit reached?)"


def _size(count: int) -> str:
    return f"{count / 2**20:g} MiB" if count >= 2**20 else f"{count} bytes"


def _highest_fd() -> int:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return min(soft, 1 << 16)


def main() -> None:
    settings = json.loads(sys.argv[1])
    replies = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # the zygote's own prints (library warnings) go to the build's stderr, never into replies
    sys.stdout = sys.stderr
    import cadquery  # noqa: F401 - the one expensive import, paid once per build

    warm_up(Path(settings["scratch"]))
    replies.write(json.dumps({"status": "ready"}) + "\n")
    Zygote(settings, replies).serve()


if __name__ == "__main__":
    main()
