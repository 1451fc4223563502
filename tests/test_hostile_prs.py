"""Hostile pull requests (issue 29, "the wall, third round"): what a pull request's texts and files can do
outside the script, one test (or a few) per numbered item of the issue.

1. contributor, maker and reviewer text never executes on any page, in Chromium; CSV cells are never formulas;
2. a review record's commit must exist, be an ancestor of HEAD and hold the design: hashes alone raise nothing;
3. committed symlinks are refused, never followed out of the repository;
6. rules and quantities are evaluated bounded: a problem line, never a hang or a traceback.
Items 4 and 5 (the static check and the wall's limits) are in tests/test_cad_hostile_designs.py and
tests/test_cad_wall.py.
"""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from pipeline.catalogue import BuildConfig, build_catalogue
from pipeline.config import Limits
from pipeline.source.discover import discover
from pipeline.source.validate import validate

from .conftest import FIXTURES, build, make_project

BOX = FIXTURES / "designs" / "box"


def payload(n: int) -> str:
    """Every way a text has been shown to run script on our pages; each calls __xss(n) if it runs."""
    return (f'<script>__xss({n})</script> <img src=x onerror="__xss({n})"> '
            f'{{: autofocus onfocus="__xss({n})" }} ![](https://x.invalid/x.png){{: onerror="__xss({n})" }} '
            f'<div style="position:fixed;inset:0;z-index:99" onmousemove="__xss({n})">over</div> '
            f'[javascript link](javascript:__xss({n})) [data link](data:text/html,<script>__xss({n})</script>) '
            f'<a href="javascript:__xss({n})">a</a> hostile{n}word')


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True


def dumped(data: object) -> str:
    return yaml.dump(data, Dumper=_NoAliases, sort_keys=False, allow_unicode=True)


def short(n: int) -> str:
    """For fields the schema keeps short (labels, choices)."""
    return f"<img src=x onerror=__xss({n})>{{: onclick=__xss({n})}}"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=Tests", "-c", "user.email=tests@example.invalid",
                           *args], check=True, capture_output=True, text=True).stdout.strip()


HOSTILE_SCRIPT = '''"""A box whose every text is hostile."""
import cadquery as cq

width = 20.0  # mm
finish = "plain"

result = cq.Workplane("XY").box(width, 10, 5)
show_object(result)
'''


def hostile_design(root: Path) -> None:
    """designs/hostile/: a valid design with hostile text in every free-text field design.yaml has."""
    folder = root / "designs" / "hostile"
    folder.mkdir(parents=True)
    (folder / "hostile.py").write_text(HOSTILE_SCRIPT)
    text = {"en": payload(1), "fr": payload(2)}
    data = {
        "id": "hostile", "title": {"en": "Hostile box", "fr": "Boîte hostile"}, "summary": text,
        "category": "adapter", "licence": "CC-BY-4.0",
        "authors": [{"name": payload(3), "url": "https://example.org/a_b?c=d&e=<f>"}],
        "script": "hostile.py",
        "parameters": {
            "width": {"default": 20.0, "unit": "mm", "min": 5, "max": 100, "description": text, "label": short(4)},
            "finish": {"type": "string", "default": "plain", "choices": ["plain", short(5)],
                       "description": text, "label": short(6)},
        },
        "variants": [{"name": "small", "description": text},
                     {"name": "odd", "description": text, "parameters": {"finish": short(5)}}],
        "materials": [{"name": "PLA", "notes": text}],
        "print_settings": {"nozzle_mm": 0.4, "layer_height_mm": 0.2, "perimeters": 2, "infill_percent": 20,
                           "supports": False, "notes": text},
        "intended_use": text, "regulatory_status": text, "hygiene": text,
        "provenance": {"origin": "remix", "notes": text,
                       "remix_of": {"title": payload(8), "url": "https://example.org/original", "licence": "CC-BY-4.0",
                                    "authors": payload(9)}},
        "bom": {"unit": text, "note": text, "items": [
            {"name": text, "quantity": 2, "unit": "pieces", "specification": {"en": "=HYPERLINK(\"https://x\")",
                                                                              "fr": payload(10)},
             "note": text, "substitutes": [text]}]},
        "steps": [{"text": text, "warning": text, "alt": text, "view": "iso"}],
        "changelog": [{"version": "1.0", "changes": text}],
    }
    (folder / "design.yaml").write_text(dumped(data))


