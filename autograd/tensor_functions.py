"""Functions of several Tensors: ``matmul``, ``concatenate``, ``stack``, ``where``,
``maximum``, ``minimum``, ``cross_entropy``, and ``softmax``/``log_softmax`` as functions.

Each checks its operands (``tensor_checks``) and records one node with the rule from
``tensor_rules``, as the methods of ``Tensor`` do.

    >>> from autograd import Tensor, stack
    >>> stack([Tensor([1.0]), Tensor([2.0])]).shape
    (2, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import tensor_checks as checks
from . import tensor_rules as trules
from .node import Attrs
from .tensor import Tensor, record


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """Matrix product ``a @ b`` (1-D, 2-D and batched, as ``np.matmul``).

    d(A@B)/dA = upstream @ Bᵀ and d(A@B)/dB = Aᵀ @ upstream.

    >>> (Tensor([[1.0, 2.0]]) @ Tensor([[3.0], [4.0]])).data
    array([[11.]])
    """
    return checks.require_tensor(a, "@") @ checks.require_tensor(b, "@")


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Tensors joined along an existing axis; each gets its slice of the gradient.

    >>> concatenate([Tensor([1.0]), Tensor([2.0, 3.0])]).data
    array([1., 2., 3.])
    """
    parts = checks.require_tensors(tensors, "concatenate")
    return record(trules.CONCATENATE, parts, Attrs(axis=checks.one_axis(axis, parts[0].ndim)))


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Tensors of one shape stacked along a new axis.

    >>> stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])], axis=1).shape
    (2, 2)
    """
    parts = checks.require_tensors(tensors, "stack")
    return record(trules.STACK, parts, Attrs(axis=checks.one_axis(axis, parts[0].ndim + 1)))


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """``a`` where ``condition`` holds, else ``b``; each side's gradient is masked.

    >>> x = Tensor([-1.0, 2.0])
    >>> where(x > 0, x, 0.0).data
    array([0., 2.])
    """
    condition = np.asarray(condition.data if isinstance(condition, Tensor) else condition)
    if condition.dtype != bool:
        raise TypeError(f"where() needs a boolean condition, got dtype {condition.dtype}; "
                        f"compare first, e.g. where(x > 0, x, 0)")
    a, b = _pair(a, b, "where")
    return record(trules.WHERE, (a, b), Attrs(condition=condition))


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise larger of a and b; on a tie each side gets half the gradient.

    >>> maximum(Tensor([1.0, -2.0]), 0.0).data
    array([1., 0.])
    """
    return record(trules.MAXIMUM, _pair(a, b, "maximum"))


def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise smaller of a and b; on a tie each side gets half the gradient.

    >>> minimum(Tensor([1.0, -2.0]), 0.0).data
    array([ 0., -2.])
    """
    return record(trules.MINIMUM, _pair(a, b, "minimum"))


def cross_entropy(logits: Tensor, targets: Any) -> Tensor:
    """Mean softmax cross-entropy of (N, C) scores against N class labels, as one node.

    CE = -(1/N) Σ_n log softmax(z_n)[y_n], and its gradient is the classic
    d CE / d z = (softmax(z) - onehot(y)) / N. The same value as
    ``-logits.log_softmax(axis=1)[np.arange(N), targets].mean()`` in one step instead
    of four (stable at any logits).

    >>> round(cross_entropy(Tensor([[2.0, 0.0, 0.0]]), [0]).item(), 4)
    0.2395
    """
    logits = checks.require_tensor(logits, "cross_entropy")
    labels = checks.class_labels(logits, targets)
    return record(trules.CROSS_ENTROPY, (logits,), Attrs(targets=labels))


def softmax(x: Tensor, axis: int = -1) -> Tensor:
    """Stable softmax along ``axis``; see ``Tensor.softmax``."""
    return checks.require_tensor(x, "softmax").softmax(axis)


def log_softmax(x: Tensor, axis: int = -1) -> Tensor:
    """Stable log-softmax along ``axis``; see ``Tensor.log_softmax``."""
    return checks.require_tensor(x, "log_softmax").log_softmax(axis)


def _pair(a: Any, b: Any, name: str) -> tuple[Tensor, Tensor]:
    """Two operands as Tensors, at least one of which already is."""
    if isinstance(a, Tensor):
        return a, a._operand(b, name)
    if isinstance(b, Tensor):
        return b._operand(a, name), b
    raise TypeError(f"{name} needs at least one Tensor, got {a!r} and {b!r}")
