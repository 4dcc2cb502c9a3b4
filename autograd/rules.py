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
    >>> RULES["*"].local_grads(None, 6.0, 2.0, 3.0)    # d(a*b)/da = b, d(a*b)/db = a
    (3.0, 2.0)

Words used throughout: the *local derivatives* (``local_grads``) of an operation are
d out / d input for each input; a *VJP* (vector-Jacobian product) is what an array
operation uses instead when its derivative is not one number per entry (``matmul``):
it maps the upstream gradient straight to each input's gradient.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)  # slots: rule.forward is read on every operation
class Rule:
    """One operation.

    - ``op``: its symbol, as ``node.op`` shows it and ``RULES`` is keyed (``"*"``, ``"x+c"``);
    - ``name``: a Python name for code (``"mul"``, ``"add_number"``);
    - ``forward(ops, *xs, **attrs)``: the output;
    - ``local_grads(ops, out, *xs, **attrs)``: the local derivatives, one per input;
    - ``vjp(ops, upstream, out, *xs, needs=..., **attrs)``: for array operations whose
      derivative is not elementwise, each input's gradient directly (``None`` for an
      input whose ``needs[i]`` is False);
    - ``formulas``: the text of each local derivative, or a function ``(i, n) -> str``;
    - ``describe(**attrs)``: how a drawing names it, when not ``op`` (``**2``);
    - ``fixed_local_grads``: ``local_grads``' result, worked out once, when it is the
      same at every input (d(a+b)/da = 1); ``None`` otherwise;
    - ``first_order_only``: its VJP works on arrays only, so ``create_graph=True``
      (second derivatives) cannot go through it.
    """

    op: str
    name: str
    forward: Callable[..., Any]
    formulas: tuple[str, ...] | Callable[[int, int], str]
    local_grads: Callable[..., tuple] | None = None
    vjp: Callable[..., tuple] | None = None
    describe: Callable[..., str] | None = None
    fixed_local_grads: tuple | None = None
    first_order_only: bool = False

    def formula(self, index: int, arity: int) -> str:
        """The text of d out / d input_index, e.g. ``d(a*b)/da = b``."""
        if callable(self.formulas):
            return self.formulas(index, arity)
        return self.formulas[index]

    def display(self, attrs: dict | None = None) -> str:
        """How the operation is drawn: ``*``, ``tanh``, ``**2``, ``leaky_relu(0.1)``."""
        if self.describe is not None:
            return self.describe(**(attrs or {}))
        return self.op


RULES: dict[str, Rule] = {}


def _returning(numbers: tuple) -> Callable[..., tuple]:
    """A ``local_grads`` function that returns the same numbers at every input."""
    def local_grads(ops: Any, out: Any, *inputs: Any, **attrs: Any) -> tuple:
        return numbers
    return local_grads


def define(*, op: str, name: str, forward: Callable[..., Any],
           formulas: tuple[str, ...] | Callable[[int, int], str],
           local_grads: Callable[..., tuple] | None = None,
           fixed_local_grads: tuple | None = None,
           vjp: Callable[..., tuple] | None = None,
           describe: Callable[..., str] | None = None,
           first_order_only: bool = False) -> Rule:
    """Add a rule to ``RULES`` (the array rules in ``tensor_rules`` and ``conv`` too).

    Give one of ``local_grads`` (scalar and elementwise operations), ``fixed_local_grads``
    (the same numbers at every input, as d(a+b)/da = 1: ``local_grads`` then returns
    them) or ``vjp`` (the other array operations). ``first_order_only=True`` for a VJP
    written with numpy directly rather than with ``ops``.
    """
    if op in RULES:
        raise ValueError(f"a rule for {op!r} is already defined")
    if not name.isidentifier():
        raise ValueError(f"a rule's name must be a Python name, got {name!r}")
    if [local_grads, fixed_local_grads, vjp].count(None) != 2:
        raise ValueError(f"rule {op!r}: give exactly one of local_grads, fixed_local_grads "
                         f"and vjp")
    if fixed_local_grads is not None:
        fixed_local_grads = tuple(fixed_local_grads)
        local_grads = _returning(fixed_local_grads)
    rule = Rule(op, name, forward, formulas, local_grads, vjp, describe, fixed_local_grads,
                first_order_only)
    RULES[op] = rule
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
ADD = define(op="+", name="add", forward=lambda ops, a, b: a + b,
             fixed_local_grads=(1.0, 1.0),
             formulas=("d(a+b)/da = 1", "d(a+b)/db = 1"))
