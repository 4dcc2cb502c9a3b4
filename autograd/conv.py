"""Convolution and pooling on Tensors: ``conv2d``, ``max_pool2d``, ``avg_pool2d``.

Images are (N, C, H, W); filters (F, C, KH, KW). ``conv2d`` is one matrix product over
image patches ("im2col"): the patches are copied into a (C·KH·KW, N·OH·OW) matrix, one
strided slice per kernel offset, and multiplied by the filters. The gradient of the
input adds each patch's gradient back where the patch came from ("col2im"): again one
vectorised addition per kernel offset (KH·KW of them), never ``np.add.at``.

    >>> import numpy as np
    >>> from autograd import Tensor, conv2d
    >>> x = Tensor(np.ones((1, 1, 4, 4)), requires_grad=True)
    >>> w = Tensor(np.ones((2, 1, 3, 3)), requires_grad=True)
    >>> conv2d(x, w, padding=1).shape
    (1, 2, 4, 4)

Only first derivatives are implemented here (``grad(..., create_graph=True)`` through
these operations raises NotImplementedError).
"""

from __future__ import annotations

import numbers

import numpy as np

from .node import Attrs
from .rules import define
from .tensor import Tensor, record
from .tensor_checks import require_tensor as _tensor


def _pad(x: np.ndarray, padding: int, value: float = 0.0) -> np.ndarray:
    if not padding:
        return x
    width = ((0, 0), (0, 0), (padding, padding), (padding, padding))
    return np.pad(x, width, constant_values=value)


def _out_size(size: int, kernel: int, stride: int, padding: int) -> int:
    return (size + 2 * padding - kernel) // stride + 1


def _offsets(kh: int, kw: int, oh: int, ow: int, stride: int):
    """(i, j, where) for each kernel offset: ``where`` picks, from the padded image, the
    entry that offset (i, j) of every window sees — an (OH, OW) strided slice."""
    for i in range(kh):
        for j in range(kw):
            yield i, j, (Ellipsis, slice(i, i + stride * (oh - 1) + 1, stride),
                         slice(j, j + stride * (ow - 1) + 1, stride))


def _unpad(padded: np.ndarray, padding: int) -> np.ndarray:
    if not padding:
        return padded
    return padded[:, :, padding:-padding, padding:-padding]


# --- conv2d -------------------------------------------------------------------------------
# im2col with the columns laid out (C·KH·KW, N·OH·OW): each (c, i, j) row is one strided
# slice of the image, copied by one numpy call per kernel offset. Measured 3x faster than
# np.tensordot over a sliding_window_view, whose copy walks the 6-d view entry by entry.
def _columns(x: np.ndarray, kh: int, kw: int, stride: int, padding: int) -> np.ndarray:
    n, c = x.shape[:2]
    oh, ow = (_out_size(x.shape[2], kh, stride, padding),
              _out_size(x.shape[3], kw, stride, padding))
    channels_first = _pad(x, padding).transpose(1, 0, 2, 3)  # (C, N, H, W) view
    columns = np.empty((c, kh, kw, n, oh, ow), dtype=x.dtype)
    for i, j, where in _offsets(kh, kw, oh, ow, stride):
        columns[:, i, j] = channels_first[where]
    return columns.reshape(c * kh * kw, n * oh * ow)


def _conv_forward(ops, x, w, b=None, *, stride, padding):
    f, _, kh, kw = w.shape
    oh, ow = (_out_size(x.shape[2], kh, stride, padding),
              _out_size(x.shape[3], kw, stride, padding))
    out = w.reshape(f, -1) @ _columns(x, kh, kw, stride, padding)  # (F, N·OH·OW)
    if b is not None:
        out += b[:, None]
    return np.ascontiguousarray(out.reshape(f, x.shape[0], oh, ow).transpose(1, 0, 2, 3))


