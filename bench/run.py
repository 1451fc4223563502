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
# As a user runs it: Python keeps the compiled modules (a session that sets this would compile every module
# of the pipeline from source in each build, while MkDocs' were compiled when installed).
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
WORK = ROOT / ".cache" / "bench"
# Synthetic designs are copies of these cheap real designs with varied parameters.
SYNTHETIC_SOURCES = ("ear-saver-strap", "iso-5356-22m-coupler")


def children_cpu() -> float:
    t = os.times()
    return t.children_user + t.children_system


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall seconds and output of a command; its CPU seconds go to LAST_CPU (a shared machine slows walls)."""
    start, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run(cmd, env=env or ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    LAST_CPU[0] = children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(map(str, cmd))} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


LAST_CPU = [0.0]


def build(root: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[float, dict[str, float]]:
    """Wall seconds of a build and its stages' wall times; the stages' CPU times as "cpu <stage>"."""
    seconds, stages, _ = build_with_output(root, *extra, env=env)
    return seconds, stages


def build_with_output(root: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[float, dict[str, float], str]:
    seconds, out = run([PY, str(ROOT / "build.py"), "--root", str(root), *extra], env)
    stages = {}
    for kind, line in re.findall(r"^(time|cpu): (.*)$", out, re.M):
        for name, value in re.findall(r"([a-z ]+?) ([0-9.]+) s", line):
            stages[("cpu " if kind == "cpu" else "") + name.strip(" ,")] = float(value)
    return seconds, stages, out


LANGUAGE_CONFIGS = ("mkdocs.en.yml", "mkdocs.fr.yml")  # the site stage builds both


def bare_mkdocs(root: Path, configs: list[Path] | None = None) -> float:
    """A bare `mkdocs build` of each language's configuration, one after the other; their CPU in LAST_CPU."""
    total, cpu = 0.0, 0.0
    for config in configs or [root / name for name in LANGUAGE_CONFIGS]:
        seconds, _ = run([PY, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(root / ".bench-site" / config.stem)])
        total, cpu = total + seconds, cpu + LAST_CPU[0]
    LAST_CPU[0] = cpu
    return total


def project(dest: Path, designs: list[Path]) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for config in ROOT.glob("mkdocs*.yml"):
        shutil.copy(config, dest / config.name)
    generated = {"en", "fr", "downloads", "catalogue.json", "index.html"}  # in catalogue/ itself, not below
    shutil.copytree(ROOT / "catalogue", dest / "catalogue", ignore=lambda folder, names: [
        n for n in names if n.startswith(".") or (Path(folder) == ROOT / "catalogue" and n in generated)])
    (dest / "designs").mkdir()
    if (ROOT / "designs" / "tags.yml").is_file():  # the tags' French names
        shutil.copy(ROOT / "designs" / "tags.yml", dest / "designs" / "tags.yml")
    for design in designs:
        shutil.copytree(design, dest / "designs" / design.name)
    return dest


def seed_cache(root: Path) -> None:
    """Hard links to this checkout's caches (content-addressed, so valid in any copy): a warm case starts warm
    without minutes of CAD and slicing first. A cold case never calls this."""
    (root / ".cache").mkdir(exist_ok=True)
    for kind in ("cad", "slices", "cutting", "sewing", "thumbnails", "glb", "bundles", "sheet-templates"):
        if (ROOT / ".cache" / kind).is_dir():
            subprocess.run(["cp", "-al", str(ROOT / ".cache" / kind), str(root / ".cache" / kind)], check=True)


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
    start, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run([PY, str(ROOT / "bench" / "raw_cad.py")], input=json.dumps(jobs), env=ENV,
                          capture_output=True, text=True, check=True)
    LAST_CPU[0] = children_cpu() - cpu
    return time.perf_counter() - start, json.loads(done.stdout)


