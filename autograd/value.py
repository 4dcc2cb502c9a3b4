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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import SimpleNamespace
from typing import Any

from . import graph, rules, scalar_math
from .node import Node, notes_for
from .state import STATE, current_recording

Number = numbers.Real


class Value(Node):
    """A number in the graph: ``.data``, ``.grad``, ``.label``, ``.op``, ``.parents``.

    ``.local_grads`` holds d self / d parent for each parent (floats), ``.attrs`` the
    operation's settings (``{"exponent": 2}`` for ``x ** 2``), ``.scope`` the names of
    the scopes it was created in and ``.role`` what ``nn`` or the user says it is
    (``"parameter"``, ``"input"``; ``"constant"`` for a number made a leaf, as the plain
    numbers given to ``dot`` or ``sum_values`` are). A number in a binary operation is
    not a node at all: ``x + 1`` is one node, op ``"x+c"``, with ``attrs == {"constant": 1.0}``.
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
        self._parents: tuple[Value, ...] | Value = ()  # see autograd.node
        self.local_grads: tuple = ()
        self.attrs: Mapping | None = None
        self._notes = notes_for(label, role, STATE.notes)
        self._waiting = 0  # scratch fields of graph walks (see autograd.graph)
        self._pending = None

    def _vjp(self, upstream: Any, create_graph: bool) -> list:
        """Contribution to each parent's gradient: upstream x local (the chain rule)."""
        if not create_graph:  # (the backward walk does this product itself, inline)
            return [local * upstream for local in self.local_grads]
        # Re-apply the rule to Values, so the derivative is itself a differentiable graph.
        rule = rules.RULES[self.op]
        local = rule.local_derivatives(VALUE_OPS, self, *self.parents, **(self.attrs or {}))
        return [lg * upstream for lg in local]

    def _accumulate(self, gradient: float) -> None:
        self.grad += gradient

    def _seed(self, create_graph: bool) -> Any:
        """d self / d self, where a backward walk starts: 1, as a Value to differentiate."""
        return Value(1.0, role="constant") if create_graph else 1.0

    def _zero_gradient(self, create_graph: bool) -> Any:
        """The gradient of an input the output does not depend on."""
        return Value(0.0, role="constant") if create_graph else 0.0

    # --- arithmetic (micrograd's template: look at the other operand, compute, record) -
    # With another Value both sides are parents; with a number, the number is folded
    # into the operation (x + 1 is one node), as PyTorch keeps scalars out of its graph.
    def __add__(self, other: Any) -> Value:
        if isinstance(other, Value):
            return _record2(rules.ADD, self, other)
        return _record_constant(rules.ADD_CONSTANT, self, other, "+")

    def __radd__(self, other: Any) -> Value:  # other + self == self + other, exactly
        return _record_constant(rules.ADD_CONSTANT, self, other, "+")

    def __sub__(self, other: Any) -> Value:
        if isinstance(other, Value):
            return _record2(rules.SUB, self, other)
        return _record_constant(rules.SUB_CONSTANT, self, other, "-")

    def __rsub__(self, other: Any) -> Value:  # other - self
        return _record_constant(rules.CONSTANT_SUB, self, other, "-")

    def __mul__(self, other: Any) -> Value:
        if isinstance(other, Value):
            return _record2(rules.MUL, self, other)
        return _record_constant(rules.MUL_CONSTANT, self, other, "*")

    def __rmul__(self, other: Any) -> Value:  # other * self == self * other, exactly
        return _record_constant(rules.MUL_CONSTANT, self, other, "*")

    def __truediv__(self, other: Any) -> Value:
        if isinstance(other, Value):
            return _record2(rules.DIV, self, other)
        return _record_constant(rules.DIV_CONSTANT, self, other, "/")

    def __rtruediv__(self, other: Any) -> Value:  # other / self
        return _record_constant(rules.CONSTANT_DIV, self, other, "/")

    def __pow__(self, exponent: Any) -> Value:
        if isinstance(exponent, Value):
            return _record2(rules.POWV, self, exponent)
        if isinstance(exponent, bool) or not isinstance(exponent, Number):
            raise TypeError(f"Value ** {exponent!r}: the exponent must be a number or a "
                            f"Value, not {type(exponent).__name__}")
        return _record(rules.POW, (self,), {"exponent": float(exponent)})

    def __rpow__(self, base: Any) -> Value:  # base ** self
        return _record_constant(rules.CONSTANT_POW, self, base, "**")

    def __neg__(self) -> Value:
        return _record1(rules.NEG, self)

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return _record1(rules.ABS, self)

    # --- functions ------------------------------------------------------------------------
    def exp(self) -> Value:
        """e**x; raises OverflowError above x = 709.78 (the largest float is 1.8e308)."""
        return _record1(rules.EXP, self)

    def log(self) -> Value:
        """Natural logarithm; raises ValueError for x <= 0 (where PyTorch gives nan/-inf)."""
        return _record1(rules.LOG, self)

    def sqrt(self) -> Value:
        """Square root; ValueError for x < 0. At x = 0 the gradient is inf, as in PyTorch."""
        return _record1(rules.SQRT, self)

    def tanh(self) -> Value:
        """tanh(x), d/dx = 1 - tanh(x)²; saturates to ±1 without overflow."""
        return _record1(rules.TANH, self)

    def sigmoid(self) -> Value:
        """σ(x) = 1 / (1 + e**-x), d/dx = σ(x)(1 - σ(x)); 0 and 1 at ∓1000, no overflow."""
        return _record1(rules.SIGMOID, self)

    def relu(self) -> Value:
        """max(x, 0); d/dx = 1 for x > 0, else 0 (0 at x = 0, as PyTorch)."""
        return _record1(rules.RELU, self)

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """x for x > 0, else slope·x; d/dx = 1 or slope."""
        if isinstance(slope, bool) or not isinstance(slope, Number):
            raise TypeError(f"leaky_relu slope must be a number, got {slope!r}")
        return _record(rules.LEAKY_RELU, (self,), {"slope": float(slope)})

    def step(self) -> Value:
        """Heaviside step: 1 for x > 0, else 0.

        Its derivative is 0 everywhere it exists (and undefined at 0), so no gradient
        ever flows through it: a perceptron with a step activation cannot be trained by
        gradient descent. It learns by the perceptron rule instead, and networks use
        sigmoid, tanh or ReLU, whose slopes carry the error back.
        """
        return _record1(rules.STEP, self)

    def sign(self) -> Value:
        """-1, 0 or 1; derivative 0."""
        return _record1(rules.SIGN, self)

    def sin(self) -> Value:
        """sin(x), d/dx = cos(x)."""
        return _record1(rules.SIN, self)

    def cos(self) -> Value:
        """cos(x), d/dx = -sin(x)."""
        return _record1(rules.COS, self)

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
        graph.backward(self, float(grad))

    def zero_grad(self) -> None:
        """Set ``.grad`` to 0 on this node and every node it depends on."""
        for node in graph.topological_order(self):
            node.grad = 0.0

    def detach(self) -> Value:
        """A new leaf with the same number, cut off from the graph."""
        return Value(self.data, label=self.label)

    # --- conveniences ---------------------------------------------------------------------
    def __float__(self) -> float:
        return self.data

    def __lt__(self, other: Any) -> bool:
        return self.data < _number(other)

    def __le__(self, other: Any) -> bool:
        return self.data <= _number(other)

    def __gt__(self, other: Any) -> bool:
        return self.data > _number(other)

    def __ge__(self, other: Any) -> bool:
        return self.data >= _number(other)

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


