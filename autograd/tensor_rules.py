"""Array rules that are not elementwise: matmul, reductions, shapes, indexing, softmax.

Elementwise operations (``+``, ``*``, ``exp``, ``relu``, ...) need nothing here: Tensor
reuses their rules in ``rules.py`` and computes ``sum_to(local * upstream, x.shape)``.
Most rules below give a VJP (vector-Jacobian product) instead of local derivatives:

    vjp(ops, upstream, out, *xs, needs=..., **attrs) -> one gradient per input

``needs[i]`` is False when input i wants no gradient; the rule returns ``None`` for it
and skips the work (an MLP's first layer never computes d loss / d images). Each vjp
uses only ``ops`` functions and operators, so the same text runs on numpy arrays
(``array_math``) and on Tensors (``tensor.TENSOR_OPS``: gradients that are graphs).

    >>> from autograd.rules import RULES
    >>> RULES["matmul"].formula(0, 2)
    'd(A@B)/dA = upstream @ Bᵀ'
"""

from __future__ import annotations

import numpy as np

from .rules import define


def _reshape(ops, x, shape: tuple):
    return x if x.shape == shape else ops.reshape(x, shape)


def kept_shape(shape: tuple, axis: tuple | None) -> tuple:
    """The shape a reduction over ``axis`` leaves with ``keepdims=True``."""
    if axis is None:
        return (1,) * len(shape)
    return tuple(1 if i in axis else n for i, n in enumerate(shape))


def _axis_text(axis=None, keepdims=False, **_) -> str:
    text = "" if axis is None else f"axis={axis[0] if len(axis) == 1 else axis}"
    return text + (", keepdims" if keepdims else "")


# --- matrix product ------------------------------------------------------------------
def _matmul_vjp(ops, upstream, out, a, b, needs=(True, True)):
    if a.ndim == 2 and b.ndim == 2:  # the common case, without the general case's bookkeeping
        # .T is a view: BLAS reads a transposed operand without copying it
        return (upstream @ b.T if needs[0] else None, a.T @ upstream if needs[1] else None)
    # A 1-D operand is a row (left) or a column (right), as numpy treats it; work in 2-D.
    a2 = _reshape(ops, a, (1, a.shape[0])) if a.ndim == 1 else a
    b2 = _reshape(ops, b, (b.shape[0], 1)) if b.ndim == 1 else b
    batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    g = _reshape(ops, upstream, batch + (a2.shape[-2], b2.shape[-1]))
    grad_a = grad_b = None
    if needs[0]:  # upstream @ Bᵀ (a transposed view: BLAS reads it without a copy)
        grad_a = _reshape(ops, ops.sum_to(ops.matmul(g, ops.swap_last(b2)), a2.shape), a.shape)
    if needs[1]:  # Aᵀ @ upstream
        grad_b = _reshape(ops, ops.sum_to(ops.matmul(ops.swap_last(a2), g), b2.shape), b.shape)
    return grad_a, grad_b


MATMUL = define(op="matmul", name="matmul", forward=lambda ops, a, b: ops.matmul(a, b),
                vjp=_matmul_vjp, describe=lambda: "@",
                formulas=("d(A@B)/dA = upstream @ Bᵀ", "d(A@B)/dB = Aᵀ @ upstream"))


# --- reductions ------------------------------------------------------------------------
def _sum_vjp(ops, upstream, out, x, needs=(True,), axis=None, keepdims=False):
    # Every entry that was added gets the whole upstream gradient: spread it back.
    g = _reshape(ops, upstream, kept_shape(x.shape, axis))
    return (ops.broadcast_to(g, x.shape),)


def _count(shape: tuple, axis: tuple | None) -> int:
    count = 1
    for i in range(len(shape)) if axis is None else axis:
        count *= shape[i]
    return count


def _mean_vjp(ops, upstream, out, x, needs=(True,), axis=None, keepdims=False):
    g = _reshape(ops, upstream, kept_shape(x.shape, axis)) / _count(x.shape, axis)
    return (ops.broadcast_to(g, x.shape),)


def _extreme_vjp(ops, upstream, out, x, needs=(True,), axis=None, keepdims=False):
    # The gradient goes to the entries equal to the extreme, shared equally among ties.
    kept = kept_shape(x.shape, axis)
    data = ops.constant(x)
    hits = (data == np.reshape(ops.constant(out), kept)).astype(data.dtype)
    share = hits / np.sum(hits, axis=axis, keepdims=True)
    return (_reshape(ops, upstream, kept) * share,)


def _reduction(op: str, shown: str, ufunc: np.ufunc, vjp, formula: str, mean: bool = False):
    """A rule reducing over ``axis`` with ``ufunc`` (divided by the count for a mean)."""
    def forward(ops, x, axis=None, keepdims=False):
        # ufunc.reduce directly: np.sum adds a Python wrapper that costs more than the sum
        out = ufunc.reduce(x, axis, None, None, keepdims)
        return out / _count(x.shape, axis) if mean else out
    return define(op=op, name=op, forward=forward, vjp=vjp, formulas=(formula,),
                  describe=lambda **attrs: f"{shown}({_axis_text(**attrs)})")


