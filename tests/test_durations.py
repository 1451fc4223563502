"""Longest variants first: each build keeps how long every variant took, and the next one starts the longest."""
from __future__ import annotations

import json

from pipeline.cad.durations import BuildDurations
from pipeline.cad.plan import plan_jobs
from pipeline.source.discover import discover
from pipeline.source.validate import validate
from tests.conftest import build


def box_jobs(root):
    sources, _ = discover(root / "designs")
    designs, _ = validate(sources, root)
    return plan_jobs(designs)


def test_a_build_keeps_each_variants_time_beside_the_cache(cold_box_project):
    report = build(cold_box_project, site=False, production=False)
    assert report.ok and report.cad_jobs_run == 2
    seconds = json.loads((cold_box_project / ".cache/cad/durations.json").read_text())
    assert set(seconds) == {"box/small", "box/wide"}
    assert all(s > 0 for s in seconds.values())


def test_the_longest_variant_of_the_last_build_starts_first_and_untimed_ones_before_it(box_project, tmp_path):
    small, wide = box_jobs(box_project)
    durations = BuildDurations(tmp_path / "durations.json")
    assert durations.longest_first([small, wide]) == [small, wide]  # nothing known: the catalogue's order
    durations.seconds = {"box/small": 1.0, "box/wide": 3.0}
    durations.save()
    assert BuildDurations(tmp_path / "durations.json").longest_first([small, wide]) == [wide, small]
    durations.seconds = {"box/small": 1.0}
    assert durations.longest_first([small, wide]) == [wide, small]
