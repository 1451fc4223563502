"""ISO 5356-1 22 mm female-to-female coupler: two 22 mm sockets back to back.

Joins two 22 mm male cones (tubing, filters). Each socket follows ISO 5356-1:
22.37 mm across at its mouth, where a nominal male cone's gauge plane meets it,
narrowing 1:40 on the diameter, at least 21 mm deep. Printed standing on one
socket's mouth: the stop ring between the sockets has a 45° underside, so
nothing overhangs.
"""
import cadquery as cq

socket_depth = 22.0  # mm, each socket; ISO 5356-1 asks at least 21 mm
socket_wall = 2.5  # mm, at the mouth
bore_diameter = 16.0  # mm, through the stop ring
ring_length = 2.0  # mm, flat top of the stop ring

TAPER = 1 / 40  # on the diameter
MOUTH_DIAMETER = 22.37  # mm, ISO 5356-1 22 mm gauge diameter

r_mouth = MOUTH_DIAMETER / 2
r_end = (MOUTH_DIAMETER - socket_depth * TAPER) / 2
r_outer = r_mouth + socket_wall
r_bore = bore_diameter / 2

z1 = socket_depth  # end of the lower socket
z2 = z1 + (r_end - r_bore)  # 45° underside of the stop ring
z3 = z2 + ring_length  # top of the ring: the end of the upper socket
z4 = z3 + socket_depth  # mouth of the upper socket

# Half profile in the XZ plane (x = radius, z = axis), revolved about Z.
profile = [
    (r_mouth, 0), (r_outer, 0), (r_outer, z4), (r_mouth, z4), (r_end, z3),
    (r_bore, z3), (r_bore, z2), (r_end, z1),
]
result = cq.Workplane("XZ").polyline(profile).close().revolve(360, (0, 0, 0), (0, 1, 0))
show_object(result)