def hostile_report(root: Path) -> None:
    """reports/box/: an ordinary print report of the unchanged box, every field of text hostile."""
    (root / "reports" / "box").mkdir(parents=True)
    report = {"maker": {"name": short(20), "url": "https://example.org/maker"}, "date": "2026-05-02",
              "variant": "small", "printed_file": {"name": "box-small.stl", "sha256": "0" * 64},
              "printer": short(21), "slicer": short(22), "material": short(23),
              "settings": {"layer_height_mm": 0.2, "brim": payload(24)}, "result": "worked", "notes": payload(25)}
    (root / "reports" / "box" / "2026-05-02-hostile.yaml").write_text(yaml.safe_dump(report, allow_unicode=True))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("hostile"), [BOX])
    hostile_design(root)
    hostile_report(root)
    title = root / "designs" / "hostile-title"
    shutil.copytree(BOX, title)
    meta = yaml.safe_load((title / "design.yaml").read_text())
    meta.update(id="hostile-title", title={"en": "Box <img src=x onerror=__xss(30)>", "fr": "Boîte"})
    (title / "design.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True))
    tags = root / "designs" / "tags.yml"
    tags.write_text(tags.read_text() + 'adapter: "<img src=x onerror=__xss(31)>"\n')
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "the designs")
    build(root, site=False)  # the hostile design's files, for a review that matches them
    hostile_review(root, git(root, "rev-parse", "HEAD"), sha256sums(root, "hostile"))
    report = build(root)
    return root, report


def hostile_review(root: Path, commit: str, sums: dict[str, str]) -> None:
    """reviews/hostile/: a review record that holds (its commit and hashes are right), every text hostile."""
    record = {"reviewer": {"name": short(40), "kind": "lab", "url": "https://example.org/lab?a=1&b=<c>"},
              "date": "2026-05-01", "scope": "community-test",
              "scope_detail": {"en": payload(41), "fr": payload(42)},
              "findings": {"en": payload(43), "fr": payload(44)},
              "reviewed": {"version": "1.0", "variant": "small", "parameters": {"width": 20.0, "finish": "plain"},
                           "commit": commit,
                           "files": {name: sums[name] for name in ("hostile-small.stl", "hostile-small.step")}}}
    (root / "reviews" / "hostile").mkdir(parents=True)
    (root / "reviews" / "hostile" / "2026-05-01-lab.yaml").write_text(dumped(record))


def test_a_hostile_title_and_tag_name_are_one_problem_each_and_the_rest_publishes(hostile_site):
    root, report = hostile_site
    lines = [str(p) for p in report.problems]
    assert any(line.startswith("designs/hostile-title/design.yaml:") and "title" in line for line in lines), lines
    assert any(line.startswith("designs/tags.yml: adapter") for line in lines), lines
    assert (root / "site/en/designs/hostile/index.html").is_file()
    assert (root / "site/en/designs/box/index.html").is_file()
    assert not (root / "site/en/designs/hostile-title").exists()


def test_no_hostile_markup_reaches_any_built_page(hostile_site):
    root, _ = hostile_site
    pages = list((root / "site").rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for needle in ("<script>__xss", "onerror=\"__xss", "onfocus=\"__xss", "onmousemove=\"__xss",
                       "href=\"javascript:", "href=\"data:", "<img src=\"x\""):
            assert needle not in html, f"{page}: {needle}"
    shown = (root / "site/en/designs/hostile/index.html").read_text()
    assert "hostile1word" in shown and "hostile3word" in shown and "__xss(5)" in shown  # shown, as text
    assert "hostile25word" in (root / "site/en/designs/box/index.html").read_text()
    assert "hostile43word" in shown and "hostile44word" in (root / "site/fr/designs/hostile/index.html").read_text()


def test_the_bom_csv_never_holds_a_formula(hostile_site):
    root, _ = hostile_site
    for path in (root / "catalogue/downloads/hostile").glob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path.name, cell)


