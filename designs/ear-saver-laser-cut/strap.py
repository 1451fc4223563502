"""Laser-cut ear saver: a flat strap with rounded ends and hook tongues cut inside it, nothing sticking out.

A U-shaped cut leaves a tongue attached on the end side of the strap, its free
tip towards the centre. Bent slightly out of the sheet, each tongue takes a mask's
ear loop; the loop's pull towards the strap's end pushes it against the tongue's
root, where it stays. Several tongues at each end set the size. The outline has
nothing that catches on hair, and it is all cut from one sheet: the laser draws
the outline and the U-shapes, no printing.
"""
import cadquery as cq

length = 170.0  # mm, overall
width = 16.0  # mm, of the strap
thickness = 1.0  # mm, the sheet
hook_count = 4  # tongues at each end
hook_pitch = 12.0  # mm, between neighbouring tongues
tongue_width = 6.0  # mm
tongue_length = 7.0  # mm
slot_width = 1.5  # mm, the cut around each tongue

END_MARGIN = 10.0  # mm, from the strap's end to the root of the outermost tongue


def u_cut(root_x, direction):
    """The U-shaped opening around one tongue whose root is at root_x and whose tip points along direction."""
    half = tongue_width / 2
    tip = root_x + direction * tongue_length
    outer_tip = tip + direction * slot_width
    return [
        (root_x, half), (tip, half), (tip, -half), (root_x, -half),
        (root_x, -half - slot_width), (outer_tip, -half - slot_width),
        (outer_tip, half + slot_width), (root_x, half + slot_width),
    ]


strap = cq.Workplane("XY").slot2D(length, width).extrude(thickness)
for end in (-1, 1):
    for i in range(int(hook_count)):
        root = end * (length / 2 - END_MARGIN - i * hook_pitch)
        opening = cq.Workplane("XY").polyline(u_cut(root, -end)).close().extrude(thickness)
        strap = strap.cut(opening)

result = strap
show_object(result)
