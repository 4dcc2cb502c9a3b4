"""Loss functions: one number that says how wrong the predictions are.

Every loss works on ``Value`` predictions (a Value, a list of Values for one sample or
a batch of scalars, or a list of such lists for a batch) and on ``Tensor`` predictions
(first axis = batch), and returns a scalar node of the same kind, built from the engine's
operations so ``loss.backward()`` needs no hand-written derivative. Targets are plain
numbers or arrays. Batches are averaged (PyTorch's ``reduction="mean"``).

    >>> from autograd import Value
    >>> from nn.losses import mse
    >>> mse([Value(1.0), Value(3.0)], [0.0, 1.0]).data     # ((1-0)² + (3-1)²) / 2
    2.5
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Value, sum_values
from autograd import cross_entropy as fused_cross_entropy

# log(p) is clamped at -100 for p ~ 0, as PyTorch's binary_cross_entropy does, so one
# confident mistake gives a large finite loss instead of an infinite one.
_LOG_FLOOR = -100.0


def _is_tensor(x: Any) -> bool:
    return not isinstance(x, Value) and hasattr(x, "shape") and hasattr(x, "backward")


def _target_array(target: Any) -> np.ndarray:
    if target is None:  # np.asarray(None, dtype=float) is nan: a loss of nan, silently
        raise TypeError("the targets are None; pass the true outputs (numbers or an array)")
    if isinstance(target, Value):
        return np.array(target.data)
    if _is_tensor(target):
        return np.asarray(target.data, dtype=float)
    if isinstance(target, (list, tuple)):
        target = [t.data if isinstance(t, Value) else t for t in target]
        if target and isinstance(target[0], (list, tuple, np.ndarray)):
            target = [[t.data if isinstance(t, Value) else t for t in row] for row in target]
    return np.asarray(target, dtype=float)


def _value_rows(pred: Any, who: str) -> list[list[Value]]:
    """Value predictions as rows: a Value -> [[v]], [v, ...] -> [[v, ...]], rows stay."""
    if isinstance(pred, Value):
        return [[pred]]
    pred = list(pred)
    if not pred:
        raise ValueError(f"{who}: got no predictions")
    if all(isinstance(p, Value) for p in pred):
        return [pred]
    rows = []
    for row in pred:
        row = [row] if isinstance(row, Value) else list(row)
        if not all(isinstance(p, Value) for p in row):
            raise TypeError(f"{who}: predictions must be Values (or a Tensor), got {row!r:.80}")
        rows.append(row)
    return rows


def _pairs(pred: Any, target: Any, who: str) -> tuple[list[Value], list[float]]:
    """Value predictions and targets flattened side by side, with sizes checked."""
    flat = [v for row in _value_rows(pred, who) for v in row]
    goal = _target_array(target).ravel()
    if goal.size != len(flat):
        raise ValueError(f"{who}: {len(flat)} predictions but {goal.size} targets; "
                         f"give one target per output")
    return flat, goal.tolist()


def _check_tensor_target(pred: Any, target: np.ndarray, who: str) -> np.ndarray:
    if target.shape != tuple(pred.shape):
        # (N,) targets for (N, 1) outputs differ only by axes of length 1; any other
        # reshape (e.g. (3, 2) targets onto (2, 3) outputs) would pair the wrong numbers.
        if _without_ones(target.shape) == _without_ones(pred.shape):
            return _in_dtype_of(pred, target.reshape(pred.shape))
        raise ValueError(f"{who}: predictions of shape {tuple(pred.shape)} but targets of "
                         f"shape {target.shape}")
    return _in_dtype_of(pred, target)


def _in_dtype_of(pred: Any, target: np.ndarray) -> np.ndarray:
    # float64 targets would lift a float32 model's loss (and its backward) to float64
    return target.astype(pred.dtype, copy=False) if pred.dtype.kind == "f" else target


def _without_ones(shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(n for n in shape if n != 1)


def _mean(terms: list[Value]) -> Value:
    return sum_values(terms) * (1.0 / len(terms))


def mse(pred: Any, target: Any) -> Any:
    """Mean squared error: (1/n) Σ (ŷ − y)².

    >>> from autograd import Value
    >>> mse(Value(0.5), 1.0).data
    0.25
    """
    if _is_tensor(pred):
        goal = _check_tensor_target(pred, _target_array(target), "mse")
        return ((pred - goal) ** 2).mean()
    flat, goal = _pairs(pred, target, "mse")
    return _mean([(p - t) ** 2 for p, t in zip(flat, goal, strict=True)])


def mae(pred: Any, target: Any) -> Any:
    """Mean absolute error: (1/n) Σ |ŷ − y| (gradient ±1/n: robust to outliers).

    >>> from autograd import Value
    >>> mae([Value(0.5), Value(3.0)], [1.0, 1.0]).data
    1.25
    """
    if _is_tensor(pred):
        goal = _check_tensor_target(pred, _target_array(target), "mae")
        return (pred - goal).abs().mean()
    flat, goal = _pairs(pred, target, "mae")
    return _mean([abs(p - t) for p, t in zip(flat, goal, strict=True)])


def _check_binary(goal: Any, who: str) -> None:
    goal = np.asarray(goal, dtype=float)
    bad = goal[(goal < 0) | (goal > 1)]
    if bad.size:
        raise ValueError(f"{who}: targets must be probabilities in [0, 1], got {bad[0]:g}")


def _safe_log(p: Value) -> Value:
    return p.log() if p.data > math.exp(_LOG_FLOOR) else Value(_LOG_FLOOR, role="constant")


def binary_cross_entropy(prob: Any, target: Any) -> Any:
    """−(1/n) Σ [y·ln p + (1 − y)·ln(1 − p)], for probabilities p (after a sigmoid).

    ln p is clamped at −100 where p underflows to 0. A sigmoid followed by this loss
    loses precision for large logits; prefer ``binary_cross_entropy_with_logits``.

    >>> from autograd import Value
    >>> round(binary_cross_entropy(Value(0.8), 1.0).data, 4)      # −ln 0.8
    0.2231
    """
    if _is_tensor(prob):
        goal = _check_tensor_target(prob, _target_array(target), "binary_cross_entropy")
        _check_binary(goal, "binary_cross_entropy")
        outside = prob.data[(prob.data < 0) | (prob.data > 1)]
        if outside.size:
            raise ValueError(f"binary_cross_entropy: {outside[0]:g} is not a probability; "
                             f"apply sigmoid first, or use binary_cross_entropy_with_logits")
        floor = math.exp(_LOG_FLOOR)  # ln clamped at -100, as for Values
        return -(prob.clip(low=floor).log() * goal
                 + (1.0 - prob).clip(low=floor).log() * (1.0 - goal)).mean()
    flat, goal = _pairs(prob, target, "binary_cross_entropy")
    _check_binary(goal, "binary_cross_entropy")
    terms = []
    for p, y in zip(flat, goal, strict=True):
        if not 0 <= p.data <= 1:
            raise ValueError(f"binary_cross_entropy: {p.data:g} is not a probability; apply "
                             f"sigmoid first, or use binary_cross_entropy_with_logits")
        term = None
        if y != 0:
            term = y * _safe_log(p)
        if y != 1:
            rest = (1.0 - y) * _safe_log(1.0 - p)
            term = rest if term is None else term + rest
        terms.append(-term)
    return _mean(terms)


def _softplus(z: Any) -> Any:
    """ln(1 + e^z) without overflow, smooth at 0.

    For z > 0 it is written z + ln(1 + e^−z), else ln(1 + e^z): the same function, so
    the gradient is exact everywhere, and the exponent is never positive. (The common
    relu(z) + ln(1 + e^−|z|) gets the gradient at exactly z = 0 wrong: relu and |·|
    each take slope 0 there.)
    """
    if isinstance(z, Value):
        if z.data > 0:
            return z + (1.0 + (-z).exp()).log()
        return (1.0 + z.exp()).log()
    positive = (z.data > 0).astype(z.dtype)  # a constant mask, not in the graph
    # m·z + ln(1 + e^{z·(1 − 2m)}): for m = 1 the exponent is −z, for m = 0 it is z.
    return z * positive + (1.0 + (z * (1.0 - 2.0 * positive)).exp()).log()


def binary_cross_entropy_with_logits(logits: Any, target: Any) -> Any:
    """Binary cross-entropy of σ(z), computed from the logit z directly and stably:

        −[y·ln σ(z) + (1 − y)·ln(1 − σ(z))] = softplus(z) − y·z

    Gradient σ(z) − y, finite for any z (even ±1000).

    >>> from autograd import Value
    >>> round(binary_cross_entropy_with_logits(Value(1000.0), 0.0).data, 3)
    1000.0
    """
    if _is_tensor(logits):
        goal = _check_tensor_target(logits, _target_array(target),
                                    "binary_cross_entropy_with_logits")
        _check_binary(goal, "binary_cross_entropy_with_logits")
        return (_softplus(logits) - logits * goal).mean()
    flat, goal = _pairs(logits, target, "binary_cross_entropy_with_logits")
    _check_binary(goal, "binary_cross_entropy_with_logits")
    return _mean([_softplus(z) - z * y if y else _softplus(z)
                  for z, y in zip(flat, goal, strict=True)])


def _class_targets(target: Any, n_rows: int, n_classes: int
                   ) -> tuple[np.ndarray, np.ndarray | None]:
    """(rows, labels): the targets as (n_rows, n_classes) probability rows, and as integer
    labels when they were given as labels (None for one-hot or soft rows)."""
    goal = _target_array(target)
    if goal.ndim == 2 or (goal.ndim == 1 and n_rows == 1 and goal.size == n_classes > 1
                          and np.all((goal == 0) | (goal == 1)) and goal.sum() == 1):
        goal = goal.reshape(-1, n_classes) if goal.ndim == 1 else goal
        if goal.shape != (n_rows, n_classes):
            raise ValueError(f"cross_entropy: {n_rows} rows of {n_classes} logits but one-hot "
                             f"targets of shape {goal.shape}")
        if np.any(goal < 0):
            raise ValueError("cross_entropy: one-hot targets must be >= 0 (probabilities)")
        return goal, None
    labels = goal.reshape(-1)
    if labels.size != n_rows:
        raise ValueError(f"cross_entropy: {n_rows} rows of logits but {labels.size} targets")
    bad = np.flatnonzero((labels != np.round(labels)) | (labels < 0) | (labels >= n_classes))
    if bad.size:
        row = int(bad[0])
        raise ValueError(f"cross_entropy: target {labels[row]:g} (row {row}) is not a class "
                         f"label for {n_classes} classes; labels must be 0..{n_classes - 1}")
    labels = labels.astype(np.int64)
    rows = np.zeros((n_rows, n_classes))
    rows[np.arange(n_rows), labels] = 1.0
    return rows, labels


def _log_sum_exp(row: list[Value]) -> Value:
    # ln Σ e^z = m + ln Σ e^(z − m): the shift m = max z (a constant) keeps every
    # exponent <= 0, and changes neither the value nor the gradient.
    m = max(v.data for v in row)
    return sum_values((v - m).exp() for v in row).log() + m


def cross_entropy(logits: Any, target: Any) -> Any:
    """Softmax cross-entropy from raw scores (logits), as PyTorch's ``cross_entropy``.

        loss = (1/N) Σ_rows [ ln Σ_k e^{z_k} − Σ_k y_k·z_k ]  =  −(1/N) Σ y·ln softmax(z)

    ``target`` is integer class labels, shape (N,) — "sparse categorical" — or one-hot
    rows, shape (N, K) — "categorical". Stable for any logits (the log-sum-exp is
    shifted by the row maximum). Tensors with labels use the engine's fused
    ``autograd.cross_entropy`` (one node), with one-hot rows its ``log_softmax``. Give
    it the scores before softmax: the model's last layer stays linear.

    >>> from autograd import Value
    >>> z = [Value(2.0), Value(0.0), Value(0.0)]
    >>> round(cross_entropy(z, 0).data, 4), round(cross_entropy(z, [1, 0, 0]).data, 4)
    (0.2395, 0.2395)
    """
    if _is_tensor(logits):
        if len(logits.shape) != 2:
            raise ValueError(f"cross_entropy: logits must be (batch, classes), got shape "
                             f"{tuple(logits.shape)}")
        n_rows, n_classes = logits.shape
        goal, labels = _class_targets(target, n_rows, n_classes)
        if labels is not None:  # the engine's fused rule: one node, d/dz = (softmax - y) / N
            return fused_cross_entropy(logits, labels)
        goal = _in_dtype_of(logits, goal)
        return -(logits.log_softmax(axis=1) * goal).sum() * (1.0 / n_rows)
    rows = _value_rows(logits, "cross_entropy")
    n_classes = len(rows[0])
    if any(len(row) != n_classes for row in rows):
        raise ValueError("cross_entropy: every row of logits needs the same number of classes")
    if n_classes < 2:
        raise ValueError("cross_entropy needs at least 2 logits per row; for one output use "
                         "binary_cross_entropy_with_logits")
    goal, _ = _class_targets(target, len(rows), n_classes)
    terms = []
    for row, weights in zip(rows, goal.tolist(), strict=True):
        picked = [(w, z) for w, z in zip(weights, row, strict=True) if w]
        term = _log_sum_exp(row) * sum(weights)
        terms.append(term - sum_values(w * z for w, z in picked) if picked else term)
    return _mean(terms)


def hinge(scores: Any, target: Any) -> Any:
    """Hinge loss for labels y = ±1: (1/n) Σ max(0, 1 − y·s) (the SVM margin loss).

    Zero once a sample is on the right side with margin 1; otherwise slope −y.

    >>> from autograd import Value
    >>> hinge([Value(2.0), Value(0.5)], [1, 1]).data      # (0 + 0.5) / 2
    0.25
    """
    goal = _target_array(target)
    if not np.all(np.isin(goal, (-1.0, 1.0))):
        bad = goal[~np.isin(goal, (-1.0, 1.0))].ravel()[0]
        raise ValueError(f"hinge: targets must be -1 or +1, got {bad:g}; for 0/1 labels "
                         f"pass 2 * y - 1")
    if _is_tensor(scores):
        goal = _check_tensor_target(scores, goal, "hinge")
        return (1.0 - scores * goal).relu().mean()
    flat, goal = _pairs(scores, goal, "hinge")
    return _mean([(1.0 - s * y).relu() for s, y in zip(flat, goal, strict=True)])


LOSSES = {"mse": mse, "mae": mae, "binary_cross_entropy": binary_cross_entropy,
          "binary_cross_entropy_with_logits": binary_cross_entropy_with_logits,
          "cross_entropy": cross_entropy, "hinge": hinge}


def get(loss: Any) -> Any:
    """A loss by name (``"cross_entropy"``) or the function itself."""
    if callable(loss):
        return loss
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)} "
                         f"or pass a function (pred, target) -> scalar")
    return LOSSES[loss]


__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy",
           "hinge", "mae", "mse"]


