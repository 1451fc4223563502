"""AFNOR S76-001 duckbill barrier mask: the pattern pieces, each a thin flat plate whose outline is its cut line.

A duckbill mask (« bec de canard ») is cut from squares of fabric of about 21 cm whose four corners are cut
off obliquely; each piece is folded in half along its width and sewn along the oblique sides with 1 cm
seams, which shapes the beak. The outer layer and the lining are one piece cut twice, the middle (filter)
layer a piece of its own. Shown flat, stacked like the layers they are, in the order of design.yaml's sewing.pieces.
"""
import cadquery as cq

width = 210.0  # mm, across the face, seam allowances included
height = 210.0  # mm, before folding in half, seam allowances included
bevel = 55.0  # mm, how far each oblique side runs in from a side edge at the top and bottom
plate = 0.5  # mm, the plates' thickness: only their outline matters

GAP = 2.0  # mm, between the plates, stacked as the layers are laid on each other


def piece(z0):
    """The cut outline: a hexagon whose side points are at mid-height, where the fold meets the beak."""
    points = [(bevel, 0), (width - bevel, 0), (width, height / 2), (width - bevel, height), (bevel, height), (0, height / 2)]
    return cq.Workplane("XY").polyline(points).close().extrude(plate).translate((0, 0, z0))


show_object(piece(0))
show_object(piece(plate + GAP))
