"""Check analytic gradients against central finite differences.

    numeric d f / d x_i  ≈  (f(x + eps·e_i) - f(x - eps·e_i)) / (2·eps)

Central differences are accurate to O(eps²), so with eps = 1e-6 in float64 the two
agree to about 1e-8 wherever f is smooth.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .derivatives import grad
from .value import Value


class GradcheckError(AssertionError):
    """Analytic and numeric gradients disagree; the message is a table of both."""


def gradcheck(f: Callable[..., Any], inputs: Sequence[Any], eps: float = 1e-6,
              atol: float = 1e-5, rtol: float = 1e-3) -> bool:
    """True when backprop through ``f`` matches central differences at ``inputs``.

    Passes when |analytic - numeric| <= atol + rtol·|numeric| for every input;
    otherwise raises ``GradcheckError`` with a table (input, analytic, numeric,
    difference).

    >>> from autograd import gradcheck
    >>> gradcheck(lambda a, b: (a * b + b ** 2).tanh(), [0.3, -0.5])
    True
    """
    if eps <= 0:
        raise ValueError(f"gradcheck eps must be > 0, got {eps}")
    numbers = [float(x.data) if isinstance(x, Value) else float(x) for x in inputs]

    def evaluate(point: list[float]) -> float:
        out = f(*[Value(x) for x in point])
        if not isinstance(out, Value):
            raise TypeError(f"gradcheck: f must return a Value, got {out!r}")
        return out.data

    leaves = [Value(x) for x in numbers]
    output = f(*leaves)
    if not isinstance(output, Value):
        raise TypeError(f"gradcheck: f must return a Value, got {output!r}")
    analytic = grad(output, leaves)
    rows, failed = [], False
    for i, x in enumerate(numbers):
        plus, minus = list(numbers), list(numbers)
        plus[i], minus[i] = x + eps, x - eps
        numeric = (evaluate(plus) - evaluate(minus)) / (2 * eps)
        difference = abs(analytic[i] - numeric)
        bad = not difference <= atol + rtol * abs(numeric)  # `not <=` also catches nan
        failed |= bad
        rows.append((f"x{i} = {x:g}", analytic[i], numeric, difference, bad))
    if failed:
        raise GradcheckError(format_table(rows))
    return True


def format_table(rows: list[tuple]) -> str:
    """Aligned text table: input, analytic, numeric, difference, and a mark on failures."""
    header = ("input", "analytic", "numeric", "difference")
    lines = [f"{header[0]:>16} {header[1]:>14} {header[2]:>14} {header[3]:>12}"]
    for name, analytic, numeric, difference, bad in rows:
        mark = "  <- mismatch" if bad else ""
        lines.append(f"{name:>16} {analytic:>14.8g} {numeric:>14.8g} {difference:>12.3g}{mark}")
    return "gradients disagree with central differences:\n" + "\n".join(lines)
