"""The pictures stage: a PNG per variant, VTK's when it works, matplotlib's until then."""
from __future__ import annotations

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
