"""``Value``: a scalar node in the computation graph.

    >>> from autograd import Value
    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    >>> c = a * b + b ** 2
    >>> c.backward()
    >>> a.grad, b.grad        # dc/da = b, dc/db = a + 2b
    (-3.0, -4.0)

Each operation looks up its rule in ``autograd.rules``, computes the output and the
local derivatives as plain floats, and stores them on the new node as a tuple. There
are no per-node closures, so a graph holds no reference cycles and is freed by
reference counting the moment it goes out of scope.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from . import fast_backward, graph, rules, scalar_math
from .node import NO_ATTRS, Attrs, Node, notes_for
from .state import STATE

Number = numbers.Real


class Value(Node):
    """A number in the graph: ``.data``, ``.grad``, ``.label``, ``.op``, ``.parents``.

    ``.local_grads`` holds d self / d parent for each parent (floats), ``.attrs`` the
    operation's settings (``{"exponent": 2.0}`` for ``x ** 2``), ``.scope`` the names of
    the scopes it was created in and ``.role`` what ``nn`` or the user says it is
    (``"parameter"``, ``"input"``; ``"constant"`` for a number made a leaf, as the plain
    numbers given to ``dot`` or ``sum_values`` are). A number in a binary operation is
    a constant folded into it, not a node: ``x + 1`` is one node, op ``"x+c"``, with
    ``attrs == {"constant": 1.0}``.
    """

    __slots__ = ("data", "grad", "op", "_parents", "local_grads", "attrs", "_notes",
                 "_waiting", "_pending", "__weakref__")
    __array_ufunc__ = None  # numpy scalars defer to our reflected operators

    def __init__(self, data: float, label: str = "", role: str = "") -> None:
        if type(data) is not float:  # the isinstance check below is slow; skip it for floats
            data = _real_number(data)
        self.data = data
        self.grad = 0.0
        self.op = ""
        self._parents: tuple[Value, ...] = ()
        self.local_grads: tuple = ()
        self.attrs = NO_ATTRS
        self._notes = notes_for(label, role, STATE.notes)
        self._waiting = 0  # scratch fields of the fast backward walk (autograd.fast_backward)
        self._pending = None

    def _apply(self, rule: rules.Rule, attrs: Attrs = NO_ATTRS) -> Value:
        return record(rule, (self,), attrs)

    def _contributions(self, upstream: Any, create_graph: bool) -> list:
        """What this node adds to each parent's gradient: upstream × local derivative."""
        if not create_graph:
            return [upstream * local for local in self.local_grads]
        # Re-apply the rule to Values, so the derivative is itself a differentiable graph.
        rule = rules.RULES[self.op]
        local_grads = rule.local_grads(VALUE_OPS, self, *self.parents, **self.attrs)
        return [upstream * local for local in local_grads]

    def _accumulate(self, gradient: float) -> None:
        self.grad += gradient

    def _seed(self, create_graph: bool) -> Any:
        """d self / d self, where a backward walk starts: 1, as a Value to differentiate."""
        return Value(1.0, role="constant") if create_graph else 1.0

    def _zero_gradient(self, create_graph: bool) -> Any:
        """The gradient of an input the output does not depend on."""
        return Value(0.0, role="constant") if create_graph else 0.0

    # --- arithmetic (micrograd's template: look at the other operand, compute, record) -
    # With another Value both sides are parents; a plain number is a constant folded
    # into the operation (x + 1 is one node), as PyTorch keeps scalars out of its graph.
    def __add__(self, other: Any) -> Value:
        if isinstance(other, Value):
            return record(rules.ADD, (self, other))
        return record_with_constant(rules.ADD_CONSTANT, self, _constant(other, "+"))

    def __radd__(self, other: Any) -> Value:  # other + self == self + other, exactly
        return record_with_constant(rules.ADD_CONSTANT, self, _constant(other, "+"))

    def __sub__(self, other: Any) -> Value:
        if isinstance(other, Value):
            return record(rules.SUB, (self, other))
        return record_with_constant(rules.SUB_CONSTANT, self, _constant(other, "-"))

    def __rsub__(self, other: Any) -> Value:  # other - self
        return record_with_constant(rules.CONSTANT_SUB, self, _constant(other, "-"))

    def __mul__(self, other: Any) -> Value:
        if isinstance(other, Value):
            return record(rules.MUL, (self, other))
        return record_with_constant(rules.MUL_CONSTANT, self, _constant(other, "*"))

    def __rmul__(self, other: Any) -> Value:  # other * self == self * other, exactly
        return record_with_constant(rules.MUL_CONSTANT, self, _constant(other, "*"))

    def __truediv__(self, other: Any) -> Value:
        if isinstance(other, Value):
            return record(rules.DIV, (self, other))
        return record_with_constant(rules.DIV_CONSTANT, self, _constant(other, "/"))

    def __rtruediv__(self, other: Any) -> Value:  # other / self
        return record_with_constant(rules.CONSTANT_DIV, self, _constant(other, "/"))

    def __pow__(self, exponent: Any) -> Value:
        if isinstance(exponent, Value):
            return record(rules.POWV, (self, exponent))
        if isinstance(exponent, bool) or not isinstance(exponent, Number):
            raise TypeError(f"Value ** {exponent!r}: the exponent must be a number or a "
                            f"Value, not {type(exponent).__name__}")
        return record(rules.POW, (self,), Attrs(exponent=float(exponent)))

    def __rpow__(self, base: Any) -> Value:  # base ** self
        return record_with_constant(rules.CONSTANT_POW, self, _constant(base, "**"))

    # (neg, abs, exp, log, tanh, relu, ...: written once for Value and Tensor, in Node)

    # --- the backward pass ----------------------------------------------------------------
    def backward(self, grad: float = 1.0) -> None:
        """Fill ``.grad`` of every node with d self / d node (the chain rule).

        Gradients accumulate, as in PyTorch: a second call adds the same amounts again
        (every gradient doubles). Call ``zero_grad()`` (or ``model.zero_grad()``) first
        to start from zero.
        """
        if isinstance(grad, bool) or not isinstance(grad, Number):
            raise TypeError(f"backward(grad={grad!r}): the seed gradient must be a number "
                            f"(d self / d self, normally 1.0)")
        fast_backward.backward(self, float(grad))  # graph.propagate's optimised twin

    def zero_grad(self) -> None:
        """Set ``.grad`` to 0 on this node and every node it depends on."""
        for node in graph.topological_order(self):
            node.grad = 0.0
        self._mark_backward(False)

    def detach(self) -> Value:
        """A new leaf with the same number, cut off from the graph."""
        return Value(self.data, label=self.label)

    # --- conveniences ---------------------------------------------------------------------
    def __float__(self) -> float:
        return self.data

    def __repr__(self) -> str:
        text = f"Value(data={_short(self.data)}, grad={_short(self.grad)}"
        if self.label:
            text += f", label={self.label!r}"
        if self.op:
            text += f", op={self.op!r}"
        return text + ")"