def _conv_vjp(ops, upstream, out, x, w, b=None, *, stride, padding, needs=(True, True, True)):
    f, c, kh, kw = w.shape
    n, _, oh, ow = upstream.shape
    g = upstream.transpose(1, 0, 2, 3).reshape(f, n * oh * ow)
    grad_x = grad_w = grad_b = None
    if needs[0]:
        # d out[n,f,p,q] / d x[n,c,p·s+i,q·s+j] = w[f,c,i,j]: each column's gradient is
        # added back where its entries came from (col2im), one slice per kernel offset.
        per_column = (w.reshape(f, -1).T @ g).reshape(c, kh, kw, n, oh, ow)
        h, width = x.shape[2] + 2 * padding, x.shape[3] + 2 * padding
        channels_first = np.zeros((c, n, h, width), dtype=x.dtype)
        for i, j, where in _offsets(kh, kw, oh, ow, stride):
            channels_first[where] += per_column[:, i, j]
        grad_x = np.ascontiguousarray(_unpad(channels_first.transpose(1, 0, 2, 3), padding))
    if needs[1]:  # recomputed rather than kept: a layer's columns can be many megabytes
        grad_w = (g @ _columns(x, kh, kw, stride, padding).T).reshape(w.shape)
    if b is None:
        return grad_x, grad_w
    if needs[2]:
        grad_b = np.add.reduce(upstream, (0, 2, 3))
    return grad_x, grad_w, grad_b


def _conv_formula(i: int, n: int) -> str:
    return ("d conv/dx: each window's upstream·w added back where the window came from",
            "d conv/dw[f,c,i,j] = Σ upstream[n,f,p,q]·x[n,c,p·s+i,q·s+j]",
            "d conv/db[f] = Σ upstream[n,f,p,q]")[i]


CONV2D = define(op="conv2d", name="conv2d", forward=_conv_forward, vjp=_conv_vjp,
                formulas=_conv_formula, first_order_only=True,
                describe=lambda stride, padding: f"conv2d(stride={stride}, padding={padding})")


# --- pooling --------------------------------------------------------------------------------
# One vectorised operation per kernel offset (k² of them) on (N, C, OH, OW) slices: much
# faster than reducing a 6-d sliding-window view.
def _pool_sizes(x: np.ndarray, kernel: int, stride: int, padding: int) -> tuple[int, int]:
    return (_out_size(x.shape[2], kernel, stride, padding),
            _out_size(x.shape[3], kernel, stride, padding))


def _lowest(dtype: np.dtype) -> float:
    """Padding that never wins a window: -inf, or the least value an integer type holds."""
    if dtype.kind == "f":
        return -np.inf
    return False if dtype.kind == "b" else np.iinfo(dtype).min


def _max_pool_forward(ops, x, *, kernel, stride, padding):
    padded = _pad(x, padding, _lowest(x.dtype))
    out = None
    for _, _, where in _offsets(kernel, kernel, *_pool_sizes(x, kernel, stride, padding),
                                stride):
        out = padded[where].copy() if out is None else np.maximum(out, padded[where], out=out)
    return out


def _max_pool_vjp(ops, upstream, out, x, *, kernel, stride, padding, needs=(True,)):
    # Each window's gradient goes to its first maximum (PyTorch also picks one).
    padded = _pad(x, padding, _lowest(x.dtype))
    grad = np.zeros(padded.shape, dtype=x.dtype)
    unclaimed = np.ones(out.shape, dtype=bool)
    for _, _, where in _offsets(kernel, kernel, *out.shape[2:], stride):
        winner = (padded[where] == out) & unclaimed
        grad[where] += upstream * winner
        unclaimed &= ~winner
    return (_unpad(grad, padding),)


def _avg_pool_forward(ops, x, *, kernel, stride, padding):
    padded = _pad(x, padding)
    total = np.zeros(x.shape[:2] + _pool_sizes(x, kernel, stride, padding), dtype=x.dtype)
    for _, _, where in _offsets(kernel, kernel, *total.shape[2:], stride):
        total += padded[where]
    return total / (kernel * kernel)


def _avg_pool_vjp(ops, upstream, out, x, *, kernel, stride, padding, needs=(True,)):
    share = upstream / (kernel * kernel)
    grad = np.zeros((x.shape[0], x.shape[1], x.shape[2] + 2 * padding,
                     x.shape[3] + 2 * padding), dtype=x.dtype)
    for _, _, where in _offsets(kernel, kernel, *upstream.shape[2:], stride):
        grad[where] += share
    return (_unpad(grad, padding),)


def _pool_text(name):
    return lambda kernel, stride, padding: f"{name}({kernel}, stride={stride})"


MAX_POOL2D = define(op="max_pool2d", name="max_pool2d", forward=_max_pool_forward,
                    vjp=_max_pool_vjp, first_order_only=True,
                    formulas=("d max_pool/dx = upstream at each window's maximum, 0 elsewhere",),
                    describe=_pool_text("max_pool2d"))
