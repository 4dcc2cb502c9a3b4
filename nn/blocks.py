"""Blocks of modern CNNs: ``Residual`` (ResNet's skip), ``Concat`` (inception's branches),
``ChannelShuffle`` (ShuffleNet's mixing between groups).

    >>> import numpy as np
    >>> from nn import Concat, Conv2d, ReLU, Residual, Sequential, manual_seed
    >>> manual_seed(0)
    >>> x = np.ones((1, 4, 6, 6))
    >>> Residual(Sequential(Conv2d(4, 4, 3, padding=1), ReLU()))(x).shape
    (1, 4, 6, 6)
    >>> Concat(Conv2d(4, 2, 1), Conv2d(4, 3, 3, padding=1))(x).shape
    (1, 5, 6, 6)
"""

from __future__ import annotations

from typing import Any

from autograd import Tensor, concatenate

from .layers import as_tensor
from .module import Module


def _named(module: Module, name: str, who: str) -> Module:
    if not isinstance(module, Module):
        raise TypeError(f"{who} takes Modules, got {module!r:.60}")
    if not module.name:
        module.name = name
    return module


class Residual(Module):
    """y = block(x) + shortcut(x), the shortcut the identity when None (ResNet).

    The sum's derivative is 1 on the skip path, so the gradient reaches early layers
    undiminished however many blocks follow: d y / d x = d block / d x + 1. A shortcut
    (e.g. a 1x1 ``Conv2d``) matches shapes when the block changes channels or size.
    """

    def __init__(self, block: Module, shortcut: Module | None = None) -> None:
        self.block = _named(block, "block", "Residual")
        self.shortcut = None if shortcut is None else _named(shortcut, "shortcut", "Residual")

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        out = self.block(x)
        skip = x if self.shortcut is None else self.shortcut(x)
        if out.shape != skip.shape:
            raise ValueError(f"Residual: the block gives shape {out.shape} but the shortcut "
                             f"{skip.shape}; give a shortcut that matches, e.g. "
                             f"Conv2d({skip.shape[1]}, {out.shape[1]}, 1, stride=...)")
        return out + skip

    def extra_repr(self) -> str:
        return "shortcut=identity" if self.shortcut is None else ""


class Concat(Module):
    """The branches applied to the same input, joined along ``axis`` (channels by default):
    GoogLeNet's inception block runs 1x1, 3x3, 5x5 and pooling branches side by side."""

    def __init__(self, *branches: Module, axis: int = 1) -> None:
        if not branches:
            raise ValueError("Concat needs at least one branch")
        self.branches = [_named(b, f"branch {i}", "Concat") for i, b in enumerate(branches)]
        self.axis = axis

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        outs = [branch(x) for branch in self.branches]
        others = [tuple(s for i, s in enumerate(o.shape) if i != self.axis % o.ndim)
                  for o in outs]
        if len(set(others)) > 1:
            raise ValueError(f"Concat along axis {self.axis}: the branches give shapes "
                             f"{[o.shape for o in outs]}, which differ on other axes; give "
                             f"each branch padding that keeps the image size")
        return concatenate(outs, axis=self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class ChannelShuffle(Module):
    """Channels regrouped so each group of the next grouped convolution sees every group
    of the last: (N, g·k, H, W) viewed as (N, g, k, H, W), swapped to (N, k, g, H, W)."""

    def __init__(self, groups: int) -> None:
        if isinstance(groups, bool) or not isinstance(groups, int) or groups < 1:
            raise ValueError(f"groups must be a whole number >= 1, got {groups!r}")
        self.groups = groups

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        if x.ndim != 4 or x.shape[1] % self.groups:
            raise ValueError(f"ChannelShuffle({self.groups}) needs images (N, C, H, W) with C "
                             f"divisible by {self.groups}, got {x.shape}; change groups")
        n, c, h, w = x.shape
        g = self.groups
        return x.reshape(n, g, c // g, h, w).transpose(0, 2, 1, 3, 4).reshape(n, c, h, w)

    def extra_repr(self) -> str:
        return f"groups={self.groups}"
