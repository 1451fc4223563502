"""An Open Know-How manifest (OKH-LOSH v1.0, okh.toml) per design, generated from design.yaml and the build.

Validated in the tests against the published OKH-LOSH JSON schema.
It claims no standard compliance: these designs comply with none.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w

from ..cutting.summary import run_entry as cut_run_entry
from ..languages import LANGUAGES
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
                   bundle: Download, site: SiteInfo, target: Path, status: ReviewStatus = NOT_REVIEWED,
                   bom: Download | None = None) -> Path:
    document = manifest(design, variants, script, bundle, site, status) | workshop_fields(design, site, bom)
    if design.steps:
        document["translations"]["fr"]["manufacturing-instructions"] = [
            site.page_url(f"fr/designs/{design.slug}.md") + anchor for anchor in (_section(design, "fr"), "#assembly")]
    target.write_text(toml_document(document), encoding="utf-8")
    return target


def workshop_fields(design: Design, site: SiteInfo, bom: Download | None) -> dict[str, Any]:
    """OKH-LOSH's `bom` (the published CSV) and, for a design with assembly steps, its
    `manufacturing-instructions`: the page's production section and its assembly steps, in each language."""
    fields: dict[str, Any] = {"bom": site.download_link(bom)} if bom is not None else {}
    if design.steps:
        fields["manufacturing-instructions"] = [site.page_url(f"en/designs/{design.slug}.md") + anchor
                                                for anchor in (_section(design), "#assembly")]
    return fields


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
        "documentation-language": list(LANGUAGES),
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
        "translations": {lang: {
            "name": text(design.title, lang),
            "function": " ".join(filter(None, (text(design.summary, lang), text(design.intended_use, lang)))),
            "user-manual": site.page_url(f"{lang}/designs/{design.slug}.md"),
            "manufacturing-instructions": site.page_url(f"{lang}/designs/{design.slug}.md") + _section(design, lang),
        } for lang in LANGUAGES[1:]},
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


def toml_document(document: dict[str, Any]) -> str:
    """The manifest as TOML (tomli-w: scalars, then tables, then arrays of tables; strings kept as given)."""
    return tomli_w.dumps(document)
