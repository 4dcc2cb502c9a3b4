"""``draw_graph``: the computation graph with every node's value and gradient.

Each value is a box ``label | data | grad``; each operation is its own small node
between its inputs and its output, as micrograd draws it. Node ids come from the
topological order (``n0``, ``n1``, ... and ``n3op`` for the operation that made
``n3``), so the same graph always gives the same DOT text.

    >>> from autograd import Value
    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    >>> c = a * b; c.label = "c"
    >>> drawing = draw_graph(c)
    >>> [line.split(" [")[0].strip() for line in drawing.body if "->" in line]
    ['n2op -> n2', 'n0 -> n2op', 'n1 -> n2op']

Which gradients are known ("grad —" means backward has not reached the node yet,
which is not the same as a gradient of 0):

- ``grads=`` given: that mapping (node -> gradient, or None for "not reached") is
  the whole truth; nodes missing from it are "not reached". The step-by-step player
  passes what it has computed so far; ``autograd.graph.propagate`` returns such a map.
- otherwise, for Tensors: ``.grad`` is None until backward reaches them;
- otherwise, for Values (whose ``.grad`` starts at 0.0): if every root still has
  ``grad == 0``, backward has not run from here (it seeds the root with 1), so all
  gradients read "—"; once it has, every ``.grad`` is shown as it is.

Frames of a step-by-step replay: draw the same root each time with
``stable_layout=True``, a fixed ``grad_scale`` (with ``color_by="grad"``), the
gradients known so far as ``grads=``, and ``highlight=[node, (node, i)]`` for the node
being processed and the edge from its i-th parent. Every frame then has the same layout.
"""

from __future__ import annotations

import numbers
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import numpy as np

from nn.arguments import is_whole

from . import detail, labels, layout
from .collapse import draw_collapsed
from .notebook import GraphDrawing
from .painter import (
    COLOR_BY,
    DEFAULT_MAX_NODES,
    GraphTooLargeError,
    Painter,
    add_grad_scale,
    add_legend,
    as_roots,
    describe,
    gradient_reader,
    graph_nodes,
    new_drawing,
    signed_size,
)
from .text_tree import text_tree
from .themes import themed

__all__ = ["DEFAULT_MAX_NODES", "GraphTooLargeError", "draw_graph", "graph_nodes"]


