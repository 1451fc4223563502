"""Sharded builds: N shards merged give exactly the bytes of one unsharded build."""
from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.cad.shard import ShardError, parse_shard
from pipeline.catalogue import BuildConfig, build_catalogue

from .conftest import FIXTURES, REPO, SHARED_SLICE_CACHE, make_project
from .test_cad_build import digests

# Cheap to slice as well as to build: each shard slices its variants cold (a 0.1 mm coupler plate takes minutes).
DESIGNS = [FIXTURES / "designs" / "box", REPO / "designs" / "ear-saver-strap", REPO / "designs" / "ear-saver-notched-band"]


@pytest.mark.cold
def test_shards_merged_give_the_bytes_of_one_unsharded_build(tmp_path):
    whole = make_project(tmp_path / "whole", DESIGNS)
    unsharded = build_catalogue(BuildConfig(root=whole, workers=2, site=False, slice_cache=SHARED_SLICE_CACHE))
    assert unsharded.ok

    shard_caches, built = [], []
    for index in (1, 2, 3):
        root = make_project(tmp_path / f"shard{index}", DESIGNS, private_cache=True)
        report = build_catalogue(BuildConfig(root=root, workers=1, shard=(index, 3)))
        assert report.ok and not (root / "catalogue/en/designs").exists()  # a shard renders nothing
        built += [a.job.key for a in report.artifacts]
        # each shard slices, cold, the variants it owns: one entry per variant and reference printer
        assert len(list((root / ".cache/slices").glob("??/*/figures.json"))) == 2 * len(report.artifacts)
        shard_caches.append(root / ".cache/cad")
    assert sorted(built) == sorted(a.job.key for a in unsharded.artifacts)  # disjoint, and all covered

    assembled = make_project(tmp_path / "assembled", DESIGNS, private_cache=True)
    report = build_catalogue(BuildConfig(root=assembled, merge_caches=tuple(shard_caches), cached_only=True))
    assert report.ok and report.cad_jobs_run == 0 and report.workers_started == 0
    # every slice merged from the shards; the slicer ran at most once, `--help` for the version line of the keys
    assert report.slices_cached == 2 * len(report.artifacts) and report.slicer_runs <= 1
    assert digests(assembled) == digests(whole)  # the plate 3MFs included
    assert (assembled / "catalogue/production.json").read_bytes() == (whole / "catalogue/production.json").read_bytes()
    assert (assembled / "site/en/designs/box/index.html").is_file()


def test_cached_only_names_the_missing_variants(cold_box_project):
    report = build_catalogue(BuildConfig(root=cold_box_project, cached_only=True, site=False))
    assert report.workers_started == 0
    assert [str(p).split(" (key")[0] for p in report.problems] == [
        "designs/box/box.py [small]: not in the cache", "designs/box/box.py [wide]: not in the cache"]


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b"])
def test_a_bad_shard_is_refused_with_the_expected_form(text):
    with pytest.raises(ShardError, match="--shard"):
        parse_shard(text)


def test_the_command_line_refuses_a_bad_shard():
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "--shard", "5/4"], capture_output=True, text=True)
    assert run.returncode == 2 and "i must be between 1 and N" in run.stderr
