"""Initialisers: the starting values of a layer's weights, as numpy arrays.

Each takes a ``shape`` and returns a float64 array. Fans are read from the shape:
a dense weight ``(fan_in, fan_out)`` (this library multiplies ``x @ W``), a
convolution kernel ``(out_channels, in_channels, kh, kw)`` with
fan_in = in_channels·kh·kw and fan_out = out_channels·kh·kw.

Why scale by the fan: the sum of n inputs times weights of variance σ² has variance
n·σ². Keeping that near 1 layer after layer stops signals from exploding or vanishing.

    ================  =====================================================
    xavier_uniform    U(-a, a),  a = sqrt(6 / (fan_in + fan_out))
    xavier_normal     N(0, σ²),  σ = sqrt(2 / (fan_in + fan_out))
    he_uniform        U(-a, a),  a = sqrt(6 / fan_in)
    he_normal         N(0, σ²),  σ = sqrt(2 / fan_in)
    ================  =====================================================

Note: seed file 000 writes He's standard deviation as 2 / sqrt(n); the correct value
is sqrt(2 / n) (ReLU zeroes half the inputs, so twice Xavier's 1 / n variance).

    >>> from nn import init
    >>> w = init.he_normal((784, 256), rng=0)
    >>> w.shape, round(float(w.std()), 3), round((2 / 784) ** 0.5, 3)
    ((784, 256), 0.051, 0.051)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from .arguments import is_whole
from .seeding import RandomSource, generator

Shape = Sequence[int]


def fans(shape: Shape) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of this shape.

    >>> fans((3, 4)), fans((8, 1, 3, 3))
    ((3, 4), (9, 72))
    """
    shape = _check_shape(shape)
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def zeros(shape: Shape, rng: RandomSource = None) -> np.ndarray:
    """All zeros (the usual bias). Not for weights: equal weights get equal gradients,
    so every unit of a layer would stay a copy of the others.

    >>> zeros((2,))
    array([0., 0.])
    """
    return np.zeros(_check_shape(shape))


def ones(shape: Shape, rng: RandomSource = None) -> np.ndarray:
    """All ones (batch-normalisation scale)."""
    return np.ones(_check_shape(shape))


def uniform(shape: Shape, low: float = -0.05, high: float = 0.05,
            rng: RandomSource = None) -> np.ndarray:
    """U(low, high); the defaults are Keras's ``random_uniform`` (seed file 002).

    >>> bool(abs(uniform((100,), rng=0)).max() <= 0.05)
    True
    """
    if not low < high:
        raise ValueError(f"uniform needs low < high, got low={low}, high={high}")
    return generator(rng).uniform(low, high, size=_check_shape(shape))


def normal(shape: Shape, mean: float = 0.0, std: float = 0.05,
           rng: RandomSource = None) -> np.ndarray:
    """N(mean, std²); the defaults are Keras's ``random_normal``."""
    if std < 0:
        raise ValueError(f"normal needs std >= 0, got {std}")
    return generator(rng).normal(mean, std, size=_check_shape(shape))


def xavier_uniform(shape: Shape, rng: RandomSource = None) -> np.ndarray:
    """Glorot/Xavier uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)).

    The variance of U(-a, a) is a²/3 = 2 / (fan_in + fan_out): the average of what the
    forward pass (1 / fan_in) and the backward pass (1 / fan_out) each want.
    """
    fan_in, fan_out = fans(shape)
    a = math.sqrt(6.0 / (fan_in + fan_out))
    return generator(rng).uniform(-a, a, size=_check_shape(shape))


def xavier_normal(shape: Shape, rng: RandomSource = None) -> np.ndarray:
    """Glorot/Xavier normal: N(0, σ²) with σ = sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = fans(shape)
    return generator(rng).normal(0.0, math.sqrt(2.0 / (fan_in + fan_out)), size=_check_shape(shape))


def he_uniform(shape: Shape, rng: RandomSource = None) -> np.ndarray:
    """He/Kaiming uniform: U(-a, a) with a = sqrt(6 / fan_in) (variance 2 / fan_in)."""
    fan_in, _ = fans(shape)
    a = math.sqrt(6.0 / fan_in)
    return generator(rng).uniform(-a, a, size=_check_shape(shape))


def he_normal(shape: Shape, rng: RandomSource = None) -> np.ndarray:
    """He/Kaiming normal: N(0, σ²) with σ = sqrt(2 / fan_in), for ReLU layers.

    ReLU passes on half of its inputs, halving the variance; the factor 2 restores it.
    (Not 2 / sqrt(fan_in), as seed file 000 has it.)
    """
    fan_in, _ = fans(shape)
    return generator(rng).normal(0.0, math.sqrt(2.0 / fan_in), size=_check_shape(shape))


# PyTorch's names for the same functions.
glorot_uniform, glorot_normal = xavier_uniform, xavier_normal
kaiming_uniform, kaiming_normal = he_uniform, he_normal

INITIALISERS: dict[str, Callable[..., np.ndarray]] = {
    "zeros": zeros, "ones": ones, "uniform": uniform, "normal": normal,
    "random_uniform": uniform, "random_normal": normal,
    "xavier_uniform": xavier_uniform, "xavier_normal": xavier_normal,
    "glorot_uniform": xavier_uniform, "glorot_normal": xavier_normal,
    "he_uniform": he_uniform, "he_normal": he_normal,
    "kaiming_uniform": he_uniform, "kaiming_normal": he_normal,
}


def get(init: str | Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """An initialiser by name (``"he_normal"``) or the callable itself.

    >>> get("glorot_uniform") is xavier_uniform
    True
    """
    if callable(init):
        return init
    if init not in INITIALISERS:
        raise ValueError(f"unknown initialiser {init!r}; choose one of "
                         f"{', '.join(sorted(INITIALISERS))} or pass a function shape -> array")
    return INITIALISERS[init]


def _check_shape(shape: Shape) -> tuple[int, ...]:
    if is_whole(shape):
        shape = (int(shape),)
    shape = tuple(shape)
    if not shape or any(not is_whole(n) or n < 1 for n in shape):
        raise ValueError(f"a weight shape needs positive whole sizes, got {shape!r}")
    return tuple(int(n) for n in shape)
