"""An Open Know-How manifest (OKH-LOSH v1.0, okh.toml) per design, generated from design.yaml and the build.

Validated in the tests against the published OKH-LOSH JSON schema.
It claims no standard compliance: these designs comply with none.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w

from ..languages import LANGUAGES
from ..making.contract import FILE_ROLES, Registry, WayOfMaking
from ..making.records import PublishedVariant
from ..model import Design, Download
from ..siteinfo import SiteInfo
from .facts import NOT_REVIEWED, ReviewStatus, authors_line, outer_dimensions_mm, text, variant_masses

OKH_VERSION = "OKH-LOSHv1.0"
# The strongest review that still matches the files, as an Open Technology Readiness Level:
# none is a prototype (made and tried by its authors); a reviewed design is still not a certified product.
READINESS = {None: "OTRL-3", "maker-test-print": "OTRL-4", "community-test": "OTRL-4",
             "requalification": "OTRL-4", "clinical-assessment": "OTRL-4"}


def write_manifest(design: Design, variants: tuple[PublishedVariant, ...], script: Download,
                   bundle: Download, site: SiteInfo, target: Path, status: ReviewStatus = NOT_REVIEWED,
                   bom: Download | None = None, methods: Registry | None = None,
                   files: tuple[Download, ...] = ()) -> Path:
    """`files`: the design's files as SHA256SUMS names them; the workshop's (templates, assembly pictures) are
    the manifest's auxiliary files, each variant's are its part's."""
    used = (methods or Registry()).used_by(design)
    document = manifest(design, variants, script, bundle, site, status, used) | workshop_fields(design, site, bom, used)
    auxiliary = [site.download_link(d) for d in files if d.role in ("template", "step-picture")]
    if auxiliary:
        document["auxiliary"] = auxiliary
    if design.steps:
        document["translations"]["fr"]["manufacturing-instructions"] = [
            site.page_url(f"fr/designs/{design.slug}.md") + anchor for anchor in (_section(used, "fr"), "#assembly")]
    target.write_text(toml_document(document), encoding="utf-8")
    return target


def workshop_fields(design: Design, site: SiteInfo, bom: Download | None,
                    used: list[WayOfMaking] = ()) -> dict[str, Any]:
    """OKH-LOSH's `bom` (the published CSV) and, for a design with assembly steps, its
    `manufacturing-instructions`: the page's production section and its assembly steps, in each language."""
    fields: dict[str, Any] = {"bom": site.download_link(bom)} if bom is not None else {}
    if design.steps:
        fields["manufacturing-instructions"] = [site.page_url(f"en/designs/{design.slug}.md") + anchor
                                                for anchor in (_section(used), "#assembly")]
    return fields


def manifest(design: Design, variants: tuple[PublishedVariant, ...], script: Download,
             bundle: Download, site: SiteInfo, status: ReviewStatus = NOT_REVIEWED,
             used: list[WayOfMaking] = ()) -> dict[str, Any]:
    """`used`: the ways of making the design uses (their process words, TsDC codes, sections and entries)."""
    first = variants[0]
    tsdc = list(dict.fromkeys(m.tsdc for m in used if m.tsdc))
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
        **({"tsdc": tsdc} if tsdc else {}),
        "image": site.download_link(first.picture),
        "source": [site.download_link(script)],
        "user-manual": site.page_url(f"en/designs/{design.slug}.md"),
        "manufacturing-instructions": site.page_url(f"en/designs/{design.slug}.md") + _section(used),
        # Not an OKH-LOSH field: how it is made, as words (a method without a TsDC code we are sure of has none)
        "manufacturing-process": [m.process for m in used],
        # Not an OKH-LOSH field (its texts are single strings): the French texts, kept with the English ones.
        "translations": {lang: {
            "name": text(design.title, lang),
            "function": " ".join(filter(None, (text(design.summary, lang), text(design.intended_use, lang)))),
            "user-manual": site.page_url(f"{lang}/designs/{design.slug}.md"),
            "manufacturing-instructions": site.page_url(f"{lang}/designs/{design.slug}.md") + _section(used, lang),
        } for lang in LANGUAGES[1:]},
    }
    document |= _physical(design, first)
    document["part"] = [_part(design, v, script, site, used, tsdc) for v in variants]
    return document


def _section(used: list[WayOfMaking], lang: str = "en") -> str:
    """The page's section of the first way of making: the figures a workshop reads first."""
    return f"#{used[0].section_anchor(lang)}" if used else ""


def _part(design: Design, v: PublishedVariant, script: Download, site: SiteInfo, used: list[WayOfMaking],
          tsdc: list[str]) -> dict[str, Any]:
    """One variant: its files by their role's place in OKH (export: the thing itself; auxiliary: what makes it),
    then each way of making's own table under its name (OKH-LOSH v1.0 has no field for machine time or output
    per day)."""
    made = [d for m in v.made for d in m.downloads]
    part: dict[str, Any] = {"name": f"{design.title.en} ({v.artifact.job.variant.name})",
                            "image": site.download_link(v.picture), **({"tsdc": tsdc[0]} if tsdc else {}),
                            "source": [site.download_link(script)],
                            "export": [site.download_link(d) for d in (*v.files, *made)
                                       if FILE_ROLES[d.role].okh == "export"]}
    auxiliary = [site.download_link(d) for d in made if FILE_ROLES[d.role].okh == "auxiliary"]
    if auxiliary:
        part["auxiliary"] = auxiliary
    part |= _physical(design, v)
    for method in used:
        published = v.made_by(method.name)
        if published is not None:
            part[method.name] = dict(method.catalogue_entry(published, site))
    return part


def _physical(design: Design, variant: PublishedVariant) -> dict[str, Any]:
    x, y, z = outer_dimensions_mm(variant.artifact)
    facts: dict[str, Any] = {"outer-dimensions": {"openSCAD": f"cube(size = [{x:g}, {y:g}, {z:g}])", "unit": "mm"}}
    masses = variant_masses(variant)
    if masses:  # one number: a method's masses are the unit's parts (summed); filaments' are alternatives (the first)
        parts = any(m.made.masses_g for m in variant.made)
        facts["mass"] = {"value": round(sum(g for _, g in masses) if parts else masses[0][1], 1), "unit": "g"}
    return facts


def toml_document(document: dict[str, Any]) -> str:
    """The manifest as TOML (tomli-w: scalars, then tables, then arrays of tables; strings kept as given)."""
    return tomli_w.dumps(document)
