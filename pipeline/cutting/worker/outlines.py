"""The cutting stage's worker: reads built STEP files with OCCT and says, per solid, whether it is flat and what its outline is.

Runs as its own process (`python -I`, a bare environment), never in the build's
process, which does not import CadQuery or OCP. The STEP files were written by
the CAD worker's child that ran the contributor's script, so this process
raises the same wall before reading any of them (Landlock and seccomp, when the
kernel has them): it may read Python's files and the STEP files named, write
nothing, and reach no network. It runs no contributor code.

Protocol: argv[1] is JSON {"steps": [path, ...], "confine": bool, "scratch": path}, the scratch folder being the
wall's one writable folder (empty, made and removed by the caller); stdout is one
JSON document, a list with one entry per STEP: {"solids": [...]} or {"error": "..."}.
Each solid: its bounding box, its thickness, why it is not a flat extrusion (or
null), and the contours of its bottom face as polylines (y up, in mm, exact
circles kept as circles) with each contour's exact length as OCCT measures it.
"""
from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path

DEFLECTION_MM = 0.002  # sagitta of the polylines that stand for curves: lengths within 0.01 % of the exact ones
TOLERANCE_MM = 1e-4  # how far a face may lie from the bottom or top plane and still be on it
VERTICAL = 1e-6  # |n_z| of a side face's normal
SAMPLES = 7  # normals sampled per side face, in each parameter direction


def main() -> None:
    request = json.loads(sys.argv[1])
    steps = [Path(p) for p in request["steps"]]
    import OCP  # noqa: F401  (loaded before the wall: its libraries are read from the virtual environment)

    if request.get("confine"):
        _confine(steps, Path(request["scratch"]))
    results = []
    for step in steps:
        try:
            results.append({"solids": [describe_solid(s) for s in _solids(step)]})
        except Exception as err:  # a file OCCT cannot read is that design's problem, never the build's
            results.append({"error": f"{type(err).__name__}: {err}"})
    sys.stdout.write("\n" + json.dumps(results) + "\n")  # OCCT prints its own messages on stdout: ours is the last line


