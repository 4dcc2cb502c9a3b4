"""Keras's model methods on every ``nn.Module``: compile, fit, evaluate, predict,
train_on_batch, summary. They run ``nn.training``'s one loop; nothing is trained twice.

Seed 002's program, with only its imports changed:

    >>> from nn import Dense, Sequential, fur_and_wings, manual_seed
    >>> manual_seed(0)
    >>> x_data, y_data = fur_and_wings()
    >>> model = Sequential([
    ...     Dense(3, activation='relu', kernel_initializer='random_uniform',
    ...           bias_initializer='zeros'),
    ...     Dense(3, activation='softmax')])
    >>> model.compile(optimizer='SGD', loss='categorical_crossentropy', metrics=['accuracy'])
    >>> history = model.fit(x_data, y_data, epochs=3, verbose=0)
    >>> sorted(history.history)
    ['accuracy', 'loss', 'lr']
    >>> model.predict(x_data).shape
    (6, 3)

``Perceptron`` keeps its own perceptron-rule ``fit`` and ``predict`` (the exception).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

# nn.training imports nn.module, which builds Module on this class: so the methods
# below import training when called, not when this file is read.


class KerasMethods:
    """The Keras-shaped half of ``nn.Module`` (see the module docstring)."""

    compiled: dict | None = None  # what compile chose
    optimizer: Any = None  # the optimizer, once built

    def compile(self, optimizer: Any = "rmsprop", loss: str | Callable | None = None,
                metrics: Iterable[Any] | None = None) -> None:
        """Choose the optimizer, the loss and the metrics, by Keras's names or as objects.

        ``optimizer``: a name (``"sgd"``, ``"adam"``, ...; built with Keras's defaults at
        the first batch, over the parameters that exist then), a function
        ``params -> optimizer``, or an optimizer over ``model.parameters()`` of a built
        model. ``loss``: a name (``"categorical_crossentropy"`` takes probabilities, as
        in Keras) or a function ``(outputs, targets) -> loss``.
        """
        from . import keras_names, training
        from .optim import Optimizer

        if loss is None:
            raise ValueError("compile needs a loss, e.g. loss='categorical_crossentropy' or "
                             "loss='mse'")
        loss_fn = keras_names.get_loss(loss)
        metric_fns = training.resolve_metrics(metrics, loss_fn)
        if isinstance(optimizer, Optimizer):
            training.make_optimizer(self, optimizer)  # checks it fits this model now
        elif isinstance(optimizer, str):
            keras_names.optimizer_settings(optimizer)
        elif not callable(optimizer):
            raise TypeError(f"optimizer must be a name ('sgd', 'adam', ...), an nn optimizer "
                            f"or a function params -> optimizer, got {optimizer!r:.60}")
        self.compiled = {"optimizer": optimizer, "loss": loss_fn, "metric_fns": metric_fns}
        self.optimizer = optimizer if isinstance(optimizer, Optimizer) else None

    def _compiled(self, who: str) -> dict:
        if self.compiled is None:
            raise RuntimeError(f"call model.compile(optimizer=..., loss=..., metrics=[...]) "
                               f"before model.{who}(...), e.g. model.compile("
                               f"optimizer='sgd', loss='categorical_crossentropy', "
                               f"metrics=['accuracy'])")
        return self.compiled

    def _optimizer_for(self, X: np.ndarray) -> Any:
        """The compiled optimizer, built over the trainable parameters at the first batch."""
        from . import training

        compiled = self._compiled("fit")
        optimizer = self.optimizer
        if optimizer is None:
            optimizer = self.optimizer = training.make_optimizer(self, compiled["optimizer"], X)
        elif not isinstance(compiled["optimizer"], type(optimizer)):  # built from a name
            held = {id(p) for p in optimizer.params}
            if held != {id(p) for p in self.trainable_parameters()}:
                raise RuntimeError("layers were frozen or unfrozen after the optimizer was "
                                   "built; call model.compile(...) again (as in Keras) so the "
                                   "optimizer holds the trainable parameters")
        return training.make_optimizer(self, optimizer)

    def fit(self, x: Any = None, y: Any = None, batch_size: int | None = None, epochs: int = 1,
            verbose: int | str = "auto", callbacks: Iterable[Any] | None = None,
            validation_split: float = 0.0, validation_data: tuple | None = None,
            shuffle: bool = True, seed: int | None = None) -> Any:
        """Train as Keras's ``fit`` (same argument order); returns the ``History``."""
        from . import training

        compiled = self._compiled("fit")
        X, _ = training.check_data(x, y, "fit")
        return training.fit(self, x, y, loss=compiled["loss"], optimizer=self._optimizer_for(X),
                            epochs=epochs, batch_size=32 if batch_size is None else batch_size,
                            validation_data=validation_data, validation_split=validation_split,
                            callbacks=callbacks, metrics=compiled["metric_fns"],
                            shuffle=shuffle, seed=seed, verbose=verbose)

    def train_on_batch(self, x: Any, y: Any) -> float | list[float]:
        """One update on this batch (online learning): the loss before the update, or
        ``[loss, *metrics]`` when compiled with metrics, as Keras."""
        from . import training

        compiled = self._compiled("train_on_batch")
        X, Y = training.check_data(x, y, "train_on_batch")
        optimizer = self._optimizer_for(X)
        training._set_training(self, True)
        loss, out = training.train_step(self, X, Y, compiled["loss"], optimizer)
        if not compiled["metric_fns"]:
            return loss
        outputs = training._as_array(out)
        return [loss, *(float(fn(outputs, Y)) for fn in compiled["metric_fns"].values())]

    def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = None,
                 verbose: int | str = "auto") -> float | list[float]:
        """The compiled loss on (x, y), or ``[loss, *metrics]`` with metrics, as Keras."""
        from . import training

        compiled = self._compiled("evaluate")
        scores = training.evaluate(self, x, y, loss=compiled["loss"],
                                   metrics=compiled["metric_fns"],
                                   batch_size=256 if batch_size is None else batch_size)
        values = list(scores.values())
        return values[0] if len(values) == 1 else values

    def predict(self, x: Any, batch_size: int | None = None, verbose: int | str = "auto"
                ) -> np.ndarray:
        """The outputs for ``x`` as a numpy array (eval mode, no graph)."""
        from . import training

        return training.predict(self, x, batch_size=256 if batch_size is None else batch_size)

    def summary(self) -> Any:
        """Layers, output shapes and parameter counts (trainable and not), with totals:
        a ``Summary`` that shows as a table in text and in notebooks."""
        from .summary import summarize

        return summarize(self)