@pytest.mark.browser
def test_no_hostile_text_executes_in_chromium(hostile_site):
    from playwright.sync_api import sync_playwright

    from .test_site_browser import CHROMIUM, CHROMIUM_ARGS, serve_site  # the suite's browser and server

    root, _ = hostile_site
    paths = [p.relative_to(root / "site").as_posix() for p in (root / "site").rglob("index.html")
             if "/assets/" not in p.as_posix()]
    with serve_site(root / "site") as base, sync_playwright() as playwright:
        # its own Chromium, closed with this test: later builds in this file fork, and Playwright's watcher thread
        # must be gone by then
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script("window.__fired = []; window.__xss = n => window.__fired.push(n); "
                                "window.alert = () => window.__fired.push('alert');")
        page = context.new_page()
        fired: list = []
        for path in sorted(paths):
            page.goto(base + path)
            page.wait_for_load_state("load")
            for x, y in ((10, 10), (640, 450), (1200, 880)):
                page.mouse.move(x, y)
            for _ in range(5):
                page.keyboard.press("Tab")
            for link in page.query_selector_all("a[href^='javascript:'], a[href^='data:']"):
                fired.append(f"{path}: link {link.get_attribute('href')}")
            fired += [f"{path}: {n}" for n in page.evaluate("window.__fired")]
        for lang in ("en", "fr"):  # the search results show the hostile texts too
            page.goto(f"{base}{lang}/")
            page.fill("input[name=query]", "hostile1word hostile2word")
            page.wait_for_timeout(1500)
            page.mouse.move(300, 300)
            fired += [f"{lang} search: {n}" for n in page.evaluate("window.__fired")]
        chromium.close()
    assert len(paths) > 10
    assert fired == []


# 6. Unbounded evaluation in the build process itself: each a problem line for its design, quickly.

def box_with(tmp_path: Path, **changes) -> list[str]:
    """The box fixture with `changes` to its design.yaml, validated beside the plain box: the problem lines."""
    root = make_project(tmp_path / "project", [BOX])
    hostile = root / "designs" / "hostile"
    shutil.copytree(BOX, hostile)
    meta = yaml.safe_load((hostile / "design.yaml").read_text())
    meta.update(id="hostile", **changes)
    (hostile / "design.yaml").write_text(dumped(meta))
    sources, problems = discover(root / "designs")
    designs, found = validate(sources, root)
    assert [d.slug for d in designs] == ["box"]  # the other design is untouched
    return [str(p) for p in problems + found]


def test_a_rule_with_a_tower_of_powers_is_a_problem_not_a_hang(tmp_path):
    lines = box_with(tmp_path, rules=[{"check": "width < 10**10**9", "message": "Huge."}])
    assert len(lines) == 1 and lines[0].startswith("designs/hostile/design.yaml:") and "cannot be evaluated" in lines[0]


def test_a_quantity_of_three_thousand_signs_is_a_problem_not_a_recursion_error(tmp_path):
    """Python's parser takes `---...1` (no brackets); our evaluation recursed into it and crashed build.py."""
    bom = {"unit": "one box", "items": [{"name": "Screw", "unit": "pieces", "specification": "M3",
                                         "quantity": "-" * 3000 + "1"}]}
    lines = box_with(tmp_path, bom=bom)
    assert len(lines) == 1 and "bom" in lines[0] and "quantity" in lines[0], lines


def test_sheet_holes_far_outside_any_sheet_are_refused_by_the_schema(tmp_path):
    sheet = {"name": "A4 sheet", "holes_mm": [-1.0e308, 1.0e308], "hole_diameter_mm": 5, "thickness_mm": [0.2, 0.5],
             "size_mm": [297, 210], "hole_edge_mm": 10}
    lines = box_with(tmp_path, sheet=sheet)
    assert lines and all("sheet.holes_mm" in line for line in lines), lines


# 3. Committed symlinks: refused, never followed out of the repository.

SECRET = "hostile-secret-4f1c2a"


