"""Sewn designs: patterns printed at 1:1 on tiled pages, an A0 sheet, SVG and DXF, and pieces nested on rolls.

Everything is measured from the files (the PDFs' vectors read with pdfplumber, the SVG's attributes, the DXF
read back with ezdxf); the yield is checked against an arithmetic count made here, not by the nesting code.
"""
from __future__ import annotations

import io
import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import ezdxf
import pdfplumber
import pytest
from shapely.geometry import Polygon, box

from pipeline.built import BuildReport
from pipeline.cad.build import build_cad
from pipeline.cad.cache import CadCache
from pipeline.cad.plan import plan_jobs
from pipeline.config import BuildConfig
from pipeline.sewing.build import sew_variants
from pipeline.sewing.pattern import pleat_problems
from pipeline.sewing.roll import check_marker, lay_marker, variants_of
from pipeline.sewing.spec import Piece, sewing_of, spec_problems
from pipeline.source.discover import discover
from pipeline.source.validate import validate

from .conftest import REPO, make_project

MASKS = [REPO / "designs" / "mask-afnor-pleated", REPO / "designs" / "mask-afnor-duckbill"]
PT = 72 / 25.4  # points per millimetre


def sew(root: Path):
    config = BuildConfig(root=root, workers=2, site=False, production=False)
    sources, problems = discover(config.designs_dir)
    designs, invalid = validate(sources, root, config.static_check)
    assert not problems + invalid, [str(p) for p in problems + invalid]
    report = BuildReport()
    artifacts = build_cad(plan_jobs(designs), CadCache(config.cache_dir), root, 2, config.limits, report)
    sewn = sew_variants(artifacts, config, report)
    assert report.ok, [str(p) for p in report.problems]
    return {f"{a.job.design.slug}-{a.job.variant.name}": sewn[a.job.key] for a in artifacts}


@pytest.fixture(scope="module")
def sewn(tmp_path_factory):
    return sew(make_project(tmp_path_factory.mktemp("sewing"), MASKS, private_cache=True))


def pdf_rects(path: Path, page: int) -> list[dict]:
    with pdfplumber.open(path) as pdf:
        return list(pdf.pages[page].rects)


def squares(rects: list[dict], side_mm: float, dashed: bool = False) -> list[dict]:
    return [r for r in rects if abs(r["width"] / PT - side_mm) < 0.5 and abs(r["height"] / PT - side_mm) < 0.5
            and bool(r.get("dash") and r["dash"][0]) == dashed]


@pytest.mark.parametrize("paper,side_mm", [("a4", 100.0), ("letter", 101.6)])
def test_the_first_page_has_a_test_square_of_10_cm_or_4_in(sewn, paper, side_mm):
    path = sewn["mask-afnor-pleated-adult"].files[f"mask-afnor-pleated-adult-pattern-{paper}.pdf"]
    square = squares(pdf_rects(path, 0), side_mm)
    assert len(square) == 1
    assert abs(square[0]["width"] / PT - side_mm) <= 0.2 and abs(square[0]["height"] / PT - side_mm) <= 0.2


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_piece_keeps_its_size_and_neighbouring_pages_overlap_by_1_cm(sewn, paper):
    path = sewn["mask-afnor-pleated-adult"].files[f"mask-afnor-pleated-adult-pattern-{paper}.pdf"]
    with pdfplumber.open(path) as pdf:
        labels = [re.search(r"\b([A-Z]\d+)\s", p.extract_text() or "") for p in pdf.pages[1:]]
        assert [m.group(1) for m in labels][:2] == ["A1", "A2"]
    first, second = pdf_rects(path, 1), pdf_rects(path, 2)
    cut_a, cut_b = squares(first, 200.0)[0], squares(second, 200.0)[0]  # the first piece's cut line on both pages
    assert abs(cut_a["width"] / PT - 200.0) <= 0.2
    assert len(squares(first, 180.0, dashed=True)) >= 1  # its stitch line, 10 mm inside, dashed
    frame = max(first, key=lambda r: r["width"] * r["height"])  # the printed area of a tile page
    overlap = frame["width"] / PT - (cut_a["x0"] - cut_b["x0"]) / PT
    assert abs(overlap - 10.0) <= 0.2


