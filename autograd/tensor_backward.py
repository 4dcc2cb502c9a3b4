"""A Tensor node's step of the backward walk, on numpy arrays: each parent's gradient.

For a rule with a VJP, the VJP gives each input's gradient; for an elementwise rule it
is upstream × local derivative, entry by entry. Then broadcasting is undone (summed
over the axes it stretched), and each gradient takes its parent's dtype.

    >>> import numpy as np
    >>> from autograd import Tensor
    >>> x = Tensor([[1.0, 2.0]], requires_grad=True); b = Tensor([10.0], requires_grad=True)
    >>> [g.shape for g in array_contributions(x + b, np.ones((1, 2)))]  # b was broadcast
    [(1, 2), (1,)]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import array_math, rules
from .node import Attrs

# Rules whose gradient may divide by zero or take a log of 0: numpy must not warn there
# (1/x at x = 0 is inf, as in PyTorch; the forward pass already warned once).
_DIVIDES = {"/", "log", "sqrt", "**", "pow"}


def array_contributions(node: Any, upstream: Any) -> list:
    """Each parent's share of d root / d parent (None for a parent that wants none)."""
    if type(upstream) is not np.ndarray:  # a float seed, or a numpy scalar from a sum
        upstream = np.asarray(upstream, dtype=node.data.dtype)
    rule = rules.RULES[node.op]
    parents = node.parents
    xs = [p.data for p in parents]
    needs = [p._requires_grad for p in parents]
    if rule.op in _DIVIDES:
        with np.errstate(divide="ignore", invalid="ignore"):
            grads = _gradients(rule, upstream, node.data, xs, needs, node.attrs)
    else:
        grads = _gradients(rule, upstream, node.data, xs, needs, node.attrs)
    for i, g in enumerate(grads):
        if g is None:
            continue
        data = parents[i].data
        if g.shape != data.shape:  # undo broadcasting: sum over the stretched axes
            g = grads[i] = array_math.sum_to(g, data.shape)
        if g.dtype != data.dtype:  # e.g. a float32 weight in a float64 expression
            grads[i] = g.astype(data.dtype)
        elif g is upstream and not parents[i].parents:
            # A leaf is handed the upstream array itself (d(a+b)/da = 1), which other
            # nodes hold too; a leaf's .grad must be its own (optimisers change it).
            grads[i] = g.copy()
    return grads


def _gradients(rule: rules.Rule, upstream: np.ndarray, out: np.ndarray, xs: list,
               needs: list, attrs: Attrs) -> list:
    """Each input's gradient on arrays, before summing back over broadcast axes."""
    if rule.vjp is not None:
        return list(rule.vjp(array_math, upstream, out, *xs, needs=needs, **attrs))
    local_grads = rule.fixed_local_grads or rule.local_grads(array_math, out, *xs, **attrs)
    # upstream × local: the chain rule; a local derivative of 1 passes the array on as is
    return [None if not need else upstream if type(local) is float and local == 1.0
            else upstream * local
            for local, need in zip(local_grads, needs, strict=True)]