AVG_POOL2D = define(op="avg_pool2d", name="avg_pool2d", forward=_avg_pool_forward,
                    vjp=_avg_pool_vjp, first_order_only=True,
                    formulas=("d avg_pool/dx = upstream / (k·k) for each window holding x",),
                    describe=_pool_text("avg_pool2d"))


# --- public functions ---------------------------------------------------------------------
def _size(name: str, value: object, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < least:
        raise ValueError(f"{name} must be an int >= {least}, got {value!r}")
    return int(value)


def _check_image(x: Tensor, name: str) -> None:
    if x.ndim != 4:
        raise ValueError(f"{name} needs images of shape (N, C, H, W), got shape {x.shape}; "
                         f"add the missing axes, e.g. x.reshape(1, 1, H, W)")


def conv2d(x: Tensor, weight: Tensor, bias: Tensor | None = None, stride: int = 1,
           padding: int = 0) -> Tensor:
    """2-D cross-correlation (as PyTorch's conv2d): (N, C, H, W) * (F, C, KH, KW) -> (N, F, OH, OW).

    out[n, f, p, q] = b[f] + Σ_c,i,j w[f, c, i, j] · x[n, c, p·stride + i, q·stride + j]
    with OH = (H + 2·padding - KH) // stride + 1 (zero padding).

    >>> import numpy as np
    >>> x = Tensor(np.arange(16.0).reshape(1, 1, 4, 4))
    >>> conv2d(x, Tensor(np.ones((1, 1, 2, 2))), stride=2).data[0, 0]
    array([[10., 18.],
           [42., 50.]])
    """
    x, weight = _tensor(x, "conv2d"), _tensor(weight, "conv2d")
    _check_image(x, "conv2d")
    stride, padding = _size("stride", stride, 1), _size("padding", padding, 0)
    if weight.ndim != 4 or weight.shape[1] != x.shape[1]:
        raise ValueError(f"conv2d: weight of shape {weight.shape} does not fit images of shape "
                         f"{x.shape}: it must be (F, C, KH, KW) with C = {x.shape[1]}")
    if weight.shape[2] > x.shape[2] + 2 * padding or weight.shape[3] > x.shape[3] + 2 * padding:
        raise ValueError(f"conv2d: kernel {weight.shape[2:]} is larger than the padded image "
                         f"{(x.shape[2] + 2 * padding, x.shape[3] + 2 * padding)}")
    parents = (x, weight)
    if bias is not None:
        bias = _tensor(bias, "conv2d")
        if bias.shape != (weight.shape[0],):
            raise ValueError(f"conv2d: bias must have shape ({weight.shape[0]},), one per "
                             f"filter, got {bias.shape}")
        parents += (bias,)
    return record(CONV2D, parents, Attrs(stride=stride, padding=padding))


def _pool(rule, x: Tensor, kernel: int, stride: int | None, padding: int) -> Tensor:
    x = _tensor(x, rule.op)
    _check_image(x, rule.op)
    kernel = _size("kernel", kernel, 1)
    stride = kernel if stride is None else _size("stride", stride, 1)
    padding = _size("padding", padding, 0)
    if padding > kernel // 2:
        raise ValueError(f"{rule.op}: padding {padding} must be at most half the kernel "
                         f"({kernel})")
    if kernel > min(x.shape[2], x.shape[3]) + 2 * padding:
        raise ValueError(f"{rule.op}: kernel {kernel} is larger than the images "
                         f"{x.shape[2:]} (padding {padding})")
    return record(rule, (x,), Attrs(kernel=kernel, stride=stride, padding=padding))


def max_pool2d(x: Tensor, kernel: int, stride: int | None = None, padding: int = 0) -> Tensor:
    """Maximum of each kernel×kernel window (stride defaults to kernel); pads with -inf.

    >>> import numpy as np
    >>> max_pool2d(Tensor(np.arange(16.0).reshape(1, 1, 4, 4)), 2).data[0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    return _pool(MAX_POOL2D, x, kernel, stride, padding)


def avg_pool2d(x: Tensor, kernel: int, stride: int | None = None, padding: int = 0) -> Tensor:
    """Mean of each kernel×kernel window (zero padding counts, as PyTorch's default).

    >>> import numpy as np
    >>> avg_pool2d(Tensor(np.arange(16.0).reshape(1, 1, 4, 4)), 2).data[0, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    return _pool(AVG_POOL2D, x, kernel, stride, padding)
