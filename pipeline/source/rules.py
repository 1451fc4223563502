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
# Every kind of syntax node a rule may hold; anything else (`is`, `in`, `x if c else y`, tuples,
# subscripts, keyword arguments...) makes the rule malformed rather than false.
ALLOWED_NODES = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.And, ast.Or, ast.Compare, ast.Call,
                 ast.Name, ast.Load, ast.Constant, *BINARY, *UNARY, *COMPARE)
DESCRIPTION = "numbers, parameter names, + - * / % **, comparisons (< <= > >= == !=), and/or/not, " + \
    ", ".join(FUNCTIONS) + ", " + ", ".join(CONSTANTS)


# Bounds that keep a rule's evaluation to microseconds whatever design.yaml says: its length and nesting (a
# 3 kB `---...1` overflowed the parser's and our recursion), and numbers as floats (`10**10**9` on Python's
# unbounded ints ran for hours; on floats it is an OverflowError, a problem line).
MAX_RULE_LENGTH = 500
MAX_DEPTH = 20


class RuleError(ValueError):
    """The rule itself is malformed (not the variant)."""


def parse_rule(text: str) -> ast.Expression:
    if len(text) > MAX_RULE_LENGTH:
        raise RuleError(f"is {len(text)} characters long; a rule or quantity has at most {MAX_RULE_LENGTH}")
    if _bracket_depth(text) > MAX_DEPTH:
        raise RuleError(f"nests more than {MAX_DEPTH} deep; write it flatter")
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, RecursionError, MemoryError, ValueError) as err:
        raise RuleError(f"is not a valid expression ({getattr(err, 'msg', None) or err})") from None
    if _depth(tree.body) > MAX_DEPTH:
        raise RuleError(f"nests more than {MAX_DEPTH} operations deep (e.g. `---1`); write it flatter")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
            raise RuleError(f"calls something other than {', '.join(FUNCTIONS)}")
        not_a_number = isinstance(node, ast.Constant) and type(node.value) not in (int, float)
        if not isinstance(node, ALLOWED_NODES) or not_a_number:
            raise RuleError(f"uses {_shown(node)}; a rule may only use {DESCRIPTION}")
    return tree


def _shown(node: ast.AST) -> str:
    operators = {ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in", ast.FloorDiv: "//",
                 ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>",
                 ast.IfExp: "x if c else y"}
    if isinstance(node, ast.Constant):
        return f"{node.value!r}, which is not a number"
    return f"`{operators[type(node)]}`" if type(node) in operators else f"a {type(node).__name__}"


def _bracket_depth(text: str) -> int:
    """How deep brackets and signs nest in the text, counted before Python's parser sees it."""
    depth = deepest = run = 0
    for char in text:
        depth += char == "("
        depth -= char == ")"
        run = run + 1 if char in "+-~" else (run if char == " " else 0)
        deepest = max(deepest, depth, run)
    return deepest


def _depth(node: ast.AST) -> int:
    """The tree's depth, without recursion (a hostile tree is exactly what recursion cannot take)."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack += [(child, level + 1) for child in ast.iter_child_nodes(node)]
    return deepest


def names_in(tree: ast.Expression) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - set(FUNCTIONS) - set(CONSTANTS)


def evaluate(tree: ast.AST, values: dict[str, float]) -> Any:
    """The rule's value for these parameter values; `tree` has passed parse_rule."""
    node = tree.body if isinstance(tree, ast.Expression) else tree
    if isinstance(node, ast.Constant):
        return float(node.value)  # floats: `10**10**9` overflows at once instead of computing for hours
    if isinstance(node, ast.Name):
        value = CONSTANTS[node.id] if node.id in CONSTANTS else values[node.id]
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if isinstance(node, ast.BinOp):
        return BINARY[type(node.op)](evaluate(node.left, values), evaluate(node.right, values))
    if isinstance(node, ast.UnaryOp):
        return UNARY[type(node.op)](evaluate(node.operand, values))
    if isinstance(node, ast.BoolOp):
        results = (evaluate(v, values) for v in node.values)
        return all(results) if isinstance(node.op, ast.And) else any(results)
    if isinstance(node, ast.Compare):
        left = evaluate(node.left, values)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = evaluate(right_node, values)
            if not COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id](*(evaluate(a, values) for a in node.args))
    raise AssertionError(f"parse_rule let through a {type(node).__name__}")
