"""Metrics: numbers for people (accuracy), computed on plain arrays, never differentiated.

    >>> import numpy as np
    >>> accuracy(np.array([[2.0, 1.0], [0.0, 3.0]]), np.array([0, 0]))
    0.5
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def predicted_classes(outputs: Any, threshold: float = 0.5) -> np.ndarray:
    """Class of each output row: argmax of several scores, or score > threshold for one."""
    outputs = np.asarray(outputs, dtype=float)
    if outputs.ndim == 2 and outputs.shape[1] > 1:
        return outputs.argmax(axis=1)
    return (outputs.reshape(len(outputs), -1)[:, 0] > threshold).astype(int)


def accuracy(outputs: Any, targets: Any, threshold: float = 0.5) -> float:
    """Share of rows whose predicted class equals the target class.

    Several outputs per row: the class is the argmax (logits or probabilities alike).
    One output per row: class 1 when output > ``threshold`` (0.5 for probabilities, 0
    for logits or ±1 scores). Targets may be labels, one-hot rows, or ±1.
    """
    outputs = np.asarray(outputs, dtype=float)
    targets = np.asarray(targets, dtype=float)
    if len(outputs) != len(targets):
        raise ValueError(f"accuracy: {len(outputs)} outputs but {len(targets)} targets")
    predicted = predicted_classes(outputs, threshold)
    if targets.ndim == 2 and targets.shape[1] > 1:
        wanted = targets.argmax(axis=1)
    else:
        wanted = targets.reshape(len(targets))
        if np.any(wanted < 0):  # ±1 labels
            wanted = (wanted > 0).astype(int)
    return float(np.mean(predicted == wanted))


METRICS: dict[str, Callable[..., float]] = {"accuracy": accuracy}
