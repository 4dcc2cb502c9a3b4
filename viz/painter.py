"""The pieces ``draw_graph`` and ``collapse`` share: which nodes to draw, how each value,
operation and edge is painted, the legend, the colour bar, and the size limit.

    >>> from autograd import Value
    >>> node_kind(Value(1.0, role="parameter"), roots=[])
    'parameter'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from autograd import RULES, topological_order
from autograd.stepping import local_derivative

from . import labels, style
from .notebook import GraphDrawing

DEFAULT_MAX_NODES = 400
COLOR_BY = (None, "kind", "grad")
RANKDIRS = ("LR", "RL", "TB", "BT")


class GraphTooLargeError(ValueError):
    """The graph has more drawn nodes than ``max_nodes``; the message says what to do."""


def as_roots(root: Any) -> list:
    """``root`` as a list of graph nodes (one node, or a list or tuple of nodes)."""
    roots = list(root) if isinstance(root, (list, tuple)) else [root]
    if not roots:
        raise ValueError("draw_graph needs at least one node to draw, got an empty list")
    for item in roots:
        if not hasattr(item, "parents") or not hasattr(item, "data"):
            raise TypeError(f"draw_graph draws Values and Tensors, got {item!r:.80} of type "
                            f"{type(item).__name__}; build it from autograd.Value or Tensor")
    return roots


def graph_nodes(roots: Sequence[Any]) -> list:
    """Every node under ``roots``, parents before children (iterative, no recursion)."""
    order: list = []
    seen: set = set()
    for root in roots:
        for node in topological_order(root):
            if node not in seen:
                seen.add(node)
                order.append(node)
    return order


def gradient_reader(roots: Sequence[Any], grads: Mapping | None) -> Callable[[Any], Any]:
    """A function node -> its gradient, or None where backward has not reached it.

    The rule is in the module docstring.
    """
    if grads is not None:
        return grads.get
    if all(not labels.is_array_node(r) and r.grad == 0 for r in roots):
        return lambda node: None if not labels.is_array_node(node) else node.grad
    return lambda node: node.grad


def node_kind(node: Any, roots: Iterable[Any]) -> str:
    """``output``, ``intermediate``, ``parameter``, ``constant`` or ``input``."""
    if any(node is r for r in roots):
        return "output"
    if node.parents:
        return "intermediate"
    role = getattr(node, "role", "")
    if role in ("parameter", "constant"):
        return role
    return "input"


def signed_size(gradient: Any) -> float | None:
    """One signed number for a gradient: itself, or a Tensor's entry of largest size."""
    if gradient is None:
        return None
    if hasattr(gradient, "shape"):
        array = np.asarray(gradient, dtype=float)
        if array.size == 0:
            return 0.0
        return float(array.flat[int(np.argmax(np.abs(array)))])
    return float(gradient)


class Painter:
    """Draws single nodes and edges with one set of options (shared with ``collapse``)."""

    def __init__(self, roots: Sequence[Any], grad_of: Callable[[Any], Any], *,
                 show_data: bool, show_grad: bool, precision: int, color_by: str | None,
                 grad_scale: float, highlight: Iterable[Any], show_edge_grads: bool,
                 stable_layout: bool, rankdir: str, names: Mapping | None = None,
                 show_order: bool = False) -> None:
        self.roots = list(roots)
        # Position in the order backward() visits nodes: reversed topological order.
        self.order = {node: n for n, node in enumerate(reversed(graph_nodes(self.roots)), 1)
                      } if show_order else {}
        self.names = names or {}
        self.grad_of = grad_of
        self.show_data, self.show_grad, self.precision = show_data, show_grad, precision
        self.color_by, self.grad_scale = color_by, grad_scale
        self.show_edge_grads, self.stable, self.rankdir = show_edge_grads, stable_layout, rankdir
        self.highlight_nodes: set = set()
        self.highlight_edges: set = set()
        for item in highlight:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], int):
                self.highlight_edges.add((item[0], item[1]))
            else:
                self.highlight_nodes.add(item)

    def _border(self, node: Any, kind: str) -> tuple[int, str]:
        width, color = (2, "#333333") if kind == "output" else (1, "#555555")
        if node in self.highlight_nodes:
            width, color = 3, style.HIGHLIGHT_COLOR
        # A border's width changes the node's size, so with a stable layout only its
        # colour may change from frame to frame.
        return (2 if self.stable else width), color

    def value_node(self, drawing: GraphDrawing, node: Any, node_id: str) -> None:
        kind = node_kind(node, self.roots)
        kind_fill = style.kind_color(kind)
        value_fill, text_color = kind_fill, "#000000"
        if self.color_by == "grad":
            value_fill = style.grad_color(signed_size(self.grad_of(node)), self.grad_scale)
            text_color = style.text_color_on(value_fill)
        border, border_color = self._border(node, kind)
        drawing.node(node_id, labels.value_label(
            node, kind_fill=kind_fill, value_fill=value_fill, value_text_color=text_color,
            gradient=self.grad_of(node), show_data=self.show_data, show_grad=self.show_grad,
            precision=self.precision, border=border, border_color=border_color,
            stable=self.stable, rankdir=self.rankdir,
            name=None if node.label else self.names.get(node), order=self.order.get(node)))

    def op_node(self, drawing: GraphDrawing, node: Any, node_id: str) -> None:
        highlighted = node in self.highlight_nodes
        border, color = (3, style.HIGHLIGHT_COLOR) if highlighted else (1, "#777777")
        border = 2 if self.stable else border
        drawing.node(node_id + "op", labels.op_label(node, style.OP_COLOR, border, color))
        drawing.edge(node_id + "op", node_id)

    def input_edge(self, drawing: GraphDrawing, parent_id: str, node: Any, index: int,
                   node_id: str) -> None:
        """The edge from ``node.parents[index]`` into the operation that made ``node``."""
        attrs: dict[str, str] = {}
        rule = RULES.get(node.op)
        if rule is not None:
            attrs["tooltip"] = rule.formula(index, len(node.parents))
        if self.show_edge_grads:
            local = _scalar(local_derivative(node, index))  # numbers only: Values
            if local is not None:
                attrs["label"] = labels.edge_label(local, _scalar(self.grad_of(node)),
                                                   self.precision, self.stable)
            elif rule is not None:
                attrs["label"] = labels.formula_label(rule.formula(index, len(node.parents)))
        if (node, index) in self.highlight_edges:
            attrs.update(color=style.HIGHLIGHT_COLOR, penwidth="3")
        drawing.edge(parent_id, node_id + "op", **attrs)


