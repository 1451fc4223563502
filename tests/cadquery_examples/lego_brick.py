"""A Lego-style brick, after the CadQuery documentation's example."""
import cadquery as cq

lbumps = 4
wbumps = 2
thin = True

pitch = 8.0
clearance = 0.1
bumpDiam = 4.8
bumpHeight = 1.8
height = 3.2 if thin else 9.6

t = (pitch - (2 * clearance) - bumpDiam) / 2.0
postDiam = pitch - t
total_length = lbumps * pitch - 2.0 * clearance
total_width = wbumps * pitch - 2.0 * clearance

s = cq.Workplane("XY").box(total_length, total_width, height)
s = s.faces("<Z").shell(-1.0 * t)
s = (s.faces(">Z").workplane().rarray(pitch, pitch, lbumps, wbumps, True).circle(bumpDiam / 2.0)
     .extrude(bumpHeight))
tmp = s.faces("<Z").workplane(invert=True)
if lbumps > 1 and wbumps > 1:
    tmp = (tmp.rarray(pitch, pitch, lbumps - 1, wbumps - 1, center=True).circle(postDiam / 2.0)
           .circle(bumpDiam / 2.0).extrude(height - t))
show_object(tmp)
