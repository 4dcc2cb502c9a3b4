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


def roc_curve(scores: Any, positive: Any) -> tuple[np.ndarray, np.ndarray]:
    """(false-positive rates, true-positive rates) as the threshold on ``scores`` falls
    from above the largest score to the smallest: "positive when score >= threshold".

    Tied scores move together (one step of the curve), so the curve does not depend on
    the order of equal scores.

    >>> fpr, tpr = roc_curve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
    >>> fpr.tolist(), tpr.tolist()
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0])
    """
    scores = np.asarray(scores, dtype=float).ravel()
    positive = np.asarray(positive).ravel().astype(bool)
    if len(scores) != len(positive):
        raise ValueError(f"roc_curve: {len(scores)} scores but {len(positive)} labels")
    if positive.all() or not positive.any():
        raise ValueError("roc_curve needs both positive and negative samples")
    order = np.argsort(-scores, kind="stable")
    scores, positive = scores[order], positive[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(scores)), len(scores) - 1]
    tp = np.cumsum(positive)[last_of_tie]
    fp = (last_of_tie + 1) - tp
    return (np.r_[0.0, fp / (~positive).sum()], np.r_[0.0, tp / positive.sum()])


def roc_auc(scores: Any, positive: Any) -> float:
    """Area under the ROC curve: the chance that a random positive sample scores higher
    than a random negative one (ties count one half). 0.5 is guessing, 1.0 perfect.

    >>> roc_auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
    0.75
    """
    fpr, tpr = roc_curve(scores, positive)
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
