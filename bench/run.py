#!/usr/bin/env python3
"""Benchmark of the catalogue build: each target as a ratio measured side by side in one run.

    python bench/run.py            # full run (several minutes on 2 cores)
    python bench/run.py --quick    # one run of each case, smaller synthetic catalogue

Prints a table of medians and ratios and writes them to bench/results.json.
Every case works on throw-away copies of the project, never on this checkout.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.cad.plan import plan_jobs  # noqa: E402
from pipeline.source.discover import discover  # noqa: E402
from pipeline.source.validate import validate  # noqa: E402

PY = sys.executable
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")
WORK = ROOT / ".cache" / "bench"
# Synthetic designs are copies of these cheap real designs with varied parameters.
SYNTHETIC_SOURCES = ("ear-saver-strap", "iso-5356-22m-coupler")


def run(cmd: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(map(str, cmd))} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


def build(root: Path, *extra: str) -> tuple[float, dict[str, float]]:
    seconds, out = run([PY, str(ROOT / "build.py"), "--root", str(root), *extra])
    stages = {name: float(value) for name, value in re.findall(r"([a-z ]+?) ([0-9.]+) s", out.split("time:")[-1])}
    return seconds, {k.strip(): v for k, v in stages.items()}


LANGUAGE_CONFIGS = ("mkdocs.en.yml", "mkdocs.fr.yml")  # the site stage builds both


def bare_mkdocs(root: Path, configs: list[Path] | None = None) -> float:
    """A bare `mkdocs build` of each language's configuration, one after the other, as the site stage does."""
    total = 0.0
    for config in configs or [root / name for name in LANGUAGE_CONFIGS]:
        seconds, _ = run([PY, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(root / ".bench-site" / config.stem)])
        total += seconds
    return total


def project(dest: Path, designs: list[Path]) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for config in ROOT.glob("mkdocs*.yml"):
        shutil.copy(config, dest / config.name)
    generated = {"en", "fr", "downloads", "catalogue.json", "index.html"}  # in catalogue/ itself, not below
    shutil.copytree(ROOT / "catalogue", dest / "catalogue", ignore=lambda folder, names: [
        n for n in names if n.startswith(".") or (Path(folder) == ROOT / "catalogue" and n in generated)])
    for design in designs:
        shutil.copytree(design, dest / "designs" / design.name)
    return dest


def real_designs() -> list[Path]:
    return sorted(p for p in (ROOT / "designs").iterdir() if (p / "design.yaml").is_file())


def raw_cad(root: Path, slugs: set[str] | None = None) -> tuple[float, dict]:
    """Wall time of one fresh process building the variants, and its per-variant times."""
    sources, _ = discover(root / "designs")
    designs, _ = validate(sources, root)
    jobs = [
        {"script": str(j.design.script_path), "parameters": j.variant.parameters, "tolerance_mm": j.mesh.tolerance_mm,
         "angular_tolerance_rad": j.mesh.angular_tolerance_rad, "product_name": f"{j.design.slug}-{j.variant.name}"}
        for j in plan_jobs(designs) if slugs is None or j.design.slug in slugs
    ]
    start = time.perf_counter()
    done = subprocess.run([PY, str(ROOT / "bench" / "raw_cad.py")], input=json.dumps(jobs), env=ENV,
                          capture_output=True, text=True, check=True)
    return time.perf_counter() - start, json.loads(done.stdout)


def case_cold(runs: int, workers: int) -> dict:
    stage, raw_sum, total = [], [], []
    for i in range(runs):
        root = project(WORK / f"cold-{i}", real_designs())
        seconds, stages = build(root, "--no-site", "--workers", str(workers))
        total.append(seconds)
        stage.append(stages["cad"])
        raw_sum.append(sum(raw_cad(root)[1]["variant_seconds"]))
    cad, raw = statistics.median(stage), statistics.median(raw_sum)
    return {"cold build, total (s)": statistics.median(total), "cold CAD stage (s)": cad,
            "sum of raw variant build+export (s)": raw, "workers": workers,
            "ratio CAD stage / (raw sum / workers)": cad / (raw / workers), "target": 1.15}


