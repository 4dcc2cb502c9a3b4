"""numpy maths for the rule table: the ``ops`` namespace a rule uses on arrays.

The rules in ``rules.py`` are written once against an ``ops`` namespace; this module
is that namespace for ``Tensor`` data (numpy arrays). Bad values follow numpy rather
than raising: ``log`` of 0 is -inf and of a negative number nan, with one warning.

Every function keeps the input's dtype (float32 stays float32): Python numbers mixed in
are "weak" in numpy 2 and never promote an array.

    >>> import numpy as np
    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
"""

from __future__ import annotations

import warnings

import numpy as np

exp = np.exp
tanh = np.tanh
sin = np.sin
cos = np.cos
sign = np.sign
divide = np.divide
power = np.power
matmul = np.matmul
reshape = np.reshape
transpose = np.transpose
broadcast_to = np.broadcast_to


def power_slope(x: np.ndarray, n: float) -> np.ndarray:
    """n·x**(n-1); all zeros when n = 0 (x**0 is flat, even at 0)."""
    return n * np.power(x, n - 1) if n != 0 else np.zeros_like(x)


def log(x: np.ndarray) -> np.ndarray:
    """ln x elementwise; entries <= 0 give -inf (at 0) or nan (below), as numpy, warning once.

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     log(np.array([1.0, 0.0, -1.0]))
    array([  0., -inf,  nan])
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.log(x)
    bad = np.count_nonzero(x <= 0)
    if bad:
        # One message instead of numpy's two (one for 0, one for negatives).
        warnings.warn(f"log of {bad} entr{'y' if bad == 1 else 'ies'} <= 0: -inf where the "
                      f"entry is 0 and nan where it is negative (as numpy); clip the input "
                      f"first, e.g. x.clip(1e-12, None).log()", RuntimeWarning, stacklevel=5)
    return result


def log_or_nan(x: np.ndarray) -> np.ndarray:
    """ln x, nan where x <= 0 (the exponent's gradient of a**b there, as PyTorch), no warning."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x > 0, np.log(np.where(x > 0, x, 1)), np.nan).astype(x.dtype, copy=False)


def sqrt(x: np.ndarray) -> np.ndarray:
    """Square root elementwise; nan below 0, as numpy, with one warning."""
    with np.errstate(invalid="ignore"):
        result = np.sqrt(x)
    bad = np.count_nonzero(x < 0)
    if bad:
        warnings.warn(f"sqrt of {bad} negative entr{'y' if bad == 1 else 'ies'}: nan there "
                      f"(as numpy)", RuntimeWarning, stacklevel=5)
    return result


def sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + e**-x), written so exp never sees a large positive argument."""
    e = np.exp(-np.abs(x))  # in (0, 1]: no overflow at ±1000
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def softmax(x: np.ndarray, axis: int) -> np.ndarray:
    """e**x / Σ e**x along ``axis``, shifted by the maximum so exp never overflows."""
    e = np.exp(x - np.maximum.reduce(x, axis, keepdims=True))
    return e / np.add.reduce(e, axis, keepdims=True)


def relu(x: np.ndarray) -> np.ndarray:
    """max(x, 0) elementwise, in x's dtype."""
    return np.maximum(x, 0)


def leaky_relu(x: np.ndarray, slope: float) -> np.ndarray:
    """x where x > 0, else slope·x."""
    return np.where(x > 0, x, slope * x)


def step(x: np.ndarray) -> np.ndarray:
    """1 where x > 0, else 0, in x's dtype."""
    return (x > 0).astype(x.dtype)


def constant(x: np.ndarray) -> np.ndarray:
    """The plain array (for a Tensor: its data); masks built from it carry no gradient."""
    return x


def sum(x: np.ndarray, axis: tuple | None = None, keepdims: bool = False) -> np.ndarray:
    """Σ over ``axis`` (all axes when None), as ``np.sum`` without its Python wrapper."""
    return np.add.reduce(x, axis, keepdims=keepdims)


def swap_last(x: np.ndarray) -> np.ndarray:
    """The last two axes swapped (a view, no copy: matmul hands it to BLAS transposed)."""
    return np.swapaxes(x, -1, -2)


def sum_to(x: np.ndarray, shape: tuple) -> np.ndarray:
    """Undo broadcasting: sum ``x`` over the axes that broadcasting added or stretched.

    >>> sum_to(np.ones((4, 2, 3)), (2, 1))
    array([[12.],
           [12.]])
    """
    if x.shape == shape:
        return x
    axes = broadcast_axes(x.shape, shape)
    if len(axes) == x.ndim - len(shape):  # only new leading axes (a bias): fresh, not a view
        return np.add.reduce(x, axes)
    return np.add.reduce(x, axes, keepdims=True).reshape(shape)


def broadcast_axes(big: tuple, shape: tuple) -> tuple[int, ...]:
    """The axes of ``big`` that broadcasting ``shape`` to it added (in front) or stretched.

    >>> broadcast_axes((4, 2, 3), (2, 1))
    (0, 2)
    """
    lead = len(big) - len(shape)
    return tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape)
                                      if n == 1 and big[lead + i] != 1)


def is_basic_index(key: object) -> bool:
    """True for keys made of ints, slices, None and ``...`` only (no entry picked twice)."""
    parts = key if isinstance(key, tuple) else (key,)
    return all(part is None or part is Ellipsis or isinstance(part, (int, np.integer, slice))
               and not isinstance(part, bool) for part in parts)


def scatter(values: np.ndarray, shape: tuple, key: object) -> np.ndarray:
    """Zeros of ``shape`` with ``values`` added at ``x[key]``; repeated entries add up.

    The gradient of indexing (``np.add.at`` rather than ``np.bincount``: faster since
    numpy 1.25, see benchmarks/NOTES.md).

    >>> scatter(np.array([1.0, 2.0, 3.0]), (3,), np.array([0, 2, 0]))
    array([4., 0., 2.])
    """
    out = np.zeros(shape, dtype=values.dtype)
    if is_basic_index(key):  # no entry can be picked twice: plain assignment
        out[key] = values
    else:
        np.add.at(out, key, values)
    return out
