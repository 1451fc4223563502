#!/usr/bin/env python3
"""Build the open hardware design catalogue: every design, every variant, checked, into a static site.

    python build.py            build everything into site/
    python build.py --no-site  build and check the designs and pages, skip MkDocs
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline.catalogue import BuildConfig, build_catalogue
from pipeline.shard import ShardError, parse_shard
from pipeline.workers import Limits

ROOT = Path(__file__).resolve().parent


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="project folder holding designs/, catalogue/ and mkdocs.yml (default: this one)")
    parser.add_argument("--workers", type=int, default=max(1, os.cpu_count() or 1),
                        help="CAD worker processes (default: one per core, %(default)s here)")
    parser.add_argument("--no-site", action="store_true", help="skip the MkDocs build")
    parser.add_argument("--timeout", type=float, default=Limits.job_seconds,
                        help="seconds one variant may take to build (default: %(default)s)")
    parser.add_argument("--memory-mb", type=int, default=Limits.memory_bytes // 2**20,
                        help="address-space limit of each CAD worker in MiB (default: %(default)s)")
    parser.add_argument("--shard", metavar="i/N",
                        help="build only the i-th of N shares of the variants into the cache (no pages, no site)")
    parser.add_argument("--merge-cache", metavar="DIR", type=Path, action="append", default=[],
                        help="merge a shard's .cache/cad folder into this one first (repeatable)")
    parser.add_argument("--cached-only", action="store_true",
                        help="build nothing: every variant must already be in the cache (assembling shards)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    limits = Limits(job_seconds=args.timeout, memory_bytes=args.memory_mb * 2**20)
    try:
        shard = parse_shard(args.shard) if args.shard else None
    except ShardError as err:
        print(f"build.py: {err}", file=sys.stderr)
        return 2
    config = BuildConfig(root=args.root.resolve(), workers=max(1, args.workers), limits=limits, site=not args.no_site,
                         shard=shard, merge_caches=tuple(p.resolve() for p in args.merge_cache),
                         cached_only=args.cached_only)
    report = build_catalogue(config)
    print(summary(report))
    return 0 if report.ok else 1


def summary(report) -> str:
    lines = [f"{len(report.designs)} designs, {len(report.artifacts)} variants published "
             f"({report.cad_jobs_run} built, {report.cad_jobs_cached} from cache, "
             f"{report.workers_started} CAD workers started"
             + (f", peak {report.peak_worker_rss_kb // 1024} MiB each)" if report.workers_started else ")")]
    lines.append("time: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in report.timings.items()))
    if report.problems:
        lines.append(f"{len(report.problems)} problem(s):")
        lines += [f"  {problem}" for problem in report.problems]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