def _number(other: Any) -> float:
    return other.data if isinstance(other, Value) else other


# --- recording an operation --------------------------------------------------------------
def _record(rule: rules.Rule, parents: tuple[Value, ...], attrs: dict | None = None) -> Value:
    """Apply ``rule`` to ``parents`` and return the new node (any number of inputs)."""
    xs = [p.data for p in parents]
    try:
        out = rule.forward(scalar_math, *xs, **(attrs or {}))
        local = rule.local_derivatives(scalar_math, out, *xs, **(attrs or {}))
    except (ArithmeticError, ValueError) as error:
        raise _with_operands(error, rule, xs, attrs or {}) from None
    # one parent is stored bare (x ** 2, leaky_relu, a sum of one), as in _record1
    return _node(out, rule.name, parents[0] if len(parents) == 1 else parents, local, attrs)


# The two most common shapes, without building a list of inputs (a list
# comprehension costs more than the arithmetic it wraps).
def _record1(rule: rules.Rule, x: Value) -> Value:
    try:
        out = rule.forward(scalar_math, x.data)
        local = rule.local  # the numbers themselves, or the formula to evaluate
        if type(local) is not tuple:
            local = local(scalar_math, out, x.data)
    except (ArithmeticError, ValueError) as error:
        raise _with_operands(error, rule, [x.data], {}) from None
    return _node(out, rule.name, x, local, None)


def _record2(rule: rules.Rule, a: Value, b: Value) -> Value:
    try:
        out = rule.forward(scalar_math, a.data, b.data)
        local = rule.local
        if type(local) is not tuple:
            local = local(scalar_math, out, a.data, b.data)
    except (ArithmeticError, ValueError) as error:
        raise _with_operands(error, rule, [a.data, b.data], {}) from None
    return _node(out, rule.name, (a, b), local, None)


def _record_constant(rule: rules.Rule, x: Value, constant: Any, symbol: str) -> Value:
    """``x`` combined with a plain number: one node, the number kept in ``attrs``."""
    # ints and floats first: the abstract-class check in _constant_number is slow
    if type(constant) is not float:
        constant = float(constant) if type(constant) is int else _constant_number(
            constant, symbol)
    try:
        out = rule.forward(scalar_math, x.data, constant)
        local = rule.local
        if type(local) is not tuple:
            local = local(scalar_math, out, x.data, constant)
    except (ArithmeticError, ValueError) as error:
        raise _with_operands(error, rule, [x.data], {"constant": constant}) from None
    attrs = _SHARED_ATTRS.get(constant)
    if attrs is None:  # (not `or`: asking a Python-level Mapping if it is empty is a call)
        attrs = _constant_attrs(constant)
    return _node(out, rule.name, x, local, attrs)


