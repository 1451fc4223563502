"""The one runner of external programs (pipeline/runner.py): a bare environment, a time-out, an install hint,
and one error that ends with the program's last error line."""
from __future__ import annotations

import pytest

from pipeline.runner import BARE_ENVIRONMENT, LAST_LINE_CHARS, Tool, ToolError, run

SHELL = Tool("the shell", "your system's sh")


def test_a_program_sees_only_the_bare_environment_and_what_the_caller_gives(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "secret")
    monkeypatch.setenv("DISPLAY", ":9")
    done = run(SHELL, ["env"], timeout_s=30, env={"HOME": "/nonexistent"}, keep=("DISPLAY", "NOT_SET_ANYWHERE"))
    seen = dict(line.split("=", 1) for line in done.stdout.decode().splitlines())
    assert seen == BARE_ENVIRONMENT | {"HOME": "/nonexistent", "DISPLAY": ":9"}


def test_a_failure_is_one_error_ending_with_the_programs_last_error_line():
    with pytest.raises(ToolError) as caught:
        run(SHELL, ["sh", "-c", "echo starting >&2; echo 'bad input: width' >&2; echo >&2; exit 3"], timeout_s=30)
    assert str(caught.value) == "the shell exited with status 3: bad input: width"
    problem = caught.value.problem(file="designs/x/design.yaml", design="x", variant="adult")
    assert (problem.design, problem.variant) == ("x", "adult")
    assert str(problem) == "designs/x/design.yaml [adult]: the shell exited with status 3: bad input: width"


def test_a_long_last_line_is_bounded():
    with pytest.raises(ToolError) as caught:
        run(SHELL, ["sh", "-c", "printf '%05000d' 0 >&2; exit 1"], timeout_s=30)
    assert len(caught.value.last_line) == LAST_LINE_CHARS + 1


def test_a_missing_program_names_how_to_install_it():
    with pytest.raises(ToolError, match=r"^gltfpack is not installed \(/nonexistent/gltfpack not found\); "
                                        r"install it: npm ci --prefix tools/gltf$"):
        run(Tool("gltfpack", "npm ci --prefix tools/gltf"), ["/nonexistent/gltfpack"], timeout_s=30)


def test_a_program_that_does_not_finish_in_time_is_stopped():
    with pytest.raises(ToolError, match=r"^the shell did not finish within 0.2 s$"):
        run(SHELL, ["sleep", "30"], timeout_s=0.2)


def test_without_check_the_caller_reads_the_status():
    done = run(SHELL, ["sh", "-c", "echo out; echo err >&2; exit 4"], timeout_s=30, check=False)
    assert (done.returncode, done.text()) == (4, "out\nerr\n")
