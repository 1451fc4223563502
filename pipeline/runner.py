"""The one way the build starts an external program: PrusaSlicer, Node.js (gltfpack), git, rm, and the Python
children that draw pictures or read a STEP file behind the wall.

Every run gets a time-out, a bare environment (`BARE_ENVIRONMENT` plus what the caller names: never the build's
own, where tokens and CI secrets live), no standard input unless given, and its own working folder. A program
that cannot start, does not finish in time or fails (with `check`) raises one `ToolError`: the tool's name, what
went wrong with the install command where it is missing, and the program's last error line, bounded. A caller
that knows the design and variant turns it into a located `Problem` with `ToolError.problem`.

The other two places that start processes are the CAD pool (pipeline/cad/pool.py: the long-lived zygote, talked to
over pipes) and the wall's own fork in the zygote (pipeline/cad/worker/zygote.py); tests/test_layout.py keeps it so.
"""
from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .model import Problem

# What every program gets: a plain PATH, a UTF-8 locale, UTC; HOME only when the caller gives one.
BARE_ENVIRONMENT = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TZ": "UTC"}
LAST_LINE_CHARS = 300  # a program's last words, as a problem quotes them: bounded (a script may have written them)


@dataclass(frozen=True)
class Tool:
    """An external program the build needs, and how a user installs it."""

    name: str  # as messages name it: "PrusaSlicer", "gltfpack (Node.js)", "git"
    install: str  # the command or step that installs it


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: bytes
    stderr: bytes

    def text(self) -> str:
        """Its standard output then its standard error, as text."""
        return (self.stdout + self.stderr).decode("utf-8", "replace")


class ToolError(Exception):
    """A program that could not start, did not finish in time, or failed: one sentence."""

    def __init__(self, tool: Tool, reason: str, last_line: str = ""):
        self.tool, self.reason, self.last_line = tool, reason, last_line
        super().__init__(f"{tool.name} {reason}" + (f": {last_line}" if last_line else ""))

    def problem(self, *, file: str, design: str | None = None, variant: str | None = None,
                printer: str | None = None) -> Problem:
        """This failure as the problem of the design and variant it happened for."""
        return Problem.at(str(self), file=file, design=design, variant=variant, printer=printer)


def run(tool: Tool, args: Sequence[str | Path], *, timeout_s: float, cwd: Path | str = "/",
        env: Mapping[str, str] | None = None, keep: Sequence[str] = (), input: bytes | None = None,
        check: bool = True) -> Finished:
    """Run `args` and wait for it. `env`: variables the program needs beyond BARE_ENVIRONMENT; `keep`: names of
    this process's variables passed through when set (a display for OpenGL). `check`: a non-zero exit status
    raises ToolError with the program's last error line; else the caller reads `returncode`."""
    environment = dict(BARE_ENVIRONMENT) | {k: os.environ[k] for k in keep if k in os.environ} | dict(env or {})
    try:
        done = subprocess.run([str(a) for a in args], cwd=cwd, env=environment, input=input,
                              stdin=subprocess.DEVNULL if input is None else None, capture_output=True,
                              timeout=timeout_s, check=False)
    except FileNotFoundError:
        raise ToolError(tool, f"is not installed ({args[0]} not found); install it: {tool.install}") from None
    except subprocess.TimeoutExpired:
        raise ToolError(tool, f"did not finish within {timeout_s:g} s") from None
    except OSError as err:
        raise ToolError(tool, f"could not be started ({err.strerror or err}); install it: {tool.install}") from None
    if check and done.returncode != 0:
        raise ToolError(tool, f"exited with status {done.returncode}", last_line(done.stderr or done.stdout))
    return Finished(done.returncode, done.stdout, done.stderr)


def last_line(output: bytes | str) -> str:
    """A program's last non-empty line, bounded (its error, as a rule)."""
    text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = lines[-1] if lines else ""
    return line if len(line) <= LAST_LINE_CHARS else line[:LAST_LINE_CHARS] + "…"