def case_cold(runs: int, workers: int) -> dict:
    """The CAD stage from an empty cache vs its floor: one CadQuery import, then the raw work split over the workers.

    The last build's variant times are kept (as CI keeps them when a toolchain bump empties the CAD cache),
    so the build can start the longest variants first.
    """
    stage, raw_sum, imports, ratios, cpu_ratios = [], [], [], [], []
    durations = WORK / "durations.json"
    for i in range(runs):
        root = project(WORK / f"cold-{i}", real_designs())
        if durations.is_file():
            (root / ".cache" / "cad").mkdir(parents=True)
            shutil.copy(durations, root / ".cache" / "cad" / "durations.json")
        _, stages = build(root, "--no-site", "--workers", str(workers))
        shutil.copy(root / ".cache" / "cad" / "durations.json", durations)
        raw = raw_cad(root)[1]
        stage.append(stages["cad"])
        raw_sum.append(sum(raw["variant_seconds"]))
        imports.append(raw["import_seconds"])
        ratios.append(stage[-1] / (imports[-1] + raw_sum[-1] / workers))
        cpu_ratios.append(stages["cpu cad"] / LAST_CPU[0])  # CPU of all workers vs one process doing it all
    cad, raw, imported = statistics.median(stage), statistics.median(raw_sum), statistics.median(imports)
    return {"cold CAD stage (s)": cad, "raw: one CadQuery+trimesh import (s)": imported,
            "raw: sum of variant build+export (s)": raw, "workers": workers,
            "ratio CAD stage / (import + raw sum / workers)": statistics.median(ratios),
            "worst run": max(ratios), "target": 1.15,
            "CPU ratio, CAD stage / raw process": statistics.median(cpu_ratios), "load": load()}


def case_no_change(runs: int) -> dict:
    """A no-change rebuild beside bare MkDocs of the same pages, alternating which goes first; the ratio of each
    pair is taken (pairs run seconds apart see the same load), and the CPU ratio, less disturbed by a busy machine."""
    root = project(WORK / "warm", real_designs())
    seed_cache(root)
    build(root)  # fill what the seed lacked
    ours, bare, ratios, cpu_ratios = [], [], [], []
    for i in range(runs):
        pair = {}
        for name in ("ours", "bare") if i % 2 == 0 else ("bare", "ours"):
            pair[name] = (build(root)[0] if name == "ours" else bare_mkdocs(root)), LAST_CPU[0]
        ours.append(pair["ours"][0])
        bare.append(pair["bare"][0])
        ratios.append(pair["ours"][0] / pair["bare"][0])
        cpu_ratios.append(pair["ours"][1] / pair["bare"][1])
    return {"no-change rebuild (s)": statistics.median(ours), "bare mkdocs build (s)": statistics.median(bare),
            "ratio rebuild / mkdocs": statistics.median(ratios), "worst run": max(ratios), "target": 1.0,
            "CPU ratio rebuild / mkdocs": statistics.median(cpu_ratios), "load": load()}


def case_edit_one(runs: int, slug: str = "ear-saver-strap") -> dict:
    root = project(WORK / "edit", real_designs())
    build(root)
    script = next((root / "designs" / slug).glob("*.py"))
    ours, own, bare, ratios, cpu_ratios = [], [], [], [], []
    for _ in range(runs):
        script.write_text(script.read_text() + f"# bench edit {time.time_ns()}\n")
        ours.append(build(root)[0])
        cpu = LAST_CPU[0]
        own.append(raw_cad(root, {slug})[0])
        cpu_baseline = LAST_CPU[0]
        bare.append(bare_mkdocs(root))
        ratios.append(ours[-1] / (own[-1] + bare[-1]))
        cpu_ratios.append(cpu / (cpu_baseline + LAST_CPU[0]))
    o, c, b = statistics.median(ours), statistics.median(own), statistics.median(bare)
    return {"rebuild after editing one design (s)": o, "that design alone in a fresh process (s)": c,
            "bare mkdocs build (s)": b, "ratio rebuild / (design + mkdocs)": statistics.median(ratios),
            "worst run": max(ratios), "target": 1.2, "CPU ratio": statistics.median(cpu_ratios), "load": load()}


