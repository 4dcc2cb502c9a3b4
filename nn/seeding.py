"""One source of randomness for ``nn``, so a single seed makes a run repeatable.

Scalar layers draw from Python's ``random`` (as micrograd does); array initialisers,
dropout and shuffling draw from a numpy ``Generator`` kept here. ``manual_seed``
seeds both, like ``torch.manual_seed``; ``seeded`` does so only inside a ``with``
block and then puts both back, like ``torch.random.fork_rng``.

    >>> from nn import manual_seed
    >>> from nn.seeding import generator
    >>> manual_seed(0); a = generator().random()
    >>> manual_seed(0); a == generator().random()
    True
"""

from __future__ import annotations

import random as _python_random
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from .arguments import is_whole

# What ``rng=`` arguments take: a Generator, an int seed, or None for nn's own generator.
RandomSource = np.random.Generator | int | None

_GENERATOR = np.random.default_rng()


def manual_seed(seed: int) -> None:
    """Seed Python's ``random`` and nn's numpy generator (repeatable inits and shuffles)."""
    global _GENERATOR
    if not is_whole(seed):
        raise TypeError(f"manual_seed needs an int, got {seed!r}")
    _python_random.seed(int(seed))
    _GENERATOR = np.random.default_rng(int(seed))


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """``manual_seed(seed)`` inside the block; afterwards both generators continue as if
    the block had never run, so a library call cannot reseed its caller's randomness.

    >>> manual_seed(1); expected = generator().random()
    >>> manual_seed(1)
    >>> with seeded(7):
    ...     _ = generator().random()
    >>> generator().random() == expected
    True
    """
    global _GENERATOR
    python_state, numpy_generator = _python_random.getstate(), _GENERATOR
    try:
        manual_seed(seed)
        yield
    finally:
        _python_random.setstate(python_state)
        _GENERATOR = numpy_generator


def generator(rng: RandomSource = None) -> np.random.Generator:
    """``rng`` itself, a new generator seeded with an int, or nn's shared generator.

    >>> int(generator(0).integers(10)) == int(generator(0).integers(10))
    True
    """
    if rng is None:
        return _GENERATOR
    if isinstance(rng, np.random.Generator):
        return rng
    if is_whole(rng):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be None, an int seed or a numpy Generator, got {rng!r}")
