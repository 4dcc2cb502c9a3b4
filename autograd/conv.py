"""Convolutions on Tensors: ``conv2d`` and ``conv_transpose2d`` (PyTorch's names and rules).

Images are (N, C, H, W); filters (F, C/groups, KH, KW). ``conv2d`` is a matrix product
over image patches ("im2col"): each patch is copied into a column (one copy of a window
view of the image), and the filters multiply the columns. ``groups`` splits the channels into
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

from .conv_math import (
    Pair,
    conv2d_forward,
    conv2d_grads,
    conv2d_input_grad,
    conv2d_weight_grad,
    one_or_pair,
)
from .node import Attrs
from .rules import define
from .state import STATE
from .tensor import Tensor, record
from .tensor_checks import require_tensor as _tensor


# --- the rules ------------------------------------------------------------------------------
def apply(rule, parents: tuple, attrs: dict) -> Any:
    """Apply a rule to arrays (a plain result) or to Tensors (a node in the graph): a VJP
    written with rules is then differentiable again when its upstream is a Tensor."""
    if any(isinstance(p, Tensor) for p in parents):
        return record(rule, parents, Attrs(attrs))
    return rule.forward(None, *parents, **attrs)


def _with_bias(ops, grads: tuple, upstream, b, needs) -> tuple:
    """The bias's gradient appended when there is a bias: d out/db[f] = Σ upstream[n,f,p,q]."""
    if b is None:
        return grads
    return grads + (ops.sum(upstream, axis=(0, 2, 3)) if len(needs) > 2 and needs[2] else None,)


def _conv_cut(x, w, size: tuple, attrs: dict):
    """conv2d, cut to ``size``: output_padding adds rows no window of the conv reaches."""
    y = apply(CONV2D, (x, w), attrs)
    return y if y.shape[2:] == tuple(size) else y[:, :, :size[0], :size[1]]


def _conv_vjp(ops, upstream, out, x, w, b=None, *, needs=(True, True, True), saved=None,
              **attrs):
    columns = saved.pop("columns", None) if saved else None  # the forward's, used once
    if not isinstance(upstream, Tensor):  # on arrays: share the work of both gradients
        grads = conv2d_grads(x, w, upstream, needs=needs, columns=columns, **attrs)
        return _with_bias(ops, grads, upstream, b, needs)
    grad_x = grad_w = None
    if needs[0]:
        grad_x = apply(CONV_TRANSPOSE2D, (upstream, w), {"size": x.shape[2:], **attrs})
    if needs[1]:
        grad_w = apply(CONV2D_WEIGHT, (x, upstream), {"kernel": w.shape[2:], **attrs})
    return _with_bias(ops, (grad_x, grad_w), upstream, b, needs)


def _conv_transpose_vjp(ops, upstream, out, g, w, b=None, *, needs=(True, True, True),
                        size=(), **attrs):
    grad_g = grad_w = None
    if needs[0]:  # the transpose of the transpose: conv2d itself
        grad_g = _conv_cut(upstream, w, g.shape[2:], attrs)
    if needs[1]:
        grad_w = apply(CONV2D_WEIGHT, (upstream, g), {"kernel": w.shape[2:], **attrs})
    return _with_bias(ops, (grad_g, grad_w), upstream, b, needs)


def _weight_grad_vjp(ops, upstream, out, x, g, *, needs=(True, True), kernel=(), **attrs):
    # conv2d_weight is linear in each input: its VJPs are the two other rules.
    grad_x = grad_g = None
    if needs[0]:
        grad_x = apply(CONV_TRANSPOSE2D, (g, upstream), {"size": x.shape[2:], **attrs})
    if needs[1]:
        grad_g = _conv_cut(x, upstream, g.shape[2:], attrs)
    return grad_x, grad_g


def _text(name: str):
    def describe(stride, padding, dilation, groups, **_) -> str:
        parts = [f"stride={one_or_pair(stride)}"] if stride != (1, 1) else []
        parts += [f"padding={one_or_pair(padding)}"] if padding != (0, 0) else []
        parts += [f"dilation={one_or_pair(dilation)}"] if dilation != (1, 1) else []
        parts += [f"groups={groups}"] if groups != 1 else []
        return f"{name}({', '.join(parts)})"
    return describe


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

    >>> import numpy as np
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

    >>> import numpy as np
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
