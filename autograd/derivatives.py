"""Gradients as return values: ``grad`` (any order) and ``hessian``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from . import graph
from .value import Value


def grad(output: Any, inputs: Sequence[Any], create_graph: bool = False) -> tuple:
    """d output / d input for each input, leaving every ``.grad`` untouched.

    With ``create_graph=True`` the gradients are Values (or Tensors) built from the
    rules again, so they can be differentiated once more.

    >>> from autograd import Value, grad
    >>> x = Value(3.0)
    >>> (dy,) = grad(x ** 3, [x], create_graph=True)   # 3x² = 27
    >>> (d2y,) = grad(dy, [x])                           # 6x = 18
    >>> dy.data, d2y
    (27.0, 18.0)
    """
    if not hasattr(output, "parents"):
        raise TypeError(f"grad() needs a Value or Tensor output, got {output!r}")
    inputs = list(inputs)
    for item in inputs:
        if not hasattr(item, "parents"):
            raise TypeError(f"grad() inputs must be Values or Tensors, got {item!r}")
    seed = output._seed(create_graph)
    totals = graph.propagate(output, seed, create_graph=create_graph)
    return tuple(_gradient_of(x, totals, create_graph) for x in inputs)


def _gradient_of(node: Any, totals: dict, create_graph: bool) -> Any:
    if node in totals:
        gradient = totals[node]
        # The walk may hand back a broadcast view or an array another result shares;
        # the caller owns what grad() returns, so give them a writable array of their own.
        if getattr(gradient, "base", None) is not None:
            gradient = gradient.copy()
        return gradient
    return node._zero_gradient(create_graph)  # the output does not depend on it


def hessian(f: Callable[..., Value], values: Sequence[float]) -> list[list[float]]:
    """Matrix of second derivatives d²f / dx_i dx_j of a scalar function of a few numbers.

    >>> from autograd import hessian
    >>> hessian(lambda x, y: x * x * y, [1.0, 2.0])   # [[2y, 2x], [2x, 0]]
    [[4.0, 2.0], [2.0, 0.0]]
    """
    xs = [Value(v.data if isinstance(v, Value) else v) for v in values]
    out = f(*xs)
    if not isinstance(out, Value):
        raise TypeError(f"hessian: f must return a Value, got {out!r}")
    first = grad(out, xs, create_graph=True)
    rows = []
    for g in first:
        if isinstance(g, Value) and g.parents:
            rows.append([float(v) for v in grad(g, xs)])
        else:  # a constant first derivative: its derivatives are all zero
            rows.append([0.0] * len(xs))
    return rows