def case_production(runs: int, workers: int) -> dict:
    """The production stage cold beside the CAD stage cold, in the same builds (both caches emptied), as CPU
    seconds (the machine may be shared; CPU is what the slicer costs), then cached, and a no-change rebuild."""
    root = project(WORK / "production", real_designs())
    cad_cpu, production_cpu, cold, runs_count, cached, rebuild = [], [], [], [], [], []
    for _ in range(runs):
        shutil.rmtree(root / ".cache", ignore_errors=True)
        _, stages, out = build_with_output(root, "--no-site", "--workers", str(workers))
        cad_cpu.append(stages["cpu cad"])
        production_cpu.append(stages["cpu printing"])
        cold.append(stages["printing"])
        runs_count.append(int(re.search(r"(\d+) slicer runs", out).group(1)))
        seconds, stages = build(root, "--no-site", "--workers", str(workers))
        cached.append(stages["printing"])
        rebuild.append(seconds)
    c, p = statistics.median(cad_cpu), statistics.median(production_cpu)
    w, r = statistics.median(cached), statistics.median(rebuild)
    return {"CAD stage, cold, CPU (s)": c, "production stage, cold, CPU (s)": p,
            "ratio production CPU / CAD CPU": p / c, "target": 5.0,
            "production stage, cold, wall (s)": statistics.median(cold), "slicer runs, cold": statistics.median(runs_count),
            "production stage, cached (s)": w, "no-change rebuild, no site (s)": r,
            "ratio cached stage / no-change rebuild": w / r, "target (cached)": 0.05, "workers": workers, "load": load()}


def synthetic_project(count: int) -> Path:
    """`count` designs copied from cheap real ones, each with its first parameter varied; cached across runs."""
    root = WORK / f"synthetic-{count}"
    if (root / "designs").is_dir() and sum(p.is_dir() for p in (root / "designs").iterdir()) == count:
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")  # the site's configuration as it is now
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


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def load() -> str:
    """The machine's load averages (1, 5, 15 min), noted with each figure: the machine may be shared."""
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


# The download host of the synthetic catalogue (never contacted: the bench only lays the files out for it).
BENCH_DOWNLOADS_URL = "https://github.com/open-hardware-catalogue/catalogue/releases/download/downloads-"


def case_scale(counts: tuple[int, ...], runs: int, cold_production: bool = True) -> dict:
    """The site stage vs Material's full navigation, and what GitHub Pages would hold with the download host set.
    `cold_production`: first slice the whole synthetic catalogue from an empty slice cache, for the production
    CPU per variant (a quarter of an hour of both cores at 1,000 designs); else the first build is a warm one."""
    results = {}
    hosted = dict(ENV, DOWNLOADS_URL=BENCH_DOWNLOADS_URL)
    for count in counts:
        root = synthetic_project(count)
        if cold_production:
            shutil.rmtree(root / ".cache" / "slices", ignore_errors=True)  # production cold, the CAD cache kept
        _, first = build(root, env=hosted)
        variants = sum(p.is_dir() for p in (root / "designs").iterdir())
        ours, full, cpu_ratios = [], [], []
        for _ in range(runs):
            _, stages = build(root, env=hosted)
            ours.append(stages["publish"] + stages["pages"] + stages["site"])
            full.append(bare_mkdocs(root, full_navigation_configs(root)))
            cpu_ratios.append((stages["cpu publish"] + stages["cpu pages"] + stages["cpu site"]) / LAST_CPU[0])
        index = json.loads((root / "site" / "en" / "search" / "search_index.json").read_text())
        indexed = {d["location"].split("/")[1] for d in index["docs"] if d["location"].startswith("designs/")}
        o, f = statistics.median(ours), statistics.median(full)
        pages, downloads = folder_bytes(root / "site"), folder_bytes(root / "downloads-host")
        production = {"production CPU per variant, cold (s)": first["cpu printing"] / variants,
                      "target (production CPU per variant, s)": 5.0} if cold_production else {}
        results[count] = {**production,
                          "site stage (s)": o, "full-navigation mkdocs (s)": f, "ratio": o / f, "target (ratio)": 0.3,
                          "CPU ratio": statistics.median(cpu_ratios),
                          "per design (ms)": 1000 * o / count,
                          "designs in search index": len(indexed & {p.name for p in (root / "designs").iterdir()}),
                          "Pages artifact, download host set (MB)": pages / 1e6,
                          "downloads on the host (MB)": downloads / 1e6,
                          "GLB on Pages (MB)": sum(p.stat().st_size for p in (root / "site").rglob("*.glb")) / 1e6,
                          "load": load()}
    return results


