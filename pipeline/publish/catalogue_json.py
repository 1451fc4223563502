"""catalogue.json: every published design, its metadata and facts, with absolute download URLs."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from ..categories import category_title
from ..fsutil import json_text, replace_file
from ..languages import LANGUAGES
from ..making.contract import MachineFigures, Registry
from ..making.records import PublishedDesign, PublishedVariant
from ..model import Design, Download, Parameter, Variant
from ..siteinfo import SiteInfo
from ..templating import localized
from .bom import bom_entries
from .facts import changed_parameters, masses_g, outer_dimensions_mm, rebuild_command, review_status, variant_masses

# 2: pages and category titles per language; free texts are {en, fr} (fr left out when not given).
FORMAT_VERSION = 2
# design.yaml fields that describe the build, not the design, stay out; so do the Design's own (where it lives).
INTERNAL_FIELDS = ("script", "mesh", "rules", "slug", "folder", "script_path")


def catalogue_document(published: list[PublishedDesign], site: SiteInfo, methods: Registry | None = None) -> str:
    methods = methods if methods is not None else Registry()
    document = {
        "format_version": FORMAT_VERSION,
        "site": site.site_url,
        "designs": [_design_entry(p, site, methods) for p in published],
    }
    return json_text(document)


def _design_entry(p: PublishedDesign, site: SiteInfo, methods: Registry) -> dict[str, Any]:
    design = p.design
    return {
        "slug": design.slug,
        "page": {lang: site.page_url(f"{lang}/designs/{design.slug}.md") for lang in LANGUAGES},
        "category_title": {lang: category_title(design.category, lang) for lang in LANGUAGES},
        # as each site shows them: French names from designs/tags.yml, English where it has none
        "tags": {lang: [localized(t, lang)[0] for t in design.tags] for lang in LANGUAGES},
        "metadata": design_fields(design),
        "made_by": list(design.made_by),  # its ways of making (pipeline/making/), default included
        "bundle": _file(p.bundle, site),
        "manifest": _file(p.manifest, site),
        "source": _file(p.script, site),
        "checksums": _file(p.checksums, site),
        "trust": _trust(p, site),
        "variants": [{
            "name": v.artifact.job.variant.name,
            "description": _plain(v.artifact.job.variant.description),
            "parameters": v.artifact.job.variant.parameters,
            "rebuild_command": rebuild_command(design, changed_parameters(design, v.artifact.job.variant)),
            "outer_dimensions_mm": outer_dimensions_mm(v.artifact),
            "volume_mm3": v.artifact.facts.volume_mm3,
            "solid_mass_g": {m: round(g, 1) for m, g in masses_g(design, v.artifact)},  # in each filament
            "mass_g": {m: round(g, 1) for m, g in variant_masses(v)},  # as made: a cut unit's parts by material
            "picture": _file(v.picture, site),
            "files": {d.format: _file(d, site) for d in v.files},
            "bom": bom_entries(v),
            "made": _made(v, site),
            "machines": [_machine(f) for m in v.made for f in m.made.machines],
            **{m.name: dict(m.catalogue_entry(made, site)) for m in methods if (made := v.made_by(m.name))},
        } for v in p.variants],
        # every file of the design, with its role: what SHA256SUMS, the zip and the host hold
        "all_files": [_file(d, site) | {"name": d.name, "role": d.role} for d in p.files],
    } | _workshop_files(p, site)


def _made(v: PublishedVariant, site: SiteInfo) -> list[dict[str, Any]]:
    """Each way of making's files of the variant, whatever the method: name, role, title."""
    return [_file(d, site) | {"name": d.name, "method": m.made.method, "role": d.role,
                              "title": {"en": f.title.en, "fr": f.title.fr or f.title.en}}
            for m in v.made for f, d in zip(m.made.files, m.downloads, strict=True)]


def _machine(f: MachineFigures) -> dict[str, Any]:
    """One reference machine's output, the same fields for a printer, a laser or a sewer."""
    return {"method": f.method, "kind": f.kind, "machine": f.machine, "title": {"en": f.title.en, "fr": f.title.fr or f.title.en},
            "seconds_per_unit": round(f.seconds_per_unit, 1), "units_per_day": round(f.units_per_day, 2),
            "load": {"en": f.load.en, "fr": f.load.fr or f.load.en}}


