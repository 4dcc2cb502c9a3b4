"""Is this argument a number? One answer for every numeric argument of ``nn`` and ``viz``.

Any real number type counts — Python's, numpy's (``np.int64(1)``, ``np.float32(0.1)``),
``fractions.Fraction`` — but not ``True``/``False``: a bool where a number is meant is
almost always a slip (``lr=True``), so it is refused.

    >>> import numpy as np
    >>> is_real(np.int64(1)), is_real(0.5), is_real(True), is_real("1")
    (True, True, False, False)
    >>> is_whole(np.int32(3)), is_whole(3.0), is_whole(np.bool_(True))
    (True, False, False)
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

_BOOLS = (bool, np.bool_)


def is_real(value: Any) -> bool:
    """True for a real number of any type (int, float, numpy's, Fraction), not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, _BOOLS)


def is_whole(value: Any) -> bool:
    """True for an integer of any type (int, numpy's), not a bool and not ``3.0``."""
    return isinstance(value, numbers.Integral) and not isinstance(value, _BOOLS)
