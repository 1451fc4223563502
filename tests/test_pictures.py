"""The pictures stage: a PNG per variant, VTK's when it works, matplotlib's until then."""
from __future__ import annotations

import pytest

from pipeline.pictures import thumbnails

from .conftest import build


def test_a_matplotlib_stand_in_gives_way_to_the_vtk_picture_once_vtk_works(box_project, monkeypatch, tmp_path):
    report = build(box_project, site=False)
    monkeypatch.setattr(thumbnails, "_render_with_vtk", lambda jobs: None)  # as on a machine without EGL
    without_egl = thumbnails.render_thumbnails(report.artifacts, tmp_path)
    monkeypatch.undo()
    with_egl = thumbnails.render_thumbnails(report.artifacts, tmp_path)
    for artifact in report.artifacts:
        key = artifact.job.key
        assert without_egl[key].name.endswith("-matplotlib.png") and with_egl[key].name.endswith("-vtk.png")
        assert with_egl[key].read_bytes() != without_egl[key].read_bytes()


def test_the_sheet_view_draws_the_sheet_with_its_holes_cut():
    """The sheet's surface (sheet_mesh.py): the sheet's area less its holes', every hole where design.yaml says."""
    import math

    from pipeline.model import Sheet, Text
    from pipeline.pictures.sheet_mesh import SEGMENTS, sheet_triangles

    sheet = Sheet(Text("A4"), (-110.0, -30.0, 30.0, 110.0), 5.5, (297.0, 210.0), (0.3, 0.75), 10.0)
    triangles = sheet_triangles(sheet)
    area = sum(abs((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])) / 2 for a, b, c in triangles)
    polygon_hole = SEGMENTS / 2 * 2.75 ** 2 * math.sin(2 * math.pi / SEGMENTS)
    assert area == pytest.approx(297 * 210 - 4 * polygon_hole, rel=1e-9)
    for x in sheet.holes_mm:  # no triangle covers a hole's centre (95 mm above the sheet's centre)
        assert not any(_inside((x, 95.0), t) for t in triangles)
    assert any(_inside((0.0, 95.0), t) for t in triangles)  # between the middle holes the sheet is whole


def _inside(point, triangle) -> bool:
    (x, y), ((x1, y1), (x2, y2), (x3, y3)) = point, triangle
    d1 = (x - x2) * (y1 - y2) - (x1 - x2) * (y - y2)
    d2 = (x - x3) * (y2 - y3) - (x2 - x3) * (y - y3)
    d3 = (x - x1) * (y3 - y1) - (x3 - x1) * (y - y1)
    return not ((min(d1, d2, d3) < 0) and (max(d1, d2, d3) > 0))
