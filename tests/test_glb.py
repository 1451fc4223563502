"""The 3D view's GLB: meshopt-compressed by gltfpack, deterministic, decoded by the vendored decoder."""
from __future__ import annotations

import json
import struct
from pathlib import Path

from pipeline.publish.glb import compressed_glbs

from .conftest import build

REPO = Path(__file__).resolve().parent.parent


def glb_json(data: bytes) -> dict:
    magic, _, _ = struct.unpack_from("<4sII", data)
    length, kind = struct.unpack_from("<I4s", data, 12)
    assert magic == b"glTF" and kind == b"JSON"
    return json.loads(data[20:20 + length])


def test_published_glbs_are_meshopt_compressed_and_smaller_than_built(catalogue):
    root, report = catalogue
    for artifact in report.artifacts:
        slug, variant = artifact.job.design.slug, artifact.job.variant.name
        published = (root / "site/downloads" / slug / f"{slug}-{variant}.glb").read_bytes()
        assert "EXT_meshopt_compression" in glb_json(published)["extensionsRequired"]
        assert len(published) * 2 < artifact.file("glb").stat().st_size


def test_compressing_again_gives_the_same_bytes(catalogue, tmp_path):
    _, report = catalogue
    sources = [a.file("glb") for a in report.artifacts[:3]]
    first = compressed_glbs(sources, tmp_path / "one")
    second = compressed_glbs(sources, tmp_path / "two")
    assert [first[s].read_bytes() for s in sources] == [second[s].read_bytes() for s in sources]


def test_the_decoder_is_vendored_with_its_licence_and_model_viewer_is_pointed_at_it():
    folder = REPO / "catalogue/assets/meshopt"
    assert "MeshoptDecoder" in (folder / "meshopt_decoder.js").read_text(encoding="utf-8")
    assert "MIT License" in (folder / "LICENSE").read_text(encoding="utf-8")
    viewer = (REPO / "catalogue/javascripts/design-viewer.js").read_text(encoding="utf-8")
    assert 'meshoptDecoderLocation = new URL("../../assets/meshopt/meshopt_decoder.js", here)' in viewer


def test_without_gltfpack_the_build_names_the_install_command_and_publishes_the_glb_uncompressed(
        box_project, monkeypatch):
    import pipeline.publish.glb as glb

    monkeypatch.setattr(glb, "TOOLS", box_project / "no-such-tools")
    report = build(box_project)
    assert [str(p) for p in report.problems] == [
        "tools/gltf: gltfpack is not installed; run: npm ci --prefix tools/gltf (Node.js 18 or later); "
        "the GLB files are published uncompressed"]
    published = box_project / "site/downloads/box/box-small.glb"  # the other stages went on: the site is built
    assert published.read_bytes() == next(a for a in report.artifacts if a.job.variant.name == "small").file(
        "glb").read_bytes()
    assert (box_project / "site/en/designs/box/index.html").is_file()
