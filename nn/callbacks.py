"""Callbacks: code that ``fit`` runs around each epoch, and the ``History`` it returns.

    EarlyStopping          stop when the monitored number stops improving
    ReduceLROnPlateau      cut the learning rate when learning stalls (seed 003)
    LearningRateScheduler  set the rate each epoch from ``schedule(epoch, lr)``
    ModelCheckpoint        save the weights (safe ``.npz``) every epoch, or the best
    CSVLogger              one row per epoch in a CSV file: an offline experiment log

Epochs are numbered from 1, as ``history.epochs``; ``fit`` sets ``callback.optimizer``
before ``on_train_begin``, so a callback can read and change the learning rate.
Each can also be driven by hand, which is how the tests script a loss sequence:

    >>> from nn import SGD, Linear
    >>> model = Linear(1, 1)
    >>> plateau = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1)
    >>> plateau.optimizer = SGD(model.parameters(), lr=0.1)
    >>> plateau.on_train_begin(model)
    >>> for epoch, loss in enumerate([1.0, 0.9, 0.95, 0.97], start=1):
    ...     _ = plateau.on_epoch_end(epoch, {"loss": loss}, model)
    >>> plateau.optimizer.lr
    0.025
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .arguments import is_real, is_whole
from .schedules import Schedule


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

    optimizer: Any = None  # set by fit before on_train_begin

    def on_train_begin(self, model: Any) -> None:
        pass

    def on_epoch_begin(self, epoch: int, model: Any) -> None:
        pass

    def on_epoch_end(self, epoch: int, logs: dict[str, float], model: Any) -> bool:
        return False

    def on_train_end(self, model: Any) -> None:
        pass


class _Monitor(Callback):
    """Watches one logged number: ``val_loss`` by default (``loss`` without validation).

    ``mode="auto"`` maximises names with "acc" in them and minimises everything else.
    """

    def __init__(self, monitor: str | None, min_delta: float, mode: str) -> None:
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"mode must be 'auto', 'min' or 'max', got {mode!r}")
        if not is_real(min_delta) \
                or not min_delta >= 0:
            raise ValueError(f"min_delta must be a number >= 0, got {min_delta!r}")
        self.monitor, self.min_delta, self.mode = monitor, float(min_delta), mode
        self.best: float | None = None

    def _value(self, logs: dict[str, float]) -> tuple[str, float]:
        key = self.monitor or ("val_loss" if "val_loss" in logs else "loss")
        if key not in logs:
            raise KeyError(f"{type(self).__name__} monitors {key!r}, but the logs only have "
                           f"{', '.join(logs)}; pass monitor= one of those (val_* needs "
                           f"validation data)")
        return key, float(logs[key])

    def _improved(self, key: str, value: float) -> bool:
        """True (and ``best`` updated) when ``value`` beats the best by more than min_delta."""
        bigger = self.mode == "max" or (self.mode == "auto" and "acc" in key)
        sign = -1.0 if bigger else 1.0  # compare as "smaller is better"
        if self.best is None or sign * value < sign * self.best - self.min_delta:
            self.best = value
            return True
        return False


def _whole(name: str, value: Any) -> int:
    if not is_whole(value) or value < 0:
        raise ValueError(f"{name} must be a whole number >= 0, got {value!r}")
    return int(value)


class EarlyStopping(_Monitor):
    """Stop after ``patience`` epochs in a row without improvement (as Keras and Lightning).

    ``monitor`` defaults to ``"val_loss"`` (or ``"loss"`` without validation data);
    a name containing "acc" is maximised, anything else minimised. With
    ``restore_best=True`` (Keras: ``restore_best_weights``) the model gets back the
    weights of its best epoch.
    """

    def __init__(self, patience: int = 5, monitor: str | None = None, min_delta: float = 0.0,
                 restore_best: bool = True, *, restore_best_weights: bool | None = None,
                 mode: str = "auto") -> None:
        super().__init__(monitor, min_delta, mode)
        self.patience = _whole("patience", patience)
        self.restore_best = restore_best if restore_best_weights is None \
            else bool(restore_best_weights)
        self.best_epoch: int | None = None
        self.stopped_epoch: int | None = None
        self._best_state: dict | None = None
        self._wait = 0

    def on_train_begin(self, model: Any) -> None:
        self.best = self.best_epoch = self.stopped_epoch = self._best_state = None
        self._wait = 0

    def on_epoch_end(self, epoch: int, logs: dict[str, float], model: Any) -> bool:
        if self._improved(*self._value(logs)):
            self.best_epoch, self._wait = epoch, 0
            if self.restore_best:
                self._best_state = model.state_dict()
            return False
        self._wait += 1
        if self._wait >= self.patience:
            self.stopped_epoch = epoch
            return True
        return False

    def on_train_end(self, model: Any) -> None:
        if self.restore_best and self._best_state is not None:
            model.load_state_dict(self._best_state)

    def __repr__(self) -> str:
        return (f"EarlyStopping(patience={self.patience}, monitor={self.monitor!r}, "
                f"restore_best={self.restore_best})")


class ReduceLROnPlateau(_Monitor):
    """lr ← max(lr · factor, min_lr) after ``patience`` epochs without improvement.

    Keras's defaults; after a cut, ``cooldown`` epochs pass before counting again.
    ``reductions`` lists (epoch, new rate) for each cut.
    """

    def __init__(self, monitor: str | None = None, factor: float = 0.1, patience: int = 10,
                 min_lr: float = 0.0, min_delta: float = 1e-4, cooldown: int = 0,
                 mode: str = "auto") -> None:
        super().__init__(monitor, min_delta, mode)
        if not is_real(factor) \
                or not 0 < factor < 1:
            raise ValueError(f"factor must be in (0, 1) (the rate is multiplied by it), "
                             f"got {factor!r}")
        if not is_real(min_lr) or min_lr < 0:
            raise ValueError(f"min_lr must be a number >= 0, got {min_lr!r}")
        self.factor, self.min_lr = float(factor), float(min_lr)
        self.patience, self.cooldown = _whole("patience", patience), _whole("cooldown", cooldown)
        self.reductions: list[tuple[int, float]] = []
        self._wait = self._cooling = 0

    def on_train_begin(self, model: Any) -> None:
        _number_lr(self)
        self.best, self.reductions, self._wait, self._cooling = None, [], 0, 0

    def on_epoch_end(self, epoch: int, logs: dict[str, float], model: Any) -> bool:
        key, value = self._value(logs)
        if self._cooling:
            self._cooling -= 1
            self._wait = 0
        if self._improved(key, value):
            self._wait = 0
            return False
        if self._cooling:
            return False
        self._wait += 1
        if self._wait >= self.patience:
            old = _number_lr(self)
            new = max(old * self.factor, self.min_lr)
            if new < old:
                self.optimizer.lr = new
                self.reductions.append((epoch, new))
            self._cooling, self._wait = self.cooldown, 0
        return False


def _optimizer_of(callback: Callback) -> Any:
    if callback.optimizer is None:
        raise RuntimeError(f"{type(callback).__name__} has no optimizer: fit sets it; when "
                           f"driving it by hand, set callback.optimizer first")
    return callback.optimizer


def _number_lr(callback: Callback) -> float:
    optimizer = _optimizer_of(callback)
    if isinstance(optimizer.lr, Schedule):
        raise TypeError(f"{type(callback).__name__} changes a number learning rate, but the "
                        f"optimizer follows {optimizer.lr!r}; give the optimizer a number lr")
    return optimizer.lr


class LearningRateScheduler(Callback):
    """Before each epoch, lr ← ``schedule(epoch, lr)`` (Keras's form; epoch from 0), or
    ``schedule(epoch)`` for one of this library's ``Schedule`` objects (the epoch as its step).

    >>> from nn.schedules import StepDecay
    >>> LearningRateScheduler(StepDecay(0.1, step_size=2, gamma=0.5)).rate(3, 0.1)
    0.05
    """

    def __init__(self, schedule: Callable[[int, float], float] | Schedule) -> None:
        if not callable(schedule):
            raise TypeError(f"schedule must be a function (epoch, lr) -> lr or a Schedule, "
                            f"got {schedule!r:.80}")
        self.schedule = schedule

    def rate(self, epoch_index: int, lr: float | None) -> float:
        """The rate for the epoch with 0-based ``epoch_index``, checked to be a number > 0."""
        if isinstance(self.schedule, Schedule):
            rate = self.schedule(epoch_index)
        else:
            rate = self.schedule(epoch_index, lr)
        if not is_real(rate) \
                or not (rate > 0 and math.isfinite(rate)):
            raise ValueError(f"the schedule gave {rate!r} for epoch {epoch_index}; a learning "
                             f"rate must be a number > 0")
        return float(rate)

    def on_epoch_begin(self, epoch: int, model: Any) -> None:
        # a Schedule object needs no current rate, so it may replace a schedule the
        # optimizer had; Keras's function form reads the current (number) rate
        optimizer = _optimizer_of(self)
        current = None if isinstance(self.schedule, Schedule) else _number_lr(self)
        optimizer.lr = self.rate(epoch - 1, current)


def _folder_of(path: str | Path, who: str) -> Path:
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"{who}: the folder {str(path.parent)!r} of {str(path)!r} does "
                                f"not exist; create it first (os.makedirs) or pick another path")
    return path


class ModelCheckpoint(_Monitor):
    """Save the model's weights (``Module.save``: ``.npz``, no pickle) after each epoch.

    ``path`` may hold Keras's fields: ``"ckpt-{epoch:02d}-{val_loss:.3f}.npz"``. With
    ``save_best_only=True`` only epochs that improve ``monitor`` are saved. ``saved``
    lists the files written.
    """

    def __init__(self, path: str | Path, monitor: str | None = None,
                 save_best_only: bool = False, mode: str = "auto") -> None:
        super().__init__(monitor, 0.0, mode)
        self.path = str(_folder_of(path, "ModelCheckpoint"))
        self.save_best_only = bool(save_best_only)
        self.saved: list[str] = []

    def on_train_begin(self, model: Any) -> None:
        self.best, self.saved = None, []

    def on_epoch_end(self, epoch: int, logs: dict[str, float], model: Any) -> bool:
        if self.save_best_only and not self._improved(*self._value(logs)):
            return False
        try:
            target = self.path.format(epoch=epoch, **logs)
        except (KeyError, IndexError, ValueError) as error:
            raise ValueError(f"ModelCheckpoint: cannot fill {self.path!r} from epoch and "
                             f"{', '.join(logs)}: {error}") from None
        model.save(target)
        self.saved.append(target)
        return False


class CSVLogger(Callback):
    """One CSV row per epoch: ``epoch`` then every logged number (the offline stand-in for
    an experiment tracker such as WandB). Read it back with ``csv`` or pandas.
    ``append=True`` continues an existing file.
    """

    def __init__(self, filename: str | Path, separator: str = ",", append: bool = False) -> None:
        self.filename = _folder_of(filename, "CSVLogger")
        self.separator, self.append = separator, bool(append)
        self._columns: list[str] | None = None

    def on_train_begin(self, model: Any) -> None:
        self._columns = None
        if not self.append:
            self.filename.write_text("")
        elif self.filename.exists() and self.filename.stat().st_size:
            with open(self.filename, newline="") as handle:
                self._columns = next(csv.reader(handle, delimiter=self.separator))[1:]

    def on_epoch_end(self, epoch: int, logs: dict[str, float], model: Any) -> bool:
        with open(self.filename, "a", newline="") as handle:
            writer = csv.writer(handle, delimiter=self.separator)
            if self._columns is None:
                self._columns = list(logs)
                writer.writerow(["epoch", *self._columns])
            writer.writerow([epoch, *(logs.get(name, "") for name in self._columns)])
        return False