def published_bytes(root: Path) -> dict[str, bytes]:
    """Every file the build published (downloads and pages), zips opened: what could carry a secret out."""
    out = {}
    for path in sorted((root / "catalogue").rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[path.relative_to(root).as_posix()] = path.read_bytes()
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as bundle:
                    out |= {f"{path.relative_to(root)}!{n}": bundle.read(n) for n in bundle.namelist()}
    return out


@pytest.fixture(scope="module")
def secret(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.txt").write_text(f"{SECRET}\n")
    (folder / "report.yaml").write_text(f"maker: {{name: {SECRET}}}\n")
    return folder


def test_a_symlinked_licence_is_a_problem_and_never_published(tmp_path, secret):
    root = make_project(tmp_path / "project", [BOX])
    hostile = root / "designs" / "hostile"
    shutil.copytree(BOX, hostile)
    (hostile / "design.yaml").write_text((BOX / "design.yaml").read_text().replace("id: box", "id: hostile"))
    (hostile / "LICENSE").symlink_to(secret / "secret.txt")
    report = build(root, site=False)
    assert [str(p) for p in report.problems] == [
        "designs/hostile/LICENSE: is a symlink; commit the file itself: the build never follows a link out of the "
        "design's folder"]
    assert [d.slug for d in report.designs] == ["box"]
    assert not any(SECRET.encode() in data for data in published_bytes(root).values())


def test_a_symlinked_reports_folder_is_a_problem_and_never_read(tmp_path, secret):
    root = make_project(tmp_path / "project", [BOX])
    (root / "reports").mkdir()
    (root / "reports" / "box").symlink_to(secret, target_is_directory=True)
    report = build(root, site=False)
    assert [str(p) for p in report.problems] == [
        "reports/box: is a symlink; commit the file itself: the build never follows a link out of the repository"]
    assert not any(SECRET.encode() in data for data in published_bytes(root).values())


def test_the_other_designs_publish_byte_identical_beside_hostile_ones(tmp_path, hostile_site):
    """The plain box, built alone, publishes the same bytes as beside every hostile design and record above
    (its page aside: the hostile print report is about the box and shows on it, escaped)."""
    alone = make_project(tmp_path / "alone", [BOX])
    build(alone, site=False)
    hostile_root, _ = hostile_site
    mine = {k: v for k, v in published_bytes(alone).items() if "/downloads/box/" in k and "okh.toml" not in k}
    theirs = {k: v for k, v in published_bytes(hostile_root).items() if k in mine}
    assert mine and mine == theirs


# 2. Forged trust: a review record's commit must exist, be on main and hold the design.

CLINICAL = """reviewer: {{name: Forged Lab, kind: lab, url: "https://forged.example/"}}
date: 2026-05-01
scope: clinical-assessment
findings: {{en: "Assessed."}}
reviewed:
  version: "1.0"
  variant: small
  parameters: {{width: 20.0, depth: 10.0, height: 5.0}}
  commit: "{commit}"
  files:
{files}"""


def sha256sums(root: Path, slug: str = "box") -> dict[str, str]:
    lines = (root / "catalogue/downloads" / slug / "SHA256SUMS").read_text().splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines)}


def reviewed_files(sums: dict[str, str]) -> str:
    return "".join(f"    {name}: {sums[name]}\n" for name in ("box-small.stl", "box-small.step"))


@pytest.fixture
def box_on_main(tmp_path) -> Path:
    root = make_project(tmp_path / "project", [BOX])
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "the box")
    assert build(root, site=False).ok
    return root


def test_hashes_copied_from_sha256sums_with_a_made_up_commit_raise_no_status(box_on_main):
    root = box_on_main
    (root / "reviews/box").mkdir(parents=True)
    record = root / "reviews/box/2026-05-01-forged.yaml"
    record.write_text(CLINICAL.format(commit="0" * 40, files=reviewed_files(sha256sums(root))))
    report = build(root, site=False)
    assert [str(p) for p in report.problems] == [
        "reviews/box/2026-05-01-forged.yaml: reviewed.commit: 000000000000 is not a commit of this repository; "
        "give the commit of main whose files were reviewed"]
    page = (root / "catalogue/en/designs/box.md").read_text()
    assert "Clinically assessed" not in page and "Forged Lab" not in page


