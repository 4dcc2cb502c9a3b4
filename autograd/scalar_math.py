"""Plain float maths for the rule table: the ``ops`` namespace a rule uses on numbers.

Each rule in ``rules.py`` is written once against an ``ops`` namespace, so the same
formula runs on floats (here), on ``Value`` nodes (to differentiate a derivative again)
and on numpy arrays (``Tensor``). Functions here raise ``ValueError``,
``ZeroDivisionError`` or ``OverflowError`` on bad input; the engine adds the operation
and the offending value to the message.

So where no real number results, a ``Value`` raises rather than carry nan or inf on
silently: division by 0 and 0 to a negative power (ZeroDivisionError); log of x <= 0,
sqrt of x < 0, a negative base to a fractional power, sin or cos of ±inf (ValueError);
exp above 709.78 (OverflowError). ``Tensor`` gives numpy's inf and nan there. Everywhere
else nan, ±inf and -0.0 in and out match PyTorch's float64, but for two choices: relu's
slope at nan is 0 (PyTorch passes the gradient through), and a local derivative of 0
times an infinite or nan upstream gradient is nan, the chain rule's product (PyTorch's
relu, sign and a**b at b = 0 give 0 there). tests/autograd/test_reliability_edge_values.py
checks it.
"""

from __future__ import annotations

import math


def exp(x: float) -> float:
    return math.exp(x)


def log(x: float) -> float:
    if x <= 0:
        raise ValueError("the logarithm is defined only for positive numbers")
    return math.log(x)


def log_or_nan(x: float) -> float:
    """ln x, or nan where x <= 0 (the exponent's gradient of a**b there, as PyTorch)."""
    return math.log(x) if x > 0 else math.nan


def sqrt(x: float) -> float:
    if x < 0:
        raise ValueError("the square root is defined only for numbers >= 0")
    return math.sqrt(x)


def power(a: float, b: float) -> float:
    if a == 0 and b < 0:
        raise ZeroDivisionError("0 cannot be raised to a negative power")
    # (checked, not left to Python: (-inf) ** 0.5 is inf there, though (-1) ** 0.5 is complex)
    if a < 0 and math.isfinite(b) and not float(b).is_integer():
        raise ValueError("a negative base needs a whole-number exponent "
                         "(the result would be complex)")
    return float(a**b)


def power_slope(x: float, n: float) -> float:
    """n·x**(n-1), the slope of x**n: 0 when n = 0 (x**0 is flat, even at 0), and inf at
    x = 0 for 0 < n < 1 (the tangent of sqrt at 0 is vertical), as PyTorch gives."""
    if n == 0:
        return 0.0
    if x == 0 and n < 1:
        return sqrt_slope(x) if n == 0.5 else math.inf  # x**0.5 is sqrt: -inf at -0.0
    return n * power(x, n - 1)


def exponent_slope(out: float, a: float, b: float) -> float:
    """d(a**b)/db = a**b·ln a; 0 at a = 0 (with b >= 0, a**b is 0 or 1 there, flat in b),
    as PyTorch gives; nan for a < 0."""
    if a == 0 and b >= 0:
        return 0.0
    return out * log_or_nan(a)


def sqrt_slope(out: float) -> float:
    """d sqrt(x)/dx = 1/(2·sqrt(x)): inf at 0 (a vertical tangent), as PyTorch."""
    return 0.5 / out if out else math.copysign(math.inf, out)


def divide(a: float, b: float) -> float:
    if b == 0:
        raise ZeroDivisionError("division by zero")
    return a / b


def tanh(x: float) -> float:
    return math.tanh(x)  # saturates to +-1 without overflow


def sigmoid(x: float) -> float:
    # Two branches so exp never sees a large positive argument: no overflow at +-1000.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def relu(x: float) -> float:
    return 0.0 if x <= 0 else x  # nan stays nan, as PyTorch


def leaky_relu(x: float, slope: float) -> float:
    return x if x > 0 else slope * x


def step(x: float) -> float:
    return 1.0 if x > 0 else 0.0


def sign(x: float) -> float:
    return 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


sin = math.sin
cos = math.cos
