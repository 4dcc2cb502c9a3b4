"""Convolutions on Tensors: ``conv2d`` and ``conv_transpose2d`` (PyTorch's names and rules).

Images are (N, C, H, W); filters (F, C/groups, KH, KW). ``conv2d`` is a matrix product
over image patches ("im2col"): each patch is copied into a column, one strided slice per
kernel offset, and the filters multiply the columns. ``groups`` splits the channels into
independent convolutions (an extra batch axis of the product); ``groups = C`` is the
depthwise convolution.

Three rules close the system, so every derivative is again one of them and a gradient
can be differentiated again (``create_graph=True``):

    conv2d(x, w)            forward
    conv_transpose2d(g, w)  d conv2d / dx : every window's upstream·w added back in place
    conv2d_weight(x, g)     d conv2d / dw : each filter tap correlated with the upstream

    >>> import numpy as np
    >>> from autograd import Tensor, conv2d
    >>> x = Tensor(np.ones((1, 1, 4, 4)), requires_grad=True)
    >>> w = Tensor(np.ones((2, 1, 3, 3)), requires_grad=True)
    >>> conv2d(x, w, padding=1).shape
    (1, 2, 4, 4)
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .node import Attrs
from .rules import define
from .state import STATE
from .tensor import Tensor, record
from .tensor_checks import require_tensor as _tensor

Pair = tuple[int, int]


# --- geometry -------------------------------------------------------------------------------
def out_size(size: int, kernel: int, stride: int, padding: int, dilation: int = 1) -> int:
    """Side of the output: (size + 2·padding − dilation·(kernel − 1) − 1) // stride + 1.

    >>> out_size(28, 3, 1, 1), out_size(28, 2, 2, 0), out_size(7, 3, 1, 0, dilation=2)
    (28, 14, 3)
    """
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def pad(x: np.ndarray, padding: Pair, value: float = 0.0) -> np.ndarray:
    """x with ``padding`` rows and columns of ``value`` on each side of the last two axes."""
    ph, pw = padding
    if not ph and not pw:
        return x
    padded = np.full(x.shape[:-2] + (x.shape[-2] + 2 * ph, x.shape[-1] + 2 * pw), value,
                     dtype=x.dtype)
    padded[..., ph:ph + x.shape[-2], pw:pw + x.shape[-1]] = x
    return padded


def unpad(padded: np.ndarray, padding: Pair) -> np.ndarray:
    ph, pw = padding
    return padded[..., ph:padded.shape[-2] - ph, pw:padded.shape[-1] - pw]


def windows(kernel: Pair, out: Pair, stride: Pair, dilation: Pair):
    """(i, j, where) for each kernel offset: ``where`` picks, from the padded image, the
    entry that offset (i, j) of every window sees — an (OH, OW) strided slice."""
    (kh, kw), (oh, ow), (sh, sw), (dh, dw) = kernel, out, stride, dilation
    for i in range(kh):
        for j in range(kw):
            yield i, j, (Ellipsis, slice(i * dh, i * dh + sh * (oh - 1) + 1, sh),
                         slice(j * dw, j * dw + sw * (ow - 1) + 1, sw))


# --- the numpy maths ------------------------------------------------------------------------
# Columns laid out (N, G, C/G·KH·KW, positions): filters of shape (G, F/G, C/G·KH·KW)
# multiply them as one batched matrix product whose result is already (N, F, positions) in
# memory, so neither the columns nor the output need a transposing copy.
class _Grid:
    """Where each kernel offset reads in the padded image, for every output position.

    With stride 1 the padded image is kept flat, one row of ``width`` after the other, and
    the outputs are computed on rows of the same padded width (the extra columns are cut
    off afterwards): then each kernel offset reads one long contiguous slice per plane
    instead of OH short rows, and numpy's per-row loop overhead (most of im2col and
    col2im's time at 14x14) disappears for a few wasted columns.
    """

    def __init__(self, size: Pair, kernel: Pair, out: Pair, stride, padding, dilation):
        self.size, self.kernel, self.out, self.padding = size, kernel, out, padding
        self.stride, self.dilation = stride, dilation
        self.height, self.width = size[0] + 2 * padding[0], size[1] + 2 * padding[1]
        self.flat = stride == (1, 1)
        self.positions = (out[0] * self.width,) if self.flat else out
        slack = (kernel[1] - 1) * dilation[1]  # the last offset's slice runs this far over
        self.buffer = ((self.height * self.width + slack,) if self.flat
                       else (self.height, self.width))

    def taps(self):
        """(i, j, where): the entries offset (i, j) of every window sees in the buffer."""
        if not self.flat:
            yield from windows(self.kernel, self.out, self.stride, self.dilation)
            return
        (kh, kw), (dh, dw), span = self.kernel, self.dilation, self.positions[0]
        for i in range(kh):
            for j in range(kw):
                start = i * dh * self.width + j * dw
                yield i, j, (Ellipsis, slice(start, start + span))

    def image(self, x: np.ndarray) -> np.ndarray:
        """x placed in a zero buffer (padded, and flat with stride 1)."""
        if self.buffer == (x.shape[2] * x.shape[3],):  # no padding, no slack: a view
            return x.reshape(x.shape[:2] + self.buffer)
        buffer = np.zeros(x.shape[:2] + self.buffer, dtype=x.dtype)
        self.interior(buffer)[...] = x
        return buffer

    def interior(self, buffer: np.ndarray) -> np.ndarray:
        """The (N, C, H, W) part of a buffer that is the image itself (a view)."""
        (ph, pw), (h, w) = self.padding, self.size
        if self.flat:
            buffer = buffer[..., :self.height * self.width].reshape(
                buffer.shape[:2] + (self.height, self.width))
        return buffer[..., ph:ph + h, pw:pw + w]

    def widen(self, g: np.ndarray) -> np.ndarray:
        """An (N, F, OH, OW) gradient on the grid's positions (zeros in the extra columns)."""
        if not self.flat or self.width == self.out[1]:
            return g.reshape(g.shape[:2] + (-1,))
        wide = np.zeros(g.shape[:2] + (self.out[0], self.width), dtype=g.dtype)
        wide[..., :self.out[1]] = g
        return wide.reshape(g.shape[:2] + (-1,))

    def crop(self, y: np.ndarray) -> np.ndarray:
        """(N, F, positions) -> (N, F, OH, OW)."""
        y = y.reshape(y.shape[:2] + (self.out[0], -1))
        return y if y.shape[3] == self.out[1] else np.ascontiguousarray(y[..., :self.out[1]])


