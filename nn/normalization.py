"""Batch normalisation of images: ``BatchNorm2d``.

Each channel is one feature: its mean and variance are taken over the batch and every
position (N·H·W numbers): ``BatchNorm1d``'s layer with other axes, computed by the same
``batch_norm`` rule of ``autograd`` (its gradient in closed form, one node per layer).

    >>> import numpy as np
    >>> from nn import BatchNorm2d
    >>> x = np.random.default_rng(0).normal(5.0, 3.0, (8, 2, 4, 4))
    >>> y = BatchNorm2d(2)(x).data
    >>> np.round(y.mean(axis=(0, 2, 3)), 6) + 0, np.round(y.std(axis=(0, 2, 3)), 3)
    (array([0., 0.]), array([1., 1.]))
"""

from __future__ import annotations

from autograd import Tensor

from .layers import BatchNorm1d


class BatchNorm2d(BatchNorm1d):
    """x̂ = (x − μ_c) / sqrt(σ²_c + ε), y = γ_c·x̂ + β_c, per channel c over (N, H, W).

    Training uses the batch's statistics and updates the running averages
    (running ← (1 − momentum)·running + momentum·batch, the variance stored unbiased with
    n = N·H·W, as PyTorch); ``model.eval()`` uses the running statistics, and so does a
    frozen layer.
    """

    axes = (0, 2, 3)

    def check(self, x: Tensor) -> None:
        """A ValueError unless x is a batch of images of ``num_features`` channels."""
        if x.ndim != 4 or x.shape[1] != self.num_features:
            hint = (" (a 2-D input is a batch of feature vectors: use BatchNorm1d)"
                    if x.ndim == 2 else "")
            raise ValueError(f"BatchNorm2d expects images of shape (N, {self.num_features}, "
                             f"H, W), got {x.shape}{hint}; change num_features or the input")