def _short(number: float) -> str:
    rounded = round(number, 4)
    return repr(rounded if rounded != 0 or number == 0 else number)


# --- recording an operation --------------------------------------------------------------
def record(rule: rules.Rule, parents: tuple[Value, ...], attrs: Attrs = NO_ATTRS) -> Value:
    """Apply ``rule`` to the parents' numbers: the new node, with its local derivatives.

    Every Value operation is recorded here (a number folded in, as in ``x + 1``, through
    its thin twin ``record_with_constant``). Under ``no_grad()`` the node is a leaf.

    >>> a, b = Value(2.0), Value(3.0)
    >>> record(rules.MUL, (a, b)).local_grads      # d(a*b)/da = b, d(a*b)/db = a
    (3.0, 2.0)
    """
    xs = [parent.data for parent in parents]
    try:
        out = rule.forward(scalar_math, *xs, **attrs)
        local_grads = rule.fixed_local_grads or rule.local_grads(scalar_math, out, *xs, **attrs)
    except (ArithmeticError, ValueError) as error:
        raise _with_operands(error, rule, xs, attrs) from None
    return _node(rule, out, parents[0] if len(parents) == 1 else parents, local_grads, attrs)


def record_with_constant(rule: rules.Rule, x: Value, attrs: Attrs) -> Value:
    """``record(rule, (x,), attrs)`` for ``x + 1`` and its kind, ``attrs["constant"]`` the 1.

    The same node, the rule called without star-arguments: they cost more than the
    arithmetic, a quarter more per ``x + 1`` (benchmarks/NOTES.md).
    """
    data, constant = x.data, attrs["constant"]
    try:
        out = rule.forward(scalar_math, data, constant)
        local_grads = rule.fixed_local_grads or rule.local_grads(scalar_math, out, data,
                                                                 constant)
    except (ArithmeticError, ValueError) as error:
        raise _with_operands(error, rule, [data], attrs) from None
    return _node(rule, out, x, local_grads, attrs)


