"""Cut designs: their parts are checked flat, drawn as DXF and SVG in millimetres, nested and timed per laser.

Everything is measured from the outputs (the DXF read back with ezdxf, the SVG's attributes, the STEP read
with CadQuery here in the test process), never from the stage's own objects.
"""
from __future__ import annotations

import io
import json
import math
import re
import tempfile
from dataclasses import replace
from pathlib import Path

import ezdxf
import pytest
from shapely.geometry import Polygon, box

from pipeline.built import BuildReport
from pipeline.catalogue import BuildConfig, build_catalogue
from pipeline.cutting import profiles
from pipeline.cutting.build import cut_variants
from pipeline.cutting.nesting import lattice_counts
from pipeline.cutting.outlines import read_outlines
from pipeline.cutting.sheets import part_path
from pipeline.drawing import Circle, Drawing, Outline, svg_bytes
from pipeline.drawing.dxf import dxf_bytes

from .conftest import REPO, make_project

CUT_DESIGNS = [REPO / "designs" / "visor-laser-cut", REPO / "designs" / "ear-saver-laser-cut"]


@pytest.fixture(scope="module")
def cut_catalogue(tmp_path_factory) -> tuple[Path, BuildReport]:
    root = make_project(tmp_path_factory.mktemp("cut"), CUT_DESIGNS)
    report = build_catalogue(BuildConfig(root=root, workers=2, site=False, production=False))
    assert report.ok, [str(p) for p in report.problems]
    return root, report


def downloads(root: Path, slug: str) -> Path:
    return root / "catalogue" / "downloads" / slug


def dxf_contours(path: Path) -> tuple[ezdxf.document.Drawing, list]:
    doc = ezdxf.read(io.StringIO(path.read_text(encoding="utf-8")))
    return doc, [e for e in doc.modelspace() if e.dxftype() in ("LWPOLYLINE", "CIRCLE")]


def contour_length(entity) -> float:
    if entity.dxftype() == "CIRCLE":
        return math.pi * 2 * entity.dxf.radius
    points = [p[:2] for p in entity.get_points()]
    return sum(math.dist(a, b) for a, b in zip(points, points[1:] + points[:1], strict=True))


def contour_polygon(entity) -> Polygon:
    if entity.dxftype() == "CIRCLE":
        (x, y, _), r = entity.dxf.center, entity.dxf.radius
        return Polygon([(x + r * math.cos(a * math.pi / 64), y + r * math.sin(a * math.pi / 64)) for a in range(128)])
    return Polygon([p[:2] for p in entity.get_points()])


def step_solids(step: Path):
    import cadquery as cq

    return cq.importers.importStep(str(step)).solids().vals()


@pytest.mark.parametrize("slug,variant,parts", [("visor-laser-cut", "adult", ["frame", "shield"]),
                                                       ("ear-saver-laser-cut", "child", ["strap"])])
def test_dxf_outlines_have_the_lengths_of_the_step_faces(cut_catalogue, slug, variant, parts):
    root, _ = cut_catalogue
    solids = step_solids(downloads(root, slug) / f"{slug}-{variant}.step")
    for part, solid in zip(parts, solids, strict=True):
        doc, contours = dxf_contours(downloads(root, slug) / f"{slug}-{variant}-{part}.dxf")
        assert doc.header["$INSUNITS"] == 4  # millimetres
        assert all(c.closed for c in contours if c.dxftype() == "LWPOLYLINE")
        bottom = solid.faces("<Z")
        expected = sorted(w.Length() for w in bottom.Wires())
        drawn = sorted(contour_length(c) for c in contours)
        assert len(drawn) == len(expected)
        for got, want in zip(drawn, expected, strict=True):
            assert got == pytest.approx(want, rel=0.001)


def test_dxf_lists_inner_contours_before_the_outline(cut_catalogue):
    root, _ = cut_catalogue
    _, contours = dxf_contours(downloads(root, "ear-saver-laser-cut") / "ear-saver-laser-cut-adult-strap.dxf")
    areas = [contour_polygon(c).area for c in contours]
    assert areas[-1] == max(areas) and len(areas) == 9  # eight tongues' U-cuts, then the strap's outline


