"""TODO $title: say here what the part is, how it is printed and how it is used.

A flat plate with two mounting holes, as a starting point. Parameters are the
lower-case numbers below (declare each in design.yaml); UPPER_CASE names are
fixed constants. End with show_object(result).
"""
import cadquery as cq

length = 60.0  # mm
width = 30.0  # mm
thickness = 3.0  # mm
hole_diameter = 5.0  # mm

EDGE_FILLET = 1.0  # mm, rounds the vertical corners

result = (
    cq.Workplane("XY")
    .box(length, width, thickness)
    .edges("|Z")
    .fillet(EDGE_FILLET)
    .faces(">Z")
    .workplane()
    .rarray(length - 2 * width / 3, 1, 2, 1)
    .hole(hole_diameter)
)
show_object(result)
