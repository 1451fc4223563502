"""Ways of making as one contract (pipeline/making/): a method that lives in the tests alone, registered for one
build, appears everywhere a design's files are listed, with no edit outside its own code; cut designs are not
printed; design.yaml's made_by is checked."""
from __future__ import annotations

import hashlib
import json
import os
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

from pipeline.built import BuildReport
from pipeline.catalogue import BuildConfig, build_catalogue
from pipeline.forking import side_by_side
from pipeline.making import METHODS, MachineFigures, MadeFile, MadeVariant, register_built_in
from pipeline.making.contract import FILE_ROLES, WayOfMaking
from pipeline.model import Problem, Text, variant_stem

from .conftest import FIXTURES, REPO, edit_box, make_project, problems_for


class Stencil:
    """A toy way of making: one SVG stencil per variant, the variant's outer size as a rectangle."""

    name = "stencil"
    title = Text("Stencil", "Pochoir")
    process = "stencil cutting"
    tsdc = None
    design_block = None

    def uses(self, design) -> bool:
        return self.name in design.made_by

    def make(self, artifacts, config, report) -> dict[str, MadeVariant]:
        made = {}
        for artifact in artifacts:
            x, y, _ = artifact.facts.bounding_box_mm
            data = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{x:g}mm" height="{y:g}mm">'
                    f'<rect width="{x:g}" height="{y:g}"/></svg>\n').encode()
            source = config.cache_dir / "stencils" / f"{hashlib.sha256(data).hexdigest()}.svg"  # content-addressed
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_bytes(data)
            stem = variant_stem(artifact.job.design.slug, artifact.job.variant.name)
            made[artifact.job.key] = MadeVariant(
                self.name, (MadeFile(source, f"{stem}-stencil.svg", "pattern", Text("Stencil, SVG", "Pochoir, SVG")),),
                (MachineFigures(self.name, "sewer", "scissors", Text("Scissors", "Ciseaux"), 60.0, 480.0,
                                Text("one sheet", "une feuille")),))
        return made

    def section_anchor(self, lang: str) -> str:
        return "stencil"

    def page_section(self, published, made, context) -> str:
        title = "Pochoir" if context["lang"] == "fr" else "Stencil"
        links = "".join(f'<a href="{context["link"](d)}">{d.name}</a>\n' for m in made for d in m.downloads)
        return f"## {title} {{#stencil}}\n\n{links}\n"

    def catalogue_entry(self, made, site):
        return {"stencil": made.downloads[0].name}

    def documents(self, published, site) -> dict[str, str]:
        return {}


@pytest.fixture(scope="module")
def stencil_build(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("stencil") / "project", [FIXTURES / "designs" / "box"])
    edit_box(root, lambda data: data.update(made_by=["printing", "stencil"]))
    register_built_in()
    METHODS.register(Stencil())
    try:
        report = build_catalogue(BuildConfig(root=root, workers=2, site=False, production=False))
    finally:
        METHODS.unregister("stencil")
    assert report.ok, [str(p) for p in report.problems]
    return root


def test_the_toy_method_fulfils_the_contract():
    assert isinstance(Stencil(), WayOfMaking)


@pytest.mark.parametrize("variant", ["small", "wide"])
def test_a_toy_way_of_making_appears_in_sha256sums_pages_zip_catalogue_and_okh(stencil_build, variant):
    root = stencil_build
    folder = root / "catalogue" / "downloads" / "box"
    name = f"box-{variant}-stencil.svg"
    sha = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    assert f"{sha}  {name}\n" in (folder / "SHA256SUMS").read_text()
    for lang, heading in (("en", "## Stencil"), ("fr", "## Pochoir")):
        page = (root / "catalogue" / lang / "designs" / "box.md").read_text()
        assert heading in page and f">{name}</a>" in page  # the method's own section
        assert f"{sha}  {name}" in page  # the page's checksum list
    with zipfile.ZipFile(folder / "box.zip") as bundle:
        assert bundle.read(f"box/stencil/{name}") == (folder / name).read_bytes()
    catalogue = json.loads((root / "catalogue" / "catalogue.json").read_text())
    entry = next(v for d in catalogue["designs"] if d["slug"] == "box" for v in d["variants"] if v["name"] == variant)
    assert entry["stencil"] == {"stencil": name}
    assert [(f["name"], f["role"], f["sha256"]) for f in entry["made"]] == [(name, "pattern", sha)]
    assert entry["machines"][0]["kind"] == "sewer" and entry["machines"][0]["units_per_day"] == 480.0
    okh = tomllib.loads((folder / "okh.toml").read_text())
    part = next(p for p in okh["part"] if p["name"].endswith(f"({variant})"))
    assert any(url.endswith(f"/{name}") for url in part["export"])
    assert part["stencil"] == {"stencil": name} and "stencil cutting" in okh["manufacturing-process"]


