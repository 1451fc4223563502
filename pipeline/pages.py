"""Stage 6: render the catalogue's generated Markdown pages with Jinja2."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import jinja2

from .model import Artifact, Design
from .publish import FORMATS, download_name, download_path, fresh_staging, replace_dir

TEMPLATES = Path(__file__).resolve().parent / "templates"
CATEGORY_TITLES = {"visor": "Visors", "ear-saver": "Ear savers", "adapter": "Adapters", "door-opener": "Door openers"}


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["size"] = human_size
    env.filters["num"] = lambda v: f"{v:g}"
    env.filters["cell"] = lambda s: str(s).replace("|", "\\|").replace("\n", " ")
    return env


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1000 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size} B"


def render_pages(designs: list[Design], artifacts: list[Artifact], docs_dir: Path) -> list[Path]:
    """Write designs/index.md and one designs/<slug>.md per design that built."""
    env = environment()
    by_design: dict[str, list[Artifact]] = defaultdict(list)
    for artifact in artifacts:
        by_design[artifact.job.design.slug].append(artifact)
    shown = [d for d in designs if len(by_design[d.slug]) == len(d.variants)]
    staging = fresh_staging(docs_dir / "designs")
    written = []
    for design in shown:
        page = staging / f"{design.slug}.md"
        page.write_text(env.get_template("design.md.j2").render(design_context(design, by_design[design.slug], docs_dir)), encoding="utf-8")
        written.append(page)
    index = env.get_template("index.md.j2").render(categories=_by_category(shown), titles=CATEGORY_TITLES)
    (staging / "index.md").write_text(index, encoding="utf-8")
    replace_dir(staging, docs_dir / "designs")
    return written


def design_context(design: Design, artifacts: list[Artifact], docs_dir: Path) -> dict[str, Any]:
    meta = design.metadata
    return {
        "design": design,
        "meta": meta,
        "category_title": CATEGORY_TITLES[meta["category"]],
        "variants": [_variant_row(a) for a in artifacts],
        "mesh": artifacts[0].job.mesh,
    }


def _variant_row(artifact: Artifact) -> dict[str, Any]:
    facts = artifact.facts
    return {
        "variant": artifact.job.variant,
        "facts": facts,
        "downloads": [
            {"format": fmt.upper(), "name": download_name(artifact, fmt),
             "href": "../" + download_path(artifact, fmt), "size": artifact.file(fmt).stat().st_size}
            for fmt in FORMATS
        ],
    }


def _by_category(designs: list[Design]) -> list[tuple[str, list[Design]]]:
    groups: dict[str, list[Design]] = defaultdict(list)
    for design in designs:
        groups[design.metadata["category"]].append(design)
    return [(cat, groups[cat]) for cat in CATEGORY_TITLES if groups[cat]]
