"""The 3D view's GLB, compressed with gltfpack (meshopt), cached by content.

A GLB is read by the browser on every "Rotate in 3D" and stays on GitHub Pages
(the 3D view reads it with a cross-origin request, which release downloads do
not allow), so its size counts twice: in the 1 GB Pages artifact and in readers'
data. Meshopt compression makes it several times smaller; model-viewer decodes
it with the vendored decoder (catalogue/assets/meshopt/). gltfpack is Node.js
(tools/gltf, installed by `make`); all files missing from the cache go to one
Node process. Same input, same gltfpack, same bytes.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from ..runner import Tool, ToolError, run

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "gltf"
GLTFPACK_ARGS = ["-cc"]  # meshopt compression, quantized positions (KHR_mesh_quantization): about 5x smaller
INSTALL = "npm ci --prefix tools/gltf (Node.js 18 or later)"
GLTFPACK = Tool("gltfpack (Node.js)", INSTALL)
COMPRESS_SECONDS, COMPRESS_SECONDS_PER_FILE = 60, 10  # a GLB takes well under a second; a hung one must not hang the build


class GlbCompressionError(Exception):
    pass


def gltfpack_version() -> str:
    package = TOOLS / "node_modules" / "gltfpack" / "package.json"
    try:
        return json.loads(package.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        raise GlbCompressionError(f"gltfpack is not installed; run: {INSTALL}") from None


def compressed_glbs(sources: list[Path], cache: Path) -> dict[Path, Path]:
    """The compressed file in `cache` for each source GLB, compressing only those not cached yet.

    A GLB gltfpack cannot compress is left out: that variant's problem (the caller names it), not the others'.
    A missing tool (Node.js, gltfpack) is GlbCompressionError, for the whole build."""
    recipe = f"{gltfpack_version()} {' '.join(GLTFPACK_ARGS)}\n".encode()
    targets = {source: cache / f"{hashlib.sha256(recipe + source.read_bytes()).hexdigest()}.glb" for source in sources}
    missing = sorted({target: source for source, target in targets.items() if not target.is_file()}.items())
    if missing:
        node = shutil.which("node")
        if node is None:
            raise GlbCompressionError(f"GLB compression needs Node.js; install it, then run: {INSTALL}")
        cache.mkdir(parents=True, exist_ok=True)
        jobs = [(source, target) for target, source in missing]
        if not _compress(node, jobs):  # one Node process for all; when one file fails, each on its own
            for job in jobs:
                _compress(node, [job])
    return {source: target for source, target in targets.items() if target.is_file()}


def _compress(node: str, jobs: list[tuple[Path, Path]]) -> bool:
    """Compress `jobs` in one Node process; whether all of them were."""
    partial = {target: target.with_name(f".{target.stem}.{os.getpid()}.part.glb") for _, target in jobs}
    listing = json.dumps([[str(source.resolve()), str(partial[target].resolve())] for source, target in jobs])
    try:
        done = run(GLTFPACK, [node, TOOLS / "compress.mjs", json.dumps(GLTFPACK_ARGS)], input=listing.encode(),
                   timeout_s=COMPRESS_SECONDS + COMPRESS_SECONDS_PER_FILE * len(jobs), check=False)
    except ToolError:  # did not finish (or vanished): none of these is compressed; one by one, each gets its own
        done = None
    ok = done is not None and done.returncode == 0
    for target, part in partial.items():
        if ok:
            os.replace(part, target)
        else:
            part.unlink(missing_ok=True)
    return ok
