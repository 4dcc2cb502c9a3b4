"""Pooling on Tensors: ``max_pool2d`` (with ``return_indices``), ``max_unpool2d``, ``avg_pool2d``.

Each window of an (N, C, H, W) image is reduced to one number, one vectorised operation
per kernel offset. The gradient of max-pooling sends each window's upstream gradient to
the entry that was the maximum — which is max-unpooling at the argmax indices; the
gradient of max-unpooling reads the upstream back at those indices. So the rules close,
and second derivatives work through pooling too.

    >>> import numpy as np
    >>> from autograd import Tensor, max_pool2d, max_unpool2d
    >>> x = Tensor(np.array([[[[1.0, 5.0], [3.0, 2.0]]]]))
    >>> y, where = max_pool2d(x, 2, return_indices=True)
    >>> y.data.ravel(), where.ravel()          # the maximum 5 sat at flat index 1
    (array([5.]), array([1]))
    >>> max_unpool2d(y, where, 2).data[0, 0]
    array([[0., 5.],
           [0., 0.]])
"""

from __future__ import annotations

import numpy as np

from .conv import apply, check_image, pair
from .conv_math import Pair, one_or_pair, out_sizes, pad, unpad, windows
from .node import Attrs
from .rules import define
from .tensor import Tensor, record
from .tensor_checks import require_tensor as _tensor


def _lowest(dtype: np.dtype) -> float:
    """Padding that never wins a window: -inf, or the least value an integer type holds."""
    if dtype.kind == "f":
        return -np.inf
    return False if dtype.kind == "b" else np.iinfo(dtype).min


def _pool_text(name: str, kernel: Pair, stride: Pair) -> str:
    return f"{name}({one_or_pair(kernel)}, stride={one_or_pair(stride)})"


# --- max-pooling ----------------------------------------------------------------------------
def _max_forward(ops, x, *, kernel, stride, padding, dilation):
    padded = pad(x, padding, _lowest(x.dtype))
    sides = out_sizes(x.shape, kernel, stride, padding, dilation)
    views = [padded[where] for _, _, where in windows(kernel, sides, stride, dilation)]
    if len(views) == 1:
        return views[0].copy()
    out = np.maximum(views[0], views[1])  # the first two into a new array: no copy first
    for view in views[2:]:
        np.maximum(out, view, out=out)
    return out


def max_indices(x: np.ndarray, out: np.ndarray, kernel, stride, padding, dilation):
    """Flat index (into each H·W plane, as PyTorch) of each window's first maximum."""
    padded = pad(x, padding, _lowest(x.dtype))
    winner = np.zeros(out.shape, dtype=np.int16 if kernel[0] * kernel[1] > 127 else np.int8)
    offsets = []
    # Backwards over the offsets, so the first maximum is the one that stays; integer
    # arithmetic instead of np.where/copyto, which are several times slower here.
    for k, (i, j, where) in reversed(list(enumerate(windows(kernel, out.shape[2:], stride,
                                                            dilation)))):
        window = padded[where]
        hit = window == out
        if out.dtype.kind == "f":
            hit |= window != window  # a window holding nan has its first nan as maximum
        winner += hit.view(np.int8).astype(winner.dtype, copy=False) * (k - winner)
        offsets.append((i * dilation[0] - padding[0]) * x.shape[3] + j * dilation[1]
                       - padding[1])
    table = np.array(offsets[::-1])
    rows = np.arange(out.shape[2]) * stride[0] * x.shape[3]
    cols = np.arange(out.shape[3]) * stride[1]
    return table[winner] + (rows[:, None] + cols)


def _global(indices: np.ndarray, plane: int) -> np.ndarray:
    """Indices into the flattened (N·C·H·W) array instead of each H·W plane."""
    planes = np.arange(indices.shape[0] * indices.shape[1]).reshape(indices.shape[:2] + (1, 1))
    return indices + planes * plane


def _max_vjp(ops, upstream, out, x, *, needs=(True,), **geometry):
    x, out = ops.constant(x), ops.constant(out)
    overlapping = any(s < d * (k - 1) + 1 for k, s, d in
                      zip(geometry["kernel"], geometry["stride"], geometry["dilation"]))
    if isinstance(upstream, Tensor):  # as a graph: unpooling at the argmax, differentiable
        return (apply(MAX_UNPOOL2D, (upstream,), {
            "indices": max_indices(x, out, **geometry), "size": x.shape[2:],
            "overlapping": overlapping}),)
    if _halving(x.shape, **geometry):
        return (_max_vjp_halving(upstream, out, x),)
    # The same on arrays without building indices (the first maximum wins a tie).
    padding = geometry["padding"]
    grad = np.zeros(x.shape[:2] + (x.shape[2] + 2 * padding[0], x.shape[3] + 2 * padding[1]),
                    dtype=x.dtype)
    padded = pad(x, padding, _lowest(x.dtype))
    wheres = [where for _, _, where in windows(geometry["kernel"], out.shape[2:],
                                               geometry["stride"], geometry["dilation"])]
    for where, hit in zip(wheres, _claims((padded[where] for where in wheres), out)):
        if overlapping:
            grad[where] += upstream * hit
        else:  # each entry is in one window at most: write in place, no temporary
            np.multiply(upstream, hit, out=grad[where])
    return (np.ascontiguousarray(unpad(grad, padding)) if any(padding) else grad,)


