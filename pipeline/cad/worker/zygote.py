"""The CAD zygote: imports CadQuery once, never runs a contributor's script, forks one child per job.

Why forking: each child starts with CadQuery already imported (one import per
build, not one per worker), confines itself for exactly one job and exits, so a
script can leave nothing behind (no thread, no patched module) for the next
design. The zygote must fork before any thread exists in it: it checks that.

Each job takes two children (`main.py`): a script child runs the script and
hands over its shape as BREP; only then, a fresh export child, in which no
contributor code ever ran, exports and measures it. Anything either child
answers is read as untrusted text: a reply that is not the expected object is
that job's failure, never the zygote's.

Protocol with the build process: settings as JSON in argv[1]; jobs as JSON lines
on stdin; replies as JSON lines on stdout, each with the job's key. The zygote
enforces each child's wall time, how much it may print and how much its folder
may hold (bytes and entries, checked while it runs); the child sets its own
memory, file-size and CPU limits and its wall (`wall.py`).
"""
from __future__ import annotations

import json
import os
import resource
import selectors
import signal
import socket
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
QUOTA_CHECK_SECONDS = 0.25  # how often a running child's folder is measured
SCALARS = (int, float, bool, str)
# Counted per child, beside memory and time (README, "What the wall does not cover"):
# - tasks: RLIMIT_NPROC counts the tasks of the child's *real* uid, and never applies to uid 0 (CI builds as
#   root). A root build gives each child a real uid of its own (CHILD_UID_BASE + its pid) and keeps the
#   effective uid, so files are read and written exactly as before, while the child's threads are counted
#   against its own limit and no design can take every pid of the machine from the others;
# - open files: a low RLIMIT_NOFILE bounds the pipes a child can fill (64 KiB each, kernel memory outside
#   RLIMIT_AS; seccomp refuses F_SETPIPE_SZ, which would raise that to 1 MiB) and the files it can keep open;
#   what open files hold after they are unlinked is counted in its disk quota (folder_over_quota).
CHILD_TASKS = 256  # OCCT's meshing and Python's threads: a build uses one per core and a few more
CHILD_OPEN_FILES = 256
CHILD_UID_BASE = 3_000_000_000  # far above any account's uid; unsigned 32-bit, like uid_t
NOT_A_REPLY = "the script wrote something else than the build's reply into its reply"


