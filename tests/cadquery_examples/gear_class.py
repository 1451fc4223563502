"""A spur-gear blank described by a small class with __init__ and __str__, as many public scripts do."""
import math

import cadquery as cq

teeth = 18
module_mm = 2.0
thickness = 6.0


class GearBlank:
    def __init__(self, teeth, module_mm, thickness):
        self.teeth = teeth
        self.module_mm = module_mm
        self.thickness = thickness

    def __str__(self):
        return "GearBlank({} teeth, m{})".format(self.teeth, self.module_mm)

    @property
    def outer_radius(self):
        return self.module_mm * (self.teeth + 2) / 2

    def solid(self):
        points = []
        for i in range(self.teeth * 2):
            angle = math.pi * i / self.teeth
            r = self.outer_radius if i % 2 == 0 else self.outer_radius - 2.25 * self.module_mm
            points.append((r * math.cos(angle), r * math.sin(angle)))
        return cq.Workplane("XY").polyline(points).close().extrude(self.thickness).faces(">Z").workplane().hole(5)


class Hub(GearBlank):
    def __init__(self, *args):
        super().__init__(*args)
        self.boss = 4.0

    def solid(self):
        return super().solid().faces(">Z").workplane().circle(6).circle(2.5).extrude(self.boss)


gear = Hub(teeth, module_mm, thickness)
print(str(gear))
show_object(gear.solid())