def test_svg_size_in_mm_is_the_parts_bounding_box(cut_catalogue):
    root, _ = cut_catalogue
    frame, shield = step_solids(downloads(root, "visor-laser-cut") / "visor-laser-cut-child.step")
    for part, solid in (("frame", frame), ("shield", shield)):
        svg = (downloads(root, "visor-laser-cut") / f"visor-laser-cut-child-{part}.svg").read_text()
        width, height = (float(v) for v in re.search(r'width="([\d.]+)mm" height="([\d.]+)mm"', svg).groups())
        view = [float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]
        bb = solid.BoundingBox()
        assert (width, height) == (pytest.approx(bb.xlen, abs=0.01), pytest.approx(bb.ylen, abs=0.01))
        assert view == [0, 0, width, height]


@pytest.mark.parametrize("laser", [laser.name for laser in profiles.lasers()])
def test_nested_sheet_holds_the_stated_parts_inside_and_apart(cut_catalogue, laser):
    root, report = cut_catalogue
    folder = downloads(root, "visor-laser-cut")
    catalogue = json.loads((root / "catalogue" / "catalogue.json").read_text())
    design = next(d for d in catalogue["designs"] if d["slug"] == "visor-laser-cut")
    run = next(r for r in design["variants"][0]["cutting"]["runs"] if r["laser"] == laser)
    frame = next(p for p in run["parts"] if p["part"] == "frame")
    doc, contours = dxf_contours(folder / f"visor-laser-cut-adult-frame-sheet-{laser}.dxf")
    polygons = [contour_polygon(c) for c in contours]
    outlines = [p for p in polygons if not any(q is not p and q.contains(p) for q in polygons)]
    assert len(outlines) == frame["parts_per_sheet"] > 1
    sheet_w, sheet_h = frame["sheet_mm"]
    assert tuple(doc.header["$EXTMAX"])[:2] == (sheet_w, sheet_h)  # the drawing is the sheet
    sheet = box(0, 0, sheet_w, sheet_h)
    assert all(sheet.contains(p) for p in outlines)
    for i, a in enumerate(outlines):
        assert all(not a.intersects(b) for b in outlines[i + 1:])
    # N + 1 do not fit by the same rule: no lattice of the rule holds more than the sheet shows
    lasers = {x.name: x for x in profiles.lasers()}
    part = read_outlines([folder / "visor-laser-cut-adult.step"], root / ".cache" / "cutting" / "outlines",
                         confine=True)[folder / "visor-laser-cut-adult.step"][0]
    counts = lattice_counts(part.polygon(), tuple(frame["sheet_mm"]), lasers[laser].margin_mm, lasers[laser].spacing_mm)
    assert max(counts) == frame["parts_per_sheet"]


def test_a_faster_laser_cuts_a_unit_faster(cut_catalogue):
    _, report = cut_catalogue
    cuts = _cutting(report)
    for runs in cuts.values():
        by_laser = {r.laser: r for r in runs.runs}
        assert by_laser["co2-100w"].seconds_per_unit < by_laser["co2-40w"].seconds_per_unit


def test_a_thicker_sheet_of_the_same_material_cuts_slower(cut_catalogue):
    root, _ = cut_catalogue
    step = downloads(root, "visor-laser-cut") / "visor-laser-cut-adult.step"
    frame = read_outlines([step], root / ".cache" / "cutting" / "outlines", confine=True)[step][0]
    path = part_path(frame)
    for laser in profiles.lasers():
        times = [path.seconds(laser.speed_mm_s("PMMA", t), laser.pierce_s, laser.travel_mm_s) for t in (3, 4, 5)]
        assert times[0] < times[1] < times[2]


