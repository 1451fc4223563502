"""Existing CadQuery scripts, as CQ-editor and cq-cli take them, adopted unchanged with `build.py new --from`.

The fixtures in tests/fixtures/scripts/ are our own, with the features of
CadQuery's examples that the catalogue used to refuse: a boolean, camelCase
names, a string choice, no parameters at all, several show_object() calls.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import build as cli
from pipeline.categories import CATEGORIES

from .conftest import FIXTURES, build, make_project, problems_for

SCRIPTS = FIXTURES / "scripts"
CATEGORY_HINT = ", ".join(list(CATEGORIES)[:-1]) + " or " + list(CATEGORIES)[-1]  # as `new --from` words it
ANSWERS = {"a short title in English": "Adopted part", "the title in French": "Pièce adoptée",
           "one or two sentences - what the part is and who it is for": "A part adopted from a CadQuery script.",
           CATEGORY_HINT: "adapter", "who wrote the script": "Tests",
           "mm, deg, count or ratio": "mm", "the smallest value that still makes a good part": 1,
           "the largest value that still makes a good part": 10, "every other value the script accepts": "square",
           "what it changes on the part": "What it changes."}


def fill_in(data):
    """Answer every FILL IN as a contributor would."""
    if isinstance(data, dict):
        return {k: fill_in(v) for k, v in data.items()}
    if isinstance(data, list):
        return [fill_in(v) for v in data]
    if isinstance(data, str) and data.startswith("FILL IN: "):
        hint = data.removeprefix("FILL IN: ")
        return "CC0-1.0" if hint.startswith("the SPDX id") else ANSWERS[hint]
    return data


def adopt(root: Path, slug: str, script: str, capsys, change=lambda data: None) -> Path:
    assert cli.main(["--root", str(root), "new", slug, "--from", str(SCRIPTS / script)]) == 0
    capsys.readouterr()
    path = root / "designs" / slug / "design.yaml"
    data = fill_in(yaml.safe_load(path.read_text(encoding="utf-8")))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_new_from_copies_the_script_and_declares_every_parameter_with_its_kind(tmp_path, capsys):
    root = make_project(tmp_path, [])
    assert cli.main(["--root", str(root), "new", "peg-plate", "--from", str(SCRIPTS / "peg_plate.py")]) == 0
    folder = root / "designs/peg-plate"
    assert (folder / "peg_plate.py").read_bytes() == (SCRIPTS / "peg_plate.py").read_bytes()
    declared = yaml.safe_load((folder / "design.yaml").read_text())["parameters"]
    assert {name: (spec.get("type", "number"), spec["default"]) for name, spec in declared.items()} == {
        "pegsLong": ("number", 2), "thin": ("boolean", True), "pegDiam": ("number", 4.8), "pegShape": ("string", "round")}
    assert "PITCH" not in declared  # UPPER_CASE: a fixed constant


def test_check_names_each_field_still_to_fill_in_with_its_line(tmp_path, capsys):
    root = make_project(tmp_path, [])
    cli.main(["--root", str(root), "new", "peg-plate", "--from", str(SCRIPTS / "peg_plate.py")])
    capsys.readouterr()
    assert cli.main(["--root", str(root), "check", "peg-plate"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"designs/peg-plate/design.yaml:\d+: parameters.pegDiam.unit: still to fill in: mm, deg, count or ratio", out)
    assert re.search(r"design.yaml:\d+: parameters.pegShape.choices\[1\]: still to fill in: every other value", out)
    assert re.search(r"design.yaml:\d+: licence: still to fill in: the SPDX id", out)
    assert "is not allowed" not in out  # a field to fill is named once, not also as a schema error


@pytest.fixture(scope="module")
def adopted(tmp_path_factory):
    """The three adopted scripts, filled in, built with the real pipeline and site in one go."""
    root = make_project(tmp_path_factory.mktemp("adopted"), [])
    capsys = _NoCapture()

    def more_variants(data):
        data["variants"].append({"name": "thick-square", "description": "Thick, square pegs.",
                                 "parameters": {"thin": False, "pegShape": "square", "pegsLong": 3}})
        data["parameters"]["pegDiam"]["label"] = "Peg diameter"

    adopt(root, "peg-plate", "peg_plate.py", capsys, more_variants)
    adopt(root, "fixed-block", "fixed_block.py", capsys)
    adopt(root, "case-halves", "case_halves.py", capsys)
    return root, build(root, production=False)  # about the scripts' parameters and parts, not their plates


class _NoCapture:
    def readouterr(self):
        return None


def test_a_boolean_a_camel_case_name_and_a_string_choice_build(adopted):
    root, report = adopted
    assert report.ok, report.problems
    built = {a.job.label: a for a in report.artifacts}
    thin, thick = built["peg-plate/standard"], built["peg-plate/thick-square"]
    assert thick.facts.bounding_box_mm[2] > thin.facts.bounding_box_mm[2]  # thin = False is a thicker plate
    assert thick.facts.bounding_box_mm[0] > thin.facts.bounding_box_mm[0]  # three pegs long
    page = (root / "site/en/designs/peg-plate/index.html").read_text()
    assert "Peg diameter (<code>pegDiam</code>)" in page
    words = re.sub(r"<[^>]+>", "", page)
    assert ".venv/bin/python build.py export designs/peg-plate -p pegsLong=3 -p thin=false -p pegShape=square  # thick-square" in words


def test_a_script_with_no_parameters_builds_and_says_so(adopted):
    root, report = adopted
    assert "fixed-block/standard" in {a.job.label for a in report.artifacts}
    assert "This design has no parameters" in (root / "site/en/designs/fixed-block/index.html").read_text()


def test_several_show_object_calls_make_a_variant_of_several_parts(adopted):
    _, report = adopted
    [halves] = [a for a in report.artifacts if a.job.design.slug == "case-halves"]
    assert halves.facts.shown_objects == 2 and halves.facts.solids == 2


def test_a_string_outside_its_choices_is_named_with_the_allowed_values(tmp_path, capsys):
    root = make_project(tmp_path, [])
    adopt(root, "peg-plate", "peg_plate.py", capsys, lambda data: data["variants"][0].setdefault("parameters", {})
          .update(pegShape="hexagon", thin="yes"))
    problems = problems_for(root)
    assert any(p.endswith("variants[0] (standard).parameters.pegShape: 'hexagon' is not an allowed value of pegShape; "
                          "allowed: round, square") for p in problems), problems
    assert any(p.endswith("variants[0] (standard).parameters.thin: 'yes' is not true or false; thin is a boolean")
               for p in problems), problems


def test_export_takes_booleans_and_strings_on_the_command_line(adopted, tmp_path, capsys):
    root, _ = adopted
    code = cli.main(["--root", str(root), "export", "peg-plate", "-p", "thin=false", "-p", "pegShape=square",
                     "-o", str(tmp_path)])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["peg-plate-standard-pegshapesquare-thinfalse.step",
                                                          "peg-plate-standard-pegshapesquare-thinfalse.stl"]
