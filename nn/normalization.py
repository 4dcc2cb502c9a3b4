"""Batch normalisation of images: ``BatchNorm2d``.

Each channel is one feature: its mean and variance are taken over the batch and every
position (N·H·W numbers): ``BatchNorm1d``'s maths per channel, computed by the one
``batch_norm`` rule of ``autograd`` (its gradient in closed form, one node per layer).

    >>> import numpy as np
    >>> from nn import BatchNorm2d
    >>> x = np.random.default_rng(0).normal(5.0, 3.0, (8, 2, 4, 4))
    >>> y = BatchNorm2d(2)(x).data
    >>> np.round(y.mean(axis=(0, 2, 3)), 6) + 0, np.round(y.std(axis=(0, 2, 3)), 3)
    (array([0., 0.]), array([1., 1.]))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor
from autograd.batch_norm import batch_norm

from .layers import BatchNorm1d, as_tensor


class BatchNorm2d(BatchNorm1d):
    """x̂ = (x − μ_c) / sqrt(σ²_c + ε), y = γ_c·x̂ + β_c, per channel c over (N, H, W).

    Training uses the batch's statistics and updates the running averages
    (running ← (1 − momentum)·running + momentum·batch, the variance stored unbiased with
    n = N·H·W, as PyTorch); ``model.eval()`` uses the running statistics, and so does a
    frozen layer.
    """

    @property
    def _frozen(self) -> bool:
        """Frozen (``trainable = False``, or γ and β want no gradient): the layer then runs
        in inference mode even in training, as Keras's, so its statistics stay put."""
        return (not getattr(self, "trainable", True)
                or not (self.weight.requires_grad or self.bias.requires_grad))

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x, self.weight.dtype)
        if x.ndim != 4 or x.shape[1] != self.num_features:
            hint = (" (a 2-D input is a batch of feature vectors: use BatchNorm1d)"
                    if x.ndim == 2 else "")
            raise ValueError(f"BatchNorm2d expects images of shape (N, {self.num_features}, "
                             f"H, W), got {x.shape}{hint}; change num_features or the input")
        if not self.training or self._frozen:
            scale = (1.0 / np.sqrt(self.running_var + self.eps)).reshape(-1, 1, 1)
            shift = self.running_mean.reshape(-1, 1, 1)
            weight, bias = self.weight.reshape(-1, 1, 1), self.bias.reshape(-1, 1, 1)
            return (x - shift.astype(x.dtype)) * scale.astype(x.dtype) * weight + bias
        count = x.size // self.num_features
        if count < 2:
            raise ValueError("BatchNorm2d in training mode needs 2 or more numbers per channel "
                             f"(got input {x.shape}); use model.eval()")
        stats: dict = {}
        y = batch_norm(x, self.weight, self.bias, axes=(0, 2, 3), eps=self.eps, stats=stats)
        m = self.momentum
        self.running_mean = (1 - m) * self.running_mean + m * stats["mean"]
        self.running_var = (1 - m) * self.running_var + m * stats["var"] * count / (count - 1)
        return y