def test_the_outline_worker_reads_behind_the_wall_and_leaves_no_folder_behind(cut_catalogue, tmp_path, monkeypatch):
    root, _ = cut_catalogue
    step = downloads(root, "visor-laser-cut") / "visor-laser-cut-adult.step"
    scratch = tmp_path / "tmp"  # a temporary folder of this test's own: other builds on the machine make theirs in /tmp
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    outlines = read_outlines([step], tmp_path / "outlines", confine=True)[step]  # an empty cache: the worker runs
    assert not isinstance(outlines, str) and outlines[0].thickness_mm > 0
    assert list(scratch.iterdir()) == []  # the wall's writable folder is gone


def test_cut_files_are_the_same_bytes_when_made_again_from_nothing(cut_catalogue, tmp_path):
    root, report = cut_catalogue
    again = tmp_path / "again"
    again.mkdir()
    fresh = cut_variants(report.artifacts, BuildConfig(root=again, workers=1), BuildReport())
    first = _cutting(report)
    assert fresh.keys() == first.keys()
    for key, cut in first.items():
        for a, b in zip(cut.files, fresh[key].files, strict=True):
            assert a.dxf.read_bytes() == b.dxf.read_bytes() and a.svg.read_bytes() == b.svg.read_bytes()
        for ra, rb in zip(cut.runs, fresh[key].runs, strict=True):
            for p, q in zip(ra.parts, rb.parts, strict=True):
                assert replace(p, sheet_dxf=q.sheet_dxf, sheet_svg=q.sheet_svg) == q  # the same figures
                assert p.sheet_dxf.read_bytes() == q.sheet_dxf.read_bytes()
                assert p.sheet_svg.read_bytes() == q.sheet_svg.read_bytes()


def _cutting(report: BuildReport):
    """The cut variants of a finished build, from the cache as the build left it."""
    return cut_variants(report.artifacts, BuildConfig(root=_root_of(report), workers=1), BuildReport())


def _root_of(report: BuildReport) -> Path:
    return report.designs[0].folder.parent.parent


def test_a_part_declared_cut_that_is_not_flat_is_refused_by_name(tmp_path):
    root = make_project(tmp_path / "project", [REPO / "designs" / "ear-saver-laser-cut"])
    script = root / "designs" / "ear-saver-laser-cut" / "strap.py"
    script.write_text(script.read_text().replace('result = strap', 'result = strap.edges(">Z").chamfer(0.3)'))
    metadata = root / "designs" / "ear-saver-laser-cut" / "design.yaml"
    text = metadata.read_text()
    metadata.write_text(text[:text.index("  - name: child")] + text[text.index("materials:"):])  # one variant
    report = build_catalogue(BuildConfig(root=root, workers=1, site=False, production=False))
    messages = [str(p) for p in report.problems]
    assert len(messages) == 1, messages
    assert "design.yaml [adult]" in messages[0] and "cut part 'strap' is not a flat extrusion" in messages[0]
    assert "extrude" in messages[0]  # the fix


def test_a_declared_thickness_the_part_does_not_have_is_refused(tmp_path):
    root = make_project(tmp_path / "project", [REPO / "designs" / "ear-saver-laser-cut"])
    metadata = root / "designs" / "ear-saver-laser-cut" / "design.yaml"
    text = metadata.read_text().replace("      thickness_mm: thickness\n", "      thickness_mm: 2\n")
    metadata.write_text(text[:text.index("  - name: child")] + text[text.index("materials:"):])
    report = build_catalogue(BuildConfig(root=root, workers=1, site=False, production=False))
    assert [str(p) for p in report.problems] == [
        "designs/ear-saver-laser-cut/design.yaml [adult]: cut part 'strap' is 1.00 mm thick but design.yaml "
        "declares 2 mm PETG sheet; extrude it by the declared thickness, or declare the thickness it has"]


def test_dxf_and_svg_writers_give_the_same_bytes_twice_and_keep_circles():
    drawing = Drawing(50, 30, (Circle((10, 10), 6), Outline(((0, 0), (50, 0), (50, 30), (0, 30)))), "t")
    assert dxf_bytes(drawing) == dxf_bytes(drawing)
    assert svg_bytes(drawing) == svg_bytes(drawing)
    _, contours = dxf_contours_from_bytes(dxf_bytes(drawing))
    assert [c.dxftype() for c in contours] == ["CIRCLE", "LWPOLYLINE"]
    assert contours[0].dxf.radius == 3 and contours[1].closed


