"""Raw CadQuery cost of variants, for the benchmark's baselines.

Reads a JSON list of jobs on stdin ({script, parameters, tolerance_mm,
angular_tolerance_rad, product_name}); builds each through CQGI and exports every
published format (STL, STEP, GLB, 3MF) with the pipeline's own export functions, in this one process. Prints
JSON: the import time and each variant's build-and-export time (import excluded).
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    jobs = json.load(sys.stdin)
    start = time.perf_counter()
    import trimesh  # noqa: F401 - the 3MF writer's import, outside the timings
    from cadquery import cqgi

    from pipeline.cad.worker.main import _shown_shape
    from pipeline.cad.worker.writers import export_3mf, export_glb, export_step, export_stl

    import_seconds = time.perf_counter() - start
    times = []
    with tempfile.TemporaryDirectory() as out:
        for job in jobs:
            t0 = time.perf_counter()
            result = cqgi.parse(Path(job["script"]).read_text()).build(build_parameters=job["parameters"])
            shape = _shown_shape(result.results)
            export_stl(shape, Path(out) / "m.stl", job["tolerance_mm"], job["angular_tolerance_rad"])
            export_step(shape, Path(out) / "m.step", job["product_name"])
            export_glb(shape, Path(out) / "m.glb", job["tolerance_mm"], job["angular_tolerance_rad"])
            export_3mf(Path(out) / "m.stl", Path(out) / "m.3mf", job["product_name"])
            times.append(time.perf_counter() - t0)
    json.dump({"import_seconds": import_seconds, "variant_seconds": times}, sys.stdout)


if __name__ == "__main__":
    main()
