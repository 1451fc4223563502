"""AFNOR S76-001 pleated barrier mask: the pattern pieces, each a thin flat plate whose outline is its cut line.

A pleated mask (« masque à plis ») is cut from squares of fabric, one per layer: 20 x 20 cm for adults,
17 x 17 cm for the junior size, as the tutorials that follow AFNOR SPEC S76-001 cut it. The outer layer and
the lining are one piece cut twice; the middle (filter) layer is a piece of its own, as it is often a
different fabric. The pieces are shown flat, stacked like the layers they are, in the order of design.yaml's sewing.pieces;
the build reads their outlines and draws the pattern, the stitch line, the pleat marks and the notches.
"""
import cadquery as cq

width = 200.0  # mm, the square's side across the face, seam allowances included
height = 200.0  # mm, the square's side before pleating, seam allowances included
plate = 0.5  # mm, the plates' thickness: only their outline matters

GAP = 2.0  # mm, between the plates, stacked as the layers are laid on each other

body = cq.Workplane("XY").rect(width, height, centered=False).extrude(plate)
middle = cq.Workplane("XY").rect(width, height, centered=False).extrude(plate).translate((0, 0, plate + GAP))

show_object(body)
show_object(middle)