def test_a_review_naming_a_reverted_commit_of_the_pull_request_publishes_nothing_as_reviewed(box_on_main):
    root = box_on_main
    git(root, "checkout", "-q", "-b", "pull-request")
    script = root / "designs/box/box.py"
    plain = script.read_text()
    script.write_text(plain.replace(".box(width, depth, height)", ".box(width, depth, height * 5)"))  # the spike
    git(root, "commit", "-qam", "a spike")
    spike = git(root, "rev-parse", "HEAD")
    assert build(root, site=False, production=False).ok
    spiked = sha256sums(root)
    git(root, "revert", "--no-edit", "HEAD")
    (root / "reviews/box").mkdir(parents=True)
    (root / "reviews/box/2026-05-01-spike.yaml").write_text(CLINICAL.format(commit=spike, files=reviewed_files(spiked)))
    report = build(root, site=False, production=False)
    assert [str(p) for p in report.problems] == [
        f"reviews/box/2026-05-01-spike.yaml: reviewed.commit: {spike[:12]} is not in the history of main; "
        "a review names a commit of the published main, never one of a pull request"]
    assert not (root / "catalogue/downloads/box/reviewed").exists()


def test_a_review_in_a_shallow_clone_says_to_fetch_the_history(box_on_main, tmp_path):
    root = box_on_main
    (root / "designs/box/box.py").write_text((root / "designs/box/box.py").read_text() + "\n")
    git(root, "commit", "-qam", "a newline")
    first = git(root, "rev-parse", "HEAD~1")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(clone)], check=True)
    (clone / "reviews/box").mkdir(parents=True)
    (clone / "reviews/box/2026-05-01-lab.yaml").write_text(CLINICAL.format(commit=first,
                                                                           files=reviewed_files(sha256sums(root))))
    report = build(clone, site=False)
    assert [str(p) for p in report.problems] == [
        f"reviews/box/2026-05-01-lab.yaml: reviewed.commit: {first[:12]} is not a commit of this repository; "
        "this clone is shallow: fetch the whole history (`git fetch --unshallow`; in a workflow, actions/checkout "
        "with fetch-depth: 0), or the review is not shown and the status not raised"]


# 5. The slicer: one budget per design across all its runs, one problem line when it is spent.

def test_a_design_past_its_slicing_budget_is_one_problem_line(tmp_path):
    root = make_project(tmp_path / "project", [BOX], private_cache=True)
    limits = Limits(design_slice_seconds=0.5)  # less than any real slice: every run of the box hits it
    report = build_catalogue(BuildConfig(root=root, workers=2, site=False, limits=limits,
                                         slice_cache=tmp_path / "slices"))
    assert [str(p) for p in report.problems] == [
        "designs/box [small] on bedslinger-220: slicing this design took more than 0.5 s in all (its runs on every "
        "printer and variant share that budget) and was stopped; simplify the geometry or its print_settings (a "
        "finer layer or more perimeters slice longer)"]


# 4. The static check explains; the wall enforces: ordinary CadQuery passes and builds behind the wall.

EXAMPLES = Path(__file__).resolve().parent / "cadquery_examples"


def adopted_example(root: Path, script: Path) -> None:
    """`build.py new --from` the script, its FILL INs answered and each number's range around its default."""
    import build as cli

    from . import test_adopted_scripts

    def fill_in(data):  # the adopted-scripts test's answers; the category hint (its list grows with the ways of making): adapter
        if isinstance(data, str) and data.startswith("FILL IN: ") and "adapter" in data:
            return "adapter"
        if isinstance(data, dict):
            return {k: fill_in(v) for k, v in data.items()}
        if isinstance(data, list):
            return [fill_in(v) for v in data]
        return test_adopted_scripts.fill_in(data)

    slug = script.stem.replace("_", "-")
    assert cli.main(["--root", str(root), "new", slug, "--from", str(script)]) == 0
    path = root / "designs" / slug / "design.yaml"
    data = fill_in(yaml.safe_load(path.read_text(encoding="utf-8")))
    for spec in data.get("parameters", {}).values():
        if spec.get("type", "number") == "number":
            spec.update(min=min(0, spec["default"]), max=abs(spec["default"]) * 10 + 10)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("script", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.stem)
