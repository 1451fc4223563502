"""Facts measured on a built variant: B-rep solids and volume, and the STL mesh checked with trimesh.

Runs inside a CAD worker. The facts are stored with the files in the cache and
published with the design.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import cadquery as cq
import trimesh

# The STL may differ from the exact B-rep volume by at most this fraction.
VOLUME_TOLERANCE = 0.005


def measure_brep(shape: cq.Shape) -> dict[str, Any]:
    box = shape.BoundingBox()
    return {
        "solids": len(shape.Solids()),
        "valid": bool(shape.isValid()),
        "volume_mm3": round(shape.Volume(), 3),
        "bounding_box_mm": [round(v, 3) for v in (box.xlen, box.ylen, box.zlen)],
    }


def measure_mesh(stl: Path) -> dict[str, Any]:
    mesh = trimesh.load_mesh(stl, file_type="stl", process=True)
    return {
        "triangles": int(len(mesh.faces)),
        "watertight": bool(mesh.is_watertight),
        "winding_consistent": bool(mesh.is_winding_consistent),
        "mesh_volume_mm3": round(float(mesh.volume), 3),
    }


def geometry_problems(facts: dict[str, Any], parts: int) -> list[str]:
    """Every way the variant fails the catalogue's checks, each a sentence with the fix."""
    problems = []
    if facts["solids"] != parts:
        problems.append(f"the shape has {facts['solids']} solid(s) but design.yaml declares parts: {parts}; "
                        "fuse the pieces into one solid or declare the number of parts")
    if not facts["valid"]:
        problems.append("the B-rep is not valid (self-intersecting or broken faces); check booleans and fillets")
    if not facts["watertight"] or not facts["winding_consistent"]:
        problems.append("the STL mesh is not watertight or not consistently wound; the solid has gaps or overlapping faces")
    brep, mesh = facts["volume_mm3"], facts["mesh_volume_mm3"]
    if brep <= 0:
        problems.append("the shape has no volume; show a solid, not a sketch or a face")
    elif abs(mesh - brep) / brep > VOLUME_TOLERANCE:
        problems.append(f"the STL volume {mesh:.1f} mm³ differs from the B-rep volume {brep:.1f} mm³ by more than "
                        f"{VOLUME_TOLERANCE:.1%}; lower mesh.tolerance_mm in design.yaml")
    return problems
