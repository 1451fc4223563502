"""Child process of thumbnails.py: render STL files to PNG with offscreen VTK.

    python -m pipeline.pictures.vtk_render in1.stl out1.png [in2.stl out2.png ...]

Exits non-zero, leaving the remaining pictures unwritten, when no OpenGL
context can be made.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from ..materials import PART_COLOUR
from .thumbnails import BACKGROUND, SIZE, VIEW_DIRECTION


def offscreen_window(vtk):
    """An offscreen window and its renderer at the thumbnails' size, or None when no OpenGL context can be made."""
    window = vtk.vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetSize(*SIZE)
    window.SetMultiSamples(8)
    renderer = vtk.vtkRenderer()
    renderer.SetBackground(*BACKGROUND)
    window.AddRenderer(renderer)
    window.Render()
    return (window, renderer) if window.SupportsOpenGL() else None


def main(args: list[str]) -> int:
    import vtk

    opened = offscreen_window(vtk)
    if opened is None:
        return 2
    window, renderer = opened
    for stl, png in zip(args[0::2], args[1::2], strict=True):
        render(vtk, window, renderer, Path(stl), Path(png))
    window.Finalize()
    return 0


def render(vtk, window, renderer, stl: Path, png: Path, direction: tuple[float, ...] = VIEW_DIRECTION,
           up: tuple[float, ...] = (0, 0, 1), colour: tuple[float, ...] = PART_COLOUR) -> None:
    """`direction`: from the part towards the camera; `up`: what points up in the picture."""
    reader = vtk.vtkSTLReader()
    reader.SetFileName(str(stl))
    normals = vtk.vtkPolyDataNormals()  # smooth curved faces, crisp CAD edges
    normals.SetInputConnection(reader.GetOutputPort())
    normals.SetFeatureAngle(35)
    mapper = vtk.vtkPolyDataMapper()
    mapper.SetInputConnection(normals.GetOutputPort())
    actor = vtk.vtkActor()
    actor.SetMapper(mapper)
    actor.GetProperty().SetColor(*colour)
    actor.GetProperty().SetAmbient(0.3)
    actor.GetProperty().SetDiffuse(0.75)
    actor.GetProperty().SetSpecular(0.15)
    renderer.RemoveAllViewProps()
    renderer.AddActor(actor)
    camera = renderer.GetActiveCamera()
    camera.SetFocalPoint(0, 0, 0)
    camera.SetPosition(*direction)
    camera.SetViewUp(*up)
    renderer.ResetCamera()
    fit_parallel_view(camera, actor.GetBounds())
    window.Render()
    grab = vtk.vtkWindowToImageFilter()
    grab.SetInput(window)
    grab.ReadFrontBufferOff()
    grab.Update()
    writer = vtk.vtkPNGWriter()
    tmp = png.with_suffix(".tmp.png")
    writer.SetFileName(str(tmp))
    writer.SetInputConnection(grab.GetOutputPort())
    writer.Write()
    os.replace(tmp, png)


def fit_parallel_view(camera, bounds: tuple[float, ...], margin: float = 1.08) -> None:
    """An orthographic view whose frame just holds the part's box, whatever its proportions."""
    camera.ParallelProjectionOn()
    view = camera.GetViewTransformMatrix()
    xs, ys = [], []
    for x in bounds[0:2]:
        for y in bounds[2:4]:
            for z in bounds[4:6]:
                point = [0.0] * 4
                view.MultiplyPoint((x, y, z, 1.0), point)
                xs.append(point[0])
                ys.append(point[1])
    aspect = SIZE[0] / SIZE[1]
    half_height = max((max(ys) - min(ys)) / 2, (max(xs) - min(xs)) / 2 / aspect)
    camera.SetParallelScale(half_height * margin)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
