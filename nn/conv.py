"""Convolution and pooling layers for images of shape (N, C, H, W).

A filter slides over the image; each output is a weighted sum of one window. The
feature map's side is (n + 2p − f) / s + 1 for an n-wide image, f-wide filter,
padding p and stride s.

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

from autograd import Tensor, avg_pool2d, conv2d, max_pool2d

from . import init as initialisers
from .layers import _whole, as_tensor, parameter
from .module import Module


def _check_images(x: Tensor, channels: int | None, who: str) -> None:
    if x.ndim != 4:
        raise ValueError(f"{who} expects images of shape (N, C, H, W), got {x.shape}; "
                         f"for one grey image use x.reshape(1, 1, H, W)")
    if channels is not None and x.shape[1] != channels:
        raise ValueError(f"{who} expects {channels} input channels, got {x.shape[1]} "
                         f"(input shape {x.shape})")


class Conv2d(Module):
    """``out_channels`` filters of size kernel_size x kernel_size over ``in_channels``.

    Weight shape (out_channels, in_channels, k, k), initialised by ``init`` (default
    ``"he_uniform"``: fan_in = in_channels·k·k); one bias per filter, 0 at the start.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int,
                 stride: int = 1, padding: int = 0, bias: bool = True,
                 init: str | Callable[..., np.ndarray] = "he_uniform",
                 dtype: Any = np.float64) -> None:
        self.in_channels = _whole("in_channels", in_channels)
        self.out_channels = _whole("out_channels", out_channels)
        self.kernel_size = _whole("kernel_size", kernel_size)
        self.stride, self.padding = _whole("stride", stride), _whole("padding", padding, 0)
        shape = (self.out_channels, self.in_channels, self.kernel_size, self.kernel_size)
        self.init = init if isinstance(init, str) else getattr(init, "__name__", "custom")
        self.weight = parameter(initialisers.get(init)(shape), "weight", dtype)
        self.bias = parameter(np.zeros(self.out_channels), "bias", dtype) if bias else None

    @staticmethod
    def output_size(n: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
        """(n + 2·padding − kernel_size) // stride + 1: the side of the feature map."""
        return (n + 2 * padding - kernel_size) // stride + 1

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x, self.weight.dtype)
        _check_images(x, self.in_channels, self.name or "Conv2d")
        return conv2d(x, self.weight, self.bias, stride=self.stride, padding=self.padding)

    def extra_repr(self) -> str:
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding}")


class _Pool(Module):
    def __init__(self, kernel_size: int, stride: int | None = None, padding: int = 0) -> None:
        self.kernel_size = _whole("kernel_size", kernel_size)
        self.stride = self.kernel_size if stride is None else _whole("stride", stride)
        self.padding = _whole("padding", padding, 0)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPool2d(_Pool):
    """The largest value of each window (stride = kernel_size unless given)."""

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        _check_images(x, None, "MaxPool2d")
        return max_pool2d(x, self.kernel_size, self.stride, self.padding)


class AvgPool2d(_Pool):
    """The mean of each window (stride = kernel_size unless given)."""

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        _check_images(x, None, "AvgPool2d")
        return avg_pool2d(x, self.kernel_size, self.stride, self.padding)
