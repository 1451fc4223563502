"""Parts named with str.format and f-strings, a dataclass-like record with __repr__ and __eq__."""
import cadquery as cq

sizes = [10.0, 14.0, 18.0]


class Spacer:
    def __init__(self, outer, inner, height):
        self.outer, self.inner, self.height = outer, inner, height

    def __repr__(self):
        return "Spacer(outer={:.1f}, inner={:.1f}, height={:.1f})".format(self.outer, self.inner, self.height)

    def __eq__(self, other):
        return (self.outer, self.inner, self.height) == (other.outer, other.inner, other.height)

    def make(self):
        return cq.Workplane("XY").circle(self.outer / 2).circle(self.inner / 2).extrude(self.height)


spacers = [Spacer(s, s / 2, 5) for s in sizes]
names = ["spacer-{}".format(i) for i, _ in enumerate(spacers)]
result = spacers[0].make()
for i, spacer in enumerate(spacers[1:], start=1):
    result = result.union(spacer.make().translate((25 * i, 0, 0)))
show_object(result)
