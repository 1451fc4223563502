"""Two parts saved as an assembly file, then shown as one part, in the style of the assembly tutorial."""
import cadquery as cq

base = cq.Workplane("XY").box(40, 40, 5)
post = cq.Workplane("XY").circle(5).extrude(20)
assy = cq.Assembly().add(base, name="base").add(post, name="post", loc=cq.Location(cq.Vector(0, 0, 5)))
assy.save("assembly.step")
show_object(base.union(post.translate((0, 0, 2.5))))
