"""One zip per design: every variant's files, the script, the licence text, a README and the metadata.

Deterministic: entries sorted by name, a fixed date, fixed permissions and
compression, so the same design gives the same bytes and the same SHA-256.
"""
from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from .design_facts import licence_text
from .model import Design
from .threemf import ZIP_TIME
from .publish import link_or_copy

if TYPE_CHECKING:
    from .publish import PublishedVariant

# Bump when deterministic_zip changes how it writes (a cached zip is reused by its entries alone).
BUNDLE_FORMAT = "1"


def write_bundle(design: Design, variants: tuple["PublishedVariant", ...], folder: Path, target: Path,
                 cache: Path) -> Path:
    """`folder` holds the design's published files; the zip has them under <slug>/.

    Compressing is most of a no-change rebuild's publishing time, so zips are
    kept in `cache` and linked from there. Their key needs no hashing of its
    own: the bundle's SHA256SUMS already names every other entry and its digest.
    """
    entries = {f"{design.slug}/{name}": data for name, data in bundle_entries(design, variants, folder).items()}
    recipe = f"{BUNDLE_FORMAT}\n{design.slug}\n".encode() + entries[f"{design.slug}/SHA256SUMS"]
    key = hashlib.sha256(recipe).hexdigest()
    cached = cache / f"{key}.zip"
    if not cached.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        partial = cache / f".{key}.{os.getpid()}.part"
        partial.write_bytes(deterministic_zip(entries))
        os.replace(partial, cached)
    link_or_copy(cached, target)
    return target


def bundle_entries(design: Design, variants: tuple["PublishedVariant", ...], folder: Path) -> dict[str, bytes]:
    from .pages import render_bundle_readme

    entries = {f"files/{d.name}": (folder / d.name).read_bytes()
               for v in variants for d in (*v.files, v.picture)}
    entries[f"source/{design.script_path.name}"] = design.script_path.read_bytes()
    entries["source/design.yaml"] = (design.folder / "design.yaml").read_bytes()
    licence = licence_text(design)
    if licence is not None:
        entries["LICENCE.txt"] = licence.encode("utf-8")
    entries["README.md"] = render_bundle_readme(design, variants, licence is not None).encode("utf-8")
    entries["SHA256SUMS"] = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                                    for name, data in sorted(entries.items())).encode("utf-8")
    return entries


def deterministic_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the building machine
            archive.writestr(info, entries[name], compresslevel=9)
    return buffer.getvalue()