def dxf_contours_from_bytes(data: bytes):
    doc = ezdxf.read(io.StringIO(data.decode("utf-8")))
    return doc, list(doc.modelspace())


def test_no_pvc_in_the_sheet_materials():
    assert "PVC" not in profiles.materials()
    schema = json.loads((REPO / "schema" / "design.schema.json").read_text())
    material = schema["properties"]["cutting"]["properties"]["parts"]["items"]["properties"]["material"]
    assert set(material["enum"]) == set(profiles.materials())



def test_dxf_bytes_do_not_depend_on_the_process_string_hashing():
    """ezdxf lists its classes in a set's order; the writer puts them in name order."""
    import subprocess
    import sys

    code = ("import sys; from pipeline.drawing import Drawing, Circle, Outline; from pipeline.drawing.dxf import dxf_bytes;"
            "sys.stdout.buffer.write(dxf_bytes(Drawing(9, 9, (Circle((3, 3), 2), Outline(((0, 0), (9, 0), (9, 9)))))))")
    outputs = {subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, check=True,
                              env={"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin"}).stdout for seed in range(8)}
    assert len(outputs) == 1


def test_catalogue_json_okh_the_bundle_and_both_pages_carry_the_cut_parts(cut_catalogue):
    import hashlib
    import tomllib
    import zipfile

    root, _ = cut_catalogue
    folder = downloads(root, "visor-laser-cut")
    catalogue = json.loads((root / "catalogue" / "catalogue.json").read_text())
    variant = next(d for d in catalogue["designs"] if d["slug"] == "visor-laser-cut")["variants"][0]
    for part in ("frame", "shield"):
        dxf = folder / f"visor-laser-cut-adult-{part}.dxf"
        assert variant["cutting"]["parts"][part]["dxf"]["sha256"] == hashlib.sha256(dxf.read_bytes()).hexdigest()
    assert {r["laser"] for r in variant["cutting"]["runs"]} == {laser.name for laser in profiles.lasers()}
    manifest = tomllib.loads((folder / "okh.toml").read_text())
    assert manifest["manufacturing-process"] == ["laser cutting"]
    assert manifest["manufacturing-instructions"][0].endswith("#cutting")  # then #assembly, its steps
    assert any(url.endswith("-adult-frame.dxf") for url in manifest["part"][0]["export"])
    assert manifest["part"][0]["cutting"]["runs"][0]["units_per_laser_per_day"] > 0
    with zipfile.ZipFile(folder / "visor-laser-cut.zip") as bundle:
        names = bundle.namelist()
        assert "visor-laser-cut/cutting/visor-laser-cut-adult-frame.dxf" in names
        assert "## Laser cutting" in bundle.read("visor-laser-cut/README.md").decode()
        assert "## Découpe laser" in bundle.read("visor-laser-cut/LISEZMOI.md").decode()
        assert "Print settings" not in bundle.read("visor-laser-cut/README.md").decode()
    english = (root / "catalogue" / "en" / "designs" / "visor-laser-cut.md").read_text()
    french = (root / "catalogue" / "fr" / "designs" / "visor-laser-cut.md").read_text()
    assert "## Cutting" in english and "Units per laser per day" in english
    assert "## Découpe" in french and "Unités par laser et par jour" in french
    cutting = json.loads((root / "catalogue" / "cutting.json").read_text())
    assert {d["slug"] for d in cutting["designs"]} == {"visor-laser-cut", "ear-saver-laser-cut"}


# --- the checks and the nester on plain shapes, without a build ---------------------------------------

def flat_solid(points: list[tuple[float, float]], holes: list[list[tuple[float, float]]] = (), thickness=1.0):
    from pipeline.cutting.outlines import Contour, SolidOutline

    xs, ys = [p[0] for p in points], [p[1] for p in points]
    contours = [Contour(False, 0.0, points=tuple(h)) for h in holes] + [Contour(True, 0.0, points=tuple(points))]
    return SolidOutline((min(xs), min(ys), 0.0, max(xs), max(ys), thickness), thickness, None, tuple(contours))


