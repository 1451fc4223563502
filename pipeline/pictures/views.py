"""The pictures of the assembly steps: the part seen from the side a step names, rendered from its STL.

    python -m pipeline.pictures.views in.stl out.png <view> [in2.stl out2.png <view2> ...]

A step's picture is rendered from the first variant the step applies to, with offscreen VTK in a child
process as the thumbnails are (thumbnails.py), and cached by the variant's cache key and the view. Where VTK
cannot render, the step is published without its picture (its text and warning stay), and that is a problem of
its design, naming the step and the renderer's last error line.
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from ..built import Artifact
from ..fsutil import relative
from ..materials import PART_COLOUR
from ..model import Design, Problem
from ..runner import ToolError
from .sheet_mesh import write_sheet_stl
from .thumbnails import VIEW_DIRECTION, render_in_child

STEP_VIEW_VERSION = "1"  # bump when a view's look changes
# view: (direction from the part to the camera, up in the picture); the part as printed, Z up, front on -Y
VIEWS = {
    "iso": (VIEW_DIRECTION, (0, 0, 1)),
    "top": ((0, 0, 1), (0, 1, 0)),
    "bottom": ((0, 0, -1), (0, 1, 0)),
    "front": ((0, -1, 0), (0, 0, 1)),
    "back": ((0, 1, 0), (0, 0, 1)),
    "left": ((-1, 0, 0), (0, 0, 1)),
    "right": ((1, 0, 0), (0, 0, 1)),
    "exploded": (VIEW_DIRECTION, (0, 0, 1)),  # the parts moved apart from their common centre, seen as iso
    "sheet": (VIEW_DIRECTION, (0, 0, 1)),  # the design's transparent sheet, holes punched, seen as iso (sheet_mesh.py)
}
SHEET_COLOUR = (0.62, 0.78, 0.86)  # a clear plastic sheet, pale blue-grey: not the printed part's colour
SHEET_VIEW_VERSION = "2"  # bump when the sheet's picture changes (its cache name carries it)
EXPLODE = 0.6  # each part moves this fraction of the whole's size away from the centre, along its own direction


def step_views_needed(designs: list[Design], artifacts: list[Artifact]) -> dict[tuple[str, int], tuple[Artifact, str]]:
    """(slug, step index) -> the artifact and view its picture is rendered from, for steps with a `view`."""
    by_variant = {(a.job.design.slug, a.job.variant.name): a for a in artifacts}
    needed = {}
    for design in designs:
        for index, step in enumerate(design.steps):
            if step.view is None:
                continue
            variant = next((v for v in design.variants if not step.variants or v.name in step.variants), None)
            artifact = by_variant.get((design.slug, variant.name)) if variant else None
            if artifact is not None:
                needed[(design.slug, index)] = (artifact, step.view)
    return needed


def render_step_views(designs: list[Design], artifacts: list[Artifact], cache_dir: Path,
                      problems: list[Problem] | None = None,
                      root: Path | None = None) -> dict[tuple[str, int], Path]:
    """The picture of each step with a `view`, by (slug, step index); a step VTK could not draw is left out, and is
    one problem in `problems` (paths relative to `root`)."""
    needed = step_views_needed(designs, artifacts)
    paths = {k: cache_dir / f"{a.job.key}-{view}{_sheet_key(a, view)}-step-v{STEP_VIEW_VERSION}.png"
             for k, (a, view) in needed.items()}
    missing = {(_source(needed[k][0], needed[k][1], cache_dir), paths[k], needed[k][1])
               for k in needed if not paths[k].is_file()}
    if missing:
        cache_dir.mkdir(parents=True, exist_ok=True)
        try:
            render_in_child("pipeline.pictures.views", [str(item) for triple in sorted(missing) for item in triple])
            why = "the VTK renderer wrote no picture"
        except ToolError as err:
            why = str(err)
        for (slug, index), path in sorted(paths.items()):
            if not path.is_file() and problems is not None:
                artifact = needed[(slug, index)][0]
                problems.append(Problem.at(f"assembly step {index + 1}'s view could not be drawn ({why}); the step is "
                                           "published without its picture",
                                           file=relative(artifact.job.design.folder / "design.yaml", root or Path("/")),
                                           design=slug, variant=artifact.job.variant.name))
    return {k: p for k, p in paths.items() if p.is_file()}


def _sheet_key(artifact: Artifact, view: str) -> str:
    """For the sheet's picture, a digest of design.yaml's `sheet` (the CAD key does not cover it)."""
    if view != "sheet":
        return ""
    return "-" + hashlib.sha256(f"{SHEET_VIEW_VERSION}{artifact.job.design.sheet!r}".encode()).hexdigest()[:16]


def _source(artifact: Artifact, view: str, cache_dir: Path) -> Path:
    """The STL a view is rendered from: the variant's own, for `exploded` its parts moved apart, for `sheet` the
    design's sheet."""
    if view == "sheet":
        target = cache_dir / f"sheet{_sheet_key(artifact, view)}-v{STEP_VIEW_VERSION}.stl"
        if not target.is_file():
            write_sheet_stl(artifact.job.design.sheet, target)
        return target
    if view != "exploded":
        return artifact.file("stl")
    target = cache_dir / f"{artifact.job.key}-exploded-v{STEP_VIEW_VERSION}.stl"
    if not target.is_file():
        exploded_stl(artifact.file("stl"), target)
    return target


def exploded_stl(stl: Path, target: Path) -> None:
    """The mesh's separate parts (connected pieces), each pushed away from the whole's centre."""
    import numpy as np
    import trimesh

    mesh = trimesh.load_mesh(stl, file_type="stl", process=True)
    parts = mesh.split(only_watertight=False)
    centre, size = mesh.bounds.mean(axis=0), float(np.linalg.norm(mesh.extents))
    moved = []
    for part in parts:
        away = part.bounds.mean(axis=0) - centre
        length = float(np.linalg.norm(away))
        if length > 1e-9:
            part.apply_translation(away / length * EXPLODE * size / 2)
        moved.append(part)
    tmp = target.with_suffix(".tmp.stl")
    trimesh.util.concatenate(moved).export(tmp, file_type="stl")
    os.replace(tmp, target)


def main(args: list[str]) -> int:
    import vtk

    from .vtk_render import offscreen_window, render

    opened = offscreen_window(vtk)
    if opened is None:
        return 2
    window, renderer = opened
    for stl, png, view in zip(args[0::3], args[1::3], args[2::3], strict=True):
        direction, up = VIEWS[view]
        render(vtk, window, renderer, Path(stl), Path(png), direction, up,
               SHEET_COLOUR if view == "sheet" else PART_COLOUR)
    window.Finalize()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
