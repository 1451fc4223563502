"""Mask ear saver: a plain flat band with angled notches cut into both edges near each end.

Nothing sticks out, so it does not catch on hair or hoods. Each ear loop sits
in a notch; the notches lean towards the band's centre so the elastic's pull
keeps it in. Printed flat, no supports.
"""
import math

import cadquery as cq

length = 180.0  # mm, overall
width = 20.0  # mm
thickness = 1.5  # mm
notch_count = 5  # notches on each edge, at each end
notch_pitch = 8.0  # mm, along the band
notch_width = 2.5  # mm, the elastic sits in it
notch_depth = 6.0  # mm, into the band from its edge
notch_lean = 30.0  # deg, how far each notch leans towards the band's centre

END_MARGIN = 5.0  # mm, band beyond the outermost notch
CORNER = 4.0  # mm, chamfer of the band's four corners

band = (
    cq.Workplane("XY").rect(length, width).extrude(thickness)
    .edges("|Z").chamfer(CORNER)
)

lean = math.tan(math.radians(notch_lean))
for end in (-1, 1):
    for i in range(int(notch_count)):
        x_mouth = end * (length / 2 - END_MARGIN - notch_width / 2 - i * notch_pitch)  # centre of the notch at the edge
        for edge in (-1, 1):
            y_edge = edge * (width / 2 + 1)  # start beyond the edge for a clean cut
            y_root = edge * (width / 2 - notch_depth)
            shift = -end * lean * (notch_depth + 1)  # the root is nearer the centre than the mouth
            outline = [
                (x_mouth - notch_width / 2, y_edge), (x_mouth + notch_width / 2, y_edge),
                (x_mouth + notch_width / 2 + shift, y_root), (x_mouth - notch_width / 2 + shift, y_root),
            ]
            band = band.cut(cq.Workplane("XY").polyline(outline).close().extrude(thickness))

result = band
show_object(result)
