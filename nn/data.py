"""Preparing data: one-hot labels, scaling, splits, folds and mini-batches.

Scalers learn their statistics from the training data only and apply those same
numbers to test data; fitting on the test set would leak it into training.

    >>> import numpy as np
    >>> from nn.data import one_hot, Standardizer
    >>> one_hot([0, 2], 3)
    array([[1., 0., 0.],
           [0., 0., 1.]])
    >>> scaler = Standardizer().fit(np.array([[0.0], [2.0]]))
    >>> scaler.transform(np.array([[4.0]]))          # (4 - mean 1) / std 1
    array([[3.]])
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from .arguments import is_real, is_whole
from .seeding import generator


def one_hot(labels: Sequence[int] | np.ndarray, num_classes: int | None = None) -> np.ndarray:
    """Row i is all zeros except a 1 in column ``labels[i]``.

    ``num_classes`` defaults to max(label) + 1; a label outside 0..num_classes-1 is named
    in the error.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"one_hot needs a 1-D sequence of labels, got shape {labels.shape}")
    if labels.size and not np.all(labels == np.round(labels)):
        bad = labels[labels != np.round(labels)][0]
        raise ValueError(f"one_hot needs whole-number labels, got {bad!r}")
    labels = labels.astype(int)
    if num_classes is None:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    bad = labels[(labels < 0) | (labels >= num_classes)]
    if bad.size:
        raise ValueError(f"one_hot: label {bad[0]} is outside 0..{num_classes - 1} "
                         f"for num_classes={num_classes}")
    rows = np.zeros((labels.size, num_classes))
    rows[np.arange(labels.size), labels] = 1.0
    return rows


def _as_matrix(X: Any, who: str) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim < 2 or X.shape[0] == 0:
        raise ValueError(f"{who} needs samples in rows, got shape {X.shape}")
    return X


class _ColumnScaler:
    """x' = (x − shift) / scale per column, with shift and scale learned by ``fit``.

    A column whose scale comes out 0 (constant in the training data) is only shifted,
    never divided by zero. Subclasses say what shift and scale are.
    """

    def __init__(self) -> None:
        self.shift: np.ndarray | None = None
        self.scale: np.ndarray | None = None

    def _statistics(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def fit(self, X: Any) -> _ColumnScaler:
        """Learn the statistics of the training data ``X`` (samples in rows); returns self."""
        X = np.asarray(X, dtype=float)
        _as_matrix(X, f"{type(self).__name__}.fit")
        self.shift, scale = self._statistics(X)
        self.scale = np.where(scale > 0, scale, 1.0)
        return self

    def _fitted(self, X: Any, who: str) -> np.ndarray:
        if self.shift is None:
            raise RuntimeError(f"{type(self).__name__}.{who} before fit: call "
                               f"fit(X_train) first")
        X = np.asarray(X, dtype=float)
        _check_width(X, self.shift, type(self).__name__)
        return X

    def transform(self, X: Any) -> np.ndarray:
        """Scale ``X`` with the training statistics."""
        return (self._fitted(X, "transform") - self.shift) / self.scale

    def fit_transform(self, X: Any) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X: Any) -> np.ndarray:
        """Undo ``transform``: back to the original units."""
        return self._fitted(X, "inverse_transform") * self.scale + self.shift


