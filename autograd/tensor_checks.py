"""Checks and messages for Tensor operations: bad input gets a clear error, never numpy's.

Each function here looks at what a user passed (data, an axis, an index, shapes) and
either returns it in the form the engine uses or raises an error that names the value
or shape and says what to do instead.

    >>> one_axis(-1, 3)
    2
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .node import Attrs, Node
from .rules import Rule
from .value import Value

# Operations that broadcast their operands: a shape error there is about broadcasting.
_ELEMENTWISE_BINARY = {"+", "-", "*", "/", "pow", "maximum", "minimum", "where"}


def as_array(data: Any) -> np.ndarray:
    """numpy arrays keep their dtype; Python numbers and lists become float64."""
    if isinstance(data, Value):
        raise TypeError(f"Tensor({data!r}): a Value is a scalar graph node; use "
                        f"Tensor({data.data!r}) for its number")
    if isinstance(data, Node):
        raise TypeError("Tensor(Tensor): already a Tensor; use it directly, or .detach() for "
                        "a new leaf sharing its data")
    if isinstance(data, (np.ndarray, np.generic)):
        array = np.asarray(data)
    elif isinstance(data, (numbers.Number, list, tuple)):
        try:
            array = np.asarray(data)
        except ValueError as error:  # numpy's message for ragged lists
            raise ValueError(f"Tensor needs a rectangular array, but the nested lists have "
                             f"rows of different lengths ({error}); pad them to one length"
                             ) from None
        if array.dtype.kind in "biuf":
            array = array.astype(np.float64)
    else:
        raise TypeError(f"Tensor needs numbers (a number, nested lists or a numpy array), "
                        f"got {data!r} of type {type(data).__name__}")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"Tensor needs real numbers, got an array of dtype {array.dtype} "
                        f"(from {type(data).__name__}); convert it, e.g. "
                        f"np.asarray(data, dtype=np.float64)")
    return array


def require_tensor(x: Any, name: str) -> Any:
    """``x`` itself when it is a Tensor, else a TypeError saying to wrap it."""
    # (a node that is not a Value: tensor.py imports this module, so not Tensor itself)
    if isinstance(x, Node) and not isinstance(x, Value):
        return x
    raise TypeError(f"{name} needs Tensors, got {x!r} ({type(x).__name__}); wrap it: Tensor(x)")


def require_tensors(items: Any, name: str) -> tuple:
    parts = tuple(require_tensor(x, name) for x in items)
    if not parts:
        raise ValueError(f"{name} needs at least one Tensor, got an empty sequence")
    return parts


def one_axis(axis: Any, ndim: int) -> int:
    """``axis`` as a non-negative int, or an error naming the valid range."""
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be an int, got {axis!r}")
    if not -ndim <= axis < max(ndim, 1):
        raise ValueError(f"axis {axis} is out of range for {ndim} axes "
                         f"(use -{ndim}..{ndim - 1})")
    return int(axis) % max(ndim, 1)


def axes(axis: Any, ndim: int) -> tuple[int, ...] | None:
    """An axis or a sequence of them as a sorted tuple (None for all axes)."""
    if axis is None:
        return None
    items = axis if isinstance(axis, (tuple, list)) else (axis,)
    result = tuple(sorted(one_axis(a, ndim) for a in items))
    if len(set(result)) != len(result):
        raise ValueError(f"axis {axis} names an axis twice")
    return result


def index_key(key: Any) -> Any:
    """An index as numpy takes it; Tensors and lists inside become arrays of integers."""
    def one(part: Any) -> Any:
        if isinstance(part, Node):
            part = part.data
        if isinstance(part, list):
            part = np.asarray(part)
        if isinstance(part, np.ndarray) and part.dtype.kind not in "biu":
            raise IndexError(f"index arrays must hold integers or booleans, got dtype "
                             f"{part.dtype}; convert with .astype(int)")
        return part
    return tuple(one(p) for p in key) if isinstance(key, tuple) else one(key)


def operand_array(tensor: Any, other: Any, symbol: str) -> np.ndarray:
    """A number or array combined with ``tensor`` as an array, or a TypeError."""
    if isinstance(other, Value):
        raise TypeError(f"cannot combine a Tensor and a Value with {symbol}: {other!r} "
                        f"is a scalar graph node; use Tensor({other.data!r}) as a "
                        f"constant, or build the computation from Tensors only")
    if isinstance(other, numbers.Number) and not isinstance(other, bool):
        # A Python number takes the Tensor's float dtype: x * 0.5 stays float32.
        dtype = tensor.data.dtype if tensor.data.dtype.kind == "f" else None
        return np.asarray(other, dtype=dtype)
    if isinstance(other, (np.ndarray, np.generic)):
        return as_array(other)
    raise TypeError(f"cannot use {other!r} ({type(other).__name__}) with {symbol} on a "
                    f"Tensor: use a number, a numpy array or a Tensor")


def one_number(tensor: Any, what: str, instead: str, error: type = ValueError) -> np.ndarray:
    """The Tensor's data when it holds one number, else an error saying what to do."""
    if tensor.data.size != 1:
        raise error(f"{what} a Tensor of shape {tensor.shape}: the Tensor must have one "
                    f"entry (a single number); {instead}")
    return tensor.data