def _grid(x_size: Pair, kernel: Pair, stride, padding, dilation, out=None) -> _Grid:
    if out is None:
        out = tuple(out_size(x_size[a], kernel[a], stride[a], padding[a], dilation[a])
                    for a in (0, 1))
    return _Grid(tuple(x_size), kernel, tuple(out), stride, padding, dilation)


def _columns(x: np.ndarray, grid: _Grid, groups: int) -> np.ndarray:
    image = grid.image(x)
    if grid.kernel == (1, 1) and grid.buffer == grid.positions == (x.shape[2] * x.shape[3],):
        # a 1x1 kernel over the whole unpadded image: x is its own columns
        return image.reshape(x.shape[0], groups, -1, image.shape[2])
    columns = np.empty(x.shape[:2] + grid.kernel + grid.positions, dtype=x.dtype)
    for i, j, where in grid.taps():
        columns[:, :, i, j] = image[where]
    return columns.reshape(x.shape[0], groups, -1, int(np.prod(grid.positions)))


# Depthwise (one filter per channel: groups = C = F) needs no columns: each kernel offset
# is one multiply-add over whole arrays, where the matrix products would be thousands of
# 1 x KH·KW products.
def _depthwise(w: np.ndarray, groups: int) -> bool:
    return w.shape[1] == 1 and groups == w.shape[0]