def case_no_change(runs: int) -> dict:
    root = project(WORK / "warm", real_designs())
    build(root)  # fill the cache
    ours, bare = [], []
    for _ in range(runs):
        ours.append(build(root)[0])
        bare.append(bare_mkdocs(root))
    o, b = statistics.median(ours), statistics.median(bare)
    return {"no-change rebuild (s)": o, "bare mkdocs build (s)": b, "ratio rebuild / mkdocs": o / b, "target": 1.2}


def case_edit_one(runs: int, slug: str = "ear-saver-strap") -> dict:
    root = project(WORK / "edit", real_designs())
    build(root)
    script = next((root / "designs" / slug).glob("*.py"))
    ours, own, bare = [], [], []
    for _ in range(runs):
        script.write_text(script.read_text() + f"# bench edit {time.time_ns()}\n")
        ours.append(build(root)[0])
        own.append(raw_cad(root, {slug})[0])
        bare.append(bare_mkdocs(root))
    o, c, b = statistics.median(ours), statistics.median(own), statistics.median(bare)
    return {"rebuild after editing one design (s)": o, "that design alone in a fresh process (s)": c,
            "bare mkdocs build (s)": b, "ratio rebuild / (design + mkdocs)": o / (c + b), "target": 1.2}


def synthetic_project(count: int) -> Path:
    """`count` designs copied from cheap real ones, each with its first parameter varied; cached across runs."""
    root = WORK / f"synthetic-{count}"
    if (root / "designs").is_dir() and len(list((root / "designs").iterdir())) == count:
        return root
    cache = root / ".cache"
    if cache.exists():
        shutil.move(cache, WORK / f".keep-{count}")
    project(root, [])
    if (WORK / f".keep-{count}").exists():
        shutil.move(WORK / f".keep-{count}", cache)
    for i in range(count):
        source = ROOT / "designs" / SYNTHETIC_SOURCES[i % len(SYNTHETIC_SOURCES)]
        slug = f"{source.name}-{i:04d}"
        shutil.copytree(source, root / "designs" / slug)
        meta_path = root / "designs" / slug / "design.yaml"
        meta = yaml.safe_load(meta_path.read_text())
        name, spec = next(iter(meta["parameters"].items()))
        value = spec["min"] + (spec["max"] - spec["min"]) * ((i * 37) % 101) / 100
        meta.update(id=slug, variants=[{"name": "default", "description": "Synthetic variant.",
                                        "parameters": {name: round(value, 2)}}])
        meta["title"]["en"] = f"{meta['title']['en']} no. {i}"
        meta_path.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True))
    return root


def full_navigation_configs(root: Path) -> list[Path]:
    """The same sites with Material's default: every page in the navigation, rendered on every page."""
    paths = []
    for name in LANGUAGE_CONFIGS:
        path = root / name.replace(".yml", ".full-nav.yml")
        path.write_text(f"INHERIT: {name}\nnav: null\nnot_in_nav: ''\n")
        paths.append(path)
    return paths


def case_scale(counts: tuple[int, ...], runs: int) -> dict:
    results = {}
    for count in counts:
        root = synthetic_project(count)
        build(root)  # CAD into the cache, once
        ours, full = [], []
        for _ in range(runs):
            _, stages = build(root)
            ours.append(stages["pages"] + stages["site"])
            full.append(bare_mkdocs(root, full_navigation_configs(root)))
        index = json.loads((root / "site" / "en" / "search" / "search_index.json").read_text())
        indexed = {d["location"].split("/")[1] for d in index["docs"] if d["location"].startswith("designs/")}
        o, f = statistics.median(ours), statistics.median(full)
        results[count] = {"site stage (s)": o, "full-navigation mkdocs (s)": f, "ratio": o / f,
                          "per design (ms)": 1000 * o / count,
                          "designs in search index": len(indexed & {p.name for p in (root / "designs").iterdir()})}
    return results


