"""PDF without a system Graphviz: the laid-out shapes painted by matplotlib's PDF backend.

graphviz-pure writes SVG and PNG but not PDF. The layout it does write as JSON
(``viz.shapes``) is painted here shape by shape: vector outlines and curves, text as
real text in an embedded TrueType font (DejaVu Sans, shrunk where it is wider than the
Helvetica the layout measured). Needs matplotlib (``pip install 'chainrule[plots]'``).

    >>> from autograd import Value
    >>> from viz.draw import draw_graph
    >>> y = Value(2.0, label="x") ** 2
    >>> pdf_bytes(draw_graph(y))[:5]
    b'%PDF-'
"""

from __future__ import annotations

import io
from typing import Any

from . import shapes
from .shapes import Ellipse, Path, Text

_DASHES = {"solid": "-", "dashed": "--", "dotted": ":"}
_ALIGN = {"l": "left", "c": "center", "r": "right"}


def _figure_class() -> Any:
    try:
        from matplotlib.figure import Figure  # no pyplot: no GUI backend, no global state
    except ImportError:
        raise ImportError("writing PDF without a system Graphviz needs matplotlib: "
                          "pip install 'chainrule[plots]' (or install Graphviz so that "
                          "`dot` is on PATH, or save as .svg)") from None
    return Figure


def _settable(text: str, font: Any) -> str:
    """``text`` with each character the font lacks written as its code point, visibly."""
    from matplotlib.font_manager import findfont, get_font

    face = get_font(findfont(font))
    return "".join(c if c.isspace() or face.get_char_index(ord(c)) else f"[U+{ord(c):04X}]"
                   for c in text)


def pdf_bytes(drawing: Any) -> bytes:
    """A one-page vector PDF of ``drawing`` (a drawing or DOT text), its own size."""
    Figure = _figure_class()
    from matplotlib import patches, rc_context
    from matplotlib.colors import to_rgba
    from matplotlib.font_manager import FontProperties
    from matplotlib.path import Path as MplPath
    from matplotlib.textpath import TextToPath

    picture = shapes.lay_out(drawing)
    x0, y0, x1, y1 = picture.box
    measure = TextToPath()
    with rc_context({"pdf.fonttype": 42, "svg.fonttype": "none"}):
        figure = Figure(figsize=((x1 - x0) / 72, (y1 - y0) / 72), facecolor=picture.background)
        ax = figure.add_axes((0, 0, 1, 1))
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_axis_off()
        for shape in picture.shapes:
            if isinstance(shape, Text):
                if not shape.text.strip():
                    continue
                weight = "bold" if shape.bold else "normal"
                font = FontProperties(family="DejaVu Sans", weight=weight,
                                      style="italic" if shape.italic else "normal",
                                      size=shape.size)
                text = _settable(shape.text, font)
                wide, _, _ = measure.get_text_width_height_descent(text, font, False)
                size = shape.size * min(1.0, shape.width * 1.03 / wide) if wide else shape.size
                font.set_size(size)
                ax.text(shape.at[0], shape.at[1], text, fontproperties=font,
                        color=shape.color, ha=_ALIGN.get(shape.align, "center"),
                        va="baseline", parse_math=False)
                continue
            pen = shape.pen
            style: dict[str, Any] = {
                "facecolor": to_rgba(shape.fill, shape.fill_opacity) if shape.fill else "none",
                "edgecolor": to_rgba(pen.color, pen.opacity) if pen.color else "none",
                "linewidth": pen.width * 0.75 if pen.color else 0,
                "linestyle": _DASHES.get(pen.dash, "-"), "joinstyle": "round",
                "capstyle": "round"}
            if isinstance(shape, Ellipse):
                ax.add_patch(patches.Ellipse(shape.centre, 2 * shape.rx, 2 * shape.ry, **style))
            elif isinstance(shape, Path):
                codes = [MplPath.MOVETO] + [MplPath.CURVE4 if shape.curve else MplPath.LINETO
                                            ] * (len(shape.points) - 1)
                points = list(shape.points)
                if shape.closed:
                    points.append(points[0])
                    codes.append(MplPath.CLOSEPOLY)
                ax.add_patch(patches.PathPatch(MplPath(points, codes), **style))
        buffer = io.BytesIO()
        figure.savefig(buffer, format="pdf", facecolor=picture.background)
    return buffer.getvalue()