def _confine(steps: list[Path], scratch: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    import landlock
    import pyseccomp  # noqa: F401  (loaded before the wall, as the CAD zygote does: it looks libc up with a temporary file)

    from pipeline.wall import confine, read_only_paths

    landlock.landlock_abi_version()

    confine(scratch, read_only_paths() + sorted({p.resolve().parent for p in steps}), os.getpid())


def _solids(step: Path) -> list:
    from OCP.IFSelect import IFSelect_ReturnStatus
    from OCP.ShapeUpgrade import ShapeUpgrade_UnifySameDomain
    from OCP.STEPControl import STEPControl_Reader
    from OCP.TopAbs import TopAbs_SOLID
    from OCP.TopExp import TopExp_Explorer
    from OCP.TopoDS import TopoDS

    reader = STEPControl_Reader()
    if reader.ReadFile(str(step)) != IFSelect_ReturnStatus.IFSelect_RetDone:
        raise ValueError(f"OCCT could not read {step.name}")
    reader.TransferRoots()
    shape = reader.OneShape()
    solids = []
    explorer = TopExp_Explorer(shape, TopAbs_SOLID)
    while explorer.More():
        unify = ShapeUpgrade_UnifySameDomain(TopoDS.Solid_s(explorer.Current()), True, True, True)
        unify.Build()  # coplanar faces a union left split become one face
        solids.append(unify.Shape())
        explorer.Next()
    return solids


def describe_solid(solid) -> dict:
    from OCP.Bnd import Bnd_Box
    from OCP.BRepBndLib import BRepBndLib

    box = Bnd_Box()
    box.SetGap(0.0)
    BRepBndLib.AddOptimal_s(solid, box, False, False)
    xmin, ymin, zmin, xmax, ymax, zmax = box.Get()
    bottom, top, reason = _classify_faces(solid, zmin, zmax)
    if reason is None:
        reason = _extrusion_problem(solid, bottom, top, zmax - zmin)
    contours = _contours(bottom[0]) if reason is None else []
    return {"bounding_box_mm": [xmin, ymin, zmin, xmax, ymax, zmax], "thickness_mm": zmax - zmin,
            "not_flat": reason, "contours": contours}


def _faces(shape) -> list:
    from OCP.TopAbs import TopAbs_FACE
    from OCP.TopExp import TopExp_Explorer
    from OCP.TopoDS import TopoDS

    found, explorer = [], TopExp_Explorer(shape, TopAbs_FACE)
    while explorer.More():
        found.append(TopoDS.Face_s(explorer.Current()))
        explorer.Next()
    return found


def _classify_faces(solid, zmin: float, zmax: float) -> tuple[list, list, str | None]:
    """Bottom and top faces, or why the solid is not a flat extrusion along Z."""
    from OCP.BRepAdaptor import BRepAdaptor_Surface
    from OCP.GeomAbs import GeomAbs_Plane

    bottom, top = [], []
    for number, face in enumerate(_faces(solid), start=1):
        surface = BRepAdaptor_Surface(face)
        if surface.GetType() == GeomAbs_Plane:
            plane = surface.Plane()
            normal, z = plane.Axis().Direction(), plane.Location().Z()
            if abs(abs(normal.Z()) - 1) < VERTICAL:
                if abs(z - zmin) < TOLERANCE_MM:
                    bottom.append(face)
                elif abs(z - zmax) < TOLERANCE_MM:
                    top.append(face)
                else:
                    return [], [], (f"it has a horizontal face at z = {z:.2f} mm between its bottom "
                                    f"({zmin:.2f}) and its top ({zmax:.2f}): a step, a pocket or an engraving")
                continue
            if abs(normal.Z()) < VERTICAL:
                continue
            return [], [], f"face {number} is a sloped plane (a chamfer or a bevel); a cut edge is square to the sheet"
        if not _vertical(surface):
            return [], [], (f"face {number} is curved out of the vertical (a fillet or chamfer on a top or bottom "
                            "edge, a dome, a cylinder lying down); a cut edge is square to the sheet")
    return bottom, top, None


def _vertical(surface) -> bool:
    """Every sampled normal is horizontal: the face is swept straight along Z."""
    from OCP.gp import gp_Pnt, gp_Vec

    u0, u1, v0, v1 = (surface.FirstUParameter(), surface.LastUParameter(),
                      surface.FirstVParameter(), surface.LastVParameter())
    point, du, dv = gp_Pnt(), gp_Vec(), gp_Vec()
    for i in range(SAMPLES):
        for j in range(SAMPLES):
            surface.D1(u0 + (u1 - u0) * i / (SAMPLES - 1), v0 + (v1 - v0) * j / (SAMPLES - 1), point, du, dv)
            normal = du.Crossed(dv)
            if normal.Magnitude() > 1e-12 and abs(normal.Z()) / normal.Magnitude() > VERTICAL:
                return False
    return True


def _extrusion_problem(solid, bottom: list, top: list, thickness: float) -> str | None:
    """A flat extrusion: one bottom face, one top face of the same area, and a volume of area × thickness."""
    from OCP.BRepGProp import BRepGProp
    from OCP.GProp import GProp_GProps

    if len(bottom) != 1 or len(top) != 1:
        return (f"it has {len(bottom)} bottom and {len(top)} top faces, not one of each: "
                "a part cut from one sheet is one piece with one outline")
    areas = []
    for face in (bottom[0], top[0]):
        props = GProp_GProps()
        BRepGProp.SurfaceProperties_s(face, props)
        areas.append(props.Mass())
    props = GProp_GProps()
    BRepGProp.VolumeProperties_s(solid, props)
    if abs(areas[0] - areas[1]) > 1e-4 * areas[0] or abs(props.Mass() - areas[0] * thickness) > 1e-4 * props.Mass():
        return "its top and bottom outlines differ (a taper or an undercut); a cut part has one outline through the sheet"
    return None


def _contours(face) -> list[dict]:
    """The bottom face's wires, inner ones first (cutting order), each as a circle or a closed polyline."""
    from OCP.BRepTools import BRepTools
    from OCP.TopAbs import TopAbs_WIRE
    from OCP.TopExp import TopExp_Explorer
    from OCP.TopoDS import TopoDS

    outer = BRepTools.OuterWire_s(face)
    inner, explorer = [], TopExp_Explorer(face, TopAbs_WIRE)
    while explorer.More():
        wire = TopoDS.Wire_s(explorer.Current())
        if not wire.IsSame(outer):
            inner.append(_contour(wire, outer=False))
        explorer.Next()
    return inner + [_contour(outer, outer=True)]


def _contour(wire, outer: bool) -> dict:
    from OCP.BRepAdaptor import BRepAdaptor_Curve
    from OCP.BRepGProp import BRepGProp
    from OCP.BRepTools import BRepTools_WireExplorer
    from OCP.GCPnts import GCPnts_QuasiUniformDeflection
    from OCP.GeomAbs import GeomAbs_Circle, GeomAbs_Line
    from OCP.GProp import GProp_GProps
    from OCP.TopAbs import TopAbs_REVERSED

    props = GProp_GProps()
    BRepGProp.LinearProperties_s(wire, props)
    contour = {"outer": outer, "length_mm": props.Mass()}
    edges, explorer = [], BRepTools_WireExplorer(wire)
    while explorer.More():
        edges.append(explorer.Current())
        explorer.Next()
    if len(edges) == 1:
        curve = BRepAdaptor_Curve(edges[0])
        if curve.GetType() == GeomAbs_Circle and abs(curve.LastParameter() - curve.FirstParameter() - 2 * math.pi) < 1e-9:
            centre = curve.Circle().Location()
            return contour | {"circle": {"centre": [centre.X(), centre.Y()], "diameter": 2 * curve.Circle().Radius()}}
    points: list[list[float]] = []
    for edge in edges:
        curve = BRepAdaptor_Curve(edge)
        first, last = curve.FirstParameter(), curve.LastParameter()
        if curve.GetType() == GeomAbs_Line:
            params = [first, last]
        else:
            sampler = GCPnts_QuasiUniformDeflection(curve, DEFLECTION_MM, first, last)
            params = [sampler.Parameter(i) for i in range(1, sampler.NbPoints() + 1)]
        if edge.Orientation() == TopAbs_REVERSED:
            params.reverse()
        for t in params:
            p = curve.Value(t)
            xy = [p.X(), p.Y()]
            if not points or math.dist(points[-1], xy) > 1e-9:
                points.append(xy)
    if len(points) > 1 and math.dist(points[0], points[-1]) < 1e-6:
        points.pop()  # closed: the first point is not repeated
    return contour | {"points": points}


if __name__ == "__main__":
    main()
