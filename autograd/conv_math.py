"""The numpy maths of convolution: geometry, im2col columns, and the three products.

``conv2d_forward(x, w)``, ``conv2d_input_grad(g, w)`` (col2im, which is also
``conv_transpose2d``) and ``conv2d_weight_grad(x, g)`` work on plain arrays; the rules
in ``conv.py`` connect them to the graph.

    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> conv2d_forward(x, np.ones((1, 1, 2, 2)), stride=(2, 2), padding=(0, 0),
    ...                dilation=(1, 1), groups=1)[0, 0]
    array([[10., 18.],
           [42., 50.]])
"""

from __future__ import annotations

import threading

import numpy as np

Pair = tuple[int, int]
_SCRATCH = threading.local()


def scratch(name: str, shape: tuple, dtype) -> np.ndarray:
    """A work array that lives on between calls, one per ``name`` and thread (grown, never
    shrunk), so a training step's largest temporaries are not handed back to the C
    allocator and faulted in again each step. Only for arrays that never leave the call."""
    size, dtype = int(np.prod(shape)), np.dtype(dtype)
    held = getattr(_SCRATCH, name, None)
    if held is None or held.dtype != dtype or held.size < size:
        held = np.empty(size, dtype)
        setattr(_SCRATCH, name, held)
    return held[:size].reshape(shape)


# --- geometry -------------------------------------------------------------------------------
def out_size(size: int, kernel: int, stride: int, padding: int, dilation: int = 1) -> int:
    """Side of the output: (size + 2·padding − dilation·(kernel − 1) − 1) // stride + 1.

    >>> out_size(28, 3, 1, 1), out_size(28, 2, 2, 0), out_size(7, 3, 1, 0, dilation=2)
    (28, 14, 3)
    """
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def out_sizes(shape: tuple, kernel: Pair, stride: Pair, padding: Pair, dilation: Pair) -> Pair:
    """(OH, OW): ``out_size`` along the last two axes of ``shape``.

    >>> out_sizes((64, 16, 14, 14), (3, 3), (2, 2), (1, 1), (1, 1))
    (7, 7)
    """
    return tuple(out_size(shape[-2 + a], kernel[a], stride[a], padding[a], dilation[a])
                 for a in (0, 1))


def one_or_pair(value: Pair) -> int | Pair:
    """(3, 3) -> 3 and (3, 1) -> (3, 1): how a size is printed."""
    return value[0] if value[0] == value[1] else value


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
class _Grid:
    """Where each kernel offset reads in the padded image, for every output position: the
    input gradient (col2im) adds its products back offset by offset with it.

    With stride 1 the padded image is kept flat, one row of ``width`` after the other, and
    the upstream is widened to rows of the same padded width (zeros in the extra
    columns): then each kernel offset adds one long contiguous slice per plane instead of
    OH short rows, and numpy's per-row loop overhead disappears for a few wasted columns.
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
            return g.reshape(g.shape[:2] + (g.shape[2] * g.shape[3],))
        wide = scratch("wide", g.shape[:2] + (self.out[0], self.width), g.dtype)
        wide[..., :self.out[1]] = g
        wide[..., self.out[1]:] = 0  # only the extra columns: no zero fill of the whole
        return wide.reshape(g.shape[:2] + self.positions)


def _grid(x_size: Pair, kernel: Pair, stride, padding, dilation, out: Pair) -> _Grid:
    return _Grid(tuple(x_size), kernel, tuple(out), stride, padding, dilation)


# Columns laid out (N, G, C/G·KH·KW, OH·OW): filters of shape (G, F/G, C/G·KH·KW) multiply
# them as one batched matrix product whose result is already (N, F, OH, OW) in memory, so
# neither the columns nor the output need a transposing copy.
def _columns(x: np.ndarray, kernel: Pair, out: Pair, stride, padding, dilation,
             groups: int) -> np.ndarray:
    """im2col: every window of the padded image as one column, (N, G, C/G·KH·KW, OH·OW).

    The windows are a view of the image (no copy); one copy lays them out."""
    n, c, (kh, kw) = x.shape[0], x.shape[1], kernel
    rows = c // groups * kh * kw
    if (kernel == (1, 1) and padding == (0, 0) and tuple(out) == x.shape[2:]
            and x.flags.c_contiguous):
        return x.reshape(n, groups, rows, out[0] * out[1])  # x is its own columns
    (dh, dw), (sh, sw) = dilation, stride
    span = (dh * (kh - 1) + 1, dw * (kw - 1) + 1)
    windows = np.lib.stride_tricks.sliding_window_view(pad(x, padding), span, axis=(2, 3))
    windows = windows[:, :, :sh * (out[0] - 1) + 1:sh, :sw * (out[1] - 1) + 1:sw, ::dh, ::dw]
    columns = windows.transpose(0, 1, 4, 5, 2, 3).copy()          # (N, C, KH, KW, OH, OW)
    return columns.reshape(n, groups, rows, out[0] * out[1])


# Depthwise (one filter per channel: groups = C = F): the input gradient's per-offset
# products would be thousands of 1 x 1 products; one multiply-add over whole arrays each.
def _depthwise(w: np.ndarray, groups: int) -> bool:
    return w.shape[1] == 1 and groups == w.shape[0]


def _tap_weights(w: np.ndarray, grid: _Grid):
    """(i, j, where, the weight of offset (i, j) for each channel, shaped to broadcast)."""
    shape = (w.shape[0],) + (1,) * len(grid.positions)
    for i, j, where in grid.taps():
        yield i, j, where, w[:, 0, i, j].reshape(shape)


def conv2d_forward(x, w, b=None, *, stride, padding, dilation, groups, saved=None):
    f = w.shape[0]
    out = out_sizes(x.shape, w.shape[2:], stride, padding, dilation)
    columns = _columns(x, w.shape[2:], out, stride, padding, dilation, groups)
    if saved is not None:  # kept for the weight gradient (as PyTorch's save_for_backward)
        saved["columns"] = columns
    y = np.matmul(w.reshape(groups, f // groups, -1), columns)  # (N, G, F/G, OH·OW)
    y = y.reshape((x.shape[0], f) + out)
    if b is not None:
        y += b[:, None, None]
    return y


def conv2d_grads(x, w, g, *, needs, columns, **geometry) -> tuple:
    """(d conv/dx, d conv/dw) on arrays (None where ``needs`` says no); ``columns`` are the
    forward's im2col columns when it saved them."""
    return (conv2d_input_grad(g, w, size=x.shape[2:], **geometry) if needs[0] else None,
            conv2d_weight_grad(x, g, kernel=w.shape[2:], columns=columns, **geometry)
            if needs[1] else None)


