"""What a workshop needs beyond the printed part: the sheet's 1:1 template measured from its vectors, the bill
of materials (its quantities, its bad input, everywhere it is published) and the assembly steps."""
from __future__ import annotations

import csv
import io
import json
import re
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from pipeline.catalogue import BuildConfig, build_catalogue
from pipeline.publish.sheet_template import sheet_geometry, template_names, write_templates
from pipeline.source.bom import variant_bom
from pipeline.source.discover import discover
from pipeline.source.validate import validate

from .conftest import REPO, edit_box, make_project, problems_for

MM = 72 / 25.4  # PDF points per millimetre
SVG = "{http://www.w3.org/2000/svg}"
VISORS = ("visor-headband-888", "visor-frame-flat-80")
WORKSHOP_DESIGNS = (*VISORS, "ear-saver-strap")


def real_design(slug: str):
    sources, _ = discover(REPO / "designs")
    designs, problems = validate([s for s in sources if s.slug == slug], REPO)
    assert problems == []
    return designs[0]


@pytest.fixture(scope="module")
def workshop(tmp_path_factory) -> Path:
    """Two visors and an ear saver, built without the slicer and without the site."""
    root = make_project(tmp_path_factory.mktemp("workshop"), [REPO / "designs" / s for s in WORKSHOP_DESIGNS])
    report = build_catalogue(BuildConfig(root=root, workers=2, production=False, site=False))
    assert report.ok, "\n".join(map(str, report.problems))
    return root


# The 1:1 template, measured from the vectors written ------------------------------------------------

def svg_measures(data: bytes) -> dict:
    root = ET.fromstring(data)
    lines = [tuple(float(line.get(k)) for k in ("x1", "y1", "x2", "y2")) for line in root.iter(f"{SVG}line")]
    [outline] = root.iter(f"{SVG}polyline")
    outline_ys = [float(p.split(",")[1]) for p in outline.get("points").split()]
    vertical = max((line for line in lines if line[0] == line[2]), key=lambda line: abs(line[3] - line[1]))
    return {
        "size": (root.get("width"), root.get("height"), root.get("viewBox")),
        "middle": vertical[0],
        "top_edge": min(outline_ys),  # SVG's y axis points down
        "holes": [(float(c.get("cx")), float(c.get("cy")), 2 * float(c.get("r"))) for c in root.iter(f"{SVG}circle")],
        "horizontal_lengths": [abs(x2 - x1) for x1, y1, x2, y2 in lines if y1 == y2],
        "texts": " ".join(t.text for t in root.iter(f"{SVG}text")),
    }


def pdf_measures(data: bytes) -> dict:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        [page] = pdf.pages
        curves = page.curves
        lines = page.lines
        text = page.extract_text().replace("\u00a0", " ")
        size = (page.width / MM, page.height / MM)
    holes = [c for c in curves if abs((c["x1"] - c["x0"]) - (c["y1"] - c["y0"])) < 0.01 and c["x1"] - c["x0"] < 20 * MM]
    [outline] = [c for c in curves if c not in holes]
    vertical = max((line for line in lines if abs(line["x0"] - line["x1"]) < 1e-6), key=lambda line: line["y1"] - line["y0"])
    return {
        "page_mm": size,
        "middle": vertical["x0"] / MM,
        "top_edge": outline["y1"] / MM,  # PDF's y axis points up
        "holes": [((c["x0"] + c["x1"]) / 2 / MM, (c["y0"] + c["y1"]) / 2 / MM, (c["x1"] - c["x0"]) / MM) for c in holes],
        "horizontal_lengths": [(line["x1"] - line["x0"]) / MM for line in lines if abs(line["y0"] - line["y1"]) < 1e-6],
        "texts": text,
    }