SUB = define(op="-", name="sub", forward=lambda ops, a, b: a - b,
             fixed_local_grads=(1.0, -1.0),
             formulas=("d(a-b)/da = 1", "d(a-b)/db = -1"))
MUL = define(op="*", name="mul", forward=lambda ops, a, b: a * b,
             local_grads=lambda ops, out, a, b: (b, a),
             formulas=("d(a*b)/da = b", "d(a*b)/db = a"))
DIV = define(op="/", name="div", forward=lambda ops, a, b: ops.divide(a, b),
             local_grads=lambda ops, out, a, b: (1.0 / b, -out / b),  # -a/b² = -out/b
             formulas=("d(a/b)/da = 1/b", "d(a/b)/db = -a/b²"))
NEG = define(op="neg", name="neg", forward=lambda ops, x: -x,
             fixed_local_grads=(-1.0,), formulas=("d(-x)/dx = -1",))
# x ** n with a number n (an attribute, not an input: it gets no gradient).
POW = define(op="**", name="power", forward=lambda ops, x, exponent: ops.power(x, exponent),
             local_grads=lambda ops, out, x, exponent: (ops.power_slope(x, exponent),),
             formulas=lambda i, n: "d(x**n)/dx = n·x**(n-1)",
             describe=lambda exponent: f"**{_fmt(exponent)}")
# a ** b with both sides in the graph.
POWV = define(op="pow", name="power_both", forward=lambda ops, a, b: ops.power(a, b),
              local_grads=lambda ops, out, a, b: (b * ops.power(a, b - 1.0),
                                                  out * ops.log_or_nan(a)),
              formulas=("d(a**b)/da = b·a**(b-1)", "d(a**b)/db = a**b·ln a"),
              describe=lambda: "**")

# --- a Value and a plain number: one node, the number (a constant) an attribute ------
# ``x + 1`` records one node with parents (x,), not a second node for the 1: a number
# gets no gradient (as in PyTorch), and half the nodes is half the walking.
ADD_CONSTANT = define(op="x+c", name="add_constant",
                      forward=lambda ops, x, constant: x + constant,
                      fixed_local_grads=(1.0,),
                      formulas=("d(x+c)/dx = 1",),
                      describe=lambda constant: f"+ {_fmt(constant)}")
SUB_CONSTANT = define(op="x-c", name="sub_constant",
                      forward=lambda ops, x, constant: x - constant,
                      fixed_local_grads=(1.0,),
                      formulas=("d(x-c)/dx = 1",),
                      describe=lambda constant: f"- {_fmt(constant)}")
CONSTANT_SUB = define(op="c-x", name="constant_sub",
                      forward=lambda ops, x, constant: constant - x,
                      fixed_local_grads=(-1.0,),
                      formulas=("d(c-x)/dx = -1",),
                      describe=lambda constant: f"{_fmt(constant)} -")
MUL_CONSTANT = define(op="x*c", name="mul_constant",
                      forward=lambda ops, x, constant: x * constant,
                      local_grads=lambda ops, out, x, constant: (constant,),
                      formulas=("d(x*c)/dx = c",),
                      describe=lambda constant: f"* {_fmt(constant)}")
DIV_CONSTANT = define(op="x/c", name="div_constant",
                      forward=lambda ops, x, constant: ops.divide(x, constant),
                      local_grads=lambda ops, out, x, constant: (1.0 / constant,),
                      formulas=("d(x/c)/dx = 1/c",),
                      describe=lambda constant: f"/ {_fmt(constant)}")
CONSTANT_DIV = define(op="c/x", name="constant_div",
                      forward=lambda ops, x, constant: ops.divide(constant, x),
                      local_grads=lambda ops, out, x, constant: (-out / x,),  # -c/x² = -out/x
                      formulas=("d(c/x)/dx = -c/x²",),
                      describe=lambda constant: f"{_fmt(constant)} /")
CONSTANT_POW = define(op="c**x", name="constant_power",
                      forward=lambda ops, x, constant: ops.power(constant, x),
                      local_grads=lambda ops, out, x, constant: (out * ops.log_or_nan(constant),),
                      formulas=("d(c**x)/dx = c**x·ln c",),
                      describe=lambda constant: f"{_fmt(constant)} **")

