"""Hyperparameter search with k-fold cross-validation: ``grid_search``, ``random_search``.

You write ``train(params, X_train, y_train, X_val, y_val) -> score`` (higher is
better, e.g. validation accuracy); the search calls it once per setting and fold and
ranks the settings by their mean score. Every call runs inside ``seeded(seed + fold)``,
so settings are compared on the same folds and the same random starts, a rerun with the
same seed gives the same table, and the caller's random state is left as it was.

    >>> import numpy as np
    >>> X = np.arange(12.0)[:, None]; y = (X[:, 0] > 5).astype(int)
    >>> def train(params, X_tr, y_tr, X_val, y_val):   # a one-number "model"
    ...     return float(np.mean((X_val[:, 0] > params["cut"]) == y_val))
    >>> result = grid_search(train, {"cut": [2, 5, 8]}, X, y, folds=3)
    >>> result.best_params, result.best_score
    ({'cut': 5}, 1.0)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .arguments import is_whole
from .data import KFold, StratifiedKFold
from .seeding import seeded

Trainer = Callable[..., float]


class SearchResult:
    """Settings ranked best first: ``.results`` (dicts), ``.best_params``, ``.best_score``.

    Each result holds ``params``, ``mean_score``, ``std_score`` and the ``scores`` of
    every fold. ``str(result)`` (or ``result.table()``) is a text table.
    """

    def __init__(self, results: list[dict]) -> None:
        self.results = sorted(results, key=lambda r: -r["mean_score"]
                              if math.isfinite(r["mean_score"]) else math.inf)

    @property
    def best_params(self) -> dict:
        """The setting with the highest mean score."""
        return dict(self.results[0]["params"])

    @property
    def best_score(self) -> float:
        """Its mean score over the folds."""
        return self.results[0]["mean_score"]

    def table(self) -> str:
        """One row per setting, best first: rank, each hyperparameter, mean and std."""
        names = sorted({k for r in self.results for k in r["params"]})
        header = ["rank", *names, "mean", "std"]
        rows = [[str(i + 1), *[_cell(r["params"].get(k, "")) for k in names],
                 f"{r['mean_score']:.4f}", f"{r['std_score']:.4f}"]
                for i, r in enumerate(self.results)]
        widths = [max(len(h), *(len(row[j]) for row in rows)) for j, h in enumerate(header)]
        lines = ["  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True))]
        lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        return f"SearchResult({len(self.results)} settings, best {self.best_params} " \
               f"scoring {self.best_score:.4g})"


def _cell(value: Any) -> str:
    """A hyperparameter as the table shows it: floats to 4 significant digits."""
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _folds(X: Any, y: Any, folds: int, stratified: bool, seed: int) -> list:
    splitter = (StratifiedKFold if stratified else KFold)(folds, shuffle=True, seed=seed)
    return list(splitter.split(X, y))


def _evaluate_settings(train: Trainer, settings: list[dict], X: Any, y: Any, folds: int,
                       stratified: bool, seed: int) -> SearchResult:
    X, y = np.asarray(X), np.asarray(y)
    splits = _folds(X, y, folds, stratified, seed)
    results = []
    for params in settings:
        scores = []
        for fold, (train_index, val_index) in enumerate(splits):
            with seeded(seed + fold):
                score = train(dict(params), X[train_index], y[train_index],
                              X[val_index], y[val_index])
            scores.append(float(score))
        results.append({"params": dict(params), "mean_score": float(np.mean(scores)),
                        "std_score": float(np.std(scores)), "scores": scores})
    return SearchResult(results)


def grid_search(train: Trainer, grid: dict[str, Sequence[Any]], X: Any, y: Any,
                folds: int = 3, stratified: bool = False, seed: int = 0) -> SearchResult:
    """Try every combination of the values in ``grid`` with ``folds``-fold CV."""
    if not grid or not all(isinstance(v, (list, tuple)) and v for v in grid.values()):
        raise ValueError("grid must map each hyperparameter name to a non-empty list of "
                         "values, e.g. {'lr': [0.01, 0.1], 'hidden': [4, 8]}")
    names = list(grid)
    settings = [dict(zip(names, combo, strict=True))
                for combo in itertools.product(*grid.values())]
    return _evaluate_settings(train, settings, X, y, folds, stratified, seed)


def log_uniform(low: float, high: float) -> Callable[[np.random.Generator], float]:
    """A sampler for ``random_search``: exp(U(ln low, ln high)), for rates and penalties.

    >>> sample = log_uniform(1e-4, 1e-1)
    >>> 1e-4 <= sample(np.random.default_rng(0)) <= 1e-1
    True
    """
    if not 0 < low < high:
        raise ValueError(f"log_uniform needs 0 < low < high, got {low}, {high}")
    return lambda rng: float(math.exp(rng.uniform(math.log(low), math.log(high))))


def random_search(train: Trainer, space: dict[str, Any], X: Any, y: Any, n_iter: int = 10,
                  folds: int = 3, stratified: bool = False, seed: int = 0) -> SearchResult:
    """Try ``n_iter`` random settings from ``space`` with ``folds``-fold CV.

    Each entry of ``space`` is a list (one value picked uniformly) or a sampler
    ``rng -> value`` such as ``log_uniform(1e-4, 1e-1)``. For the same budget random
    search covers each single hyperparameter more finely than a grid does.
    """
    if not is_whole(n_iter) or n_iter < 1:
        raise ValueError(f"n_iter must be a whole number >= 1, got {n_iter!r}")
    if not space:
        raise ValueError("space is empty; map each hyperparameter name to a list or a "
                         "sampler, e.g. {'lr': log_uniform(1e-4, 1e-1), 'hidden': [4, 8]}")
    rng = np.random.default_rng(seed)
    settings = []
    for _ in range(n_iter):
        params = {}
        for name, choice in space.items():
            if callable(choice):
                params[name] = choice(rng)
            elif isinstance(choice, (list, tuple)) and choice:
                params[name] = choice[int(rng.integers(len(choice)))]
            else:
                raise ValueError(f"space[{name!r}] must be a non-empty list or a sampler "
                                 f"rng -> value, got {choice!r}")
        settings.append(params)
    return _evaluate_settings(train, settings, X, y, folds, stratified, seed)
