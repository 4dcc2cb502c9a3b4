"""Keras's cross-entropies, with Keras's meaning: they take probabilities.

``categorical_crossentropy``, ``sparse_categorical_crossentropy`` and
``binary_crossentropy`` expect the output of a softmax or sigmoid layer, as in Keras.
``nn.cross_entropy`` takes logits; mapping a Keras name onto it would apply softmax twice
and still "train", only worse. With ``from_logits=True`` each one is the stable logit
form (``cross_entropy``, ``binary_cross_entropy_with_logits``).

As Keras, probabilities are first clipped to [ε, 1 − ε] with ε = 1e-7 (so a confident
mistake costs ln(1e7) ≈ 16.1, not infinity), and categorical rows are rescaled to sum to 1:

    categorical:  −(1/N) Σ_rows Σ_k y_k · ln p_k
    binary:       −(1/N) Σ_rows mean_k [y·ln p + (1 − y)·ln(1 − p)]

    >>> import numpy as np
    >>> from autograd import Tensor
    >>> p = Tensor(np.array([[0.7, 0.2, 0.1]]))
    >>> round(float(categorical_crossentropy(p, [[1, 0, 0]]).data), 4)   # −ln 0.7
    0.3567
    >>> round(float(sparse_categorical_crossentropy(p, [1]).data), 4)    # −ln 0.2
    1.6094
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Value, sum_values

from . import losses

EPSILON = 1e-7  # Keras's backend.epsilon()


def _check_probabilities(data: np.ndarray, who: str) -> None:
    outside = data[(data < 0) | (data > 1) | np.isnan(data)]
    if outside.size:
        raise ValueError(f"{who}: the model's output holds {outside[0]:g}, which is not a "
                         f"probability; as in Keras this loss takes the output of a "
                         f"softmax/sigmoid layer: add activation='softmax' (or 'sigmoid') "
                         f"to the last layer, or pass from_logits=True")


def _as_rows(pred: Any, who: str) -> Any:
    """A Tensor as is; Value predictions as a list of rows of Values."""
    if losses._is_tensor(pred):
        return pred
    return losses._value_rows(pred, who)


def categorical_crossentropy(pred: Any, target: Any, from_logits: bool = False) -> Any:
    """Keras's categorical cross-entropy: one-hot (or soft) target rows, probability rows."""
    return _categorical(pred, target, from_logits, "categorical_crossentropy", sparse=False)


def sparse_categorical_crossentropy(pred: Any, target: Any, from_logits: bool = False) -> Any:
    """Keras's sparse categorical cross-entropy: integer class labels, probability rows."""
    return _categorical(pred, target, from_logits, "sparse_categorical_crossentropy",
                        sparse=True)


def _categorical(pred: Any, target: Any, from_logits: bool, who: str, sparse: bool) -> Any:
    goal = losses._target_array(target)
    rows = _as_rows(pred, who)
    n_rows = rows.shape[0] if losses._is_tensor(rows) and len(rows.shape) else len(rows)
    if sparse and goal.ndim == 2 and goal.shape[1] > 1:
        raise ValueError(f"{who}: got one-hot targets of shape {goal.shape}; it takes class "
                         f"labels of shape (N,); use categorical_crossentropy for one-hot rows")
    if sparse and goal.ndim == 2 and goal.shape[1] == 1:
        goal = goal.reshape(-1)  # (N, 1) labels, as Keras accepts
    if not sparse and goal.ndim == 1 and n_rows == 1:
        goal = goal.reshape(1, -1)  # one sample's one-hot row
    if not sparse and (goal.ndim != 2 or goal.shape[1] < 2):
        raise ValueError(f"{who}: targets of shape {goal.shape} are not one-hot rows; use "
                         f"sparse_categorical_crossentropy for class labels, or "
                         f"nn.one_hot(labels)")
    if from_logits:
        return losses.cross_entropy(pred, goal)
    if losses._is_tensor(rows):
        if len(rows.shape) != 2:
            raise ValueError(f"{who}: predictions must be (batch, classes), got shape "
                             f"{tuple(rows.shape)}")
        _check_probabilities(np.asarray(rows.data), who)
        n_rows, n_classes = rows.shape
        onehot, _ = losses._class_targets(goal, n_rows, n_classes)
        p = (rows / rows.sum(axis=1, keepdims=True)).clip(EPSILON, 1 - EPSILON)
        return -(p.log() * losses._in_dtype_of(rows, onehot)).sum() * (1.0 / n_rows)
    n_classes = len(rows[0])
    _check_probabilities(np.array([[v.data for v in row] for row in rows]), who)
    onehot, _ = losses._class_targets(goal, len(rows), n_classes)
    terms = []
    for row, weights in zip(rows, onehot.tolist(), strict=True):
        total = sum_values(row)
        picked = [-w * _clipped(v / total).log() for w, v in zip(weights, row) if w]
        terms.append(sum_values(picked) if picked else Value(0.0, role="constant"))
    return losses._mean(terms)


def _clipped(p: Value) -> Value:
    # a clipped probability is a constant: its slope is 0, as Keras's clip gives
    if p.data < EPSILON:
        return Value(EPSILON, role="constant")
    if p.data > 1 - EPSILON:
        return Value(1 - EPSILON, role="constant")
    return p


def binary_crossentropy(pred: Any, target: Any, from_logits: bool = False) -> Any:
    """Keras's binary cross-entropy of probabilities (sigmoid outputs), clipped to [ε, 1 − ε]."""
    if from_logits:
        return losses.binary_cross_entropy_with_logits(pred, target)
    who = "binary_crossentropy"
    if losses._is_tensor(pred):
        goal = losses._check_tensor_target(pred, losses._target_array(target), who)
        losses._check_binary(goal, who)
        _check_probabilities(np.asarray(pred.data), who)
        p = pred.clip(EPSILON, 1 - EPSILON)
        return -(p.log() * goal + (1.0 - p).log() * (1.0 - goal)).mean()
    flat, goal = losses._pairs(pred, target, who)
    losses._check_binary(goal, who)
    _check_probabilities(np.array([v.data for v in flat]), who)
    terms = []
    for v, y in zip(flat, goal, strict=True):
        p = _clipped(v)
        terms.append(-(y * p.log() + (1.0 - y) * (1.0 - p).log()))
    return losses._mean(terms)


class _KerasLoss:
    """A loss with its ``from_logits`` setting, as Keras's loss classes."""

    function: Any = None

    def __init__(self, from_logits: bool = False) -> None:
        self.from_logits = bool(from_logits)
        self.__name__ = self.function.__name__

    def __call__(self, pred: Any, target: Any) -> Any:
        return type(self).function(pred, target, from_logits=self.from_logits)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(from_logits={self.from_logits})"


class CategoricalCrossentropy(_KerasLoss):
    """``CategoricalCrossentropy(from_logits=True)``: Keras's class form, for ``compile``."""

    function = staticmethod(categorical_crossentropy)


class SparseCategoricalCrossentropy(_KerasLoss):
    """``SparseCategoricalCrossentropy(from_logits=True)``: labels, for ``compile``."""

    function = staticmethod(sparse_categorical_crossentropy)


class BinaryCrossentropy(_KerasLoss):
    """``BinaryCrossentropy(from_logits=True)``: one output per row, for ``compile``."""

    function = staticmethod(binary_crossentropy)
