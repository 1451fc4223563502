"""Each built variant's solids as the cutting worker reads them from the STEP: flatness, thickness, contours.

The worker (worker/outlines.py) is a process of its own, behind the same wall as the CAD children; its
answers are cached by the STEP's SHA-256 in .cache/cutting/outlines/, so a rebuild with nothing changed
starts no process. Everything after this module works on plain polylines with shapely.
"""
from __future__ import annotations

import hashlib
import json
import math
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..fsutil import replace_file
from ..runner import Tool, ToolError, last_line, run
from ..wall import wall_unavailable, worker_environment

if TYPE_CHECKING:  # type hints only
    from shapely.geometry import Polygon

    from ..built import Artifact
    from ..config import BuildConfig

OUTLINE_FORMAT_VERSION = "1"
WORKER = Path(__file__).resolve().parent / "worker" / "outlines.py"
CODE_ROOT = Path(__file__).resolve().parents[2]
CIRCLE_SEGMENTS = 256  # a circle as a polygon, for areas and overlaps only: its length is the exact one
TIMEOUT_S = 300
CUTTING_WORKER = Tool("the cutting worker", "pip install -r requirements.txt (CadQuery's OCP reads the STEP)")


@dataclass(frozen=True)
class Contour:
    outer: bool
    length_mm: float  # as OCCT measures the wire: exact
    points: tuple[tuple[float, float], ...] = ()  # a closed polyline, first point not repeated
    circle: tuple[float, float, float] | None = None  # centre x, y and diameter, when the contour is one circle

    @property
    def start(self) -> tuple[float, float]:
        """Where the beam pierces: the first point, or a circle's rightmost point."""
        if self.circle is not None:
            return (self.circle[0] + self.circle[2] / 2, self.circle[1])
        return self.points[0]

    def ring(self) -> list[tuple[float, float]]:
        if self.circle is None:
            return list(self.points)
        x, y, d = self.circle
        return [(x + d / 2 * math.cos(2 * math.pi * i / CIRCLE_SEGMENTS),
                 y + d / 2 * math.sin(2 * math.pi * i / CIRCLE_SEGMENTS)) for i in range(CIRCLE_SEGMENTS)]


@dataclass(frozen=True)
class SolidOutline:
    bounding_box_mm: tuple[float, ...]  # xmin, ymin, zmin, xmax, ymax, zmax
    thickness_mm: float
    not_flat: str | None  # why it is not a flat extrusion along Z, or None
    contours: tuple[Contour, ...]  # inner ones first, the outer one last: the cutting order

    def polygon(self) -> Polygon:
        """The part as a shapely polygon with its holes, moved so that its bounding box starts at (0, 0)."""
        from shapely import affinity  # here: shapely and numpy are 50 ms of a build that checks no part again
        from shapely.geometry import Polygon

        outer = next(c for c in self.contours if c.outer)
        shape = Polygon(outer.ring(), [c.ring() for c in self.contours if not c.outer])
        return affinity.translate(shape, -self.bounding_box_mm[0], -self.bounding_box_mm[1])


def variant_outlines(artifacts: list[Artifact], config: BuildConfig) -> dict[str, list[SolidOutline] | str]:
    """Each variant's solids as its STEP holds them, or why they could not be read, by artifact key: what laser
    cutting and sewing start from, read behind the wall (unless scripts are trusted) through one cache."""
    steps = read_outlines([a.file("step") for a in artifacts], config.cutting_cache_dir / "outlines",
                          confine=not config.limits.trust_scripts)
    return {a.job.key: steps[a.file("step")] for a in artifacts}


def read_outlines(steps: list[Path], cache_dir: Path, confine: bool) -> dict[Path, list[SolidOutline] | str]:
    """Each STEP's solids, or the reason they could not be read; from the cache where it has them."""
    found: dict[Path, list[SolidOutline] | str] = {}
    cached = {step: cache_dir / f"{outline_key(step)}.json" for step in steps}
    missing = [step for step in steps if not cached[step].is_file()]
    if missing:
        for step, answer in zip(missing, _run_worker(missing, confine), strict=True):
            if "solids" in answer:  # a failure is not cached: the next build tries again
                cache_dir.mkdir(parents=True, exist_ok=True)
                replace_file(cached[step], json.dumps(answer, sort_keys=True))
            else:
                found[step] = answer["error"]
    for step in steps:
        if step not in found:
            found[step] = [_solid(s) for s in json.loads(cached[step].read_text(encoding="utf-8"))["solids"]]
    return found


def outline_key(step: Path) -> str:
    digest = hashlib.sha256(step.read_bytes()).hexdigest()
    return hashlib.sha256(f"{OUTLINE_FORMAT_VERSION} {digest}".encode()).hexdigest()


def _run_worker(steps: list[Path], confine: bool) -> list[dict]:
    why = wall_unavailable() if confine else None
    if why:  # a STEP file a contributor's script could have written is read behind the wall or not at all
        return [{"error": f"the build's wall is unavailable ({why}); run with --trust-scripts for your own "
                          "designs only"}] * len(steps)
    try:
        with tempfile.TemporaryDirectory(prefix="cutting-") as scratch:  # the wall's writable folder: removed after
            request = json.dumps({"steps": [str(s) for s in steps], "confine": confine, "scratch": scratch})
            done = run(CUTTING_WORKER, [sys.executable, "-I", WORKER, request], env=worker_environment(),
                       timeout_s=TIMEOUT_S)
        lines = done.stdout.decode("utf-8", "replace").strip().splitlines()
        answers = json.loads(lines[-1]) if lines else None
        why = last_line(done.stderr) or "no answer"
    except ToolError as err:
        answers, why = None, str(err)
    except ValueError as err:  # not JSON: a worker that printed something else last
        answers, why = None, f"an unreadable answer ({err})"
    if not isinstance(answers, list) or len(answers) != len(steps):
        return [{"error": f"the cutting worker failed ({why})"}] * len(steps)
    return answers


def _solid(data: dict) -> SolidOutline:
    contours = tuple(Contour(outer=c["outer"], length_mm=c["length_mm"],
                             points=tuple(tuple(p) for p in c.get("points", ())),
                             circle=(*c["circle"]["centre"], c["circle"]["diameter"]) if "circle" in c else None)
                     for c in data["contours"])
    return SolidOutline(tuple(data["bounding_box_mm"]), data["thickness_mm"], data["not_flat"], contours)
