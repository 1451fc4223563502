"""A static check of a design script, before any worker runs it.

Scripts come from strangers. This reads the script with `ast` (never runs it)
and refuses what an ordinary CadQuery script does not need and an attacker
would: imports outside a short allowlist, the builtins that run code or reach
files (`open`, `exec`, `eval`, `__import__`, `getattr`, ...), any dunder name
or attribute (`x.__class__.__subclasses__()`), frame and code objects,
CadQuery's own file import/export functions, and every attribute name that
leads from an allowed module to a module outside the allowlist
(`fractions.re.enum.bltns.exec`): those names are computed from the modules
themselves (module_names.txt, written by pipeline/cad/worker/module_names.py).

Three constructs hand a script's text to `eval` or `getattr` without naming
them: a string annotation (evaluated by `inspect.signature(eval_str=True)`, which
CadQuery re-exports as `cadquery.utils.signature`, by `typing.get_type_hints`,
and so by `functools.singledispatch().register` and `multimethod`), and the
keyword names of a `match` class pattern (`case object(__builtins__=b)` is a
`getattr`). Annotations are refused when any string sits inside them, whoever
might evaluate them later: refusing `eval_str=` alone would leave the other
evaluators, known and unknown. Pattern keywords go through the attribute rules.

It is the friendly first message, with a line number, not the wall: Python
always has one more route. The wall is the operating system's (the CAD child
confines itself with Landlock and seccomp, pipeline/wall.py).
"""
from __future__ import annotations

import ast
import importlib
import re
import types
from dataclasses import dataclass
from pathlib import Path

# Whole modules a script may import (submodules of these are allowed too).
ALLOWED_MODULES = frozenset({
    "cadquery", "math", "cmath", "itertools", "functools", "fractions", "decimal", "statistics", "random", "numbers",
    "numpy",
})
# `from <module> import *` is checked name by name, for the allowed modules whose names this process can list:
# the standard library's. Never CadQuery, which only the CAD worker imports.
STAR_MODULES = ALLOWED_MODULES - {"cadquery"}
# Parts of CadQuery that run code or open windows. Its importers and exporters are allowed: behind the wall a
# script reads only the files of its own folder (copied beside it, read-only in the repository) and writes only
# its scratch folder, whose files the build ignores (it exports what show_object() shows).
REFUSED_MODULES = frozenset({
    "cadquery.cqgi", "cadquery.vis", "cadquery.fig", "cadquery.cq_directive", "cadquery.occ_impl.jupyter_tools",
    "cadquery.contrib", "cadquery.plugins",
})
# numpy's build tools and test suites are no part of a model: not importable, not scanned (module_names.py).
TEST_PARTS = frozenset({"tests", "testing", "distutils", "f2py", "conftest"})
# Builtins that run code, reach files or the interpreter, or look attributes up by a string.
REFUSED_NAMES = frozenset({
    "open", "exec", "eval", "compile", "__import__", "getattr", "setattr", "delattr", "globals", "locals", "vars",
    "breakpoint", "input", "help", "exit", "quit",
})
# Attribute names that lead from an allowed module to a module outside the allowlist, computed from the modules.
MODULE_NAMES = frozenset(line.strip() for line in (Path(__file__).with_name("module_names.txt")).read_text().splitlines()
                         if line.strip() and not line.startswith("#"))
# Lookups by a string (operator's attrgetter, methodcaller) and the class hierarchy.
REFUSED_ATTRIBUTES = frozenset({"mro", "attrgetter", "methodcaller"})
# `_` also covers private module references such as random._os; frames and code objects; OCCT's raw classes.
REFUSED_ATTRIBUTE_PREFIXES = ("_", "gi_", "cr_", "ag_", "f_", "tb_", "co_", "OSD")
REFUSED_ATTRIBUTE_PARTS = re.compile(r"Driver|SystemFont")
# Dunder names an ordinary class defines and calls (super().__init__(...)); every other dunder (__class__,
# __globals__, __subclasses__, __match_args__, __instancecheck__...) reaches the interpreter's internals.
PROTOCOL_DUNDERS = frozenset(f"__{name}__" for name in (
    "init", "post_init", "str", "repr", "eq", "ne", "lt", "le", "gt", "ge", "hash", "bool", "len", "iter", "next",
    "contains", "getitem", "setitem", "delitem", "add", "radd", "sub", "rsub", "mul", "rmul", "truediv",
    "rtruediv", "floordiv", "rfloordiv", "mod", "rmod", "pow", "rpow", "neg", "pos", "abs", "invert", "and", "or",
    "xor", "matmul", "enter", "exit", "call", "round", "float", "int", "index", "name", "doc",
))
DUNDER = re.compile(r"^__\w+__$")
FORMAT_FIELD_DUNDER = re.compile(r"\{[^{}]*__")


