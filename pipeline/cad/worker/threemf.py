"""A minimal 3MF writer (3MF core specification 1.x): one mesh object, millimetres, fixed zip metadata.

Ours, not trimesh's 3MF export: that one stamps its zip entries with the time of writing, so the same mesh
would give other bytes, and another SHA-256, on every build.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import quoteattr

from ...fsutil import deterministic_zip

if TYPE_CHECKING:  # trimesh and numpy cost a second to import: only the worker that writes 3MF pays it
    import numpy as np

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/>'
    '</Types>\n'
)
RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Target="/3D/3dmodel.model" Id="rel0" '
    'Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/>'
    '</Relationships>\n'
)


def write_3mf(stl: Path, path: Path, title: str) -> None:
    import trimesh

    mesh = trimesh.load_mesh(stl, file_type="stl", process=True)  # merges the STL's repeated vertices
    entries = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": RELATIONSHIPS,
        "3D/3dmodel.model": model_xml(mesh.vertices, mesh.faces, title),
    }
    path.write_bytes(deterministic_zip({name: text.encode("utf-8") for name, text in entries.items()}))


def model_xml(vertices: np.ndarray, faces: np.ndarray, title: str) -> str:
    vertex_lines = "".join(f'<vertex x="{x:.4f}" y="{y:.4f}" z="{z:.4f}"/>' for x, y, z in vertices.tolist())
    triangle_lines = "".join(f'<triangle v1="{a}" v2="{b}" v3="{c}"/>' for a, b, c in faces.tolist())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<model unit="millimeter" xml:lang="en-US" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02">'
        f'<metadata name="Title">{_text(title)}</metadata>'
        '<resources><object id="1" type="model">'
        f'<mesh><vertices>{vertex_lines}</vertices><triangles>{triangle_lines}</triangles></mesh>'
        '</object></resources><build><item objectid="1"/></build></model>\n'
    )


def _text(value: str) -> str:
    return quoteattr(value)[1:-1]
