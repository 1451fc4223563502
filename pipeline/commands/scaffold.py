"""`python build.py new <slug>`: a new design folder that validates and builds as generated."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from string import Template

from ..config import BuildConfig
from .one_design import CommandError

TEMPLATES = Path(__file__).resolve().parent / "new_design"
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # as the schema's `id`
MAX_SLUG = 64


def scaffold(config: BuildConfig, slug: str) -> list[Path]:
    """Write designs/<slug>/design.yaml and designs/<slug>/<slug>.py; returns their paths."""
    folder = check_new_slug(config, slug)
    script = f"{slug.replace('-', '_')}.py"
    values = {"slug": slug, "script": script, "title": slug.replace("-", " ").capitalize()}
    staging = folder.with_name(f".{slug}.new")  # hidden from discovery until complete
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for template, name in (("design.yaml", "design.yaml"), ("script.py", script)):
        text = Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(values)
        (staging / name).write_text(text, encoding="utf-8")
    os.rename(staging, folder)
    return [folder / "design.yaml", folder / script]


def check_new_slug(config: BuildConfig, slug: str) -> Path:
    """The folder designs/<slug> for a new design: the slug is valid and not taken."""
    if not SLUG.match(slug) or len(slug) > MAX_SLUG:
        raise CommandError(f"{slug!r}: not a slug; use lower-case words joined by hyphens, e.g. door-opener-19mm")
    folder = config.designs_dir / slug
    if folder.exists() or folder.is_symlink():
        raise CommandError(f"designs/{slug}: already exists; choose another slug or edit that design")
    return folder