def conv2d_input_grad(g, w, *, size: Pair, stride, padding, dilation, groups):
    """col2im: each column's gradient wᵀ·g added back where its entries came from."""
    f, cg, kh, kw = w.shape
    n = g.shape[0]
    grid = _grid(size, (kh, kw), stride, padding, dilation, out=g.shape[2:])
    wide = grid.widen(g)
    buffer = scratch("col2im", (n, groups * cg) + grid.buffer, np.result_type(g, w))
    buffer.fill(0)
    if _depthwise(w, groups):
        wide = wide.reshape(g.shape[:2] + grid.positions)
        for _, _, where, weight in _tap_weights(w, grid):
            buffer[where] += wide * weight
        return grid.interior(buffer).copy()
    # one product per kernel offset, added back at once: no (C·KH·KW, positions) columns
    taps = np.ascontiguousarray(w.reshape(groups, f // groups, cg, kh, kw)
                                .transpose(3, 4, 0, 2, 1))          # (KH, KW, G, C/G, F/G)
    wide = wide.reshape(n, groups, f // groups, wide.shape[-1])
    product = scratch("tap product", (n, groups, cg, wide.shape[-1]), buffer.dtype)
    for i, j, where in grid.taps():
        np.matmul(taps[i, j], wide, out=product)
        buffer[where] += product.reshape((n, groups * cg) + grid.positions)
    return grid.interior(buffer).copy()


def conv2d_weight_grad(x, g, *, kernel: Pair, stride, padding, dilation, groups,
                       columns=None):
    """d conv / dw[f, c, i, j] = Σ g[n, f, p, q]·x[n, c, p·s + i·d, q·s + j·d]."""
    n, f = g.shape[:2]
    if columns is None:
        columns = _columns(x, kernel, g.shape[2:], stride, padding, dilation, groups)
    g = g.reshape(n, groups, f // groups, columns.shape[3])
    if columns.shape[2] < g.shape[2]:  # fewer column rows than filters: columnsᵀ as a view
        per_sample = np.matmul(g, columns.swapaxes(2, 3))           # (N, G, F/G, C/G·KH·KW)
        return np.add.reduce(per_sample, 0).reshape(f, x.shape[1] // groups, *kernel)
    per_sample = np.matmul(columns, np.ascontiguousarray(g.swapaxes(2, 3)))  # gᵀ contiguous
    return np.add.reduce(per_sample, 0).swapaxes(1, 2).reshape(f, x.shape[1] // groups,
                                                              *kernel)
