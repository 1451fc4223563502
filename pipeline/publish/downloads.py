"""Publish stage: lay out the downloadable files where the site will serve them.

For each design, in `downloads/<slug>/`: every variant in every format with
its picture, the CadQuery script, a SHA256SUMS file, the zip bundle and the
Open Know-How manifest. Generated folders are written beside their final place
and swapped in by rename, so an interrupted build never leaves a half-written tree.
"""
from __future__ import annotations

import hashlib
import shutil
from collections import defaultdict
from pathlib import Path

from ..fsutil import fresh_staging, link_or_copy, replace_dir
from ..model import Artifact, Design, DesignTrust, Download, PublishedDesign, PublishedVariant
from ..siteinfo import SiteInfo
from .bundles import write_bundle
from .facts import review_status
from .okh import write_manifest
from .trust import publish_trust

FORMATS = ("stl", "step", "3mf", "glb")
FORMAT_TITLES = {"stl": "STL", "step": "STEP", "3mf": "3MF", "glb": "GLB"}


def download_name(artifact: Artifact, fmt: str) -> str:
    return f"{artifact.job.design.slug}-{artifact.job.variant.name}.{fmt}"


def download_path(artifact: Artifact, fmt: str) -> str:
    """Path of a download relative to the docs folder."""
    return f"downloads/{artifact.job.design.slug}/{download_name(artifact, fmt)}"


def download_url(download: Download, site_root: str) -> str:
    """The address a page links a published file with; `site_root` leads from the page to the site's root.

    Every link to a download goes through here (pages in both languages share one copy of each file).
    """
    return site_root + download.path


def complete_designs(designs: list[Design], artifacts: list[Artifact]) -> list[tuple[Design, list[Artifact]]]:
    """Designs whose every variant built, with their artifacts in variant order; others are not published."""
    by_design: dict[str, list[Artifact]] = defaultdict(list)
    for artifact in artifacts:
        by_design[artifact.job.design.slug].append(artifact)
    return [(d, by_design[d.slug]) for d in designs if len(by_design[d.slug]) == len(d.variants)]


def publish_downloads(designs: list[Design], artifacts: list[Artifact], pictures: dict[str, Path],
                      docs_dir: Path, site: SiteInfo, bundle_cache: Path,
                      trust: dict[str, DesignTrust] | None = None) -> list[PublishedDesign]:
    staging = fresh_staging(docs_dir / "downloads")
    published = []
    for design, built in complete_designs(designs, artifacts):
        folder = staging / design.slug
        folder.mkdir(parents=True)
        variants = tuple(_publish_variant(a, pictures[a.job.key], staging) for a in built)
        script = _place(design.script_path, folder / design.script_path.name, staging, link=False)
        checksums = _write_checksums(folder, [f for v in variants for f in (*v.files, v.picture)] + [script], staging)
        reviews, reports = publish_trust(design, (trust or {}).get(design.slug, DesignTrust()), variants, folder,
                                         lambda path: describe(path, staging))
        status = review_status(reviews)
        bundle = write_bundle(design, variants, folder, folder / f"{design.slug}.zip", bundle_cache, status)
        manifest = write_manifest(design, variants, script, describe(bundle, staging), site, folder / "okh.toml", status)
        published.append(PublishedDesign(design, variants, script, checksums, describe(bundle, staging),
                                         describe(manifest, staging), reviews, reports))
    replace_dir(staging, docs_dir / "downloads")
    return published


def _publish_variant(artifact: Artifact, picture: Path, staging: Path) -> PublishedVariant:
    files = tuple(_place(artifact.file(fmt), staging / download_path(artifact, fmt).removeprefix("downloads/"), staging)
                  for fmt in FORMATS)
    png = _place(picture, staging / download_path(artifact, "png").removeprefix("downloads/"), staging)
    return PublishedVariant(artifact, files, png)


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