def test_a_peg_narrower_than_the_material_holds_is_named_and_a_wide_one_passes():
    from pipeline.cutting.checks import part_problems
    from pipeline.model import CutPart, Text

    pmma = profiles.materials()["PMMA"]  # 5 mm: bridges of at least 2.5 mm
    part = CutPart("plate", Text("Plate"), "PMMA", 5.0)
    def plate_with_peg(width):
        return flat_solid([(0, 0), (40, 0), (40, 20), (20 + width / 2, 20), (20 + width / 2, 30),
                           (20 - width / 2, 30), (20 - width / 2, 20), (0, 20)], thickness=5.0)
    assert part_problems(part, plate_with_peg(3.0), 5.0, pmma) == []
    [problem] = part_problems(part, plate_with_peg(2.0), 5.0, pmma)
    assert problem.startswith("cut part 'plate' has a bridge or peg narrower than 2.5 mm") and "widen it" in problem


def test_a_slot_narrower_than_the_material_holds_is_named():
    from pipeline.cutting.checks import part_problems
    from pipeline.model import CutPart, Text

    petg = profiles.materials()["PETG"]  # slots of at least 1 mm
    part = CutPart("strap", Text("Strap"), "PETG", 1.0)
    slot = [(10, 5), (30, 5), (30, 5.6), (10, 5.6)]
    [problem] = part_problems(part, flat_solid([(0, 0), (40, 0), (40, 12), (0, 12)], [slot]), 1.0, petg)
    assert problem.startswith("cut part 'strap' has a slot narrower than 1 mm")


def test_a_part_s_problems_are_remembered_by_its_outline_and_declaration(tmp_path):
    # a no-change rebuild reads the checks back rather than searching the outline again
    from pipeline.cutting.build import _part_problems
    from pipeline.model import CutPart, Text

    part = CutPart("strap", Text("Strap"), "PETG", 1.0)
    slotted = flat_solid([(0, 0), (40, 0), (40, 12), (0, 12)], [[(10, 5), (30, 5), (30, 5.6), (10, 5.6)]])
    first = _part_problems(part, 0, slotted, 1.0, "outline-a", tmp_path)
    assert first and first[0].startswith("cut part 'strap' has a slot narrower than 1 mm")
    assert len(list(tmp_path.rglob("problems.json"))) == 1
    assert _part_problems(part, 0, slotted, 1.0, "outline-a", tmp_path) == first
    wide = flat_solid([(0, 0), (40, 0), (40, 12), (0, 12)], [[(10, 5), (30, 5), (30, 7), (10, 7)]])
    assert _part_problems(part, 0, wide, 1.0, "outline-b", tmp_path) == []  # another outline: checked anew


def test_a_part_no_laser_sheet_holds_is_refused_by_name():
    from pipeline.cutting.build import variant_problems
    from pipeline.model import CutPart, Cutting, Text

    class Job:  # what variant_problems reads of an artifact
        design = type("D", (), {"cutting": Cutting((CutPart("panel", Text("Panel"), "PMMA", 3.0),))})()
        variant = type("V", (), {"parameters": {}})()

    artifact = type("A", (), {"job": Job})()
    huge = flat_solid([(0, 0), (1500, 0), (1500, 1000), (0, 1000)], thickness=3.0)
    [problem] = variant_problems(artifact, [huge])
    assert problem.startswith("cut part 'panel' (1500.0 × 1000.0 mm, 3 mm PMMA) fits no reference laser's sheet")


def test_rectangles_nest_as_a_grid_would_and_the_nest_keeps_its_promise():
    from pipeline.cutting.nesting import check_placements, nest

    rectangle = Polygon([(0, 0), (100, 0), (100, 50), (0, 50)])
    nested = nest(rectangle, (600, 400), 5.0, 2.0)
    assert nested.count == 35  # 5 × 7 upright: (590 + 2) // 102 = 5 columns, (390 + 2) // 52 = 7 rows
    assert check_placements(rectangle, nested, 5.0, 2.0) == []