def _node(rule: rules.Rule, out: float, parents: tuple | Value, local_grads: tuple,
          attrs: Attrs) -> Value:
    # Not Value(out): __init__ checks a label and a role this node does not have, and
    # that would add 28% to x + 1 (benchmarks/NOTES.md). test_node.py pins these fields.
    node = _new(Value)
    node.data = out
    node.grad = 0.0
    node._notes = STATE.notes
    node._waiting = 0
    node._pending = None
    if STATE.grad_enabled:
        node.op = rule.op
        node._parents = parents  # one parent is kept bare (see autograd.node)
        node.local_grads = local_grads
        node.attrs = attrs
    else:  # a leaf: nothing to backpropagate through
        node.op = ""
        node._parents = ()
        node.local_grads = ()
        node.attrs = NO_ATTRS
    return node


_new = object.__new__


def _real_number(data: Any) -> float:
    """``data`` as a float, or a TypeError that says what was given and what to do."""
    if isinstance(data, Value):
        raise TypeError(f"Value({data!r}): already a Value; use it directly, or "
                        f".detach() for a copy outside the graph")
    if isinstance(data, bool) or not isinstance(data, Number):
        raise TypeError(f"Value needs a single real number, got {data!r} of type "
                        f"{type(data).__name__}; convert it first (e.g. float(x)), "
                        f"or use Tensor for arrays")
    return float(data)


_SHARED_ATTRS: dict[float, Attrs] = {}


def _constant(number: Any, symbol: str) -> Attrs:
    """``{"constant": c}``: a plain number folded into an operation, as its attrs.

    Shared by every node of one number: ``x + 1`` a million times makes one mapping,
    not a million. Zero (so that -0.0 keeps its sign) and nan (never equal to itself)
    get one of their own each time; the cache keeps the last 1024 numbers in use.
    """
    if type(number) is float or type(number) is int:  # (not bool: True + x is refused)
        attrs = _SHARED_ATTRS.get(number)  # 1 finds 1.0's: equal numbers, equal hashes
        if attrs is not None:
            return attrs
    number = _constant_number(number, symbol)
    attrs = _SHARED_ATTRS.get(number)
    if attrs is None:
        attrs = Attrs(constant=number)
        if number and number == number:
            if len(_SHARED_ATTRS) >= 1024:
                _SHARED_ATTRS.clear()
            _SHARED_ATTRS[number] = attrs
    return attrs


def _constant_number(other: Any, symbol: str) -> float:
    """A number operand as a float, or a TypeError that says what to use instead."""
    if type(other) is float or type(other) is int:
        return float(other)
    if isinstance(other, bool) or not isinstance(other, Number):
        raise TypeError(f"cannot use {other!r} ({type(other).__name__}) with {symbol} on a "
                        f"Value: use a number or a Value (for arrays, Tensor)")
    return float(other)


def _as_value(other: Any, symbol: str) -> Value:
    """A Value as it is; a number as a leaf with role ``"constant"`` (for n-ary nodes)."""
    if isinstance(other, Value):
        return other
    return Value(_constant_number(other, symbol), role="constant")


