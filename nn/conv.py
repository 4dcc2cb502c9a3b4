"""Convolution and pooling layers for images of shape (N, C, H, W), with PyTorch's signatures.

A filter slides over the image; each output is a weighted sum of one window. The
feature map's side is (n + 2p − d·(f − 1) − 1) // s + 1 for an n-wide image, f-wide
filter, padding p, dilation d and stride s (the notes' (n + 2p − f) / s + 1 when d = 1).

    >>> import numpy as np
    >>> from nn import Conv2d, MaxPool2d, manual_seed
    >>> manual_seed(0)
    >>> x = np.zeros((1, 1, 28, 28))
    >>> Conv2d(1, 8, 3, padding=1)(x).shape, MaxPool2d(2)(x).shape
    ((1, 8, 28, 28), (1, 1, 14, 14))
    >>> Conv2d.output_size(28, kernel_size=5, stride=1, padding=0)
    24
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Tensor, avg_pool2d, conv2d, conv_transpose2d, max_pool2d, max_unpool2d
from autograd.conv import pair
from autograd.conv_math import one_or_pair, out_size

from . import init as initialisers
from .layers import _whole, as_tensor, parameter
from .module import Module

Init = str | Callable[..., np.ndarray]


def _check_images(x: Tensor, channels: int | None, who: str) -> None:
    if x.ndim != 4:
        raise ValueError(f"{who} expects images of shape (N, C, H, W), got {x.shape}; "
                         f"for one grey image use x.reshape(1, 1, H, W)")
    if channels is not None and x.shape[1] != channels:
        raise ValueError(f"{who} expects {channels} input channels, got {x.shape[1]} "
                         f"(input shape {x.shape}); change in_channels or the layer before")


def _divisible(in_channels: int, out_channels: int, groups: int, who: str) -> int:
    groups = _whole("groups", groups)
    for name, count in (("in_channels", in_channels), ("out_channels", out_channels)):
        if count % groups:
            raise ValueError(f"{who}: {name} = {count} is not divisible by groups = {groups}; "
                             f"choose groups among the common divisors of {in_channels} and "
                             f"{out_channels}")
    return groups


def _same_padding(kernel: tuple[int, int], dilation: tuple[int, int], stride) -> tuple:
    if stride != (1, 1):
        raise ValueError(f"padding='same' needs stride 1 (got stride {stride}), as in "
                         f"PyTorch; give the padding as a number instead")
    reach = [d * (k - 1) for k, d in zip(kernel, dilation)]
    if any(r % 2 for r in reach):
        raise ValueError(f"padding='same' with kernel {kernel} and dilation {dilation} needs "
                         f"uneven padding; use an odd kernel_size")
    return reach[0] // 2, reach[1] // 2


class Conv2d(Module):
    """``out_channels`` filters of size kernel_size over ``in_channels`` (PyTorch's order).

    Weight shape (out_channels, in_channels/groups, KH, KW), drawn by ``init`` (default
    ``"he_uniform"``: fan_in = in_channels/groups·KH·KW); one bias per filter, 0 at the
    start. ``groups`` splits the channels into independent convolutions: groups =
    in_channels is the depthwise convolution. ``padding="same"`` keeps the image size.
    kernel_size, stride, padding and dilation are each an int or a (rows, columns) pair.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | tuple,
                 stride: int | tuple = 1, padding: int | tuple | str = 0,
                 dilation: int | tuple = 1, groups: int = 1, bias: bool = True, *,
                 init: Init = "he_uniform", dtype: Any = np.float64) -> None:
        self.in_channels = _whole("in_channels", in_channels)
        self.out_channels = _whole("out_channels", out_channels)
        self.kernel_size = pair("kernel_size", kernel_size, 1)
        self.stride, self.dilation = pair("stride", stride, 1), pair("dilation", dilation, 1)
        if padding == "same":
            padding = _same_padding(self.kernel_size, self.dilation, self.stride)
        self.padding = (0, 0) if padding == "valid" else pair("padding", padding, 0)
        self.groups = _divisible(self.in_channels, self.out_channels, groups, "Conv2d")
        shape = (self.out_channels, self.in_channels // self.groups) + self.kernel_size
        self.init = init if isinstance(init, str) else getattr(init, "__name__", "custom")
        self.weight = parameter(initialisers.get(init)(shape), "weight", dtype)
        self.bias = parameter(np.zeros(self.out_channels), "bias", dtype) if bias else None

    @staticmethod
    def output_size(n: int, kernel_size: int, stride: int = 1, padding: int = 0,
                    dilation: int = 1) -> int:
        """(n + 2·padding − dilation·(kernel_size − 1) − 1) // stride + 1."""
        return out_size(n, kernel_size, stride, padding, dilation)

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x, self.weight.dtype)
        _check_images(x, self.in_channels, self.name or type(self).__name__)
        return conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation,
                      self.groups)

    def extra_repr(self) -> str:
        kernel = one_or_pair(self.kernel_size)
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={kernel}"
        for name, default in (("stride", (1, 1)), ("padding", (0, 0)), ("dilation", (1, 1))):
            if getattr(self, name) != default:
                text += f", {name}={one_or_pair(getattr(self, name))}"
        text += f", groups={self.groups}" if self.groups != 1 else ""
        return text + (", bias=False" if self.bias is None else "")


