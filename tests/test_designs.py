"""The design collection: every design builds at its limits, fits what it declares, and says what it is."""
from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import trimesh
import yaml

from pipeline.built import Facts
from pipeline.cad.checks import geometry_problems
from pipeline.catalogue import BuildConfig, build_catalogue
from pipeline.materials import DENSITY_G_PER_CM3

from .conftest import REPO, build, edit_box, make_project, problems_for, real_designs

# ISO 5356-1 conical connectors, taper 1:40 on the diameter (figures from two independent open implementations that
# agree; the standard itself is paywalled): gauge diameter, and its distance from a male cone's tip; a female socket's
# mouth meets the male gauge plane, so its diameter there is the gauge diameter.
ISO_5356 = {22: {"gauge_mm": 22.37, "gauge_from_tip_mm": 15.0, "length_mm": 21.0},
            15: {"gauge_mm": 15.47, "gauge_from_tip_mm": 10.0, "length_mm": 16.0}}
TAPER = 1 / 40


def metadata(design: Path) -> dict:
    return yaml.safe_load((design / "design.yaml").read_text(encoding="utf-8"))


# --- the collection -------------------------------------------------------------------------------

def test_the_collection_has_ten_designs_across_the_five_families():
    designs = [metadata(d) for d in real_designs()]
    assert len(designs) >= 10
    assert {d["category"] for d in designs} == {"visor", "ear-saver", "adapter", "door-opener", "mask"}


@pytest.mark.parametrize("design", real_designs(), ids=lambda p: p.name)
def test_every_design_has_complete_honest_metadata(design):
    meta = metadata(design)
    for field in ("intended_use", "regulatory_status", "hygiene", "version", "changelog", "provenance"):
        assert field in meta, f"{design.name}: {field}"
    for text in ("title", "summary", "intended_use", "regulatory_status", "hygiene"):
        assert {"en", "fr"} <= set(meta[text]), f"{design.name}: {text} needs en and fr"
    assert meta["changelog"][0]["version"] == meta["version"], "the newest changelog entry is the current version"
    assert all("nozzle_temperature_c" in m and "bed_temperature_c" in m for m in meta.get("materials", []))
    assert ("materials" in meta) == ("printing" in meta.get("made_by", ["printing"]))  # a printed design's filaments
    if "sewing" in meta.get("made_by", ()):  # fabric: washed hot, as AFNOR S76-001 asks
        assert "60 °C" in meta["hygiene"]["en"] and "60 °C" in meta["hygiene"]["fr"]
    else:
        assert "autoclave" in meta["hygiene"]["en"]
    if meta["category"] == "adapter":
        status = meta["regulatory_status"]["en"].lower()
        assert "uncertified" in status and "single use" in status and "not a medical device" in status


def test_the_catalogue_publishes_no_review_and_no_print_report_until_a_real_one_happens():
    """A status comes from a record tied to the files; none has been made for these designs yet."""
    assert not (REPO / "reviews").exists() and not (REPO / "reports").exists()
    assert all("review_status" not in metadata(d) for d in real_designs())


def test_every_design_has_named_variants():
    for design in real_designs():
        assert len(metadata(design)["variants"]) >= 2, design.name


@pytest.fixture(scope="module")
def limits_build(tmp_path_factory):
    """Every real design at all-minimum and all-maximum parameters, in one batched build through the pipeline."""
    root = make_project(tmp_path_factory.mktemp("limits"), real_designs())
    for folder in (root / "designs").iterdir():
        path = folder / "design.yaml"
        if not path.is_file():  # designs/tags.yml
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        params = data["parameters"]
        data["variants"] = [
            {"name": "all-min", "description": "Every parameter at its minimum.", "parameters": {k: p["min"] for k, p in params.items()}},
            {"name": "all-max", "description": "Every parameter at its maximum.", "parameters": {k: p["max"] for k, p in params.items()}},
        ]
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    # the range limits are checked on the geometry; slicing 20 extra variants cold would cost many minutes
    return build_catalogue(BuildConfig(root=root, workers=2, site=False, production=False))


def test_every_design_builds_and_passes_its_checks_at_its_range_limits(limits_build):
    assert limits_build.ok, "\n".join(map(str, limits_build.problems))
    assert len(limits_build.artifacts) == 2 * len(real_designs())


def test_a_stack_at_its_largest_is_as_many_parts_as_it_declares_and_fits_the_bed(limits_build):
    stacks = [a for a in limits_build.artifacts if a.job.design.parts == "stack_count"]
    assert stacks
    for artifact in stacks:
        assert artifact.facts.solids == artifact.job.variant.parameters["stack_count"]
        assert artifact.facts.bounding_box_mm[2] <= 250


