"""design.yaml errors name the file, the line, the field and what is allowed."""
from __future__ import annotations

from pipeline.source.discover import discover
from pipeline.source.validate import validate

from .conftest import FIXTURES, REPO, edit_box, make_project, problems_for


def test_the_fixture_design_is_valid(box_project):
    assert problems_for(box_project) == []


def test_unknown_field_names_the_file_the_field_and_the_allowed_ones(box_project):
    edit_box(box_project, lambda d: d.update(colour="red"))
    [problem] = problems_for(box_project)
    assert problem.startswith("designs/box/design.yaml:")
    assert "unknown field(s) 'colour'" in problem
    assert "allowed:" in problem and "licence" in problem


def test_missing_field_is_named(box_project):
    edit_box(box_project, lambda d: d.pop("licence"))
    [problem] = problems_for(box_project)
    assert "'licence' is missing (required)" in problem


def test_out_of_range_variant_parameter_names_the_parameter_and_the_range(box_project):
    edit_box(box_project, lambda d: d["variants"][1]["parameters"].update(width=400))
    [problem] = problems_for(box_project)
    assert "variants[1] (wide).parameters.width" in problem
    assert "400 is above the maximum of width; allowed: 5 to 100 mm" in problem


def test_wrong_type_says_what_was_expected(box_project):
    edit_box(box_project, lambda d: d["parameters"]["width"].update(max="lots"))
    [problem] = problems_for(box_project)
    assert "parameters.width.max" in problem and "expected number" in problem


def test_unknown_licence_points_to_spdx(box_project):
    edit_box(box_project, lambda d: d.update(licence="Public domain"))
    [problem] = problems_for(box_project)
    assert "licence" in problem and "SPDX" in problem


def test_field_errors_give_the_line_of_the_field(box_project):
    edit_box(box_project, lambda d: d["print_settings"].update(supports="maybe"))
    [problem] = problems_for(box_project)
    text = (box_project / "designs/box/design.yaml").read_text().splitlines()
    line = int(problem.split(":")[1])
    assert "supports" in text[line - 1]


def test_malformed_yaml_gives_line_and_column(box_project):
    path = box_project / "designs/box/design.yaml"
    path.write_text(path.read_text() + "bad: [unclosed\n")
    [problem] = problems_for(box_project)
    assert problem.startswith("designs/box/design.yaml:") and "invalid YAML" in problem
    assert problem.split(":")[1].isdigit() and problem.split(":")[2].isdigit()


def test_yaml_aliases_are_refused(box_project):
    path = box_project / "designs/box/design.yaml"
    path.write_text(path.read_text().replace("summary: {en: A box used by the tests.}", "summary: &s {en: A box}\nintended_use: *s"))
    [problem] = problems_for(box_project)
    assert "aliases" in problem


def test_yaml_python_tags_are_refused(box_project):
    path = box_project / "designs/box/design.yaml"
    path.write_text(path.read_text() + "x: !!python/object/apply:os.system ['true']\n")
    [problem] = problems_for(box_project)
    assert "invalid YAML" in problem


def test_id_must_match_the_folder(box_project):
    edit_box(box_project, lambda d: d.update(id="other"))
    [problem] = problems_for(box_project)
    assert "designs/box/design.yaml: id: 'other' differs from the folder name 'box'" in problem


def test_default_must_match_the_script(box_project):
    edit_box(box_project, lambda d: d["parameters"]["width"].update(default=30))
    [problem] = problems_for(box_project)
    assert "parameters.width.default: 30 differs from the script's width = 20.0" in problem


def test_script_parameter_missing_from_metadata_is_named(box_project):
    edit_box(box_project, lambda d: d["parameters"].pop("height"))
    [problem] = problems_for(box_project)
    assert "sets parameter 'height'" in problem and "does not declare it" in problem


def test_declared_parameter_missing_from_script_is_named(box_project):
    edit_box(box_project, lambda d: d["parameters"].update(fillet={"default": 1, "unit": "mm", "min": 0, "max": 2, "description": "x"}))
    [problem] = problems_for(box_project)
    assert "parameters.fillet" in problem and "no top-level assignment" in problem


def test_one_bad_design_does_not_hide_the_others(tmp_path):
    root = make_project(tmp_path, [FIXTURES / "designs" / "box", FIXTURES / "designs" / "raises"])
    (root / "designs/raises/design.yaml").write_text("id: raises\n")
    sources, _ = discover(root / "designs")
    designs, problems = validate(sources, root)
    assert [d.slug for d in designs] == ["box"]
    assert all(str(p).startswith("designs/raises/design.yaml") for p in problems)


def test_every_real_design_is_valid():
    sources, found = discover(REPO / "designs")
    designs, invalid = validate(sources, REPO)
    assert found + invalid == [] and len(designs) >= 3


def test_every_field_the_schema_allows_has_a_typed_attribute_of_the_same_name():
    """A field added to the schema needs its attribute in pipeline/model.py: typed_design refuses unknown keys."""
    import dataclasses
    import types
    import typing

    from pipeline.model import Design, Parameter, Variant
    from pipeline.source.validate import load_schema

    schema = load_schema()

    def resolve(node):
        return schema["$defs"][node["$ref"].rsplit("/", 1)[-1]] if "$ref" in node else node

    def check(node, cls, where):
        fields = {f.name for f in dataclasses.fields(cls)}
        hints = typing.get_type_hints(cls)
        for name, spec in resolve(node).get("properties", {}).items():
            assert name in fields, f"{where}.{name} has no attribute in {cls.__name__}"
            spec, hint = resolve(spec), hints[name]
            for option in typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,):
                listed = typing.get_origin(option) is tuple  # a list in the YAML
                item = typing.get_args(option)[0] if listed else option
                if dataclasses.is_dataclass(item) and item not in (Parameter, Variant):  # built by validate
                    check(resolve(spec["items"]) if listed else spec, item, f"{where}.{name}")

    check(schema, Design, "design.yaml")