class NotedStencil(Stencil):
    """The toy method, which also finds one problem in every variant but the first and notes the process it ran in."""

    def make(self, artifacts, config, report) -> dict[str, MadeVariant]:
        (config.root / "stencil-pid").write_text(str(os.getpid()))
        report.problems += [Problem.at("no stencil for this one", file="designs/box/design.yaml", design="box",
                                       variant=a.job.variant.name) for a in artifacts[1:]]
        return super().make(artifacts[:1], config, report)


class BrokenStencil(Stencil):
    def make(self, artifacts, config, report) -> dict[str, MadeVariant]:
        raise ZeroDivisionError("the stencil method's own bug")


def _build_with(method, root: Path) -> BuildReport:
    register_built_in()
    METHODS.register(method)
    try:
        return build_catalogue(BuildConfig(root=root, workers=2, site=False, production=False))
    finally:
        METHODS.unregister(method.name)


def test_ways_of_making_side_by_side_report_what_they_report_in_turn(tmp_path, monkeypatch):
    """The methods (and the pictures) run in forked copies of the build when they can: the same problems, in the
    same order, the same catalogue, and each method's own stage time."""
    root = make_project(tmp_path / "project", [FIXTURES / "designs" / "box"])
    edit_box(root, lambda data: data.update(made_by=["printing", "stencil"]))
    side_by_side = _build_with(NotedStencil(), root)
    forked_pid = int((root / "stencil-pid").read_text())
    catalogue = (root / "catalogue" / "catalogue.json").read_bytes()
    monkeypatch.setattr("pipeline.forking.can_fork", lambda: False)
    in_turn = _build_with(NotedStencil(), root)
    assert forked_pid != os.getpid() and int((root / "stencil-pid").read_text()) == os.getpid()
    assert [str(p) for p in side_by_side.problems] == [str(p) for p in in_turn.problems] == [
        "designs/box/design.yaml [wide]: no stencil for this one"]
    assert (root / "catalogue" / "catalogue.json").read_bytes() == catalogue
    assert side_by_side.side_by_side == ("printing", "stencil", "thumbnails") and not in_turn.side_by_side
    assert {"printing", "stencil", "thumbnails"} <= side_by_side.timings.keys() & side_by_side.cpu_timings.keys()


def test_a_way_of_making_that_breaks_stops_the_build_with_its_own_error(tmp_path):
    root = make_project(tmp_path / "project", [FIXTURES / "designs" / "box"])
    edit_box(root, lambda data: data.update(made_by=["printing", "stencil"]))
    with pytest.raises(ZeroDivisionError, match="the stencil method's own bug") as raised:
        _build_with(BrokenStencil(), root)
    assert any(note.startswith("raised in the forked copy running stencil") and "ZeroDivisionError" in note
               for note in raised.value.__notes__)


def test_a_forked_copy_returns_its_value_and_its_own_cpu_time():
    def busy() -> int:
        end = time.process_time() + 0.3
        while time.process_time() < end:
            pass
        return os.getpid()

    records = [Text("one record", "un"), Text("another", "une autre")]
    done = side_by_side({"busy": busy, "idle": lambda: ("idle", records[1], Text("made there"))}, shared=records)
    assert done["busy"].value != os.getpid() and done["idle"].value[0] == "idle"
    assert done["idle"].value[1] is records[1]  # a shared record comes back as this process's own object
    assert done["idle"].value[2] == Text("made there")
    here = side_by_side({"here": os.getpid, "there": os.getpid}, first_here=True)
    assert list(here) == ["here", "there"] and here["here"].value == os.getpid() != here["there"].value
    assert done["busy"].cpu_seconds >= 0.25 > done["idle"].cpu_seconds  # os.times counts in ticks of 10 ms


def test_every_file_a_way_of_making_publishes_goes_to_the_download_host_unless_pages_show_it():
    from pipeline.model import Download
    from pipeline.siteinfo import SiteInfo

    site = SiteInfo("https://x.example/", None, "https://host.example/")
    for role, facts in FILE_ROLES.items():
        download = Download(f"downloads/x/x.{role}", 1, "ab" * 32, role=role)
        assert site.is_hosted(download) is not facts.shown, role


def test_a_made_file_with_an_unknown_role_is_refused():
    with pytest.raises(ValueError, match="unknown file role 'stl'; known: model"):
        MadeFile(Path("x"), "x.stl", "stl", Text("x"))


def test_an_unknown_way_of_making_is_one_problem_naming_the_known_ones(tmp_path):
    root = make_project(tmp_path / "project", [FIXTURES / "designs" / "box"])
    edit_box(root, lambda data: data.update(made_by=["printing", "knitting"]))
    report = build_catalogue(BuildConfig(root=root, workers=1, site=False, production=False))
    known = ", ".join(register_built_in().names())
    assert known.startswith("printing, cutting")
    assert [str(p) for p in report.problems] == [
        f"designs/box/design.yaml: made_by: 'knitting' is no way of making this build knows; known: {known}"]
    assert report.problems[0].design == "box" and not report.designs