# --- computed facts -------------------------------------------------------------------------------

def test_every_variant_publishes_its_dimensions_volume_and_mass_per_material(catalogue):
    _, report = catalogue
    for artifact in report.artifacts:
        facts = artifact.facts
        assert len(facts.bounding_box_mm) == 3 and facts.volume_mm3 > 0
        assert set(facts.mass_g) == set(DENSITY_G_PER_CM3)
        assert facts.mass_g["PETG"] == pytest.approx(facts.volume_mm3 / 1000 * 1.27, abs=0.01)
        assert facts.mass_g["PLA"] == pytest.approx(facts.volume_mm3 / 1000 * 1.24, abs=0.01)


def test_every_material_the_schema_allows_has_a_density():
    schema = yaml.safe_load((REPO / "schema/design.schema.json").read_text())
    assert set(schema["properties"]["materials"]["items"]["properties"]["name"]["enum"]) == set(DENSITY_G_PER_CM3)


# --- ISO 5356-1 cones, measured on the exported STL ------------------------------------------------

def surface_diameter(mesh: trimesh.Trimesh, z: float, gender: str) -> float:
    """Diameter of the cone's surface in the plane at height z: the outer loop of a male cone, the bore of a socket."""
    segments = trimesh.intersections.mesh_plane(mesh, plane_normal=[0, 0, 1], plane_origin=[0, 0, z])
    points = segments.reshape(-1, 3)[:, :2]
    centre = (points.max(axis=0) + points.min(axis=0)) / 2  # the parts are revolved: the axis is the slice's centre
    radii = np.linalg.norm(points - centre, axis=1)
    if gender == "male":
        return 2 * radii.max()  # vertices on the surface are exact; chords between them fall inside
    outer = radii.max()
    socket = radii[radii < outer - 0.5]  # the socket's wall, not the outside of the part
    return 2 * socket.max()  # chords of the bore also fall inside it


def cones(catalogue):
    _, report = catalogue
    for artifact in report.artifacts:
        for connector in artifact.job.design.connectors:
            yield artifact, connector


def test_some_designs_declare_iso_5356_cones(catalogue):
    declared = {(c.size_mm, c.gender) for _, c in cones(catalogue)}
    assert {(22, "male"), (22, "female"), (15, "male")} <= declared


def test_iso_5356_cones_on_the_stl_match_the_gauge_diameter_and_the_1_in_40_taper(catalogue):
    for artifact, connector in cones(catalogue):
        mesh = trimesh.load_mesh(artifact.file("stl"))
        size, gender, end = connector.size_mm, connector.gender, connector.end
        spec = ISO_5356[size]
        top = mesh.bounds[1][2]
        # Depth measured from the tip (male) or the mouth (female) into the part.
        depth_to_z = (lambda d, top=top: top - d) if end == "top" else (lambda d: d)
        gauge_depth = spec["gauge_from_tip_mm"] if gender == "male" else 0.0
        depths = np.linspace(1.0, 19.0 if size == 22 else 14.0, 10)
        diameters = np.array([surface_diameter(mesh, depth_to_z(d), gender) for d in depths])
        slope, intercept = np.polyfit(depths, diameters, 1)
        expected_slope = TAPER if gender == "male" else -TAPER  # a male cone widens from its tip, a socket narrows inwards
        label = f"{artifact.job.label} {size} mm {gender} at the {end}"
        assert slope == pytest.approx(expected_slope, abs=0.002), label
        at_gauge = slope * gauge_depth + intercept
        assert at_gauge == pytest.approx(spec["gauge_mm"], abs=0.05), label
        if gender == "male":  # straight measurement at the gauge plane, no fit
            assert surface_diameter(mesh, depth_to_z(gauge_depth), gender) == pytest.approx(spec["gauge_mm"], abs=0.05), label


# --- visor pins against the sheet's holes, on the built geometry -------------------------------------

def outer_face(mesh: trimesh.Trimesh, z: float) -> tuple[float, float]:
    """Semi-axes (a, b) of the band's outer face: an ellipse centred on the origin fitted to the slice at z."""
    segments = trimesh.intersections.mesh_plane(mesh, [0, 0, 1], [0, 0, z])
    pts = segments.reshape(-1, 3)[:, :2]
    pts = pts[pts[:, 1] > 5]  # the front of the band, away from the strap tabs
    a, b = 1.0, 1.0
    for _ in range(2):  # fit through all points (the band's middle), then through those outside it (its outer face)
        design = np.column_stack([pts[:, 0] ** 2, pts[:, 1] ** 2])
        inv_a2, inv_b2 = np.linalg.lstsq(design, np.ones(len(pts)), rcond=None)[0]
        a, b = 1 / math.sqrt(inv_a2), 1 / math.sqrt(inv_b2)
        pts = pts[(pts[:, 0] / a) ** 2 + (pts[:, 1] / b) ** 2 > 1]
    return a, b