def case_worker_memory(builds: int) -> dict:
    """Resident memory of each CAD child over many builds of one variant: forked fresh, it cannot grow."""
    from pipeline.cad.workers import Limits, run_jobs

    root = project(WORK / "memory", [ROOT / "designs" / "ear-saver-strap"])
    sources, _ = discover(root / "designs")
    designs, _ = validate(sources, root)
    job = plan_jobs(designs)[0]
    out = root / ".cache" / "cad" / "tmp"
    requests = []
    for i in range(builds):
        (out / str(i)).mkdir(parents=True)
        requests.append({"key": str(i), "source": job.design.script_path.read_text(), "seconds": 60.0,
                         "parameters": job.variant.parameters, "out_dir": str(out / str(i)), "product_name": "bench",
                         "tolerance_mm": job.mesh.tolerance_mm, "angular_tolerance_rad": job.mesh.angular_tolerance_rad})
    rss: dict[int, int] = {}
    run_jobs(requests, 1, root, Limits(), lambda request, outcome: rss.__setitem__(int(request["key"]), outcome.reply["rss_kb"]))
    shutil.rmtree(out)
    series = [rss[i] for i in sorted(rss)]
    settled = series[min(10, len(series) - 1)]
    return {"builds, one child each": builds, "peak RSS (MiB)": max(series) / 1024,
            f"RSS after build {min(11, len(series))} (MiB)": settled / 1024, "RSS at the end (MiB)": series[-1] / 1024,
            "growth after warm-up": (series[-1] - settled) / settled}


def case_wall(runs: int, workers: int) -> dict:
    """Cold CAD stage with the operating-system wall vs --trust-scripts, alternating which goes first.

    Also the CPU time of each whole build (the build, the zygote and its children): the wall's cost is CPU
    (Landlock rules, seccomp filters), and CPU time is less disturbed than wall time on a shared machine."""
    seconds: dict[str, list[float]] = {"wall": [], "trust": []}
    cpu: dict[str, list[float]] = {"wall": [], "trust": []}
    for i in range(runs):
        order = [("wall", ()), ("trust", ("--trust-scripts",))]
        for name, extra in order if i % 2 == 0 else reversed(order):
            root = project(WORK / f"wall-{name}", real_designs())
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            _, stages = build(root, "--no-site", "--workers", str(workers), *extra)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            seconds[name].append(stages["cad"])
            cpu[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    w, t = statistics.median(seconds["wall"]), statistics.median(seconds["trust"])
    cw, ct = statistics.median(cpu["wall"]), statistics.median(cpu["trust"])
    return {"cold CAD stage with the wall (s)": w, "cold CAD stage with --trust-scripts (s)": t,
            "ratio wall / trust (wall time)": w / t, "CPU of the whole build with the wall (s)": cw,
            "CPU of the whole build with --trust-scripts (s)": ct, "ratio wall / trust (CPU time)": cw / ct,
            "workers": workers, "runs": runs, "target": 1.02}


def print_table(results: dict) -> None:
    for case, figures in results.items():
        print(f"\n## {case}")
        rows = figures.items() if not isinstance(next(iter(figures.values())), dict) else \
            ((f"{n} designs: {k}", v) for n, sub in figures.items() for k, v in sub.items())
        for key, value in rows:
            print(f"  {key:<52} {value:>10.3f}" if isinstance(value, float) else f"  {key:<52} {value:>10}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one run per case, 100 and 300 synthetic designs")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale-runs", type=int, default=2, help="runs of each synthetic catalogue size")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--case", choices=("wall",), help="run only this case and print it (results.json untouched)")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    counts = (100, 300) if args.quick else (100, 1000)
    WORK.mkdir(parents=True, exist_ok=True)
    if args.case == "wall":
        print_table({"wall": case_wall(args.runs, args.workers)})
        return
    results = {
        "cold build": case_cold(runs, args.workers),
        "no-change rebuild": case_no_change(runs),
        "edit one design": case_edit_one(runs),
        "synthetic catalogue": case_scale(counts, 1 if args.quick else args.scale_runs),
        "worker memory": case_worker_memory(50 if args.quick else 300),
        "wall": case_wall(max(runs, 2), args.workers),
    }
    scale = results["synthetic catalogue"]
    small, large = min(scale), max(scale)
    results["synthetic catalogue"]["per-design cost ratio"] = {
        f"{large} vs {small}": scale[large]["per design (ms)"] / scale[small]["per design (ms)"]}
    print_table(results)
    meta = {"machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]}, "runs": runs,
            "when": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())}
    args.output.write_text(json.dumps({"meta": meta, "results": results}, indent=1, default=str) + "\n")
    print(f"\nwritten to {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")


if __name__ == "__main__":
    main()
