"""Facts measured on a built variant, inside the CAD worker.

B-rep solids, volume and outer dimensions, the STL mesh checked with trimesh,
and the estimated mass per material. The facts are stored with the files in
the cache and published with the design; the build process checks them
(`pipeline.cad.checks`).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...materials import solid_mass_g

if TYPE_CHECKING:
    import cadquery as cq

def measure_brep(shape: cq.Shape) -> dict[str, Any]:
    volume = shape.Volume()
    return {
        "solids": len(shape.Solids()),
        "valid": bool(shape.isValid()),
        "volume_mm3": round(volume, 3),
        "bounding_box_mm": outer_dimensions_mm(shape),
        "mass_g": solid_mass_g(volume),
    }


def outer_dimensions_mm(shape: cq.Shape) -> list[float]:
    """The exact bounding box of the B-rep.

    Not shape.BoundingBox(): once the STL is written the shape carries its mesh, and OCCT then
    boxes the triangles widened by their deflection, a few tenths of a millimetre too large.
    """
    from OCP.Bnd import Bnd_Box
    from OCP.BRepBndLib import BRepBndLib

    box = Bnd_Box()
    BRepBndLib.AddOptimal_s(shape.wrapped, box, False, False)  # no triangulation, no shape tolerance
    xmin, ymin, zmin, xmax, ymax, zmax = box.Get()
    return [round(v, 3) for v in (xmax - xmin, ymax - ymin, zmax - zmin)]


def measure_mesh(stl: Path) -> dict[str, Any]:
    import trimesh

    mesh = trimesh.load_mesh(stl, file_type="stl", process=True)
    return {
        "triangles": int(len(mesh.faces)),
        "watertight": bool(mesh.is_watertight),
        "winding_consistent": bool(mesh.is_winding_consistent),
        "mesh_volume_mm3": round(float(mesh.volume), 3),
    }