REDUCE_SUM = _reduction("reduce_sum", "sum", np.add, _sum_vjp, "d sum(x)/dx_i = 1")
MEAN = _reduction("mean", "mean", np.add, _mean_vjp, "d mean(x)/dx_i = 1/n", mean=True)
MAX = _reduction("max", "max", np.maximum, _extreme_vjp,
                 "d max(x)/dx_i = 1 where x_i is the maximum, else 0 (ties share)")
MIN = _reduction("min", "min", np.minimum, _extreme_vjp,
                 "d min(x)/dx_i = 1 where x_i is the minimum, else 0 (ties share)")


# --- shapes -----------------------------------------------------------------------------
RESHAPE = define(
    op="reshape", name="reshape", forward=lambda ops, x, shape: np.reshape(x, shape),
    formulas=("d reshape(x)/dx: the upstream gradient reshaped back",),
    describe=lambda shape: f"reshape{shape}",
    vjp=lambda ops, g, out, x, needs=(True,), shape=(): (ops.reshape(g, x.shape),))
TRANSPOSE = define(
    op="transpose", name="transpose", forward=lambda ops, x, axes: np.transpose(x, axes),
    formulas=("d transpose(x)/dx: the upstream gradient transposed back",),
    describe=lambda axes: f"transpose{axes}",
    vjp=lambda ops, g, out, x, needs=(True,), axes=(): (
        ops.transpose(g, tuple(int(i) for i in np.argsort(axes))),))
BROADCAST_TO = define(
    op="broadcast_to", name="broadcast_to",
    forward=lambda ops, x, shape: np.broadcast_to(x, shape),
    formulas=("d broadcast(x)/dx: the upstream gradient summed over the copies",),
    describe=lambda shape: f"broadcast_to{shape}",
    vjp=lambda ops, g, out, x, needs=(True,), shape=(): (ops.sum_to(g, x.shape),))


def _key_text(key) -> str:
    parts = key if isinstance(key, tuple) else (key,)

    def one(part) -> str:
        if isinstance(part, slice):
            text = ":".join("" if v is None else str(v) for v in (part.start, part.stop, part.step))
            return text.rstrip(":") or ":"
        if isinstance(part, np.ndarray):
            return f"array{part.shape}" if part.size > 4 else str(part.tolist())
        return "..." if part is Ellipsis else str(part)
    return ", ".join(one(p) for p in parts)


INDEX = define(
    op="index", name="index", forward=lambda ops, x, key: x[key],
    formulas=("d x[key]/dx: the upstream gradient placed at key, zeros elsewhere",),
    describe=lambda key: f"[{_key_text(key)}]",
    vjp=lambda ops, g, out, x, needs=(True,), key=None: (ops.scatter(g, x.shape, key),))
# The gradient of indexing is itself an operation, so indexing can be differentiated twice.
SCATTER = define(
    op="scatter", name="scatter",
    forward=lambda ops, values, shape, key: ops.scatter(values, shape, key),
    formulas=("d scatter(v)/dv: the upstream gradient read back at key",),
    describe=lambda shape, key: f"scatter[{_key_text(key)}]",
    vjp=lambda ops, g, out, values, needs=(True,), shape=(), key=None: (g[key],))


def _pieces_vjp(ops, upstream, out, *xs, needs=None, axis=0, stacked=False):
    grads, start = [], 0
    for i, x in enumerate(xs):
        width = 1 if stacked else x.shape[axis]
        if needs is None or needs[i]:
            part = start if stacked else slice(start, start + width)
            grads.append(upstream[(slice(None),) * axis + (part,)])
        else:
            grads.append(None)
        start += width
    return tuple(grads)


CONCATENATE = define(
    op="concatenate", name="concatenate",
    forward=lambda ops, *xs, axis: np.concatenate(xs, axis=axis),
    formulas=lambda i, n: f"d concatenate(x0..x{n - 1})/dx{i}: the upstream slice where x{i} sits",
    describe=lambda axis: f"concatenate(axis={axis})",
    vjp=lambda ops, g, out, *xs, needs=None, axis=0: _pieces_vjp(ops, g, out, *xs, needs=needs,
                                                                  axis=axis))
STACK = define(
    op="stack", name="stack", forward=lambda ops, *xs, axis: np.stack(xs, axis=axis),
    formulas=lambda i, n: f"d stack(x0..x{n - 1})/dx{i}: the upstream entry at index {i}",
    describe=lambda axis: f"stack(axis={axis})",
    vjp=lambda ops, g, out, *xs, needs=None, axis=0: _pieces_vjp(ops, g, out, *xs, needs=needs,
                                                                  axis=axis, stacked=True))