@dataclass(frozen=True)
class Refusal:
    line: int
    message: str


def check_script(tree: ast.Module) -> list[Refusal]:
    """Every construct the catalogue refuses in `tree`, in source order."""
    refusals: list[Refusal] = []
    for parent in ast.walk(tree):  # `type` is judged by the call around it
        for child in ast.iter_child_nodes(parent):
            child.parent = parent
    for node in ast.walk(tree):
        message = _refusal(node)
        if message:
            refusals.append(Refusal(getattr(node, "lineno", 1), message))
    return sorted(refusals, key=lambda r: r.line)


def _refusal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Import):
        return next(filter(None, (_module_refusal(alias.name) for alias in node.names)), None)
    if isinstance(node, ast.ImportFrom):
        if node.level:
            return "relative imports are not allowed; import only cadquery and math-like modules"
        return _module_refusal(node.module or "") or _imported_names_refusal(node)
    if isinstance(node, ast.Name):
        if node.id == "type" and not _called_with_one_argument(node):
            return "type is allowed only as type(x); a class is made with a class statement (metaclasses are refused)"
        return _name_refusal(node.id)
    if isinstance(node, ast.Attribute):
        return _attribute_refusal(node.attr)
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and FORMAT_FIELD_DUNDER.search(node.value):
        return "a format string that reaches a dunder attribute ({x.__...}) is not allowed"
    if (isinstance(node, ast.Constant) and isinstance(node.value, str) and DUNDER.match(node.value.strip())
            and node.value.strip() not in PROTOCOL_DUNDERS):
        return f"the string {node.value.strip()!r} names a dunder attribute, which is not allowed"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "type" and (
            len(node.args) != 1 or node.keywords):
        return "type() with three arguments makes a class from a dict of names; write a class statement"
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and DUNDER.match(node.name) and (
            not isinstance(node, ast.FunctionDef) or node.name not in PROTOCOL_DUNDERS):
        return (f"defining {node.name} is not allowed; a class may define only the ordinary protocol methods "
                f"({', '.join(sorted(PROTOCOL_DUNDERS)[:6])}, ...)")
    if isinstance(node, ast.arg) and DUNDER.match(node.arg):
        return f"the argument name {node.arg} is not allowed; dunder names are refused"
    if any(_holds_text(annotation) for annotation in _annotations(node)):
        return ("a string annotation is not allowed: a library may evaluate its text as code "
                "(inspect.signature(eval_str=True), singledispatch); annotate with the type itself, or not at all")
    if isinstance(node, ast.keyword) and node.arg == "eval_str":
        return "eval_str= is not allowed: it evaluates annotations as code"
    if isinstance(node, ast.MatchClass):
        return next((f"in a match pattern: {refusal}" for attr in node.kwd_attrs
                     if (refusal := _attribute_refusal(attr))), None)
    return None


def _called_with_one_argument(name: ast.Name) -> bool:
    parent = getattr(name, "parent", None)
    return isinstance(parent, ast.Call) and parent.func is name and len(parent.args) == 1 and not parent.keywords


def _annotations(node: ast.AST) -> list[ast.AST]:
    """The annotation expressions `node` carries itself: an argument's, a return's, an annotated assignment's,
    a type parameter's bound or default."""
    found = [getattr(node, name, None) for name in ("annotation", "returns", "bound", "default_value")]
    if isinstance(node, ast.arg | ast.AnnAssign | ast.FunctionDef | ast.AsyncFunctionDef) or type(node).__name__ in (
            "TypeVar", "ParamSpec", "TypeVarTuple"):
        return [a for a in found if isinstance(a, ast.AST)]
    return []


