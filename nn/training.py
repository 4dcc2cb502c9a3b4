"""Training: ``fit`` runs epochs of mini-batches; ``evaluate`` and ``predict`` use a model.

One iteration is the curriculum's loop, literally (``train_step``):

    forward pass -> loss -> zero_grad -> backward -> optimizer.step()

``fit`` and the Keras-shaped ``model.fit`` / ``model.train_on_batch`` run this one loop.

It works for ``Value`` models (each row goes through the model on its own; fine for
small data) and ``Tensor`` models (a whole batch at once).

    >>> from nn import MLP, SGD, manual_seed, mse
    >>> from nn.datasets import logic_gate
    >>> manual_seed(0)
    >>> X, y = logic_gate("xor")
    >>> model = MLP(2, [8, 1], activation="tanh")
    >>> history = fit(model, X, y, loss=mse, optimizer=SGD(model.parameters(), lr=0.1),
    ...               epochs=300, batch_size=4, metrics=["accuracy"], progress=False)
    >>> history["accuracy"][-1]
    1.0
"""

from __future__ import annotations

import functools
import math
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from autograd import Tensor, Value, no_grad

from . import keras_names
from . import losses as loss_functions
from .callbacks import Callback, EarlyStopping, History
from .data import batches, check_batch_size
from .fit_inputs import (
    check_callbacks,
    check_data,
    check_epochs,
    check_inputs,
    check_model,
    split_validation,
)
from .metrics import accuracy
from .module import Module
from .optim import Optimizer

__all__ = ["Callback", "EarlyStopping", "History", "TrainingDivergedWarning", "evaluate",
           "fit", "make_optimizer", "predict", "train_step"]


class TrainingDivergedWarning(UserWarning):
    """The loss became NaN or infinite; training stopped early."""


# --- running a model on arrays --------------------------------------------------------


def is_tensor_model(model: Any) -> bool:
    """True when the model's parameters are Tensors (it takes a whole batch at once)."""
    params = model.parameters() if hasattr(model, "parameters") else []
    if params:
        return not isinstance(params[0], Value)
    return not getattr(model, "scalar", False)


def _forward(model: Any, X: np.ndarray, tensor: bool) -> Any:
    if tensor:
        return model(Tensor(X))
    return [model(row) for row in X.tolist()]


def _as_array(outputs: Any) -> np.ndarray:
    """Model outputs as numbers: (N, k) for vector outputs, (N,) for scalar Value outputs."""
    if isinstance(outputs, list):
        if outputs and isinstance(outputs[0], Value):
            return np.array([v.data for v in outputs])
        return np.array([[v.data for v in row] for row in outputs])
    return np.asarray(outputs.data)


def resolve_metrics(metrics: Iterable[Any] | dict | str | None, loss: Callable | None
                    ) -> dict[str, Callable]:
    """``{name: function(outputs, targets)}`` for Keras's metric names or functions."""
    # A single logit or ±1 score says "class 1" above 0; a probability above 0.5.
    logits = loss in (loss_functions.binary_cross_entropy_with_logits, loss_functions.hinge) \
        or getattr(loss, "from_logits", False)
    threshold = 0.0 if logits else 0.5
    if metrics is None:
        return {}
    if isinstance(metrics, dict):  # resolved already (by compile)
        return dict(metrics)
    if isinstance(metrics, str):
        metrics = [metrics]
    resolved = {}
    for metric in metrics:
        fn = keras_names.get_metric(metric)
        name = metric if isinstance(metric, str) else getattr(fn, "__name__", "metric")
        if fn is accuracy:  # a partial, not a lambda: a compiled model still pickles
            fn = functools.partial(accuracy, threshold=threshold)
        resolved[name] = fn
    return resolved


def make_optimizer(model: Any, optimizer: Any, X: np.ndarray | None = None) -> Optimizer:
    """The optimizer ``fit`` uses.

    An optimizer instance is used as is (the model must be built, or its parameters
    would be missing). A Keras name (``"sgd"``, with Keras's defaults) or a function
    ``params -> optimizer`` (``functools.partial(SGD, lr=0.5)``) is built now, over the
    trainable parameters, after the model learnt its input size from ``X``.
    """
    if isinstance(optimizer, Optimizer):
        if not getattr(model, "built", True):
            raise RuntimeError(
                "the optimizer was made before the model knew its input size, so it lacks "
                "the parameters of the layers built later; pass the optimizer by name "
                "(optimizer='sgd', built at the first batch) or call "
                "model.build((None, n_features)) before making it")
        trainable = {id(p) for p in _trainable(model)}
        if not any(id(p) in trainable for p in optimizer.params):
            raise ValueError("nothing to train: every parameter the optimizer holds is frozen; "
                             "unfreeze a layer (layer.trainable = True) first")
        frozen = [p for p in optimizer.params if isinstance(p, Value) and id(p) not in trainable]
        if frozen:
            raise ValueError(f"the optimizer holds {len(frozen)} frozen parameters of a Value "
                             f"model, which it would still update; make it over "
                             f"model.trainable_parameters()")
        return optimizer
    if isinstance(optimizer, str):
        keras_names.optimizer_settings(optimizer)  # an unknown name fails before building
    elif not callable(optimizer):
        raise TypeError(f"optimizer must be a name ('sgd', 'adam', ...), an nn optimizer or a "
                        f"function params -> optimizer, got {optimizer!r:.60}")
    if X is not None and not getattr(model, "built", True):
        if X.ndim < 2:
            raise ValueError(f"{type(model).__name__} cannot infer its input size from x of "
                             f"shape {X.shape}: it needs (samples, features); reshape 1-D "
                             f"data with x.reshape(-1, 1)")
        model.build((None, *X.shape[1:]))
    params = _trainable(model)
    if not params:
        raise ValueError("nothing to train: every parameter of the model is frozen; unfreeze "
                         "a layer (layer.trainable = True) first")
    if isinstance(optimizer, str):
        return keras_names.get_optimizer(optimizer, params)
    return optimizer(params)


