"""`python build.py new <slug> --from script.py`: adopt an existing CadQuery script as it is.

The script is copied unchanged; design.yaml declares every parameter the script
sets (read with `ast`, as CQGI reads them: name, default, kind), and marks each
field only the contributor can fill with `FILL IN: ...`, which validation names
with its line until it is replaced.
"""
from __future__ import annotations

import ast
import json
import os
import shutil
from pathlib import Path

from ..categories import CATEGORIES
from ..config import BuildConfig
from ..model import ParameterValue
from ..source.validate import KIND_OF_VALUE, MAX_SCRIPT_BYTES, script_parameters
from ..source.yaml_file import FILL_IN
from .one_design import CommandError
from .scaffold import check_new_slug

SCRIPT_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def scaffold_from_script(config: BuildConfig, slug: str, script: Path) -> list[Path]:
    """Write designs/<slug>/<script name> (a copy) and a design.yaml declaring its parameters."""
    folder = check_new_slug(config, slug)
    source = _read_script(script)
    try:
        tree = ast.parse(source, filename=str(script))
    except SyntaxError as err:
        raise CommandError(f"{script}:{err.lineno}: syntax error: {err.msg}; fix the script first") from None
    name = _script_name(script, slug)
    parameters = {k: v for k, v in script_parameters(tree).items() if not k.isupper()}
    staging = folder.with_name(f".{slug}.new")  # hidden from discovery until complete
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    (staging / name).write_bytes(source)
    (staging / "design.yaml").write_text(design_yaml(slug, name, parameters), encoding="utf-8")
    os.rename(staging, folder)
    return [folder / "design.yaml", folder / name]


def _read_script(script: Path) -> bytes:
    if not script.is_file():
        raise CommandError(f"--from {script}: no such file; give the path of a CadQuery script")
    size = script.stat().st_size
    if size > MAX_SCRIPT_BYTES:
        raise CommandError(f"--from {script}: is {size} bytes; the limit is {MAX_SCRIPT_BYTES}")
    return script.read_bytes()


def _script_name(script: Path, slug: str) -> str:
    """The script's own name when design.yaml's `script` field accepts it, else one made from the slug."""
    name = script.name
    if name.endswith(".py") and set(name[:-3]) <= SCRIPT_NAME_CHARS and name[0] not in "-":
        return name
    return f"{slug.replace('-', '_')}.py"


def _fill(hint: str) -> str:
    return json.dumps(f"{FILL_IN}: {hint}", ensure_ascii=False)


def _parameter_lines(name: str, default: ParameterValue) -> list[str]:
    kind = KIND_OF_VALUE[type(default)]
    lines = [f"  {name}:"]
    if kind == "number":
        lines += [f"    default: {json.dumps(default)}",
                  f"    unit: {_fill('mm, deg, count or ratio')}",
                  f"    min: {_fill('the smallest value that still makes a good part')}",
                  f"    max: {_fill('the largest value that still makes a good part')}"]
        if isinstance(default, int):
            lines.append("    integer: true  # remove if fractions are allowed")
    elif kind == "boolean":
        lines += ["    type: boolean", f"    default: {json.dumps(default)}"]
    else:
        lines += ["    type: string", f"    default: {json.dumps(default, ensure_ascii=False)}",
                  f"    choices: [{json.dumps(default, ensure_ascii=False)}, {_fill('every other value the script accepts')}]"]
    lines.append(f"    description: {_fill('what it changes on the part')}")
    return lines


def design_yaml(slug: str, script: str, parameters: dict[str, ParameterValue]) -> str:
    """design.yaml for an adopted script: what the script says, and FILL IN where only its author knows."""
    declared = [line for name, value in parameters.items() for line in _parameter_lines(name, value)]
    return "\n".join([
        "# yaml-language-server: $schema=../../schema/design.schema.json",
        "# Written by `build.py new --from`. Replace every FILL IN; `python build.py check` names those left.",
        f"id: {slug}",
        "title:",
        f"  en: {_fill('a short title in English')}",
        f"  fr: {_fill('the title in French')}",
        "summary:",
        f"  en: {_fill('one or two sentences - what the part is and who it is for')}",
        f"category: {_fill(', '.join(list(CATEGORIES)[:-1]) + ' or ' + list(CATEGORIES)[-1])}",
        f"licence: {_fill('the SPDX id of the script licence, e.g. CERN-OHL-P-2.0 (see CONTRIBUTING.md)')}",
        "authors:",
        f"  - name: {_fill('who wrote the script')}",
        "provenance:",
        "  origin: original  # or remix, with remix_of: {title, url, licence} of the design whose geometry you reproduce",
        f"script: {script}",
        "parameters:" + ("  # every parameter the script sets, as CQGI reads them" if declared else " {}  # the script sets none"),
        *declared,
        "variants:",
        "  - name: standard",
        "    description: The script's own values.",
        "materials:",
        "  - name: PETG  # PLA, PETG, ABS, ASA, PET, TPU, PP or Nylon: what it was printed in",
        "print_settings:",
        "  nozzle_mm: 0.4",
        "  layer_height_mm: 0.2",
        "  perimeters: 3",
        "  infill_percent: 20",
        "  supports: false",
        'version: "0.1"',
        "",
    ])