def backward_seed(tensor: Any, grad: Any) -> np.ndarray:
    """d loss / d tensor where ``tensor.backward(grad)`` starts, checked."""
    if not tensor.requires_grad:
        raise RuntimeError(
            "backward() on a Tensor that does not require gradients: none of the "
            "Tensors it was computed from has requires_grad=True (or it was computed "
            "under no_grad()); create the inputs with Tensor(..., requires_grad=True)")
    if grad is None:
        if tensor.data.size != 1:
            raise RuntimeError(
                f"backward() on a Tensor of shape {tensor.shape} needs grad=: the starting "
                f"gradient is 1 only for a single number; reduce first (y.sum().backward())"
                f" or pass grad= an array of shape {tensor.shape}")
        return np.ones_like(tensor.data)
    seed = np.array(grad.data if isinstance(grad, Node) else grad, dtype=tensor.dtype)
    if seed.shape != tensor.shape:
        raise ValueError(f"backward(grad=...) got shape {seed.shape}, but the Tensor "
                         f"has shape {tensor.shape}; they must be equal")
    return seed


def matmul_shapes(a: Any, b: Any) -> None:
    """``a @ b`` is defined for these shapes, or a ValueError saying what to change."""
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"@ needs operands with at least one axis, got shapes {a.shape} and "
                         f"{b.shape}; use * to multiply by a single number")
    inner_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if a.shape[-1] != inner_b:
        where = "first" if b.ndim == 1 else "second-to-last"
        raise ValueError(f"@ cannot multiply shapes {a.shape} and {b.shape}: the last axis "
                         f"of the left ({a.shape[-1]}) must equal the {where} axis of the "
                         f"right ({inner_b}); transpose or reshape one of them")


def class_labels(logits: Any, targets: Any) -> np.ndarray:
    """``targets`` as N integer labels in 0..C-1 for (N, C) logits, or a ValueError."""
    labels = np.asarray(targets.data if isinstance(targets, Node) else targets)
    if logits.ndim != 2:
        raise ValueError(f"cross_entropy needs logits of shape (N, C), got {logits.shape}")
    if labels.dtype.kind not in "iu" or labels.shape != logits.shape[:1]:
        raise ValueError(f"cross_entropy needs N = {logits.shape[0]} integer class labels, "
                         f"got {labels.dtype} labels of shape {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= logits.shape[1]):
        raise ValueError(f"cross_entropy: labels must be in 0..{logits.shape[1] - 1}, got "
                         f"{labels.min()}..{labels.max()}")
    return labels


def with_shapes(error: Exception, rule: Rule, parents: tuple, attrs: Attrs) -> Exception:
    """The same kind of error, naming the operation and every operand's shape."""
    shapes = " and ".join(str(p.shape) for p in parents)
    name = rule.display(attrs)
    if rule.op in _ELEMENTWISE_BINARY:
        return type(error)(f"{name}: shapes {shapes} do not broadcast ({error}); compared "
                           f"from the right, sizes must be equal or 1 (reshape one operand, "
                           f"e.g. x.reshape(-1, 1))")
    return type(error)(f"{name} on shape{'s' if len(parents) > 1 else ''} {shapes}: {error}")
