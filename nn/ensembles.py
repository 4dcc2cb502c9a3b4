"""Ensembles: several models answer together; ``bootstrap`` samples for bagging.

Averaging k models whose errors are independent divides the variance of the error by k;
bagging makes the members differ by training each on a bootstrap sample (n rows drawn
with replacement from n, so about 63% of the distinct rows, some repeated).

    >>> import numpy as np
    >>> from nn import Dense, Ensemble, Sequential, manual_seed
    >>> manual_seed(0)
    >>> members = [Sequential([Dense(3, activation="softmax", input_dim=2)]) for _ in range(3)]
    >>> both = Ensemble(members)
    >>> x = np.ones((4, 2))
    >>> np.allclose(both.predict(x), np.mean([m.predict(x) for m in members], axis=0))
    True
    >>> Ensemble(members, combine="vote").predict(x).sum(axis=1).tolist()  # vote shares
    [1.0, 1.0, 1.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Tensor, no_grad

from .data import _length, _take
from .layers import as_tensor
from .metrics import predicted_classes
from .module import Module
from .seeding import RandomSource, generator

COMBINE = ("mean", "vote")


class Ensemble(Module):
    """Run every member on the same input and combine their outputs.

    ``combine="mean"``: the average output (average probabilities for classifiers; the
    mean is differentiable, so an ensemble can be trained as one model).
    ``combine="vote"``: each member votes for its predicted class (argmax, or output >
    0.5 for one output); the result is the share of votes per class (no gradient).
    """

    def __init__(self, models: Sequence[Module], combine: str = "mean") -> None:
        models = list(models) if not isinstance(models, Module) else [models]
        if not models:
            raise ValueError("Ensemble needs at least one model, got an empty list")
        for i, model in enumerate(models):
            if not isinstance(model, Module):
                raise TypeError(f"Ensemble members must be nn Modules, got {model!r:.60} at "
                                f"position {i}")
        if combine not in COMBINE:
            raise ValueError(f"combine must be one of {', '.join(COMBINE)}, got {combine!r}")
        self.combine = combine
        self.members = models
        for i, model in enumerate(models):
            if not model.name:
                model.name = f"member {i}: {type(model).__name__}"

    def member_outputs(self, x: Any) -> list[Tensor]:
        """Each member's output for ``x``, checked to have one shape."""
        x = as_tensor(x)
        outputs = [member(x) for member in self.members]
        for i, out in enumerate(outputs):
            if not isinstance(out, Tensor):
                raise TypeError(f"Ensemble combines Tensor models (Dense, Linear, ...); member "
                                f"{i} gave {type(out).__name__}")
        shapes = [tuple(out.shape) for out in outputs]
        if len(set(shapes)) > 1:
            raise ValueError(f"Ensemble members give outputs of different shapes {shapes}; "
                             f"every member must answer the same question (same output layer)")
        return outputs

    def forward(self, x: Any) -> Tensor:
        outputs = self.member_outputs(x)
        if self.combine == "mean":
            total = outputs[0]
            for out in outputs[1:]:
                total = total + out
            return total * (1.0 / len(outputs))
        return Tensor(self._vote_shares([out.data for out in outputs]))

    @staticmethod
    def _vote_shares(outputs: list[np.ndarray]) -> np.ndarray:
        width = outputs[0].shape[1] if outputs[0].ndim == 2 and outputs[0].shape[1] > 1 else 2
        votes = np.zeros((len(outputs[0]), width))
        for out in outputs:
            votes[np.arange(len(out)), predicted_classes(out)] += 1
        return votes / len(outputs)

    def member_predictions(self, x: Any) -> np.ndarray:
        """Every member's outputs as one array (members, samples, ...), in eval mode:
        its spread across members is the variance an ensemble averages away."""
        previous = self.training
        self.eval()
        try:
            with no_grad():
                return np.stack([out.data for out in self.member_outputs(x)])
        finally:
            self.train(previous)

    def extra_repr(self) -> str:
        return f"{len(self.members)} members, combine={self.combine!r}"


def bootstrap(*arrays: Any, seed: RandomSource = None) -> tuple:
    """A bootstrap sample of the arrays: n rows drawn with replacement (the same rows from
    each array), for bagging: ``X_b, y_b = bootstrap(X, y, seed=i)``.

    >>> X_b, y_b = bootstrap(np.arange(5), np.arange(5) * 10, seed=0)
    >>> bool((y_b == X_b * 10).all()), len(X_b)
    (True, 5)
    """
    n = _length(arrays)
    if n == 0:
        raise ValueError("bootstrap needs at least one row")
    index = generator(seed).integers(0, n, size=n)
    return tuple(_take(a, index) for a in arrays)
