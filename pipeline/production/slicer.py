"""Running PrusaSlicer headless and reading its figures from the G-code's comments.

The slicer runs with a bare environment (no tokens or CI secrets, no user
profile folder) and its own temporary folder as home, under a wall-time limit.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import subprocess
import threading
from pathlib import Path

from ..model import SliceFigures

SLICER = Path("/usr/bin/prusa-slicer")
# PrusaSlicer 2.5 slices on all CPUs (TBB) and, rarely, estimates the same input differently: a test part gave
# 8 min 58 s once and 8 min 41 s in its other 207 runs, and a sharded build's figures once differed from the
# unsharded one's in the same way. TBB sizes its work to the CPUs a process may use, so each run gets one CPU
# (util-linux's taskset) and its work runs in one order; the build runs several at once, on the next CPUs.
# (Pinned, the part gave 8 min 41 s in 216 runs of 216: fewer runs than it would take to prove the race gone.)
TASKSET = "/usr/bin/taskset"
_CPUS = itertools.cycle(sorted(os.sched_getaffinity(0)))
_CPUS_LOCK = threading.Lock()
NO_FIT = "Objects could not fit on the bed"
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


class Slicer:
    """One slicer binary, run in a private folder; counts its runs for the build report."""

    def __init__(self, workdir: Path, timeout_s: float, binary: Path = SLICER):
        self.workdir = workdir
        self.timeout_s = timeout_s
        self.binary = binary
        self.runs = 0

    def environment(self) -> dict[str, str]:
        return {"PATH": "/usr/bin:/bin", "HOME": str(self.workdir), "TMPDIR": str(self.workdir),
                "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TZ": "UTC"}

    def run(self, arguments: list[str]) -> str:
        """The slicer's output; raises DoesNotFit or SlicerError with its last words."""
        self.runs += 1
        if not os.access(self.binary, os.X_OK):  # as the slicer itself would fail to start, not as taskset says it
            raise FileNotFoundError(2, "No such file or directory", str(self.binary))
        try:
            done = subprocess.run([TASKSET, "--cpu-list", str(_next_cpu()), str(self.binary), *arguments],
                                  cwd=self.workdir, env=self.environment(),
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=self.timeout_s)
        except subprocess.TimeoutExpired:
            raise SlicerError(f"PrusaSlicer did not finish within {self.timeout_s:g} s") from None
        output = done.stdout + done.stderr
        if NO_FIT in output:
            raise DoesNotFit(NO_FIT)
        if done.returncode != 0:
            raise SlicerError(_last_error(output) or f"PrusaSlicer exited with status {done.returncode}")
        return output

    def slice(self, model: Path, configs: list[Path], duplicate: int = 1, arrange: bool = True) -> SliceFigures:
        """`arrange=False` keeps a plate's own arrangement (a plate 3MF the slicer exported)."""
        gcode = self.workdir / f"{model.stem}-x{duplicate}.gcode"
        self.run([*_loads(configs), *(["--duplicate", str(duplicate)] if duplicate > 1 else []),
                  *([] if arrange else ["--dont-arrange"]), "--export-gcode", "--output", str(gcode), str(model)])
        figures = read_figures(gcode)
        gcode.unlink()
        return figures

    def export_plate(self, model: Path, configs: list[Path], copies: int, target: Path) -> bytes:
        """The slicer's arranged plate of `copies` copies as a 3MF; DoesNotFit when they don't fit."""
        self.run([*_loads(configs), *(["--duplicate", str(copies)] if copies > 1 else []),
                  "--export-3mf", "--output", str(target), str(model)])
        return target.read_bytes()


def _next_cpu() -> int:
    with _CPUS_LOCK:
        return next(_CPUS)


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
