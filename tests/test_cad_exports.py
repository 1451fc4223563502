"""Every published file, read back as a user's tool would: STL, STEP, 3MF and GLB of every variant.

The expected variants come from design.yaml itself and the sizes are compared across formats,
so a missing, stale or wrongly scaled file fails here even when the build reports success.
"""
from __future__ import annotations

import functools
import json
import re
import struct
import zipfile

import numpy as np
import pytest
import trimesh
import yaml

from .conftest import real_designs

FORMATS = ("stl", "step", "3mf", "glb")


def published(catalogue, fmt):
    root, report = catalogue
    return [(a, root / "catalogue/downloads" / a.job.design.slug / f"{a.job.design.slug}-{a.job.variant.name}.{fmt}")
            for a in report.artifacts]


@functools.cache
def step_shape(path):
    """The STEP file read back by CadQuery (once per file for the whole session: reading is slow)."""
    import cadquery as cq

    return cq.importers.importStep(str(path)).val()


def glb_extent_m(path) -> np.ndarray:
    """Size of the mesh in a binary glTF: its POSITION accessors' min and max, times the scale of the nodes above
    it (the published GLB is quantized by gltfpack, which stores integer positions and a scale on the node)."""
    data = path.read_bytes()
    assert data[:4] == b"glTF", path.name
    length, kind = struct.unpack("<I4s", data[12:20])
    assert kind == b"JSON", path.name
    document = json.loads(data[20:20 + length])
    nodes = document.get("nodes", [])
    parents = {child: index for index, node in enumerate(nodes) for child in node.get("children", [])}
    extents = []
    for index, node in enumerate(nodes):
        if "mesh" not in node:
            continue
        scale, at = np.ones(3), index
        while at is not None:
            assert "matrix" not in nodes[at], path.name  # neither OCCT nor gltfpack writes one here
            scale = scale * np.array(nodes[at].get("scale", [1.0, 1.0, 1.0]))
            at = parents.get(at)
        positions = [document["accessors"][primitive["attributes"]["POSITION"]]
                     for primitive in document["meshes"][node["mesh"]]["primitives"]]
        low = np.min([a["min"] for a in positions], axis=0)
        high = np.max([a["max"] for a in positions], axis=0)
        extents.append((high - low) * scale)
    return np.max(extents, axis=0)


def test_every_variant_design_yaml_names_is_published_in_every_format(catalogue):
    root, _ = catalogue
    for design in real_designs():
        slug = design.name
        for variant in yaml.safe_load((design / "design.yaml").read_text(encoding="utf-8"))["variants"]:
            for fmt in FORMATS:
                path = root / "catalogue/downloads" / slug / f"{slug}-{variant['name']}.{fmt}"
                assert path.is_file() and path.stat().st_size > 0, path.name


def test_every_stl_is_watertight_and_matches_the_brep_volume(catalogue):
    for _, stl in published(catalogue, "stl"):
        mesh = trimesh.load_mesh(stl)
        assert mesh.is_watertight and mesh.is_winding_consistent, stl.name
        exact = step_shape(stl.with_suffix(".step")).Volume()
        assert mesh.volume == pytest.approx(exact, rel=0.005), stl.name


def test_every_step_reimports_as_the_declared_number_of_valid_solids(catalogue):
    for artifact, step in published(catalogue, "step"):
        shape = step_shape(step)
        assert len(shape.Solids()) == artifact.parts and shape.isValid(), step.name
        assert shape.Volume() == pytest.approx(artifact.facts.volume_mm3, rel=1e-6)


def test_every_glb_is_in_metres_and_as_large_as_the_stl(catalogue):
    for _, glb in published(catalogue, "glb"):
        stl_mm = trimesh.load_mesh(glb.with_suffix(".stl")).extents
        # glTF's unit is the metre, and its up axis Y: gltfpack bakes OCCT's Z-up-to-Y-up turn into the vertices,
        # so the three sizes are compared whatever axis carries them
        assert sorted(glb_extent_m(glb)) == pytest.approx(sorted(stl_mm / 1000), abs=2e-4), glb.name


def test_every_3mf_is_in_millimetres_with_the_stl_mesh(catalogue):
    for _, path in published(catalogue, "3mf"):
        with zipfile.ZipFile(path) as archive:
            model = archive.read("3D/3dmodel.model").decode("utf-8")
        assert 'unit="millimeter"' in model, path.name
        vertices = np.array([[float(v) for v in match] for match in
                             re.findall(r'<vertex x="([^"]+)" y="([^"]+)" z="([^"]+)"/>', model)])
        stl = trimesh.load_mesh(path.with_suffix(".stl"))
        assert model.count("<triangle ") == len(stl.faces), path.name
        assert vertices.max(axis=0) - vertices.min(axis=0) == pytest.approx(stl.extents, abs=1e-3), path.name
