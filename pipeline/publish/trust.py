"""Publish what reviewers and makers said: files reviewed before a change, and makers' photos.

A review whose files changed since keeps them downloadable under
downloads/<slug>/reviewed/<commit>/, with their own SHA256SUMS; a report's photo
(already stripped of every metadata field) goes to downloads/<slug>/reports/.
"""
from __future__ import annotations

from pathlib import Path

from ..fsutil import link_or_copy
from ..making.records import PublishedVariant
from ..model import Design, variant_stem
from ..trust_records import DesignTrust, PrintReport, PublishedReport, PublishedReview, ReviewCheck


def publish_trust(design: Design, trust: DesignTrust, variants: tuple[PublishedVariant, ...], folder: Path,
                  describe) -> tuple[tuple[PublishedReview, ...], tuple[PublishedReport, ...]]:
    """`describe(path, role)` gives a published file's Download (path, size, SHA-256, role)."""
    reviews = tuple(_publish_review(check, folder, describe) for check in trust.reviews)
    current = {v.artifact.job.variant.name: {d.sha256 for d in v.files} for v in variants}
    prints = tuple(_publish_print_report(r, r.sha256 in current.get(r.variant, set()), folder, describe)
                   for r in trust.reports)
    return reviews, prints


def reviewed_folder(check: ReviewCheck) -> str:
    return f"reviewed/{check.record.commit[:12]}"


def _publish_review(check: ReviewCheck, folder: Path, describe) -> PublishedReview:
    if check.matches or check.reviewed_entry is None:
        return PublishedReview(check)
    target = folder / reviewed_folder(check)
    stem = f"{variant_stem(check.record.slug, check.record.variant)}."
    files = []
    for name in sorted(check.record.files):
        link_or_copy(check.reviewed_entry / f"model.{name.removeprefix(stem)}", target / name)
        files.append(describe(target / name, "reviewed"))
    (target / "SHA256SUMS").write_text("".join(f"{d.sha256}  {d.name}\n" for d in files), encoding="utf-8")
    return PublishedReview(check, tuple(files), describe(target / "SHA256SUMS", "reviewed"))


def _publish_print_report(printed: PrintReport, current: bool, folder: Path, describe) -> PublishedReport:
    if printed.photo is None:
        return PublishedReport(printed, current)
    stem = Path(printed.path).stem
    target = folder / "reports" / f"{stem}.{printed.photo_format}"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(printed.photo)
    return PublishedReport(printed, current, describe(target, "report-photo"))
