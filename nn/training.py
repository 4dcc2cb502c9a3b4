"""Training: ``fit`` runs epochs of mini-batches; ``evaluate`` and ``predict`` use a model.

One iteration is the curriculum's loop, literally:

    forward pass -> loss -> zero_grad -> backward -> optimizer.step()

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

import math
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from autograd import Tensor, Value, no_grad

from . import losses as loss_functions
from .data import batches, check_batch_size
from .metrics import METRICS, accuracy
from .module import Module
from .optim import Optimizer


class TrainingDivergedWarning(UserWarning):
    """The loss became NaN or infinite; training stopped early."""


class History:
    """Per-epoch numbers from ``fit``: ``history["loss"]``, ``history["val_accuracy"]``...

    ``history.history`` is the dict (as Keras's), ``history.epochs`` the epoch numbers
    (1-based), ``history.stopped`` why training ended early (``None`` if it ran through).
    """

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epochs: list[int] = []
        self.stopped: str | None = None
        self.seconds: list[float] = []

    def record(self, epoch: int, logs: dict[str, float], seconds: float) -> None:
        """Append one epoch's numbers (``fit`` calls this after every epoch)."""
        self.epochs.append(epoch)
        self.seconds.append(seconds)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)

    def __getitem__(self, key: str) -> list[float]:
        if key not in self.history:
            raise KeyError(f"no {key!r} in this history; it has {', '.join(self.history)}")
        return self.history[key]

    def __contains__(self, key: str) -> bool:
        return key in self.history

    def keys(self) -> list[str]:
        """The names logged, e.g. ``["loss", "accuracy", "val_loss", "lr"]``."""
        return list(self.history)

    def __len__(self) -> int:
        return len(self.epochs)

    def __repr__(self) -> str:
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.history.items() if v)
        return f"History({len(self.epochs)} epochs: {last})"


class Callback:
    """Hooks into ``fit``; ``on_epoch_end`` returns True to stop training."""

    def on_train_begin(self, model: Module) -> None:
        pass

    def on_epoch_end(self, epoch: int, logs: dict[str, float], model: Module) -> bool:
        return False

    def on_train_end(self, model: Module) -> None:
        pass


class EarlyStopping(Callback):
    """Stop after ``patience`` epochs in a row without improvement (as Keras and Lightning).

    ``monitor`` defaults to ``"val_loss"`` (or ``"loss"`` without validation data);
    a name containing "acc" is maximised, anything else minimised. With
    ``restore_best=True`` the model gets back the weights of its best epoch.
    """

    def __init__(self, patience: int = 5, monitor: str | None = None, min_delta: float = 0.0,
                 restore_best: bool = True) -> None:
        if not isinstance(patience, int) or patience < 0:
            raise ValueError(f"patience must be a whole number >= 0, got {patience!r}")
        self.patience, self.monitor, self.min_delta = patience, monitor, min_delta
        self.restore_best = restore_best
        self.best: float | None = None
        self.best_epoch: int | None = None
        self.stopped_epoch: int | None = None
        self._best_state: dict | None = None
        self._wait = 0

    def on_train_begin(self, model: Module) -> None:
        self.best = self.best_epoch = self.stopped_epoch = self._best_state = None
        self._wait = 0

    def on_epoch_end(self, epoch: int, logs: dict[str, float], model: Module) -> bool:
        key = self.monitor or ("val_loss" if "val_loss" in logs else "loss")
        if key not in logs:
            raise KeyError(f"EarlyStopping monitors {key!r}, but the logs only have "
                           f"{', '.join(logs)}")
        value = logs[key]
        sign = -1.0 if "acc" in key else 1.0  # compare as "smaller is better"
        if self.best is None or sign * value < sign * self.best - self.min_delta:
            self.best, self.best_epoch, self._wait = value, epoch, 0
            if self.restore_best:
                self._best_state = model.state_dict()
            return False
        self._wait += 1
        if self._wait >= self.patience:
            self.stopped_epoch = epoch
            return True
        return False

    def on_train_end(self, model: Module) -> None:
        if self.restore_best and self._best_state is not None:
            model.load_state_dict(self._best_state)

    def __repr__(self) -> str:
        return (f"EarlyStopping(patience={self.patience}, monitor={self.monitor!r}, "
                f"restore_best={self.restore_best})")


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


def _resolve_metrics(metrics: Iterable[Any], loss: Callable) -> dict[str, Callable]:
    # A single logit or ±1 score says "class 1" above 0; a probability above 0.5.
    threshold = 0.0 if loss in (loss_functions.binary_cross_entropy_with_logits,
                                loss_functions.hinge) else 0.5
    resolved = {}
    for metric in metrics:
        if callable(metric):
            resolved[getattr(metric, "__name__", "metric")] = metric
        elif metric == "accuracy":
            resolved["accuracy"] = lambda out, y: accuracy(out, y, threshold)
        elif metric in METRICS:
            resolved[metric] = METRICS[metric]
        else:
            raise ValueError(f"unknown metric {metric!r}; use 'accuracy' or a function "
                             f"(outputs, targets) -> float")
    return resolved


