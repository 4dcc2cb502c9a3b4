"""The one table of derivative rules.

Every operation is defined here once: how to compute its output, its local
derivatives d out / d input_i, and the formula as text. The backward pass, the
stepper, the explainer and the visualiser all read this table.

A rule is written against an ``ops`` namespace (``exp``, ``log``, ``step``, ...), so
the same formula serves floats (``autograd.scalar_math``), ``Value`` nodes (the
derivative becomes a graph that can be differentiated again) and numpy arrays.

    >>> from autograd.rules import RULES
    >>> RULES["*"].formula(0, 2)
    'd(a*b)/da = b'
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)  # slots: rule.forward is read on every operation
class Rule:
    """One operation: ``forward(ops, *xs, **attrs)``, ``local(ops, out, *xs, **attrs)``.

    ``local`` returns one local derivative per input, in operand order; where they do
    not depend on the inputs (d(a+b)/da = 1) it is simply that tuple of numbers, which
    saves a call on the commonest operations. ``formulas``
    holds the text of each (or a function ``(i, n) -> str`` for n-ary operations).
    ``vjp`` is for array operations whose local derivative is not elementwise
    (``matmul``, ``sum`` over an axis): ``vjp(ops, upstream, out, *xs, **attrs)``
    returns the gradient of each input directly.
    """

    name: str
    forward: Callable[..., Any]
    local: Callable[..., tuple] | tuple[float, ...] | None
    formulas: tuple[str, ...] | Callable[[int, int], str]
    describe: Callable[..., str] | None = None
    vjp: Callable[..., tuple] | None = None

    def local_derivatives(self, ops: Any, out: Any, *xs: Any, **attrs: Any) -> tuple:
        """d out / d x_i for each input: the rule's numbers, or its formula evaluated.

        >>> RULES["*"].local_derivatives(None, 6.0, 2.0, 3.0)   # d(a*b)/da = b, d/db = a
        (3.0, 2.0)
        >>> RULES["+"].local_derivatives(None, 5.0, 2.0, 3.0)   # stored as numbers
        (1.0, 1.0)
        """
        if type(self.local) is tuple:
            return self.local
        return self.local(ops, out, *xs, **attrs)

    def formula(self, index: int, arity: int) -> str:
        """The text of d out / d input_index, e.g. ``d(a*b)/da = b``."""
        if callable(self.formulas):
            return self.formulas(index, arity)
        return self.formulas[index]

    def display(self, attrs: dict | None = None) -> str:
        """How the operation is drawn: ``*``, ``tanh``, ``**2``, ``leaky_relu(0.1)``."""
        if self.describe is not None:
            return self.describe(**(attrs or {}))
        return self.name


RULES: dict[str, Rule] = {}


def define(name: str, forward, local, formulas, describe=None, vjp=None) -> Rule:
    """Add a rule to the table (array rules in ``tensor_rules`` use this too)."""
    if name in RULES:
        raise ValueError(f"a rule named {name!r} is already defined")
    rule = Rule(name, forward, local, formulas, describe, vjp)
    RULES[name] = rule
    return rule


def _dot_formula(index: int, arity: int) -> str:
    n = arity // 2
    if index < n:
        return f"d(Σ w·x + b)/dw{index} = x{index}"
    if index < 2 * n:
        return f"d(Σ w·x + b)/dx{index - n} = w{index - n}"
    return "d(Σ w·x + b)/db = 1"


def _fmt(number: float) -> str:
    return f"{number:g}"


# --- arithmetic --------------------------------------------------------------------
ADD = define("+", lambda ops, a, b: a + b, (1.0, 1.0),
             ("d(a+b)/da = 1", "d(a+b)/db = 1"))
SUB = define("-", lambda ops, a, b: a - b, (1.0, -1.0),
             ("d(a-b)/da = 1", "d(a-b)/db = -1"))
MUL = define("*", lambda ops, a, b: a * b, lambda ops, out, a, b: (b, a),
             ("d(a*b)/da = b", "d(a*b)/db = a"))
DIV = define("/", lambda ops, a, b: ops.divide(a, b),
             lambda ops, out, a, b: (1.0 / b, -out / b),  # d(a/b)/db = -a/b² = -out/b
             ("d(a/b)/da = 1/b", "d(a/b)/db = -a/b²"))
NEG = define("neg", lambda ops, x: -x, (-1.0,), ("d(-x)/dx = -1",))
# x ** n with a number n (an attribute, not an input: it gets no gradient).
POW = define("**", lambda ops, x, exponent: ops.power(x, exponent),
             lambda ops, out, x, exponent: (ops.power_slope(x, exponent),),
             lambda i, n: "d(x**n)/dx = n·x**(n-1)",
             describe=lambda exponent: f"**{_fmt(exponent)}")
# a ** b with both sides in the graph.
POWV = define("pow", lambda ops, a, b: ops.power(a, b),
              lambda ops, out, a, b: (b * ops.power(a, b - 1.0), out * ops.log_or_nan(a)),
              ("d(a**b)/da = b·a**(b-1)", "d(a**b)/db = a**b·ln a"), describe=lambda: "**")

# --- a Value and a plain number: one node, the number an attribute -----------------
# ``x + 1`` records one node with parents (x,), not a second node for the 1: a number
# gets no gradient (as in PyTorch), and half the nodes is half the walking.
ADD_CONSTANT = define("x+c", lambda ops, x, constant: x + constant,
                      (1.0,), ("d(x+c)/dx = 1",),
                      describe=lambda constant: f"+ {_fmt(constant)}")
SUB_CONSTANT = define("x-c", lambda ops, x, constant: x - constant,
                      (1.0,), ("d(x-c)/dx = 1",),
                      describe=lambda constant: f"- {_fmt(constant)}")
CONSTANT_SUB = define("c-x", lambda ops, x, constant: constant - x,
                      (-1.0,), ("d(c-x)/dx = -1",),
                      describe=lambda constant: f"{_fmt(constant)} -")
MUL_CONSTANT = define("x*c", lambda ops, x, constant: x * constant,
                      lambda ops, out, x, constant: (constant,), ("d(x*c)/dx = c",),
                      describe=lambda constant: f"* {_fmt(constant)}")
DIV_CONSTANT = define("x/c", lambda ops, x, constant: ops.divide(x, constant),
                      lambda ops, out, x, constant: (1.0 / constant,), ("d(x/c)/dx = 1/c",),
                      describe=lambda constant: f"/ {_fmt(constant)}")
CONSTANT_DIV = define("c/x", lambda ops, x, constant: ops.divide(constant, x),
                      lambda ops, out, x, constant: (-out / x,),  # -c/x² = -out/x
                      ("d(c/x)/dx = -c/x²",), describe=lambda constant: f"{_fmt(constant)} /")
CONSTANT_POW = define("c**x", lambda ops, x, constant: ops.power(constant, x),
                      lambda ops, out, x, constant: (out * ops.log_or_nan(constant),),
                      ("d(c**x)/dx = c**x·ln c",),
                      describe=lambda constant: f"{_fmt(constant)} **")

# --- elementwise functions ---------------------------------------------------------
ABS = define("abs", lambda ops, x: abs(x), lambda ops, out, x: (ops.sign(x),),
             ("d|x|/dx = sign(x)",))
EXP = define("exp", lambda ops, x: ops.exp(x), lambda ops, out, x: (out,),
             ("d exp(x)/dx = exp(x)",))
LOG = define("log", lambda ops, x: ops.log(x), lambda ops, out, x: (1.0 / x,),
             ("d ln(x)/dx = 1/x",))
SQRT = define("sqrt", lambda ops, x: ops.sqrt(x), lambda ops, out, x: (0.5 / out,),
              ("d sqrt(x)/dx = 1/(2·sqrt(x))",))
TANH = define("tanh", lambda ops, x: ops.tanh(x), lambda ops, out, x: (1.0 - out * out,),
              ("d tanh(x)/dx = 1 - tanh(x)²",))
SIGMOID = define("sigmoid", lambda ops, x: ops.sigmoid(x),
                 lambda ops, out, x: (out * (1.0 - out),),
                 ("d σ(x)/dx = σ(x)·(1 - σ(x))",))
RELU = define("relu", lambda ops, x: ops.relu(x), lambda ops, out, x: (ops.step(x),),
              ("d relu(x)/dx = 1 if x > 0 else 0",))
LEAKY_RELU = define(
    "leaky_relu",
    lambda ops, x, slope: ops.leaky_relu(x, slope),
    lambda ops, out, x, slope: (ops.step(x) * (1.0 - slope) + slope,),
    lambda i, n: "d leaky_relu(x)/dx = 1 if x > 0 else slope",
    describe=lambda slope: f"leaky_relu({_fmt(slope)})",
)
# Heaviside step: flat on both sides of 0, so its derivative is 0 wherever it exists.
STEP = define("step", lambda ops, x: ops.step(x), lambda ops, out, x: (0.0 * x,),
              ("d step(x)/dx = 0 (undefined at 0)",))
SIGN = define("sign", lambda ops, x: ops.sign(x), lambda ops, out, x: (0.0 * x,),
              ("d sign(x)/dx = 0 (undefined at 0)",))
SIN = define("sin", lambda ops, x: ops.sin(x), lambda ops, out, x: (ops.cos(x),),
             ("d sin(x)/dx = cos(x)",))
COS = define("cos", lambda ops, x: ops.cos(x), lambda ops, out, x: (-ops.sin(x),),
             ("d cos(x)/dx = -sin(x)",))

# --- n-ary operations: one node instead of a chain of 2n binary ones -----------------
SUM = define("sum", lambda ops, *xs: sum(xs), lambda ops, out, *xs: (1.0,) * len(xs),
             lambda i, n: f"d(x0 + ... + x{n - 1})/dx{i} = 1")


# Inputs are laid out (w0..w(n-1), x0..x(n-1)) and, when bias=True, b last.
def _dot_forward(ops, *parts, bias):
    n = len(parts) // 2
    total = sum(map(operator.mul, parts[:n], parts[n:2 * n]))  # map: no Python-level loop
    return total + parts[-1] if bias else total


def _dot_local(ops, out, *parts, bias):
    n = len(parts) // 2
    # d/dw_i = x_i, d/dx_i = w_i, d/db = 1
    return parts[n:2 * n] + parts[:n] + ((1.0,) if bias else ())


DOT = define("dot", _dot_forward, _dot_local, _dot_formula,
             describe=lambda bias: "Σ w·x + b" if bias else "Σ w·x")