def test_an_ordinary_cadquery_script_passes_the_static_check(script):
    from pipeline.source.script_check import check_script

    assert check_script(__import__("ast").parse(script.read_text())) == []


def test_ordinary_cadquery_scripts_build_behind_the_wall_unchanged(tmp_path, capsys):
    root = make_project(tmp_path / "project", [])
    for script in sorted(EXAMPLES.glob("*.py")):
        adopted_example(root, script)
    capsys.readouterr()
    report = build(root, site=False, production=False)
    assert [str(p) for p in report.problems] == []
    assert sorted(a.job.design.slug for a in report.artifacts) == sorted(
        p.stem.replace("_", "-") for p in EXAMPLES.glob("*.py"))
    published = {p.name for p in (root / "catalogue/downloads/side-effect-export").iterdir()}
    assert not {"bracket.step", "bracket.stl"} & published  # its own exports stayed in its scratch folder


DXF_SCRIPT = '''"""A plate cut from a DXF outline beside the script, as public scripts import their sketches."""
import cadquery as cq

thickness = 3.0  # mm

result = cq.importers.importDXF("outline.dxf").wires().toPending().extrude(thickness)
show_object(result)
'''


def write_outline(path: Path, width: float) -> None:
    import ezdxf

    drawing = ezdxf.new()
    drawing.modelspace().add_lwpolyline([(0, 0), (width, 0), (width, 20), (0, 20)], close=True)
    drawing.saveas(path)


def test_a_script_reads_a_dxf_beside_it_and_a_new_outline_rebuilds_it(tmp_path):
    from .written_designs import write_design

    root = make_project(tmp_path / "project", [])
    folder = write_design(root, "dxf-plate", DXF_SCRIPT, {"thickness": {"default": 3.0, "unit": "mm", "min": 1,
                                                                        "max": 10, "description": "Thickness."}})
    write_outline(folder / "outline.dxf", 40)
    first = build(root, site=False, production=False)
    assert [str(p) for p in first.problems] == []
    assert first.artifacts[0].facts.bounding_box_mm[:2] == pytest.approx([40, 20], abs=0.01)
    write_outline(folder / "outline.dxf", 60)  # the cache key holds the outline's bytes: built again
    second = build(root, site=False, production=False)
    assert second.artifacts[0].facts.bounding_box_mm[:2] == pytest.approx([60, 20], abs=0.01)


def test_an_exception_in_one_designs_publishing_is_its_problem_and_the_others_publish(tmp_path, monkeypatch):
    """A design whose files a library cannot write (ReportLab on a sheet of 1e308 mm was one): one line, left out."""
    import pipeline.publish.downloads as downloads

    root = make_project(tmp_path / "project", [BOX])
    hostile = root / "designs" / "hostile"
    shutil.copytree(BOX, hostile)
    (hostile / "design.yaml").write_text((BOX / "design.yaml").read_text().replace("id: box", "id: hostile"))
    real = downloads._workshop_files

    def failing(design, *args):
        if design.slug == "hostile":
            raise OverflowError("float too large to draw")
        return real(design, *args)

    monkeypatch.setattr(downloads, "_workshop_files", failing)
    report = build(root, site=False)
    assert [str(p) for p in report.problems] == [
        "designs/hostile: its downloads could not be written (OverflowError: float too large to draw); it is not "
        "published, the others are"]
    assert (root / "catalogue/downloads/box/SHA256SUMS").is_file()
    assert not (root / "catalogue/downloads/hostile").exists()


def test_a_symlinked_hand_written_page_is_a_problem_and_never_published(tmp_path, secret):
    root = make_project(tmp_path / "project", [BOX])
    (root / "catalogue/pages/en/leak.md").symlink_to(secret / "secret.txt")
    report = build(root, site=False)
    assert [str(p) for p in report.problems] == [
        "catalogue/pages/en/leak.md: is a symlink; commit the file itself: the build never follows a link out of "
        "the repository"]
    assert not any(SECRET.encode() in data for data in published_bytes(root).values())
