"""catalogue.json: every published design, its metadata and facts, with absolute download URLs."""
from __future__ import annotations

import json
from typing import Any

from ..model import Download, PublishedDesign
from ..siteinfo import SiteInfo
from .facts import CATEGORY_TITLES, changed_parameters, masses_g, outer_dimensions_mm, rebuild_command

FORMAT_VERSION = 1
# design.yaml fields that describe the build, not the design, stay out.
INTERNAL_FIELDS = ("script", "mesh", "rules")


def catalogue_document(published: list[PublishedDesign], site: SiteInfo) -> str:
    document = {
        "format_version": FORMAT_VERSION,
        "site": site.site_url,
        "designs": [_design_entry(p, site) for p in published],
    }
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _design_entry(p: PublishedDesign, site: SiteInfo) -> dict[str, Any]:
    design = p.design
    return {
        "slug": design.slug,
        "page": site.page_url(f"designs/{design.slug}.md"),
        "category_title": CATEGORY_TITLES.get(design.metadata["category"], design.metadata["category"]),
        "metadata": {k: v for k, v in design.metadata.items() if k not in INTERNAL_FIELDS},
        "bundle": _file(p.bundle, site),
        "manifest": _file(p.manifest, site),
        "source": _file(p.script, site),
        "checksums": _file(p.checksums, site),
        "variants": [{
            "name": v.artifact.job.variant.name,
            "description": v.artifact.job.variant.description,
            "parameters": v.artifact.job.variant.parameters,
            "rebuild_command": rebuild_command(design, changed_parameters(design, v.artifact.job.variant)),
            "outer_dimensions_mm": outer_dimensions_mm(v.artifact),
            "volume_mm3": v.artifact.facts["volume_mm3"],
            "solid_mass_g": {m: round(g, 1) for m, g in masses_g(design, v.artifact)},
            "picture": _file(v.picture, site),
            "files": {d.format: _file(d, site) for d in v.files},
        } for v in p.variants],
    }


def _file(download: Download, site: SiteInfo) -> dict[str, Any]:
    return {"url": site.url(download.path), "size": download.size, "sha256": download.sha256}