@pytest.mark.parametrize("slug", VISORS)
def test_the_svg_template_puts_each_hole_at_its_declared_place_and_size(workshop, slug):
    design = real_design(slug)
    data = (workshop / "catalogue/downloads" / slug / template_names(slug)["svg"]).read_bytes()
    measured = svg_measures(data)
    width, height, edge = sheet_geometry(design.sheet)
    w, h, box = measured["size"]
    assert w.endswith("mm") and h.endswith("mm") and box == f"0 0 {w[:-2]} {h[:-2]}"
    assert float(w[:-2]) == width
    assert measured["middle"] == pytest.approx(width / 2, abs=0.1)
    found = sorted((x - measured["middle"], y - measured["top_edge"], d) for x, y, d in measured["holes"])
    declared = sorted((x, edge, design.sheet.hole_diameter_mm) for x in design.sheet.holes_mm)
    assert len(found) == len(declared)
    for got, want in zip(found, declared, strict=True):
        assert got == pytest.approx(want, abs=0.1)
    assert [length for length in measured["horizontal_lengths"] if length > 20] == [pytest.approx(50, abs=0.1)]
    assert "Print at 100" in measured["texts"] and "Imprimez à 100" in measured["texts"]


@pytest.mark.parametrize("slug", VISORS)
@pytest.mark.parametrize("page, size", [("a4", (297, 210)), ("letter", (279.4, 215.9))])
def test_the_pdf_template_is_one_to_one_on_its_page(workshop, slug, page, size):
    design = real_design(slug)
    data = (workshop / "catalogue/downloads" / slug / template_names(slug)[page]).read_bytes()
    measured = pdf_measures(data)
    assert measured["page_mm"] == pytest.approx(size, abs=0.05)
    assert measured["middle"] == pytest.approx(size[0] / 2, abs=0.1)  # centred on the page
    _, _, edge = sheet_geometry(design.sheet)
    found = sorted((x - measured["middle"], measured["top_edge"] - y, d) for x, y, d in measured["holes"])
    declared = sorted((x, edge, design.sheet.hole_diameter_mm) for x in design.sheet.holes_mm)
    assert len(found) == len(declared)
    for got, want in zip(found, declared, strict=True):
        assert got == pytest.approx(want, abs=0.1)
    assert [length for length in measured["horizontal_lengths"] if length > 20] == [pytest.approx(50, abs=0.1)]
    assert "Print at 100 %" in measured["texts"] and "Imprimez à 100 %" in measured["texts"]


def test_two_builds_of_a_template_give_the_same_bytes(tmp_path):
    design = real_design("visor-headband-888")
    written = []
    for build in ("one", "two"):
        folder = tmp_path / build
        folder.mkdir()
        written.append({p.name: p.read_bytes() for p in write_templates(design, folder, tmp_path / f"cache-{build}")})
    assert written[0] == written[1] and len(written[0]) == 3


def test_a_design_without_a_sheet_has_no_template(workshop):
    assert not list((workshop / "catalogue/downloads/ear-saver-strap").glob("*template*"))


# The bill of materials -------------------------------------------------------------------------------

def elastic(design, variant) -> float:
    [line] = [line for line in variant_bom(design, variant) if line.name.en == "Flat elastic"]
    return line.quantity


def test_a_quantity_written_as_an_expression_follows_the_variants_parameter():
    design = real_design("visor-headband-888")
    adult = next(v for v in design.variants if v.name == "adult")
    wider = replace(adult, parameters=adult.parameters | {"head_width": 190.0})
    assert elastic(design, adult) == pytest.approx(283.6, abs=0.05)  # half an ellipse of 80 × 100 mm half-axes
    assert elastic(design, wider) > elastic(design, adult) + 20
    child = next(v for v in design.variants if v.name == "child")
    assert elastic(design, child) == pytest.approx(244.0, abs=0.05)


def test_a_stack_counts_as_a_fraction_of_a_print_per_unit(workshop):
    catalogue = json.loads((workshop / "catalogue/catalogue.json").read_text())
    design = next(d for d in catalogue["designs"] if d["slug"] == "visor-headband-888")
    stack = next(v for v in design["variants"] if v["name"] == "adult-stack-4")
    [printed] = [line for line in stack["bom"] if line["kind"] == "printed"]
    assert (printed["quantity_per_unit"], printed["prints_per_unit"]) == (1, 0.25)


