"""Mask ear saver: a flat strap worn behind the head, with hooks for the mask's ear loops.

Printed flat. Each end has `hook_count` hooks on both edges, their barbs
pointing to the centre so the elastic loops stay on.
"""
import cadquery as cq

length = 170.0  # mm, overall
band_width = 12.5  # mm, the central band
width = 24.0  # mm, overall, hooks included
thickness = 1.5  # mm
hook_count = 4  # hooks per side, at each end
hook_pitch = 12.0  # mm, along the strap
hook_width = 4.0  # mm, the hook's stem along the strap

END_MARGIN = 3.0  # mm, strap beyond the outermost hook
BARB = 2.0  # mm, how far each barb reaches back towards the centre

strap = cq.Workplane("XY").rect(length, band_width).extrude(thickness)
stem_reach = (width - band_width) / 2

for end in (-1, 1):
    for i in range(int(hook_count)):
        # x of the hook's outer face, counted from the strap's end
        x_out = end * (length / 2 - END_MARGIN - i * hook_pitch)
        x_in = x_out - end * hook_width
        for edge in (-1, 1):
            y0 = edge * band_width / 2
            y1 = edge * (band_width / 2 + stem_reach)
            y_barb = edge * (band_width / 2 + stem_reach * 0.55)
            outline = [
                (x_out, y0 - edge * 0.5),
                (x_out, y1),
                (x_in - end * BARB, y1),
                (x_in, y_barb),
                (x_in, y0 - edge * 0.5),
            ]
            hook = cq.Workplane("XY").polyline(outline).close().extrude(thickness)
            strap = strap.union(hook)

result = strap
show_object(result)