@dataclass
class Child:
    job: dict[str, Any]
    pid: int
    pidfd: int
    output: int  # read end of the child's stdout and stderr
    reply: int  # read end of the reply pipe
    deadline: float
    phase: str  # "script" or "export"
    folder: Path  # the one folder the child may write
    shown: dict[str, Any] = field(default_factory=dict)  # export phase: what the script child answered
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
        self.next_quota_check = 0.0

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
                    self.pending.extend(json.loads(line) for line in lines if line.strip())  # the build's own
                elif kind == "exit":
                    self._finish(child)
                else:
                    self._drain(child, kind)
            self._stop_late_children()
            self._check_quotas()

    def _start(self, job: dict[str, Any], phase: str = "script", shown: dict[str, Any] | None = None,
               deadline: float | None = None) -> None:
        """Fork a child for `phase`; the export child inherits the script child's deadline: one limit per job."""
        output_r, output_w = os.pipe()
        reply_r, reply_w = os.pipe()
        sys.stderr.flush()  # else the child inherits the zygote's unwritten text and "prints" it
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                run_child(job, self.settings, self.readable, output_w, reply_w, phase)
            finally:
                os._exit(70)
        os.close(output_w)
        os.close(reply_w)
        folder = Path(job["script_dir"] if phase == "script" else job["export_dir"])
        child = Child(job, pid, os.pidfd_open(pid), output_r, reply_r, deadline or time.monotonic() + job["seconds"],
                      phase, folder, shown or {})
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
        if child.phase == "script" and reply["ok"]:
            self._start(child.job, "export", reply, child.deadline)  # the shape is handed over: a fresh child exports it
            return
        if child.phase == "export":
            reply = child.shown | reply  # the export's facts and memory, with the script child's count of parts
        reply["key"] = child.job["key"]
        self.replies.write(json.dumps(reply) + "\n")

    def _reply(self, child: Child, status: int) -> dict[str, Any]:
        """What the child answered, as plain checked fields; anything else is this job's failure."""
        if child.stopped_because:
            return {"ok": False, "error": child.stopped_because + _shown(child.printed)}
        if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and child.answer):
            return {"ok": False, "error": _death(status) + _shown(child.printed)}
        try:
            reply = json.loads(child.answer.decode("utf-8", "replace").splitlines()[-1])
        except (ValueError, IndexError, RecursionError):
            reply = None
        if not isinstance(reply, dict) or reply.get("ok") not in (True, False):
            return {"ok": False, "error": NOT_A_REPLY + _shown(child.printed)}
        if not reply["ok"]:
            line, error = reply.get("line"), reply.get("error")
            return {"ok": False, "error": (error if isinstance(error, str) else "failed")[:2000] + _shown(child.printed),
                    "line": line if type(line) is int and line > 0 else None}
        # plain values only (a nested one could be too deep to write again); the build checks each strictly
        kept = {k: v for k in ("shown_objects", "rss_kb", "peak_rss_kb") if type(v := reply.get(k)) in SCALARS}
        if child.phase == "export" and isinstance(reply.get("facts"), dict):
            kept["facts"] = reply["facts"]  # measured by our own code, in a child no script ran in
        return {"ok": True, **kept}

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

    def _check_quotas(self) -> None:
        """Stop a child whose folder holds more than the staging quota: many files or bytes fill the disk."""
        now = time.monotonic()
        if now < self.next_quota_check:
            return
        self.next_quota_check = now + QUOTA_CHECK_SECONDS
        for child in list(self.running.values()):
            over = folder_over_quota(child.folder, self.settings["staging_bytes"], self.settings["staging_files"],
                                     unlinked_bytes(child.pid))
            if over:
                self._stop(child, f"{over} and was stopped; a design script writes no file "
                                  "(the build exports what it shows)")

    def _next_timeout(self) -> float | None:
        if not self.running:
            return None
        waiting = [c.deadline for c in self.running.values() if c.stopped_because is None]
        if not waiting:
            return None
        return max(0.0, min(min(waiting), self.next_quota_check) - time.monotonic())

    @staticmethod
    def _readable_paths() -> list[Path]:
        """Also loads the wall's libraries here: a confined child could not find libseccomp (ldconfig) any more."""
        import landlock
        import pyseccomp  # noqa: F401

        from ...wall import read_only_paths

        landlock.landlock_abi_version()
        return read_only_paths()


def folder_over_quota(folder: Path, most_bytes: int, most_entries: int, unlinked: int = 0) -> str | None:
    """What exceeds the quota in `folder` (an iterative walk that stops at the quota), or None. `unlinked`:
    the bytes of files the child holds open but unlinked, which count too."""
    if unlinked > most_bytes:
        return f"held more than {_size(most_bytes)} in files it had deleted but kept open"  # in no folder
    entries, used, waiting = 0, unlinked, [folder]
    while waiting:
        try:
            with os.scandir(waiting.pop()) as listing:
                for entry in listing:
                    entries += 1
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    used += info.st_blocks * 512
                    if entries > most_entries:
                        return f"wrote more than {most_entries} files or folders in its folder"
                    if used > most_bytes:
                        return f"wrote more than {_size(most_bytes)} in its folder" + (
                            " (with files it had deleted but kept open)" if unlinked else "")
                    if entry.is_dir(follow_symlinks=False):
                        waiting.append(Path(entry.path))
        except OSError:
            continue
    return None


def run_child(job: dict[str, Any], settings: dict[str, Any], readable: list[Path], output: int, reply: int,
              phase: str) -> None:
    """In the forked child: fence in the file descriptors, limit, confine, build or export, answer, exit."""
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
    writable = Path(job["script_dir"] if phase == "script" else job["export_dir"])
    cpu = int(job["seconds"]) * (os.cpu_count() or 1) + 5  # a backstop: meshing runs on threads, the zygote stops it first
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_NOFILE, (CHILD_OPEN_FILES, CHILD_OPEN_FILES))
    if phase == "script":  # the export child runs our code only, on a pool of a few threads
        limit_tasks()
    os.chdir(writable)
    from . import main

    if settings["confine"]:
        from ...wall import confine

        # the export child reads the shape the script child handed over, and nothing else of it
        readable = readable if phase == "script" else readable + [Path(job["script_dir"])]
        try:
            confine(writable, readable, os.getpid())
        except Exception as err:  # fail closed: this child never runs the script
            os.write(3, (json.dumps({"ok": False, "error": f"the build's wall could not be raised: {err}"}) + "\n").encode())
            os._exit(0)
        main.WALLED = True
    result = json.dumps(main.answer(job, phase)) + "\n"
    os.write(3, result.encode("utf-8"))
    sys.stdout.flush()
    os._exit(0)


