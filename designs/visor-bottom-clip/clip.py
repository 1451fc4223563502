"""Bottom reinforcement clip for a face-shield sheet.

A curved bar with a slot along its top: the sheet's bottom edge slides into the
slot, and the clip holds the sheet in a curve and stiffens it. Printed upright
(the slot open upwards), with no supports. Its size (about 120 x 31 x 13 mm,
a 1 mm slot) follows the bottom reinforcement of the Prusa RC3 face shield.
With stack_count > 1, clips are stacked with a one-layer air gap.
"""
import math

import cadquery as cq

chord_length = 116.0  # mm, straight distance between the clip's ends
arc_radius = 85.0  # mm, radius of the sheet's curve at the slot
height = 13.0  # mm, as printed
wall = 2.5  # mm, each side of the slot
slot_width = 1.0  # mm, for sheets up to about 0.75 mm thick
floor = 2.0  # mm, material under the slot
stack_count = 1  # clips printed on top of each other
stack_gap = 0.2  # mm, air gap between stacked clips: one layer

half_angle = math.asin(chord_length / 2 / arc_radius)
r_slot_in = arc_radius - slot_width / 2
r_slot_out = arc_radius + slot_width / 2
r_in = r_slot_in - wall
r_out = r_slot_out + wall


def annular_sector(r1, r2, z0, z1):
    """The part of the ring r1..r2 (centred at the origin) within ±half_angle of +Y, from z0 to z1."""
    ring = cq.Workplane("XY").circle(r2).circle(r1).extrude(z1 - z0).translate((0, 0, z0))
    reach = r2 + 1
    wedge = (
        cq.Workplane("XY")
        .polyline([(0, 0), (reach * math.sin(-half_angle) * 2, reach * math.cos(half_angle) * 2),
                   (reach * math.sin(half_angle) * 2, reach * math.cos(half_angle) * 2)])
        .close().extrude(z1 - z0).translate((0, 0, z0))
    )
    return ring.intersect(wedge)


clip = annular_sector(r_in, r_out, 0, height).cut(annular_sector(r_slot_in, r_slot_out, floor, height))
single = clip.translate((0, -r_in * math.cos(half_angle), 0))

levels = [single.translate((0, 0, level * (height + stack_gap))).val() for level in range(int(stack_count))]
result = cq.Workplane("XY").add(levels)
show_object(result)
