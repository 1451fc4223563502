"""The content-addressed store of built variants.

An entry's key hashes everything that determines its files, so a hit means the
files are exactly what a rebuild would give. Looking a key up costs a stat;
nothing here imports CadQuery.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
from dataclasses import asdict
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ..fsutil import remove_tree
from ..model import Design, MeshSettings, Variant

# Bump when the export or measuring code changes what it writes.
EXPORT_FORMAT_VERSION = "8"  # 8: exported from the BREP by a child no script ran in, facts.json by the build, files 0644
MODEL_FILES = ("model.stl", "model.step", "model.glb", "model.3mf")  # what the export child writes
ENTRY_FILES = MODEL_FILES + ("facts.json",)  # facts.json: written by the build process, from the checked reply


@lru_cache(maxsize=1)
def toolchain_versions() -> dict[str, str]:
    names = ("cadquery", "cadquery-ocp", "trimesh", "numpy")
    return {name: metadata.version(name) for name in names}


# Files of a design's folder its script may read, by the name it gives (importers.importDXF("outline.dxf")):
# copied beside the script in its scratch folder, read-only in the repository, and part of the cache key.
INPUT_SUFFIXES = (".dxf", ".svg", ".step", ".stp", ".stl", ".brep", ".json", ".csv", ".txt", ".dat")


def script_inputs(design: Design) -> list[Path]:
    """The design folder's input files (validation refused any symlink in the folder), in name order."""
    folder = Path(design.folder)
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in INPUT_SUFFIXES and p.is_file()
                  and not p.is_symlink()) if folder.is_dir() else []


def cache_key(design: Design, variant: Variant, mesh: MeshSettings) -> str:
    inputs = script_inputs(design)
    recipe = {
        "format": EXPORT_FORMAT_VERSION,
        "script": hashlib.sha256(design.script_path.read_bytes()).hexdigest(),
        "slug": design.slug,  # names the STEP product
        "variant": variant.name,
        "parameters": sorted(variant.parameters.items()),
        "mesh": asdict(mesh),
        "toolchain": toolchain_versions(),
    }
    if inputs:  # only then: the keys of every design without inputs stay what they were
        recipe["inputs"] = [(p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in inputs]
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()


class CadCache:
    def __init__(self, folder: Path):
        self.folder = folder

    def entry(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def lookup(self, key: str) -> Path | None:
        entry = self.entry(key)
        return entry if (entry / "facts.json").is_file() else None

    @property
    def scratch(self) -> Path:
        """Where workers write before a commit: inside the cache, so that a commit is one rename."""
        return self.folder / "tmp"

    def staging(self, key: str) -> Path:
        """A fresh private folder for one job: `script/` for the script child, `export/` for the export child."""
        folder = self.scratch / f"{key}-{os.getpid()}"
        remove_tree(folder)
        for part in ("script", "export"):
            (folder / part).mkdir(parents=True)
        return folder

    def commit(self, key: str, staging: Path) -> Path:
        """Move a complete folder into place in one rename; a reader sees all or nothing."""
        entry = self.entry(key)
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            os.rename(staging, entry)
        except OSError as err:
            remove_tree(staging)
            # Another build committed the same key first: its files are the same bytes. Anything else
            # (a full disk, a read-only cache) leaves no entry, and the caller must hear of it.
            if err.errno not in (errno.EEXIST, errno.ENOTEMPTY) or self.lookup(key) is None:
                raise
        return entry

    def discard(self, staging: Path) -> None:
        remove_tree(staging)  # however deep a tree a script left in it
