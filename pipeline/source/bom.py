"""design.yaml's bill of materials and assembly steps: checked against the design, and evaluated per variant.

A quantity per unit is a number, or an expression over the variant's parameters in the language of design
rules (rules.py: parsed with `ast`, never run), e.g. the elastic around the back of a head the band's shape.
A specification may name a parameter in braces, `{handle_diameter}`, replaced by the variant's value.
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from ..model import STEP_VIEWS, AssemblyStep, BomItem, BomLine, Design, Problem, Text, Variant
from ..photos import PhotoError, clean_photo
from .rules import RuleError, evaluate, names_in, parse_rule
from .yaml_file import line_of

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
PRINTED = Text(en="Printed part", fr="Pièce imprimée")


def bom_problems(design: Design, node: Any, where: str) -> list[Problem]:
    """Every item's quantity for every variant it applies to, its variants and its placeholders; every step's
    text, picture and variants. One line each, naming the file, the line and the fix."""
    problems: list[Problem] = []
    names = {v.name for v in design.variants}
    for index, item in enumerate(design.bom.items if design.bom else ()):
        at = _at(node, where, ["bom", "items", index])
        problems += _variant_names(item.variants, names, at(["variants"]), "bom item")
        problems += _quantity_problems(design, item, at)
        problems += _placeholder_problems(design, item.specification, at(["specification"]))
    for index, step in enumerate(design.steps):
        at = _at(node, where, ["steps", index])
        problems += _variant_names(step.variants, names, at(["variants"]), "step")
        problems += _step_problems(design, step, at)
    return problems


def _at(node: Any, where: str, path: list[Any]):
    def located(field: list[Any]) -> str:  # the line is looked up only for a message
        full = path + field
        dotted = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in full).lstrip(".")
        return f"{where}:{line_of(node, full)}: {dotted}"
    return located


def _variant_names(given: tuple[str, ...], names: set[str], at: str, what: str) -> list[Problem]:
    unknown = [n for n in given if n not in names]
    if not unknown:
        return []
    return [Problem(at, f"unknown variant(s) {', '.join(map(repr, unknown))}; this design's variants: "
                        f"{', '.join(sorted(names))}; name one of them or leave variants out for all")]


def _quantity_problems(design: Design, item: BomItem, at) -> list[Problem]:
    quantity = item.quantity
    if quantity is None:
        if item.note is None:
            return [Problem(at(["quantity"]), "is missing; give a number or an expression per unit, or, where the "
                                              "design leaves the quantity open, a note saying which choice it depends on")]
        return []
    if not isinstance(quantity, str):
        if quantity < 0 or not math.isfinite(quantity):
            return [Problem(at(["quantity"]), f"{quantity:g} is negative; a quantity per unit is 0 or more")]
        return []
    declared = {p.name for p in design.parameters}
    try:
        tree = parse_rule(quantity)
        unknown = names_in(tree) - declared
        if unknown:
            raise RuleError(f"names unknown parameter(s) {', '.join(sorted(unknown))}; declared: {', '.join(sorted(declared))}")
    except RuleError as err:
        return [Problem(at(["quantity"]), f"{quantity!r} is not a number nor a valid expression: it {err}; write a "
                                          "number (e.g. 2) or an expression over the parameters (e.g. \"pi * head_width / 2\")")]
    problems = []
    for variant in _variants_of(design, item.variants):
        value = _value(tree, variant, at(["quantity"]), quantity, problems)
        if value is not None and value < 0:
            problems.append(Problem(at(["quantity"]), f"{quantity!r} is {value:g} for variant {variant.name}; "
                                                      "a quantity per unit is 0 or more"))
    return problems


def _value(tree: Any, variant: Variant, at: str, text: str, problems: list[Problem]) -> float | None:
    try:
        value = evaluate(tree, variant.parameters)
    except (ArithmeticError, ValueError, TypeError) as err:
        problems.append(Problem(at, f"{text!r} cannot be evaluated for variant {variant.name}: {err}"))
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        problems.append(Problem(at, f"{text!r} gives {value!r} for variant {variant.name}, not a quantity; "
                                    "write an arithmetic expression, not a comparison"))
        return None
    return float(value)


def _placeholder_problems(design: Design, text: Text, at: str) -> list[Problem]:
    declared = {p.name for p in design.parameters}
    unknown = sorted({n for t in (text.en, text.fr or "") for n in PLACEHOLDER.findall(t)} - declared)
    if not unknown:
        return []
    return [Problem(at, f"{{{unknown[0]}}} is not a parameter of the design; write one of: "
                        f"{', '.join('{' + n + '}' for n in sorted(declared))}, or remove the braces")]


def _step_problems(design: Design, step: AssemblyStep, at) -> list[Problem]:
    problems = []
    if not step.text.en.strip() or (step.text.fr is not None and not step.text.fr.strip()):
        problems.append(Problem(at(["text"]), "is empty; say what to do in this step (en, and fr for French pages)"))
    if (step.view is None) == (step.photo is None):
        problems.append(Problem(at([]), f"needs one picture: either view: ({', '.join(STEP_VIEWS)}: rendered from "
                                        "the design) or photo: (a JPEG or PNG in the design's folder)"))
    if step.view == "sheet" and design.sheet is None:
        problems.append(Problem(at(["view"]), "sheet draws the design's transparent sheet, and this design has no "
                                              "sheet: block; describe the sheet (size_mm, holes_mm) or choose another view"))
    if step.photo is not None:
        try:
            step_photo(design, step)
        except PhotoError as err:
            problems.append(Problem(at(["photo"]), str(err).replace("next to the report", "in the design's folder")))
    return problems


def step_photo(design: Design, step: AssemblyStep) -> tuple[bytes, str]:
    """The step's photo re-encoded with no metadata, and its suffix (raises PhotoError)."""
    return clean_photo(Path(design.folder) / step.photo)


