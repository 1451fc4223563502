"""`make clean` removes exactly what the build and the tests write: the paths .gitignore lists as generated."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from pipeline.catalogue import BuildConfig, build_catalogue

from .conftest import FIXTURES, REPO, make_project

GIT = ["git", "-c", "user.name=Tests", "-c", "user.email=tests@example.invalid"]


def generated_in_makefile() -> set[str]:
    run = subprocess.run(["make", "-s", "-f", str(REPO / "Makefile"), "--eval", "print-generated: ; @echo $(GENERATED)",
                          "print-generated"], capture_output=True, text=True, check=True)
    return set(run.stdout.split())


def generated_in_gitignore() -> set[str]:
    """The first block of .gitignore: what the build and the tests write."""
    block = (REPO / ".gitignore").read_text().split("\n\n")[0]
    return {line.strip("/") for line in block.splitlines() if line and not line.startswith("#")}


def test_make_clean_names_what_gitignore_lists_as_generated():
    assert generated_in_makefile() == generated_in_gitignore()


def test_a_build_then_make_clean_leaves_nothing_that_git_ignores(tmp_path):
    root = make_project(tmp_path / "project", [FIXTURES / "designs" / "box"])
    for name in (".gitignore", "Makefile"):
        shutil.copy(REPO / name, root / name)
    subprocess.run([*GIT, "init", "-q"], cwd=root, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", "sources"], cwd=root, check=True)
    report = build_catalogue(BuildConfig(root=root, workers=2, production=False))
    assert report.ok, report.problems
    assert _ignored(root), "the build wrote nothing that git ignores: this test would prove nothing"
    subprocess.run(["make", "-s", "clean"], cwd=root, check=True)
    assert _ignored(root) == []


def _ignored(root: Path) -> list[str]:
    run = subprocess.run(["git", "status", "--ignored", "--porcelain"], cwd=root, capture_output=True, text=True,
                         check=True)
    return run.stdout.splitlines()
