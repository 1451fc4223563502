"""The GitHub workflows are hardened: actions pinned to commits, kept current, audited, and never unwalled."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
USES = re.compile(r"^\s*(?:-\s*)?uses:\s*(\S+)(.*)$", re.M)


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_tag_in_a_comment():
    found = [(path.name, m.group(1), m.group(2)) for path in WORKFLOWS for m in USES.finditer(path.read_text())]
    assert found
    for name, ref, comment in found:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), f"{name}: {ref} is not pinned to a commit"
        assert re.fullmatch(r"\s*# v\d+(\.\d+)*", comment), f"{name}: {ref} has no '# vX.Y.Z' tag comment"


def test_zizmor_finds_nothing_of_high_or_medium_severity():
    run = subprocess.run([str(BIN / "zizmor"), "--offline", "--min-severity", "medium", str(REPO / ".github/workflows")],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No findings to report" in run.stdout, run.stdout


def test_dependabot_keeps_the_actions_current():
    config = REPO / ".github" / "dependabot.yml"
    run = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.dependabot", str(config)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "package-ecosystem: github-actions" in config.read_text()


def test_no_ci_file_runs_scripts_without_the_wall():
    files = WORKFLOWS + [REPO / ".ci" / "run", REPO / "Makefile"]
    assert not [f.name for f in files if "--trust-scripts" in f.read_text()]


def test_no_ci_file_skips_the_static_check():
    """--skip-static-check is for testing the wall (tests/test_cad_wall.py); a published build always runs both."""
    files = WORKFLOWS + [REPO / ".ci" / "run", REPO / "Makefile"]
    assert WORKFLOWS and not [f.name for f in files if "skip-static-check" in f.read_text()]


DEBIAN_IMAGE = re.compile(r"debian:(\w+)@sha256:[0-9a-f]{64}")


def jobs() -> dict[str, dict]:
    import yaml

    return {f"{path.name}:{name}": job for path in WORKFLOWS
            for name, job in yaml.safe_load(path.read_text())["jobs"].items()}


def runs(job: dict) -> list[str]:
    return [step["run"] for step in job.get("steps", []) if "run" in step]


def test_ci_builds_and_tests_with_the_readmes_two_commands():
    build = jobs()["ci.yml:build"]
    assert any(re.search(r"^\s*make site\s*$", run, re.M) for run in runs(build))
    assert any(re.search(r"^\s*make test\s*$", run, re.M) for run in runs(build))


def test_no_workflow_repeats_by_hand_what_make_does():
    by_hand = ("build.py", "pytest", "pip install", "npm ci", "ruff", "python -m venv", "system-packages")
    found = [(name, word) for name, job in jobs().items() for run in runs(job) for word in by_hand if word in run]
    assert not found, found


def test_every_job_that_builds_runs_in_one_debian_container_pinned_by_digest():
    """The same PrusaSlicer as a developer's Debian: the figures CI publishes are the ones a developer sees."""
    building = {name: job for name, job in jobs().items() if any("make site" in run for run in runs(job))}
    assert {"ci.yml:build", "sharded-build.yml:shard", "sharded-build.yml:assemble"} <= building.keys()
    images = {name: (job.get("container") or {}).get("image", "") for name, job in building.items()}
    assert all(DEBIAN_IMAGE.fullmatch(image) for image in images.values()), images
    assert len(set(images.values())) == 1, images
    release = DEBIAN_IMAGE.fullmatch(next(iter(images.values()))).group(1)
    for readme in ("README.md", "LISEZMOI.md"):  # where the figures come from, said in both languages
        assert f"Debian 12 ({release})" in (REPO / readme).read_text(), readme