def limit_tasks() -> None:
    """At most CHILD_TASKS tasks (threads) in this child. As root, under a real uid of its own first, since
    RLIMIT_NPROC counts a real uid's tasks and spares uid 0; the effective uid stays (files as before, and
    the wall drops every capability next). Only the script child: access() answers for the real uid, and
    OCCT's glTF writer asks access(W_OK) of its own new files before removing them, which the export child
    must. Not as root: the user's own RLIMIT_NPROC applies, as to every program they run."""
    if os.getuid() != 0:
        return
    for uid in (CHILD_UID_BASE + os.getpid(), 65534):  # a container's user namespace may map only a few uids
        try:
            os.setresuid(uid, 0, 0)
            break
        except OSError:
            continue
    else:
        raise OSError("no uid could be given to the child for its task limit")
    resource.setrlimit(resource.RLIMIT_NPROC, (CHILD_TASKS, CHILD_TASKS))


def unlinked_bytes(pid: int) -> int:
    """Disk held by files `pid` keeps open after unlinking them: they are in no folder, yet fill the disk."""
    used = 0
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return 0
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}").endswith(" (deleted)"):
                used += os.stat(f"/proc/{pid}/fd/{fd}").st_blocks * 512
        except OSError:
            continue
    return used


def warm_up(scratch: Path) -> None:
    """Load, in the zygote, everything a build loads lazily (exporters, trimesh), without starting a thread."""
    from .main import build_variant

    with tempfile.TemporaryDirectory(dir=scratch, prefix="warm-up-") as folder:
        build_variant({"source": WARM_UP_SCRIPT, "parameters": {}, "script_dir": folder, "export_dir": folder,
                       "product_name": "warm-up", "tolerance_mm": 0.1, "angular_tolerance_rad": 0.3}, parallel=False)
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


def serve_builds(control: socket.socket) -> None:
    """The template (`pool.keep_cadquery_loaded`): CadQuery imported and warmed up once, then a fresh zygote
    forked for each build on request, as if started anew: its own session, the build's settings and pipes. The
    template itself runs no job and no script; it ends when the build process closes the control socket.

    Requests, one JSON message each: the build's settings with its job pipe's read end and its reply pipe's write
    end (answered with the new zygote's pid), or {"reap": pid} once the build has stopped that zygote (answered
    with its exit status and the CPU seconds it and its children used: it is not the build process's child)."""
    Zygote._readable_paths()  # loads the wall's libraries once, for every zygote forked
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 1 << 16, 2)
        except OSError:
            return
        if not message:
            return
        request = json.loads(message)  # the build's own
        if "reap" in request:
            _, status, usage = os.wait4(request["reap"], 0)
            control.send(json.dumps({"status": os.waitstatus_to_exitcode(status),
                                     "cpu": usage.ru_utime + usage.ru_stime}).encode())
            continue
        jobs, replies = fds
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the build's zygote: never returns
            try:
                control.close()
                os.setsid()
                os.dup2(jobs, 0)
                os.close(jobs)
                Zygote(request, os.fdopen(replies, "w", buffering=1, encoding="utf-8")).serve()
                os._exit(0)
            finally:
                os._exit(70)
        os.close(jobs)
        os.close(replies)
        control.send(json.dumps({"pid": pid}).encode())


def main() -> None:
    settings = json.loads(sys.argv[1])
    replies = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # the zygote's own prints (library warnings) go to the build's stderr, never into replies
    sys.stdout = sys.stderr
    import cadquery  # noqa: F401 - the one expensive import, paid once per build (or per template)

    warm_up(Path(settings["scratch"]))
    replies.write(json.dumps({"status": "ready"}) + "\n")
    if "control" in settings:
        serve_builds(socket.socket(fileno=settings["control"]))
    else:
        Zygote(settings, replies).serve()


if __name__ == "__main__":
    main()
