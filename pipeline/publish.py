"""Stage 5: lay out the downloadable files where the site will serve them.

For each design, in `downloads/<slug>/`: every variant in every format with
its picture, the CadQuery script, a SHA256SUMS file, the zip bundle and the
Open Know-How manifest. Generated folders are written beside their final place
and swapped in by rename, so an interrupted build never leaves a half-written tree.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Artifact, Design

if TYPE_CHECKING:
    from .siteinfo import SiteInfo

FORMATS = ("stl", "step", "3mf", "glb")
FORMAT_TITLES = {"stl": "STL", "step": "STEP", "3mf": "3MF", "glb": "GLB"}


@dataclass(frozen=True)
class Download:
    """One published file."""

    path: str  # relative to the docs folder: downloads/<slug>/<name>
    size: int
    sha256: str

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def format(self) -> str:
        return self.name.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class PublishedVariant:
    artifact: Artifact
    files: tuple[Download, ...]  # one per FORMATS, in that order
    picture: Download


@dataclass(frozen=True)
class PublishedDesign:
    design: Design
    variants: tuple[PublishedVariant, ...]
    script: Download
    checksums: Download
    bundle: Download
    manifest: Download  # okh.toml


def download_name(artifact: Artifact, fmt: str) -> str:
    return f"{artifact.job.design.slug}-{artifact.job.variant.name}.{fmt}"


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
                      docs_dir: Path, site: "SiteInfo", bundle_cache: Path) -> list[PublishedDesign]:
    from .bundles import write_bundle
    from .okh import write_manifest

    staging = fresh_staging(docs_dir / "downloads")
    published = []
    for design, built in complete_designs(designs, artifacts):
        folder = staging / design.slug
        folder.mkdir(parents=True)
        variants = tuple(_publish_variant(a, pictures[a.job.key], staging) for a in built)
        script = _place(design.script_path, folder / design.script_path.name, staging, link=False)
        checksums = _write_checksums(folder, [f for v in variants for f in (*v.files, v.picture)] + [script], staging)
        bundle = write_bundle(design, variants, folder, folder / f"{design.slug}.zip", bundle_cache)
        manifest = write_manifest(design, variants, script, describe(bundle, staging), site, folder / "okh.toml")
        published.append(PublishedDesign(design, variants, script, checksums,
                                         describe(bundle, staging), describe(manifest, staging)))
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


def fresh_staging(final: Path) -> Path:
    """An empty sibling folder of `final`, hidden from MkDocs (its name starts with a dot)."""
    staging = final.with_name(f".{final.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def replace_dir(staging: Path, final: Path) -> None:
    """Put `staging` in the place of `final` with renames only."""
    old = final.with_name(f".{final.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.rename(final, old)
    os.rename(staging, final)
    shutil.rmtree(old, ignore_errors=True)


def replace_file(path: Path, text: str) -> None:
    """Write a generated file beside its place and rename it in."""
    tmp = path.with_name(f".{path.name}.new")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link from the cache (instant, no extra space); copy across file systems."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