def _holds_text(annotation: ast.AST) -> bool:
    return any(isinstance(n, ast.Constant) and isinstance(n.value, str) or isinstance(n, ast.JoinedStr)
               for n in ast.walk(annotation))


def _module_refusal(module: str) -> str | None:
    top = module.split(".")[0]
    if module in REFUSED_MODULES or any(module.startswith(m + ".") for m in REFUSED_MODULES):
        return (f"import of {module} is not allowed: it reads or writes files or runs code; "
                "the build exports the shape you pass to show_object()")
    if top not in ALLOWED_MODULES or TEST_PARTS & set(module.split(".")):
        allowed = ", ".join(sorted(ALLOWED_MODULES))
        return f"import of {module} is not allowed; a design script may import only {allowed}"
    return None


def _imported_names_refusal(node: ast.ImportFrom) -> str | None:
    for alias in node.names:
        full = f"{node.module}.{alias.name}"
        if alias.name == "*":
            return _star_refusal(node.module or "")
        refusal = _module_refusal(full) if full in REFUSED_MODULES else _attribute_refusal(alias.name)
        if refusal:
            return refusal
    return None


def star_names(module: str) -> dict[str, object] | None:
    """What `from <module> import *` binds (its __all__, else its public names); None when it cannot be listed."""
    if module.split(".")[0] not in STAR_MODULES:
        return None
    imported = importlib.import_module(module)
    names = getattr(imported, "__all__", None) or [n for n in dir(imported) if not n.startswith("_")]
    return {name: getattr(imported, name, None) for name in names}


def _star_refusal(module: str) -> str | None:
    if module == "cadquery":  # its __all__: the modelling API the docs' examples star-import; the wall contains it
        return None
    names = star_names(module)
    if names is None:
        return (f"`from {module} import *` is not allowed: its names cannot be listed without importing CadQuery, which only the CAD worker does; "
                "import the names you use")
    for name, value in names.items():
        outside = isinstance(value, types.ModuleType) and value.__name__.split(".")[0] not in ALLOWED_MODULES
        if outside or _name_refusal(name) or _attribute_refusal(name):
            return f"`from {module} import *` brings in {name}, which is not allowed; import the names you use"
    return None


def accepted_star_imports(tree: ast.Module) -> list[str]:
    """A sentence for each `from <module> import *` the check accepted, for `build.py check` to say."""
    return [f"line {node.lineno}: `from {node.module} import *` accepted: " + (
            "CadQuery's public names (its __all__), run behind the build's wall" if node.module == "cadquery" else
            f"{node.module} is allowed, and so are all {len(star_names(node.module) or {})} names it brings in")
            for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and not node.level
            and any(a.name == "*" for a in node.names) and not _refusal(node)]


def _name_refusal(name: str) -> str | None:
    if DUNDER.match(name) and name not in ("__name__", "__doc__"):
        return f"the name {name} is not allowed; dunder names reach the interpreter's internals"
    if name in REFUSED_NAMES:
        return f"{name} is not allowed in a design script; it can run code or reach files or the interpreter"
    return None


def _attribute_refusal(attr: str) -> str | None:
    if attr in PROTOCOL_DUNDERS:
        return None
    if attr.startswith("__"):
        return f"the attribute .{attr} is not allowed; dunder attributes reach the interpreter's internals"
    if attr in MODULE_NAMES:
        return (f"the attribute .{attr} is not allowed: it leads from an allowed module to one a design script may "
                "not use (files, processes or the interpreter); import only cadquery and math-like modules")
    if (attr in REFUSED_ATTRIBUTES or attr.startswith(REFUSED_ATTRIBUTE_PREFIXES)
            or REFUSED_ATTRIBUTE_PARTS.search(attr)):
        return (f"the attribute .{attr} is not allowed: it can reach files, processes or the interpreter; "
                "the build exports the shape you pass to show_object()")
    return None