_new = object.__new__


def _node(out: float, op: str, parents: tuple | Value, local: tuple, attrs: Mapping | None,
          ) -> Value:
    """A recorded node; skips ``__init__``'s checks since every field is known good.

    ``parents`` is a tuple, or the one parent itself (see ``autograd.node``).
    """
    node = _new(Value)
    node.data = out
    node.grad = 0.0
    state = current_recording()  # this thread's (or task's) gradient mode and scope
    node._notes = state.notes
    node._waiting = 0
    node._pending = None
    if state.grad_enabled:
        node.op = op
        node._parents = parents
        node.local_grads = local
        node.attrs = attrs
    else:  # a leaf: nothing to backpropagate through
        node.op = ""
        node._parents = ()
        node.local_grads = ()
        node.attrs = None
    return node


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


class _SharedAttrs(Mapping):
    """``{"constant": c}`` for every node of one folded number: readable, not writable.

    (A read-only ``Mapping`` of our own rather than ``types.MappingProxyType``, which
    cannot be pickled or deep-copied, and a graph should be.)
    """

    __slots__ = ("_items",)

    def __init__(self, constant: float) -> None:
        self._items = {"constant": constant}

    def __getitem__(self, key: str) -> float:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return repr(self._items)


_SHARED_ATTRS: dict[float, Mapping] = {}


def _constant_attrs(constant: float) -> Mapping:
    """``{"constant": c}``, read-only, and shared by the nodes of one number.

    ``x + 1`` a million times makes one mapping, not a million: a dict per node was half
    the memory of a long chain. Zero (so that -0.0 keeps its sign) and nan (never equal
    to itself) get one of their own each time; the cache holds the numbers in use
    lately, starting afresh when it reaches 1024.
    """
    attrs = _SharedAttrs(constant)
    if constant and constant == constant:
        if len(_SHARED_ATTRS) >= 1024:
            _SHARED_ATTRS.clear()
        _SHARED_ATTRS[constant] = attrs
    return attrs


def _constant_number(other: Any, symbol: str) -> float:
    """A number operand as a float, or a TypeError that says what to use instead."""
    if isinstance(other, bool) or not isinstance(other, Number):
        raise TypeError(f"cannot use {other!r} ({type(other).__name__}) with {symbol} on a "
                        f"Value: use a number or a Value (for arrays, Tensor)")
    return float(other)


def _as_value(other: Any, symbol: str) -> Value:
    """A Value as it is; a number as a leaf with role ``"constant"`` (for n-ary nodes)."""
    if type(other) is Value:
        return other
    if isinstance(other, Value):
        return other
    return Value(_constant_number(other, symbol), role="constant")


_INFIX = {"+", "-", "*", "/", "**", "pow"}
# How an operation with a number folded in reads in an error message.
_WITH_CONSTANT = {"x+c": "{x} + {c}", "x-c": "{x} - {c}", "c-x": "{c} - {x}",
                  "x*c": "{x} * {c}", "x/c": "{x} / {c}", "c/x": "{c} / {x}",
                  "c**x": "{c} ** {x}"}


def _with_operands(error: Exception, rule: rules.Rule, xs: list, attrs: dict) -> Exception:
    """The same kind of error, with the operation and its operands in the message."""
    shown = [repr(x) for x in xs] + [repr(v) for v in attrs.values()]
    if rule.name in _WITH_CONSTANT:
        expression = _WITH_CONSTANT[rule.name].format(x=shown[0], c=shown[1])
    elif rule.name in _INFIX:
        symbol = "**" if rule.name == "pow" else rule.name
        expression = f"{shown[0]} {symbol} {shown[1]}"
    else:
        expression = f"{rule.name}({', '.join(shown)})"
    reason = str(error)
    if isinstance(error, OverflowError):
        reason = "the result is too large for a float (over 1.8e308); scale the input down"
    elif reason == "math domain error":
        reason = "outside the function's domain"
    return type(error)(f"{expression}: {reason}")


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
    return _record(rules.DOT, tuple(parts), {"bias": bias is not None})


def sum_values(values: Iterable[Any]) -> Value:
    """x0 + x1 + ... as one node (d/dx_i = 1), not a chain of binary additions.

    >>> from autograd import Value, sum_values
    >>> sum_values([Value(1.0), 2, Value(3.0)]).data
    6.0
    """
    parts = tuple(_as_value(x, "sum") for x in values)
    if not parts:
        raise ValueError("sum_values needs at least one value; got an empty sequence")
    return _record(rules.SUM, parts)


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
