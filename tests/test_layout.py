"""The package's shape: data flows one way, and only the CAD worker imports CadQuery."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
SHARED = {"model", "built", "trust_records", "making", "runner", "wall", "config", "fsutil", "forking", "materials", "siteinfo", "templating", "languages", "categories", "photos",
          "drawing", "shown_text"}
# Stages in the order data flows; a stage may import the shared modules and the stages before it.
STAGES = ["source", "cad", "production", "cutting", "sewing", "reviews", "pictures", "publish", "pages", "site", "catalogue", "commands"]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every pipeline module `path` imports, at any depth of its code (lazy imports count too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            candidates = [target] + [f"{target}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        found |= {c for c in candidates if c.startswith("pipeline") and _exists(c)}
    return found - {name}


def _exists(module: str) -> bool:
    path = PACKAGE.parent.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}


def stage_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "pipeline"


def test_the_import_graph_has_no_circle():
    edges = graph()
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if nxt not in edges:
                continue
            assert state.get(nxt) != 1, "import circle: " + " -> ".join(trail + [node, nxt])
            if nxt not in state:
                visit(nxt, trail + [node])
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [])


def test_stages_import_only_shared_modules_and_earlier_stages():
    wrong = []
    for module, targets in graph().items():
        stage = stage_of(module)
        if stage not in STAGES:
            continue
        for target in targets:
            other = stage_of(target)
            if other in SHARED or other == stage or other == "pipeline":
                continue
            if other not in STAGES or STAGES.index(other) > STAGES.index(stage):
                wrong.append(f"{module} imports {target}")
    assert not wrong, wrong


def test_shared_modules_import_no_stage():
    for module, targets in graph().items():
        if stage_of(module) in SHARED:
            assert all(stage_of(t) in SHARED for t in targets), (module, targets)


def test_only_the_worker_imports_cadquery():
    importers = set()
    for path in PACKAGE.rglob("*.py"):
        if "new_design" in path.parts:  # the template of a contributor's script, not our code
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            if any(n.split(".")[0] in ("cadquery", "OCP") for n in names):
                importers.add(module_name(path))
    # the CAD worker, and the cutting stage's worker, which reads the built STEP files in a process of its own
    workers = ("pipeline.cad.worker", "pipeline.cutting.worker")
    assert importers and all(m.startswith(workers) for m in importers), importers


def test_external_programs_are_started_from_three_modules_only():
    """The runner (pipeline/runner.py: a time-out, a bare environment, an install hint, one error line), the CAD
    pool's zygote (pipeline/cad/pool.py) and the wall's fork of each walled child (pipeline/cad/worker/zygote.py)."""
    starters = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and (
                    (node.value.id == "subprocess" and node.attr in ("run", "Popen", "call", "check_output",
                                                                     "check_call", "getoutput"))
                    or (node.value.id == "os" and (node.attr in ("fork", "system", "popen", "posix_spawn")
                                                   or node.attr.startswith(("exec", "spawn"))))):
                starters.add(module_name(path))
    assert starters == {"pipeline.runner", "pipeline.cad.pool", "pipeline.cad.worker.zygote"}, starters


def test_the_shared_core_stays_small():
    """pipeline/model.py holds the core (Problem, the design.yaml mirror, Download); each stage's records live beside
    it (production/records.py, cutting/records.py), what the build made in built.py."""
    assert len((PACKAGE / "model.py").read_text(encoding="utf-8").splitlines()) <= 350
