"""Work run side by side in forked copies of this build process: the ways of making and the pictures, publish's
shares of the designs, the languages' pages and MkDocs sites.

A forked copy inherits what it needs as it is (the records, the imported modules), so nothing is pickled on the
way in; what a copy returns comes back pickled, with the seconds and the CPU it spent. Objects the caller names as
`shared` (records both sides hold, such as the designs and their built variants) come back as references to the
build process's own objects, not as copies: a forked copy sees them at the same addresses. Forking is safe only when
no other thread runs (a copy inherits another thread's locks as they are, held or not), and worth it only with a
core to spare: `side_by_side` waits for the build's own background deletions (`fsutil.wait_for_deletions`), then
runs the calls in turn in this process when `can_fork()` is false (`build.py serve`, whose server threads run, or
one core), with the same results, timings and exceptions.

Forking this process is not starting a program: external programs start from pipeline/runner.py only.
"""
from __future__ import annotations

import io
import multiprocessing
import os
import pickle
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .fsutil import wait_for_deletions


def can_fork() -> bool:
    """A core to spare, and no thread running but this one."""
    return (os.cpu_count() or 1) > 1 and threading.active_count() == 1


@dataclass(frozen=True)
class Finished:
    """What one call returned, the wall seconds it took and the CPU seconds it spent (its own and its children's),
    and whether it ran in a forked copy (beside the others) or in this process."""

    value: Any
    seconds: float
    cpu_seconds: float
    forked: bool = False


_OTHERS_CPU = [0.0]  # seconds of processes that worked for this one as another's children
os.register_at_fork(after_in_child=lambda: _OTHERS_CPU.__setitem__(0, 0.0))  # as fork(2) starts a child's times


def count_cpu_of_others(seconds: float) -> None:
    """CPU time of a finished process that worked for this one but was another's child: a CAD zygote forked by
    the template (pipeline/cad/pool.py), which its parent reaps."""
    _OTHERS_CPU[0] += seconds


def cpu_seconds() -> float:
    """CPU time of this process, of its finished children (workers, slicers, renderers) and of the processes
    counted by count_cpu_of_others."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system + _OTHERS_CPU[0]


def side_by_side(calls: dict[str, Callable[[], Any]], shared: Iterable[object] = (),
                 first_here: bool = False) -> dict[str, Finished]:
    """Each call in a forked copy of this process, all at once; what each returned, by name, in `calls`' order.
    `first_here`: the first call runs in this process meanwhile (one copy fewer: the languages' pages and sites).
    With one call, or when this process cannot fork (`can_fork`), the calls run here in turn.

    A call's exception is raised here, as if the call had run in this process (its traceback in the copy is
    attached as a note); the others are waited for first, so no copy outlives the build."""
    wait_for_deletions()  # no thread of ours runs when the process forks
    if len(calls) < 2 or not can_fork():
        return {name: _timed(call) for name, call in calls.items()}
    known = {id(thing): thing for thing in shared}
    names = list(calls)
    forked = names[1:] if first_here else names
    with tempfile.TemporaryDirectory(prefix="catalogue-forked-") as folder:
        results = {name: Path(folder) / f"{index}.pickle" for index, name in enumerate(forked)}
        context = multiprocessing.get_context("fork")
        children = {name: context.Process(target=_run_in_copy, args=(calls[name], results[name], known),
                                          name=f"build: {name}") for name in forked}
        sys.stdout.flush()  # what this process has printed but not yet written would be written by each copy too
        sys.stderr.flush()
        here = {}
        try:
            for child in children.values():
                child.start()
            if first_here:
                here[names[0]] = _timed(calls[names[0]])
        finally:
            for child in children.values():
                if child.pid is not None:
                    child.join()
        return here | {name: _outcome(name, children[name].exitcode, results[name], known) for name in forked}


def _timed(call: Callable[[], Any]) -> Finished:
    start, cpu = time.perf_counter(), cpu_seconds()
    value = call()
    return Finished(value, time.perf_counter() - start, cpu_seconds() - cpu)


class _Pickler(pickle.Pickler):
    """Writes a shared object as its address, which the build process reads back as its own object."""

    def __init__(self, file, known: dict[int, object]):
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.known = known

    def persistent_id(self, thing: object) -> int | None:
        return id(thing) if id(thing) in self.known else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, known: dict[int, object]):
        super().__init__(file)
        self.known = known

    def persistent_load(self, address: int) -> object:
        return self.known[address]


def _run_in_copy(call: Callable[[], Any], result: Path, known: dict[int, object]) -> None:
    start = time.perf_counter()  # a forked copy's CPU times start at zero (fork(2))
    try:
        outcome: tuple = ("value", call())
    except BaseException as err:  # noqa: BLE001 - every failure goes back to the build process, which raises it
        outcome = ("error", err, traceback.format_exc())
    wait_for_deletions()  # the copy's background deletions end before it does, and count in its time
    finished = (outcome, time.perf_counter() - start, cpu_seconds())
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, known).dump(finished)
    except Exception:  # noqa: BLE001 - an exception or a value that does not pickle: its text still goes back
        buffer = io.BytesIO()
        _Pickler(buffer, known).dump((("error", RuntimeError("its result could not be passed back"),
                                       traceback.format_exc()), finished[1], finished[2]))
    result.write_bytes(buffer.getvalue())


def _outcome(name: str, exitcode: int | None, result: Path, known: dict[int, object]) -> Finished:
    if not result.is_file():
        raise RuntimeError(f"build: the forked copy running {name} ended with status {exitcode} and no result; "
                           "its error, if any, is printed above")
    with result.open("rb") as file:
        outcome, seconds, cpu = _Unpickler(file, known).load()
    if outcome[0] == "error":
        _, err, text = outcome
        err.add_note(f"raised in the forked copy running {name}:\n{text}")
        raise err
    return Finished(outcome[1], seconds, cpu, forked=True)
