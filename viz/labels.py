"""The text inside each drawn node, as Graphviz HTML-like labels with every user string escaped.

Labels and op names come from users, so they can hold anything: ``"``, ``<``, ``&``,
``]]>``, newlines, letters of any script. ``html_text`` turns such a string into
label markup that Graphviz parses as plain text and writes back into valid SVG.

    >>> html_text('a<b> & "c"')
    'a&lt;b&gt; &amp; &quot;c&quot;'
    >>> html_text("two\\nlines")
    'two<br/>lines'
"""

from __future__ import annotations

import html
import re
from typing import Any

import numpy as np

from autograd import RULES

from .style import FONT, UNKNOWN, format_number

# Characters XML 1.0 forbids (C0 controls other than tab and newline, lone surrogates,
# U+FFFE/U+FFFF): the SVG would not parse, so they become the replacement character.
_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with the characters XML forbids as U+FFFD (a lone surrogate cannot even
    be written as UTF-8): for whole SVG or HTML documents before they are saved."""
    return _NOT_XML.sub("\ufffd", text)


def html_text(text: Any) -> str:
    """``text`` as escaped HTML-label content; newlines become line breaks.

    Tabs become a space and characters that XML forbids become U+FFFD (shown as �).
    A backslash is doubled: Graphviz expands ``\\N`` or ``\\G`` even inside HTML labels.
    """
    text = _NOT_XML.sub("\ufffd", str(text).replace("\r\n", "\n").replace("\r", "\n")
                        .replace("\t", " "))
    text = text.replace("\\", "\\\\")
    return "<br/>".join(html.escape(line, quote=True) for line in text.split("\n"))


def op_text(node: Any) -> str:
    """How the node's operation is drawn, from the rule table (``RULES[op].display``)."""
    rule = RULES.get(node.op)
    attrs = getattr(node, "attrs", None)
    return rule.display(attrs) if rule is not None else str(node.op)


def is_array_node(node: Any) -> bool:
    """True for Tensor-like nodes (their ``.data`` has a shape), False for scalars."""
    return hasattr(node.data, "shape")


def summarize(array: Any, precision: int) -> str:
    """The values when there are at most 6, else min / mean / max.

    >>> import numpy as np
    >>> summarize(np.array([1.0, -2.0]), 2)
    '[1.00, -2.00]'
    >>> summarize(np.arange(10.0), 1)
    'min 0.0  mean 4.5  max 9.0'
    """
    if array is None:
        return UNKNOWN
    array = np.asarray(array)
    if array.size == 0:
        return "(empty)"
    if array.size <= 6:
        return np.array2string(array, separator=", ",
                               formatter={"all": lambda v: format_number(v, precision)})
    values = array.astype(float)
    return (f"min {format_number(values.min(), precision)}  "
            f"mean {format_number(values.mean(), precision)}  "
            f"max {format_number(values.max(), precision)}")


def _cell(text: str, fill: str, fixed_width: int | None, bold: bool = False,
          color: str = "#000000") -> str:
    size = f' width="{fixed_width}" height="22" fixedsize="true"' if fixed_width else ""
    body = f"<b>{text}</b>" if bold and text else text
    if color != "#000000" and text:
        body = f'<font color="{color}">{body}</font>'
    return f'<td bgcolor="{fill}"{size}>{body}</td>'


def value_label(node: Any, *, kind_fill: str, value_fill: str, value_text_color: str,
                gradient: Any, show_data: bool, show_grad: bool, precision: int,
                border: int, border_color: str, stable: bool, rankdir: str,
                name: str | None = None, order: int | None = None) -> str:
    """HTML label of a value node: ``label | data | grad`` (plus shape and dtype for a Tensor).

    Scalars lay out in one row, as micrograd draws them; with ``rankdir`` TB or BT, and
    for tensors (whose summaries are long), the cells stack in a column. ``name`` is
    written in grey where the node has no label (the name captions use for it);
    ``order`` (``show_order``) in a first cell, ``#1`` for the node backward visits first.
    """
    array = is_array_node(node)
    title = html_text(node.label) if node.label else ""
    if not title and name:
        title = f'<font color="#888888">{html_text(name)}</font>'
    cells = []
    # Only the gradient changes while backward runs. A fixed width for its cell
    # (``stable``) keeps the node's size, and so the layout, the same in every frame.
    grad_width = (110 if not array else 300) if stable else None
    if order is not None:
        cells.append(_cell(f'<font color="#888888">#{order}</font>', kind_fill, None))
    if title or not (show_data or show_grad):
        cells.append(_cell(title, kind_fill, None, bold=True))
    if array:
        shape = "×".join(str(n) for n in node.data.shape) or "scalar"
        # a parameter without requires_grad is one nn froze (layer.trainable = False)
        frozen = "  frozen" if node.role == "parameter" and not node.requires_grad else ""
        cells.append(_cell(html_text(f"{shape}  {node.data.dtype}{frozen}"), kind_fill, None))
    if show_data:
        data = summarize(node.data, precision) if array else format_number(node.data, precision)
        cells.append(_cell("data " + html_text(data), value_fill, None, color=value_text_color))
    if show_grad:
        grad = summarize(gradient, precision) if array else format_number(gradient, precision)
        cells.append(_cell("grad " + html_text(grad), value_fill, grad_width,
                           color=value_text_color))
    column = array or rankdir in ("TB", "BT")
    rows = "".join(f"<tr>{c}</tr>" for c in cells) if column else f"<tr>{''.join(cells)}</tr>"
    return (f'<<table border="{border}" color="{border_color}" cellborder="1" '
            f'cellspacing="0" cellpadding="4">{rows}</table>>')


def op_label(node: Any, fill: str, border: int, border_color: str) -> str:
    """HTML label of an operation node: its symbol from the rule table, escaped."""
    return (f'<<table border="{border}" color="{border_color}" style="rounded" '
            f'cellborder="0" cellpadding="3" bgcolor="{fill}"><tr><td>'
            f"{html_text(op_text(node))}</td></tr></table>>")


def edge_label(local: Any, upstream: Any, precision: int, stable: bool) -> str:
    """``local 0.5`` before backward reaches the edge; ``up × local = product`` after.

    This is the chain rule on one edge: the parent receives upstream x local.
    """
    lines = [f"local {html_text(format_number(local, precision))}"]
    if upstream is not None:
        product = upstream * local
        lines.append(html_text(f"{format_number(upstream, precision)} × "
                               f"{format_number(local, precision)} = "
                               f"{format_number(product, precision)}"))
    else:
        lines.append(html_text(f"{UNKNOWN} × {format_number(local, precision)}"))
    size = ' width="112" height="30" fixedsize="true"' if stable else ""
    text = "<br/>".join(lines)
    return (f'<<table border="0" cellpadding="0"><tr><td{size}>'
            f'<font point-size="9" face="{FONT}">{text}</font></td></tr></table>>')


def formula_label(text: str) -> str:
    """An edge label holding the rule table's formula text (used where no number is known)."""
    return f'<<font point-size="9" face="{FONT}">{html_text(text)}</font>>'


def fold_label(text: str) -> str:
    """HTML label of a box standing for many nodes ("… 995 more + nodes")."""
    return (f'<<table border="1" color="#888888" style="rounded,dashed" cellborder="0" '
            f'cellpadding="6" bgcolor="#fafafa"><tr><td>{html_text(text)}</td></tr>'
            f'</table>>')


def html_note(text: str) -> str:
    """A drawing's note (what a big graph's picture leaves out), as a graph label."""
    return (f'<<font point-size="14" color="#555555" face="{FONT}">{html_text(text)}'
            f'</font>>')
