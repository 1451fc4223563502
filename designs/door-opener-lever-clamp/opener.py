"""Hands-free door opener: a two-piece clamp for a cylindrical lever handle, with an arm to push with the forearm.

The two halves close around the handle and are pulled together by M4 screws
and nuts through their flanges; a small gap left between the flanges lets the
screws squeeze the handle. The upper half carries an arm ending in a hook, so
the door can be opened by pressing or pulling with the forearm instead of the
hand. Both halves print lying flat (the clamp's width is the print height),
side by side, with no supports.
"""
import cadquery as cq

handle_diameter = 19.0  # mm, the lever handle's diameter
clamp_width = 50.0  # mm, along the handle (printed height)
wall = 4.0  # mm, around the handle
clamp_gap = 1.0  # mm, left between the flanges so the screws can tighten
arm_length = 90.0  # mm, from the handle's axis to the end of the arm
arm_thickness = 6.0  # mm
hook_length = 25.0  # mm, the hook at the arm's end
screw_diameter = 4.4  # mm, clearance hole for M4 screws

FLANGE = 10.0  # mm, flange beyond the ring, room for a screw head or a nut
PRINT_SPACING = 8.0  # mm, between the two halves on the bed

r = handle_diameter / 2
R = r + wall
flange_x = R + FLANGE
screw_x = R + FLANGE / 2


def half_clamp():
    """The upper half: half ring and flanges, its split face on y = 0."""
    ring = (
        cq.Workplane("XY").circle(R).circle(r).extrude(clamp_width)
        .intersect(cq.Workplane("XY").box(2 * R, R, clamp_width, centered=(True, False, False)))
    )
    for side in (-1, 1):
        flange = cq.Workplane("XY").box(flange_x - r, wall, clamp_width, centered=(False, False, False)).translate((r, 0, 0))
        if side == -1:
            flange = flange.mirror("YZ")
        ring = ring.union(flange)
    for side in (-1, 1):
        for z in (clamp_width / 4, 3 * clamp_width / 4):
            hole = cq.Solid.makeCylinder(screw_diameter / 2, wall + 2, cq.Vector(side * screw_x, -1, z), cq.Vector(0, 1, 0))
            ring = ring.cut(cq.Workplane("XY").add(hole))
    return ring


upper = half_clamp()
arm = cq.Workplane("XY").box(arm_thickness, arm_length - R + wall, clamp_width, centered=(True, False, False)).translate((0, R - wall, 0))
hook = cq.Workplane("XY").box(hook_length, arm_thickness, clamp_width, centered=(False, False, False)).translate((-arm_thickness / 2, arm_length - arm_thickness, 0))
upper = upper.union(arm).union(hook).translate((0, clamp_gap / 2, 0))

lower = half_clamp().mirror("XZ").translate((0, -clamp_gap / 2 - PRINT_SPACING, 0))

result = cq.Workplane("XY").add([upper.val(), lower.val()])
show_object(result)
