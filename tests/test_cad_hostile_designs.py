"""One hostile design's failure is only its own: what its children answer or leave never stops or falsifies the rest.

One project holds the harmless box and designs whose scripts (static check off) forge replies, files and
facts, or fill their folder; it is built once, and the box's published files are compared byte for byte
with those of a build of the box alone. Issue 20, second round of the wall.
"""
from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path

import pytest

import pipeline.source.validate
from pipeline.built import Facts, FactsError
from pipeline.cad.build import time_limit
from pipeline.cad.plan import plan_jobs
from pipeline.catalogue import BuildConfig, build_catalogue
from pipeline.config import MAX_DESIGN_SECONDS, MAX_VARIANTS, Limits
from pipeline.source.discover import discover
from pipeline.source.validate import load_schema, validate

from .conftest import FIXTURES, edit_box, make_project
from .written_designs import box_script, write_design

LIMITS = Limits(job_seconds=20.0, memory_bytes=1536 * 2**20, staging_bytes=64 * 2**20)
FORGED = b"solid forged by the script\n"
FORGED_FACTS = {"solids": 1, "valid": True, "volume_mm3": 1000.0, "bounding_box_mm": [10, 10, 10], "triangles": 12,
                "watertight": True, "winding_consistent": True, "mesh_volume_mm3": 1000.0, "shown_objects": 1}
SHAPE = "result.val().exportBin('shape.brep')\n"  # what the script child hands over, written by the script itself

HOSTILE = {  # slug -> lines before show_object(), and what its one problem line says (None: it publishes)
    "replies-a-list": ("import os\nos.write(3, b'[]\\n')\nos._exit(0)\n",
                       "the script wrote something else than the build's reply into its reply"),
    "replies-a-string-count": (SHAPE + "import os\nos.write(3, b'{\"ok\": true, \"shown_objects\": \"9\"}\\n')\n"
                               "os._exit(0)\n", "facts.shown_objects must be a whole number"),
    "replies-nan-count": (SHAPE + "import os\nos.write(3, b'{\"ok\": true, \"shown_objects\": NaN}\\n')\nos._exit(0)\n",
                          "facts.shown_objects must be a whole number"),
    "replies-a-deep-count": (SHAPE + "import os\nos.write(3, b'{\"ok\": true, \"shown_objects\": ' + b'[' * 900 "
                             "+ b']' * 900 + b'}\\n')\nos._exit(0)\n", "facts.shown_objects must be a whole number"),
    "hands-over-garbage": ("import os\nopen('shape.brep', 'wb').write(b'garbage' * 1000)\n"
                           "os.write(3, b'{\"ok\": true, \"shown_objects\": 1}\\n')\nos._exit(0)\n",
                           "the shape handed over could not be read"),
    "replies-deep-json": ("import os\nos.write(3, b'[' * 100000 + b'\\n')\nos._exit(0)\n",
                          "the script wrote something else than the build's reply into its reply"),
    "forges-files": ("import json, os\nos.umask(0)\n"
                     f"open('model.stl', 'wb').write({FORGED!r})\nos.chmod('model.stl', 0o4777)\n"
                     f"open('facts.json', 'w').write(json.dumps({FORGED_FACTS!r}))\n"
                     f"open('../export/model.stl', 'wb').write({FORGED!r})\n", "PermissionError"),
    "forges-files-then-shows": ("import os\nos.umask(0)\n"
                                f"open('model.stl', 'wb').write({FORGED!r})\nos.link('model.stl', 'model.3mf')\n",
                                None),
    "grows-a-deep-tree": ("import os, time\nfor _ in range(3000):\n    os.mkdir('d')\n    os.chdir('d')\n"
                          "os.chdir('/')\ntime.sleep(3)\n", "wrote more than 100 files or folders"),
    "fills-its-folder": ("import time\nfor i in range(12):\n    open(f'f{i}', 'wb').write(b'x' * (8 << 20))\n"
                         "time.sleep(3)\n", "wrote more than 64 MiB"),
}