def test_blank_pages_are_left_out_and_listed_on_the_page_map(sewn):
    path = sewn["mask-afnor-pleated-adult"].files["mask-afnor-pleated-adult-pattern-a4.pdf"]
    with pdfplumber.open(path) as pdf:
        cover = pdf.pages[0].extract_text()
        printed = int(re.search(r"(\d+) of \d+ pages printed", cover).group(1))
        assert len(pdf.pages) == 1 + printed
        for page in pdf.pages[1:]:
            assert squares(page.rects, 200.0)  # every printed tile holds part of a piece


def test_the_a0_sheet_holds_the_whole_pattern_at_1_to_1(sewn):
    path = sewn["mask-afnor-pleated-junior"].files["mask-afnor-pleated-junior-pattern-a0.pdf"]
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert {round(page.width / PT), round(page.height / PT)} == {841, 1189}
        assert len(squares(page.rects, 170.0)) == 2  # the junior size's two pieces


def svg_polygons(path: Path) -> list[tuple[Polygon, dict]]:
    root = ET.parse(path).getroot()
    height = float(root.get("viewBox").split()[3])
    found = []
    for element in root.iter("{http://www.w3.org/2000/svg}polygon"):
        points = [tuple(map(float, p.split(","))) for p in element.get("points").split()]
        found.append((Polygon([(x, height - y) for x, y in points]), element.attrib))
    return found


def test_the_svg_and_the_dxf_hold_the_same_piece_in_millimetres(sewn):
    files = sewn["mask-afnor-duckbill-adult"].files
    root = ET.parse(files["mask-afnor-duckbill-adult-pattern.svg"]).getroot()
    assert root.get("width").endswith("mm")
    cut_lines = [p for p, attrs in svg_polygons(files["mask-afnor-duckbill-adult-pattern.svg"])
                 if "stroke-dasharray" not in attrs]
    doc = ezdxf.read(io.StringIO(files["mask-afnor-duckbill-adult-pattern.dxf"].read_text(encoding="utf-8")))
    assert doc.header["$INSUNITS"] == 4
    assert sorted(b.name for b in doc.blocks if not b.name.startswith("*")) == ["body", "middle"]
    body = doc.blocks.get("body")
    layers = {e.dxf.layer for e in body}
    assert {"1", "4", "7", "8"} <= layers  # cut line, notches, grainline, stitch line (AAMA numbers)
    dxf_cut = Polygon([p[:2] for p in next(e for e in body if e.dxftype() == "LWPOLYLINE" and e.dxf.layer == "1").get_points()])
    insert = next(e for e in doc.modelspace() if e.dxftype() == "INSERT" and e.dxf.name == "body")
    dxf_cut = Polygon([(x + insert.dxf.insert.x, y + insert.dxf.insert.y) for x, y in dxf_cut.exterior.coords])
    assert math.isclose(dxf_cut.area, 210 * 210 - 4 * 55 * 105 / 2, rel_tol=1e-6)  # the hexagon of the script
    assert any(p.symmetric_difference(dxf_cut).area < 1e-3 for p in cut_lines)
    stitch = next(e for e in body if e.dxftype() == "LWPOLYLINE" and e.dxf.layer == "8")
    assert Polygon([p[:2] for p in stitch.get_points()]).area < dxf_cut.area


def marker_placements(sewn_variant, width_mm: float) -> list[list]:
    figures = json.loads((next(iter(sewn_variant.files.values())).parent / "figures.json").read_text())
    return figures["placements"][str(width_mm)]


@pytest.mark.parametrize("width_mm", [1400.0, 1500.0, 1120.0])
def test_squares_per_metre_match_the_arithmetic_and_one_mask_more_does_not_fit(sewn, width_mm):
    variant = sewn["mask-afnor-pleated-adult"]
    roll = next(r for r in variant.rolls if r.width_mm == width_mm)
    side, selvedge, spacing, start = 200.0, 10.0, 3.0, 10.0  # roll.py's rule, restated
    across = math.floor((width_mm - 2 * selvedge + spacing) / (side + spacing))
    rows = math.floor((1000.0 - start + spacing) / (side + spacing))
    squares_per_metre = across * rows
    assert roll.masks_per_metre == squares_per_metre // 3
    assert (roll.masks_per_metre + 1) * 3 > squares_per_metre


