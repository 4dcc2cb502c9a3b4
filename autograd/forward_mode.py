"""Forward mode with dual numbers, for contrast with backprop's reverse mode.

A dual number carries a value and its tangent dx: every operation pushes the tangent
forward with the same local derivatives the rule table gives backprop,

    d out = Σ_i (d out / d x_i) · d x_i

so one pass from input to output gives d f / d x for one input (reverse mode gives
d f / d every input in one pass backward).

    >>> from autograd import derivative
    >>> round(derivative(lambda x: (x * x).tanh(), 0.5), 6)   # 2x·(1 - tanh²(x²))
    0.940015
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

from . import rules, scalar_math


class Dual:
    """``value + tangent·ε`` with ε² = 0."""

    __slots__ = ("value", "tangent")

    def __init__(self, value: float, tangent: float = 0.0) -> None:
        self.value = float(value)
        self.tangent = float(tangent)

    def __repr__(self) -> str:
        return f"Dual(value={self.value:.6g}, tangent={self.tangent:.6g})"


def _lift(x: Any) -> Dual:
    if isinstance(x, Dual):
        return x
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"forward mode works on numbers, got {x!r} ({type(x).__name__})")
    return Dual(x)


def _apply(rule: rules.Rule, *inputs: Any, **attrs: Any) -> Dual:
    xs = [d.value for d in inputs]
    out = rule.forward(scalar_math, *xs, **attrs)
    local_grads = rule.local_grads(scalar_math, out, *xs, **attrs)
    return Dual(out, sum(local * d.tangent for local, d in zip(local_grads, inputs)))


def _reflected(with_number: rules.Rule) -> Callable[[Dual, Any], Dual]:
    """``number <op> dual`` (or ``dual <op> number``): the number folded in, as in
    ``Value``, so no derivative is taken with respect to it."""
    return lambda self, other: _apply(with_number, self, constant=_lift(other).value)


def _operator(rule: rules.Rule, with_number: rules.Rule) -> Callable[[Dual, Any], Dual]:
    """``dual <op> other``: ``rule`` for two duals, ``with_number`` for a plain number."""
    folded = _reflected(with_number)

    def apply(self: Dual, other: Any) -> Dual:
        return _apply(rule, self, other) if isinstance(other, Dual) else folded(self, other)
    return apply


def _power(self: Dual, exponent: Any) -> Dual:
    if isinstance(exponent, Dual):
        return _apply(rules.POWV, self, exponent)
    return _apply(rules.POW, self, exponent=_lift(exponent).value)


Dual.__add__, Dual.__radd__ = _operator(rules.ADD, rules.ADD_CONSTANT), _reflected(
    rules.ADD_CONSTANT)
Dual.__sub__, Dual.__rsub__ = _operator(rules.SUB, rules.SUB_CONSTANT), _reflected(
    rules.CONSTANT_SUB)
Dual.__mul__, Dual.__rmul__ = _operator(rules.MUL, rules.MUL_CONSTANT), _reflected(
    rules.MUL_CONSTANT)
Dual.__truediv__ = _operator(rules.DIV, rules.DIV_CONSTANT)
Dual.__rtruediv__ = _reflected(rules.CONSTANT_DIV)
Dual.__pow__ = _power
Dual.__rpow__ = _reflected(rules.CONSTANT_POW)
Dual.__neg__ = lambda self: _apply(rules.NEG, self)
Dual.__abs__ = lambda self: _apply(rules.ABS, self)
for _name in ("exp", "log", "sqrt", "tanh", "sigmoid", "relu", "step", "sign", "sin", "cos"):
    setattr(Dual, _name, (lambda rule: lambda self: _apply(rule, self))(rules.RULES[_name]))
Dual.leaky_relu = lambda self, slope=0.01: _apply(rules.LEAKY_RELU, self, slope=float(slope))


def derivative(f: Callable[[Any], Any], x: float) -> float:
    """d f / d x at ``x`` by forward mode: one pass with a dual number.

    ``f`` is written as for ``Value`` (operators and methods such as ``.tanh()``).
    """
    out = f(Dual(float(x), 1.0))
    if not isinstance(out, Dual):
        raise TypeError(f"derivative: f must compute with its argument and return it, "
                        f"got {out!r}")
    return out.tangent
