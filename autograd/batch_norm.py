"""Batch normalisation as one rule: ``batch_norm(x, weight, bias, axes)``.

    x̂ = (x − μ) / sqrt(σ² + ε),   y = γ·x̂ + β        (μ, σ² over ``axes``, per feature)

Built from nine elementwise operations and reductions, its backward pass would walk
them all; as one rule its gradient is the classic closed form (m numbers per mean):

    dβ = Σ g      dγ = Σ g·x̂      dx = γ/σ · (g − mean(g) − x̂·mean(g·x̂))

The VJP uses only arithmetic, ``sum``, ``mean`` and ``reshape``, so the same text runs
on arrays and on Tensors: the gradient is differentiable again.

    >>> import numpy as np
    >>> from autograd import Tensor
    >>> x = Tensor(np.array([[1.0, 10.0], [3.0, 30.0]]))
    >>> batch_norm(x, Tensor(np.ones(2)), Tensor(np.zeros(2)), axes=(0,), eps=0.0).data
    array([[-1., -1.],
           [ 1.,  1.]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .node import Attrs
from .rules import define
from .tensor import Tensor, record
from .tensor_checks import require_tensor as _tensor


def _per_feature(x, axes: tuple) -> tuple:
    """The shape that broadcasts one number per feature against x."""
    return tuple(1 if i in axes else n for i, n in enumerate(x.shape))


def _normalised(x, axes: tuple, eps: float) -> tuple:
    """(x̂, 1/σ, μ, σ²) over ``axes``; arrays or Tensors alike."""
    mean = x.mean(axis=axes, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=axes, keepdims=True)
    inv_std = (var + eps) ** -0.5
    return centred * inv_std, inv_std, mean, var


def _forward(ops, x, weight, bias, *, axes, eps, saved=None, stats=None):
    x_hat, inv_std, mean, var = _normalised(x, axes, eps)
    shape = _per_feature(x, axes)
    if saved is not None:  # for the VJP, so it need not normalise again
        saved.update(x_hat=x_hat, inv_std=inv_std)
    if stats is not None:  # the batch's statistics, for the layer's running averages
        stats.update(mean=mean.reshape(-1), var=var.reshape(-1))
    return x_hat * weight.reshape(shape) + bias.reshape(shape)


def _vjp(ops, upstream, out, x, weight, bias, *, needs=(True, True, True), axes=(0,), eps=1e-5,
         saved=None, stats=None):
    x_hat, inv_std = (saved.pop("x_hat", None), saved.pop("inv_std", None)) if saved \
        else (None, None)
    if x_hat is None or isinstance(upstream, Tensor):  # as a graph: recompute from x
        x_hat, inv_std = _normalised(x, axes, eps)[:2]
    shape = _per_feature(x, axes)
    weighted = upstream * x_hat
    grad_x = grad_weight = grad_bias = None
    if needs[0]:
        mean_g = upstream.mean(axis=axes, keepdims=True)
        mean_gx = weighted.mean(axis=axes, keepdims=True)
        grad_x = weight.reshape(shape) * inv_std * (upstream - mean_g - x_hat * mean_gx)
    if needs[1]:
        grad_weight = weighted.sum(axis=axes).reshape(weight.shape)
    if needs[2]:
        grad_bias = upstream.sum(axis=axes).reshape(bias.shape)
    return grad_x, grad_weight, grad_bias


BATCH_NORM = define(
    op="batch_norm", name="batch_norm", forward=_forward, vjp=_vjp,
    formulas=("d bn/dx = γ/σ·(g − mean(g) − x̂·mean(g·x̂))", "d bn/dγ = Σ g·x̂",
              "d bn/dβ = Σ g"),
    describe=lambda axes, eps, **_: f"batch_norm(axes={axes})")


def batch_norm(x: Tensor, weight: Tensor, bias: Tensor, axes: tuple = (0,), eps: float = 1e-5,
               stats: dict | None = None) -> Tensor:
    """γ·(x − μ)/sqrt(σ² + ε) + β with the batch's mean μ and biased variance σ² over
    ``axes``; ``weight`` γ and ``bias`` β hold one number per remaining entry. Pass a dict
    as ``stats`` to get μ and σ² back (flattened) for running averages."""
    x, weight, bias = (_tensor(t, "batch_norm") for t in (x, weight, bias))
    axes = tuple(sorted(a % x.ndim for a in axes))
    features = [n for i, n in enumerate(x.shape) if i not in axes]
    for name, t in (("weight", weight), ("bias", bias)):
        if t.size != int(np.prod(features)):
            raise ValueError(f"batch_norm: {name} has shape {t.shape}, but inputs of shape "
                             f"{x.shape} normalised over axes {axes} have {features} features")
    attrs: dict[str, Any] = {"axes": axes, "eps": float(eps), "saved": {}}
    if stats is not None:
        attrs["stats"] = stats
    return record(BATCH_NORM, (x, weight, bias), Attrs(attrs))