def _scalar(x: Any) -> float | None:
    if x is None or (hasattr(x, "shape") and np.size(x) != 1):
        return None
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def describe(node: Any, grad_of: Callable[[Any], Any], precision: int) -> str:
    """One line of text for a node: label, operation, data and grad."""
    name = node.label or "·"
    op = f"  [{labels.op_text(node)}]" if node.parents else ""
    if labels.is_array_node(node):
        data = labels.summarize(node.data, precision)
        grad = labels.summarize(grad_of(node), precision)
        return f"{name}{op}  shape {node.data.shape}  data {data}  grad {grad}"
    data = style.format_number(node.data, precision)
    return f"{name}{op}  data {data}  grad {style.format_number(grad_of(node), precision)}"


def new_drawing(rankdir: str) -> GraphDrawing:
    """An empty drawing with chainrule's graph, node and edge defaults."""
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be 'auto' or one of {', '.join(RANKDIRS)}, "
                         f"got {rankdir!r}")
    return GraphDrawing(
        graph_attr={"rankdir": rankdir, "fontname": style.FONT, "nodesep": "0.2",
                    "ranksep": "0.35", "bgcolor": "white"},
        node_attr={"shape": "plain", "fontname": style.FONT, "fontsize": "12"},
        edge_attr={"arrowsize": "0.6", "color": "#555555", "fontname": style.FONT})


def add_legend(drawing: GraphDrawing, painter: Painter) -> None:
    """A key to the colours: one swatch per kind of node, and what "grad —" means."""
    rows = ['<tr><td colspan="2"><b>legend</b></td></tr>']
    for kind, text in style.KIND_TEXT.items():
        rows.append(f'<tr><td bgcolor="{style.kind_color(kind)}" width="18"></td>'
                    f'<td align="left">{text}</td></tr>')
    rows.append(f'<tr><td bgcolor="{style.OP_COLOR}" style="rounded" width="18"></td>'
                f'<td align="left">operation</td></tr>')
    rows.append(f'<tr><td colspan="2" align="left">grad {style.UNKNOWN} : backward has '
                f'not reached it yet</td></tr>')
    drawing.node("legend", f'<<table border="1" cellborder="1" cellspacing="0" '
                           f'cellpadding="3">{"".join(rows)}</table>>')


def add_grad_scale(drawing: GraphDrawing, scale: float, precision: int) -> None:
    """The colour bar of ``color_by="grad"``: -scale (blue) .. 0 (white) .. +scale (red)."""
    cells = []
    for step in range(-4, 5):
        value = scale * step / 4
        fill = style.grad_color(value, scale)
        text = style.format_number(value, min(precision, 2)) if step % 2 == 0 else " "
        cells.append(f'<td bgcolor="{fill}" width="34"><font color="'
                     f'{style.text_color_on(fill)}" point-size="9">{text}</font></td>')
    drawing.node("grad_scale", '<<table border="1" cellborder="0" cellspacing="0" '
                               'cellpadding="3"><tr><td colspan="9"><b>gradient</b> '
                               '(colour scale)</td></tr><tr>' + "".join(cells) +
                 "</tr></table>>")


def too_large_message(count: int, max_nodes: int, scoped: bool, collapsed: bool) -> str:
    """Which option to use when a graph has more drawn nodes than ``max_nodes``."""
    fix = []
    if scoped and not collapsed:
        fix.append("draw_graph(root, collapse='module') to draw each nn.Module call as one "
                   "box (depth=0, 1, 2 ... sets how far to expand)")
    elif scoped:
        fix.append("a smaller depth= to expand fewer levels of modules")
    fix.append(f"max_nodes={count} (or None) to draw every node anyway (slow to lay out "
               f"beyond a few thousand)")
    return (f"this graph would be drawn with {count:,} nodes, more than max_nodes="
            f"{max_nodes}; use " + ", or ".join(fix))