def _variants_of(design: Design, names: tuple[str, ...]) -> list[Variant]:
    return [v for v in design.variants if not names or v.name in names]


def steps_for(design: Design, variant: Variant) -> tuple[AssemblyStep, ...]:
    return tuple(s for s in design.steps if not s.variants or variant.name in s.variants)


def variant_bom(design: Design, variant: Variant) -> tuple[BomLine, ...]:
    """What one unit of this variant needs: its printed part first (a printed design's: it has filaments), then
    the items that apply to it. A way of making adds its own lines (publish.bom.unit_bom)."""
    if design.bom is None:
        return ()
    materials = " / ".join(m.name for m in design.materials)
    printed = BomLine(name=PRINTED, quantity=float(design.bom.parts_per_unit), unit="pieces", printed=True,
                      specification=Text(en=f"{design.slug}-{variant.name}, {materials}",
                                         fr=f"{design.slug}-{variant.name}, {materials}"))
    lines = [printed] if design.materials else []
    for item in design.bom.items:
        if item.variants and variant.name not in item.variants:
            continue
        lines.append(BomLine(name=item.name, quantity=quantity_for(item, variant), unit=item.unit,
                             specification=_filled(item.specification, variant), optional=item.optional,
                             connects_to=item.connects_to, substitutes=item.substitutes, note=item.note))
    return tuple(lines)


def prints_per_unit(design: Design, variant: Variant) -> float:
    """Copies of the variant's file one unit takes: a stack of 4 headbands is a quarter of a print per visor."""
    parts_per_unit = design.bom.parts_per_unit if design.bom else 1
    return parts_per_unit / (variant.parts or 1)


def quantity_for(item: BomItem, variant: Variant) -> float | None:
    """The item's quantity per unit for this variant (validated: a number, 0 or more), to 0.1 of its unit."""
    if item.quantity is None:
        return None
    value = item.quantity if not isinstance(item.quantity, str) else evaluate(parse_rule(item.quantity), variant.parameters)
    return round(float(value), 1)


def _filled(text: Text, variant: Variant) -> Text:
    def fill(value: str | None) -> str | None:
        if value is None:
            return None
        return PLACEHOLDER.sub(lambda m: _shown(variant.parameters[m.group(1)]), value)
    return Text(en=fill(text.en), fr=fill(text.fr))


def _shown(value: Any) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