def _trainable(model: Any) -> list:
    if hasattr(model, "trainable_parameters"):
        return model.trainable_parameters()
    return list(model.parameters())


# --- the loop -------------------------------------------------------------------------


def train_step(model: Any, X: np.ndarray, y: np.ndarray, loss: Callable, optimizer: Optimizer,
               tensor: bool | None = None) -> tuple[float, Any]:
    """One iteration on one batch: forward, loss, zero_grad, backward, step.

    Returns the loss (before the update) and the outputs; a NaN or infinite loss makes
    no update. ``fit`` and ``model.train_on_batch`` both run this.
    """
    out = _forward(model, X, is_tensor_model(model) if tensor is None else tensor)
    value = loss(out, y)
    number = float(value.data)
    if math.isfinite(number):
        optimizer.zero_grad()
        value.backward()
        optimizer.step()
    return number, out


def _progress_wanted(progress: bool) -> bool:
    """A bar only when someone watches: a terminal, or a notebook kernel."""
    if not progress:
        return False
    if "ipykernel" in sys.modules:
        return True
    stream = sys.stderr
    return bool(getattr(stream, "isatty", None) and stream.isatty())


def _progress_bar(total: int, description: str) -> Any:
    try:
        if "ipykernel" in sys.modules:
            import ipywidgets  # noqa: F401  (tqdm.notebook needs it)
            from tqdm.notebook import tqdm
        else:
            from tqdm import tqdm
    except ImportError:
        try:
            from tqdm import tqdm
        except ImportError:  # tqdm is optional (the "plots" extra): train without a bar
            return None
    return tqdm(total=total, desc=description, leave=True)


def _set_training(model: Any, mode: bool) -> bool:
    previous = getattr(model, "training", True)
    if hasattr(model, "train"):
        model.train(mode)
    return previous


