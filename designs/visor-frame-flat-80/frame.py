"""Flat, fast visor frame for a sheet punched with an 80 mm 2-hole office punch.

A thin oval band, open at the back, printed flat and only a few millimetres
tall, so it prints in minutes. Two pins on its outer face, 80 mm apart along
the face, take the sheet's punched holes; an elastic goes through the slots
of the two end tabs. The flat-frame idea and its size (about 158 x 185 mm,
5 mm tall) follow the 3DVerkstan visor. With stack_count > 1, frames are
stacked with a one-layer air gap and peel apart after printing.
"""
import math

import cadquery as cq

head_width = 150.0  # mm, inside width of the oval
head_length = 180.0  # mm, inside length of the full oval, front to back
frame_height = 5.0  # mm, as printed: the band's width on the forehead
wall = 3.0  # mm, thickness of the band
back_cut = 0.6  # ratio, where the band ends behind the oval's centre, as a fraction of its half length
pin_diameter = 5.0  # mm, for Ø6 mm punched holes
pin_length = 5.0  # mm, protruding from the band
pin_pitch = 80.0  # mm, along the band's outer face: an 80 mm 2-hole punch
slot_width = 4.0  # mm, for the elastic
stack_count = 1  # frames printed on top of each other
stack_gap = 0.2  # mm, air gap between stacked frames: one layer

PIN_FLAT = 0.4  # mm, flat under each pin so it stands on the bed
TAB = 12.0  # mm, size of the end tabs


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
x_end = a_in * math.sqrt(1 - back_cut**2)  # inside of the band where it ends

frame = (
    cq.Workplane("XY").ellipse(a_out, b_out).extrude(frame_height)
    .cut(cq.Workplane("XY").ellipse(a_in, b_in).extrude(frame_height))
    .intersect(cq.Workplane("XY").box(2 * a_out + 2, b_out + 1 - y_end, frame_height, centered=(True, False, False))
               .translate((0, y_end, 0)))
)

# End tabs, outward from the band's ends, each with a slot through it for the elastic.
for side in (-1, 1):
    tab = cq.Workplane("XY").box(wall + TAB, TAB, frame_height, centered=(False, False, False))
    slot = cq.Workplane("XY").box(slot_width, TAB - 5, frame_height, centered=(False, False, False)).translate((wall + TAB - slot_width - 2.5, 2.5, 0))
    tab = tab.cut(slot).translate((x_end, y_end, 0))
    frame = frame.union(tab if side == 1 else tab.mirror("YZ"))

# Pins at ±pin_pitch / 2 from the front centre, measured along the outer face, on its normal.
t = angle_at_arc_length(a_out, b_out, pin_pitch / 2)
x, y = ellipse_point(a_out, b_out, t)
nx, ny = x / a_out**2, y / b_out**2
norm = math.hypot(nx, ny)
for side in (-1, 1):
    direction = cq.Vector(side * nx / norm, ny / norm, 0)
    start = cq.Vector(side * x, y, pin_diameter / 2 - PIN_FLAT) - direction * wall / 2
    pin = cq.Solid.makeCylinder(pin_diameter / 2, pin_length + wall / 2, start, direction)
    frame = frame.union(cq.Workplane("XY").add(pin))

# Pins end flat on the bed and no higher than the frame.
single = frame.intersect(cq.Workplane("XY").box(4 * a_out, 4 * b_out, frame_height, centered=(True, True, False)))

levels = [single.translate((0, 0, level * (frame_height + stack_gap))).val() for level in range(int(stack_count))]
result = cq.Workplane("XY").add(levels)
show_object(result)
