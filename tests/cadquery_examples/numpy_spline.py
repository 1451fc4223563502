"""A wavy strip whose outline comes from numpy, as scripts that compute profiles do."""
import cadquery as cq
import numpy as np

length = 60.0
amplitude = 3.0
waves = 3

xs = np.linspace(0, length, 61)
ys = amplitude * np.sin(2 * np.pi * waves * xs / length)
top = [(float(x), float(y) + 5) for x, y in zip(xs, ys)]
bottom = [(float(x), float(y) - 5) for x, y in zip(xs[::-1], ys[::-1])]
result = cq.Workplane("XY").polyline(top + bottom).close().extrude(2.0)
show_object(result)
