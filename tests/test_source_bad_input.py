"""Bad input, each with one clear line naming the file and the fix, and nothing else lost.

Also covered elsewhere, not repeated here: malformed YAML, aliases, python tags,
unknown and missing fields, wrong types, an out-of-range variant parameter and
an id that differs from its folder (test_source_validate.py); a script that raises
(test_cad_build.py); refused scripts, endless loops, memory hogs and crashes
(test_cad_sandbox.py); folders outside designs/ on the command line (test_commands.py).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.source.discover import discover
from pipeline.source.validate import MAX_METADATA_BYTES, MAX_SCRIPT_BYTES, validate

from .conftest import FIXTURES, build, edit_box, make_project, problems_for
from .written_designs import box_script, write_design


def box_yaml(root: Path) -> Path:
    return root / "designs" / "box" / "design.yaml"


# design.yaml -------------------------------------------------------------------------

def test_an_oversized_design_yaml_is_refused_before_it_is_read(box_project):
    path = box_yaml(box_project)
    path.write_text(path.read_text() + "#" * MAX_METADATA_BYTES + "\n")
    [problem] = problems_for(box_project)
    assert problem == (f"designs/box/design.yaml: is {path.stat().st_size} bytes; the limit is "
                       f"{MAX_METADATA_BYTES}; shorten the descriptions")


def test_a_design_yaml_that_is_not_utf8_is_named(box_project):
    path = box_yaml(box_project)
    path.write_bytes(path.read_bytes().replace("Boîte".encode(), "Boîte".encode("latin-1")))
    [problem] = problems_for(box_project)
    assert problem.startswith("designs/box/design.yaml: is not UTF-8 text") and problem.endswith("save it as UTF-8")


def test_a_scalar_alias_is_refused_with_its_line(box_project):
    """Not only aliases of lists and mappings: one of a plain value too, even where a schema error follows."""
    path = box_yaml(box_project)
    path.write_text(path.read_text().replace("licence: CC0-1.0", "licence: &l CC0-1.0\nversion: *l"))
    assert problems_for(box_project) == [
        "designs/box/design.yaml:7:10: invalid YAML: aliases (*name) are not allowed; write the value out"]


def test_a_yaml_tag_is_refused_with_its_line_and_the_fix(box_project):
    path = box_yaml(box_project)
    path.write_text(path.read_text() + "x: !!python/object/apply:os.system ['true']\n")
    [problem] = problems_for(box_project)
    assert problem.startswith("designs/box/design.yaml:21:4: invalid YAML: could not determine a constructor for the tag")
    assert problem.endswith("; tags (!!...) are not allowed, write plain values")


def test_a_rule_with_a_star_is_not_mistaken_for_an_alias(box_project):
    path = box_yaml(box_project)
    path.write_text(path.read_text() + "rules:\n  - {check: 'width * 2 > depth', message: Too narrow.}\n")
    assert problems_for(box_project) == []


def test_an_empty_design_yaml_asks_for_the_fields(box_project):
    box_yaml(box_project).write_text("# nothing yet\n")
    assert problems_for(box_project) == [
        "designs/box/design.yaml: must be a mapping of fields (id: ..., title: ...); see CONTRIBUTING.md"]


def test_a_duplicate_id_names_the_design_it_collides_with_and_the_original_stays_valid(tmp_path):
    root = make_project(tmp_path, [FIXTURES / "designs" / "box"])
    write_design(root, "box-copy", box_script())
    edit = root / "designs/box-copy/design.yaml"
    edit.write_text(edit.read_text().replace("id: box-copy", "id: box"))
    sources, _ = discover(root / "designs")
    designs, problems = validate(sources, root)
    assert [str(p) for p in problems] == [
        "designs/box-copy/design.yaml: id: 'box' is already the id of designs/box; ids are unique: set id: box-copy (the folder name)"]
    assert [d.slug for d in designs] == ["box"]


@pytest.mark.parametrize("value, shown", [("../escape", "'../escape'"), ("/etc", "'/etc'"), ("Box", "'Box'")])
def test_an_id_that_is_not_a_slug_is_refused(box_project, value, shown):
    edit_box(box_project, lambda d: d.update(id=value))
    [problem] = problems_for(box_project)
    assert problem == f"designs/box/design.yaml:1: id: {shown} does not match the pattern ^[a-z0-9]+(-[a-z0-9]+)*$"


@pytest.mark.parametrize("value", ["../raises/broken.py", "/etc/passwd", "sub/box.py", "box.sh"])
def test_a_script_name_that_leaves_the_design_folder_is_refused(box_project, value):
    edit_box(box_project, lambda d: d.update(script=value))
    [problem] = problems_for(box_project)
    assert problem.startswith("designs/box/design.yaml:") and f"script: {value!r} does not match the pattern" in problem


def test_a_symlinked_script_is_refused(box_project, tmp_path):
    outside = tmp_path / "outside.py"
    outside.write_text((box_project / "designs/box/box.py").read_text())
    (box_project / "designs/box/box.py").unlink()
    (box_project / "designs/box/box.py").symlink_to(outside)
    assert problems_for(box_project) == [
        "designs/box/box.py: is a symlink; commit the file itself: the build never follows a link out of the "
        "design's folder"]


def test_a_symlinked_design_yaml_is_refused(box_project, tmp_path):
    outside = tmp_path / "design.yaml"
    box_yaml(box_project).rename(outside)
    box_yaml(box_project).symlink_to(outside)
    assert problems_for(box_project) == ["designs/box/design.yaml: is a symlink; commit the file itself: the build "
                                         "never follows a link out of the design's folder"]


def test_a_symlinked_design_folder_is_refused_and_the_real_one_still_counts(box_project):
    (box_project / "designs/linked").symlink_to(box_project / "designs/box")
    assert problems_for(box_project) == ["designs/linked: is a symlink; a design must be a real folder inside designs/"]


def test_a_missing_script_is_named(box_project):
    (box_project / "designs/box/box.py").unlink()
    assert problems_for(box_project) == [
        "designs/box/box.py: missing or a symlink; the script must be a file in the design's folder"]


def test_an_unknown_variant_parameter_lists_the_declared_ones(box_project):
    edit_box(box_project, lambda d: d["variants"][1]["parameters"].update(colour=3))
    [problem] = problems_for(box_project)
    assert problem.endswith("variants[1] (wide).parameters.colour: unknown parameter; declared: depth, height, width")


def test_a_default_outside_its_own_range_is_named(box_project):
    edit_box(box_project, lambda d: d["parameters"]["width"].update(min=30))
    [problem] = problems_for(box_project)
    assert problem == "designs/box/design.yaml: parameters.width.default: 20.0 is below the minimum of width; allowed: 30 to 100 mm"


def test_a_wrong_type_inside_a_variant_says_what_was_expected(box_project):
    edit_box(box_project, lambda d: d["variants"][1]["parameters"].update(width="forty"))
    [problem] = problems_for(box_project)
    assert problem.endswith("variants[1] (wide).parameters.width: 'forty' is not a number; width is a number in mm")


# the script, read but not run -----------------------------------------------------

def test_an_oversized_script_is_refused_before_it_is_read(box_project):
    script = box_project / "designs/box/box.py"
    script.write_text(script.read_text() + "#" * MAX_SCRIPT_BYTES + "\n")
    [problem] = problems_for(box_project)
    assert problem.startswith(f"designs/box/box.py: is {script.stat().st_size} bytes; the limit is {MAX_SCRIPT_BYTES}")


def test_a_script_syntax_error_gives_its_line(box_project):
    script = box_project / "designs/box/box.py"
    script.write_text(script.read_text().replace("show_object(result)", "show_object(result"))
    assert problems_for(box_project) == ["designs/box/box.py:9: syntax error: '(' was never closed"]


# the script, run: what it shows ------------------------------------------------------

SHOWN = {
    "no-show": ('"""Never shows."""\nimport cadquery as cq\n\nsize = 10.0  # mm\nresult = cq.Workplane().box(size, size, size)\n',
                "designs/no-show/no-show.py [default]: the script never called show_object(...); end it with show_object(result)"),
    "empty": (box_script().replace("show_object(result)", "show_object(cq.Workplane())"),
              "designs/empty/empty.py [default]: show_object() was given an empty Workplane; show the finished solid"),
    "number": (box_script().replace("show_object(result)", "show_object(size)"),
               "designs/number/number.py [default]: show_object() was given a float; give it a Workplane or a Shape"),
    "sketch": (box_script("result = cq.Workplane().rect(size, size)\n"),
               "designs/sketch/sketch.py [default]: show_object() was given no solid, only faces, wires or points; extrude or loft it into a solid"),
    "bow-tie": (box_script("result = cq.Workplane().polyline([(0, 0), (size, size), (size, 0), (0, size)]).close().extrude(5)\n"),
                "designs/bow-tie/bow-tie.py [default]: the B-rep is not valid (self-intersecting or broken faces); check booleans and fillets"),
    "edge-shared": (box_script("result = result.union(cq.Workplane().box(size, size, size).translate((size, size, 0)))\n"),
                    "designs/edge-shared/edge-shared.py [default]: the STL mesh is not watertight or not consistently wound; the solid has gaps or overlapping faces"),
    # one object of two solids alone is a stack whose parts are inferred (tests/test_commands.py); beside a second
    # show_object() call it is not
    "two-parts": (box_script("show_object(cq.Workplane().box(1, 1, 1).translate((0, 3 * size, 0)))\n"
                             "result = result.union(cq.Workplane().box(size, size, size).translate((3 * size, 0, 0)))\n"),
                  "designs/two-parts/two-parts.py [default]: the script calls show_object() 2 time(s) but shows 3 solid(s); "),
}


@pytest.fixture(scope="module")
def shown_report(tmp_path_factory):
    """One build of every bad shape beside the good box (workers are slow to start: build them together)."""
    root = make_project(tmp_path_factory.mktemp("shown"), [FIXTURES / "designs" / "box"])
    for slug, (script, _) in SHOWN.items():
        write_design(root, slug, script)
    return build(root, site=True), root


@pytest.mark.parametrize("slug", SHOWN)
def test_a_bad_shape_is_named_with_the_fix(shown_report, slug):
    report, _ = shown_report
    problems = [str(p) for p in report.problems if str(p).startswith(f"designs/{slug}/")]
    assert any(p.startswith(SHOWN[slug][1]) for p in problems), problems


def test_bad_shapes_cost_only_their_own_design(shown_report):
    report, root = shown_report
    assert sorted(a.job.label for a in report.artifacts) == ["box/small", "box/wide"]
    assert (root / "site/en/designs/box/index.html").is_file()
    assert not any((root / "site/en/designs" / slug).exists() for slug in SHOWN)


def test_a_part_too_large_for_the_print_bed_is_named(tmp_path):
    root = make_project(tmp_path, [FIXTURES / "designs" / "box"])
    size = {"size": {"default": 400.0, "unit": "mm", "min": 1, "max": 500, "description": "Size."}}
    write_design(root, "huge", box_script(size=400.0), size)
    report = build(root, site=False)
    assert [str(p) for p in report.problems] == [
        "designs/huge/huge.py [default]: the part is 400 × 400 × 400 mm and does not fit the print bed of 220 × 220 × 250 mm; "
        "narrow the parameter ranges, add a design rule, or declare print_bed in design.yaml"]
    assert sorted(a.job.label for a in report.artifacts) == ["box/small", "box/wide"]