def case_worker_memory(builds: int) -> dict:
    """Resident memory of each CAD child over many builds of one variant: forked fresh, it cannot grow."""
    from pipeline.cad.pool import Limits, run_jobs

    root = project(WORK / "memory", [ROOT / "designs" / "ear-saver-strap"])
    sources, _ = discover(root / "designs")
    designs, _ = validate(sources, root)
    job = plan_jobs(designs)[0]
    out = root / ".cache" / "cad" / "tmp"
    requests = []
    for i in range(builds):
        for part in ("script", "export"):
            (out / str(i) / part).mkdir(parents=True)
        requests.append({"key": str(i), "source": job.design.script_path.read_text(), "seconds": 60.0,
                         "parameters": job.variant.parameters, "script_dir": str(out / str(i) / "script"),
                         "export_dir": str(out / str(i) / "export"), "product_name": "bench",
                         "tolerance_mm": job.mesh.tolerance_mm, "angular_tolerance_rad": job.mesh.angular_tolerance_rad})
    rss: dict[int, int] = {}
    run_jobs(requests, 1, out, Limits(), lambda request, outcome: rss.__setitem__(int(request["key"]), outcome.reply["rss_kb"]))
    shutil.rmtree(out)
    series = [rss[i] for i in sorted(rss)]
    settled = series[min(10, len(series) - 1)]
    return {"builds, one child each": builds, "peak RSS (MiB)": max(series) / 1024,
            f"RSS after build {min(11, len(series))} (MiB)": settled / 1024, "RSS at the end (MiB)": series[-1] / 1024,
            "growth after warm-up": (series[-1] - settled) / settled}


def case_wall(runs: int, workers: int) -> dict:
    """Cold CAD stage with the operating-system wall vs --trust-scripts, alternating which goes first (no slicing).

    Also the CPU time of each whole build (the build, the zygote and its children): the wall's cost is CPU
    (Landlock rules, seccomp filters), and CPU time is less disturbed than wall time on a shared machine."""
    seconds: dict[str, list[float]] = {"wall": [], "trust": []}
    cpu: dict[str, list[float]] = {"wall": [], "trust": []}
    for i in range(runs):
        order = [("wall", ()), ("trust", ("--trust-scripts",))]
        for name, extra in order if i % 2 == 0 else reversed(order):
            root = project(WORK / f"wall-{name}", real_designs())
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            # no slicing: the same in both modes, and minutes of noise beside the CAD stage the wall is around
            _, stages = build(root, "--no-site", "--no-production", "--workers", str(workers), *extra)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            seconds[name].append(stages["cad"])
            cpu[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    w, t = statistics.median(seconds["wall"]), statistics.median(seconds["trust"])
    cw, ct = statistics.median(cpu["wall"]), statistics.median(cpu["trust"])
    return {"cold CAD stage with the wall (s)": w, "cold CAD stage with --trust-scripts (s)": t,
            "ratio wall / trust (wall time)": w / t, "CPU of the whole build with the wall (s)": cw,
            "CPU of the whole build with --trust-scripts (s)": ct, "ratio wall / trust (CPU time)": cw / ct,
            "workers": workers, "runs": runs, "target": 1.02}


def case_serve_edit(runs: int, slug: str = "ear-saver-strap", variant: str = "child") -> dict:
    """Edit one parameter of one design while `build.py serve` runs: seconds from the save of design.yaml until
    the served page links the variant's new STL and its new plate (re-sliced: new production figures)."""
    import socket
    import urllib.request
    from urllib.parse import urlparse

    from pipeline.siteinfo import read_site_info

    root = project(WORK / "serve", real_designs())
    seed_cache(root)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    path = urlparse(read_site_info(root / "mkdocs.yml").site_url).path
    url = f"http://127.0.0.1:{port}{path}en/designs/{slug}/"
    # a link's title ends with the file's hash ("SHA-256 …", or "<name>, SHA-256 …" where the text shows no name)
    stl = re.compile(rf'{slug}-{variant}\.stl" download title="[^"]*SHA-256 ([0-9a-f]{{64}})')
    plate = re.compile(rf'{slug}-{variant}-plate-[^"]+\.3mf" download title="[^"]*SHA-256 ([0-9a-f]{{64}})')
    log = (WORK / "serve.log").open("w")
    server = subprocess.Popen([PY, str(ROOT / "build.py"), "serve", "--root", str(root), "-a", f"127.0.0.1:{port}"],
                              env=ENV, stdout=log, stderr=subprocess.STDOUT)

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                return reply.read().decode("utf-8")
        except OSError:
            return ""

    def files(html: str) -> tuple[str, ...] | None:
        found = [stl.search(html), *plate.finditer(html)]
        return tuple(m.group(1) for m in found) if all(found) and len(found) > 1 else None

    seconds = []
    try:
        deadline = time.monotonic() + 600
        while files(page()) is None:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"bench: build.py serve did not serve {url}; see {WORK / 'serve.log'}")
            time.sleep(0.5)
        meta = root / "designs" / slug / "design.yaml"
        text = meta.read_text(encoding="utf-8")
        for _ in range(runs):
            before = files(page())
            value = f"{130 + (time.time_ns() % 997 + 1) / 1000:.3f}"  # a size never built: a cache miss each time
            edited = re.sub(r"(- name: child\n(?:.*\n)*?      length: )[\d.]+", rf"\g<1>{value}", text, count=1)
            start = time.perf_counter()
            meta.write_text(edited, encoding="utf-8")
            while (now := files(page())) is None or now[0] == before[0] or now[1:] == before[1:]:
                if time.perf_counter() - start > 300:
                    raise SystemExit(f"bench: the page did not change within 300 s; see {WORK / 'serve.log'}")
                time.sleep(0.2)
            seconds.append(time.perf_counter() - start)
            time.sleep(3)  # the rebuild that writing the pages triggers, found to have nothing to do
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    return {"save to page with new files and figures (s)": statistics.median(seconds), "worst run": max(seconds),
            "target": 15.0, "runs": runs, "load": load()}


