"""Design rules: conditions over several parameters that each variant must meet.

A rule is a short arithmetic comparison written in design.yaml, e.g.
`band_width <= width - 4`. It is parsed with `ast` and evaluated over a small
whitelist of operations: it never runs code from the file.
"""
from __future__ import annotations

import ast
import math
import operator
from typing import Any

BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
          ast.Pow: operator.pow, ast.Mod: operator.mod}
UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_}
COMPARE = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
           ast.Eq: operator.eq, ast.NotEq: operator.ne}
FUNCTIONS = {"min": min, "max": max, "abs": abs, "sqrt": math.sqrt, "floor": math.floor, "ceil": math.ceil}
CONSTANTS = {"pi": math.pi}


class RuleError(ValueError):
    """The rule itself is malformed (not the variant)."""


def parse_rule(text: str) -> ast.Expression:
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as err:
        raise RuleError(f"is not a valid expression ({err.msg})") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
            raise RuleError(f"calls something other than {', '.join(FUNCTIONS)}")
        if isinstance(node, (ast.Attribute, ast.Subscript, ast.Lambda, ast.NamedExpr)) or (
                isinstance(node, ast.Constant) and type(node.value) not in (int, float)):
            raise RuleError("may only use numbers, parameter names, arithmetic, comparisons, and/or/not")
    return tree


def names_in(tree: ast.Expression) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - set(FUNCTIONS) - set(CONSTANTS)


def evaluate(tree: ast.AST, values: dict[str, float]) -> Any:
    node = tree.body if isinstance(tree, ast.Expression) else tree
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return CONSTANTS[node.id] if node.id in CONSTANTS else values[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
        return BINARY[type(node.op)](evaluate(node.left, values), evaluate(node.right, values))
    if isinstance(node, ast.UnaryOp) and type(node.op) in UNARY:
        return UNARY[type(node.op)](evaluate(node.operand, values))
    if isinstance(node, ast.BoolOp):
        results = (evaluate(v, values) for v in node.values)
        return all(results) if isinstance(node.op, ast.And) else any(results)
    if isinstance(node, ast.Compare):
        left = evaluate(node.left, values)
        for op, right_node in zip(node.ops, node.comparators):
            right = evaluate(right_node, values)
            if type(op) not in COMPARE or not COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id](*(evaluate(a, values) for a in node.args))
    raise RuleError(f"uses {type(node).__name__}, which rules do not allow")
