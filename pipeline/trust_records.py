"""What reviewers and makers said of a design (reviews/, reports/), as the reviews stage reads and checks it and
the publish stage publishes it: shared, since every page and the catalogue's published design carry it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import Download, ParameterValue

# Review scopes, weakest first: a page shows the strongest review whose files still match.
REVIEW_SCOPES = ("maker-test-print", "community-test", "requalification", "clinical-assessment")


@dataclass(frozen=True)
class ReviewRecord:
    """reviews/<slug>/<date>-<who>.yaml: who reviewed exactly which files of a design, and what they found."""

    path: str  # as messages name it: reviews/<slug>/<file>.yaml
    slug: str
    reviewer: str
    reviewer_url: str
    reviewer_kind: str  # "person" or "lab"
    date: str  # YYYY-MM-DD
    scope: str  # one of REVIEW_SCOPES
    scope_detail: dict[str, str]  # en/fr, e.g. the French EAP category of a requalification
    findings: dict[str, str]  # en/fr
    version: str
    variant: str
    parameters: dict[str, ParameterValue]
    commit: str  # the git commit of the design's script that was built
    files: dict[str, str]  # published file name -> SHA-256


@dataclass(frozen=True)
class ReviewCheck:
    """A record checked against this build: its files are the ones built now, or were rebuilt from its commit."""

    record: ReviewRecord
    matches: bool
    reviewed_entry: Path | None = None  # when not matching: the cache entry rebuilt from the recorded commit


@dataclass(frozen=True)
class PrintReport:
    """reports/<slug>/<date>-<who>.yaml: one maker's print of one published file."""

    path: str
    slug: str
    maker: str
    maker_url: str
    date: str
    variant: str
    file_name: str
    sha256: str  # of the file printed
    printer: str
    slicer: str
    material: str
    settings: dict[str, Any]
    result: str  # worked, needed-changes or failed
    notes: str
    photo: bytes | None = None  # re-encoded, every metadata field removed
    photo_format: str = ""  # "jpg" or "png"
    photo_alt: str = ""


@dataclass(frozen=True)
class DesignTrust:
    """What reviewers and makers said about one design, checked against this build."""

    reviews: tuple[ReviewCheck, ...] = ()
    reports: tuple[PrintReport, ...] = ()


@dataclass(frozen=True)
class PublishedReview:
    check: ReviewCheck
    files: tuple[Download, ...] = ()  # when changed: the reviewed files, published under reviewed/<commit>/
    checksums: Download | None = None  # their own SHA256SUMS, beside them


@dataclass(frozen=True)
class PublishedReport:
    report: PrintReport
    current: bool  # the file printed is one published now
    photo: Download | None = None
