"""The CAD stage: parameter overrides, the cache, failures, and byte-identical outputs."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from pipeline.catalogue import BuildConfig, build_catalogue

from .conftest import FIXTURES, REPO, SHARED_CACHE, SHARED_SLICE_CACHE, build, make_project, real_designs
from .written_designs import box_script, write_design


def artifact(report, variant: str):
    return next(a for a in report.artifacts if a.job.variant.name == variant)


def test_a_parameter_override_changes_the_geometry(box_project):
    report = build(box_project, site=False)
    assert report.ok, report.problems
    assert artifact(report, "small").facts.bounding_box_mm == (20.0, 10.0, 5.0)
    assert artifact(report, "wide").facts.bounding_box_mm == (40.0, 10.0, 5.0)


@pytest.mark.cold
def test_a_rebuild_with_nothing_changed_does_no_cad_work(cold_box_project):
    first = build(cold_box_project, site=False, production=False)
    second = build(cold_box_project, site=False, production=False)
    assert first.cad_jobs_run == 2 and first.workers_started >= 1
    assert second.cad_jobs_run == 0 and second.workers_started == 0
    assert second.cad_jobs_cached == 2 and len(second.artifacts) == 2


@pytest.mark.cold
def test_changing_one_design_rebuilds_only_that_design(tmp_path):
    root = make_project(tmp_path, [FIXTURES / "designs" / "box"], private_cache=True)
    write_design(root, "cube", box_script())
    build(root, site=False, production=False)
    script = root / "designs/box/box.py"
    script.write_text(script.read_text().replace("height = 5.0  # mm", "height = 5.0  # mm, edited"))
    report = build(root, site=False, production=False)
    assert report.cad_jobs_run == 2 and report.cad_jobs_cached == 1  # the box's two variants, not the cube
    assert {a.job.design.slug for a in report.artifacts} == {"box", "cube"}


def test_a_failing_script_is_reported_with_its_line_and_the_others_still_build(tmp_path):
    root = make_project(tmp_path, [FIXTURES / "designs" / "box", FIXTURES / "designs" / "raises"])
    report = build(root)
    assert [str(p) for p in report.problems] == [
        "designs/raises/broken.py:7 [small]: ZeroDivisionError: float division by zero"]
    assert {a.job.design.slug for a in report.artifacts} == {"box"}
    assert (root / "site/en/designs/box/index.html").is_file()
    assert not (root / "site/en/designs/raises").exists()


def test_the_command_line_exits_non_zero_with_a_summary(tmp_path):
    import subprocess
    import sys
    root = make_project(tmp_path, [FIXTURES / "designs" / "raises"])
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), "--no-site"],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "1 problem(s):" in run.stdout and "designs/raises/broken.py:7" in run.stdout


def digests(root: Path) -> dict[str, str]:
    files = sorted(f for f in (root / "catalogue/downloads").rglob("*") if f.is_file())
    return {f.relative_to(root).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


@pytest.mark.cold
def test_two_builds_give_identical_bytes(tmp_path, catalogue):
    """A cold build in another folder, with one worker instead of two, gives the same files."""
    reference_root, _ = catalogue
    root = make_project(tmp_path, real_designs(), private_cache=True)
    # the slices, cut files and patterns come from the shared caches (they are made of the STEP and STL files, so
    # a file built differently here would miss them): test_production.py, test_cutting.py and test_sewing.py check
    # that making them again from nothing gives the same bytes
    (root / ".cache").mkdir()
    for kind in ("cutting", "sewing"):
        (root / ".cache" / kind).symlink_to(SHARED_CACHE / kind, target_is_directory=True)
    report = build_catalogue(BuildConfig(root=root, workers=1, site=False, slice_cache=SHARED_SLICE_CACHE))
    assert report.ok and report.cad_jobs_run == len(report.artifacts)
    ours, reference = digests(root), digests(reference_root)
    assert ours == reference
    # every variant's STL, STEP, 3MF, GLB and PNG, and every design's zip, okh.toml, BOM (when it has one) and SHA256SUMS
    # (besides plates, templates, step pictures and cut files, which their own tests count)
    names = {path.rsplit("/", 1)[1] for path in ours}
    assert all(f"{a.job.stem}.{kind}" in names for a in report.artifacts for kind in ("stl", "step", "3mf", "glb", "png"))
    assert all({f"{d.slug}.zip", "okh.toml", "SHA256SUMS", *([f"{d.slug}-bom.csv"] if d.bom else [])} <= {
        path.rsplit("/", 1)[1] for path in ours if path.split("/")[2] == d.slug} for d in report.designs)


def test_step_header_has_no_clock_and_no_export_counter(catalogue):
    root, _ = catalogue
    for step in (root / "catalogue/downloads").rglob("*.step"):
        text = step.read_text(errors="replace")
        assert "Open CASCADE STEP translator" not in text
        assert re.search(rf"FILE_NAME\('{step.name}',\s*'2020-04-24T00:00:00'", text)
        assert re.search(rf"PRODUCT\('{step.stem}',\s*'{step.stem}'", text)


def _staged(cache, key: str) -> Path:
    staging = cache.staging(key)
    (staging / "facts.json").write_text("{}", encoding="utf-8")
    return staging


def test_a_cache_entry_that_cannot_be_stored_raises_instead_of_naming_a_missing_entry(tmp_path, monkeypatch):
    import errno
    import os

    from pipeline.cad.cache import CadCache

    cache, key = CadCache(tmp_path / "cad"), "ab" * 32
    staging = _staged(cache, key)

    def disk_full(source, target):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "rename", disk_full)
    with pytest.raises(OSError, match="No space left"):
        cache.commit(key, staging)
    assert cache.lookup(key) is None and not staging.exists()


def test_a_key_another_build_stored_first_is_kept(tmp_path):
    from pipeline.cad.cache import CadCache

    cache, key = CadCache(tmp_path / "cad"), "cd" * 32
    first = cache.commit(key, _staged(cache, key))
    second_staging = _staged(cache, key)
    assert cache.commit(key, second_staging) == first
    assert cache.lookup(key) == first and not second_staging.exists()
