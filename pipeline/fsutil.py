"""Files written so that a reader never sees half of them: staging folders swapped in by rename, deterministic zips."""
from __future__ import annotations

import io
import json
import os
import shutil
import threading
import zipfile
from pathlib import Path
from typing import Any

from .runner import Tool, run

ZIP_TIME = (2020, 4, 24, 0, 0, 0)  # a fixed date for every zip entry (3MF, bundles): bytes never follow the clock


def relative(path: Path, root: Path) -> str:
    """`path` as the user sees it in messages: relative to the project when inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def symlinks_in(folder: Path, limit: int = 10_000) -> list[Path]:
    """Every symlink in `folder` (itself included), never following one: what a pull request commits is read
    from its own folder only. At most `limit` entries are looked at (a design or report folder holds a few)."""
    if folder.is_symlink():
        return [folder]
    found, seen = [], 0
    for parent, dirs, files in os.walk(folder, followlinks=False):
        for name in sorted(dirs + files):
            seen += 1
            if os.path.islink(os.path.join(parent, name)):
                found.append(Path(parent) / name)
        if seen > limit:
            break
    return sorted(found)


def fresh_staging(final: Path) -> Path:
    """An empty sibling folder of `final`, hidden from MkDocs (its name starts with a dot)."""
    staging = final.with_name(f".{final.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def replace_dir(staging: Path, final: Path) -> None:
    """Put `staging` in the place of `final` with renames only; the old tree is deleted in the background.

    Deleting thousands of files is slow file-system work that needs little CPU: it overlaps the
    stages that follow (the build waits for it at its end, `wait_for_deletions`).
    """
    old = final.with_name(f".{final.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.rename(final, old)
    os.rename(staging, final)
    deleting = threading.Thread(target=shutil.rmtree, args=(old, True), name=f"delete {old}")
    deleting.start()
    _deletions.append(deleting)


_deletions: list[threading.Thread] = []


def wait_for_deletions() -> None:
    while _deletions:
        _deletions.pop().join()


def replace_file(path: Path, text: str) -> None:
    """Write a generated file beside its place and rename it in."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")  # builds sharing a cache never write one file
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link from the cache (instant, no extra space); copy across file systems. Published files are 0644."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copyfile(source, target, follow_symlinks=False)
    os.chmod(target, PUBLISHED_MODE, follow_symlinks=False)


PUBLISHED_MODE = 0o644  # whatever mode a file was made with (a umask of 0, a setuid bit): readable, never more


def remove_tree(path: Path) -> None:
    """Delete `path` and everything under it, however deep: `rm -rf` walks without recursing in Python, where
    shutil.rmtree raises RecursionError on a few thousand nested folders a script can make in its folder."""
    if os.path.lexists(path):
        run(Tool("rm", "coreutils"), ["rm", "-rf", "--one-file-system", "--", path], timeout_s=3600, check=False)


# Ours, not shutil.make_archive or a plain ZipFile.write: those stamp each entry with its file's time and mode.
def deterministic_zip(entries: dict[str, bytes]) -> bytes:
    """A zip of `entries` sorted by name, with fixed dates and permissions: the same entries give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the building machine
            archive.writestr(info, entries[name], compresslevel=9)
    return buffer.getvalue()


def json_text(document: Any) -> str:
    """A published JSON document: strict (a NaN or infinity is an error, never a bare NaN that browsers refuse),
    keys sorted and UTF-8 as written, so that the same data gives the same bytes. Compact, as an API answers: the
    standard library's C encoder writes no indented JSON, and catalogue.json holds 21 MB of it at 1,000 designs
    (0.55 s of the build indented, 0.14 s compact, and a fifth smaller)."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n"