def _workshop_files(p: PublishedDesign, site: SiteInfo) -> dict[str, Any]:
    """The sheet's 1:1 template (SVG, PDFs) and the BOM as CSV, where the design has them."""
    files: dict[str, Any] = {"sheet_template": {d.name: _file(d, site) for d in p.templates}} if p.templates else {}
    return files | ({"bom_csv": _file(p.bom_csv, site)} if p.bom_csv else {})


def _trust(p: PublishedDesign, site: SiteInfo) -> dict[str, Any]:
    """The status derived from review records (null: a prototype), each record, and the print reports."""
    status = review_status(p.reviews)
    return {
        "review_status": status.scope, "reviewed_variants": list(status.variants),
        "reviews": [{"scope": r.check.record.scope, "reviewer": r.check.record.reviewer, "url": r.check.record.reviewer_url,
                     "date": r.check.record.date, "variant": r.check.record.variant, "matches": r.check.matches,
                     "reviewed_files": {d.name: _file(d, site) for d in r.files}} for r in p.reviews],
        "print_reports": {"current_files": sum(r.current for r in p.reports),
                          "older_files": sum(not r.current for r in p.reports)},
    }


def _file(download: Download, site: SiteInfo) -> dict[str, Any]:
    return {"url": site.download_link(download), "size": download.size, "sha256": download.sha256}


def design_fields(design: Design) -> dict[str, Any]:
    """design.yaml's fields as the contributor wrote them: optional ones only when given."""
    fields = {}
    for name in (f.name for f in dataclasses.fields(design) if f.name not in INTERNAL_FIELDS):
        if name == "parameters":
            fields[name] = {p.name: _parameter(p) for p in design.parameters}
        elif name == "variants":
            fields[name] = [_variant(design, v) for v in design.variants]
        elif name in ("bom", "steps", "cutting"):  # as written: a field left at its default is left out
            fields |= {name: _as_written(getattr(design, name))} if getattr(design, name) not in (None, ()) else {}
        elif name == "made_by":  # as written: left out when the default (printed), the entry's own made_by says it
            fields |= {name: list(design.made_by)} if design.made_by != Design.made_by else {}
        elif name == "tags":  # English, as written; the French names are the entry's own "tags"
            fields |= {"tags": [t.en for t in design.tags]} if design.tags else {}
        elif getattr(design, name) not in (None, ()):
            fields[name] = _plain(getattr(design, name))
    return fields


def _parameter(parameter: Parameter) -> dict[str, Any]:
    """A parameter as design.yaml declares it, by its kind."""
    spec: dict[str, Any] = {"default": parameter.default, "description": _plain(parameter.description)}
    if parameter.kind == "number":
        spec |= {"unit": parameter.unit, "min": parameter.min, "max": parameter.max}
        spec |= {"integer": True} if parameter.integer else {}
    else:
        spec["type"] = parameter.kind
        spec |= {"choices": list(parameter.choices)} if parameter.kind == "string" else {}
    return spec | ({"label": parameter.label} if parameter.label else {})


def _variant(design: Design, variant: Variant) -> dict[str, Any]:
    spec = {"name": variant.name, "description": _plain(variant.description)}
    changed = dict(changed_parameters(design, variant))
    return spec | {"parameters": changed} if changed else spec


def _as_written(value: Any) -> Any:
    """A dataclass as design.yaml wrote it: fields at their default value (None, False, (), 1...) left out."""
    if dataclasses.is_dataclass(value):
        return {f.name: _as_written(getattr(value, f.name)) for f in dataclasses.fields(value)
                if getattr(value, f.name) is not None and getattr(value, f.name) != f.default}
    if isinstance(value, tuple):
        return [_as_written(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    """A dataclass as JSON data: fields left out (None) are not written."""
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if getattr(value, f.name) is not None}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def write_catalogue_json(published: list[PublishedDesign], docs_dir: Path, site: SiteInfo,
                         methods: Registry | None = None) -> None:
    """catalogue.json at the docs folder's root, published once for both languages."""
    replace_file(docs_dir / "catalogue.json", catalogue_document(published, site, methods))