CASES = ("cold build", "no-change rebuild", "edit one design", "production", "synthetic catalogue", "worker memory", "wall", "serve edit")


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
    parser.add_argument("--scale-warm", action="store_true",
                        help="keep the synthetic catalogues' slice caches: no cold production figure, minutes sooner")
    parser.add_argument("--sizes", type=lambda text: tuple(int(n) for n in text.split(",")),
                        help="synthetic catalogue sizes, e.g. 1000 (default: 100,1000; 100,300 with --quick)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--case", action="append", choices=CASES, help="run only this case (repeatable; default: all)")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    counts = args.sizes or ((100, 300) if args.quick else (100, 1000))
    WORK.mkdir(parents=True, exist_ok=True)
    cases = {
        "cold build": lambda: case_cold(runs, args.workers),
        "no-change rebuild": lambda: case_no_change(runs),
        "edit one design": lambda: case_edit_one(runs),
        "production": lambda: case_production(runs, args.workers),
        "synthetic catalogue": lambda: case_scale(counts, 1 if args.quick else args.scale_runs,
                                                  cold_production=not args.scale_warm),
        "worker memory": lambda: case_worker_memory(50 if args.quick else 300),
        "wall": lambda: case_wall(max(runs, 2), args.workers),
        "serve edit": lambda: case_serve_edit(runs),
    }
    results = {name: run_case() for name, run_case in cases.items() if not args.case or name in args.case}
    scale = results.get("synthetic catalogue")
    if scale and len(scale) > 1:
        small, large = min(scale), max(scale)
        scale["per-design cost ratio"] = {
            f"{large} vs {small}": scale[large]["per design (ms)"] / scale[small]["per design (ms)"]}
    print_table(results)
    meta = {"machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]}, "runs": runs,
            "when": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())}
    args.output.write_text(json.dumps({"meta": meta, "results": results}, indent=1, default=str) + "\n")
    print(f"\nwritten to {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")


if __name__ == "__main__":
    main()
