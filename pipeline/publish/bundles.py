"""One zip per design: every variant's files, the script, the licence text, a README and the metadata.

Deterministic: entries sorted by name, a fixed date, fixed permissions and
compression, so the same design gives the same bytes and the same SHA-256.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..fsutil import deterministic_zip, link_or_copy
from ..languages import ALL
from ..making.records import PublishedVariant
from ..model import Design, Download
from ..templating import environment
from . import facts
from .bom import unit_bom

# Bump when deterministic_zip changes how it writes (a cached zip is reused by its entries alone).
BUNDLE_FORMAT = "1"
# The README in each language; a missing French text is shown in English, marked.
README_NAMES = {language.code: language.readme for language in ALL}


def write_bundle(design: Design, variants: tuple[PublishedVariant, ...], folder: Path, target: Path,
                 cache: Path, status: facts.ReviewStatus = facts.NOT_REVIEWED, files: tuple[Download, ...] = ()) -> Path:
    """`folder` holds the design's published files; the zip has them under <slug>/: `files`, the design's
    files as SHA256SUMS names them (downloads.design_files), each way of making's in a folder of its name.

    Compressing is most of a no-change rebuild's publishing time, so zips are
    kept in `cache` and linked from there. Their key needs no hashing of its
    own: the bundle's SHA256SUMS already names every other entry and its digest, and the published files' digests
    are known (their Download), so a cached zip is found without reading the files it holds.
    """
    listed = _listed(variants, files)
    written = _written(design, variants, status)
    sums = _checksums({name: d.sha256 for name, d in listed.items()}
                      | {name: hashlib.sha256(data).hexdigest() for name, data in written.items()})
    key = hashlib.sha256(f"{BUNDLE_FORMAT}\n{design.slug}\n".encode() + sums).hexdigest()
    cached = cache / f"{key}.zip"
    if not cached.is_file():
        entries = {name: (folder / d.name).read_bytes() for name, d in listed.items()} | written | {"SHA256SUMS": sums}
        cache.mkdir(parents=True, exist_ok=True)
        partial = cache / f".{key}.{os.getpid()}.part"
        partial.write_bytes(deterministic_zip({f"{design.slug}/{name}": data for name, data in entries.items()}))
        os.replace(partial, cached)
    link_or_copy(cached, target)
    return target


def _listed(variants: tuple[PublishedVariant, ...], files: tuple[Download, ...]) -> dict[str, Download]:
    """The published files the zip holds, by their name in it: a way of making's in <method>/, the others in files/
    (the script goes in source/, with design.yaml)."""
    made_by = {d.name: m.made.method for v in variants for m in v.made for d in m.downloads}
    return {f"{made_by.get(d.name, 'files')}/{d.name}": d for d in files if d.role != "source"}


def _written(design: Design, variants: tuple[PublishedVariant, ...], status: facts.ReviewStatus) -> dict[str, bytes]:
    """What the zip holds besides the published files: the sources, the licence and the READMEs."""
    entries = {f"source/{design.script_path.name}": design.script_path.read_bytes(),
               "source/design.yaml": (design.folder / "design.yaml").read_bytes()}
    licence = facts.licence_text(design)
    if licence is not None:
        entries["LICENCE.txt"] = licence.encode("utf-8")
    for lang, name in README_NAMES.items():
        entries[name] = render_bundle_readme(design, variants, licence is not None, status, lang).encode("utf-8")
    return entries


def _checksums(digests: dict[str, str]) -> bytes:
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(digests.items())).encode("utf-8")


def render_bundle_readme(design: Design, variants: tuple[PublishedVariant, ...], has_licence: bool,
                         status: facts.ReviewStatus = facts.NOT_REVIEWED, lang: str = "en") -> str:
    context = {
        "lang": lang, "design": design, "meta": design,
        "status": status, "remix_of": facts.remix_of(design),
        "variants": [facts.variant_summary(design, v) for v in variants], "has_licence": has_licence,
        "licence_url": facts.licence_url(design.licence),
        "bom": [(v.artifact.job.variant, unit_bom(v)) for v in variants],
        "making": facts.making_summary(variants),
    }
    return environment().get_template("bundle-readme.md.j2").render(context)
