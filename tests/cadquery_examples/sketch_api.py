"""A mounting plate drawn with the Sketch API, after the CadQuery documentation's sketch examples."""
import cadquery as cq

sketch = (
    cq.Sketch()
    .trapezoid(40, 20, 80)
    .vertices()
    .fillet(2)
    .reset()
    .rarray(12, 1, 3, 1)
    .circle(2, mode="s")
)
result = cq.Workplane().placeSketch(sketch).extrude(3)
show_object(result)
