"""Batch normalisation of images: ``BatchNorm2d``.

Each channel is one feature: its mean and variance are taken over the batch and every
position (N·H·W numbers), exactly ``BatchNorm1d``'s maths on the channels, so this layer
hands the work to it with the channels as the last axis.

    >>> import numpy as np
    >>> from nn import BatchNorm2d
    >>> x = np.random.default_rng(0).normal(5.0, 3.0, (8, 2, 4, 4))
    >>> y = BatchNorm2d(2)(x).data
    >>> np.round(y.mean(axis=(0, 2, 3)), 6) + 0, np.round(y.std(axis=(0, 2, 3)), 3)
    (array([0., 0.]), array([1., 1.]))
"""

from __future__ import annotations

from typing import Any

from autograd import Tensor

from .layers import BatchNorm1d, as_tensor


class BatchNorm2d(BatchNorm1d):
    """x̂ = (x − μ_c) / sqrt(σ²_c + ε), y = γ_c·x̂ + β_c, per channel c over (N, H, W).

    Training uses the batch's statistics and updates the running averages
    (running ← (1 − momentum)·running + momentum·batch, the variance stored unbiased with
    n = N·H·W, as PyTorch); ``model.eval()`` uses the running statistics.
    """

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x, self.weight.dtype)
        if x.ndim != 4 or x.shape[1] != self.num_features:
            hint = (" (a 2-D input is a batch of feature vectors: use BatchNorm1d)"
                    if x.ndim == 2 else "")
            raise ValueError(f"BatchNorm2d expects images of shape (N, {self.num_features}, "
                             f"H, W), got {x.shape}{hint}; change num_features or the input")
        n, c, h, w = x.shape
        rows = x.transpose(0, 2, 3, 1).reshape(n * h * w, c)  # one row per position
        return super().forward(rows).reshape(n, h, w, c).transpose(0, 3, 1, 2)
