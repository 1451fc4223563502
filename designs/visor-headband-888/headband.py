"""Visor headband for an A4 sheet punched 80-60-80 mm (two passes of an 80 mm office punch).

An elliptical band, printed flat with no supports, with four Ø5 mm pins on its
outer face. The pins sit at the arc lengths of the sheet's holes, so the sheet
wraps the band without stretching. Strap slots at both ends take an elastic.
With stack_count > 1, identical headbands are stacked with a one-layer air
gap: one long print gives several parts that peel apart.
"""
import math

import cadquery as cq

head_width = 160.0  # mm, inside width of the band at its open ends
head_depth = 100.0  # mm, from the open ends to the inside of the forehead
band_height = 12.0  # mm, EN 166 asks >= 10 mm for a retaining headband
wall = 2.5  # mm
pin_diameter = 5.0  # mm, for Ø5.5-6 mm punched holes
pin_length = 6.0  # mm, protruding from the band
pin_pitch_outer = 80.0  # mm, between the outer and inner hole on each side
pin_pitch_centre = 60.0  # mm, between the two central holes
slot_width = 3.0  # mm, for the elastic strap (the slot is as tall as the band allows)
stack_count = 1  # headbands printed on top of each other
stack_gap = 0.2  # mm, air gap between stacked headbands: about one layer, so they peel apart

TAB_LENGTH = 14.0  # mm, strap tab beyond the band's ends
PIN_FLAT = 0.4  # mm, flat under each pin so it stands on the bed without supports


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


a_in, b_in = head_width / 2, head_depth
a_out, b_out = a_in + wall, b_in + wall

band = (
    cq.Workplane("XY").ellipse(a_out, b_out).extrude(band_height)
    .cut(cq.Workplane("XY").ellipse(a_in, b_in).extrude(band_height))
    .intersect(cq.Workplane("XY").box(2 * a_out + 2, b_out + 1, band_height, centered=(True, False, False)))
)

# Strap tabs: straight extensions backwards from each end, with a slot for the elastic.
for side in (-1, 1):
    tab = (
        cq.Workplane("XY")
        .center(side * (a_in + wall / 2), -TAB_LENGTH / 2)
        .rect(wall + 4, TAB_LENGTH + 0.01)
        .extrude(band_height)
    )
    band = band.union(tab)
    band = band.cut(
        cq.Workplane("XY")
        .box(wall + 6, slot_width, band_height - 4, centered=(True, True, False))
        .translate((side * (a_in + wall / 2), -TAB_LENGTH / 2, 2))
    )

# Pins: at the sheet's hole positions, measured along the band's outer face.
hole_positions = [pin_pitch_centre / 2, pin_pitch_centre / 2 + pin_pitch_outer]
for s in hole_positions:
    t = angle_at_arc_length(a_out, b_out, s)
    for side in (-1, 1):
        x, y = ellipse_point(a_out, b_out, t)
        nx, ny = x / a_out**2, y / b_out**2
        norm = math.hypot(nx, ny)
        direction = cq.Vector(side * nx / norm, ny / norm, 0)
        # The pin's axis is a little below its radius: its bottom is trimmed flat on the bed.
        start = cq.Vector(side * x, y, pin_diameter / 2 - PIN_FLAT) - direction * wall / 2
        pin = cq.Solid.makeCylinder(pin_diameter / 2, pin_length + wall / 2, start, direction)
        band = band.union(cq.Workplane("XY").add(pin))

# Trim everything to the printed height: pins end flat on the bed.
headband = band.intersect(
    cq.Workplane("XY").box(4 * a_out, 4 * b_out, band_height, centered=(True, True, False))
)

# The stack: separate solids, each one layer above the one below.
levels = [headband.translate((0, 0, level * (band_height + stack_gap))).val() for level in range(int(stack_count))]
result = cq.Workplane("XY").add(levels)
show_object(result)
