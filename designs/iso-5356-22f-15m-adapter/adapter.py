"""ISO 5356-1 step adapter: a 22 mm female socket below, a 15 mm male cone on top.

Cone dimensions follow ISO 5356-1 (taper 1:40 on the diameter). The 22 mm
socket is 22.37 mm across at its mouth, where a nominal 22 mm male cone's gauge
plane meets it, and narrows 1:40 inwards. The 15 mm male cone is 16 mm long,
15.47 mm across at its gauge plane 10 mm from the tip. Printed standing on the
socket's mouth; the step from the socket to the bore is a 45° cone, so nothing
overhangs.
"""
import cadquery as cq

bore_diameter = 10.0  # mm, the gas path through the 15 mm cone
socket_depth = 22.0  # mm, ISO 5356-1 asks at least 21 mm
socket_wall = 2.5  # mm, around the socket's mouth
collar_length = 4.0  # mm, the grip between the socket and the cone

TAPER = 1 / 40  # on the diameter
SOCKET_MOUTH_DIAMETER = 22.37  # mm, ISO 5356-1 22 mm gauge diameter
CONE15_GAUGE_DIAMETER = 15.47  # mm, ISO 5356-1 15 mm gauge diameter
CONE15_GAUGE_FROM_TIP = 10.0  # mm
CONE15_LENGTH = 16.0  # mm

r_mouth = SOCKET_MOUTH_DIAMETER / 2
r_socket_end = (SOCKET_MOUTH_DIAMETER - socket_depth * TAPER) / 2
r_outer = r_mouth + socket_wall
r_bore = bore_diameter / 2
tip15 = CONE15_GAUGE_DIAMETER - CONE15_GAUGE_FROM_TIP * TAPER
r_tip15 = tip15 / 2
r_base15 = (tip15 + CONE15_LENGTH * TAPER) / 2

z_socket = socket_depth
z_step = z_socket + (r_socket_end - r_bore)  # 45° from the socket's end to the bore
z_collar = max(z_step, z_socket) + collar_length
z_tip = z_collar + CONE15_LENGTH

# Half profile in the XZ plane (x = radius, z = axis), revolved about Z.
profile = [
    (r_mouth, 0), (r_outer, 0), (r_outer, z_collar), (r_base15, z_collar), (r_tip15, z_tip),
    (r_bore, z_tip), (r_bore, z_step), (r_socket_end, z_socket),
]
result = cq.Workplane("XZ").polyline(profile).close().revolve(360, (0, 0, 0), (0, 1, 0))
show_object(result)
