"""The contributor workflow: new, check, export, serve, the documentation and the GitHub files."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

import build as cli
from pipeline.catalogue import BuildConfig
from pipeline.commands.serve import Rebuilder
from pipeline.source.validate import load_schema

from .conftest import FIXTURES, REPO, build, make_project

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


# new and check ------------------------------------------------------------------

def test_a_new_design_is_valid_builds_and_appears_on_the_site(tmp_path, capsys):
    root = make_project(tmp_path, [])
    code, out, _ = run(capsys, "--root", str(root), "new", "hook-19mm")
    assert code == 0 and "created designs/hook-19mm/design.yaml and designs/hook-19mm/hook_19mm.py" in out
    metadata = (root / "designs/hook-19mm/design.yaml").read_text()
    assert metadata.splitlines()[0] == "# yaml-language-server: $schema=../../schema/design.schema.json"
    code, out, _ = run(capsys, "check", str(root / "designs/hook-19mm"), "--root", str(root))
    assert code == 0, out
    assert re.search(r"standard +60 × 30 × 3 mm, \d\.\d\d cm³, 1 solid\(s\), \d+ triangles, watertight", out)
    assert "OK: designs/hook-19mm is valid and builds" in out
    report = build(root)
    assert report.ok and (root / "site/en/designs/hook-19mm/index.html").is_file()


@pytest.mark.parametrize("slug, message", [
    ("Hook", "'Hook': not a slug; use lower-case words joined by hyphens"),
    ("../escape", "'../escape': not a slug"),
    ("/tmp/x", "'/tmp/x': not a slug"),
    ("box", "designs/box: already exists; choose another slug"),
])
def test_new_refuses_a_bad_or_taken_slug(box_project, capsys, slug, message):
    code, _, err = run(capsys, "--root", str(box_project), "new", slug)
    assert code == 2 and err.startswith(f"error: {message}")
    assert sorted(p.name for p in (box_project / "designs").iterdir()) == ["box", "tags.yml"]


def test_check_reports_each_problem_and_exits_non_zero(box_project, capsys):
    path = box_project / "designs/box/design.yaml"
    path.write_text(path.read_text().replace("parameters: {width: 40}", "parameters: {width: 400}"))
    code, out, _ = run(capsys, "--root", str(box_project), "check", "designs/box")
    assert code == 1
    assert out.splitlines() == [
        "designs/box:",
        "  not built: fix design.yaml and the script first",
        "1 problem(s):",
        "  designs/box/design.yaml:16: variants[1] (wide).parameters.width: 400 is above the maximum of width; allowed: 5 to 100 mm",
    ]


def test_check_reports_a_failing_variant_by_its_script_line(tmp_path, capsys):
    root = make_project(tmp_path, [FIXTURES / "designs" / "raises"])
    code, out, _ = run(capsys, "--root", str(root), "check", "raises")
    assert code == 1
    assert "  designs/raises/broken.py:7 [small]: ZeroDivisionError: float division by zero" in out.splitlines()


@pytest.mark.parametrize("name", ["designs/../../etc", "/etc", "../designs/box"])
def test_check_refuses_a_folder_outside_designs(box_project, capsys, name):
    code, _, err = run(capsys, "--root", str(box_project), "check", name)
    assert code == 2 and "is not a folder directly inside" in err and "give designs/<slug>" in err


def test_check_refuses_a_symlinked_design_folder(box_project, capsys):
    (box_project / "designs/linked").symlink_to(box_project / "designs/box")
    code, _, err = run(capsys, "--root", str(box_project), "check", str(box_project / "designs/linked"))
    assert code == 2 and "is a symlink; a design must be a real folder inside designs/" in err


# export -------------------------------------------------------------------------

def test_export_writes_the_makers_size_as_stl_and_step(box_project, tmp_path, capsys):
    out_dir = tmp_path / "mine"
    code, out, _ = run(capsys, "--root", str(box_project), "export", "designs/box", "-p", "width=33.5",
                       "-p", "height=7", "-o", str(out_dir))
    assert code == 0, out
    assert sorted(p.name for p in out_dir.iterdir()) == ["box-small-height7-width33.5.step", "box-small-height7-width33.5.stl"]
    assert "33.5 × 10 × 7 mm" in out
    step = (out_dir / "box-small-height7-width33.5.step").read_text()
    assert "PRODUCT('box-small-height7-width33.5'" in step


def test_export_from_a_named_variant_without_changes_keeps_its_name(box_project, tmp_path, capsys):
    code, out, _ = run(capsys, "--root", str(box_project), "export", "box", "--variant", "wide", "-o", str(tmp_path / "o"))
    assert code == 0 and "40 × 10 × 5 mm" in out
    assert (tmp_path / "o/box-wide.stl").is_file()


def test_export_of_a_named_variants_values_gives_that_variant_from_the_cache(box_project, tmp_path, capsys):
    """The command a design page prints for a variant: every value, no --variant."""
    assert build(box_project, site=False).ok
    code, out, _ = run(capsys, "--root", str(box_project), "export", "designs/box", "-p", "width=40", "-p", "depth=10",
                       "-p", "height=5", "-o", str(tmp_path / "o"))
    assert code == 0 and sorted(p.name for p in (tmp_path / "o").iterdir()) == ["box-wide.step", "box-wide.stl"]
    catalogue_copy = box_project / "catalogue/downloads/box/box-wide.stl"
    assert (tmp_path / "o/box-wide.stl").read_bytes() == catalogue_copy.read_bytes()


def test_export_of_a_stack_counts_the_parts_it_asks_for(tmp_path, capsys):
    root = make_project(tmp_path / "p", [REPO / "designs" / "visor-bottom-clip"])
    code, out, err = run(capsys, "--root", str(root), "export", "visor-bottom-clip", "-p", "stack_count=2", "-o", str(tmp_path / "o"))
    assert code == 0, err
    assert ", 2 solid(s), " in out and (tmp_path / "o/visor-bottom-clip-standard-stackcount2.step").is_file()


@pytest.mark.parametrize("args, message", [
    (["-p", "width=400"], "error: -p width: 400 is above the maximum of width; allowed: 5 to 100 mm"),
    (["-p", "width=1"], "error: -p width: 1 is below the minimum of width; allowed: 5 to 100 mm"),
    (["-p", "colour=3"], "error: -p colour=3: box has no parameter 'colour'; its parameters: depth, height, width"),
    (["-p", "width=wide"], "error: -p width=wide: 'wide' is not a number; give width in mm"),
    (["-p", "width"], "error: -p width: expected name=value, e.g. -p width=20"),
    (["--variant", "huge"], "error: --variant huge: box has no such variant; its variants: small, wide"),
])
def test_export_refuses_bad_values_before_building(cold_box_project, tmp_path, capsys, args, message):
    code, _, err = run(capsys, "--root", str(cold_box_project), "export", "designs/box", *args, "-o", str(tmp_path / "o"))
    assert (code, err.strip()) == (2, message)
    assert not (tmp_path / "o").exists() and not (cold_box_project / ".cache").exists()


# the command line ---------------------------------------------------------------

@pytest.mark.parametrize("command", ["new", "check", "export", "serve"])
def test_each_command_has_help(command):
    run = subprocess.run([sys.executable, str(REPO / "build.py"), command, "--help"], capture_output=True, text=True)
    assert run.returncode == 0 and f"usage: build.py {command}" in run.stdout and "--root" in run.stdout


def test_help_lists_the_commands():
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "--help"], capture_output=True, text=True)
    assert run.returncode == 0 and "--no-site" in run.stdout
    assert all(re.search(rf"^    {name} +\w", run.stdout, re.M) for name in ("new", "check", "export", "serve"))


# serve ----------------------------------------------------------------------------

def test_the_preview_rebuilds_only_when_a_design_changes(box_project):
    rebuild = Rebuilder(BuildConfig(root=box_project, workers=1, site=False))
    first = rebuild()
    assert first.ok and len(first.artifacts) == 2
    assert rebuild() is None  # MkDocs rebuilds after our pages are written: nothing to do
    path = box_project / "designs/box/design.yaml"
    path.write_text(path.read_text().replace("parameters: {width: 40}", "parameters: {width: 50}"))
    third = rebuild()
    assert third.cad_jobs_cached >= 1 and third.cad_jobs_run <= 1 and rebuild.builds == 2  # the wide box at most
    assert "50 × 10 × 5" in (box_project / "catalogue/en/designs/box.md").read_text()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch_until(url: str, wanted: str, seconds: float) -> str:
    deadline, text = time.monotonic() + seconds, ""
    while time.monotonic() < deadline:
        try:
            text = urllib.request.urlopen(url, timeout=5).read().decode()
            if wanted in text:
                return text
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {wanted!r}")


def test_serve_shows_the_site_and_rebuilds_a_design_when_it_changes(box_project):
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(box_project),
                             "--workers", "1", "-a", f"127.0.0.1:{port}"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            env=os.environ | {"SITE_URL": f"http://127.0.0.1:{port}/"})  # at /, not a project path
    try:
        page = f"http://127.0.0.1:{port}/en/designs/box/"
        fetch_until(page, "40 × 10 × 5", 90)
        path = box_project / "designs/box/design.yaml"
        path.write_text(path.read_text().replace("parameters: {width: 40}", "parameters: {width: 45}"))
        fetch_until(page, "45 × 10 × 5", 60)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        output = proc.communicate(timeout=30)[0]
    assert "Serving on" in output
    rebuilt = re.findall(r"catalogue: 2 variants \((\d) rebuilt, \d+ slicer runs; [^)]*\); 0 problem\(s\)", output)
    assert len(rebuilt) >= 2 and int(rebuilt[-1]) <= 1  # built, then rebuilt with at most the changed variant


# documentation and GitHub files -------------------------------------------------------

def test_contributing_explains_every_metadata_field():
    text = (REPO / "CONTRIBUTING.md").read_text()
    for field in load_schema()["properties"]:
        assert f"| `{field}` |" in text, field


def test_contributing_names_every_command():
    text = (REPO / "CONTRIBUTING.md").read_text()
    for command in ("build.py new", "build.py check", "build.py export", "build.py report", "build.py serve"):
        assert command in text


def test_the_workflows_are_valid_github_workflows():
    assert WORKFLOWS
    run = subprocess.run([str(Path(sys.executable).parent / "check-jsonschema"), "--builtin-schema",
                          "vendor.github-workflows", *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_issue_template_is_a_valid_issue_form():
    forms = sorted((REPO / ".github/ISSUE_TEMPLATE").glob("*.yml"))
    run = subprocess.run([str(Path(sys.executable).parent / "check-jsonschema"), "--builtin-schema",
                          "vendor.github-issue-forms", *map(str, forms)], capture_output=True, text=True)
    assert forms and run.returncode == 0, run.stdout + run.stderr


def workflow(path: Path) -> dict:
    return yaml.load(path.read_text(), Loader=yaml.BaseLoader)  # BaseLoader: `on` stays a string key


def test_pull_requests_run_read_only_and_never_with_pull_request_target():
    for path in WORKFLOWS:
        data = workflow(path)
        assert "pull_request_target" not in data["on"] and "workflow_run" not in data["on"], path
        assert data["permissions"] == {"contents": "read"}, path
    ci = workflow(REPO / ".github/workflows/ci.yml")
    assert "pull_request" in ci["on"]
    steps = " ".join(json.dumps(s) for s in ci["jobs"]["build"]["steps"])
    for needed in ("make site", "make test", "actions/upload-artifact", "actions/cache", '"path": ".cache"'):
        assert needed in steps, needed


def test_only_the_deploy_job_may_write_pages_and_only_on_main():
    ci = workflow(REPO / ".github/workflows/ci.yml")
    deploy = ci["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    build_steps = ci["jobs"]["build"]["steps"]
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact@") and "refs/heads/main" in s["if"] for s in build_steps)
    assert "permissions" not in ci["jobs"]["build"]  # the read-only default


def test_the_linter_is_pinned_and_runs_before_the_tests_in_make_test_and_in_ci():
    assert re.search(r"^ruff==[\d.]+( \\)?$", (REPO / "requirements-dev.txt").read_text(), re.M)
    assert "[tool.ruff.lint]" in (REPO / "pyproject.toml").read_text()
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^test: .*\blint\b", makefile, re.M) and "ruff check ." in makefile
    # CI runs `make test`, whose lint prerequisite runs first (tests/test_workflows.py: nothing by hand)
    assert any(s.get("run", "").strip() == "make test" for s in workflow(REPO / ".github/workflows/ci.yml")["jobs"]["build"]["steps"])


def test_every_pinned_requirement_carries_the_hashes_make_checks():
    # make installs with --require-hashes: a pin without its hashes would stop a fresh machine's install
    for name in ("requirements.txt", "requirements-dev.txt", "tools/uv/requirements.txt"):
        lines = [line.strip() for line in (REPO / name).read_text().splitlines() if line.strip()]
        pins = [i for i, line in enumerate(lines) if re.match(r"[A-Za-z0-9]", line)]
        assert pins, name
        for i in pins:
            assert re.fullmatch(r"[A-Za-z0-9._-]+==[^ ]+ \\", lines[i]), f"{name}: {lines[i]} is not an exact pin"
            assert re.fullmatch(r"--hash=sha256:[0-9a-f]{64}( \\)?", lines[i + 1]), f"{name}: {lines[i]} has no hash"
    makefile = (REPO / "Makefile").read_text()
    assert makefile.count("--require-hashes") == 1 and "pip install --quiet -r" not in makefile  # uv, the pins
    assert "tools/uv/install-uv $(PY) tools/uv/requirements.txt" in makefile  # pip, uv itself:
    assert '"--require-hashes"' in (REPO / "tools/uv/install-uv").read_text()


def test_the_code_passes_the_linter():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout


def test_the_pages_workflows_build_with_the_published_address_and_the_repository():
    for path in WORKFLOWS:
        jobs = workflow(path)["jobs"]
        builds = [j for j in jobs.values() if any("make site" in s.get("run", "") and "--shard" not in s.get("run", "")
                                                  for s in j["steps"])]
        for job in builds:
            step = next(s for s in job["steps"] if "make site" in s.get("run", ""))
            assert step["env"]["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}", path
            assert 'export SITE_URL="${PAGES_URL%/}/"' in step["run"], path
            assert "base_url" in step["env"]["PAGES_URL"], path
        pages_steps = [s for j in jobs.values() for s in j["steps"] if s.get("uses", "").startswith("actions/configure-pages@")]
        assert builds and pages_steps, path


STACK_SCRIPT = '''"""Two plates shown as one object, with a star import of math."""
import cadquery as cq
from math import *

size = 10.0  # mm

result = cq.Workplane("XY").box(size, size, 1).union(
    cq.Workplane("XY").box(size, size, 1).translate((0, 0, 1 + sqrt(4))))
show_object(result)
'''


@pytest.fixture(scope="module")
def checked_stack(tmp_path_factory):
    """`check` of a design whose two variants each show one object of two solids, declaring no `parts`."""
    from .written_designs import write_design

    root = make_project(tmp_path_factory.mktemp("stack"), [])
    folder = write_design(root, "stack", STACK_SCRIPT)
    data = yaml.safe_load((folder / "design.yaml").read_text())
    data["variants"].append({"name": "large", "description": "Larger.", "parameters": {"size": 20}})
    (folder / "design.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    code = cli.main(["--root", str(root), "check", "stack"])
    return root, code


def test_check_infers_parts_when_every_variant_shows_as_many_solids_and_says_so(checked_stack):
    from pipeline.commands.check import check

    root, code = checked_stack
    assert code == 0
    report, ok = check(BuildConfig(root=root, workers=2), "stack")
    assert ok, report
    assert ("  parts: 2 inferred: every variant shows one object of 2 solids; declare parts: 2 in design.yaml to "
            "have the build check that count") in report.splitlines()


def test_check_says_it_accepted_a_star_import_of_math(checked_stack):
    from pipeline.commands.check import check

    report, _ = check(BuildConfig(root=checked_stack[0], workers=2), "stack")
    assert "  line 3: `from math import *` accepted: math is allowed, and so are all 60 names it brings in" in \
        report.splitlines()


def test_parts_are_not_inferred_when_the_variants_show_different_counts(tmp_path):
    from pipeline.commands.check import check

    from .written_designs import write_design

    root = make_project(tmp_path, [])
    script = STACK_SCRIPT.replace("show_object(result)", "show_object(result if size < 15 else result.union("
                                  "cq.Workplane('XY').box(size, size, 1).translate((0, 0, 10))))")
    folder = write_design(root, "stack", script)
    data = yaml.safe_load((folder / "design.yaml").read_text())
    data["variants"].append({"name": "large", "description": "Larger.", "parameters": {"size": 20}})
    (folder / "design.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    report, ok = check(BuildConfig(root=root, workers=2), "stack")
    assert not ok and "inferred" not in report
    assert "shows 2 solid(s); show one solid per call" in report and "shows 3 solid(s)" in report
