#!/usr/bin/env python3
"""Build the open hardware design catalogue: every design, every variant, checked, into a static site.

    python build.py                      build everything into site/
    python build.py --no-site            build and check the designs and pages, skip MkDocs
    python build.py new <slug>           start a new design in designs/<slug>/
    python build.py new <slug> --from script.py
                                         adopt an existing CadQuery script, declaring its parameters
    python build.py check designs/<slug> validate and build one design, with a short report
    python build.py export designs/<slug> -p name=value ...
                                         your own size of a design, as STL and STEP in ./export/
    python build.py report designs/<slug> --variant <name>
                                         the print report to fill in after printing a design
    python build.py serve                live preview of the site, rebuilt when designs/ changes

`python build.py <command> --help` explains each command. Exit status: 0 when
all is well, 1 when a design has problems (each printed on one line), 2 when
the command line itself is wrong.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline.cad.shard import ShardError, parse_shard
from pipeline.catalogue import build_catalogue
from pipeline.commands.one_design import CommandError
from pipeline.config import BuildConfig, Limits
from pipeline.languages import LANGUAGES

ROOT = Path(__file__).resolve().parent


def add_common_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """Options every command takes, before or after the command name."""
    def default(value):  # a subcommand's copy must not overwrite a value given before the command
        return value if defaults else argparse.SUPPRESS

    parser.add_argument("--root", type=Path, default=default(ROOT),
                        help="project folder holding designs/, catalogue/ and mkdocs.yml (default: this one)")
    parser.add_argument("--workers", type=int, default=default(max(1, os.cpu_count() or 1)),
                        help="CAD worker processes (default: one per core)")
    parser.add_argument("--timeout", type=float, default=default(Limits.job_seconds),
                        help=f"seconds one variant may take to build (default: {Limits.job_seconds:g})")
    parser.add_argument("--memory-mb", type=int, default=default(Limits.memory_bytes // 2**20),
                        help=f"address-space limit of each CAD worker in MiB (default: {Limits.memory_bytes // 2**20})")
    parser.add_argument("--trust-scripts", action="store_true", default=default(False),
                        help="run design scripts WITHOUT the operating-system wall (Landlock, seccomp): "
                             "only for scripts you wrote yourself")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_options(parser, defaults=True)
    parser.add_argument("--no-site", action="store_true", help="skip the MkDocs build")
    parser.add_argument("--no-production", action="store_true",
                        help="skip slicing (no print times or plates on the pages): for benchmarks of the other stages")
    parser.add_argument("--shard", metavar="i/N",
                        help="build only the i-th of N shares of the variants into the cache (no pages, no site)")
    parser.add_argument("--merge-cache", metavar="DIR", type=Path, action="append", default=[],
                        help="merge a shard's .cache/cad folder, and its sibling slices/ folder, into this one first (repeatable)")
    parser.add_argument("--cached-only", action="store_true",
                        help="build nothing: every variant must already be in the cache (assembling shards)")
    parser.add_argument("--skip-static-check", action="store_true",
                        help="run every script with only the operating-system wall around it (to test the wall on "
                             "a whole build); refused together with --trust-scripts, never in a workflow")
    commands = parser.add_subparsers(dest="command", metavar="[command]", title="commands (none: build everything)")
    new = commands.add_parser("new", help="start a new design folder, valid and buildable as generated")
    new.add_argument("slug", help="lower-case words joined by hyphens, e.g. door-opener-19mm")
    new.add_argument("--from", dest="from_script", type=Path, metavar="SCRIPT",
                     help="adopt an existing CadQuery script: copy it unchanged and declare its parameters")
    check = commands.add_parser("check", help="validate and build one design (all variants) and report")
    check.add_argument("design", help="the design's folder, designs/<slug>")
    check.add_argument("--skip-static-check", action="store_true", default=argparse.SUPPRESS,
                       help="run the script with only the operating-system wall around it (to test the wall); "
                            "refused together with --trust-scripts")
    export = commands.add_parser("export", help="build one design with your own parameter values into STL and STEP")
    export.add_argument("design", help="the design's folder, designs/<slug>")
    export.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                        help="a parameter value (repeat for several); must lie in the range design.yaml gives")
    export.add_argument("--variant", help="the named variant to start from (default: the first)")
    export.add_argument("-o", "--output", type=Path, default=Path("export"), help="folder for the files (default: ./export)")
    report = commands.add_parser("report", help="write the print report to fill in after printing a design")
    report.add_argument("design", help="the design's folder, designs/<slug>")
    report.add_argument("--variant", help="the variant you printed (default: the first)")
    serve = commands.add_parser("serve", help="live preview of the site; rebuilds a design when its files change")
    serve.add_argument("-a", "--dev-addr", metavar="IP:PORT", help="address to serve on (default: MkDocs', 127.0.0.1:8000)")
    serve.add_argument("--lang", choices=LANGUAGES, default=LANGUAGES[0], help="the language's site to preview (default: en)")
    for command in (new, check, export, report, serve):
        add_common_options(command, defaults=False)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    limits = Limits(job_seconds=args.timeout, memory_bytes=args.memory_mb * 2**20, trust_scripts=args.trust_scripts)
    if args.skip_static_check and args.trust_scripts:
        print("build.py: --skip-static-check and --trust-scripts together would run a script with no wall at all; "
              "drop one", file=sys.stderr)
        return 2
    try:
        shard = parse_shard(args.shard) if args.shard else None
    except ShardError as err:
        print(f"build.py: {err}", file=sys.stderr)
        return 2
    config = BuildConfig(root=args.root.resolve(), workers=max(1, args.workers), limits=limits, site=not args.no_site,
                         production=not args.no_production,
                         shard=shard, merge_caches=tuple(p.resolve() for p in args.merge_cache),
                         cached_only=args.cached_only, static_check=not args.skip_static_check)
    try:
        return COMMANDS[args.command or "build"](config, args)
    except CommandError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def run_build(config: BuildConfig, args: argparse.Namespace) -> int:
    report = build_catalogue(config)
    print(summary(report))
    return 0 if report.ok else 1


def run_new(config: BuildConfig, args: argparse.Namespace) -> int:
    from pipeline.commands.new_from_script import scaffold_from_script
    from pipeline.commands.scaffold import scaffold

    if args.from_script:
        written = scaffold_from_script(config, args.slug, args.from_script)
    else:
        written = scaffold(config, args.slug)
    print("created " + " and ".join(p.relative_to(config.root).as_posix() for p in written))
    print(f"next: edit them, then run `python build.py check designs/{args.slug}`")
    return 0


def run_check(config: BuildConfig, args: argparse.Namespace) -> int:
    from pipeline.commands.check import check

    text, ok = check(config, args.design, static_check=not args.skip_static_check)
    print(text)
    return 0 if ok else 1


def run_export(config: BuildConfig, args: argparse.Namespace) -> int:
    from pipeline.commands.export import export

    exported, problems = export(config, args.design, args.parameter, args.variant, args.output)
    if exported is None:
        print(f"{len(problems)} problem(s):\n" + "\n".join(f"  {p}" for p in problems), file=sys.stderr)
        return 1
    print(f"wrote {' and '.join(str(f) for f in exported.files)}: {exported.facts}")
    return 0


def run_print_report(config: BuildConfig, args: argparse.Namespace) -> int:
    from pipeline.commands.print_report import write_print_report_form

    written, problems = write_print_report_form(config, args.design, args.variant)
    if written is None:
        print(f"{len(problems)} problem(s):\n" + "\n".join(f"  {p}" for p in problems), file=sys.stderr)
        return 1
    print(f"wrote {written.relative_to(config.root).as_posix()}: fill it in, rename it, and send it by pull request")
    return 0


def run_serve(config: BuildConfig, args: argparse.Namespace) -> int:
    from pipeline.commands.serve import serve

    serve(config, args.dev_addr, args.lang)
    return 0


def summary(report) -> str:
    lines = [f"{len(report.designs)} designs, {len(report.artifacts)} variants published "
             f"({report.cad_jobs_run} built, {report.cad_jobs_cached} from cache, "
             f"{report.workers_started} CAD workers started"
             + (f", peak {report.peak_worker_rss_kb // 1024} MiB each)" if report.workers_started else ")")]
    lines.append(f"production: {report.slices_cached} variant-printer slices from cache, "
                 f"{report.slicer_runs} slicer runs")
    lines.append("time: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in report.timings.items()))
    lines.append("cpu: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in report.cpu_timings.items()))
    if report.side_by_side:  # their times overlap: the build's wall time is not the sum of the stages'
        lines.append(f"side by side: {', '.join(report.side_by_side)}")
    if report.untranslated:
        count = sum(map(len, report.untranslated.values()))
        lines.append(f"{count} text(s) without French, shown in English marked \"non traduit\": "
                     + "; ".join(f"{slug} ({', '.join(paths)})" for slug, paths in sorted(report.untranslated.items())))
    if report.problems:
        lines.append(f"{len(report.problems)} problem(s):")
        lines += [f"  {problem}" for problem in report.problems]
    return "\n".join(lines)


COMMANDS = {"build": run_build, "new": run_new, "check": run_check, "export": run_export, "report": run_print_report,
            "serve": run_serve}

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
