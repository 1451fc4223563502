"""Running PrusaSlicer headless and reading its figures from the G-code's comments.

The slicer runs with a bare environment (no tokens or CI secrets, no user
profile folder) and its own temporary folder as home, under a wall-time limit.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import queue
import re
import shutil
import threading
import time
import zipfile
from pathlib import Path

from ..fsutil import deterministic_zip
from ..production.records import SliceFigures
from ..runner import Tool, ToolError, run

SLICER = Path("/usr/bin/prusa-slicer")
# PrusaSlicer 2.5 slices on all CPUs (TBB) and now and again estimates the same input differently (commit 177b221
# has the measurements). TBB sizes its work to the CPUs a process may use, so each run gets one CPU (util-linux's
# taskset) and its work runs in one order; the build runs several at once, each on a CPU of its own.
TASKSET = "/usr/bin/taskset"
# The CPUs free for a slicer: a run takes one and gives it back, so that two runs at once never share a CPU while
# another stays idle (a round-robin did, once runs got short and many).
_FREE_CPUS: queue.SimpleQueue[int] = queue.SimpleQueue()
for _cpu in sorted(os.sched_getaffinity(0)):
    _FREE_CPUS.put(_cpu)
NO_FIT = "Objects could not fit on the bed"
PRUSASLICER = Tool("PrusaSlicer", "tools/system-packages (Debian's prusa-slicer)")
SETTINGS_3MF = "Metadata/Slic3r_PE.config"
TAIL_BYTES = 256 * 1024  # the figures are in the G-code's last lines, before the settings block
FIGURE_LINES = {
    "filament_mm": r"; filament used \[mm\] = ([\d.]+)",
    "filament_cm3": r"; filament used \[cm3\] = ([\d.]+)",
    "filament_g": r"; total filament used \[g\] = ([\d.]+)",
    "cost": r"; total filament cost = ([\d.]+)",
    "time": r"; estimated printing time \(normal mode\) = ([\dhdms ]+)",
}


class SlicerError(RuntimeError):
    pass


class DoesNotFit(SlicerError):
    pass


class SliceBudget:
    """The slicer seconds one design may take across all its runs (every variant, printer and plate tried):
    a script's 18 s of CAD can make a part that keeps one slice running for many minutes, and each run's own
    limit multiplies by the runs. Shared by the threads slicing the design's jobs."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.used = 0.0
        self._lock = threading.Lock()

    def remaining(self) -> float:
        with self._lock:
            return self.seconds - self.used

    def spend(self, seconds: float) -> None:
        with self._lock:
            self.used += seconds

    def exhausted(self) -> SlicerError:
        return SlicerError(f"slicing this design took more than {self.seconds:g} s in all (its runs on every "
                           "printer and variant share that budget) and was stopped; simplify the geometry or its "
                           "print_settings (a finer layer or more perimeters slice longer)")


