"""Production figures come from the real slicer (Debian's PrusaSlicer), are cached by content and deterministic."""
from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
import trimesh

from pipeline.catalogue import BuildConfig, build_catalogue
from pipeline.production import profiles
from pipeline.production.plate import BED_FULL, DAY_FULL, choose_plate, copies_bound, copies_on_grid, normalised_plate
from pipeline.production.records import SliceFigures
from pipeline.production.slicer import DoesNotFit, RunMemo, Slicer, read_figures

from .conftest import FIXTURES, REPO, SHARED_SLICE_CACHE, edit_box, make_project

ENDER = next(p for p in profiles.printers() if p.name == "bedslinger-220")


def reference_configs(tmp_path: Path, **overrides: str) -> list[Path]:
    configs = [ENDER.profile.path, profiles.PROFILES / profiles.REFERENCE_PRINT, profiles.PROFILES / "filament-pla.ini"]
    if overrides:
        extra = tmp_path / "overrides.ini"
        extra.write_text(profiles.ini_text(overrides))
        configs.append(extra)
    return configs


def box_stl(folder: Path, x: float, y: float, z: float) -> Path:
    path = folder / f"box-{x:g}x{y:g}x{z:g}.stl"
    mesh = trimesh.creation.box(extents=(x, y, z))
    mesh.apply_translation((0, 0, z / 2))
    mesh.export(path)
    return path


@pytest.fixture
def slicer(tmp_path) -> Slicer:
    work = tmp_path / "slicer"
    work.mkdir()
    return Slicer(work, timeout_s=300)


def test_thinner_layers_take_longer(tmp_path, slicer):
    part = box_stl(tmp_path, 30, 30, 10)
    at_020 = slicer.slice(part, reference_configs(tmp_path))
    at_010 = slicer.slice(part, reference_configs(tmp_path, layer_height="0.1"))
    assert at_010.seconds > at_020.seconds * 1.3


def test_more_infill_takes_longer_and_more_filament(tmp_path, slicer):
    part = box_stl(tmp_path, 30, 30, 10)
    sparse = slicer.slice(part, reference_configs(tmp_path))
    dense = slicer.slice(part, reference_configs(tmp_path, fill_density="60%"))
    assert dense.seconds > sparse.seconds and dense.filament_g > sparse.filament_g


def test_a_part_twice_as_long_takes_more_filament(tmp_path, slicer):
    short = slicer.slice(box_stl(tmp_path, 40, 10, 5), reference_configs(tmp_path))
    long = slicer.slice(box_stl(tmp_path, 80, 10, 5), reference_configs(tmp_path))
    assert long.filament_g > short.filament_g * 1.5 and long.filament_mm > short.filament_mm * 1.5
    assert long.filament_g == pytest.approx(long.filament_cm3 * 1.24, abs=0.02)  # PLA's stated density


def test_a_plate_without_a_time_limit_is_the_most_copies_that_fit_the_bed(tmp_path, slicer):
    part = box_stl(tmp_path, 60, 45, 4)
    configs = reference_configs(tmp_path)
    bound = copies_bound(ENDER.bed_mm, 60 * 45 * 4, 4)
    one = slicer.slice(part, configs)
    plate = choose_plate(slicer, part, configs, one, bound, budget_s=30 * 86400)
    assert plate.limit == BED_FULL and 4 <= plate.copies <= bound
    assert plate.figures.filament_g == pytest.approx(one.filament_g * plate.copies, rel=0.05)
    with pytest.raises(DoesNotFit):
        slicer.plate(part, configs, plate.copies + 1)