def fit(model: Module, X: Any, y: Any, loss: Callable | str, optimizer: Optimizer | str,
        epochs: int = 1, batch_size: int = 32, validation_data: tuple | None = None,
        callbacks: Sequence[Callback] = (), progress: bool = True,
        metrics: Iterable[Any] = (), shuffle: bool = True, seed: int | None = None, *,
        validation_split: float = 0.0, verbose: int | str | None = None) -> History:
    """Train ``model`` on (X, y) for ``epochs`` passes; returns the per-epoch ``History``.

    Each epoch visits the data in mini-batches of ``batch_size`` (shuffled unless
    ``shuffle=False``; ``seed`` fixes the order). ``loss(outputs, targets)`` is a
    function or a name (Keras's, or ``nn.losses``'). ``optimizer`` is an optimizer, or a
    name built over the trainable parameters (see ``make_optimizer``). ``metrics``
    (e.g. ``["accuracy"]``) and the loss are logged per epoch, also for
    ``validation_data=(X_val, y_val)`` (or the last ``validation_split`` of the rows) as
    ``val_loss``, ``val_accuracy``. ``history["lr"]`` holds the rate used last.
    ``verbose`` as Keras: 0 silent, 1 a progress bar (as ``progress``), 2 a line per epoch.

    A NaN or infinite loss stops training with a ``TrainingDivergedWarning`` naming
    the epoch and batch; the history so far is returned (``history.stopped`` says why).
    """
    check_model(model, "fit")
    loss_fn = keras_names.get_loss(loss)
    epochs = check_epochs(epochs)
    X, y = check_data(X, y, "fit")
    X, y, validation_data = split_validation(X, y, validation_split, validation_data)
    callbacks = check_callbacks(callbacks)
    metric_fns = resolve_metrics(metrics, loss_fn)
    optimizer = make_optimizer(model, optimizer, X)
    if verbose is not None:
        progress = verbose in (1, "auto", True)
    tensor = is_tensor_model(model)
    rng = np.random.default_rng(seed) if seed is not None else None
    n_batches = math.ceil(len(X) / check_batch_size(batch_size))
    history = History()
    for callback in callbacks:
        callback.optimizer = optimizer
        callback.on_train_begin(model)
    # one bar over every batch of every epoch: it moves even when an epoch takes minutes
    bar = _progress_bar(epochs * n_batches, "training") if _progress_wanted(progress) else None
    try:
        for epoch in range(1, epochs + 1):
            for callback in callbacks:
                callback.on_epoch_begin(epoch, model)
            start = time.perf_counter()
            _set_training(model, True)
            total, seen, outputs, targets = 0.0, 0, [], []
            for index, (xb, yb) in enumerate(
                    batches(X, y, batch_size=batch_size, shuffle=shuffle, seed=rng), start=1):
                used_lr = optimizer.current_lr  # after step() it names the next rate
                try:
                    number, out = train_step(model, xb, yb, loss_fn, optimizer, tensor)
                except (ArithmeticError, RuntimeWarning) as error:
                    number, reason = math.nan, f"{type(error).__name__}: {error}"
                else:
                    reason = f"the loss is {number}"
                if not math.isfinite(number):
                    history.stopped = (f"training diverged at epoch {epoch}, batch {index} of "
                                       f"{n_batches}: {reason}. Lower the learning rate (it "
                                       f"was {used_lr:g}), scale the inputs, or clip gradients")
                    warnings.warn(history.stopped, TrainingDivergedWarning, stacklevel=2)
                    return history
                total += number * len(xb)
                seen += len(xb)
                if bar is not None:
                    bar.update(1)
                if metric_fns:
                    outputs.append(_as_array(out))
                    targets.append(yb)
            logs = {"loss": total / seen}
            if metric_fns:
                out_all, y_all = np.concatenate(outputs), np.concatenate(targets)
                logs.update({name: float(fn(out_all, y_all)) for name, fn in metric_fns.items()})
            if validation_data is not None:
                scores = evaluate(model, *validation_data, loss=loss_fn, metrics=metric_fns,
                                  batch_size=max(batch_size, 256))
                logs.update({f"val_{name}": value for name, value in scores.items()})
            logs["lr"] = used_lr
            history.record(epoch, logs, time.perf_counter() - start)
            if bar is not None:
                bar.set_description(f"epoch {epoch}/{epochs}")
                bar.set_postfix({k: f"{v:.4g}" for k, v in logs.items() if k != "lr"})
            if verbose == 2:
                print(f"epoch {epoch}/{epochs} - " +
                      " - ".join(f"{k}: {v:.4g}" for k, v in logs.items()))
            stop = [callback.on_epoch_end(epoch, logs, model) for callback in callbacks]
            if any(stop):
                history.stopped = f"stopped by a callback after epoch {epoch}"
                break
    finally:
        if bar is not None:
            bar.close()
        for callback in callbacks:
            callback.on_train_end(model)
        _set_training(model, True)
    return history


def predict(model: Module, X: Any, batch_size: int = 256) -> np.ndarray:
    """The model's outputs for X as a numpy array, in eval mode and without a graph.

    Tensor models give their output shape; Value models (N, k), or (N,) when each
    output is a single Value.
    """
    check_model(model, "predict")
    X = check_inputs(X, "predict")
    tensor = is_tensor_model(model)
    previous = _set_training(model, False)
    try:
        with no_grad():
            parts = [_as_array(_forward(model, xb, tensor))
                     for (xb,) in batches(X, batch_size=batch_size, shuffle=False)]
    finally:
        _set_training(model, previous)
    return np.concatenate(parts)


def evaluate(model: Module, X: Any, y: Any = None, loss: Callable | str | None = None,
             metrics: Iterable[Any] | dict = ("accuracy",), batch_size: int = 256
             ) -> dict[str, float]:
    """Loss (when given) and metrics on (X, y), in eval mode: ``{"loss": .., "accuracy": ..}``.

    >>> import numpy as np
    >>> from nn import Perceptron
    >>> p = Perceptron(1); p.w[0].data = 1.0
    >>> evaluate(p, np.array([[-1.0], [2.0]]), np.array([0, 1]))
    {'accuracy': 1.0}
    """
    check_model(model, "evaluate")
    X, y = check_data(X, y, "evaluate")
    loss_fn = keras_names.get_loss(loss) if loss is not None else None
    metric_fns = resolve_metrics(metrics, loss_fn)
    tensor = is_tensor_model(model)
    previous = _set_training(model, False)
    total, outputs = 0.0, []
    try:
        with no_grad():
            for xb, yb in batches(X, y, batch_size=batch_size, shuffle=False):
                out = _forward(model, xb, tensor)
                if loss_fn is not None:
                    total += float(loss_fn(out, yb).data) * len(xb)
                outputs.append(_as_array(out))
    finally:
        _set_training(model, previous)
    scores = {"loss": total / len(X)} if loss_fn is not None else {}
    out_all = np.concatenate(outputs)
    scores.update({name: float(fn(out_all, y)) for name, fn in metric_fns.items()})
    return scores
