"""Checking what ``fit``, ``evaluate`` and ``predict`` are given, before any work starts.

Each bad input gets an error that names the value or shape and says what to do, instead
of a numpy error from deep inside (``setting an array element with a sequence``).

    >>> check_data([[0, 1], [1, 0]], [1, 0], "fit")[0].dtype
    dtype('float64')
    >>> try:
    ...     check_data([[0, 1], [1]], [1, 0], "fit")
    ... except ValueError as error:
    ...     print(str(error)[:44])
    fit: x is ragged: row 0 has 2 entries but ro
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor

from .arguments import is_real, is_whole
from .callbacks import Callback


def check_model(model: Any, who: str) -> None:
    if not callable(model) or isinstance(model, np.ndarray):
        shape = f" of shape {np.shape(model)}" if hasattr(model, "shape") else ""
        raise TypeError(f"{who}(model, x, y, ...): the first argument must be the model, got "
                        f"a {type(model).__name__}{shape}; in Keras's form call "
                        f"model.{who}(x, y, ...)")


def _numbers(data: Any, who: str, what: str) -> np.ndarray:
    """``data`` as a numeric array, or an error naming what is wrong with it."""
    if data is None:
        raise TypeError(f"{who}: {what} is None; pass the {what} as an array "
                        f"(one row per sample)")
    if isinstance(data, Tensor):
        data = data.data
    try:
        array = np.asarray(data)
    except ValueError:  # numpy refuses ragged nested lists: described below
        array = None
    if array is None or array.dtype == object:
        lengths = [len(row) if hasattr(row, "__len__") else 1 for row in data]
        odd = next((i for i, n in enumerate(lengths) if n != lengths[0]), None)
        if odd is not None:
            raise ValueError(f"{who}: {what} is ragged: row 0 has {lengths[0]} entries but "
                             f"row {odd} has {lengths[odd]}; every sample needs the same shape")
        array = np.asarray(data, dtype=object)
    if array.dtype.kind not in "biuf":
        first = array.ravel()[0].item() if array.size else None
        raise TypeError(f"{who}: {what} must hold numbers, got dtype {array.dtype} "
                        f"(first entry {first!r:.40}); convert it, e.g. np.asarray(x, float)")
    if array.ndim == 0:
        raise ValueError(f"{who}: {what} is a single number ({array.item()!r}); pass one "
                         f"{'row' if what == 'x' else 'target'} per sample")
    return array


def check_inputs(X: Any, who: str) -> np.ndarray:
    """The inputs as a float array with at least one row."""
    X = _numbers(X, who, "x")
    if len(X) == 0:
        raise ValueError(f"{who}: x has no rows (shape {X.shape}); pass at least one sample")
    # float32 stays float32 (a float32 model runs at float32 speed)
    return X if X.dtype.kind == "f" else X.astype(np.float64)


def check_data(X: Any, y: Any, who: str) -> tuple[np.ndarray, np.ndarray]:
    """Inputs and targets as arrays of the same length, or an error saying what differs."""
    X = check_inputs(X, who)
    y = _numbers(y, who, "y")
    if y.dtype.kind == "b":
        y = y.astype(float)
    if len(X) != len(y):
        raise ValueError(f"{who}: X has {len(X)} samples but y has {len(y)}; give one target "
                         f"per sample")
    return X, y


def split_validation(X: np.ndarray, y: np.ndarray, split: Any, data: Any
                ) -> tuple[np.ndarray, np.ndarray, tuple | None]:
    """(X, y, validation pair): ``validation_data`` checked, or the last ``split`` of the
    rows held out before any shuffling (as Keras)."""
    if not is_real(split) or not 0 <= split < 1:
        raise ValueError(f"validation_split must be a fraction in [0, 1), got {split!r}")
    if data is not None:
        if split:
            raise ValueError("give validation_data or validation_split, not both")
        if not isinstance(data, (tuple, list)) or len(data) != 2:
            raise TypeError(f"validation_data must be a pair (x_val, y_val), got "
                            f"{type(data).__name__} {data!r:.60}")
        return X, y, check_data(*data, "fit (validation_data)")
    if not split:
        return X, y, None
    cut = int(len(X) * (1 - split))
    if cut == 0 or cut == len(X):
        raise ValueError(f"validation_split={split} of {len(X)} samples leaves "
                         f"{'no training' if cut == 0 else 'no validation'} rows; "
                         f"use more samples or another fraction")
    return X[:cut], y[:cut], (X[cut:], y[cut:])


def check_callbacks(callbacks: Any) -> list[Callback]:
    if callbacks is None:
        return []
    if isinstance(callbacks, Callback):
        callbacks = [callbacks]
    callbacks = list(callbacks)
    for i, callback in enumerate(callbacks):
        if not isinstance(callback, Callback):
            raise TypeError(f"callbacks[{i}] is {callback!r:.60}, not a callback; pass "
                            f"objects such as nn.EarlyStopping(patience=3) (a class needs "
                            f"its parentheses), or subclass nn.Callback")
    return callbacks


def check_epochs(epochs: Any) -> int:
    if not is_whole(epochs) or epochs < 1:
        raise ValueError(f"epochs must be a whole number >= 1, got {epochs!r}")
    return int(epochs)