def test_print_settings_are_refused_of_a_design_that_is_not_printed(tmp_path):
    root = make_project(tmp_path / "project", [FIXTURES / "designs" / "box"])
    edit_box(root, lambda data: data.update(made_by=["cutting"], cutting={"parts": [
        {"name": "box", "title": "Box", "material": "PMMA", "thickness_mm": 5}]}))
    problems = problems_for(root)
    assert any("print_settings is only for a printed design: add printing to made_by, or remove print_settings" in p
               for p in problems), problems
    assert any("materials (the filaments) is only for a printed design" in p for p in problems), problems


def test_a_printed_design_must_give_print_settings(tmp_path):
    root = make_project(tmp_path / "project", [FIXTURES / "designs" / "box"])
    edit_box(root, lambda data: data.pop("print_settings"))
    assert any("'print_settings' is missing (required)" in p for p in problems_for(root))


def test_a_cut_block_is_refused_of_a_design_not_cut(tmp_path):
    root = make_project(tmp_path / "project", [FIXTURES / "designs" / "box"])
    edit_box(root, lambda data: data.update(cutting={"parts": [
        {"name": "box", "title": "Box", "material": "PMMA", "thickness_mm": 5}]}))
    assert any("cutting is only for a laser-cut design: add cutting to made_by" in p for p in problems_for(root))


def test_the_laser_visor_is_cut_and_not_printed_and_the_laser_ear_saver_is_both():
    import yaml

    visor = yaml.safe_load((REPO / "designs" / "visor-laser-cut" / "design.yaml").read_text())
    assert visor["made_by"] == ["cutting"] and "print_settings" not in visor and "materials" not in visor
    ear_saver = yaml.safe_load((REPO / "designs" / "ear-saver-laser-cut" / "design.yaml").read_text())
    assert ear_saver["made_by"] == ["cutting", "printing"] and "print_settings" in ear_saver


@pytest.fixture(scope="module")
def laser_visor(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("laser-visor") / "project", [REPO / "designs" / "visor-laser-cut"])
    report = build_catalogue(BuildConfig(root=root, workers=2, site=False))  # production on: nothing to slice
    assert report.ok, [str(p) for p in report.problems]
    return root, report


def test_the_laser_visor_runs_no_slicer_and_its_pages_have_no_print_section(laser_visor):
    root, report = laser_visor
    assert report.slicer_runs == 0 and report.slices_cached == 0 and "printing" not in report.timings
    for lang, absent in (("en", ("## Print it", "## Makers' print reports", "## Production", "build.py report")),
                         ("fr", ("## L'imprimer", "## Comptes rendus d'impression", "## Production", "build.py report"))):
        page = (root / "catalogue" / lang / "designs" / "visor-laser-cut.md").read_text()
        assert [text for text in absent if text in page] == [], lang
        assert ("## Cutting" if lang == "en" else "## Découpe") in page
    assert not list((root / "catalogue" / "downloads" / "visor-laser-cut").glob("*-plate-*"))


def test_the_laser_visor_states_its_mass_in_acrylic_and_petg(laser_visor):
    root, _ = laser_visor
    catalogue = json.loads((root / "catalogue" / "catalogue.json").read_text())
    adult = catalogue["designs"][0]["variants"][0]
    assert set(adult["mass_g"]) == {"PMMA", "PETG"} and adult["solid_mass_g"] == {}
    # the shield: a 285 × 198 mm sheet of 0.5 mm PETG (1.27 g/cm³) less its four holes
    assert 35 < adult["mass_g"]["PETG"] < 285 * 198 * 0.5 / 1000 * 1.27
    page = (root / "catalogue" / "en" / "designs" / "visor-laser-cut.md").read_text()
    assert f"{adult['mass_g']['PMMA']:.1f} g PMMA" in page and "partial infill" not in page


def test_the_planners_shopping_list_for_the_laser_visor_names_the_acrylic_the_petg_sheet_and_the_elastic(laser_visor):
    root, _ = laser_visor
    planner = json.loads((root / "catalogue" / "production.json").read_text())
    bom = planner["designs"][0]["bom"]["adult"]
    names = {line["name"]["en"]: line for line in bom}
    assert {"Acrylic (PMMA, cast), 5 mm", "PETG sheet, 0.5 mm", "Flat elastic"} <= set(names)
    assert names["PETG sheet, 0.5 mm"]["quantity_per_unit"] == 1.0  # one A4 sheet a shield
    assert 0 < names["Acrylic (PMMA, cast), 5 mm"]["quantity_per_unit"] < 1  # several frames a sheet
    assert not any(line["kind"] == "printed" for line in bom)


def test_a_print_report_is_refused_for_a_design_that_is_not_printed(tmp_path):
    from pipeline.commands.one_design import CommandError
    from pipeline.commands.print_report import write_print_report_form
    from pipeline.config import Limits

    root = make_project(tmp_path / "project", [REPO / "designs" / "visor-laser-cut"])
    config = BuildConfig(root=root, workers=1, limits=Limits(), site=False)
    with pytest.raises(CommandError, match="visor-laser-cut is not printed .*made_by: cutting"):
        write_print_report_form(config, "visor-laser-cut", None)
    assert not (root / "reports").exists()