class Slicer:
    """One slicer binary, run in a private folder; counts its runs for the build report.

    With a memo, a run whose inputs (the model's bytes, the configs' bytes, the copies, the slicer's version) were
    seen before, by this build or another design's, is not run again: its figures and arranged plate are read back.
    """

    def __init__(self, workdir: Path, timeout_s: float, binary: Path = SLICER, memo: RunMemo | None = None,
                 version: str = "", budget: SliceBudget | None = None):
        self.workdir = workdir
        self.timeout_s = timeout_s
        self.budget = budget
        self.binary = binary
        self.memo = memo
        self.version = version
        self.runs = 0

    def environment(self) -> dict[str, str]:
        """Beside the runner's bare environment: a home and a temporary folder of its own."""
        return {"HOME": str(self.workdir), "TMPDIR": str(self.workdir)}

    def run(self, arguments: list[str]) -> str:
        """The slicer's output; raises DoesNotFit or SlicerError with its last words."""
        self.runs += 1
        if not os.access(self.binary, os.X_OK):  # as the slicer itself would fail to start, not as taskset says it
            raise FileNotFoundError(2, "No such file or directory", str(self.binary))
        cpu = _FREE_CPUS.get()  # waits while every CPU has a slicer (more build workers than CPUs)
        left = self.budget.remaining() if self.budget else self.timeout_s
        timeout = min(self.timeout_s, left)
        started = time.monotonic()
        try:
            if timeout <= 0:
                raise ToolError(PRUSASLICER, "did not start: the design's slicing budget is spent")
            done = run(PRUSASLICER, [TASKSET, "--cpu-list", str(cpu), self.binary, *arguments], cwd=self.workdir,
                       env=self.environment(), timeout_s=timeout, check=False)
        except ToolError as err:
            if self.budget and timeout < self.timeout_s and "did not" in err.reason:
                raise self.budget.exhausted() from None
            raise SlicerError(f"PrusaSlicer {err.reason}") from None
        finally:
            _FREE_CPUS.put(cpu)
            if self.budget:
                self.budget.spend(time.monotonic() - started)
        output = done.text()
        if NO_FIT in output:
            raise DoesNotFit(NO_FIT)
        if done.returncode != 0:
            raise SlicerError(_last_error(output) or f"PrusaSlicer exited with status {done.returncode}")
        return output

    def slice(self, model: Path, configs: list[Path], copies: int = 1, arrange: bool = True) -> SliceFigures:
        """The figures of `copies` copies arranged by the slicer; `arrange=False` keeps a plate 3MF's own
        arrangement."""
        return self._memoised("gcode" if arrange else "gcode as placed", model, configs, copies,
                              lambda: (None, self._slice(model, configs, copies, arrange)))[1]

    def plate(self, model: Path, configs: list[Path], copies: int) -> tuple[bytes, SliceFigures]:
        """The slicer's arranged plate of `copies` copies as a 3MF, and the figures of slicing that very 3MF as
        arranged (as a maker who loads it gets them); DoesNotFit when they don't fit the bed."""
        arranged = self.arranged(model, configs, copies)
        plate = self.workdir / f"{model.stem}-plate-x{copies}.3mf"
        plate.write_bytes(arranged)
        figures = self.slice(plate, configs, copies=1, arrange=False)
        plate.unlink()
        return arranged, figures

    def fits(self, model: Path, configs: list[Path], copies: int) -> bool:
        """Whether the slicer can arrange `copies` copies on the bed (an arrangement, no slicing)."""
        try:
            self.arranged(model, configs, copies)
        except DoesNotFit:
            return False
        return True

    def arranged(self, model: Path, configs: list[Path], copies: int) -> bytes:
        """The slicer's arrangement of `copies` copies, as a 3MF without settings; DoesNotFit when they don't fit."""
        return self._memoised("arrange", model, configs, copies, lambda: (self._arrange(model, configs, copies), None))[0]

    def _slice(self, model: Path, configs: list[Path], copies: int, arrange: bool) -> SliceFigures:
        gcode = self.workdir / f"{model.stem}-x{copies}.gcode"
        self.run([*_loads(configs), *_copies(copies), *([] if arrange else ["--dont-arrange"]), "--export-gcode",
                  "--output", str(gcode), str(model)])
        figures = read_figures(gcode)
        gcode.unlink()
        return figures

    def _arrange(self, model: Path, configs: list[Path], copies: int) -> bytes:
        target = self.workdir / f"{model.stem}-arranged-x{copies}.3mf"
        self.run([*_loads(configs), *_copies(copies), "--export-3mf", "--output", str(target), str(model)])
        data = without_settings(target.read_bytes())
        target.unlink()
        return data

    def _memoised(self, action: str, model: Path, configs: list[Path], copies: int, compute):
        if self.memo is None:
            return compute()
        key = self.memo.key(action, model, configs, copies, self.version)
        known = self.memo.get(key)
        if known is None:
            try:
                known = compute()
            except DoesNotFit:
                self.memo.put(key, None)
                raise
            self.memo.put(key, known)
        elif known is DOES_NOT_FIT:
            raise DoesNotFit(NO_FIT)
        return known


DOES_NOT_FIT = object()