def _claims(entries, out: np.ndarray):
    """For each kernel offset's view, in reading order: the windows whose first maximum
    it holds (a bool mask), each offset claiming what no earlier one claimed."""
    nan = out.dtype.kind == "f" and np.isnan(out).any()
    free = None  # windows no earlier offset claimed
    for entry in entries:
        hit = entry == out
        if nan:  # a window holding nan has its first nan as maximum
            hit |= entry != entry
        if free is None:
            free = ~hit
        else:
            hit &= free
            free ^= hit
        yield hit


# max_pool2d(2) on even sides, the common case, tiles the image: every entry is in exactly
# one window, so the gradient needs no zero fill and no adding, and a window's four
# entries are four strided views of one reshape.
def _halving(shape: tuple, *, kernel, stride, padding, dilation) -> bool:
    """Whether a max-pool is 2x2 with stride 2, no padding, over even sides."""
    return (kernel == stride == (2, 2) and padding == (0, 0) and dilation == (1, 1)
            and shape[2] % 2 == 0 and shape[3] % 2 == 0)


def _max_vjp_halving(upstream: np.ndarray, out: np.ndarray, x: np.ndarray) -> np.ndarray:
    """_max_vjp's array path for a halving max-pool: the same numbers, no zero fill."""
    n, c, h, w = x.shape
    quads = x.reshape(n, c, h // 2, 2, w // 2, 2)
    grad = np.empty(x.shape, dtype=x.dtype)
    grad_quads = grad.reshape(quads.shape)
    offsets = ((0, 0), (0, 1), (1, 0), (1, 1))
    for (i, j), hit in zip(offsets, _claims((quads[:, :, :, i, :, j] for i, j in offsets), out)):
        np.multiply(upstream, hit, out=grad_quads[:, :, :, i, :, j])
    return grad


def _unpool_forward(ops, x, *, indices, size, overlapping=True):
    n, c = x.shape[:2]
    plane = size[0] * size[1]
    flat = _global(indices, plane).ravel()
    if overlapping:  # an entry may be the maximum of several windows: add their values
        out = np.bincount(flat, weights=x.ravel(), minlength=n * c * plane).astype(x.dtype)
    else:
        out = np.zeros(n * c * plane, dtype=x.dtype)
        out[flat] = x.ravel()
    return out.reshape(n, c, *size)


def _gather_forward(ops, x, *, indices, **_):
    flat = _global(indices, x.shape[2] * x.shape[3])
    return x.ravel().take(flat)


MAX_POOL2D = define(
    op="max_pool2d", name="max_pool2d", forward=_max_forward,
    formulas=("d max_pool/dx = max_unpool2d(upstream, argmax): upstream at each maximum",),
    describe=lambda kernel, stride, **_: _pool_text("max_pool2d", kernel, stride),
    vjp=_max_vjp)
MAX_UNPOOL2D = define(
    op="max_unpool2d", name="max_unpool2d", forward=_unpool_forward,
    formulas=("d max_unpool/dx = upstream read back at the indices",),
    describe=lambda size, **_: f"max_unpool2d(size={size})",
    vjp=lambda ops, g, out, x, needs=(True,), indices=None, **_: (
        apply(GATHER2D, (g,), {"indices": indices}),))
GATHER2D = define(
    op="gather2d", name="gather2d", forward=_gather_forward,
    formulas=("d gather/dx = max_unpool2d(upstream): the upstream put back at the indices",),
    describe=lambda **_: "gather at indices",
    vjp=lambda ops, g, out, x, needs=(True,), indices=None: (
        apply(MAX_UNPOOL2D, (g,), {"indices": indices, "size": x.shape[2:]}),))


# --- average pooling -----------------------------------------------------------------------
def _avg_forward(ops, x, *, kernel, stride, padding, dilation=(1, 1)):
    padded = pad(x, padding)
    total = np.zeros(x.shape[:2] + out_sizes(x.shape, kernel, stride, padding, dilation),
                     dtype=x.dtype)
    for _, _, where in windows(kernel, total.shape[2:], stride, dilation):
        total += padded[where]
    return total / (kernel[0] * kernel[1])


def _avg_spread(ops, g, *, size, kernel, stride, padding, dilation=(1, 1)):
    share = g / (kernel[0] * kernel[1])
    grad = np.zeros(g.shape[:2] + (size[0] + 2 * padding[0], size[1] + 2 * padding[1]),
                    dtype=g.dtype)
    for _, _, where in windows(kernel, g.shape[2:], stride, dilation):
        grad[where] += share
    return np.ascontiguousarray(unpad(grad, padding))


AVG_POOL2D = define(
    op="avg_pool2d", name="avg_pool2d", forward=_avg_forward,
    formulas=("d avg_pool/dx = upstream / (KH·KW) for each window holding x",),
    describe=lambda kernel, stride, **_: _pool_text("avg_pool2d", kernel, stride),
    vjp=lambda ops, g, out, x, needs=(True,), **a: (
        apply(AVG_SPREAD, (g,), {"size": x.shape[2:], **a}),))
AVG_SPREAD = define(
    op="avg_spread", name="avg_spread", forward=_avg_spread,
    formulas=("d avg_spread/dx = avg_pool2d(upstream)",),
    describe=lambda kernel, **_: f"avg_pool2d_grad({one_or_pair(kernel)})",
    vjp=lambda ops, g, out, x, needs=(True,), size=(), **a: (apply(AVG_POOL2D, (g,), a),))


# --- public functions -----------------------------------------------------------------------
def _geometry(name: str, x: Tensor, kernel, stride, padding, dilation=1) -> dict:
    check_image(x, name)
    kernel = pair("kernel", kernel, 1)
    geometry = {"kernel": kernel, "stride": kernel if stride is None else pair("stride", stride, 1),
                "padding": pair("padding", padding, 0), "dilation": pair("dilation", dilation, 1)}
    for axis in (0, 1):
        if geometry["padding"][axis] > kernel[axis] // 2:
            raise ValueError(f"{name}: padding {geometry['padding']} must be at most half the "
                             f"kernel {kernel}; lower padding")
        reach = geometry["dilation"][axis] * (kernel[axis] - 1) + 1
        room = x.shape[2 + axis] + 2 * geometry["padding"][axis]
        if reach > room:
            raise ValueError(f"{name}: the kernel {kernel} (dilation {geometry['dilation']}) "
                             f"spans {reach}, larger than the padded images' {room} along axis "
                             f"{2 + axis} of {x.shape}; use a smaller kernel or more padding")
    return geometry


def max_pool2d(x: Tensor, kernel: int | Pair, stride: int | Pair | None = None,
               padding: int | Pair = 0, dilation: int | Pair = 1,
               return_indices: bool = False) -> Tensor | tuple[Tensor, np.ndarray]:
    """Maximum of each window (stride defaults to the kernel); pads with -inf.

    With ``return_indices=True`` also the flat index (into each H·W plane, as PyTorch)
    of every window's first maximum: the input ``max_unpool2d`` needs.

    >>> max_pool2d(Tensor(np.arange(16.0).reshape(1, 1, 4, 4)), 2).data[0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    x = _tensor(x, "max_pool2d")
    geometry = _geometry("max_pool2d", x, kernel, stride, padding, dilation)
    out = record(MAX_POOL2D, (x,), Attrs(geometry))
    if not return_indices:
        return out
    return out, max_indices(x.data, out.data, **geometry)


def avg_pool2d(x: Tensor, kernel: int | Pair, stride: int | Pair | None = None,
               padding: int | Pair = 0) -> Tensor:
    """Mean of each window (zero padding counts, as PyTorch's default).

    >>> avg_pool2d(Tensor(np.arange(16.0).reshape(1, 1, 4, 4)), 2).data[0, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    x = _tensor(x, "avg_pool2d")
    return record(AVG_POOL2D, (x,), Attrs(_geometry("avg_pool2d", x, kernel, stride, padding)))


def max_unpool2d(x: Tensor, indices, kernel: int | Pair, stride: int | Pair | None = None,
                 padding: int | Pair = 0, output_size=None) -> Tensor:
    """Each value put back where its window's maximum came from; zeros elsewhere.

    ``indices`` are ``max_pool2d(..., return_indices=True)``'s. The output side is
    (OH − 1)·stride − 2·padding + kernel unless ``output_size`` (H, W) is given. Where
    overlapping windows share one maximum the values add, which makes this exactly the
    gradient of ``max_pool2d`` (PyTorch keeps one of them instead).
    """
    x = _tensor(x, "max_unpool2d")
    check_image(x, "max_unpool2d")
    kernel = pair("kernel", kernel, 1)
    stride = kernel if stride is None else pair("stride", stride, 1)
    padding = pair("padding", padding, 0)
    indices = np.asarray(indices.data if isinstance(indices, Tensor) else indices)
    if indices.shape != x.shape or indices.dtype.kind not in "iu":
        raise ValueError(f"max_unpool2d: indices must be integers of the input's shape "
                         f"{x.shape}, got {indices.dtype} of shape {indices.shape}; pass "
                         f"the indices max_pool2d(..., return_indices=True) returned for it")
    if output_size is None:
        size = tuple((x.shape[2 + a] - 1) * stride[a] - 2 * padding[a] + kernel[a]
                     for a in (0, 1))
    else:
        size = tuple(int(s) for s in tuple(output_size)[-2:])
    plane = size[0] * size[1]
    if indices.size and (indices.min() < 0 or indices.max() >= plane):
        raise ValueError(f"max_unpool2d: indices range over {indices.min()}..{indices.max()}, "
                         f"outside an output plane of {size[0]}x{size[1]} = {plane} entries; "
                         f"pass output_size= the shape max_pool2d was given")
    return record(MAX_UNPOOL2D, (x,), Attrs(indices=indices.astype(np.int64, copy=False),
                                            size=size, overlapping=True))
