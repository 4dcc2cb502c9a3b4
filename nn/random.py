"""One source of randomness for ``nn``, so a single seed makes a run repeatable.

Scalar layers draw from Python's ``random`` (as micrograd does); array initialisers,
dropout and shuffling draw from a numpy ``Generator`` kept here. ``manual_seed``
seeds both, like ``torch.manual_seed``.

    >>> from nn import manual_seed
    >>> from nn.random import generator
    >>> manual_seed(0); a = generator().random()
    >>> manual_seed(0); a == generator().random()
    True
"""

from __future__ import annotations

import random as _python_random

import numpy as np

_GENERATOR = np.random.default_rng()


def manual_seed(seed: int) -> None:
    """Seed Python's ``random`` and nn's numpy generator (repeatable inits and shuffles)."""
    global _GENERATOR
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"manual_seed needs an int, got {seed!r}")
    _python_random.seed(int(seed))
    _GENERATOR = np.random.default_rng(int(seed))


def generator(rng: np.random.Generator | int | None = None) -> np.random.Generator:
    """``rng`` itself, a new generator seeded with an int, or nn's shared generator."""
    if rng is None:
        return _GENERATOR
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be None, an int seed or a numpy Generator, got {rng!r}")