@pytest.mark.parametrize("key", ["mask-afnor-pleated-adult", "mask-afnor-duckbill-adult"])
def test_nested_pieces_stay_inside_the_roll_and_apart(sewn, key):
    variant = sewn[key]
    for roll in variant.rolls:
        svg = next(p for n, p in variant.files.items() if n.endswith(f"marker-{round(roll.width_mm / 10)}.svg"))
        polygons = [p for p, _ in svg_polygons(svg)][1:]  # the first is the metre of roll itself
        usable = box(10.0, 0, roll.width_mm - 10.0, 1000.0)
        assert polygons and all(usable.contains(p) for p in polygons)
        assert all(a.distance(b) >= 3.0 - 1e-3 for i, a in enumerate(polygons) for b in polygons[i + 1:])
        assert len(polygons) >= roll.masks_per_metre * 3
        turns = {p[2] for p in marker_placements(variant, roll.width_mm)}
        assert turns <= {0, 180}  # the grain is kept


def test_mirrored_pairs_alternate_and_keep_the_grain():
    piece = Polygon([(0, 0), (120, 0), (120, 60), (30, 150), (0, 150)])  # no symmetry: a mirror shows
    marker = lay_marker([("side", piece, 2, True)], 20, 1120.0)
    shapes = {("side", turn, mirrored): shape for (turn, mirrored), shape in variants_of(piece).items()}
    assert check_marker(marker, shapes) == []
    mirrored = [p.mirrored for p in marker.placements]
    assert mirrored == [False, True] * 20
    assert {p.turn for p in marker.placements} <= {0, 180}


def test_pleats_outside_the_stitched_area_are_refused():
    piece = Piece("body", None, 1, None, "vertical", pleats=((0.02, 0.2), (0.5, 0.6)))
    problems = pleat_problems(piece, box(0, 0, 200, 200), 10.0)
    assert len(problems) == 1 and "0.02–0.2" in problems[0]


def test_mirrored_pieces_need_an_even_number_of_copies():
    data = json.loads(json.dumps({"seam_allowance_mm": 10, "minutes_per_mask": 14, "minutes_source": "x",
                                  "fastening": {"kind": "elastic", "count": 2, "length_mm": {"adult": 260}},
                                  "pieces": [{"name": "side", "title": "Side", "copies": 3, "mirrored": True,
                                              "layer": "cotton", "grainline": "vertical"}]}))
    sewing = sewing_of(data)
    problems = spec_problems(sewing, ["adult", "child"])
    assert any("give an even number of copies" in p for p in problems)
    assert sewing.fastening.length_for("adult") == 260 and sewing.fastening.length_for("child") is None  # left open


def test_the_same_pattern_gives_the_same_bytes(tmp_path, sewn):
    again = sew(make_project(tmp_path / "again", MASKS[:1], private_cache=True))
    for key, variant in again.items():
        for name, path in variant.files.items():
            assert path.read_bytes() == sewn[key].files[name].read_bytes(), name


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    from pipeline.catalogue import build_catalogue

    root = make_project(tmp_path_factory.mktemp("sewn-site"), MASKS, private_cache=True)
    report = build_catalogue(BuildConfig(root=root, workers=2, site=False, production=False))
    assert report.ok, [str(p) for p in report.problems]
    return root


def test_a_sewn_design_publishes_its_patterns_markers_and_figures(published):
    folder = published / "catalogue" / "downloads" / "mask-afnor-pleated"
    sums = (folder / "SHA256SUMS").read_text()
    entries = json.loads((published / "catalogue" / "catalogue.json").read_text())["designs"]
    adult = next(v for d in entries if d["slug"] == "mask-afnor-pleated" for v in d["variants"] if v["name"] == "adult")
    for name in adult["sewing"]["files"]:
        assert (folder / name).is_file() and f"  {name}\n" in sums
    sewer = next(m for m in adult["machines"] if m["kind"] == "sewer")
    assert sewer["seconds_per_unit"] == adult["sewing"]["minutes_per_mask"] * 60 == 14 * 60
    fabric = next(line for line in adult["bom"] if line["name"]["en"] == "Fabric")
    roll = next(r for r in adult["sewing"]["rolls"] if r["width_cm"] == 140)
    assert fabric["unit"] == "mm" and fabric["quantity_per_unit"] == pytest.approx(roll["metres_per_100_masks"] * 10, abs=0.05)
    assert next(line for line in adult["bom"] if line["name"]["en"] == "Flat elastic")["quantity_per_unit"] == 520
    assert not (folder / "mask-afnor-pleated-adult-plate-bedslinger-220.3mf").exists()  # sewn, never sliced


