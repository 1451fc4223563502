"""Publish stage: lay out the downloadable files where the site will serve them.

For each design, in `downloads/<slug>/`: every variant in every format with
its picture, the CadQuery script, a SHA256SUMS file, the zip bundle and the
Open Know-How manifest. Generated folders are written beside their final place
and swapped in by rename, so an interrupted build never leaves a half-written tree.

With a download host (`extra.downloads_url` in mkdocs.yml), the large files
(siteinfo.HOSTED_FORMATS) leave the docs folder for `downloads-host/`, under
content-addressed names (siteinfo.host_path), for tools/upload_downloads.py to publish.
"""
from __future__ import annotations

import hashlib
import shutil
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from ..fsutil import fresh_staging, link_or_copy, replace_dir
from ..model import (
    Artifact,
    CutVariant,
    Design,
    DesignTrust,
    Download,
    ProductionRun,
    PublishedCutPart,
    PublishedCutRun,
    PublishedDesign,
    PublishedRun,
    PublishedStep,
    PublishedVariant,
)
from ..siteinfo import SiteInfo, host_path
from ..source.bom import step_photo
from .bom import bom_csv, bom_csv_name
from .bundles import write_bundle
from .facts import cut_downloads, review_status
from .okh import write_manifest
from .sheet_template import write_templates
from .trust import publish_trust

FORMATS = ("stl", "step", "3mf", "glb")
FORMAT_TITLES = {"stl": "STL", "step": "STEP", "3mf": "3MF", "glb": "GLB"}


def download_name(artifact: Artifact, fmt: str) -> str:
    return f"{artifact.job.stem}.{fmt}"


def download_path(artifact: Artifact, fmt: str) -> str:
    """Path of a download relative to the docs folder."""
    return f"downloads/{artifact.job.design.slug}/{download_name(artifact, fmt)}"


def complete_designs(designs: list[Design], artifacts: list[Artifact]) -> list[tuple[Design, list[Artifact]]]:
    """Designs whose every variant built, with their artifacts in variant order; others are not published."""
    by_design: dict[str, list[Artifact]] = defaultdict(list)
    for artifact in artifacts:
        by_design[artifact.job.design.slug].append(artifact)
    return [(d, by_design[d.slug]) for d in designs if len(by_design[d.slug]) == len(d.variants)]


def publish_downloads(designs: list[Design], artifacts: list[Artifact], pictures: dict[str, Path],
                      production: dict[str, tuple[ProductionRun, ...]], docs_dir: Path, site: SiteInfo,
                      bundle_cache: Path, trust: dict[str, DesignTrust] | None = None,
                      host_dir: Path | None = None, glbs: dict[Path, Path] | None = None,
                      step_pictures: dict[tuple[str, int], Path] | None = None,
                      cutting: dict[str, CutVariant] | None = None) -> list[PublishedDesign]:
    """`glbs`: the compressed GLB (glb.compressed_glbs) of each built one, published in its place.
    `step_pictures`: the rendered view of each assembly step that has one, by (slug, step index).
    `cutting`: the cut parts' files and figures (cutting.build.cut_variants) by artifact key."""
    complete = complete_designs(designs, artifacts)
    glbs = glbs or {}
    cutting = cutting or {}
    staging = fresh_staging(docs_dir / "downloads")
    published = []
    for design, built in complete:
        folder = staging / design.slug
        folder.mkdir(parents=True)
        variants = tuple(_publish_cutting(_publish_variant(a, pictures[a.job.key], production.get(a.job.key, ()),
                                                           staging, glbs), cutting.get(a.job.key), staging)
                         for a in built)
        script = _place(design.script_path, folder / design.script_path.name, staging, link=False)
        plates = [r.plate for v in variants for r in v.production] + [d for v in variants for d in cut_downloads(v)]
        templates, bom = _workshop_files(design, folder, staging, bundle_cache.parent / "sheet-templates")
        steps = _publish_steps(design, folder, staging, step_pictures or {})
        step_files = tuple(s.picture for s in steps if s.picture is not None)
        checksums = _write_checksums(folder, [f for v in variants for f in (*v.files, v.picture)] + plates + [script]
                                     + list(templates) + ([bom] if bom else []) + list(step_files), staging)
        reviews, reports = publish_trust(design, (trust or {}).get(design.slug, DesignTrust()), variants, folder,
                                         lambda path: describe(path, staging))
        status = review_status(reviews)
        bundle = write_bundle(design, variants, folder, folder / f"{design.slug}.zip", bundle_cache, status,
                              extra=tuple(templates) + ((bom,) if bom else ()) + step_files)
        manifest = write_manifest(design, variants, script, describe(bundle, staging), site, folder / "okh.toml", status,
                                  bom=bom)
        published.append(PublishedDesign(design, variants, script, checksums, describe(bundle, staging),
                                         describe(manifest, staging), reviews, reports, templates, bom, steps))
    if host_dir is not None:
        _move_to_host(published, site, staging, host_dir)
    replace_dir(staging, docs_dir / "downloads")
    return published


def _workshop_files(design: Design, folder: Path, staging: Path,
                    template_cache: Path) -> tuple[tuple[Download, ...], Download | None]:
    """The sheet's 1:1 template (a design with a sheet) and the BOM as CSV (a design with a BOM)."""
    templates = ()
    if design.sheet is not None:
        templates = tuple(describe(path, staging) for path in write_templates(design, folder, template_cache))
    bom = None
    if design.bom is not None:
        (folder / bom_csv_name(design.slug)).write_bytes(bom_csv(design))
        bom = describe(folder / bom_csv_name(design.slug), staging)
    return templates, bom


