"""Publish stage: lay out the downloadable files where the site will serve them.

For each design, in `downloads/<slug>/`: every variant in every format with
its picture, the CadQuery script, a SHA256SUMS file, the zip bundle and the
Open Know-How manifest. Generated folders are written beside their final place
and swapped in by rename, so an interrupted build never leaves a half-written tree.

Each way of making's files (pipeline/making/: plates, cut parts, nested sheets, ...) are placed beside the
variant's own, whatever the method. Every published file is a Download with a role (making.contract.FILE_ROLES),
gathered once in PublishedDesign.files: SHA256SUMS, the zip, okh.toml, catalogue.json, the page and the host
all read that list. With a download host (`extra.downloads_url` in mkdocs.yml), every file but those pages
display (pictures, the viewer's GLB) leaves the docs folder for `downloads-host/`, under content-addressed
names (siteinfo.host_path), for tools/upload_downloads.py to publish.
"""
from __future__ import annotations

import hashlib
import shutil
from collections import defaultdict
from functools import partial
from pathlib import Path

from ..built import Artifact
from ..forking import side_by_side
from ..fsutil import fresh_staging, link_or_copy, replace_dir
from ..making.contract import FILE_ROLES, MadeVariant, PublishedMade, Registry
from ..making.records import PublishedDesign, PublishedStep, PublishedVariant
from ..model import Design, Download, Problem
from ..siteinfo import SiteInfo, host_path
from ..source.bom import step_photo
from ..trust_records import DesignTrust
from .bom import bom_csv, bom_csv_name
from .bundles import write_bundle
from .facts import review_status
from .okh import write_manifest
from .sheet_template import write_templates
from .trust import publish_trust

FORMATS = ("stl", "step", "3mf", "glb")
FORMAT_ROLES = {"stl": "model", "step": "model", "3mf": "model", "glb": "viewer"}
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
                      made: dict[str, tuple[MadeVariant, ...]], docs_dir: Path, site: SiteInfo,
                      bundle_cache: Path, trust: dict[str, DesignTrust] | None = None,
                      host_dir: Path | None = None, glbs: dict[Path, Path] | None = None,
                      step_pictures: dict[tuple[str, int], Path] | None = None,
                      methods: Registry | None = None, problems: list[Problem] | None = None) -> list[PublishedDesign]:
    """`made`: what each way of making made of each variant, by artifact key (making.build.gather_made).
    `problems`: where a design whose files could not be written is named (it is left out, the others publish).
    `glbs`: the compressed GLB (glb.compressed_glbs) of each built one, published in its place.
    `step_pictures`: the rendered view of each assembly step that has one, by (slug, step index).
    `methods`: the ways of making, for okh.toml's process and each method's entries."""
    complete = complete_designs(designs, artifacts)
    glbs = glbs or {}
    methods = methods if methods is not None else Registry()
    staging = fresh_staging(docs_dir / "downloads")

    def publish_one(design: Design, built: list[Artifact]) -> PublishedDesign:
        return _publish_design(design, built, pictures, made, staging, site, bundle_cache, trust, glbs, step_pictures,
                               methods)

    def publish_share(share: list[tuple[Design, list[Artifact]]]) -> list[PublishedDesign | Problem]:
        return [_publish_or_problem(design, built, staging, publish_one, problems is not None) for design, built in share]

    published = []
    inherited = [*designs, *artifacts, *(m for made_of_one in made.values() for m in made_of_one)]
    for outcome in _side_by_side_in_shares(complete, publish_share, inherited):
        if isinstance(outcome, Problem):
            problems.append(outcome)
        else:
            published.append(outcome)
    if host_dir is not None:
        _move_to_host(published, site, staging, host_dir)
    replace_dir(staging, docs_dir / "downloads")
    return published


SHARES = 2  # forked copies that publish the designs side by side: one per core of the machines this runs on


def _side_by_side_in_shares(complete: list[tuple[Design, list[Artifact]]], publish_share, inherited: list) -> list:
    """Each design's outcome, in the designs' order. A thousand designs' zips, manifests and checksums are seconds
    of one core: with a core to spare they are written in forked copies, each a share of the designs (every
    SHARES-th one), each into its own design folders of the one staging folder. `inherited`: the records the
    outcomes refer to (designs, built variants, what was made of them), passed back as references."""
    done = side_by_side({f"publish, share {i + 1} of {SHARES}": partial(publish_share, complete[i::SHARES])
                         for i in range(SHARES) if complete[i::SHARES]}, shared=inherited)
    shares = [iter(finished.value) for finished in done.values()]
    return [next(shares[i % SHARES]) for i in range(len(complete))]


def _publish_or_problem(design: Design, built: list[Artifact], staging: Path, publish,
                        as_problem: bool) -> PublishedDesign | Problem:
    try:
        return publish(design, built)
    except Exception as err:  # one design's contents (a hostile number, a library's bug) never stop the others
        if not as_problem:
            raise
        shutil.rmtree(staging / design.slug, ignore_errors=True)
        return Problem.at(f"its downloads could not be written ({type(err).__name__}: {str(err)[:200]}); it is not "
                          "published, the others are", file=f"designs/{design.slug}", design=design.slug)


