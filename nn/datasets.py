"""Small datasets the notebooks train on: logic gates, two moons, spirals, fur/wings.

Each returns numpy arrays ``(X, y)``; generated ones take a ``seed``.

    >>> from nn.datasets import logic_gate
    >>> X, y = logic_gate("xor")
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0.0, 1.0, 1.0, 0.0])
"""

from __future__ import annotations

import numpy as np

from .seeding import generator

GATES = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "nor": (1, 0, 0, 0),
    "xor": (0, 1, 1, 0),
}


def logic_gate(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The truth table of a two-input gate: X is the 4 input pairs, y the 0/1 outputs.

    ``name`` is ``"and"``, ``"or"``, ``"nand"``, ``"nor"`` or ``"xor"`` (any case).
    XOR is not linearly separable: no single perceptron can compute it.
    """
    key = str(name).lower()
    if key not in GATES:
        raise ValueError(f"unknown gate {name!r}; choose one of {', '.join(GATES)}")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    return X, np.array(GATES[key], dtype=float)


def two_moons(n: int = 200, noise: float = 0.1, seed: int | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles (labels 0 and 1), plus Gaussian noise.

    >>> X, y = two_moons(10, seed=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((10, 2), [0, 1])
    """
    rng = generator(seed)
    upper = n // 2
    lower = n - upper
    a = np.linspace(0, np.pi, upper)
    b = np.linspace(0, np.pi, lower)
    X = np.concatenate([np.stack([np.cos(a), np.sin(a)], axis=1),
                        np.stack([1 - np.cos(b), 0.5 - np.sin(b)], axis=1)])
    X = X + rng.normal(0.0, noise, size=X.shape)
    y = np.concatenate([np.zeros(upper, dtype=int), np.ones(lower, dtype=int)])
    order = rng.permutation(n)
    return X[order], y[order]


def spirals(n_per_class: int = 100, classes: int = 3, noise: float = 0.2,
            seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` spiral arms around the origin (CS231n's toy set), labels 0..classes-1.

    >>> X, y = spirals(5, classes=2, seed=0)
    >>> X.shape, y.tolist()
    ((10, 2), [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    """
    rng = generator(seed)
    points, labels = [], []
    for c in range(classes):
        radius = np.linspace(0.0, 1.0, n_per_class)
        angle = (np.linspace(c * 4.0, (c + 1) * 4.0, n_per_class)
                 + rng.normal(0.0, noise, n_per_class))
        points.append(np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=1))
        labels.append(np.full(n_per_class, c))
    return np.concatenate(points), np.concatenate(labels)


ANIMAL_CLASSES = ("other", "mammal", "bird")


def fur_and_wings() -> tuple[np.ndarray, np.ndarray]:
    """Seed file 002's animals: features [fur, wings], one-hot targets [other, mammal, bird].

    The seed lists five input rows for six labels; its own mapping table
    ([1, 1] -> bird) gives the missing third row, restored here:

    >>> X, Y = fur_and_wings()
    >>> X.tolist()
    [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0], [0.0, 0.0], [0.0, 1.0]]
    >>> [ANIMAL_CLASSES[i] for i in Y.argmax(axis=1)]
    ['other', 'mammal', 'bird', 'other', 'other', 'bird']
    """
    X = np.array([[0, 0], [1, 0], [1, 1], [0, 0], [0, 0], [0, 1]], dtype=float)
    Y = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 0, 0], [0, 0, 1]],
                 dtype=float)
    return X, Y