def published(root: Path, slug: str) -> dict[str, bytes]:
    folder = root / "catalogue/downloads" / slug
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The box with every hostile design, and the box alone, each in its own cache (no slicing)."""
    hostile = make_project(tmp_path_factory.mktemp("hostile") / "project", [FIXTURES / "designs" / "box"],
                           private_cache=True)
    for slug, (body, _) in HOSTILE.items():
        write_design(hostile, slug, box_script(body))
    alone = make_project(tmp_path_factory.mktemp("alone") / "project", [FIXTURES / "designs" / "box"],
                         private_cache=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline.source.validate, "check_script", lambda tree: [])
        reports = [build_catalogue(BuildConfig(root=root, workers=2, limits=LIMITS, site=False, production=False))
                   for root in (hostile, alone)]
    return hostile, alone, *reports


def test_each_hostile_reply_or_folder_is_that_design_s_problem_on_one_line(builds):
    _, _, report, _ = builds
    lines = {str(p).split("/")[1]: str(p) for p in report.problems}
    for slug, (_, expected) in HOSTILE.items():
        if expected is None:
            assert slug not in lines, lines[slug]
        else:
            assert expected in lines[slug] and "\n" not in lines[slug], lines[slug]
    assert len(report.problems) == sum(expected is not None for _, expected in HOSTILE.values())


def test_the_other_designs_are_published_byte_identical_to_a_build_without_the_hostile_ones(builds):
    hostile, alone, report, report_alone = builds
    assert report_alone.ok and {a.job.label for a in report.artifacts} >= {"box/small", "box/wide"}
    assert published(hostile, "box") == published(alone, "box")
    entry = {d["slug"]: d for d in json.loads((hostile / "catalogue/catalogue.json").read_text())["designs"]}["box"]
    [entry_alone] = json.loads((alone / "catalogue/catalogue.json").read_text())["designs"]
    assert entry == entry_alone


def test_files_a_script_writes_are_never_published_and_published_files_are_0644(builds):
    hostile, _, report, _ = builds
    for path in (hostile / "catalogue/downloads").rglob("*"):
        if path.is_file():
            assert stat.S_IMODE(path.lstat().st_mode) == 0o644, path
            assert FORGED not in path.read_bytes(), path
    # the design that forged files and then showed its cube is published: its cube, exported by the build
    artifact = next(a for a in report.artifacts if a.job.design.slug == "forges-files-then-shows")
    assert artifact.facts.bounding_box_mm == (10.0, 10.0, 10.0) and artifact.facts.triangles == 12
    stl = published(hostile, "forges-files-then-shows")["forges-files-then-shows-default.stl"]
    assert stl == artifact.file("stl").read_bytes() and len(stl) == 84 + 12 * 50


def test_no_staging_folder_or_deep_tree_is_left_behind(builds):
    hostile, *_ = builds
    assert list((hostile / ".cache/cad/tmp").iterdir()) == []


def test_catalogue_json_is_strict_json(builds):
    hostile, *_ = builds

    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")

    json.loads((hostile / "catalogue/catalogue.json").read_text(), parse_constant=refuse)


@pytest.mark.parametrize("change", [
    {"volume_mm3": math.nan}, {"bounding_box_mm": [10, 10, math.inf]}, {"solids": "1"}, {"solids": True},
    {"watertight": 1}, {"bounding_box_mm": [10, 10]}, {"mass_g": {"PLA": 1.0}}, {"extra": 1}, {"triangles": -1},
])
def test_facts_are_refused_unless_exactly_what_the_measuring_code_writes(change):
    good = FORGED_FACTS | {"mass_g": dict.fromkeys(("PLA", "PETG", "ABS", "ASA", "PET", "TPU", "PP", "Nylon"), 1.0)}
    assert Facts.from_json(good).solids == 1
    with pytest.raises(FactsError):
        Facts.from_json(good | change)


def test_a_cache_entry_with_bad_facts_is_built_again(tmp_path):
    root = make_project(tmp_path / "project", [FIXTURES / "designs" / "box"], private_cache=True)
    config = BuildConfig(root=root, workers=1, limits=LIMITS, site=False, production=False)
    assert build_catalogue(config).ok
    for facts in (root / ".cache/cad").glob("??/*/facts.json"):
        facts.write_text('{"solids": "NaN", "volume_mm3": NaN}')
    report = build_catalogue(config)
    assert report.ok and report.cad_jobs_run == 2, list(map(str, report.problems))
    assert all(os.path.getsize(f) > 100 for f in (root / ".cache/cad").glob("??/*/facts.json"))


def test_a_glb_gltfpack_cannot_read_is_its_design_s_problem_and_the_others_publish(tmp_path):
    root = make_project(tmp_path / "project", [FIXTURES / "designs" / "box"], private_cache=True)
    write_design(root, "cube", box_script())
    config = BuildConfig(root=root, workers=2, limits=LIMITS, site=False, production=False)
    first = build_catalogue(config)
    assert first.ok
    box = published(root, "box")
    cube = next(a for a in first.artifacts if a.job.design.slug == "cube")
    cube.file("glb").write_bytes(b"glTF garbage, not a GLB")  # as a broken exporter would leave it
    report = build_catalogue(config)
    assert [str(p) for p in report.problems] == [
        "designs/cube/cube.py [default]: gltfpack could not compress its GLB; the variant is not published until it can"]
    assert published(root, "box") == box and not (root / "catalogue/downloads/cube").exists()
    assert [d["slug"] for d in json.loads((root / "catalogue/catalogue.json").read_text())["designs"]] == ["box"]


def test_the_schema_caps_the_variants_of_a_design_as_the_build_does():
    assert load_schema()["properties"]["variants"]["maxItems"] == MAX_VARIANTS == 16


def test_a_design_with_more_variants_than_the_cap_is_refused(tmp_path):
    root = make_project(tmp_path / "project", [FIXTURES / "designs" / "box"])
    many = [{"name": f"v{i}", "description": "One more.", "parameters": {"width": 10 + i}} for i in range(17)]
    edit_box(root, lambda d: d.update(variants=many))
    designs, problems = validate(discover(root / "designs")[0], root)
    assert designs == [] and any("variants" in str(p) for p in problems), list(map(str, problems))


def test_the_variants_of_a_design_share_its_cad_seconds(tmp_path):
    root = make_project(tmp_path / "project", [FIXTURES / "designs" / "box"])
    many = [{"name": f"v{i}", "description": "One more.", "parameters": {"width": 10 + i}} for i in range(16)]
    edit_box(root, lambda d: d.update(variants=many, build_time_limit_s=300))
    [design], _ = validate(discover(root / "designs")[0], root)
    limits = [time_limit(job, Limits()) for job in plan_jobs([design])]
    assert limits == [MAX_DESIGN_SECONDS / 16] * 16 and sum(limits) == MAX_DESIGN_SECONDS
