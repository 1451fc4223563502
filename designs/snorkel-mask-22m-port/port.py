"""Snorkel-mask port adapter: a socket over the mask's snorkel port, a 22 mm ISO 5356-1 male outlet on top.

The socket slides over the cylindrical port left when the snorkel is removed
from a full-face snorkel mask; measure that port and set port_diameter. The
outlet is a 22 mm male cone to ISO 5356-1 (21 mm long, 21.99 mm at the tip,
22.37 mm at the gauge plane 15 mm from the tip, taper 1:40 on the diameter),
for a filter or a 22 mm female fitting. Printed standing on the socket's mouth;
the step inside is a 45° cone, so nothing overhangs.
"""
import cadquery as cq

port_diameter = 30.0  # mm, outside diameter of the mask's port: measure it
fit_clearance = 0.2  # mm, on the diameter; negative for a press fit
socket_depth = 15.0  # mm
socket_wall = 3.0  # mm
bore_diameter = 15.0  # mm, the gas path through the cone

TIP_DIAMETER = 21.99  # mm, ISO 5356-1 22 mm male cone at its tip
CONE_LENGTH = 21.0  # mm
TAPER = 1 / 40  # on the diameter
SHOULDER_DIAMETER = 26.0  # mm, the stop below the cone
SHOULDER_LENGTH = 3.0  # mm

r_socket = (port_diameter + fit_clearance) / 2
r_outer = r_socket + socket_wall
r_bore = bore_diameter / 2
r_tip = TIP_DIAMETER / 2
r_base = (TIP_DIAMETER + CONE_LENGTH * TAPER) / 2
r_shoulder = SHOULDER_DIAMETER / 2

z_step = socket_depth + (r_socket - r_bore)  # 45° from the socket to the bore
z_body = z_step + 2.0
z_shoulder = z_body + SHOULDER_LENGTH
z_tip = z_shoulder + CONE_LENGTH

# Half profile in the XZ plane (x = radius, z = axis), revolved about Z.
profile = [
    (r_socket, 0), (r_outer, 0), (r_outer, z_body), (r_shoulder, z_body), (r_shoulder, z_shoulder),
    (r_base, z_shoulder), (r_tip, z_tip), (r_bore, z_tip), (r_bore, z_step), (r_socket, socket_depth),
]
result = cq.Workplane("XZ").polyline(profile).close().revolve(360, (0, 0, 0), (0, 1, 0))
show_object(result)