# --- elementwise functions ---------------------------------------------------------
ABS = define(op="abs", name="abs", forward=lambda ops, x: abs(x),
             local_grads=lambda ops, out, x: (ops.sign(x),), formulas=("d|x|/dx = sign(x)",))
EXP = define(op="exp", name="exp", forward=lambda ops, x: ops.exp(x),
             local_grads=lambda ops, out, x: (out,), formulas=("d exp(x)/dx = exp(x)",))
LOG = define(op="log", name="log", forward=lambda ops, x: ops.log(x),
             local_grads=lambda ops, out, x: (1.0 / x,), formulas=("d ln(x)/dx = 1/x",))
SQRT = define(op="sqrt", name="sqrt", forward=lambda ops, x: ops.sqrt(x),
              local_grads=lambda ops, out, x: (0.5 / out,),
              formulas=("d sqrt(x)/dx = 1/(2·sqrt(x))",))
TANH = define(op="tanh", name="tanh", forward=lambda ops, x: ops.tanh(x),
              local_grads=lambda ops, out, x: (1.0 - out * out,),
              formulas=("d tanh(x)/dx = 1 - tanh(x)²",))
SIGMOID = define(op="sigmoid", name="sigmoid", forward=lambda ops, x: ops.sigmoid(x),
                 local_grads=lambda ops, out, x: (out * (1.0 - out),),
                 formulas=("d σ(x)/dx = σ(x)·(1 - σ(x))",))
RELU = define(op="relu", name="relu", forward=lambda ops, x: ops.relu(x),
              local_grads=lambda ops, out, x: (ops.step(x),),
              formulas=("d relu(x)/dx = 1 if x > 0 else 0",))
LEAKY_RELU = define(op="leaky_relu", name="leaky_relu",
                    forward=lambda ops, x, slope: ops.leaky_relu(x, slope),
                    local_grads=lambda ops, out, x, slope: (ops.step(x) * (1.0 - slope) + slope,),
                    formulas=lambda i, n: "d leaky_relu(x)/dx = 1 if x > 0 else slope",
                    describe=lambda slope: f"leaky_relu({_fmt(slope)})")
# Heaviside step: flat on both sides of 0, so its derivative is 0 wherever it exists.
STEP = define(op="step", name="step", forward=lambda ops, x: ops.step(x),
              local_grads=lambda ops, out, x: (0.0 * x,),
              formulas=("d step(x)/dx = 0 (undefined at 0)",))
SIGN = define(op="sign", name="sign", forward=lambda ops, x: ops.sign(x),
              local_grads=lambda ops, out, x: (0.0 * x,),
              formulas=("d sign(x)/dx = 0 (undefined at 0)",))
SIN = define(op="sin", name="sin", forward=lambda ops, x: ops.sin(x),
             local_grads=lambda ops, out, x: (ops.cos(x),), formulas=("d sin(x)/dx = cos(x)",))
COS = define(op="cos", name="cos", forward=lambda ops, x: ops.cos(x),
             local_grads=lambda ops, out, x: (-ops.sin(x),), formulas=("d cos(x)/dx = -sin(x)",))

# --- n-ary operations: one node instead of a chain of 2n binary ones -----------------
SUM = define(op="sum", name="sum", forward=lambda ops, *xs: sum(xs),
             local_grads=lambda ops, out, *xs: (1.0,) * len(xs),
             formulas=lambda i, n: f"d(x0 + ... + x{n - 1})/dx{i} = 1")


# Inputs are laid out (w0..w(n-1), x0..x(n-1)) and, when bias=True, b last.
def _dot_forward(ops, *parts, bias):
    n = len(parts) // 2
    total = sum(map(operator.mul, parts[:n], parts[n:2 * n]))  # map: no Python-level loop
    return total + parts[-1] if bias else total


def _dot_local_grads(ops, out, *parts, bias):
    n = len(parts) // 2
    # d/dw_i = x_i, d/dx_i = w_i, d/db = 1
    return parts[n:2 * n] + parts[:n] + ((1.0,) if bias else ())


DOT = define(op="dot", name="dot", forward=_dot_forward, local_grads=_dot_local_grads,
             formulas=_dot_formula, describe=lambda bias: "Σ w·x + b" if bias else "Σ w·x")