@themed
def draw_graph(root: Any, rankdir: str = "auto", show_data: bool = True, show_grad: bool = True,
               precision: int = 4, *, grads: Mapping | None = None, color_by: str | None = None,
               grad_scale: float | None = None, highlight: Iterable[Any] = (),
               show_edge_grads: bool = False, legend: bool = False,
               max_nodes: int | str | None = "auto", collapse: str | bool | None = None,
               depth: int = 1, stable_layout: bool = False,
               names: Mapping | None = None,
               within: Collection | None = None, show_order: bool = False) -> GraphDrawing:
    """The computation graph under ``root`` (a Value, Tensor, or a list of them).

    - ``rankdir``: ``"auto"`` draws left to right while that fits a notebook cell
      legibly, else top to bottom (see ``viz.layout``); or "LR", "TB", "RL", "BT";
    - ``grads``: node -> gradient (None = not reached yet) to show instead of ``.grad``;
    - ``color_by="grad"``: fill values by sign and size of their gradient, on the scale
      [-grad_scale, +grad_scale] (default: the largest gradient shown), with a colour bar;
    - ``highlight``: nodes, or ``(node, i)`` for the edge from ``node.parents[i]``;
    - ``show_edge_grads``: label each edge with the local derivative d node / d parent
      (read from ``node.local_grads``) and upstream x local once the upstream is known;
    - ``collapse="module"``: one box per ``nn.Module`` call, expanded ``depth`` levels;
    - ``stable_layout``: fixed cell sizes, so frames showing different numbers for the
      same graph get the same layout (for step-by-step replays);
    - ``names``: node -> name written (in grey) on nodes without a label, e.g. the
      ``L`` (an unlabelled root) and ``v1, v2, ...`` that step captions use
      (``autograd.stepping.node_names``);
    - ``within``: draw only these nodes and the edges among them (one module's part);
    - ``theme``: one of ``viz.THEMES`` for this drawing (default: ``viz.set_theme``'s);
    - ``show_order``: number each node by when ``backward()`` visits it (reversed
      topological order). micrograd's ``b = a + a; c = b + b`` shows why the order
      matters: ``b`` must be finished (#2, both edges from ``c`` added) before its
      gradient goes on to ``a`` (#3); a walk that visits ``a`` early passes on half.

    Big graphs (``max_nodes="auto"``): past ``viz.detail.DETAIL_LIMIT`` drawn nodes, a
    graph made by modules is drawn collapsed by module, any other folds its long chains
    of one operation and then shows only the output's neighbourhood; a note in the
    picture says so and how to draw everything (``max_nodes=None``). An explicit
    ``max_nodes=n`` raises ``GraphTooLargeError`` past n drawn nodes instead.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x"); y = (x * x).tanh(); y.label = "y"
    >>> "grad —" in draw_graph(y).source          # before backward
    True
    >>> y.backward(); "grad 1.0000" in draw_graph(y).source
    True
    >>> a = Value(1.0, label="a"); b = a + a; b.label = "b"; c = b + b; c.label = "c"
    >>> boxes = [line for line in draw_graph(c, show_order=True).body if "<b>" in line]
    >>> [box.split("</b>")[0][-1] + " " + box.split("</font>")[0][-2:] for box in boxes]
    ['a #3', 'b #2', 'c #1']
    """
    roots = as_roots(root)
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {COLOR_BY}, got {color_by!r}")
    if collapse not in (None, False, True, "module"):
        raise ValueError(f"collapse must be 'module' (one box per nn.Module call) or None, "
                         f"got {collapse!r}")
    if not is_whole(precision) or precision < 0:
        raise ValueError(f"precision must be a whole number of decimals >= 0, got {precision!r}")
    if grads is not None and not isinstance(grads, Mapping):
        raise TypeError(f"grads must map nodes to gradients (a dict, as "
                        f"autograd.graph.propagate returns), got {type(grads).__name__}")
    if grad_scale is not None and (isinstance(grad_scale, bool)
                                   or not isinstance(grad_scale, numbers.Real)
                                   or not grad_scale > 0):
        raise ValueError(f"grad_scale must be a number > 0 (the gradient drawn deepest red), "
                         f"got {grad_scale!r}")
    order = graph_nodes(roots)
    if within is not None:
        order = [node for node in order if node in within]
    plan = detail.plan(order, roots, max_nodes, bool(collapse), depth)
    if plan.collapse:
        collapse = "module"
    if (show_edge_grads and max_nodes == "auto" and not collapse
            and layout.virtual_nodes(plan.visible(order)) > layout.MAX_VIRTUAL_NODES):
        show_edge_grads = False  # each label is laid out along its edge: minutes of work
        plan.note = ((plan.note + "; ") if plan.note else "") + (
            "edge labels left out: laying them out would take minutes (max_nodes=None "
            "draws them anyway)")
    if rankdir == "auto":
        rankdir = "TB" if collapse else layout.choose_rankdir(plan.visible(order),
                                                              show_edge_grads)
    grad_of = gradient_reader(roots, grads)
    drawing = new_drawing(rankdir)
    if stable_layout:  # a replay's fixed-width edge labels: closer, so frames fit a cell
        drawing.graph_attr["nodesep"] = "0.1"
    if color_by == "grad" and grad_scale is None:
        sizes = [abs(g) for g in (signed_size(grad_of(n)) for n in plan.visible(order))
                 if g is not None and np.isfinite(g)]
        grad_scale = max(sizes, default=0.0) or 1.0
    painter = Painter(roots, grad_of, show_data=show_data, show_grad=show_grad,
                      precision=precision, color_by=color_by, grad_scale=grad_scale or 1.0,
                      highlight=highlight, show_edge_grads=show_edge_grads,
                      stable_layout=stable_layout, rankdir=rankdir, names=names,
                      show_order=show_order)
    if collapse:
        limit = None if max_nodes == "auto" else max_nodes
        draw_collapsed(drawing, order, painter, depth, limit)
    else:
        _draw_nodes(drawing, plan.visible(order), painter, plan.folds)
    if plan.note:
        drawing.note = plan.note
        drawing.attr(label=labels.html_note(plan.note), labelloc="t", labeljust="l")
    if legend:
        add_legend(drawing, painter)
    if color_by == "grad":
        add_grad_scale(drawing, painter.grad_scale, precision)
    drawing.text = text_tree(roots, lambda n: describe(n, grad_of, precision))
    return drawing


def _draw_nodes(drawing: GraphDrawing, visible: list, painter: Painter, folds: list) -> None:
    """The ``visible`` nodes one by one, and each fold as one box.

    An edge into or out of a fold's nodes is drawn once, to or from its box, with the
    number of graph edges it stands for. The box of the output's far neighbourhood
    (no members listed) receives every edge from a node not drawn.
    """
    ids = {node: f"n{i}" for i, node in enumerate(visible)}
    box_of = {node: fold.box_id for fold in folds for node in fold.members}
    far = next((fold.box_id for fold in folds if not fold.members), None)
    box_edges: dict = {}  # (source, target) -> how many graph edges it stands for

    def count(source: str, target: str) -> None:
        box_edges[source, target] = box_edges.get((source, target), 0) + 1

    for fold in folds:
        for node in fold.members:
            for parent in node.parents:
                source = box_of.get(parent) or ids.get(parent) or far
                if source is not None and source != fold.box_id:
                    count(source, fold.box_id)
    for node in visible:
        painter.value_node(drawing, node, ids[node])
        if not node.parents:
            continue
        painter.op_node(drawing, node, ids[node])
        for index, parent in enumerate(node.parents):
            if parent in ids:
                painter.input_edge(drawing, ids[parent], node, index, ids[node])
            elif (box_of.get(parent) or far) is not None:
                count(box_of.get(parent) or far, ids[node] + "op")
    for fold in folds:
        drawing.node(fold.box_id, labels.fold_label(fold.text))
    for (source, target), times in box_edges.items():
        drawing.edge(source, target, **({"label": f"×{times}"} if times > 1 else {}))
    drawing.node_ids = ids
