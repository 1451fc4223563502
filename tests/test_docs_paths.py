"""The docs and the code's own prose name files and functions that exist: a rename is caught here, not by a reader.

Checked: every `path.py` and `path.py:name` in the READMEs and the contributor's guides, every `module.name` in the
pipeline's docstrings and comments whose module is one of ours, and the stage list of pipeline/__init__.py.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

from .conftest import REPO

DOCS = ("README.md", "LISEZMOI.md", "CONTRIBUTING.md", "CONTRIBUER.md")
PACKAGE = REPO / "pipeline"
# Names the guides use as examples of a contributor's own files, not files of this repository.
EXAMPLES = {"path/to/script.py", "designs/door-opener-19mm/door_opener_19mm.py", "script.py", "designs/x/x.py"}
PY_PATH = re.compile(r"(?<![\w/.<>-])((?:[\w.-]+/)*[\w-]+\.py)(?::([A-Za-z_]\w*))?")
MODULE_NAME = re.compile(r"(?<![\w./])([a-z_]+)\.([A-Za-z_]\w*)(?![\w/(])")
FILE_SUFFIXES = {"py", "json", "toml", "yml", "yaml", "md", "txt", "ini", "stl", "step", "glb", "png", "zip", "j2",
                 "mjs", "html", "xml", "fr", "en"}


def defined(path: Path) -> set[str]:
    """What a module defines at its top level, and its classes' methods as Class.method."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        if isinstance(node, ast.ClassDef):
            names |= {f"{node.name}.{m.name}" for m in node.body if isinstance(m, ast.FunctionDef)}
        if isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {alias.asname or alias.name for alias in node.names}
    return names


def our_files() -> dict[str, list[Path]]:
    by_name: dict[str, list[Path]] = {}
    for path in [*PACKAGE.rglob("*.py"), *(REPO / "tests").glob("*.py"), *(REPO / "tools").rglob("*.py"),
                 *(REPO / "bench").glob("*.py"), REPO / "build.py", *(REPO / "designs").rglob("*.py")]:
        by_name.setdefault(path.name, []).append(path)
    return by_name


def resolve(mention: str) -> Path | None:
    """A path as the docs write it: from the repository's root, from pipeline/, or a bare name of one of our files."""
    for candidate in (REPO / mention, PACKAGE / mention):
        if candidate.is_file():
            return candidate
    if "/" not in mention and our_files().get(mention):
        return our_files()[mention][0]
    return None


def prose(path: Path) -> str:
    """A module's docstrings and comments."""
    text = path.read_text(encoding="utf-8")
    parts = [t.string for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and (doc := ast.get_docstring(node, False)):
            parts.append(doc)
    return "\n".join(parts)


def test_every_file_and_function_the_docs_name_exists():
    missing, checked = [], 0
    for doc in (d for d in DOCS if (REPO / d).is_file()):
        for match in PY_PATH.finditer((REPO / doc).read_text(encoding="utf-8")):
            mention, name = match.groups()
            if mention in EXAMPLES:
                continue
            checked += 1
            path = resolve(mention)
            if path is None or name and name not in defined(path):
                missing.append(f"{doc}: {match.group(0)}")
    assert checked > 50, checked  # the README's layout alone names every module
    assert missing == [], missing


def test_every_module_name_the_pipelines_prose_names_exists():
    """`checks.geometry_problems` in a comment: a module of ours, and a name it defines."""
    modules: dict[str, list[Path]] = {}
    for path in PACKAGE.rglob("*.py"):
        modules.setdefault(path.stem, []).append(path)
    missing, checked = [], 0
    for path in sorted(PACKAGE.rglob("*.py")):
        text = prose(path)
        for match in MODULE_NAME.finditer(text):
            module, name = match.groups()
            if name in FILE_SUFFIXES or len(modules.get(module, ())) != 1:
                continue
            checked += 1
            if name not in defined(modules[module][0]):
                missing.append(f"{path.relative_to(REPO)}: {match.group(0)}")
        for match in PY_PATH.finditer(text):
            if match.group(1) not in EXAMPLES and resolve(match.group(1)) is None and \
                    not (path.parent / match.group(1)).is_file():
                missing.append(f"{path.relative_to(REPO)}: {match.group(0)}")
    assert checked >= 5, checked
    assert missing == [], missing


def test_the_package_docstring_lists_every_stage():
    doc = ast.get_docstring(ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8")))
    stages = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file() or p.name == "production")
    assert [s for s in stages if f"{s}/" not in doc] == []
