"""Laser-cut visor: a flat frame from acrylic sheet and a shield from thin PETG sheet, both cut, nothing printed.

The frame is a flat oval band, open at the back, cut from 5 mm PMMA and worn
with its plane horizontal (the sheet's thickness is the band's height on the
forehead, as in flat printed frames). Four pegs stand out of its front face in
the plane of the sheet, at 80-60-80 mm along the face, so they also take an A4
sheet punched with two passes of an 80 mm office punch. Each peg's cross-section
(peg_width x frame thickness) passes diagonally through a punched hole.
The shield is cut from 0.5 mm PETG with its holes where the pegs are, 10 mm
below its top edge; an elastic goes through the slots of the frame's end tabs.
Both parts are shown flat, side by side, as they leave the laser.
"""
import math

import cadquery as cq

head_width = 150.0  # mm, inside width of the oval
head_length = 180.0  # mm, inside length of the full oval, front to back
frame_thickness = 5.0  # mm, the acrylic sheet: the band's height on the forehead
wall = 6.0  # mm, radial width of the band
back_cut = 0.6  # ratio, where the band ends behind the oval's centre, as a fraction of its half length
peg_width = 3.0  # mm, along the band's face
peg_length = 6.0  # mm, standing out of the band
hole_diameter = 6.0  # mm, the shield's holes (an office punch makes 5.5-6 mm)
inner_pitch = 60.0  # mm, between the two middle pegs, along the band's outer face
outer_pitch = 80.0  # mm, from a middle peg to its outer neighbour: 80-60-80
slot_width = 4.0  # mm, the end tabs' slots for the elastic
shield_width = 285.0  # mm, cut from an A4 sheet (297 mm) laid landscape, 6 mm kept at each edge
shield_height = 198.0  # mm, of an A4 sheet's 210 mm
shield_thickness = 0.5  # mm, the PETG sheet

TAB = 14.0  # mm, size of the end tabs
HOLE_DROP = 10.0  # mm, from the shield's top edge to its holes' centres
CORNER = 15.0  # mm, radius of the shield's corners
GAP = 20.0  # mm, between the two parts as shown


def ellipse_point(a, b, t):
    """Point of the ellipse at angle t, t = 0 at the front centre (+Y)."""
    return a * math.sin(t), b * math.cos(t)


def angle_at_arc_length(a, b, s, steps=4000):
    """Angle whose arc length from the front centre is s (numerical integration)."""
    travelled, t, dt = 0.0, 0.0, (math.pi / 2) / steps
    while travelled < s and t < math.pi / 2:
        x0, y0 = ellipse_point(a, b, t)
        x1, y1 = ellipse_point(a, b, t + dt)
        travelled += math.hypot(x1 - x0, y1 - y0)
        t += dt
    return t


a_in, b_in = head_width / 2, head_length / 2
a_out, b_out = a_in + wall, b_in + wall
y_end = -back_cut * b_in
x_end = a_in * math.sqrt(1 - back_cut**2)

frame = (
    cq.Workplane("XY").ellipse(a_out, b_out).extrude(frame_thickness)
    .cut(cq.Workplane("XY").ellipse(a_in, b_in).extrude(frame_thickness))
    .intersect(cq.Workplane("XY").box(2 * a_out + 2, b_out + 1 - y_end, frame_thickness, centered=(True, False, False))
               .translate((0, y_end, 0)))
)

# End tabs, outward from the band's ends, each with a slot for the elastic.
for side in (-1, 1):
    tab = cq.Workplane("XY").box(wall + TAB, TAB, frame_thickness, centered=(False, False, False))
    slot = (cq.Workplane("XY").box(slot_width, TAB - 6, frame_thickness, centered=(False, False, False))
            .translate((wall + TAB - slot_width - 3, 3, 0)))
    tab = tab.cut(slot).translate((x_end, y_end, 0))
    frame = frame.union(tab if side == 1 else tab.mirror("YZ"))

# Pegs in the sheet's plane, on the outer face's normal, at 80-60-80 along the face.
for distance in (inner_pitch / 2, inner_pitch / 2 + outer_pitch):
    t = angle_at_arc_length(a_out, b_out, distance)
    x, y = ellipse_point(a_out, b_out, t)
    angle = math.degrees(math.atan2(y / b_out**2, x / a_out**2))  # the outward normal's direction
    for side in (-1, 1):
        peg = (cq.Workplane("XY").center(peg_length / 2 - wall / 2, 0).rect(peg_length + wall, peg_width)
               .extrude(frame_thickness)
               .rotate((0, 0, 0), (0, 0, 1), angle).translate((x, y, 0)))
        frame = frame.union(peg if side == 1 else peg.mirror("YZ"))

# The shield: a rounded rectangle with the holes along its top edge, laid beside the frame.
hole_x = [-inner_pitch / 2 - outer_pitch, -inner_pitch / 2, inner_pitch / 2, inner_pitch / 2 + outer_pitch]
shield = (
    cq.Workplane("XY").rect(shield_width, shield_height).extrude(shield_thickness)
    .edges("|Z").fillet(CORNER)
    .faces(">Z").workplane(centerOption="CenterOfBoundBox")
    .pushPoints([(x, shield_height / 2 - HOLE_DROP) for x in hole_x]).hole(hole_diameter)
    .translate((a_out + peg_length + TAB + GAP + shield_width / 2, 0, 0))
)

show_object(frame)
show_object(shield)
