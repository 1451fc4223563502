"""What a design page and a card say about reviews and makers' print reports (context for _reviews.md.j2,
_reports.md.j2 and the cards)."""
from __future__ import annotations

from typing import Any

from ..making.records import PublishedDesign
from ..publish import facts
from ..trust_records import PublishedReport

RESULTS = {"worked": ("Worked", "Réussi"), "needed-changes": ("Needed changes", "Avec des modifications"),
           "failed": ("Failed", "Échoué")}


def trust_context(p: PublishedDesign) -> dict[str, Any]:
    status = facts.review_status(p.reviews)
    return {
        "status": status,
        "reviews": [_review(r) for r in p.reviews],
        "reports_by_variant": [_variant_reports(p, v.artifact.job.variant.name) for v in p.variants],
        "scopes": facts.SCOPES,
        "results": RESULTS,
    }


def card_trust(p: PublishedDesign) -> dict[str, Any]:
    """The card's status (the strongest review still matching, with the variants it covers) and its report count."""
    status = facts.review_status(p.reviews)
    covered = f" ({', '.join(status.variants)})" if status.reviewed and len(status.variants) < len(p.variants) else ""
    return {"status": status.label() + covered, "status_fr": status.label("fr") + covered,
            "reports": len(p.reports), "reports_current": sum(r.current for r in p.reports)}


def _review(r) -> dict[str, Any]:
    record = r.check.record
    return {"record": record, "matches": r.check.matches, "files": r.files,
            "scope": facts.SCOPES[record.scope][0], "findings": record.findings, "detail": record.scope_detail}


def _variant_reports(p: PublishedDesign, variant: str) -> dict[str, Any]:
    mine: list[PublishedReport] = [r for r in p.reports if r.report.variant == variant]
    return {
        "variant": variant,
        "reports": mine,
        "current_makers": len({r.report.maker for r in mine if r.current}),
        "older_makers": len({r.report.maker for r in mine if not r.current}),
    }