def test_the_search_from_the_grid_finds_the_same_full_bed_in_fewer_slicer_runs(tmp_path):
    part = box_stl(tmp_path, 60, 45, 4)
    configs = reference_configs(tmp_path)
    bound = copies_bound(ENDER.bed_mm, 60 * 45 * 4, 4)
    grid = copies_on_grid(ENDER.bed_mm, (60, 45), profiles.object_spacing_mm())
    assert grid == 3 * 4  # (220 + 6) // (60 + 6) across, (220 + 6) // (45 + 6) along
    plates = []
    for guess in (1, grid):
        slicer = Slicer(tmp_path, timeout_s=300)
        one = slicer.slice(part, configs)
        plates.append((choose_plate(slicer, part, configs, one, bound, 30 * 86400, guess), slicer.runs))
    (halving, halving_runs), (gridded, gridded_runs) = plates
    assert gridded.copies == halving.copies
    # the same arrangement, as published (the slicer's own 3MF carries the time it was written)
    assert normalised_plate(gridded.arranged, "box", "box") == normalised_plate(halving.arranged, "box", "box")
    assert gridded_runs < halving_runs


def test_a_plate_holds_the_most_copies_the_slicer_prints_within_the_budget(tmp_path, slicer):
    part = box_stl(tmp_path, 30, 30, 10)
    configs = reference_configs(tmp_path)
    one = slicer.slice(part, configs)
    budget = round(one.seconds * 3.5)  # three copies and a half: three on the plate, with cooling shared
    plate = choose_plate(slicer, part, configs, one, copies_bound(ENDER.bed_mm, 30 * 30 * 10, 10), budget)
    assert plate.limit == DAY_FULL and plate.copies >= 3
    assert plate.figures.seconds <= budget < plate.figures.seconds * (plate.copies + 1) / plate.copies
    sliced = slicer.slice(part, configs, plate.sliced_copies)  # the plate the figures come from, sliced whole
    assert plate.figures == sliced.scaled(plate.copies / plate.sliced_copies)
    assert abs(plate.sliced_copies - plate.copies) <= max(1, plate.copies // 10)
    whole = slicer.slice(part, configs, plate.copies)  # the accuracy the production issue asks of a plate figure
    assert plate.figures.seconds == pytest.approx(whole.seconds, rel=0.03)
    assert plate.figures.filament_g == pytest.approx(whole.filament_g, rel=0.01)


def test_figures_scaled_to_a_count_keep_the_slicers_precision():
    figures = SliceFigures(seconds=3600, filament_mm=1000.0, filament_cm3=2.41, filament_g=2.99, cost=0.12)
    assert figures.scaled(11 / 12) == SliceFigures(seconds=3300, filament_mm=916.67, filament_cm3=2.21,
                                                   filament_g=2.74, cost=0.11)
    assert figures.scaled(1) == figures


def test_a_slicer_run_seen_before_is_read_back_not_run_again(tmp_path):
    part = box_stl(tmp_path, 30, 20, 5)
    configs = reference_configs(tmp_path)
    memo = RunMemo(tmp_path / "runs")
    first = Slicer(tmp_path, 300, memo=memo, version="v")
    plate, figures = first.plate(part, configs, 3)
    assert first.runs == 2  # the arrangement, then slicing it as arranged
    renamed = tmp_path / "other" / "part.stl"  # the same bytes elsewhere, as another design's STL would be
    renamed.parent.mkdir()
    renamed.write_bytes(part.read_bytes())
    again = Slicer(tmp_path, 300, memo=memo, version="v")
    assert again.plate(renamed, configs, 3) == (plate, figures) and again.runs == 0
    assert Slicer(tmp_path, 300, memo=memo, version="v2").slice(renamed, configs).seconds > 0  # another slicer: run


def test_the_slicer_runs_with_a_bare_environment_in_its_own_folder(slicer, monkeypatch):
    from pipeline.runner import BARE_ENVIRONMENT

    monkeypatch.setenv("GITHUB_TOKEN", "secret")
    assert set(BARE_ENVIRONMENT | slicer.environment()) == {"PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "TZ"}
    assert slicer.environment()["HOME"] == str(slicer.workdir)  # the runner adds these to its bare environment


def test_figures_are_read_from_the_gcode_comments_not_its_date(tmp_path):
    gcode = tmp_path / "part.gcode"
    lines = ["; generated by PrusaSlicer 2.5.0 on 2026-11-26 at 13:52:59 UTC", "G1 X1", "; filament used [mm] = 4544.89",
             "; filament used [cm3] = 10.93", "; total filament used [g] = 13.88", "; total filament cost = 0.35",
             "; estimated printing time (normal mode) = 1d 1h 6m 41s"]
    gcode.write_text("\n".join(lines) + "\n")
    figures = read_figures(gcode)
    assert figures.seconds == 86400 + 3600 + 6 * 60 + 41
    assert (figures.filament_mm, figures.filament_cm3, figures.filament_g, figures.cost) == (4544.89, 10.93, 13.88, 0.35)


@pytest.fixture(scope="module")
def box_build(tmp_path_factory):
    """The fixture box built twice, in two folders with fresh caches, then once more with nothing changed."""
    builds = []
    for name in ("first", "second"):
        root = make_project(tmp_path_factory.mktemp(name), [FIXTURES / "designs" / "box"], private_cache=True)
        builds.append((root, build_catalogue(BuildConfig(root=root, workers=2, site=False))))
    return builds


def test_two_cold_builds_give_the_same_figures_and_plate_bytes(box_build):
    (first, report), (second, _) = box_build
    assert report.ok and report.slicer_runs > 0
    assert (first / "catalogue/production.json").read_bytes() == (second / "catalogue/production.json").read_bytes()
    plates = sorted((first / "catalogue/downloads/box").glob("*-plate-*.3mf"))
    assert len(plates) == 2 * len(profiles.printers())
    for plate in plates:
        assert plate.read_bytes() == (second / plate.relative_to(first)).read_bytes(), plate.name


def test_a_no_change_rebuild_runs_no_slicer(box_build):
    root, first = box_build[0]
    again = build_catalogue(BuildConfig(root=root, workers=2, site=False))
    assert first.slices_cached == 0
    assert again.ok and again.slicer_runs == 0 and again.slices_cached == 2 * len(profiles.printers())
    assert (root / "catalogue/production.json").read_text() == (box_build[1][0] / "catalogue/production.json").read_text()


def plate_items(data: bytes) -> list[tuple[float, float, float, float]]:
    """Each build item's x-y bounds on the bed: its mesh's vertices moved by the item's transform."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        model = archive.read("3D/3dmodel.model").decode()
    objects, components = {}, {}
    for match in re.finditer(r'<object id="(\d+)".*?</object>', model, re.S):
        xy = [(float(x), float(y)) for x, y in re.findall(r'<vertex x="([-\d.e]+)" y="([-\d.e]+)"', match.group(0))]
        objects[match.group(1)] = xy
        components[match.group(1)] = re.findall(r'<component objectid="(\d+)"(?: transform="([^"]+)")?', match.group(0))
    for object_id, parts in components.items():  # copies share one mesh through components
        for part_id, transform in parts:
            assert transform in ("", "1 0 0 0 1 0 0 0 1 0 0 0"), transform
            objects[object_id] += objects[part_id]
    items = []
    for object_id, transform in re.findall(r'<item objectid="(\d+)" transform="([^"]+)"', model):
        m = [float(v) for v in transform.split()]
        moved = [(m[0] * x + m[3] * y + m[9], m[1] * x + m[4] * y + m[10]) for x, y in objects[object_id]]
        items.append((min(p[0] for p in moved), min(p[1] for p in moved), max(p[0] for p in moved), max(p[1] for p in moved)))
    return items


def test_the_plate_3mf_holds_n_separate_objects_inside_the_bed_and_slices_as_the_full_plate(box_build, tmp_path, slicer):
    root, _ = box_build[0]
    document = json.loads((root / "catalogue/production.json").read_text())
    box = next(d for d in document["designs"] if d["slug"] == "box")
    for variant in box["variants"]:
        for printer in profiles.printers():
            run = variant["runs"][printer.name]
            plate = root / "catalogue" / run["plate_3mf"]["url"].split("/catalogue/", 1)[1]
            items = plate_items(plate.read_bytes())
            assert len(items) == run["copies_per_plate"] > 1
            width, depth = printer.bed_mm
            assert all(x0 >= 0 and y0 >= 0 and x1 <= width and y1 <= depth for x0, y0, x1, y1 in items), items
            assert len({(x0, y0) for x0, y0, _, _ in items}) == len(items)  # no two in the same place
            configs = [printer.profile.path, profiles.PROFILES / profiles.REFERENCE_PRINT,
                       profiles.PROFILES / "filament-pla.ini"]
            overrides = tmp_path / "design.ini"
            overrides.write_text(profiles.ini_text(profiles.design_overrides(
                {"nozzle_mm": 0.4, "layer_height_mm": 0.2, "perimeters": 2, "infill_percent": 20, "supports": False})))
            sliced = slicer.slice(plate, configs + [overrides], arrange=False)
            assert sliced.seconds == run["full_plate"]["seconds"]
            assert sliced.filament_g == run["full_plate"]["filament_g"]


def test_a_slicer_error_names_the_design_variant_and_printer_and_the_rest_builds(tmp_path):
    root = make_project(tmp_path / "project", [FIXTURES / "designs" / "box", REPO / "designs" / "ear-saver-strap"],
                        private_cache=True)
    # a layer thicker than the nozzle: the slicer refuses the profile
    edit_box(root, lambda d: d["print_settings"].update(layer_height_mm=0.9))
    # the strap's slices from the shared cache (content-addressed; a failed run is never stored): the box's fail
    report = build_catalogue(BuildConfig(root=root, workers=2, site=False, slice_cache=SHARED_SLICE_CACHE))
    messages = sorted(str(p) for p in report.problems)
    assert len(messages) == 2 * len(profiles.printers())
    assert messages[0].startswith("designs/box [small] on bedslinger-220: PrusaSlicer:")
    assert "nozzle" in messages[0].lower()
    strap = json.loads((root / "catalogue/production.json").read_text())
    assert [len(v["runs"]) for d in strap["designs"] if d["slug"] == "ear-saver-strap" for v in d["variants"]] == [2, 2, 2]
    page = (root / "catalogue/en/designs/ear-saver-strap.md").read_text()
    assert "## Production" in page and "ear-saver-strap-adult-plate-bedslinger-220.3mf" in page
    page_fr = (root / "catalogue/fr/designs/ear-saver-strap.md").read_text()
    assert "Tranché à chaque construction" in page_fr and "ear-saver-strap-adult-plate-bedslinger-220.3mf" in page_fr


def test_changing_a_design_print_setting_changes_the_slice_key(box_build):
    from pipeline.production.build import slice_key

    _, report = box_build[0]
    artifact = report.artifacts[0]
    base = profiles.design_overrides({"nozzle_mm": 0.4, "layer_height_mm": 0.2, "perimeters": 2,
                                      "infill_percent": 20, "supports": False})
    keys = {slice_key(artifact, ENDER, "PLA", base, "v", True),
            slice_key(artifact, ENDER, "PLA", base | {"perimeters": "3"}, "v", True),
            slice_key(artifact, ENDER, "PETG", base, "v", True), slice_key(artifact, ENDER, "PLA", base, "v2", True),
            slice_key(artifact, ENDER, "PLA", base, "v", False)}
    assert len(keys) == 5


def test_every_variant_of_the_catalogue_has_its_production_figures_on_its_page(catalogue):
    root, report = catalogue
    document = json.loads((root / "catalogue/catalogue.json").read_text())
    for design in document["designs"]:
        if "printing" not in design["metadata"].get("made_by", ["printing"]):
            assert not any("printing" in v for v in design["variants"])  # not printed: no slice, no plate
            continue
        page = (root / "catalogue/en/designs" / f"{design['slug']}.md").read_text()
        assert "## Production" in page and "estimate for its profile" in page
        for variant in design["variants"]:
            assert {r["printer"] for r in variant["printing"]["runs"]} == {p.name for p in profiles.printers()}, variant["name"]
            for run in variant["printing"]["runs"]:
                assert run["one_copy"]["seconds"] > 0 and run["copies_per_plate"] >= 1
                plate = root / "catalogue" / run["plate_3mf"]["url"].split("/catalogue/", 1)[1]
                assert hashlib.sha256(plate.read_bytes()).hexdigest() == run["plate_3mf"]["sha256"]
                assert f'data-label="Variant">{variant["name"]}</th>' in page and plate.name in page and run["plate_3mf"]["sha256"] in page
    table = (root / "catalogue/en/designs/index.md").read_text()
    assert "Per printer per day" in table
    assert "Par imprimante et par jour" in (root / "catalogue/fr/designs/index.md").read_text()


def test_the_reference_settings_are_sliced_and_shown_on_the_first_printer_only(catalogue):
    """They compare designs with each other, which one printer does: the other's runs have none (30 of 279 slicer
    runs), its table no column for them, and the page names the printer that has it."""
    root, _ = catalogue
    first, *others = profiles.printers()
    document = json.loads((root / "catalogue/catalogue.json").read_text())
    runs = [r for d in document["designs"] for v in d["variants"] for r in v.get("printing", {}).get("runs", [])]
    assert runs and all(("one_copy_reference_0_20mm" in r) == (r["printer"] == first.name) for r in runs)
    for lang, column, title in (("en", "Reference settings (0.20 mm", first.profile.title),
                                ("fr", "Réglages de référence (0,20 mm", first.profile.title_fr)):
        page = (root / f"catalogue/{lang}/designs/iso-5356-22m-coupler.md").read_text()
        tables = page.split("<table data-stack>")[1:]
        assert len(tables) == 1 + len(others) and column in tables[0] and not any(column in t for t in tables[1:])
        assert f"{title}." in page  # the paragraph that says which printer's table has the column


# The smallest parts (couplers, clip, strap) and the largest (headband, door opener), on both printers.
ACCURACY_PAIRS = [("iso-5356-22m-coupler", "standard", "mk3s-250x210"), ("iso-5356-22f-coupler", "sturdy", "bedslinger-220"),
                  ("visor-bottom-clip", "standard", "bedslinger-220"), ("ear-saver-strap", "adult", "mk3s-250x210"),
                  ("visor-headband-888", "adult", "bedslinger-220"), ("door-opener-lever-clamp", "handle-19", "mk3s-250x210")]


@pytest.mark.slices
def test_published_plate_figures_are_those_of_the_published_plate_sliced_again(catalogue, tmp_path):
    """A maker who loads the published plate into the slicer gets the page's figures (within 3 % of the time and
    1 % of the filament, the accuracy the production issue asks of any plate figure; here they are the same run)."""
    root, report = catalogue
    document = json.loads((root / "catalogue/catalogue.json").read_text())
    designs = {d.slug: d for d in report.designs}
    for slug, variant, printer_name in ACCURACY_PAIRS:
        entry = next(d for d in document["designs"] if d["slug"] == slug)
        run = next(r for v in entry["variants"] if v["name"] == variant for r in v["printing"]["runs"]
                   if r["printer"] == printer_name)
        plate = root / "catalogue" / run["plate_3mf"]["url"].split("/catalogue/", 1)[1]
        printer = next(p for p in profiles.printers() if p.name == printer_name)
        settings = tmp_path / f"{slug}.ini"
        settings.write_text(profiles.ini_text(profiles.design_overrides(profiles.print_settings(designs[slug]))))
        configs = [printer.profile.path, profiles.PROFILES / profiles.REFERENCE_PRINT,
                   profiles.PROFILES / profiles.FILAMENTS[run["material"]], settings]
        work = tmp_path / slug
        work.mkdir()
        sliced = Slicer(work, timeout_s=1800).slice(plate, configs, arrange=False)  # no memo: the slicer runs
        label = f"{slug} [{variant}] on {printer_name}"
        assert sliced.seconds == pytest.approx(run["full_plate"]["seconds"], rel=0.03), label
        assert sliced.filament_g == pytest.approx(run["full_plate"]["filament_g"], rel=0.01), label
        sliced_copies = run["plate_sliced_copies"]
        assert run["figures_obtained"] == ("sliced" if sliced_copies == run["copies_per_plate"]
                                           else f"from a slice of {sliced_copies} copies"), label
        assert run["full_plate"]["seconds"] <= printer.plate_budget_s or run["copies_per_plate"] == 1, label