def pin_positions_along_face(mesh: trimesh.Trimesh, a: float, b: float, z: float) -> list[float]:
    """Signed arc length, along the outer face from the front centre, where each pin's axis meets the face."""
    segments = trimesh.intersections.mesh_plane(mesh, [0, 0, 1], [0, 0, z])[:, :, :2]
    # Cut each segment of the outline into short pieces, so that a pin's side is kept up to the face even
    # when the mesh gives it as one long segment.
    steps = np.linspace(0, 1, 41)[:, None]
    pieces = segments[:, None, 0] + steps * (segments[:, None, 1] - segments[:, None, 0])
    starts, ends = pieces[:, :-1].reshape(-1, 2), pieces[:, 1:].reshape(-1, 2)
    mids, lengths = (starts + ends) / 2, np.linalg.norm(ends - starts, axis=1)
    rho = np.sqrt((mids[:, 0] / (a + 0.8)) ** 2 + (mids[:, 1] / (b + 0.8)) ** 2)  # 0.8 mm off the face
    keep = (rho > 1) & (mids[:, 1] > 1)  # the front: the strap tabs are behind y = 0
    mids, lengths = mids[keep], lengths[keep]
    angles = np.arctan2(mids[:, 0], mids[:, 1])
    order = np.argsort(angles)
    clusters, current = [], [order[0]]
    for prev, cur in zip(order, order[1:], strict=False):
        if angles[cur] - angles[prev] > 0.05:
            clusters.append(current)
            current = []
        current.append(cur)
    clusters.append(current)
    t = np.linspace(-math.pi / 2, math.pi / 2, 200001)
    ellipse = np.column_stack([a * np.sin(t), b * np.cos(t)])
    arc = np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(ellipse, axis=0), axis=1))])
    arc -= arc[len(t) // 2]  # zero at the front centre
    positions = []
    for cluster in clusters:
        centroid = np.average(mids[cluster], axis=0, weights=lengths[cluster])  # on the pin's axis, the face's normal
        positions.append(float(arc[np.argmin(np.linalg.norm(ellipse - centroid, axis=1))]))
    return sorted(positions)


def test_visor_pins_stand_where_the_declared_sheet_has_its_holes(catalogue):
    checked = 0
    _, report = catalogue
    for artifact in report.artifacts:
        sheet = artifact.job.design.sheet
        if sheet is None:
            continue
        mesh = trimesh.load_mesh(artifact.file("stl"))
        params = artifact.job.variant.parameters
        height = params.get("band_height", params.get("frame_height"))
        a, b = outer_face(mesh, height - 0.2)  # above the pins: the band alone
        positions = pin_positions_along_face(mesh, a, b, 1.0)  # through the pins, above their flat
        assert positions == pytest.approx(sorted(sheet.holes_mm), abs=0.25), artifact.job.label
        checked += 1
    assert checked >= 4


# --- checks and rules -----------------------------------------------------------------------------

def test_a_remix_of_a_non_commercial_design_cannot_be_relicensed_open(box_project):
    edit_box(box_project, lambda d: d.update(licence="CERN-OHL-P-2.0", provenance={
        "origin": "remix",
        "remix_of": {"title": "Prusa protective face shield RC3", "url": "https://www.prusa3d.com/covid19/", "licence": "CC-BY-NC-4.0"}}))
    [problem] = problems_for(box_project)
    assert problem.startswith("designs/box/design.yaml: licence: 'CERN-OHL-P-2.0' is not allowed")
    assert "provenance.remix_of.licence" in problem and "non-commercial" in problem
    assert "allowed: CC-BY-NC-4.0, CC-BY-NC-SA-4.0" in problem


def test_a_remix_of_a_share_alike_design_keeps_its_licence(box_project):
    remix = {"origin": "remix", "remix_of": {"title": "3DVerkstan visor", "url": "https://3dverkstan.se/protective-visor/", "licence": "CC-BY-SA-3.0"}}
    edit_box(box_project, lambda d: d.update(licence="CC-BY-4.0", provenance=remix))
    [problem] = problems_for(box_project)
    assert "licence: 'CC-BY-4.0' is not allowed" in problem and "share-alike" in problem
    edit_box(box_project, lambda d: d.update(licence="CC-BY-SA-3.0"))
    assert problems_for(box_project) == []


def test_a_remix_must_name_what_it_remixes(box_project):
    edit_box(box_project, lambda d: d.update(provenance={"origin": "remix"}))
    [problem] = problems_for(box_project)
    assert "provenance.remix_of: is missing" in problem


def test_a_variant_breaking_a_design_rule_is_an_error_naming_the_rule_and_the_values(box_project):
    edit_box(box_project, lambda d: d.update(rules=[{"check": "width <= 5 * depth", "message": "too slender to print"}],
                                             variants=d["variants"] + [{"name": "slender", "description": "Too long.", "parameters": {"width": 60}}]))
    [problem] = problems_for(box_project)
    assert problem.startswith("designs/box/design.yaml:") and "rules[0] (slender)" in problem
    assert "`width <= 5 * depth`: too slender to print (depth = 10, width = 60)" in problem


def test_a_rule_that_is_not_arithmetic_is_refused(box_project):
    edit_box(box_project, lambda d: d.update(rules=[{"check": "__import__('os').getcwd()", "message": "x"}]))
    [problem] = problems_for(box_project)
    assert "rules[0].check" in problem


@pytest.mark.parametrize("check, shown", [("width is depth", "`is`"), ("width in depth", "`in`"),
                                          ("width is not depth", "`is not`"), ("width not in depth", "`not in`")])
def test_a_rule_with_is_or_in_is_refused_as_malformed_not_reported_as_broken(box_project, check, shown):
    edit_box(box_project, lambda d: d.update(rules=[{"check": check, "message": "x"}]))
    [problem] = problems_for(box_project)
    assert "rules[0].check" in problem and f"uses {shown}; a rule may only use" in problem


def test_a_headband_below_en_166_width_is_rejected_naming_the_parameter(tmp_path):
    root = make_project(tmp_path, [REPO / "designs" / "visor-headband-888"])
    path = root / "designs/visor-headband-888/design.yaml"
    data = yaml.safe_load(path.read_text())
    data["variants"].append({"name": "thin", "description": "Too thin.", "parameters": {"band_height": 8}})
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    [problem] = problems_for(root)
    assert "variants[3] (thin).parameters.band_height" in problem and "8 is below the minimum of band_height" in problem


def test_parts_named_by_a_parameter_must_be_a_count(box_project):
    edit_box(box_project, lambda d: d.update(parts="width"))
    [problem] = problems_for(box_project)
    assert "designs/box/design.yaml: parts: 'width' is not an integer parameter" in problem


FACTS = Facts(solids=1, valid=True, watertight=True, winding_consistent=True, volume_mm3=1000.0,
              mesh_volume_mm3=1000.0, bounding_box_mm=(230.0, 100.0, 10.0), mass_g={}, triangles=12, shown_objects=1)


def test_a_part_larger_than_the_bed_is_refused_unless_it_fits_turned():
    [problem] = geometry_problems(FACTS)
    assert "does not fit the print bed of 220 × 220 × 250 mm" in problem
    assert geometry_problems(FACTS, bed_mm=(100.0, 250.0, 250.0)) == []  # turned 90° about Z


def test_the_declared_number_of_parts_is_checked():
    facts = replace(FACTS, bounding_box_mm=(10.0, 10.0, 10.0))
    assert geometry_problems(facts, parts=1) == []
    [problem] = geometry_problems(facts, parts=4)
    assert "1 solid(s) but design.yaml declares parts: 4" in problem


def test_the_declared_print_bed_is_enforced_by_the_build(box_project):
    edit_box(box_project, lambda d: d.update(print_bed={"x_mm": 30, "y_mm": 30, "z_mm": 30}))
    report = build(box_project, site=False)
    assert [a.job.variant.name for a in report.artifacts] == ["small"]
    [problem] = map(str, report.problems)
    assert problem.startswith("designs/box/box.py [wide]: the part is 40 × 10 × 5 mm and does not fit the print bed of 30 × 30 × 30 mm")


def test_outer_dimensions_are_those_of_the_exact_model_not_of_its_mesh(catalogue):
    _, report = catalogue
    headband = next(a for a in report.artifacts if a.job.label == "visor-headband-888/adult")
    assert headband.facts.bounding_box_mm[2] == pytest.approx(12.0, abs=1e-3)  # band_height, printed flat
    coupler = next(a for a in report.artifacts if a.job.label == "iso-5356-22m-coupler/standard")
    assert coupler.facts.bounding_box_mm == pytest.approx((26.0, 26.0, 48.0), abs=1e-3)  # Ø26 shoulder, 21 + 6 + 21
