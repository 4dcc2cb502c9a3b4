"""Rosenblatt's perceptron: a weighted sum and a step, trained by the perceptron rule.

    ŷ = step(w·x + b)          step(s) = 1 if s > 0 else 0
    w ← w + η·(y − ŷ)·x        b ← b + η·(y − ŷ)

The step is flat on both sides of 0, so its derivative is 0 wherever it exists and
backpropagation has nothing to pass on; the perceptron rule moves the weights by the
error itself. It finds a separating line whenever one exists (AND, OR, NAND) and never
settles when none does (XOR).

    >>> from nn import Perceptron
    >>> from nn.datasets import logic_gate
    >>> X, y = logic_gate("and")
    >>> p = Perceptron(2)
    >>> errors = p.fit(X, y, epochs=20)
    >>> p.predict(X).tolist(), errors[-1]
    ([0, 0, 0, 1], 0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Value, dot, no_grad

from .arguments import is_real, is_whole
from .module import Module
from .scalar_layers import as_inputs


class Perceptron(Module):
    """One unit: ``step(Σ w_i·x_i + b)``; weights start at 0 (any start works).

    The one Module whose ``fit`` and ``predict`` are not Keras's: ``fit(X, y, epochs, lr)``
    runs the perceptron rule (there is no gradient to descend) and returns the errors
    per epoch; ``predict`` gives 0/1 classes.
    """

    activation = "step"  # named as Neuron names its own (draw_network reads it)

    def __init__(self, nin: int) -> None:
        if not is_whole(nin) or nin < 1:
            raise ValueError(f"Perceptron needs a whole number of inputs >= 1, got {nin!r}")
        self.w = [Value(0.0, label=f"w{i}", role="parameter") for i in range(nin)]
        self.b = Value(0.0, label="b", role="parameter")

    def forward(self, x: Sequence[Any]) -> Value:
        return dot(self.w, as_inputs(x, len(self.w), "Perceptron"), self.b).step()

    def predict(self, X: Any) -> np.ndarray:
        """0/1 output for each row of X."""
        with no_grad():
            return np.array([int(self(row).data) for row in _rows(X, len(self.w))])

    def fit(self, X: Any, y: Any, epochs: int = 20, lr: float = 1.0) -> list[int]:
        """Apply the perceptron rule row by row; returns the mistakes made in each epoch.

        Stops after the first epoch without a mistake: from then on nothing changes.
        """
        rows = _rows(X, len(self.w))
        targets = np.asarray(y, dtype=float).ravel().tolist()  # floats, not numpy scalars
        if len(targets) != len(rows):
            raise ValueError(f"Perceptron.fit: {len(rows)} rows of X but {len(targets)} targets")
        if not np.all(np.isin(targets, (0.0, 1.0))):
            raise ValueError(f"Perceptron.fit: targets must be 0 or 1, got "
                             f"{sorted(set(targets) - {0.0, 1.0})}")
        if not is_real(lr) or not lr > 0:
            raise ValueError(f"lr must be a number > 0, got {lr!r}")
        if not is_whole(epochs) or epochs < 1:
            raise ValueError(f"epochs must be a whole number >= 1, got {epochs!r}")
        errors = []
        for _ in range(epochs):
            mistakes = 0
            for row, target in zip(rows, targets, strict=True):
                with no_grad():
                    error = target - self(row).data  # -1, 0 or +1
                if error:
                    mistakes += 1
                    for w, x in zip(self.w, row, strict=True):
                        w.data += lr * error * x
                    self.b.data += lr * error
            errors.append(mistakes)
            if mistakes == 0:
                break
        return errors

    def __repr__(self) -> str:
        return f"Perceptron({len(self.w)})"


def _rows(X: Any, width: int) -> list[list[float]]:
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[None, :]
    if X.ndim != 2 or X.shape[1] != width:
        raise ValueError(f"Perceptron expects rows of {width} inputs, got shape {X.shape}")
    return X.tolist()