def test_okh_says_there_is_no_textile_documentation_criteria(published):
    manifest = (published / "catalogue" / "downloads" / "mask-afnor-duckbill" / "okh.toml").read_text()
    assert "no technology-specific documentation criteria for textiles" in manifest
    assert "#couture" in manifest and "#sewing" in manifest


@pytest.mark.parametrize("lang,heading,words", [("en", "## Sewing", ["pattern", "mask", "sewer"]),
                                                ("fr", "## Couture", ["patron", "couture", "masque"])])
def test_the_design_page_has_a_sewing_section_in_each_language(published, lang, heading, words):
    page = (published / "catalogue" / lang / "designs" / "mask-afnor-pleated.md").read_text()
    section = page[page.index(heading):]
    assert all(word in section.lower() for word in words)
    assert "mask-afnor-pleated-junior-pattern-a4.pdf" in section and "mask-afnor-pleated-adult-marker-150.svg" in section
    assert "UNS1" in page and ("not tested" in page if lang == "en" else "pas testée" in page)


def test_a_piece_wider_than_the_narrowest_roll_is_a_problem_not_a_crash(tmp_path, monkeypatch):
    from pipeline.cutting.outlines import Contour, SolidOutline
    from pipeline.sewing.build import piece_problems

    wide = SolidOutline((0, 0, 0, 1150, 200, 0.5), 0.5, None,
                        (Contour(True, 2700.0, points=((0, 0), (1150, 0), (1150, 200), (0, 200))),))
    sewing = sewing_of({"seam_allowance_mm": 10, "minutes_per_mask": 14, "minutes_source": "x",
                        "fastening": {"kind": "ties", "count": 4, "length_mm": 320},
                        "pieces": [{"name": "band", "title": "Band", "copies": 1, "layer": "cotton",
                                    "grainline": "vertical"}]})
    [problem] = piece_problems(sewing, [wide])
    assert "'band' is 1150 mm across the roll" in problem and "112 cm" in problem
    # kept in the variant's cache entry: a rebuild reads the problem back and checks nothing again
    from types import SimpleNamespace

    import pipeline.sewing.build as sewing_build

    step = tmp_path / "band.step"
    step.write_text("a STEP file's bytes, which key the entry\n")
    design = SimpleNamespace(slug="band-mask", sewing={"pieces": ["band"]}, title=SimpleNamespace(en="Band mask"))
    artifact = SimpleNamespace(job=SimpleNamespace(design=design, variant=SimpleNamespace(name="adult")),
                               file=lambda kind: step)
    assert sewing_build.sewn_variant(artifact, sewing, [wide], tmp_path / "cache") == [problem]
    monkeypatch.setattr(sewing_build, "piece_problems", lambda *args: pytest.fail("checked again"))
    assert sewing_build.sewn_variant(artifact, sewing, [wide], tmp_path / "cache") == [problem]


def test_a_title_with_control_characters_is_one_clean_line_on_the_pattern():
    from pipeline.drawing import svg_bytes
    from pipeline.sewing.pattern import lay_out

    sewing = sewing_of({"seam_allowance_mm": 10, "minutes_per_mask": 14, "minutes_source": "x",
                        "fastening": {"kind": "ties", "count": 4, "length_mm": 320},
                        "pieces": [{"name": "body", "title": {"en": "Body\x00\nlayer </text>", "fr": "Corps"},
                                    "copies": 2, "layer": "cotton", "grainline": "horizontal"}]})
    pattern = lay_out([box(0, 0, 200, 150)], sewing, ["adult: 20 × 15 cm"], "t")
    root = ET.fromstring(svg_bytes(pattern.drawing))  # well-formed: no NUL reached it
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Body layer </text>" in texts


def test_blank_tiles_are_left_out_and_the_rest_keep_their_labels():
    from pipeline.drawing import Drawing, Outline
    from pipeline.drawing.tiles import tiled_pdf_bytes

    piece = box(20, 20, 150, 150)  # only the bottom-left page holds ink
    drawing = Drawing(500.0, 700.0, (Outline(tuple(piece.exterior.coords)[:-1]),), "t")
    data = tiled_pdf_bytes(drawing, "A4", lambda x0, y0, x1, y1: piece.intersects(box(x0, y0, x1, y1)), "t")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 2  # the cover and one page
        cover = pdf.pages[0].extract_text()
        assert "1 of 9 pages printed" in cover and "(8 blank" in cover  # 3 columns x 3 rows of 190 x 277 mm with 1 cm overlaps
        assert "C1" in pdf.pages[1].extract_text()  # the bottom row, first column