_INFIX = {"+", "-", "*", "/", "**", "pow"}
# How an operation with a number folded in reads in an error message.
_WITH_CONSTANT = {"x+c": "{x} + {c}", "x-c": "{x} - {c}", "c-x": "{c} - {x}",
                  "x*c": "{x} * {c}", "x/c": "{x} / {c}", "c/x": "{c} / {x}",
                  "c**x": "{c} ** {x}"}


def _with_operands(error: Exception, rule: rules.Rule, xs: list, attrs: Attrs,
                    ) -> Exception:
    """The same kind of error, with the operation and its operands in the message."""
    shown = [repr(x) for x in xs] + [repr(v) for v in attrs.values()]
    if rule.op in _WITH_CONSTANT:
        expression = _WITH_CONSTANT[rule.op].format(x=shown[0], c=shown[1])
    elif rule.op in _INFIX:
        symbol = "**" if rule.op == "pow" else rule.op
        expression = f"{shown[0]} {symbol} {shown[1]}"
    else:
        expression = f"{rule.op}({', '.join(shown)})"
    reason = str(error)
    if isinstance(error, OverflowError):
        reason = "the result is too large for a float (over 1.8e308); scale the input down"
    elif reason == "math domain error":
        reason = "outside the function's domain"
    return type(error)(f"{expression}: {reason}")


_WITH_BIAS, _WITHOUT_BIAS = Attrs(bias=True), Attrs(bias=False)


# --- n-ary operations --------------------------------------------------------------------
def dot(weights: Sequence[Any], inputs: Sequence[Any], bias: Any = None) -> Value:
    """Σ w_i·x_i (+ b) as one node, with d/dw_i = x_i, d/dx_i = w_i, d/db = 1.

    One node instead of 2n binary ones: this is what makes a neuron cheap.

    >>> from autograd import Value, dot
    >>> dot([Value(2.0), Value(3.0)], [1.0, -1.0], bias=0.5).data
    -0.5
    """
    weights, inputs = list(weights), list(inputs)
    if len(weights) != len(inputs):
        raise ValueError(f"dot needs as many weights as inputs, got {len(weights)} weights "
                         f"and {len(inputs)} inputs")
    # type() test inline: a neuron calls this with Values only, and a call per item adds up
    parts = [x if type(x) is Value else _as_value(x, "dot") for x in weights + inputs]
    if bias is not None:
        parts.append(_as_value(bias, "dot"))
    return record(rules.DOT, tuple(parts), _WITH_BIAS if bias is not None else _WITHOUT_BIAS)


def sum_values(values: Iterable[Any]) -> Value:
    """x0 + x1 + ... as one node (d/dx_i = 1), not a chain of binary additions.

    >>> from autograd import Value, sum_values
    >>> sum_values([Value(1.0), 2, Value(3.0)]).data
    6.0
    """
    parts = tuple(_as_value(x, "sum") for x in values)
    if not parts:
        raise ValueError("sum_values needs at least one value; got an empty sequence")
    return record(rules.SUM, parts)


def _log_or_nan(x: Any) -> Any:
    if not isinstance(x, Value):  # a number folded into the operation (c ** x)
        return scalar_math.log_or_nan(x)
    return x.log() if x.data > 0 else Value(math.nan, role="constant")


# The ``ops`` namespace for rules applied to Values (derivatives as graphs).
VALUE_OPS = SimpleNamespace(
    exp=Value.exp, log=Value.log, sqrt=Value.sqrt, tanh=Value.tanh, sigmoid=Value.sigmoid,
    sin=Value.sin, cos=Value.cos, step=Value.step, sign=Value.sign, relu=Value.relu,
    leaky_relu=Value.leaky_relu, power=lambda a, b: a ** b, divide=lambda a, b: a / b,
    power_slope=lambda x, n: n * x ** (n - 1) if n != 0 else 0.0,
    log_or_nan=_log_or_nan,
)
