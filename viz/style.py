"""How things look: the colour of each kind of node, the gradient colour map, numbers.

Kinds of node, told apart by colour (and the output by a thicker border):

    input         a leaf the user fed in (role "input", or any leaf without a role)
    parameter     a trainable leaf (role "parameter", set by ``nn``)
    constant      a number made a leaf (role "constant"; x + 1 folds the 1 into the op)
    intermediate  the result of an operation
    output        the root the drawing starts from

    >>> kind_color("parameter")
    '#fde2b8'
    >>> format_number(0.5, 4), format_number(3e-7, 4), format_number(None, 4)
    ('0.5000', '3.000e-07', '—')
"""

from __future__ import annotations

import math

from . import themes

KIND_COLORS = {
    "input": "#d4e8f7",
    "parameter": "#fde2b8",
    "constant": "#eeeeee",
    "intermediate": "#ffffff",
    "output": "#cdeccd",
}
KIND_TEXT = {
    "input": "input (leaf)",
    "parameter": "parameter",
    "constant": "constant",
    "intermediate": "intermediate",
    "output": "output",
}
OP_COLOR = "#f4f4f4"
GROUP_COLOR = "#eef1fb"
HIGHLIGHT_COLOR = "#e8590c"
UNKNOWN_GRAD_COLOR = "#dddddd"
FONT = "Helvetica"
UNKNOWN = "—"  # a gradient backward has not reached: not the same thing as 0

# The diverging map's ends and middle come from the theme in use (viz.themes): in the
# light theme ColorBrewer RdBu, blue for negative, white for 0, red for positive.


def kind_color(kind: str) -> str:
    """Fill colour of a value node of this kind (see the module docstring)."""
    return KIND_COLORS[kind]


def grad_color(gradient: float | None, scale: float) -> str:
    """Diverging colour for ``gradient`` on the scale [-scale, +scale] (linear in size).

    t = gradient / scale, clipped to [-1, 1]; t = 0 is white, -1 deep blue, +1 deep red.
    Unknown gradients are grey; the three colours come from the theme in use. A linear
    scale is the honest picture of vanishing gradients: a gradient 1000 times smaller
    than the largest is as good as white.

    >>> grad_color(0.0, 1.0), grad_color(1.0, 1.0), grad_color(-5.0, 1.0)
    ('#f7f7f7', '#b2182b', '#2166ac')
    """
    if gradient is None or not math.isfinite(gradient):
        return UNKNOWN_GRAD_COLOR
    t = 0.0 if scale <= 0 else max(-1.0, min(1.0, gradient / scale))
    theme = themes.current()
    end = theme.positive if t > 0 else theme.negative
    rgb = (round(z + abs(t) * (e - z)) for z, e in zip(theme.zero, end, strict=True))
    return "#" + "".join(f"{c:02x}" for c in rgb)


def text_color_on(fill: str) -> str:
    """Near-black or near-white, whichever reads better on ``fill`` (``#rrggbb``).

    Not exactly black or white: a theme recolours those (viz.themes), and this text sits
    on a gradient colour the theme has already chosen.
    """
    r, g, b = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    luminance = 0.299 * r + 0.587 * g + 0.114 * b
    return "#111111" if luminance > 140 else "#f8f8f8"


def format_number(x: float | None, precision: int) -> str:
    """``precision`` decimals; scientific notation when that would hide the number.

    A gradient of 3e-7 printed as 0.0000 would look like no gradient at all, which is
    exactly the wrong message in a picture of vanishing gradients.

    >>> format_number(-2.5, 2), format_number(1e9, 2), format_number(0.0, 2)
    ('-2.50', '1.0e+09', '0.00')
    """
    if x is None:
        return UNKNOWN
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return str(x)
    size = abs(x)
    if size != 0 and (size < 10.0 ** -precision or size >= 1e6):
        return f"{x:.{max(precision - 1, 1)}e}"
    return f"{x:.{precision}f}"
