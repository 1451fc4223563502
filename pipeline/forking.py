"""Work run side by side in forked copies of this build process: the ways of making, the languages' pages.

A forked copy inherits what it needs as it is (the records, the imported modules), so nothing is pickled on the
way in; what a copy returns comes back pickled, with the seconds and the CPU it spent. Forking is safe only when
no other thread runs (a copy inherits another thread's locks as they are, held or not), and worth it only with a
core to spare: `can_fork()` says both. Callers wait for the build's own background deletions first
(`fsutil.wait_for_deletions`), and do the work in turn when `can_fork()` is false (`build.py serve`, whose server
threads run).

Forking this process is not starting a program: external programs start from pipeline/runner.py only.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .fsutil import wait_for_deletions


def can_fork() -> bool:
    """A core to spare, and no thread running but this one."""
    return (os.cpu_count() or 1) > 1 and threading.active_count() == 1


@dataclass(frozen=True)
class Finished:
    """What one call returned, the wall seconds it took and the CPU seconds it spent (its own and its children's)."""

    value: Any
    seconds: float
    cpu_seconds: float


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (workers, slicers, renderers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def side_by_side(calls: dict[str, Callable[[], Any]]) -> dict[str, Finished]:
    """Each call in a forked copy of this process, all at once; what each returned, by name.

    A call's exception is raised here, as if the call had run in this process (its traceback in the copy is
    attached as a note); the others are waited for first, so no copy outlives the build."""
    with tempfile.TemporaryDirectory(prefix="catalogue-forked-") as folder:
        results = {name: Path(folder) / f"{index}.pickle" for index, name in enumerate(calls)}
        context = multiprocessing.get_context("fork")
        children = {name: context.Process(target=_run_in_copy, args=(call, results[name]), name=f"build: {name}")
                    for name, call in calls.items()}
        try:
            for child in children.values():
                child.start()
        finally:
            for child in children.values():
                if child.pid is not None:
                    child.join()
        return {name: _outcome(name, children[name].exitcode, results[name]) for name in calls}


def _run_in_copy(call: Callable[[], Any], result: Path) -> None:
    start = time.perf_counter()  # a forked copy's CPU times start at zero (fork(2))
    try:
        outcome: tuple = ("value", call())
    except BaseException as err:  # noqa: BLE001 - every failure goes back to the build process, which raises it
        outcome = ("error", err, traceback.format_exc())
    wait_for_deletions()  # the copy's background deletions end before it does, and count in its time
    finished = (outcome, time.perf_counter() - start, cpu_seconds())
    try:
        data = pickle.dumps(finished, pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - an exception or a value that does not pickle: its text still goes back
        data = pickle.dumps((("error", RuntimeError("its result could not be passed back"), traceback.format_exc()),
                             finished[1], finished[2]), pickle.HIGHEST_PROTOCOL)
    result.write_bytes(data)


def _outcome(name: str, exitcode: int | None, result: Path) -> Finished:
    if not result.is_file():
        raise RuntimeError(f"build: the forked copy running {name} ended with status {exitcode} and no result; "
                           "its error, if any, is printed above")
    outcome, seconds, cpu = pickle.loads(result.read_bytes())
    if outcome[0] == "error":
        _, err, text = outcome
        err.add_note(f"raised in the forked copy running {name}:\n{text}")
        raise err
    return Finished(outcome[1], seconds, cpu)