def _publish_design(design: Design, built: list[Artifact], pictures: dict[str, Path],
                    made: dict[str, tuple[MadeVariant, ...]], staging: Path, site: SiteInfo, bundle_cache: Path,
                    trust: dict[str, DesignTrust] | None, glbs: dict[Path, Path],
                    step_pictures: dict[tuple[str, int], Path] | None, methods: Registry) -> PublishedDesign:
    folder = staging / design.slug
    folder.mkdir(parents=True)
    variants = tuple(_publish_variant(a, pictures[a.job.key], made[a.job.key], staging, glbs)  # every key: gather_made
                     for a in built)
    script = _place(design.script_path, folder / design.script_path.name, staging, "source", link=False)
    templates, bom = _workshop_files(design, variants, folder, staging, bundle_cache.parent / "sheet-templates")
    steps = _publish_steps(design, folder, staging, step_pictures or {})
    files = design_files(variants, script, templates, bom, steps)
    checksums = _write_checksums(folder, files, staging)
    reviews, reports = publish_trust(design, (trust or {}).get(design.slug, DesignTrust()), variants, folder,
                                     lambda path, role: describe(path, staging, role))
    status = review_status(reviews)
    bundle = describe(write_bundle(design, variants, folder, folder / f"{design.slug}.zip", bundle_cache, status,
                                   files), staging, "bundle")
    manifest = describe(write_manifest(design, variants, script, bundle, site, folder / "okh.toml", status,
                                       bom=bom, methods=methods, files=files), staging, "manifest")
    files += (checksums, bundle, manifest, *(d for r in reviews for d in (*r.files, *filter(None, [r.checksums]))),
              *(r.photo for r in reports if r.photo is not None))
    return PublishedDesign(design, variants, script, checksums, bundle, manifest, reviews, reports,
                           templates, bom, steps, files=files)


def design_files(variants: tuple[PublishedVariant, ...], script: Download, templates: tuple[Download, ...],
                 bom: Download | None, steps: tuple[PublishedStep, ...]) -> tuple[Download, ...]:
    """Every file of a design that SHA256SUMS names, in the order pages list them: each variant's (its formats,
    its picture, then what each way of making made of it), the script, the workshop's files, the step pictures."""
    files = [d for v in variants for d in (*v.files, v.picture, *(d for m in v.made for d in m.downloads))]
    files += [script, *templates, *([bom] if bom else []), *(s.picture for s in steps if s.picture is not None)]
    return tuple(files)


def _workshop_files(design: Design, variants: tuple[PublishedVariant, ...], folder: Path, staging: Path,
                    template_cache: Path) -> tuple[tuple[Download, ...], Download | None]:
    """The sheet's 1:1 template (a design with a sheet) and the BOM as CSV (a design with a BOM)."""
    templates = ()
    if design.sheet is not None:
        templates = tuple(describe(path, staging, "template") for path in write_templates(design, folder, template_cache))
    bom = None
    if design.bom is not None:
        (folder / bom_csv_name(design.slug)).write_bytes(bom_csv(variants))
        bom = describe(folder / bom_csv_name(design.slug), staging, "bom")
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
            picture = describe(target, staging, "step-picture")
        elif (design.slug, index) in rendered:
            picture = _place(rendered[(design.slug, index)], folder / f"{design.slug}-assembly-{index + 1}.png", staging,
                             "step-picture")
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
    return [d for d in p.files if site.is_hosted(d)]


def _publish_variant(artifact: Artifact, picture: Path, made: tuple[MadeVariant, ...], staging: Path,
                     glbs: dict[Path, Path]) -> PublishedVariant:
    """`glbs`: the compressed GLB of each cached one (the cached one itself when not compressing)."""
    sources = {fmt: artifact.file(fmt) for fmt in FORMATS}
    sources["glb"] = glbs.get(sources["glb"], sources["glb"])
    folder = staging / artifact.job.design.slug
    files = tuple(_place(sources[fmt], folder / download_name(artifact, fmt), staging, FORMAT_ROLES[fmt])
                  for fmt in FORMATS)
    png = _place(picture, folder / download_name(artifact, "png"), staging, "picture")
    return PublishedVariant(artifact, files, png, tuple(
        PublishedMade(m, artifact, tuple(_place(f.source, folder / f.name, staging, f.role) for f in m.files))
        for m in made))


def _place(source: Path, target: Path, staging: Path, role: str, link: bool = True) -> Download:
    """Hard-link from the cache; copy sources, which an editor may change in place. Two files of one design
    under one name would be a way of making's bug (its names start with the variant's stem): refused."""
    if target.exists():
        raise FileExistsError(f"two published files of {target.parent.name} are named {target.name}")
    if link:
        link_or_copy(source, target)
    else:
        shutil.copyfile(source, target)
    return describe(target, staging, role)


def _write_checksums(folder: Path, files: tuple[Download, ...], staging: Path) -> Download:
    """SHA256SUMS in the format `sha256sum -c` checks."""
    lines = "".join(f"{f.sha256}  {f.name}\n" for f in sorted(files, key=lambda f: f.name))
    target = folder / "SHA256SUMS"
    target.write_text(lines, encoding="utf-8")
    return describe(target, staging, "checksums")


def describe(path: Path, staging: Path, role: str) -> Download:
    if role not in FILE_ROLES:
        raise ValueError(f"unknown file role {role!r}")
    data = path.read_bytes()
    return Download(f"downloads/{path.relative_to(staging).as_posix()}", len(data), hashlib.sha256(data).hexdigest(),
                    role=role)


