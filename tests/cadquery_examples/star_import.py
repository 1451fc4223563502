"""A plate with a slot grid written with `from cadquery import *`, as the CadQuery docs' examples often are."""
from cadquery import *

width = 50.0
depth = 30.0

plate = Workplane("XY").box(width, depth, 4).faces(">Z").workplane().rarray(12, 10, 3, 2).slot2D(8, 3).cutThruAll()
show_object(plate)