class ConvTranspose2d(Module):
    """Upsampling by the gradient of a convolution (see ``autograd.conv_transpose2d``).

    Weight shape (in_channels, out_channels/groups, KH, KW), as PyTorch; the output side
    is (n − 1)·stride − 2·padding + dilation·(KH − 1) + output_padding + 1.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | tuple,
                 stride: int | tuple = 1, padding: int | tuple = 0,
                 output_padding: int | tuple = 0, groups: int = 1, bias: bool = True,
                 dilation: int | tuple = 1, *, init: Init = "he_uniform",
                 dtype: Any = np.float64) -> None:
        self.in_channels = _whole("in_channels", in_channels)
        self.out_channels = _whole("out_channels", out_channels)
        self.kernel_size = pair("kernel_size", kernel_size, 1)
        self.stride, self.padding = pair("stride", stride, 1), pair("padding", padding, 0)
        self.output_padding = pair("output_padding", output_padding, 0)
        self.dilation = pair("dilation", dilation, 1)
        self.groups = _divisible(self.in_channels, self.out_channels, groups, "ConvTranspose2d")
        shape = (self.in_channels, self.out_channels // self.groups) + self.kernel_size
        self.init = init if isinstance(init, str) else getattr(init, "__name__", "custom")
        self.weight = parameter(initialisers.get(init)(shape), "weight", dtype)
        self.bias = parameter(np.zeros(self.out_channels), "bias", dtype) if bias else None

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x, self.weight.dtype)
        _check_images(x, self.in_channels, self.name or "ConvTranspose2d")
        return conv_transpose2d(x, self.weight, self.bias, self.stride, self.padding,
                                self.output_padding, self.groups, self.dilation)

    def extra_repr(self) -> str:
        return (f"{self.in_channels}, {self.out_channels}, "
                f"kernel_size={one_or_pair(self.kernel_size)}, stride={one_or_pair(self.stride)}"
                + (f", padding={one_or_pair(self.padding)}" if any(self.padding) else "")
                + (f", output_padding={one_or_pair(self.output_padding)}"
                   if any(self.output_padding) else ""))


class SeparableConv2d(Module):
    """Depthwise then pointwise: each channel filtered on its own (groups = in_channels),
    then a 1x1 convolution mixes the channels.

    Parameters: in·k·k + in·out instead of a standard convolution's in·out·k·k — the notes'
    "연산량 감소" (fewer multiply-adds by about the factor 1/out + 1/k²).
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | tuple,
                 stride: int | tuple = 1, padding: int | tuple | str = 0,
                 dilation: int | tuple = 1, bias: bool = True, *, init: Init = "he_uniform",
                 dtype: Any = np.float64) -> None:
        self.depthwise = Conv2d(in_channels, in_channels, kernel_size, stride, padding,
                                dilation, groups=in_channels, bias=False, init=init,
                                dtype=dtype)
        self.pointwise = Conv2d(in_channels, out_channels, 1, bias=bias, init=init, dtype=dtype)
        self.depthwise.name, self.pointwise.name = "depthwise", "pointwise"

    def forward(self, x: Any) -> Tensor:
        return self.pointwise(self.depthwise(x))


class _Pool(Module):
    def __init__(self, kernel_size: int | tuple, stride: int | tuple | None = None,
                 padding: int | tuple = 0) -> None:
        self.kernel_size = pair("kernel_size", kernel_size, 1)
        self.stride = self.kernel_size if stride is None else pair("stride", stride, 1)
        self.padding = pair("padding", padding, 0)

    def extra_repr(self) -> str:
        return (f"kernel_size={one_or_pair(self.kernel_size)}, stride={one_or_pair(self.stride)}, "
                f"padding={one_or_pair(self.padding)}")


class MaxPool2d(_Pool):
    """The largest value of each window (stride = kernel_size unless given).

    ``return_indices=True`` makes it return (pooled, indices) for ``MaxUnpool2d``.
    """

    def __init__(self, kernel_size: int | tuple, stride: int | tuple | None = None,
                 padding: int | tuple = 0, dilation: int | tuple = 1,
                 return_indices: bool = False) -> None:
        super().__init__(kernel_size, stride, padding)
        self.dilation = pair("dilation", dilation, 1)
        self.return_indices = bool(return_indices)

    def forward(self, x: Any) -> Tensor | tuple[Tensor, np.ndarray]:
        x = as_tensor(x)
        _check_images(x, None, self.name or "MaxPool2d")
        return max_pool2d(x, self.kernel_size, self.stride, self.padding, self.dilation,
                          self.return_indices)


class AvgPool2d(_Pool):
    """The mean of each window (stride = kernel_size unless given)."""

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        _check_images(x, None, self.name or "AvgPool2d")
        return avg_pool2d(x, self.kernel_size, self.stride, self.padding)


class MaxUnpool2d(_Pool):
    """Puts each value back where ``MaxPool2d(return_indices=True)`` found it; zeros elsewhere.

    ``layer(x, indices, output_size=None)``; give ``output_size`` when the pooled image's
    side was odd (pooling dropped a row the unpooled image should have).
    """

    def forward(self, x: Any, indices: Any, output_size: Any = None) -> Tensor:
        x = as_tensor(x)
        _check_images(x, None, self.name or "MaxUnpool2d")
        return max_unpool2d(x, indices, self.kernel_size, self.stride, self.padding,
                            output_size)


class GlobalAvgPool2d(Module):
    """(N, C, H, W) -> (N, C): the mean of each feature map (Keras's GlobalAveragePooling2D;
    PyTorch's AdaptiveAvgPool2d(1) then flatten). Replaces the large dense layer at a
    CNN's end: no parameters, any image size."""

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        _check_images(x, None, self.name or "GlobalAvgPool2d")
        return x.mean(axis=(2, 3))