def test_catalogue_json_carries_each_variants_bom_in_both_languages(workshop):
    catalogue = json.loads((workshop / "catalogue/catalogue.json").read_text())
    design = next(d for d in catalogue["designs"] if d["slug"] == "visor-headband-888")
    quantities = {v["name"]: {line["name"]["en"]: line["quantity_per_unit"] for line in v["bom"]} for v in design["variants"]}
    assert quantities["adult"] == {"Printed part": 1, "Transparent sheet": 1, "Flat elastic": 283.6, "Bottom clip (printed)": 1}
    assert quantities["child"]["Flat elastic"] == 244.0
    sheet = next(line for line in design["variants"][0]["bom"] if line["name"]["en"] == "Transparent sheet")
    assert sheet["name"]["fr"] == "Feuille transparente" and "80-60-80" in sheet["specification"]["fr"]
    assert set(design["sheet_template"]) == set(template_names("visor-headband-888").values())
    flat = next(d for d in catalogue["designs"] if d["slug"] == "visor-frame-flat-80")
    [open_elastic] = [line for line in flat["variants"][0]["bom"] if line["name"]["en"] == "Flat elastic"]
    assert open_elastic["quantity_per_unit"] is None and "left open" in open_elastic["note"]["en"]


def test_okh_manifest_points_at_the_published_bom_and_the_assembly(workshop):
    manifest = tomllib.loads((workshop / "catalogue/downloads/visor-headband-888/okh.toml").read_text())
    assert manifest["bom"].endswith("downloads/visor-headband-888/visor-headband-888-bom.csv")
    assert [url.rsplit("#", 1)[1] for url in manifest["manufacturing-instructions"]] == ["production", "assembly"]
    rows = list(csv.DictReader(io.StringIO(
        (workshop / "catalogue/downloads/visor-headband-888/visor-headband-888-bom.csv").read_text(encoding="utf-8-sig"))))
    assert {(r["variant"], r["name_en"], r["quantity_per_unit"], r["unit"]) for r in rows} >= {
        ("adult", "Flat elastic", "283.6", "mm"), ("child", "Flat elastic", "244", "mm"),
        ("adult", "Transparent sheet", "1", "pieces")}


def test_the_bundle_carries_the_bom_the_template_and_the_steps_in_both_readmes(workshop):
    with zipfile.ZipFile(workshop / "catalogue/downloads/visor-headband-888/visor-headband-888.zip") as bundle:
        names = set(bundle.namelist())
        readme = bundle.read("visor-headband-888/README.md").decode()
        lisezmoi = bundle.read("visor-headband-888/LISEZMOI.md").decode()
    assert {f"visor-headband-888/files/{n}" for n in (*template_names("visor-headband-888").values(),
                                                      "visor-headband-888-bom.csv")} <= names
    assert "## What you need" in readme and "Flat elastic: 283.6 mm" in readme
    assert "## Assembly" in readme and "Remove the protective film" in readme
    assert "## Ce qu'il vous faut" in lisezmoi and "Élastique plat : 283,6 mm" in lisezmoi
    assert "## Montage" in lisezmoi and "Retirez le film de protection" in lisezmoi


def test_the_design_page_shows_what_you_need_above_the_downloads_and_the_steps_below(workshop):
    for lang, need, downloads, assembly in (("en", "## What you need", "## Downloads", "## Assembly"),
                                            ("fr", "## Ce qu'il vous faut", "## Téléchargements", "## Montage")):
        page = (workshop / "catalogue" / lang / "designs/visor-headband-888.md").read_text()
        assert page.index(need) < page.index(downloads) < page.index(assembly)
        assert "visor-headband-888-sheet-template-a4.pdf" in page


# Bad input: one line each, naming the file, the line and the fix -------------------------------------

BOX_BOM = {"unit": {"en": "one box", "fr": "une boîte"},
           "items": [{"name": "Lid", "quantity": 1, "unit": "pieces", "specification": "A lid."}]}


