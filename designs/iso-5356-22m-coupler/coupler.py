"""ISO 5356-1 22 mm male-to-male coupler: two 22M cones back to back, with a through bore.

Cone dimensions follow ISO 5356-1 (taper 1:40 on the diameter): each male cone
is 21 mm long, 21.99 mm at the tip and 22.52 mm at its base, 22.37 mm at the
gauge plane 15 mm from the tip. A Ø26 mm shoulder between the cones is the stop.
"""
import cadquery as cq

bore_diameter = 15.0  # mm, the gas path
shoulder_length = 6.0  # mm

TIP_DIAMETER = 21.99  # mm, ISO 5356-1 22 mm male cone at its tip
CONE_LENGTH = 21.0  # mm
TAPER = 1 / 40  # on the diameter
SHOULDER_DIAMETER = 26.0  # mm

base_diameter = TIP_DIAMETER + CONE_LENGTH * TAPER
r_tip, r_base, r_bore = TIP_DIAMETER / 2, base_diameter / 2, bore_diameter / 2
r_shoulder = SHOULDER_DIAMETER / 2
z1 = CONE_LENGTH
z2 = CONE_LENGTH + shoulder_length
z3 = 2 * CONE_LENGTH + shoulder_length

# Half profile in the XZ plane (x = radius, z = axis), revolved about Z.
profile = [
    (r_bore, 0), (r_tip, 0), (r_base, z1), (r_shoulder, z1),
    (r_shoulder, z2), (r_base, z2), (r_tip, z3), (r_bore, z3),
]
result = cq.Workplane("XZ").polyline(profile).close().revolve(360, (0, 0, 0), (0, 1, 0))
show_object(result)
