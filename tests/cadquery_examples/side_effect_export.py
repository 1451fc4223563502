"""A bracket that also exports itself, as scripts written for cq-cli or CQ-editor often do."""
import cadquery as cq

result = cq.Workplane("XY").box(30, 20, 4).faces(">Z").workplane().rect(20, 10, forConstruction=True).vertices().hole(3)
result = result.faces("<Y").workplane().center(0, 8).box(30, 12, 4, combine=True)
cq.exporters.export(result, "bracket.step")
cq.exporters.export(result, "bracket.stl")
show_object(result)
