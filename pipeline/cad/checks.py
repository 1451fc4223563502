"""The catalogue's checks on a built variant's facts, in the build process.

They run on the facts the worker measured and on what design.yaml declares
(number of parts, print bed), so changing a declaration never needs a rebuild;
this module imports neither CadQuery nor trimesh.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from ..built import Artifact, Facts

# The STL may differ from the exact B-rep volume by at most this fraction.
VOLUME_TOLERANCE = 0.005

# Print volume every variant must fit unless design.yaml declares another (a common 220 x 220 x 250 mm printer).
DEFAULT_PRINT_BED_MM = (220.0, 220.0, 250.0)


def fits_bed(size_mm: tuple[float, ...], bed_mm: tuple[float, float, float]) -> bool:
    """Whether a part of this size fits the bed as built, or turned 90 degrees about Z."""
    x, y, z = size_mm
    bx, by, bz = bed_mm
    return z <= bz and ((x <= bx and y <= by) or (y <= bx and x <= by))


def infer_parts(artifacts: list[Artifact]) -> tuple[list[Artifact], dict[str, int]]:
    """A design that declares no `parts` and whose every variant built shows one object of the same N > 1 solids
    (a stack shown as one compound) has N parts: the artifacts with that count, and per design slug the count.
    Read from the facts the worker already measures (solids, shown_objects)."""
    built: dict[str, list[Artifact]] = defaultdict(list)
    for artifact in artifacts:
        built[artifact.job.design.slug].append(artifact)
    inferred = {}
    for slug, variants in built.items():
        counts = {(a.facts.solids, a.facts.shown_objects) for a in variants}
        if variants[0].job.design.parts is None and len(counts) == 1:
            solids, shown = counts.pop()
            if shown == 1 and solids > 1:
                inferred[slug] = solids
    return [_with_parts(a, inferred[a.job.design.slug]) if a.job.design.slug in inferred else a
            for a in artifacts], inferred


def _with_parts(artifact: Artifact, parts: int) -> Artifact:
    job = artifact.job
    return replace(artifact, job=replace(job, variant=replace(job.variant, parts=parts)))


def geometry_problems(facts: Facts, parts: int | None = 1,
                      bed_mm: tuple[float, float, float] = DEFAULT_PRINT_BED_MM) -> list[str]:
    """Every way the variant fails the catalogue's checks, each a sentence with the fix.

    `parts` None: design.yaml declares no number, so each show_object() call is one part (as CQ-editor shows them).
    """
    problems = []
    shown = facts.shown_objects
    if parts is None and facts.solids != shown:
        problems.append(f"the script calls show_object() {shown} time(s) but shows {facts.solids} solid(s); "
                        "show one solid per call (fuse the pieces of a part), or declare parts: <number> in design.yaml")
    elif parts is not None and facts.solids != parts:
        problems.append(f"the shape has {facts.solids} solid(s) but design.yaml declares parts: {parts}; "
                        "fuse the pieces into one solid, leave a gap between separate parts, "
                        "or declare the number of parts")
    if not facts.valid:
        problems.append("the B-rep is not valid (self-intersecting or broken faces); check booleans and fillets")
    if not facts.watertight or not facts.winding_consistent:
        problems.append("the STL mesh is not watertight or not consistently wound; "
                        "the solid has gaps or overlapping faces")
    brep, mesh = facts.volume_mm3, facts.mesh_volume_mm3
    if brep <= 0:
        problems.append("the shape has no volume; show a solid, not a sketch or a face")
    elif abs(mesh - brep) / brep > VOLUME_TOLERANCE:
        problems.append(f"the STL volume {mesh:.1f} mm³ differs from the B-rep volume {brep:.1f} mm³ by more than "
                        f"{VOLUME_TOLERANCE:.1%}; lower mesh.tolerance_mm in design.yaml")
    if not fits_bed(facts.bounding_box_mm, bed_mm):
        size = " × ".join(f"{v:g}" for v in facts.bounding_box_mm)
        bed = " × ".join(f"{v:g}" for v in bed_mm)
        problems.append(f"the part is {size} mm and does not fit the print bed of {bed} mm; "
                        "narrow the parameter ranges, add a design rule, or declare print_bed in design.yaml")
    return problems