def _floats(X: Any) -> np.ndarray:
    """X as a float array; float32 stays float32 (a float32 model runs at float32 speed)."""
    X = np.asarray(X)
    return X if X.dtype.kind == "f" else X.astype(np.float64)


def _check_data(X: Any, y: Any, who: str) -> tuple[np.ndarray, np.ndarray]:
    X = _floats(X)
    y = np.asarray(y)
    if y.dtype.kind not in "iuf":
        y = y.astype(float)
    if len(X) != len(y):
        raise ValueError(f"{who}: X has {len(X)} samples but y has {len(y)}")
    if len(X) == 0:
        raise ValueError(f"{who}: no samples")
    return X, y


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


def fit(model: Module, X: Any, y: Any, loss: Callable | str, optimizer: Optimizer,
        epochs: int = 1, batch_size: int = 32, validation_data: tuple | None = None,
        callbacks: Sequence[Callback] = (), progress: bool = True,
        metrics: Iterable[Any] = (), shuffle: bool = True, seed: int | None = None) -> History:
    """Train ``model`` on (X, y) for ``epochs`` passes; returns the per-epoch ``History``.

    Each epoch visits the data in mini-batches of ``batch_size`` (shuffled unless
    ``shuffle=False``; ``seed`` fixes the order). ``loss(outputs, targets)`` is a
    function or a name from ``nn.losses``. ``metrics`` (e.g. ``["accuracy"]``) and the
    loss are logged per epoch, also for ``validation_data=(X_val, y_val)`` as
    ``val_loss``, ``val_accuracy``. ``history["lr"]`` holds the rate used last.

    A NaN or infinite loss stops training with a ``TrainingDivergedWarning`` naming
    the epoch and batch; the history so far is returned (``history.stopped`` says why).
    """
    loss_fn = loss_functions.get(loss)
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an nn optimizer (SGD, Adam, ...), got {optimizer!r}")
    if not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a whole number >= 1, got {epochs!r}")
    X, y = _check_data(X, y, "fit")
    metric_fns = _resolve_metrics(metrics, loss_fn)
    tensor = is_tensor_model(model)
    rng = np.random.default_rng(seed) if seed is not None else None
    n_batches = math.ceil(len(X) / check_batch_size(batch_size))
    history = History()
    callbacks = list(callbacks)
    for callback in callbacks:
        callback.on_train_begin(model)
    # one bar over every batch of every epoch: it moves even when an epoch takes minutes
    bar = _progress_bar(epochs * n_batches, "training") if _progress_wanted(progress) else None
    try:
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            _set_training(model, True)
            total, seen, outputs, targets = 0.0, 0, [], []
            used_lr = optimizer.current_lr
            for index, (xb, yb) in enumerate(
                    batches(X, y, batch_size=batch_size, shuffle=shuffle, seed=rng), start=1):
                where = f"epoch {epoch}, batch {index} of {n_batches}"
                try:
                    out = _forward(model, xb, tensor)
                    value = loss_fn(out, yb)
                    number = float(value.data)
                    if math.isfinite(number):
                        optimizer.zero_grad()
                        value.backward()
                        used_lr = optimizer.current_lr  # after step() it names the next rate
                        optimizer.step()
                except (ArithmeticError, RuntimeWarning) as error:
                    number, reason = math.nan, f"{type(error).__name__}: {error}"
                else:
                    reason = f"the loss is {number}"
                if not math.isfinite(number):
                    history.stopped = (f"training diverged at {where}: {reason}. Lower the "
                                       f"learning rate (it was {used_lr:g}), "
                                       f"scale the inputs, or clip gradients")
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
    X = _floats(X)
    tensor = is_tensor_model(model)
    previous = _set_training(model, False)
    try:
        with no_grad():
            parts = [_as_array(_forward(model, xb, tensor))
                     for (xb,) in batches(X, batch_size=batch_size, shuffle=False)]
    finally:
        _set_training(model, previous)
    return np.concatenate(parts)


def evaluate(model: Module, X: Any, y: Any, loss: Callable | str | None = None,
             metrics: Iterable[Any] | dict = ("accuracy",), batch_size: int = 256
             ) -> dict[str, float]:
    """Loss (when given) and metrics on (X, y), in eval mode: ``{"loss": .., "accuracy": ..}``.

    >>> import numpy as np
    >>> from nn import Perceptron
    >>> p = Perceptron(1); p.w[0].data = 1.0
    >>> evaluate(p, np.array([[-1.0], [2.0]]), np.array([0, 1]))
    {'accuracy': 1.0}
    """
    X, y = _check_data(X, y, "evaluate")
    loss_fn = loss_functions.get(loss) if loss is not None else None
    metric_fns = metrics if isinstance(metrics, dict) else _resolve_metrics(
        metrics, loss_fn)
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