class Standardizer(_ColumnScaler):
    """x' = (x − mean) / std per column, with mean and std from the training data.

    A column with std 0 (constant) is only centred, not divided by zero.
    """

    def _statistics(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return X.mean(axis=0), X.std(axis=0)

    @property
    def mean(self) -> np.ndarray | None:
        """Each column's training mean (None before ``fit``)."""
        return self.shift

    @property
    def std(self) -> np.ndarray | None:
        """Each column's training standard deviation, 1 where it was 0."""
        return self.scale


class Normalizer(_ColumnScaler):
    """x' = (x − min) / (max − min) per column into [0, 1], min and max from training data.

    Test values outside the training range land outside [0, 1]; that is honest, not a bug.
    """

    def _statistics(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        low = X.min(axis=0)
        return low, X.max(axis=0) - low

    @property
    def low(self) -> np.ndarray | None:
        """Each column's training minimum (None before ``fit``)."""
        return self.shift

    @property
    def span(self) -> np.ndarray | None:
        """Each column's training max − min, 1 where it was 0."""
        return self.scale


def _check_width(X: np.ndarray, stat: np.ndarray, who: str) -> None:
    if X.shape[1:] != stat.shape:
        raise ValueError(f"{who} was fitted on samples of shape {stat.shape} but got "
                         f"samples of shape {X.shape[1:]}")


def standardize(train: Any, *others: Any) -> tuple[np.ndarray, ...]:
    """Standardise ``train`` and each array in ``others`` with the training statistics.

    >>> a, b = standardize([[1.0], [3.0]], [[5.0]])
    >>> a.ravel().tolist(), b.ravel().tolist()
    ([-1.0, 1.0], [3.0])
    """
    scaler = Standardizer().fit(train)
    return tuple(scaler.transform(x) for x in (train, *others))


def normalize(train: Any, *others: Any) -> tuple[np.ndarray, ...]:
    """Min-max scale ``train`` to [0, 1] and each array in ``others`` the same way.

    >>> a, b = normalize([[0.0], [10.0]], [[5.0]])
    >>> a.ravel().tolist(), b.ravel().tolist()
    ([0.0, 1.0], [0.5])
    """
    scaler = Normalizer().fit(train)
    return tuple(scaler.transform(x) for x in (train, *others))


def _length(arrays: Sequence[Any]) -> int:
    if not arrays:
        raise ValueError("give at least one array")
    sizes = {len(a) for a in arrays}
    if len(sizes) != 1:
        raise ValueError(f"arrays must have the same number of samples, got lengths "
                         f"{[len(a) for a in arrays]}")
    return sizes.pop()


def _take(array: Any, index: np.ndarray) -> Any:
    if isinstance(array, np.ndarray):
        return array[index]
    return [array[i] for i in index]


def train_test_split(*arrays: Any, test_size: float = 0.25, shuffle: bool = True,
                     stratify: Any = None, seed: int | None = None) -> list:
    """Split arrays into train and test parts: ``X_tr, X_te, y_tr, y_te = ...(X, y)``.

    ``test_size`` is a fraction (0, 1) or a count. ``stratify=y`` keeps each class's
    share the same in both parts.

    >>> X_tr, X_te = train_test_split(np.arange(10), test_size=0.3, seed=0)
    >>> len(X_tr), len(X_te)
    (7, 3)
    """
    n = _length(arrays)
    if not is_whole(test_size):
        if not is_real(test_size) or not 0 < test_size < 1:
            raise ValueError(f"test_size as a fraction must be in (0, 1), got {test_size}")
        n_test = max(1, int(round(test_size * n)))
    else:
        n_test = int(test_size)
    if not 0 < n_test < n:
        raise ValueError(f"test_size={test_size!r} leaves no data on one side of {n} samples")
    rng = generator(seed)
    if stratify is not None:
        test = []
        labels = np.asarray(stratify)
        if len(labels) != n:
            raise ValueError(f"stratify has {len(labels)} labels but the arrays have {n} "
                             f"samples; pass the labels, stratify=y")
        classes, counts = np.unique(labels, return_counts=True)
        for label, quota in zip(classes, _quotas(counts, n_test), strict=True):
            members = np.flatnonzero(labels == label)
            if shuffle:
                members = rng.permutation(members)
            test.extend(members[:quota])
        test_index = np.sort(np.array(test, dtype=int))
        train_index = np.setdiff1d(np.arange(n), test_index)
        if shuffle:
            train_index, test_index = rng.permutation(train_index), rng.permutation(test_index)
    else:
        order = rng.permutation(n) if shuffle else np.arange(n)
        test_index, train_index = order[:n_test], order[n_test:]
    out = []
    for array in arrays:
        out += [_take(array, train_index), _take(array, test_index)]
    return out


def _quotas(counts: np.ndarray, total: int) -> list[int]:
    """Split ``total`` in proportion to ``counts``, in whole numbers that add up to it.

    Rounding each share on its own can lose samples (three classes of 2 and a test set
    of 1: every share rounds to 0); the largest remainders get the leftover places.

    >>> _quotas(np.array([2, 2, 2]), 1), _quotas(np.array([80, 20]), 25)
    ([1, 0, 0], [20, 5])
    """
    shares = counts * total / counts.sum()
    quotas = np.floor(shares).astype(int)
    leftover = total - int(quotas.sum())
    quotas[np.argsort(quotas - shares, kind="stable")[:leftover]] += 1
    return quotas.tolist()


class KFold:
    """k train/validation splits; each sample is in exactly one validation fold.

    >>> [val.tolist() for _, val in KFold(3).split(np.arange(6))]
    [[0, 1], [2, 3], [4, 5]]
    """

    def __init__(self, n_splits: int = 5, shuffle: bool = False, seed: int | None = None) -> None:
        if not is_whole(n_splits) or n_splits < 2:
            raise ValueError(f"n_splits must be a whole number >= 2, got {n_splits!r}")
        self.n_splits, self.shuffle, self.seed = n_splits, shuffle, seed

    def split(self, X: Any, y: Any = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(train_index, validation_index) for each fold."""
        n = len(X)
        if n < self.n_splits:
            raise ValueError(f"cannot make {self.n_splits} folds of {n} samples")
        order = generator(self.seed).permutation(n) if self.shuffle else np.arange(n)
        for fold in np.array_split(order, self.n_splits):
            yield np.setdiff1d(order, fold, assume_unique=True), fold

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n_splits={self.n_splits}, shuffle={self.shuffle})"


class StratifiedKFold(KFold):
    """Like KFold, but each fold holds about the same share of every class as the whole.

    >>> y = np.array([0, 0, 0, 0, 1, 1])
    >>> [sorted(y[val].tolist()) for _, val in StratifiedKFold(2).split(y, y)]
    [[0, 0, 1], [0, 0, 1]]
    """

    def split(self, X: Any, y: Any = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(train_index, validation_index) for each fold; ``y`` (labels or one-hot) needed."""
        if y is None:
            raise ValueError("StratifiedKFold.split needs the labels: split(X, y)")
        labels = np.asarray(y)
        if labels.ndim == 2:  # one-hot rows
            labels = labels.argmax(axis=1)
        n = _length([X, labels])
        rng = generator(self.seed)
        folds: list[list[int]] = [[] for _ in range(self.n_splits)]
        start = 0
        for label in np.unique(labels):
            members = np.flatnonzero(labels == label)
            if self.shuffle:
                members = rng.permutation(members)
            # deal members round-robin, continuing where the last class stopped
            for i, index in enumerate(members):
                folds[(start + i) % self.n_splits].append(int(index))
            start += len(members)
        if any(not fold for fold in folds):
            raise ValueError(f"cannot make {self.n_splits} folds of {n} samples")
        everything = np.arange(n)
        for fold in folds:
            fold_index = np.sort(np.array(fold))
            yield np.setdiff1d(everything, fold_index), fold_index


def check_batch_size(batch_size: Any) -> int:
    """``batch_size`` as an int, or a ValueError naming it (0, 1.5, True are refused)."""
    if not is_whole(batch_size) or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number >= 1, got {batch_size!r}")
    return int(batch_size)


def batches(*arrays: Any, batch_size: int = 32, shuffle: bool = True,
            seed: int | np.random.Generator | None = None,
            drop_last: bool = False) -> Iterator[tuple]:
    """Mini-batches of the arrays, in a shuffled order (new each call) or in order.

    >>> [b[0].tolist() for b in batches(np.arange(5), batch_size=2, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    """
    n = _length(arrays)
    batch_size = check_batch_size(batch_size)
    order = generator(seed).permutation(n) if shuffle else np.arange(n)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        index = order[start:start + batch_size]
        yield tuple(_take(a, index) for a in arrays)
