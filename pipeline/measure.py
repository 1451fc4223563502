"""Facts measured on a built variant, and the catalogue's checks on them.

`measure_brep` and `measure_mesh` run inside a CAD worker: B-rep solids, volume
and outer dimensions, the STL mesh checked with trimesh, and the estimated mass
per material. The facts are stored with the files in the cache and published
with the design. `geometry_problems` runs in the build process on those facts
and on what design.yaml declares (number of parts, print bed), so changing a
declaration never needs a rebuild; it imports neither CadQuery nor trimesh.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import cadquery as cq

# The STL may differ from the exact B-rep volume by at most this fraction.
VOLUME_TOLERANCE = 0.005

# Print volume every variant must fit unless design.yaml declares another (a common 220 x 220 x 250 mm printer).
DEFAULT_PRINT_BED_MM = (220.0, 220.0, 250.0)

# Density of each material of the schema's enum, g/cm³, for the solid mass (100 % infill: an upper bound).
# PLA, PETG, ASA: Prusament technical data sheets (1.24, 1.27, 1.07). ABS 1.04, PET 1.38 (amorphous, as
# filament), TPU 1.21 (95A), PP 0.90, Nylon (PA6) 1.14: typical values of polymer reference tables
# (e.g. the plastics' entries in the CRC Handbook / MatWeb); brand filaments differ by a few per cent.
DENSITY_G_PER_CM3 = {
    "PLA": 1.24,
    "PETG": 1.27,
    "ABS": 1.04,
    "ASA": 1.07,
    "PET": 1.38,
    "TPU": 1.21,
    "PP": 0.90,
    "Nylon": 1.14,
}


def measure_brep(shape: "cq.Shape") -> dict[str, Any]:
    volume = shape.Volume()
    return {
        "solids": len(shape.Solids()),
        "valid": bool(shape.isValid()),
        "volume_mm3": round(volume, 3),
        "bounding_box_mm": outer_dimensions_mm(shape),
        "mass_g": estimated_mass_g(volume),
    }


def outer_dimensions_mm(shape: "cq.Shape") -> list[float]:
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


def estimated_mass_g(volume_mm3: float) -> dict[str, float]:
    """Mass of the solid part in each material (g); a print with partial infill weighs less."""
    return {name: round(volume_mm3 / 1000 * density, 2) for name, density in DENSITY_G_PER_CM3.items()}


def measure_mesh(stl: Path) -> dict[str, Any]:
    import trimesh

    mesh = trimesh.load_mesh(stl, file_type="stl", process=True)
    return {
        "triangles": int(len(mesh.faces)),
        "watertight": bool(mesh.is_watertight),
        "winding_consistent": bool(mesh.is_winding_consistent),
        "mesh_volume_mm3": round(float(mesh.volume), 3),
    }


def fits_bed(size_mm: list[float], bed_mm: tuple[float, float, float]) -> bool:
    """Whether a part of this size fits the bed as built, or turned 90 degrees about Z."""
    x, y, z = size_mm
    bx, by, bz = bed_mm
    return z <= bz and ((x <= bx and y <= by) or (y <= bx and x <= by))


def geometry_problems(facts: dict[str, Any], parts: int = 1,
                      bed_mm: tuple[float, float, float] = DEFAULT_PRINT_BED_MM) -> list[str]:
    """Every way the variant fails the catalogue's checks, each a sentence with the fix."""
    problems = []
    if facts["solids"] != parts:
        problems.append(f"the shape has {facts['solids']} solid(s) but design.yaml declares parts: {parts}; "
                        "fuse the pieces into one solid, leave a gap between separate parts, or declare the number of parts")
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
    if not fits_bed(facts["bounding_box_mm"], bed_mm):
        size = " × ".join(f"{v:g}" for v in facts["bounding_box_mm"])
        bed = " × ".join(f"{v:g}" for v in bed_mm)
        problems.append(f"the part is {size} mm and does not fit the print bed of {bed} mm; "
                        "narrow the parameter ranges, add a design rule, or declare print_bed in design.yaml")
    return problems
