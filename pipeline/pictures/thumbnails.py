"""A PNG picture of every variant, rendered from its STL.

Rendering is offscreen VTK through EGL, in a child process: a machine without
a usable OpenGL driver can crash inside the driver, and that must cost only the
renderer, not the build. When the child fails, the same picture is drawn with
matplotlib (slower, flatter). Pictures are cached by the variant's cache key and
the renderer, so they never touch the CAD cache entries, and a matplotlib stand-in
gives way to VTK's picture once VTK works.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from ..built import Artifact
from ..materials import PART_COLOUR
from ..runner import Tool, ToolError, run

THUMBNAIL_VERSION = "2"  # bump when the picture's look changes
SIZE = (640, 480)
BACKGROUND = (0.96, 0.96, 0.96)
VIEW_DIRECTION = (0.55, -1.0, 1.1)  # from the front right, above: flat parts show their outline
RENDER_TIMEOUT_S = 300
VTK_RENDERER = Tool("the VTK renderer", "pip install -r requirements.txt (VTK), and EGL or a display for OpenGL")
# What an OpenGL child needs of this process's environment, when set: the window kind, a display, the GL drivers.
OPENGL_ENVIRONMENT = ("VTK_DEFAULT_OPENGL_WINDOW", "DISPLAY", "WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "LD_LIBRARY_PATH",
                      "__EGL_VENDOR_LIBRARY_DIRS", "LIBGL_ALWAYS_SOFTWARE", "GALLIUM_DRIVER", "HOME", "MPLCONFIGDIR")
REPOSITORY = Path(__file__).resolve().parents[2]


def render_in_child(module: str, args: list[str]) -> None:
    """Run `python -m <module> args...` in the repository, offscreen (EGL unless the caller's environment names
    another window); raises ToolError."""
    window = os.environ.get("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
    run(VTK_RENDERER, [sys.executable, "-m", module, *args], cwd=REPOSITORY, keep=OPENGL_ENVIRONMENT,
        env={"VTK_DEFAULT_OPENGL_WINDOW": window}, timeout_s=RENDER_TIMEOUT_S)


def render_thumbnails(artifacts: list[Artifact], cache_dir: Path) -> dict[str, Path]:
    """The picture of each artifact, by its cache key: VTK's, else matplotlib's.

    Each renderer's picture is cached under its own name. A matplotlib picture is a stand-in:
    VTK is tried again for it at each build, so pictures improve once EGL works on the machine.
    """
    drawn = {a.job.key: cache_dir / f"{a.job.key}-v{THUMBNAIL_VERSION}-vtk.png" for a in artifacts}
    missing = [(a.file("stl"), drawn[a.job.key]) for a in artifacts if not drawn[a.job.key].is_file()]
    if missing:
        cache_dir.mkdir(parents=True, exist_ok=True)
        _render_with_vtk(missing)
    pictures = {}
    for a in artifacts:
        png = drawn[a.job.key]
        if not png.is_file():
            png = cache_dir / f"{a.job.key}-v{THUMBNAIL_VERSION}-matplotlib.png"
            if not png.is_file():
                render_with_matplotlib(a.file("stl"), png)
        pictures[a.job.key] = png
    return pictures


def _render_with_vtk(jobs: list[tuple[Path, Path]]) -> None:
    """Draw what it can; a failed or crashed child leaves the rest unwritten, for matplotlib to draw (the picture
    is still right: no problem)."""
    try:
        render_in_child("pipeline.pictures.vtk_render", [str(p) for pair in jobs for p in pair])
    except ToolError:
        pass


def render_with_matplotlib(stl: Path, png: Path) -> None:
    """The fallback: flat-shaded triangles sorted back to front, no OpenGL needed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    import trimesh
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection

    mesh = trimesh.load_mesh(stl, file_type="stl", process=True)
    light = np.array(VIEW_DIRECTION) / np.linalg.norm(VIEW_DIRECTION)
    shade = 0.35 + 0.65 * np.clip(mesh.face_normals @ light, 0, 1)
    colours = np.outer(shade, PART_COLOUR)
    fig = plt.figure(figsize=(SIZE[0] / 100, SIZE[1] / 100), dpi=100, facecolor=BACKGROUND)
    ax = fig.add_axes((0, 0, 1, 1), projection="3d", facecolor=BACKGROUND)
    ax.add_collection3d(Poly3DCollection(mesh.triangles, facecolors=colours, edgecolors="none"))
    lo, hi = mesh.bounds
    centre, half = (lo + hi) / 2, (hi - lo).max() / 2
    for set_lim, c in zip((ax.set_xlim, ax.set_ylim, ax.set_zlim), centre, strict=True):
        set_lim(c - half, c + half)
    ax.set_box_aspect((1, 1, 1))
    ax.view_init(elev=40, azim=-60)
    ax.set_axis_off()
    tmp = png.with_suffix(f".{os.getpid()}.tmp.png")  # builds sharing a cache never write one file
    fig.savefig(tmp, dpi=100, facecolor=BACKGROUND, metadata={"Software": None})
    plt.close(fig)
    os.replace(tmp, png)