def located(root: Path, problem: str, key: str) -> str:
    """The problem without its line number, once the line it names is checked to hold `key`."""
    match = re.match(r"designs/box/design.yaml:(\d+): (.*)", problem)
    assert match, problem
    line = (root / "designs/box/design.yaml").read_text().splitlines()[int(match.group(1)) - 1]
    assert key in line, (problem, line)
    return match.group(2)


def with_item(**item):
    def change(data):
        data["bom"] = json.loads(json.dumps(BOX_BOM))
        data["bom"]["items"][0].update(item)
    return change


def test_a_valid_bom_with_an_expression_is_accepted(box_project):
    edit_box(box_project, with_item(quantity="2 * width + depth", unit="mm", specification="Tape {width} mm long."))
    assert problems_for(box_project) == []


@pytest.mark.parametrize("item, expected", [
    ({"unit": "inch"}, "bom.items[0].unit: 'inch' is not allowed; allowed: pieces, mm, g, ml"),
    ({"quantity": -2}, "bom.items[0].quantity: -2 is negative; a quantity per unit is 0 or more"),
    ({"quantity": "two"}, "bom.items[0].quantity: 'two' is not a number nor a valid expression: "
                          "it names unknown parameter(s) two; declared: depth, height, width; write a number (e.g. 2) or an "
                          "expression over the parameters (e.g. \"pi * head_width / 2\")"),
    ({"quantity": "2 * head_size"}, "bom.items[0].quantity: '2 * head_size' is not a number "
                                    "nor a valid expression: it names unknown parameter(s) head_size; declared: depth, height, "
                                    "width; write a number (e.g. 2) or an expression over the parameters (e.g. \"pi * head_width / 2\")"),
    ({"quantity": "10 - width"}, "bom.items[0].quantity: '10 - width' is -10 for variant small; "
                                 "a quantity per unit is 0 or more"),
])
def test_a_bad_bom_item_is_one_line_with_the_file_line_and_fix(box_project, item, expected):
    edit_box(box_project, with_item(**item))
    problems = problems_for(box_project)
    assert 1 <= len(problems) <= 2  # '10 - width' is negative for both variants: a line each
    assert located(box_project, problems[0], next(iter(item))) == expected


def test_a_quantity_left_out_needs_a_note_saying_what_is_open(box_project):
    def change(data):
        with_item()(data)
        del data["bom"]["items"][0]["quantity"]
    edit_box(box_project, change)
    [problem] = problems_for(box_project)
    assert located(box_project, problem, "- name:").startswith("bom.items[0].quantity: is missing; give a number")


def steps(*items):
    def change(data):
        data["steps"] = list(items)
    return change


def test_a_step_with_no_text_is_refused(box_project):
    edit_box(box_project, steps({"text": "Glue it.", "view": "top"}, {"text": " ", "view": "iso"}))
    [problem] = problems_for(box_project)
    assert located(box_project, problem, "text:") == (
        "steps[1].text: is empty; say what to do in this step (en, and fr for French pages)")


def test_a_step_without_a_picture_is_refused(box_project):
    edit_box(box_project, steps({"text": "Glue it."}))
    [problem] = problems_for(box_project)
    assert located(box_project, problem, "- text:").startswith("steps[0]: needs one picture: either view:")


def test_a_sheet_view_on_a_design_without_a_sheet_is_refused(box_project):
    edit_box(box_project, steps({"text": "Punch the sheet.", "view": "sheet"}))
    [problem] = problems_for(box_project)
    assert located(box_project, problem, "view:").startswith("steps[0].view: sheet draws the design's transparent sheet")


def test_a_step_photo_that_is_not_an_image_is_refused(box_project):
    (box_project / "designs/box/glue.jpg").write_text("not a photo")
    edit_box(box_project, steps({"text": "Glue it.", "photo": "glue.jpg"}))
    [problem] = problems_for(box_project)
    assert located(box_project, problem, "photo:") == (
        "steps[0].photo: glue.jpg is not a JPEG or PNG file; save the photo as JPEG or PNG")