def _tap_weights(w: np.ndarray, grid: _Grid):
    """(i, j, where, the weight of offset (i, j) for each channel, shaped to broadcast)."""
    shape = (w.shape[0],) + (1,) * len(grid.positions)
    for i, j, where in grid.taps():
        yield i, j, where, w[:, 0, i, j].reshape(shape)


def _depthwise_forward(x, w, grid):
    image = grid.image(x)
    y = np.zeros(x.shape[:2] + grid.positions, dtype=np.result_type(x, w))
    for _, _, where, weight in _tap_weights(w, grid):
        y += image[where] * weight
    return grid.crop(y.reshape(y.shape[:2] + (-1,)))


def conv2d_forward(x, w, b=None, *, stride, padding, dilation, groups, saved=None):
    f = w.shape[0]
    grid = _grid(x.shape[2:], w.shape[2:], stride, padding, dilation)
    if _depthwise(w, groups):
        y = _depthwise_forward(x, w, grid)
        if b is not None:
            y += b[:, None, None]
        return y
    columns = _columns(x, grid, groups)
    if saved is not None:  # kept for the weight gradient (as PyTorch's save_for_backward)
        saved["columns"] = columns
    y = np.matmul(w.reshape(groups, f // groups, -1), columns)  # (N, G, F/G, positions)
    y = grid.crop(y.reshape(x.shape[0], f, -1))
    if b is not None:
        y += b[:, None, None]
    return y


def conv2d_input_grad(g, w, *, size: Pair, stride, padding, dilation, groups):
    """col2im: each column's gradient wᵀ·g added back where its entries came from."""
    f, cg, kh, kw = w.shape
    n = g.shape[0]
    grid = _grid(size, (kh, kw), stride, padding, dilation, out=g.shape[2:])
    buffer = np.zeros((n, groups * cg) + grid.buffer, dtype=np.result_type(g, w))
    if _depthwise(w, groups):
        wide = grid.widen(g).reshape(g.shape[:2] + grid.positions)
        for _, _, where, weight in _tap_weights(w, grid):
            buffer[where] += wide * weight
        return np.ascontiguousarray(grid.interior(buffer))
    w_t = np.ascontiguousarray(w.reshape(groups, f // groups, -1).swapaxes(1, 2))
    per_column = np.matmul(w_t, grid.widen(g).reshape(n, groups, f // groups, -1))
    per_column = per_column.reshape((n, groups * cg, kh, kw) + grid.positions)
    for i, j, where in grid.taps():
        buffer[where] += per_column[:, :, i, j]
    return np.ascontiguousarray(grid.interior(buffer))


def conv2d_weight_grad(x, g, *, kernel: Pair, stride, padding, dilation, groups,
                       columns=None):
    """d conv / dw[f, c, i, j] = Σ g[n, f, p, q]·x[n, c, p·s + i·d, q·s + j·d]."""
    n, f = g.shape[:2]
    grid = _grid(x.shape[2:], kernel, stride, padding, dilation, out=g.shape[2:])
    if groups == f == x.shape[1]:  # depthwise: Σ over samples and positions, per offset
        image, wide = grid.image(x), grid.widen(g).reshape(g.shape[:2] + grid.positions)
        axes = (0,) + tuple(range(2, wide.ndim))
        grad = np.empty((f, 1) + tuple(kernel), dtype=np.result_type(x, g))
        for i, j, where in grid.taps():
            grad[:, 0, i, j] = np.add.reduce(wide * image[where], axes)
        return grad
    if columns is None:
        columns = _columns(x, grid, groups)
    # columns @ gᵀ with gᵀ made contiguous: BLAS is twice as fast as with a transposed view
    g_t = np.ascontiguousarray(grid.widen(g).reshape(n, groups, f // groups, -1)
                               .swapaxes(2, 3))
    per_sample = np.matmul(columns, g_t)                           # (N, G, C/G·KH·KW, F/G)
    return np.add.reduce(per_sample, 0).swapaxes(1, 2).reshape(f, x.shape[1] // groups,
                                                              *kernel)


# --- the rules ------------------------------------------------------------------------------
def apply(rule, parents: tuple, attrs: dict) -> Any:
    """Apply a rule to arrays (a plain result) or to Tensors (a node in the graph): a VJP
    written with rules is then differentiable again when its upstream is a Tensor."""
    if any(isinstance(p, Tensor) for p in parents):
        return record(rule, parents, Attrs(attrs))
    return rule.forward(None, *parents, **attrs)


def _conv_vjp(ops, upstream, out, x, w, b=None, *, needs=(True, True, True), saved=None,
              **attrs):
    grad_x = grad_w = grad_b = None
    if needs[0]:
        grad_x = apply(CONV_TRANSPOSE2D, (upstream, w), {"size": x.shape[2:], **attrs})
    if needs[1]:
        columns = saved.pop("columns", None) if saved else None
        if columns is not None and not isinstance(upstream, Tensor):
            grad_w = conv2d_weight_grad(x, upstream, kernel=w.shape[2:], columns=columns,
                                        **attrs)
        else:
            grad_w = apply(CONV2D_WEIGHT, (x, upstream), {"kernel": w.shape[2:], **attrs})
    if b is None:
        return grad_x, grad_w
    if len(needs) > 2 and needs[2]:
        grad_b = ops.sum(upstream, axis=(0, 2, 3))
    return grad_x, grad_w, grad_b


def _conv_transpose_vjp(ops, upstream, out, g, w, b=None, *, needs=(True, True, True),
                        size=(), **attrs):
    grad_g = grad_w = grad_b = None
    if needs[0]:  # the transpose of the transpose: conv2d itself, cut to g's size
        grad_g = apply(CONV2D, (upstream, w), attrs)
        if grad_g.shape[2:] != g.shape[2:]:  # output_padding rows no window reached
            grad_g = grad_g[:, :, :g.shape[2], :g.shape[3]]
    if needs[1]:
        grad_w = apply(CONV2D_WEIGHT, (upstream, g), {"kernel": w.shape[2:], **attrs})
    if b is None:
        return grad_g, grad_w
    if len(needs) > 2 and needs[2]:
        grad_b = ops.sum(upstream, axis=(0, 2, 3))
    return grad_g, grad_w, grad_b


def _weight_grad_vjp(ops, upstream, out, x, g, *, needs=(True, True), kernel=(), **attrs):
    # conv2d_weight is linear in each input: its VJPs are the two other rules.
    grad_x = grad_g = None
    if needs[0]:
        grad_x = apply(CONV_TRANSPOSE2D, (g, upstream), {"size": x.shape[2:], **attrs})
    if needs[1]:
        grad_g = apply(CONV2D, (x, upstream), attrs)
        if grad_g.shape[2:] != g.shape[2:]:
            grad_g = grad_g[:, :, :g.shape[2], :g.shape[3]]
    return grad_x, grad_g


def _text(name: str):
    def describe(stride, padding, dilation, groups, **_) -> str:
        parts = [f"stride={_one(stride)}"] if stride != (1, 1) else []
        parts += [f"padding={_one(padding)}"] if padding != (0, 0) else []
        parts += [f"dilation={_one(dilation)}"] if dilation != (1, 1) else []
        parts += [f"groups={groups}"] if groups != 1 else []
        return f"{name}({', '.join(parts)})"
    return describe


def _one(pair: Pair) -> Any:
    return pair[0] if pair[0] == pair[1] else pair


CONV2D = define(
    op="conv2d", name="conv2d",
    forward=lambda ops, x, w, b=None, **a: conv2d_forward(x, w, b, **a),
    formulas=("d conv/dx = conv_transpose2d(upstream, w): each window's upstream·w added back",
              "d conv/dw[f,c,i,j] = Σ upstream[n,f,p,q]·x[n,c,p·s+i·d,q·s+j·d]",
              "d conv/db[f] = Σ upstream[n,f,p,q]"),
    describe=_text("conv2d"), vjp=_conv_vjp)


def _transpose_forward(ops, g, w, b=None, *, size, **attrs):
    y = conv2d_input_grad(g, w, size=size, **attrs)
    if b is not None:
        y += b[:, None, None]
    return y


CONV_TRANSPOSE2D = define(
    op="conv_transpose2d", name="conv_transpose2d", forward=_transpose_forward,
    formulas=("d conv_transpose/dx = conv2d(upstream, w)",
              "d conv_transpose/dw[c,f,i,j] = Σ x[n,c,p,q]·upstream[n,f,p·s+i·d,q·s+j·d]",
              "d conv_transpose/db[f] = Σ upstream[n,f,p,q]"),
    describe=_text("conv_transpose2d"), vjp=_conv_transpose_vjp)
CONV2D_WEIGHT = define(
    op="conv2d_weight", name="conv2d_weight",
    forward=lambda ops, x, g, **a: conv2d_weight_grad(x, g, **a),
    formulas=("d conv2d_weight/dx = conv_transpose2d(g, upstream)",
              "d conv2d_weight/dg = conv2d(x, upstream)"),
    describe=_text("conv2d_weight"), vjp=_weight_grad_vjp)


# --- checking the arguments -----------------------------------------------------------------
def pair(name: str, value: object, least: int) -> Pair:
    """An int or a pair of ints, each >= least, as a pair (PyTorch's int-or-tuple rule)."""
    items = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(items) != 2 or any(isinstance(v, bool) or not isinstance(v, numbers.Integral)
                              or v < least for v in items):
        raise ValueError(f"{name} must be an int >= {least} or a pair of them, got {value!r}")
    return int(items[0]), int(items[1])


def check_image(x: Tensor, name: str) -> None:
    if x.ndim != 4:
        raise ValueError(f"{name} needs images of shape (N, C, H, W), got shape {x.shape}; "
                         f"add the missing axes, e.g. x.reshape(1, 1, H, W)")


def _check_bias(bias: Any, channels: int, name: str) -> Tensor | None:
    if bias is None:
        return None
    bias = _tensor(bias, name)
    if bias.shape != (channels,):
        raise ValueError(f"{name}: bias must have shape ({channels},), one per output "
                         f"channel, got {bias.shape}")
    return bias


def _check_groups(groups: object, channels: dict[str, int], name: str) -> int:
    if isinstance(groups, bool) or not isinstance(groups, numbers.Integral) or groups < 1:
        raise ValueError(f"{name}: groups must be an int >= 1, got {groups!r}")
    for what, count in channels.items():
        if count % groups:
            raise ValueError(f"{name}: {what} ({count}) is not divisible by groups={groups}; "
                             f"change groups to a divisor of {count}")
    return int(groups)


def conv2d(x: Tensor, weight: Tensor, bias: Tensor | None = None, stride: int | Pair = 1,
           padding: int | Pair = 0, dilation: int | Pair = 1, groups: int = 1) -> Tensor:
    """2-D cross-correlation (PyTorch's conv2d): (N, C, H, W) * (F, C/groups, KH, KW).

    out[n, f, p, q] = b[f] + Σ_c,i,j w[f, c, i, j] · x[n, c, p·s + i·d, q·s + j·d]
    (c running over the channels of f's group), OH = (H + 2p − d·(KH − 1) − 1) // s + 1,
    zero padding. stride s, padding p, dilation d: an int or a (rows, columns) pair.

    >>> x = Tensor(np.arange(16.0).reshape(1, 1, 4, 4))
    >>> conv2d(x, Tensor(np.ones((1, 1, 2, 2))), stride=2).data[0, 0]
    array([[10., 18.],
           [42., 50.]])
    """
    x, weight = _tensor(x, "conv2d"), _tensor(weight, "conv2d")
    check_image(x, "conv2d")
    if weight.ndim != 4:
        raise ValueError(f"conv2d: weight must be (F, C/groups, KH, KW), got shape "
                         f"{weight.shape}")
    attrs = {"stride": pair("stride", stride, 1), "padding": pair("padding", padding, 0),
             "dilation": pair("dilation", dilation, 1)}
    f, c = weight.shape[0], x.shape[1]
    attrs["groups"] = _check_groups(groups, {"input channels": c, "filters": f}, "conv2d")
    if weight.shape[1] * attrs["groups"] != c:
        raise ValueError(f"conv2d: weight of shape {weight.shape} does not fit images of shape "
                         f"{x.shape}: it must be (F, C/groups, KH, KW) with C = {c} and "
                         f"groups = {groups}, so its second axis is {c // attrs['groups']}")
    for axis in (0, 1):
        reach = attrs["dilation"][axis] * (weight.shape[2 + axis] - 1) + 1
        room = x.shape[2 + axis] + 2 * attrs["padding"][axis]
        if reach > room:
            raise ValueError(f"conv2d: the kernel {weight.shape[2:]} (dilation "
                             f"{attrs['dilation']}) spans {reach}, larger than the padded "
                             f"image's {room} along axis {2 + axis} of {x.shape}; increase "
                             f"padding or use a smaller kernel")
    parents = (x, weight)
    if bias is not None:
        parents += (_check_bias(bias, f, "conv2d"),)
    if weight.requires_grad and STATE.grad_enabled:
        attrs["saved"] = {}
    return record(CONV2D, parents, Attrs(attrs))


def conv_transpose2d(x: Tensor, weight: Tensor, bias: Tensor | None = None,
                     stride: int | Pair = 1, padding: int | Pair = 0,
                     output_padding: int | Pair = 0, groups: int = 1,
                     dilation: int | Pair = 1) -> Tensor:
    """The gradient of ``conv2d`` with respect to its input, used as a layer (upsampling).

    What a learner should see: ``conv2d`` maps (N, C, H, W) to a smaller (N, F, OH, OW);
    its input gradient maps an (N, F, OH, OW) upstream back to (N, C, H, W) by adding each
    output's weight-scaled filter into the window it came from. ``conv_transpose2d(y, w)``
    is exactly that map, with weight (F, C/groups, KH, KW) as conv2d's — so the output
    side is OH = (H − 1)·s − 2p + d·(KH − 1) + output_padding + 1.

    >>> y = Tensor(np.ones((1, 1, 2, 2)))
    >>> conv_transpose2d(y, Tensor(np.ones((1, 1, 2, 2))), stride=2).data[0, 0]
    array([[1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.]])
    """
    x, weight = _tensor(x, "conv_transpose2d"), _tensor(weight, "conv_transpose2d")
    check_image(x, "conv_transpose2d")
    attrs = {"stride": pair("stride", stride, 1), "padding": pair("padding", padding, 0),
             "dilation": pair("dilation", dilation, 1)}
    extra = pair("output_padding", output_padding, 0)
    if weight.ndim != 4 or weight.shape[0] != x.shape[1]:
        raise ValueError(f"conv_transpose2d: weight of shape {weight.shape} does not fit "
                         f"inputs of shape {x.shape}: it must be (C_in = {x.shape[1]}, "
                         f"C_out/groups, KH, KW)")
    attrs["groups"] = _check_groups(groups, {"input channels": x.shape[1]}, "conv_transpose2d")
    size = []
    for axis in (0, 1):
        s, d = attrs["stride"][axis], attrs["dilation"][axis]
        if extra[axis] >= max(s, d):
            raise ValueError(f"conv_transpose2d: output_padding {extra} must be smaller than "
                             f"max(stride, dilation) = {max(s, d)} along each axis; lower "
                             f"output_padding")
        k = weight.shape[2 + axis]
        size.append((x.shape[2 + axis] - 1) * s - 2 * attrs["padding"][axis]
                    + d * (k - 1) + extra[axis] + 1)
        if size[-1] < 1:
            raise ValueError(f"conv_transpose2d: padding {attrs['padding']} leaves no output "
                             f"for inputs of shape {x.shape} and kernel {weight.shape[2:]}; "
                             f"lower padding")
    attrs["size"] = tuple(size)
    parents = (x, weight)
    if bias is not None:
        parents += (_check_bias(bias, weight.shape[1] * attrs["groups"], "conv_transpose2d"),)
    return record(CONV_TRANSPOSE2D, parents, Attrs(attrs))
