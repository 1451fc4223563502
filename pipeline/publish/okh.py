"""An Open Know-How manifest (OKH-LOSH v1.0, okh.toml) per design, generated from design.yaml and the build.

Validated in the tests against the published OKH-LOSH JSON schema.
It claims no standard compliance: these designs comply with none.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..cutting.summary import run_entry as cut_run_entry
from ..model import Design, Download, PublishedVariant
from ..production.summary import run_entry
from ..siteinfo import SiteInfo
from .facts import NOT_REVIEWED, ReviewStatus, authors_line, masses_g, outer_dimensions_mm, text

OKH_VERSION = "OKH-LOSHv1.0"
# The strongest review that still matches the files, as an Open Technology Readiness Level:
# none is a prototype (made and tried by its authors); a reviewed design is still not a certified product.
READINESS = {None: "OTRL-3", "maker-test-print": "OTRL-4", "community-test": "OTRL-4",
             "requalification": "OTRL-4", "clinical-assessment": "OTRL-4"}


def write_manifest(design: Design, variants: tuple[PublishedVariant, ...], script: Download,
                   bundle: Download, site: SiteInfo, target: Path, status: ReviewStatus = NOT_REVIEWED) -> Path:
    target.write_text(toml_document(manifest(design, variants, script, bundle, site, status)), encoding="utf-8")
    return target


def manifest(design: Design, variants: tuple[PublishedVariant, ...], script: Download,
             bundle: Download, site: SiteInfo, status: ReviewStatus = NOT_REVIEWED) -> dict[str, Any]:
    first = variants[0]
    document = {
        "okhv": OKH_VERSION,
        "name": design.title.en,
        "repo": site.repo_url or site.site_url,  # OKH-LOSH: the source repository, not the design's page
        "version": design.version or "0.0",
        "release": site.download_link(bundle),
        "license": design.licence,
        "licensor": authors_line(design),
        "function": " ".join(filter(None, (design.summary.en, text(design.intended_use)))),
        "documentation-language": ["en", "fr"],
        "technology-readiness-level": READINESS[status.scope],
        "documentation-readiness-level": "ODRL-3",
        "tsdc": ["3DP"],
        "image": site.download_link(first.picture),
        "source": [site.download_link(script)],
        "user-manual": site.page_url(f"en/designs/{design.slug}.md"),
        "manufacturing-instructions": site.page_url(f"en/designs/{design.slug}.md") + _section(design),
        # Not an OKH-LOSH field: how it is made, as words (its TsDC codes name 3D printing; we name no code we are
        # not sure of for laser cutting)
        "manufacturing-process": ["laser cutting"] if design.cutting else ["3D printing"],
        # Not an OKH-LOSH field (its texts are single strings): the French texts, kept with the English ones.
        "translations": {"fr": {
            "name": text(design.title, "fr"),
            "function": " ".join(filter(None, (text(design.summary, "fr"), text(design.intended_use, "fr")))),
            "user-manual": site.page_url(f"fr/designs/{design.slug}.md"),
            "manufacturing-instructions": site.page_url(f"fr/designs/{design.slug}.md") + _section(design, "fr"),
        }},
    }
    document |= _physical(design, first)
    document["part"] = [{"name": f"{design.title.en} ({v.artifact.job.variant.name})",
                         "image": site.download_link(v.picture), "tsdc": "3DP",
                         "source": [site.download_link(script)],
                         "export": [site.download_link(d) for d in v.files]} | _physical(design, v) | _production(v, site)
                        | _cutting(v, site) for v in variants]
    return document


def _section(design: Design, lang: str = "en") -> str:
    """The page's section with the making figures: #cutting for a cut design (#decoupe in French), else #production."""
    if design.cutting:
        return "#decoupe" if lang == "fr" else "#cutting"
    return "#production"


def _cutting(variant: PublishedVariant, site: SiteInfo) -> dict[str, Any]:
    """The cut parts' DXF and SVG as exports, the nested sheets as auxiliary files, and the cut figures in our
    own `cutting` tables (OKH-LOSH v1.0 has no field for cutting time or output per day)."""
    if not variant.cut_parts:
        return {}
    return {"export": [site.download_link(d) for d in variant.files]
                      + [site.download_link(d) for c in variant.cut_parts for d in (c.dxf, c.svg)],
            "auxiliary": [site.download_link(d) for r in variant.cutting for pair in r.sheets for d in pair],
            "cutting": [cut_run_entry(r, site) for r in variant.cutting]}


def _production(variant: PublishedVariant, site: SiteInfo) -> dict[str, Any]:
    """The arranged plates as auxiliary files (OKH-LOSH's place for files useful in making it), and the slicer's
    figures in our own `production` tables (OKH-LOSH v1.0 has no field for print time or output per day)."""
    if not variant.production:
        return {}
    return {"auxiliary": [site.download_link(r.plate) for r in variant.production],
            "production": [run_entry(r, site) for r in variant.production]}


def _physical(design: Design, variant: PublishedVariant) -> dict[str, Any]:
    x, y, z = outer_dimensions_mm(variant.artifact)
    facts: dict[str, Any] = {"outer-dimensions": {"openSCAD": f"cube(size = [{x:g}, {y:g}, {z:g}])", "unit": "mm"}}
    masses = masses_g(design, variant.artifact)
    if masses:
        facts["mass"] = {"value": round(masses[0][1], 1), "unit": "g"}
    return facts


def toml_document(document: dict[str, Any], prefix: str = "") -> str:
    """TOML for the manifest's shapes: scalars and lists of scalars, then tables, then arrays of tables."""
    scalars = {k: v for k, v in document.items() if not isinstance(v, dict) and not _is_table_array(v)}
    lines = [f"{_key(k)} = {_value(v)}" for k, v in scalars.items()]
    for key, table in ((k, v) for k, v in document.items() if isinstance(v, dict)):
        lines += ["", f"[{prefix}{_key(key)}]", toml_document(table, f"{prefix}{_key(key)}.").rstrip("\n")]
    for key, tables in ((k, v) for k, v in document.items() if _is_table_array(v)):
        for table in tables:
            lines += ["", f"[[{prefix}{_key(key)}]]", toml_document(table, f"{prefix}{_key(key)}.").rstrip("\n")]
    return "\n".join(line for line in lines if line is not None) + "\n"


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _key(key: str) -> str:
    return key if key.replace("-", "").replace("_", "").isalnum() and key.isascii() else json.dumps(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)