def _publish_steps(design: Design, folder: Path, staging: Path,
                   rendered: dict[tuple[str, int], Path]) -> tuple[PublishedStep, ...]:
    """Each step with its picture, <slug>-assembly-<n>.png (or .jpg): the rendered view, or the photo re-encoded
    without metadata (validated already; a step VTK could not draw is published with its text alone)."""
    steps = []
    for index, step in enumerate(design.steps):
        picture = None
        if step.photo is not None:
            data, suffix = step_photo(design, step)
            target = folder / f"{design.slug}-assembly-{index + 1}.{suffix}"
            target.write_bytes(data)
            picture = describe(target, staging)
        elif (design.slug, index) in rendered:
            picture = _place(rendered[(design.slug, index)], folder / f"{design.slug}-assembly-{index + 1}.png", staging)
        steps.append(PublishedStep(step, picture))
    return tuple(steps)


def _move_to_host(published: list[PublishedDesign], site: SiteInfo, staging: Path, host_dir: Path) -> None:
    """Move the hosted files out of the docs folder into `host_dir` (emptied when there is no host)."""
    if not site.downloads_url:
        shutil.rmtree(host_dir, ignore_errors=True)
        return
    host_staging = fresh_staging(host_dir)
    for download in (d for p in published for d in hosted_files(p, site)):
        source, target = staging / download.path.removeprefix("downloads/"), host_staging / host_path(download)
        target.parent.mkdir(exist_ok=True)
        source.replace(target)  # two designs with identical bytes: the same name, the same file
    replace_dir(host_staging, host_dir)


def hosted_files(p: PublishedDesign, site: SiteInfo) -> list[Download]:
    files = [d for v in p.variants for d in (*v.files, v.picture, *(r.plate for r in v.production), *cut_downloads(v))]
    files += [p.script, p.checksums, p.bundle, p.manifest, *p.templates, *([p.bom_csv] if p.bom_csv else [])]
    files += [s.picture for s in p.steps if s.picture is not None]
    files += [d for review in p.reviews for d in review.files]  # the reviewed files of an older version
    return [d for d in files if site.is_hosted(d)]


def _publish_variant(artifact: Artifact, picture: Path, runs: tuple[ProductionRun, ...], staging: Path,
                     glbs: dict[Path, Path]) -> PublishedVariant:
    """`glbs`: the compressed GLB of each cached one (the cached one itself when not compressing)."""
    sources = {fmt: artifact.file(fmt) for fmt in FORMATS}
    sources["glb"] = glbs.get(sources["glb"], sources["glb"])
    files = tuple(_place(sources[fmt], staging / download_path(artifact, fmt).removeprefix("downloads/"), staging)
                  for fmt in FORMATS)
    png = _place(picture, staging / download_path(artifact, "png").removeprefix("downloads/"), staging)
    plates = tuple(PublishedRun(run, _place(run.plate_3mf, staging / plate_path(artifact, run).removeprefix("downloads/"),
                                            staging)) for run in runs)
    return PublishedVariant(artifact, files, png, plates)


def _publish_cutting(published: PublishedVariant, cut: CutVariant | None, staging: Path) -> PublishedVariant:
    """The cut parts' DXF and SVG, and each laser's nested sheets, beside the variant's other files."""
    if cut is None:
        return published
    artifact = published.artifact

    def place(source: Path, path: str) -> Download:
        return _place(source, staging / path.removeprefix("downloads/"), staging)

    parts = tuple(PublishedCutPart(f, place(f.dxf, cut_path(artifact, f.part, "dxf")),
                                   place(f.svg, cut_path(artifact, f.part, "svg"))) for f in cut.files)
    runs = tuple(PublishedCutRun(run, tuple((place(p.sheet_dxf, cut_path(artifact, p.part, "dxf", run.laser)),
                                             place(p.sheet_svg, cut_path(artifact, p.part, "svg", run.laser)))
                                            for p in run.parts)) for run in cut.runs)
    return replace(published, cut_parts=parts, cutting=runs)


def cut_path(artifact: Artifact, part: str, fmt: str, laser: str | None = None) -> str:
    """downloads/<slug>/<slug>-<variant>-<part>.<fmt>; a laser's nested sheet: ...-<part>-sheet-<laser>.<fmt>."""
    sheet = f"-sheet-{laser}" if laser else ""
    return download_path(artifact, fmt).removesuffix(f".{fmt}") + f"-{part}{sheet}.{fmt}"


def plate_path(artifact: Artifact, run: ProductionRun) -> str:
    """The arranged full plate for one reference printer: downloads/<slug>/<slug>-<variant>-plate-<printer>.3mf."""
    return download_path(artifact, "3mf").removesuffix(".3mf") + f"-plate-{run.printer}.3mf"


def _place(source: Path, target: Path, staging: Path, link: bool = True) -> Download:
    """Hard-link from the cache; copy sources, which an editor may change in place."""
    if link:
        link_or_copy(source, target)
    else:
        shutil.copyfile(source, target)
    return describe(target, staging)


def _write_checksums(folder: Path, files: list[Download], staging: Path) -> Download:
    """SHA256SUMS in the format `sha256sum -c` checks."""
    lines = "".join(f"{f.sha256}  {f.name}\n" for f in sorted(files, key=lambda f: f.name))
    target = folder / "SHA256SUMS"
    target.write_text(lines, encoding="utf-8")
    return describe(target, staging)


def describe(path: Path, staging: Path) -> Download:
    data = path.read_bytes()
    return Download(f"downloads/{path.relative_to(staging).as_posix()}", len(data), hashlib.sha256(data).hexdigest())


