"""What a CAD child does with one job, in two children that never meet.

The zygote (`zygote.py`) forks, for each job, a script child: it runs the script
through CQGI and hands over only the shape, as a BREP file in its own folder
(`run_script`). Once it has exited, a fresh fork of the zygote, in which no
contributor code ever ran, reads that BREP, checks it, exports STL, STEP, GLB
and 3MF into another folder and measures them (`export_shape`): a script never
writes what is published, nor the facts. Both children confine themselves
first (`wall.py`): the script child writes only its folder; the export child
reads the BREP and writes only its own. The script arrives as source text in
the job: no child needs access to designs/.
"""
from __future__ import annotations

import os
import resource
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCRIPT_FILENAME = "<cqscript>"  # the name CQGI compiles scripts under
SHAPE_FILENAME = "shape.brep"  # what the script child hands over: binary BREP (BinTools), every number exact
WALLED = False  # set in a child once it has confined itself: a PermissionError then comes from the wall


class ScriptFailure(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def build_variant(job: dict[str, Any], parallel: bool = True) -> dict[str, Any]:
    """Run the script and export its shape in this one process: the zygote's warm-up, with its own script only."""
    shown = run_script(job)
    return export_shape(job, parallel) | shown


def run_script(job: dict[str, Any]) -> dict[str, Any]:
    """In the script child: run the script, write the shape it shows as BREP into job["script_dir"]."""
    from cadquery import cqgi

    with _inside(job["script_dir"]):  # a relative path in a script can only land in its own folder
        result = cqgi.parse(job["source"]).build(build_parameters=job["parameters"])
    if not result.success:
        raise ScriptFailure(*_describe_exception(result.exception))
    shape = _shown_shape(result.results)
    if not shape.exportBin(str(Path(job["script_dir"]) / SHAPE_FILENAME)):  # text BREP rounds: other STL bytes
        raise RuntimeError("OCCT could not write the shape the script shows")
    return {"shown_objects": len(result.results)}  # each show_object() call is one part


def export_shape(job: dict[str, Any], parallel: bool = True) -> dict[str, Any]:
    """In the export child (no script ever ran in it): read the BREP, check, export, measure; the facts."""
    from .measure import measure_brep, measure_mesh
    from .writers import export_3mf, export_glb, export_step, export_stl

    shape = _read_shape(Path(job["script_dir"]) / SHAPE_FILENAME)
    out = Path(job["export_dir"])
    export_stl(shape, out / "model.stl", job["tolerance_mm"], job["angular_tolerance_rad"], parallel)
    export_step(shape, out / "model.step", job["product_name"])
    facts = measure_brep(shape) | measure_mesh(out / "model.stl")  # checked by the build (checks.geometry_problems)
    export_glb(shape, out / "model.glb", job["tolerance_mm"], job["angular_tolerance_rad"])
    export_3mf(out / "model.stl", out / "model.3mf", job["product_name"])
    return facts


def _read_shape(path: Path):
    """The shape the script child wrote: a plain file (no link, no fifo), holding at least one solid."""
    import stat

    import cadquery as cq

    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise ScriptFailure("the script's shape was not handed over (did it call os._exit()?)") from None
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        raise ScriptFailure("the script's shape was replaced by something else than a plain file")
    try:
        shape = cq.Shape.importBin(str(path))
        solids = shape.Solids()
    except Exception:  # OCCT's reader on bytes a script wrote itself
        raise ScriptFailure("the shape handed over could not be read") from None
    if not solids:
        raise ScriptFailure("the shape handed over holds no solid")
    return shape


def _shown_shape(results: list[Any]):
    """What the script passed to show_object(), as one cq.Shape: each call is one part, as CQ-editor shows them.

    Several calls make a compound of their shapes; an object CQ-editor shows but cannot print (a wire, a
    sketch shown for reference) is refused with a sentence saying which call it was.
    """
    import cadquery as cq

    if not results:
        raise ScriptFailure("the script never called show_object(...); end it with show_object(result)")
    shapes = []
    for number, shown in enumerate(results, start=1):
        obj = shown.shape
        if isinstance(obj, cq.Workplane):
            shapes.extend(v for v in obj.vals() if isinstance(v, cq.Shape))
        elif isinstance(obj, cq.Shape):
            shapes.append(obj)
        elif isinstance(obj, cq.Assembly):
            shapes.append(obj.toCompound())
        else:
            call = f"show_object() call {number} of {len(results)}" if len(results) > 1 else "show_object()"
            raise ScriptFailure(f"{call} was given a {type(obj).__name__}; give it a Workplane or a Shape")
    if not shapes:
        raise ScriptFailure("show_object() was given an empty Workplane; show the finished solid")
    shape = shapes[0] if len(shapes) == 1 else cq.Compound.makeCompound(shapes)
    if not shape.Solids():  # else OCCT fails later with a message about the STL writer
        raise ScriptFailure("show_object() was given no solid, only faces, wires or points; extrude or loft it into a solid")
    return shape


@contextmanager
def _inside(folder: str):
    """Run with the current directory in `folder`, then leave it for a neutral one."""
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir("/")


def _describe_exception(error: BaseException) -> tuple[str, int | None]:
    """The script's own line and message, not CQGI's or ours."""
    line = getattr(error, "lineno", None) if isinstance(error, SyntaxError) else None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == SCRIPT_FILENAME:
            line = frame.lineno
    if isinstance(error, MemoryError):
        return f"MemoryError: the script ran out of memory (the limit is {_memory_limit()}); build less at once or check for a list that grows without end", line
    if isinstance(error, PermissionError) and WALLED:
        return (f"{type(error).__name__}: {error} (refused by the build's wall: a design script may read only "
                "Python's own files and write only its staging folder, with no network)"), line
    return f"{type(error).__name__}: {error}", line


def _memory_kb() -> tuple[int, int]:
    """Resident memory now and at its peak, to watch the kernel's caches grow across builds."""
    import resource

    with open("/proc/self/statm") as statm:
        resident_pages = int(statm.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") // 1024, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _memory_limit() -> str:
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return "none" if soft == resource.RLIM_INFINITY else f"{soft / 2**20:.0f} MiB"


def answer(job: dict[str, Any], phase: str) -> dict[str, Any]:
    """The reply of one child: the script's count of shown objects, or the export's facts; else the error and line."""
    try:
        reply = {"ok": True} | (run_script(job) if phase == "script" else {"facts": export_shape(job)})
    except ScriptFailure as err:
        reply = {"ok": False, "error": str(err), "line": err.line}
    except BaseException as err:  # the script broke the kernel or our export, or called exit()
        reply = {"ok": False, "error": f"{type(err).__name__}: {err}", "line": _describe_exception(err)[1]}
    reply["rss_kb"], reply["peak_rss_kb"] = _memory_kb()
    return reply