# --- elementwise choices (local derivatives are constant masks) -----------------------
def _maximum_local_grads(ops, out, a, b):
    # 1 where this side wins, 0.5 each on a tie (as PyTorch), 0 where it loses.
    left, right = ops.constant(a), ops.constant(b)
    dtype = np.result_type(left, right)
    share = np.where(left > right, 1.0, np.where(left == right, 0.5, 0.0)).astype(dtype)
    return share, 1 - share


def _clip_local_grads(ops, out, x, low=None, high=None):
    data = ops.constant(x)
    inside = np.ones(data.shape, dtype=bool)
    if low is not None:
        inside &= data >= low
    if high is not None:
        inside &= data <= high
    return (inside.astype(data.dtype),)


WHERE = define(
    op="where", name="where", forward=lambda ops, a, b, condition: np.where(condition, a, b),
    local_grads=lambda ops, out, a, b, condition: (condition, ~condition),
    formulas=("d where(c, a, b)/da = 1 where c else 0", "d where(c, a, b)/db = 0 where c else 1"),
    describe=lambda condition: "where")
MAXIMUM = define(
    op="maximum", name="maximum", forward=lambda ops, a, b: np.maximum(a, b),
    local_grads=_maximum_local_grads,
    formulas=("d max(a, b)/da = 1 if a > b (½ on a tie)",
              "d max(a, b)/db = 1 if b > a (½ on a tie)"))
MINIMUM = define(
    op="minimum", name="minimum", forward=lambda ops, a, b: np.minimum(a, b),
    # a gets the gradient where b > a: maximum's first share with the operands swapped
    local_grads=lambda ops, out, a, b: _maximum_local_grads(ops, out, b, a),
    formulas=("d min(a, b)/da = 1 if a < b (½ on a tie)",
              "d min(a, b)/db = 1 if b < a (½ on a tie)"))
CLIP = define(
    op="clip", name="clip", forward=lambda ops, x, low=None, high=None: np.clip(x, low, high),
    local_grads=_clip_local_grads,
    formulas=("d clip(x, lo, hi)/dx = 1 if lo <= x <= hi else 0",),
    describe=lambda low=None, high=None: f"clip({low}, {high})")


# --- softmax ------------------------------------------------------------------------------
def _softmax_forward(ops, x, axis):
    # Subtracting the maximum changes nothing mathematically and keeps exp <= 1: no overflow.
    return ops.softmax(x, axis)


def _log_softmax_forward(ops, x, axis):
    shifted = x - np.maximum.reduce(x, axis, keepdims=True)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis, keepdims=True))


def _softmax_vjp(ops, upstream, out, x, needs=(True,), axis=-1):
    # J = diag(s) - s sᵀ, so Jᵀg = s * (g - Σ g·s)
    weighted = upstream * out
    return (weighted - out * ops.sum(weighted, axis=(axis,), keepdims=True),)


def _log_softmax_vjp(ops, upstream, out, x, needs=(True,), axis=-1):
    # d log_softmax_i / dx_j = δij - softmax_j, so Jᵀg = g - softmax · Σ g
    return (upstream - ops.exp(out) * ops.sum(upstream, axis=(axis,), keepdims=True),)


SOFTMAX = define(op="softmax", name="softmax", forward=_softmax_forward, vjp=_softmax_vjp,
                 formulas=("d softmax_i/dx_j = s_i·(δij - s_j)",),
                 describe=lambda axis: f"softmax(axis={axis})")
LOG_SOFTMAX = define(op="log_softmax", name="log_softmax", forward=_log_softmax_forward,
                     vjp=_log_softmax_vjp, formulas=("d log_softmax_i/dx_j = δij - softmax_j",),
                     describe=lambda axis: f"log_softmax(axis={axis})")


# --- softmax cross-entropy, fused ---------------------------------------------------------
def _cross_entropy_forward(ops, logits, targets):
    picked = _log_softmax_forward(ops, logits, 1)[np.arange(len(targets)), targets]
    return -np.add.reduce(picked) / len(targets)


def _cross_entropy_vjp(ops, upstream, out, logits, needs=(True,), targets=None):
    # The classic result: d CE / d z = (softmax(z) - onehot(y)) / N
    n = len(targets)
    onehot = np.zeros(logits.shape, dtype=ops.constant(logits).dtype)
    onehot[np.arange(n), targets] = 1
    return ((ops.softmax(logits, 1) - onehot) * (upstream / n),)


CROSS_ENTROPY = define(
    op="cross_entropy", name="cross_entropy", forward=_cross_entropy_forward,
    vjp=_cross_entropy_vjp, formulas=("d CE/dz = (softmax(z) - onehot(y)) / N",),
    describe=lambda targets: "cross_entropy")
