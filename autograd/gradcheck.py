"""Check analytic gradients against central finite differences.

    numeric d f / d x_i  ≈  (f(x + eps·e_i) - f(x - eps·e_i)) / (2·eps)

Central differences are accurate to O(eps²), so with eps = 1e-6 in float64 the two
agree to about 1e-8 wherever f is smooth.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .derivatives import grad
from .tensor import Tensor
from .value import Value


class GradcheckError(AssertionError):
    """Analytic and numeric gradients disagree; the message is a table of both."""


def gradcheck(f: Callable[..., Any], inputs: Sequence[Any], eps: float = 1e-6,
              atol: float = 1e-5, rtol: float = 1e-3) -> bool:
    """True when backprop through ``f`` matches central differences at ``inputs``.

    Passes when |analytic - numeric| <= atol + rtol·|numeric| for every input;
    otherwise raises ``GradcheckError`` with a table (input, analytic, numeric,
    difference).

    With arrays (or Tensors) as inputs, ``f`` gets float64 Tensors and returns a Tensor;
    a non-scalar output y is checked through Σ r·y with fixed random weights r, which
    tests the vector-Jacobian product every entry at once.

    >>> from autograd import gradcheck
    >>> gradcheck(lambda a, b: (a * b + b ** 2).tanh(), [0.3, -0.5])
    True
    >>> import numpy as np
    >>> gradcheck(lambda a, b: (a @ b).tanh(), [np.ones((2, 3)) / 4, np.ones((3, 1))])
    True
    """
    if eps <= 0:
        raise ValueError(f"gradcheck eps must be > 0, got {eps}")
    if any(isinstance(x, (np.ndarray, Tensor)) for x in inputs):
        return _gradcheck_arrays(f, inputs, eps, atol, rtol)
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


def _gradcheck_arrays(f: Callable[..., Any], inputs: Sequence[Any], eps: float, atol: float,
                      rtol: float) -> bool:
    """gradcheck for Tensor functions: every entry of every input, in float64."""
    points = [np.array(x.data if isinstance(x, Tensor) else x, dtype=np.float64)
              for x in inputs]
    leaves = [Tensor(p.copy(), requires_grad=True) for p in points]
    output = f(*leaves)
    if not isinstance(output, Tensor):
        raise TypeError(f"gradcheck: f must return a Tensor, got {output!r}")
    # One fixed random weighting of the outputs: checks Jᵀr for a generic r.
    weights = np.random.default_rng(0).standard_normal(output.shape)
    analytic = grad((output * weights).sum(), leaves)

    def evaluate(values: list[np.ndarray]) -> float:
        # Recorded like the analytic pass, so f may itself call grad() (second derivatives).
        leaves = [Tensor(v, requires_grad=True) for v in values]
        return float(np.sum(f(*leaves).data * weights))

    rows, failed = [], False
    for i, point in enumerate(points):
        for index in np.ndindex(point.shape):
            x = point[index]
            shifted = [p.copy() for p in points]
            shifted[i][index] = x + eps
            plus = evaluate(shifted)
            shifted[i][index] = x - eps
            numeric = (plus - evaluate(shifted)) / (2 * eps)
            value = float(np.asarray(analytic[i])[index])
            difference = abs(value - numeric)
            bad = not difference <= atol + rtol * abs(numeric)  # `not <=` also catches nan
            failed |= bad
            name = f"x{i}[{', '.join(map(str, index))}] = {x:.4g}" if index else f"x{i} = {x:.4g}"
            rows.append((name, value, numeric, difference, bad))
    if failed:
        if len(rows) > 40:  # a table of every entry would bury the mismatches
            rows = [row for row in rows if row[4]][:40]
        raise GradcheckError(format_table(rows))
    return True
