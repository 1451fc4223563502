"""Small designs written by the tests themselves: a script text and the box's metadata around it."""
from __future__ import annotations

from pathlib import Path

import yaml

from .conftest import FIXTURES

BOX_METADATA = FIXTURES / "designs" / "box" / "design.yaml"


def write_design(root: Path, slug: str, script: str, parameters: dict[str, dict] | None = None) -> Path:
    """designs/<slug>/ with `script` as <slug>.py and a valid design.yaml declaring `parameters`."""
    folder = root / "designs" / slug
    folder.mkdir(parents=True, exist_ok=True)
    data = yaml.safe_load(BOX_METADATA.read_text())
    data.update(id=slug, script=f"{slug}.py", variants=[{"name": "default", "description": "The defaults."}])
    data["parameters"] = parameters or {"size": {"default": 10.0, "unit": "mm", "min": 1, "max": 500, "description": "Size."}}
    (folder / "design.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    (folder / f"{slug}.py").write_text(script, encoding="utf-8")
    return folder


def box_script(body: str = "", size: float = 10.0) -> str:
    """A valid CQGI script showing a cube, with `body` inserted before show_object."""
    return f'"""A test script."""\nimport cadquery as cq\n\nsize = {size}  # mm\n\nresult = cq.Workplane("XY").box(size, size, size)\n{body}show_object(result)\n'