class RunMemo:
    """Slicer runs by the content of their inputs, shared by every design and variant (and by test projects).

    An entry is a folder with run.json (the figures, or that the copies do not fit) and, for a plate, the slicer's
    arranged 3MF as it wrote it; like the other caches, a reader sees a whole entry or none.
    """

    FORMAT = "1"

    def __init__(self, folder: Path):
        self.folder = folder

    def key(self, action: str, model: Path, configs: list[Path], copies: int, version: str) -> str:
        recipe = {"format": self.FORMAT, "action": action, "copies": copies, "slicer": version,
                  "model": _sha256(model), "configs": [_sha256(c) for c in configs]}
        return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()

    def get(self, key: str):
        entry = self.folder / key[:2] / key
        try:
            document = json.loads((entry / "run.json").read_text(encoding="utf-8"))
            if not document["fits"]:
                return DOES_NOT_FIT
            figures = SliceFigures(**document["figures"]) if document["figures"] else None
            arranged = (entry / "plate.3mf").read_bytes() if document["plate"] else None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # no entry, or one this code cannot read: run the slicer again
        return arranged, figures

    def put(self, key: str, known: tuple[bytes | None, SliceFigures | None] | None) -> None:
        entry = self.folder / key[:2] / key
        staging = self.folder / "tmp" / f"{key}-{os.getpid()}-{threading.get_ident()}"
        staging.mkdir(parents=True, exist_ok=True)
        arranged, figures = known if known is not None else (None, None)
        if arranged is not None:
            (staging / "plate.3mf").write_bytes(arranged)
        document = {"fits": known is not None, "plate": arranged is not None,
                    "figures": dataclasses.asdict(figures) if figures is not None else None}
        (staging / "run.json").write_text(json.dumps(document, sort_keys=True), encoding="utf-8")
        entry.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(staging, entry)
        except OSError:  # the same run, committed first by another thread or build: the same result
            shutil.rmtree(staging, ignore_errors=True)


def without_settings(plate: bytes) -> bytes:
    """A 3MF without the slicer's settings, which would override the profiles when it is sliced or opened."""
    with zipfile.ZipFile(io.BytesIO(plate)) as archive:
        if SETTINGS_3MF not in archive.namelist():
            return plate
        entries = {name: archive.read(name) for name in archive.namelist() if name != SETTINGS_3MF}
    return deterministic_zip(entries)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _copies(copies: int) -> list[str]:
    return ["--duplicate", str(copies)] if copies > 1 else []


def _loads(configs: list[Path]) -> list[str]:
    return [arg for config in configs for arg in ("--load", str(config))]


def _last_error(output: str) -> str:
    """The slicer's own words: its last line that is neither a log trace nor a progress line."""
    lines = [line.strip() for line in output.splitlines()
             if line.strip() and "[trace]" not in line and not re.match(r"\s*\d+ => ", line)]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines or [""])[-1]


def read_figures(gcode: Path) -> SliceFigures:
    """The figures of the G-code's comments; the first line's date is never read."""
    with gcode.open("rb") as stream:
        stream.seek(max(0, gcode.stat().st_size - TAIL_BYTES))
        tail = stream.read().decode("utf-8", "replace")
    found = {}
    for name, pattern in FIGURE_LINES.items():
        match = re.search(pattern, tail)
        if match is None:
            raise SlicerError(f"the G-code has no line {pattern.split(' =')[0].replace(chr(92), '')!r}")
        found[name] = match.group(1)
    return SliceFigures(seconds=parse_duration(found["time"]), filament_mm=float(found["filament_mm"]),
                        filament_cm3=float(found["filament_cm3"]), filament_g=float(found["filament_g"]),
                        cost=float(found["cost"]))


def parse_duration(text: str) -> int:
    """'1d 2h 3m 4s' (any of the parts) in seconds."""
    units = {"d": 86400, "h": 3600, "m": 60, "s": 1}
    return sum(int(number) * units[unit] for number, unit in re.findall(r"(\d+)([dhms])", text))


def slicer_version(binary: Path, cache_folder: Path, workdir: Path) -> tuple[str, int]:
    """`prusa-slicer --help`'s version line, remembered per binary (path, size, time) so a rebuild runs nothing.

    Returns the line and how many times the slicer ran to learn it (0 or 1).
    """
    stat = binary.stat()
    stamp = hashlib.sha256(f"{binary}\n{stat.st_size}\n{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    remembered = cache_folder / f"version-{stamp}.json"
    if remembered.is_file():
        return json.loads(remembered.read_text(encoding="utf-8"))["version"], 0
    slicer = Slicer(workdir, 60, binary)
    output = slicer.run(["--help"])
    line = next((text for text in output.splitlines() if text.startswith("PrusaSlicer-")), "")
    if not line:
        raise SlicerError(f"{binary} --help printed no version line")
    cache_folder.mkdir(parents=True, exist_ok=True)
    partial = remembered.with_suffix(f".{os.getpid()}.part")
    partial.write_text(json.dumps({"version": line}), encoding="utf-8")
    os.replace(partial, remembered)
    return line, 1