def test_a_step_photo_too_large_is_refused(box_project):
    noise = Image.effect_noise((1200, 1200), 100).convert("RGB")
    noise.save(box_project / "designs/box/glue.png")
    edit_box(box_project, steps({"text": "Glue it.", "photo": "glue.png"}))
    [problem] = problems_for(box_project)
    message = located(box_project, problem, "photo:")
    assert message.startswith("steps[0].photo: glue.png is ") and "the limit is 500 kB" in message


def test_a_bad_bom_leaves_the_other_designs_building(tmp_path):
    root = make_project(tmp_path, [REPO / "tests/fixtures/designs/box", REPO / "designs/ear-saver-strap"])
    edit_box(root, with_item(unit="inch"))
    sources, _ = discover(root / "designs")
    designs, problems = validate(sources, root)
    assert [d.slug for d in designs] == ["ear-saver-strap"] and len(problems) == 1


# Assembly steps and their pictures -------------------------------------------------------------------

def test_each_step_is_published_with_its_rendered_view(workshop):
    folder = workshop / "catalogue/downloads/visor-headband-888"
    design = real_design("visor-headband-888")
    pictures = sorted(folder.glob("visor-headband-888-assembly-*.png"))
    assert [p.name for p in pictures] == [f"visor-headband-888-assembly-{n}.png" for n in range(1, len(design.steps) + 1)]
    with Image.open(pictures[0]) as picture:
        assert picture.size == (640, 480)
    sums = (folder / "SHA256SUMS").read_text()
    assert all(p.name in sums for p in pictures)
    page = (workshop / "catalogue/fr/designs/visor-headband-888.md").read_text()
    assert 'src="../../../downloads/visor-headband-888/visor-headband-888-assembly-1.png"' in page
    assert "Attention :</strong> Retirez le film de protection" in page


def test_a_step_photo_is_published_without_its_metadata(box_project):
    photo = Image.new("RGB", (64, 48), (200, 120, 40))
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "someone's name and address")
    photo.save(box_project / "designs/box/glue.png", pnginfo=info)
    edit_box(box_project, steps({"text": {"en": "Glue the lid.", "fr": "Collez le couvercle."}, "photo": "glue.png",
                                 "alt": "The lid on the box."}))
    report = build_catalogue(BuildConfig(root=box_project, workers=2, production=False, site=False))
    assert report.ok, report.problems
    published = box_project / "catalogue/downloads/box/box-assembly-1.png"
    assert b"someone" not in published.read_bytes()
    with Image.open(published) as picture:
        assert picture.size == (64, 48) and not picture.text


def test_the_okh_manifests_with_a_bom_are_valid_against_the_published_schema(workshop):
    from .test_publish import okh_validator

    validator = okh_validator()
    for slug in WORKSHOP_DESIGNS:
        manifest = tomllib.loads((workshop / "catalogue/downloads" / slug / "okh.toml").read_text())
        assert "bom" in manifest and [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(manifest)] == []


def test_an_exploded_view_moves_the_parts_apart(tmp_path):
    import trimesh

    from pipeline.pictures.views import exploded_stl

    first, second = trimesh.creation.box((10, 10, 10)), trimesh.creation.box((10, 10, 10))
    second.apply_translation((11, 0, 0))  # 1 mm apart, as two halves of a clamp are
    trimesh.util.concatenate([first, second]).export(tmp_path / "two.stl")
    exploded_stl(tmp_path / "two.stl", tmp_path / "exploded.stl")
    parts = sorted(trimesh.load_mesh(tmp_path / "exploded.stl").split(only_watertight=False), key=lambda m: m.bounds[0][0])
    assert len(parts) == 2
    assert parts[1].bounds[0][0] - parts[0].bounds[1][0] > 5  # the gap between them grew from 1 mm
    assert [list(p.extents) for p in parts] == [pytest.approx([10, 10, 10], abs=1e-4)] * 2  # moved, not changed
