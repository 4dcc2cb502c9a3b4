"""Keras's names for losses, optimizers, initialisers and metrics, with Keras's meaning.

Names are case-insensitive and may be written as Keras's functions or classes
(``"categorical_crossentropy"``, ``"CategoricalCrossentropy"``, ``"SGD"``, ``"sgd"``).
Keras's cross-entropies take probabilities (see ``nn.keras_losses``); optimizers get
Keras's default settings:

    =========  ==============================================
    sgd        SGD(lr=0.01)
    adam       Adam(lr=0.001, eps=1e-7)
    rmsprop    RMSprop(lr=0.001, alpha=0.9 (Keras's rho), eps=1e-7)
    adamw      AdamW(lr=0.001, weight_decay=0.004, eps=1e-7)
    =========  ==============================================

Keras draws its ``*_normal`` initialisers from a truncated normal; here they are a plain
normal of the same standard deviation.

    >>> get_loss("CategoricalCrossentropy").__name__
    'categorical_crossentropy'
    >>> import numpy as np
    >>> from nn.layers import parameter
    >>> opt = get_optimizer("Adam", [parameter(np.zeros(1), "w")]); opt.lr, opt.eps
    (0.001, 1e-07)
    >>> name_of(opt)
    'adam'
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from . import init, losses
from .keras_losses import (
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)
from .metrics import accuracy
from .optim import SGD, Adam, AdamW, Optimizer, RMSprop


def key(name: str) -> str:
    """The form names are compared in: lower case, no underscores or spaces.

    >>> key("Mean_Squared_Error") == key("MeanSquaredError")
    True
    """
    return name.replace("_", "").replace(" ", "").lower()


LOSSES: dict[str, Callable] = {
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "binary_crossentropy": binary_crossentropy,
    "mean_squared_error": losses.mse, "mse": losses.mse,
    "mean_absolute_error": losses.mae, "mae": losses.mae,
    "hinge": losses.hinge,
    # this library's own names: cross_entropy takes logits (PyTorch's meaning)
    "cross_entropy": losses.cross_entropy,
    "binary_cross_entropy": losses.binary_cross_entropy,
    "binary_cross_entropy_with_logits": losses.binary_cross_entropy_with_logits,
}

OPTIMIZERS: dict[str, tuple[type[Optimizer], dict[str, Any]]] = {
    "sgd": (SGD, {"lr": 0.01}),
    "adam": (Adam, {"lr": 0.001, "eps": 1e-7}),
    "rmsprop": (RMSprop, {"lr": 0.001, "alpha": 0.9, "eps": 1e-7}),
    "adamw": (AdamW, {"lr": 0.001, "weight_decay": 0.004, "eps": 1e-7}),
}


def _mean_squared_error(outputs: Any, targets: Any) -> float:
    outputs, targets = np.asarray(outputs, float), np.asarray(targets, float)
    return float(np.mean((outputs - targets.reshape(outputs.shape)) ** 2))


def _mean_absolute_error(outputs: Any, targets: Any) -> float:
    outputs, targets = np.asarray(outputs, float), np.asarray(targets, float)
    return float(np.mean(np.abs(outputs - targets.reshape(outputs.shape))))


# Keras's spellings first, so ``name_of`` answers with them.
INITIALIZERS: dict[str, Callable[..., np.ndarray]] = {
    "glorot_uniform": init.xavier_uniform, "glorot_normal": init.xavier_normal,
    "random_uniform": init.uniform, "random_normal": init.normal,
    **init.INITIALISERS,
}

# Every Keras accuracy name means the same here: ``accuracy`` reads labels, one-hot rows
# and single outputs alike. The threshold for single outputs is chosen by ``fit``.
ACCURACY_NAMES = ("accuracy", "acc", "categorical_accuracy", "sparse_categorical_accuracy",
                  "binary_accuracy")
METRICS: dict[str, Callable] = {
    **dict.fromkeys(ACCURACY_NAMES, accuracy),
    "mse": _mean_squared_error, "mean_squared_error": _mean_squared_error,
    "mae": _mean_absolute_error, "mean_absolute_error": _mean_absolute_error,
}


def _lookup(kind: str, name: Any, table: dict, hint: str) -> Any:
    if not isinstance(name, str):
        raise TypeError(f"a {kind} is a name or {hint}, got {name!r:.80}")
    by_key = {key(known): value for known, value in table.items()}
    if key(name) in by_key:
        return by_key[key(name)]
    close = difflib.get_close_matches(name.lower(), list(table), n=1)
    maybe = f" (did you mean {close[0]!r}?)" if close else ""
    raise ValueError(f"unknown {kind} {name!r}{maybe}; known names (any case): "
                     f"{', '.join(table)}; or pass {hint}")


def get_loss(loss: str | Callable) -> Callable:
    """A loss by Keras's name or this library's, or the function itself."""
    if callable(loss):
        return loss
    return _lookup("loss", loss, LOSSES, "a function (pred, target) -> scalar")


def optimizer_settings(name: str) -> tuple[type[Optimizer], dict[str, Any]]:
    """The optimizer class and Keras's default settings for a Keras name.

    >>> optimizer_settings("RMSprop")
    (<class 'nn.optim.RMSprop'>, {'lr': 0.001, 'alpha': 0.9, 'eps': 1e-07})
    """
    cls, settings = _lookup("optimizer", name, OPTIMIZERS,
                            "an optimizer such as nn.SGD(model.parameters(), lr=0.1)")
    return cls, dict(settings)


def get_optimizer(optimizer: str, params: Iterable[Any], learning_rate: float | None = None
                  ) -> Optimizer:
    """An optimizer by Keras's name, with Keras's defaults, over ``params``."""
    cls, settings = optimizer_settings(optimizer)
    if learning_rate is not None:
        settings["lr"] = learning_rate
    return cls(params, **settings)


def get_initializer(name: str | Callable) -> Callable[..., np.ndarray]:
    """An initialiser by Keras's name (``"random_uniform"``, ``"GlorotUniform"``) or itself."""
    if callable(name):
        return name
    return _lookup("initializer", name, INITIALIZERS, "a function shape -> array")


def get_metric(metric: str | Callable) -> Callable:
    """A metric by Keras's name (``"accuracy"``, ``"mae"``), or the function itself."""
    if callable(metric):
        return metric
    return _lookup("metric", metric, METRICS, "a function (outputs, targets) -> float")


def name_of(thing: Any) -> str:
    """The Keras name of a loss, optimizer or initialiser this module can resolve again.

    >>> name_of(get_loss("mse")), name_of(get_initializer("GlorotUniform"))
    ('mean_squared_error', 'glorot_uniform')
    """
    if isinstance(thing, Optimizer):
        return next(name for name, (cls, _) in OPTIMIZERS.items() if type(thing) is cls)
    for table in (LOSSES, INITIALIZERS, METRICS):
        for name, value in table.items():
            if value is thing or (hasattr(thing, "function") and value is thing.function):
                return name
    return getattr(thing, "__name__", repr(thing))

