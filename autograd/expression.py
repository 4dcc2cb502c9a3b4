"""Build a graph from a formula written as text, safely: ``"tanh(x*w + b)"``.

The text is parsed with Python's ``ast`` and only a short whitelist is accepted:
numbers, variable names, ``+ - * / **``, unary minus and calls of the engine's own
functions by name. Nothing is ever passed to ``eval``: attribute access, subscripts,
calls of anything else, lambdas, strings and over-long inputs are refused with a
message that points at the offending part.

    >>> from autograd.expression import parse_expression
    >>> out = parse_expression("tanh(x*w + b)", {"x": 2.0, "w": -3.0, "b": 6.88})
    >>> round(out.data, 4), out.op
    (0.7064, 'tanh')
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Mapping

from .value import Value

MAX_LENGTH = 500
FUNCTIONS = ("exp", "log", "sqrt", "tanh", "sigmoid", "relu", "leaky_relu", "step",
             "sin", "cos", "abs")
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.Pow: operator.pow}


class ExpressionError(ValueError):
    """The formula is not one chainrule will build; the message points at the part.

    ``.reason`` says what is wrong, ``.part`` is the offending text and ``.column``
    where it starts (0-based), for a one-line report.
    """

    def __init__(self, reason: str, text: str = "", start: int = 0, end: int = 0) -> None:
        self.reason, self.part, self.column = reason, text[start:end], start
        pointer = f"\n  {text}\n  {' ' * start}{'^' * max(1, end - start)}" if text else ""
        super().__init__(reason + pointer)

    def one_line(self) -> str:
        if not self.part:
            return self.reason
        return f"{self.reason} (at column {self.column + 1}: {self.part!r})"


def _refuse(text: str, node: ast.AST, what: str) -> ExpressionError:
    start = getattr(node, "col_offset", 0)
    end = getattr(node, "end_col_offset", start + 1) or start + 1
    return ExpressionError(what, text, start, end)


def parse_expression(text: str, variables: Mapping[str, float | Value]) -> Value:
    """The graph of ``text`` with each variable a labelled leaf; returns the output Value.

    A variable given as a Value is used as it is (so the formula can be part of a
    larger graph, or checked with ``gradcheck``).

    Functions: ``exp log sqrt tanh sigmoid relu leaky_relu step sin cos abs``.
    """
    if not isinstance(text, str):
        raise TypeError(f"the expression must be text, got {text!r}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(text)} characters long; the limit is "
                              f"{MAX_LENGTH}: split it into smaller formulas")
    if "\n" in text or "\r" in text:
        raise ExpressionError("the expression must be on one line")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, RecursionError, MemoryError) as error:
        column = (getattr(error, "offset", None) or 1) - 1
        raise ExpressionError(f"not a valid formula: {getattr(error, 'msg', error)}", text,
                              column, column + 1) from None
    text = text.strip()
    leaves = {name: number if isinstance(number, Value)
              else Value(float(number), label=name, role="input")
              for name, number in variables.items()}
    return _as_node(_build(tree.body, text, leaves))


def _as_node(x: Value | float) -> Value:
    return x if isinstance(x, Value) else Value(x, role="constant")


def _build(node: ast.AST, text: str, leaves: dict[str, Value]) -> Value | float:
    """A Value, or a plain number, which the operation using it folds in (as in code)."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise _refuse(text, node, f"only numbers are allowed as constants, not "
                                      f"{node.value!r}")
        return float(node.value)
    if isinstance(node, ast.Name):
        if node.id in leaves:
            return leaves[node.id]
        known = ", ".join(sorted(leaves)) or "none given"
        if node.id in FUNCTIONS:
            raise _refuse(text, node, f"{node.id} is a function: call it, e.g. {node.id}(x)")
        raise _refuse(text, node, f"unknown variable {node.id!r} (variables: {known}); "
                                  f"give it a value, e.g. {node.id}=1.0")
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _build(node.left, text, leaves), _build(node.right, text, leaves)
        if not isinstance(right, Value):  # "2*3": make the left a node, so it is drawn
            left = _as_node(left)
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _build(node.operand, text, leaves)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise _refuse(text, node.func, f"only these functions can be called: "
                                           f"{', '.join(FUNCTIONS)}")
        if node.keywords or len(node.args) != 1:
            raise _refuse(text, node, f"{node.func.id}() takes exactly one argument")
        argument = _as_node(_build(node.args[0], text, leaves))
        return abs(argument) if node.func.id == "abs" else getattr(argument, node.func.id)()
    kinds = {ast.Attribute: "attribute access", ast.Subscript: "indexing",
             ast.Lambda: "lambda", ast.Compare: "comparison", ast.BoolOp: "and/or",
             ast.BinOp: "this operator (use + - * / **)", ast.IfExp: "if/else",
             ast.ListComp: "comprehension", ast.List: "list", ast.Tuple: "tuple",
             ast.NamedExpr: "assignment", ast.JoinedStr: "f-string"}
    what = next((label for kind, label in kinds.items() if isinstance(node, kind)),
                type(node).__name__)
    raise _refuse(text, node, f"not allowed in a formula: {what}")
