"""Convolution and pooling on Tensors: ``conv2d``, ``max_pool2d``, ``avg_pool2d``.

Images are (N, C, H, W); filters (F, C, KH, KW). ``conv2d`` is one matrix product over
image patches ("im2col"): a strided view lists every KH×KW window without copying, and
``np.tensordot`` multiplies the windows by the filters. The gradient of the input adds
each window's gradient back where the window came from ("col2im"): one vectorised
addition per kernel offset (KH·KW of them), never ``np.add.at``.

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
from numpy.lib.stride_tricks import sliding_window_view

from .rules import define
from .tensor import Tensor, _tensor


def _pad(x: np.ndarray, padding: int, value: float = 0.0) -> np.ndarray:
    if not padding:
        return x
    width = ((0, 0), (0, 0), (padding, padding), (padding, padding))
    return np.pad(x, width, constant_values=value)


def _windows(x: np.ndarray, kh: int, kw: int, stride: int) -> np.ndarray:
    """(N, C, OH, OW, KH, KW): every window as a strided view (no copy)."""
    return sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]


def _spread(windows_grad: np.ndarray, shape: tuple, stride: int, dtype) -> np.ndarray:
    """col2im: add (N, C, OH, OW, KH, KW) window gradients back into an image of ``shape``."""
    out = np.zeros(shape, dtype=dtype)
    _, _, oh, ow, kh, kw = windows_grad.shape
    for i in range(kh):
        for j in range(kw):
            out[:, :, i:i + stride * (oh - 1) + 1:stride, j:j + stride * (ow - 1) + 1:stride] \
                += windows_grad[:, :, :, :, i, j]
    return out


# --- conv2d -------------------------------------------------------------------------------
def _conv_forward(ops, x, w, b=None, *, stride, padding):
    windows = _windows(_pad(x, padding), w.shape[2], w.shape[3], stride)
    out = np.tensordot(windows, w, axes=((1, 4, 5), (1, 2, 3)))  # (N, OH, OW, F)
    if b is not None:
        out += b
    return np.ascontiguousarray(out.transpose(0, 3, 1, 2))


def _conv_vjp(ops, upstream, out, x, w, b=None, *, stride, padding, needs=(True, True, True)):
    kh, kw = w.shape[2], w.shape[3]
    grad_x = grad_w = grad_b = None
    if needs[0]:
        # d out[n,f,p,q] / d window[n,c,p,q,i,j] = w[f,c,i,j]
        per_window = np.tensordot(upstream, w, axes=((1,), (0,)))  # (N, OH, OW, C, KH, KW)
        padded_shape = x.shape[:2] + (x.shape[2] + 2 * padding, x.shape[3] + 2 * padding)
        full = _spread(per_window.transpose(0, 3, 1, 2, 4, 5), padded_shape, stride, x.dtype)
        grad_x = full[:, :, padding:padding + x.shape[2], padding:padding + x.shape[3]]
    if needs[1]:
        windows = _windows(_pad(x, padding), kh, kw, stride)
        grad_w = np.tensordot(upstream, windows, axes=((0, 2, 3), (0, 2, 3)))  # (F, C, KH, KW)
    if b is None:
        return grad_x, grad_w
    if needs[2]:
        grad_b = upstream.sum(axis=(0, 2, 3))
    return grad_x, grad_w, grad_b


def _conv_formula(i: int, n: int) -> str:
    return ("d conv/dx: each window's upstream·w added back where the window came from",
            "d conv/dw[f,c,i,j] = Σ upstream[n,f,p,q]·x[n,c,p·s+i,q·s+j]",
            "d conv/db[f] = Σ upstream[n,f,p,q]")[i]


CONV2D = define("conv2d", _conv_forward, None, _conv_formula,
                describe=lambda stride, padding: f"conv2d(stride={stride}, padding={padding})",
                vjp=_conv_vjp)


# --- pooling --------------------------------------------------------------------------------
def _max_pool_forward(ops, x, *, kernel, stride, padding):
    return _windows(_pad(x, padding, -np.inf), kernel, kernel, stride).max(axis=(4, 5))


def _max_pool_vjp(ops, upstream, out, x, *, kernel, stride, padding, needs=(True,)):
    # The gradient goes to the first maximum of each window (as PyTorch picks one).
    windows = _windows(_pad(x, padding, -np.inf), kernel, kernel, stride)
    n, c, oh, ow = upstream.shape
    winner = windows.reshape(n, c, oh, ow, kernel * kernel).argmax(axis=-1)
    offsets = np.arange(kernel * kernel).reshape(kernel, kernel)
    per_window = np.where(winner[..., None, None] == offsets, upstream[..., None, None], 0)
    padded = x.shape[:2] + (x.shape[2] + 2 * padding, x.shape[3] + 2 * padding)
    full = _spread(per_window.astype(x.dtype, copy=False), padded, stride, x.dtype)
    return (full[:, :, padding:padding + x.shape[2], padding:padding + x.shape[3]],)


def _avg_pool_forward(ops, x, *, kernel, stride, padding):
    return _windows(_pad(x, padding), kernel, kernel, stride).mean(axis=(4, 5))


def _avg_pool_vjp(ops, upstream, out, x, *, kernel, stride, padding, needs=(True,)):
    share = (upstream / (kernel * kernel))[..., None, None]
    per_window = np.broadcast_to(share, upstream.shape + (kernel, kernel))
    padded = x.shape[:2] + (x.shape[2] + 2 * padding, x.shape[3] + 2 * padding)
    full = _spread(per_window, padded, stride, x.dtype)
    return (full[:, :, padding:padding + x.shape[2], padding:padding + x.shape[3]],)


def _pool_text(name):
    return lambda kernel, stride, padding: f"{name}({kernel}, stride={stride})"


MAX_POOL2D = define("max_pool2d", _max_pool_forward, None,
                    ("d max_pool/dx = upstream at each window's maximum, 0 elsewhere",),
                    describe=_pool_text("max_pool2d"), vjp=_max_pool_vjp)
AVG_POOL2D = define("avg_pool2d", _avg_pool_forward, None,
                    ("d avg_pool/dx = upstream / (k·k) for each window holding x",),
                    describe=_pool_text("avg_pool2d"), vjp=_avg_pool_vjp)


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
    return Tensor._record(CONV2D, parents, {"stride": stride, "padding": padding})


def _pool(rule, x: Tensor, kernel: int, stride: int | None, padding: int) -> Tensor:
    x = _tensor(x, rule.name)
    _check_image(x, rule.name)
    kernel = _size("kernel", kernel, 1)
    stride = kernel if stride is None else _size("stride", stride, 1)
    padding = _size("padding", padding, 0)
    if padding > kernel // 2:
        raise ValueError(f"{rule.name}: padding {padding} must be at most half the kernel "
                         f"({kernel})")
    if kernel > min(x.shape[2], x.shape[3]) + 2 * padding:
        raise ValueError(f"{rule.name}: kernel {kernel} is larger than the images "
                         f"{x.shape[2:]} (padding {padding})")
    return Tensor._record(rule, (x,), {"kernel": kernel, "stride": stride, "padding": padding})


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
