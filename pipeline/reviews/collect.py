"""Reviews stage: what reviewers and makers said about each design, checked against this build."""
from __future__ import annotations

from collections import defaultdict

from ..built import Artifact, BuildReport
from ..config import BuildConfig
from ..model import Design
from ..trust_records import DesignTrust
from .check import check_reviews
from .records import read_print_reports, read_reviews


def collect_trust(designs: list[Design], artifacts: list[Artifact], config: BuildConfig,
                  report: BuildReport) -> dict[str, DesignTrust]:
    """Per design slug: its review records (each matching or rebuilt from its commit) and its print reports.

    `report` is this build's report (problems go there); makers' print reports are `prints`, never `report`."""
    records, problems = read_reviews(config.reviews_dir, config.root, designs)
    prints, found = read_print_reports(config.reports_dir, config.root, designs)
    report.problems += problems + found
    checks = check_reviews(records, designs, artifacts, config, report)
    reviews, printed = defaultdict(list), defaultdict(list)
    for check in checks:
        reviews[check.record.slug].append(check)
    for print_report in prints:
        printed[print_report.slug].append(print_report)
    return {d.slug: DesignTrust(tuple(reviews[d.slug]), tuple(printed[d.slug])) for d in designs}
