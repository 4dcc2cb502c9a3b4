"""Large graphs: one box per ``nn.Module`` call instead of one node per operation.

``nn.Module.__call__`` opens ``autograd.scope(name)``, so every node carries the path of
module calls that made it, e.g. ``("MLP", "layer 1", "neuron 3")``. A node's group is
that path cut after ``depth + 1`` names: ``depth=0`` gives one box per top-level call
(the whole MLP), ``depth=1`` one per layer, ``depth=2`` one per neuron. Nodes made
outside any deeper call are drawn one by one.

Parameters are created in ``__init__``, outside any call, so a parameter (or constant)
leaf is drawn inside a box when every operation that uses it is in that box. Inputs,
and other leaves made outside the box, stay visible.

    >>> import random; random.seed(0)
    >>> from nn import MLP
    >>> from viz import draw_graph
    >>> y = MLP(2, [3, 1])([1.0, 2.0])
    >>> drawing = draw_graph(y, collapse="module", depth=1)
    >>> sorted(line.split(" [")[0].strip() for line in drawing.body if "->" in line)
    ['g0 -> g1', 'n5 -> g0', 'n6 -> g0']
"""

from __future__ import annotations

from typing import Any

from . import labels, style
from .notebook import GraphDrawing
from .painter import GraphTooLargeError, Painter, signed_size, too_large_message


def group_key(node: Any, depth: int) -> tuple[str, ...] | None:
    """The module-call path whose box holds ``node``, or None to draw it by itself."""
    scope = getattr(node, "scope", ()) or ()
    return tuple(scope[:depth + 1]) if len(scope) > depth else None


def assign_groups(order: list, depth: int) -> dict:
    """node -> group key (only for nodes that go into a box)."""
    consumers: dict = {}
    for node in order:
        for parent in node.parents:
            consumers.setdefault(parent, []).append(node)
    groups: dict = {}
    for node in order:
        if not node.parents and getattr(node, "role", "") == "input":
            continue  # inputs stay visible: they are what the boxes are fed with
        key = group_key(node, depth)
        if key is not None:
            groups[node] = key
    for node in order:
        absorbable = getattr(node, "role", "") in ("parameter", "constant")
        if node.parents or node in groups or not absorbable:
            continue
        keys = {groups.get(c) for c in consumers.get(node, ())}
        if len(keys) == 1 and None not in keys:
            groups[node] = keys.pop()
    return groups


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def module_path(parameters: list, steps: int) -> str:
    """The dotted path, ``steps`` modules down from the model, that the parameters'
    names (``named_parameters()`` stamps them) start with; "" when they do not agree.

    A step is an attribute, with its list index if it is a list (``layers.1``).

    >>> from autograd import Value
    >>> module_path([Value(1.0, label="layers.1.neurons.3.w.0"),
    ...              Value(1.0, label="layers.1.neurons.3.b")], 2)
    'layers.1.neurons.3'
    """
    paths = set()
    for p in parameters:
        parts, path = (p.label or "").split("."), []
        while parts and len(path) < steps:
            step = [parts.pop(0)]
            if parts and parts[0].isdigit():
                step.append(parts.pop(0))
            path.append(".".join(step))
        if len(path) < steps or not parts:  # not that deep: a name of the user's own
            return ""
        paths.add(".".join(path))
    return paths.pop() if len(paths) == 1 else ""


SHOWN_OUTPUTS = 4  # a box lists this many of its outputs, then "... n more outputs"


def output_text(node: Any, gradient: Any, precision: int) -> str:
    """A box's row for one of its outputs: ``out h1 data 0.5933  grad 0.0364``."""
    array = labels.is_array_node(node)
    data = labels.summarize(node.data, precision) if array \
        else style.format_number(node.data, precision)
    grad = labels.summarize(gradient, precision) if array \
        else style.format_number(gradient, precision)
    name = f"{node.label} " if node.label else ""
    if array:  # a layer's output shape is what a reader checks
        name += f"{'×'.join(map(str, node.data.shape))} "
    return f"out {name}data {data}  grad {grad}"


def _group_label(key: tuple[str, ...], members: list, outputs: list, painter: Painter,
                 highlighted: bool) -> str:
    operations = sum(1 for m in members if m.parents)
    owned = [m for m in members if getattr(m, "role", "") == "parameter"]
    parameters = _count(len(owned), "parameter")
    if any(labels.is_array_node(m) for m in owned):  # "2 parameters" alone hides the sizes
        parameters += f" ({sum(m.data.size for m in owned):,} numbers)"
    title = f"<b>{labels.html_text(' › '.join(key))}</b>"
    path = module_path(owned, len(key) - 1)
    if path:  # the name its parameters carry: layers.1.neurons.3.w.0 is in layers.1.neurons.3
        title += f' <font color="#555555">({labels.html_text(path)})</font>'
    rows = [f"<tr><td>{title}</td></tr>",
            f"<tr><td>{_count(operations, 'operation')}, "
            f"{parameters}</td></tr>"]
    shown = outputs[:SHOWN_OUTPUTS]
    for node in shown:
        gradient = painter.grad_of(node)
        fill, ink = style.GROUP_COLOR, "#000000"
        if painter.color_by == "grad":
            fill = style.grad_color(signed_size(gradient), painter.grad_scale)
            ink = style.text_color_on(fill)
        text = labels.html_text(output_text(node, gradient, painter.precision))
        rows.append(f'<tr><td bgcolor="{fill}"><font color="{ink}">{text}</font></td></tr>')
    if len(outputs) > len(shown):
        rows.append(f"<tr><td>... {len(outputs) - len(shown)} more outputs</td></tr>")
    border, color = (3, style.HIGHLIGHT_COLOR) if highlighted else (1, "#4a5a8a")
    return (f'<<table border="{border}" color="{color}" cellborder="0" cellspacing="0" '
            f'cellpadding="3" bgcolor="{style.GROUP_COLOR}" style="rounded">'
            f'{"".join(rows)}</table>>')


def draw_collapsed(drawing: GraphDrawing, order: list, painter: Painter, depth: int,
                   max_nodes: int | None) -> int:
    """Fill ``drawing`` with boxes and single nodes; returns the number of nodes drawn.

    Raises ``GraphTooLargeError`` when even the collapsed drawing has more than
    ``max_nodes`` nodes.
    """
    if not isinstance(depth, int) or depth < 0:
        raise ValueError(f"depth must be a whole number >= 0 (how many levels of module "
                         f"calls to open), got {depth!r}")
    groups = assign_groups(order, depth)
    members: dict = {}
    first_operation: dict = {}
    for position, node in enumerate(order):
        key = groups.get(node)
        if key is not None:
            members.setdefault(key, []).append(node)
            if node.parents:
                first_operation.setdefault(key, position)
    # Boxes are numbered in the order their first operation runs (the flow of the
    # forward pass), not by their first parameter, which the order lists early.
    ranked = sorted(members, key=lambda k: first_operation.get(k, len(order)))
    group_ids = {key: f"g{i}" for i, key in enumerate(ranked)}
    singles = [n for n in order if n not in groups]
    count = len(group_ids) + len(singles) + sum(1 for n in singles if n.parents)
    if max_nodes is not None and count > max_nodes:
        raise GraphTooLargeError(too_large_message(count, max_nodes, bool(members), True))

    ids = {node: f"n{i}" for i, node in enumerate(order)}
    roots = set(painter.roots)
    outputs: dict = {key: [] for key in members}
    edges: dict = {}  # (source, target) -> how many graph edges it stands for
    for node in order:
        key = groups.get(node)
        target = group_ids[key] if key is not None else ids[node] + "op"
        for index, parent in enumerate(node.parents):
            parent_key = groups.get(parent)
            if parent_key is not None and parent_key == key:
                continue  # inside one box
            if parent_key is not None and parent not in outputs[parent_key]:
                outputs[parent_key].append(parent)
            source = group_ids[parent_key] if parent_key is not None else ids[parent]
            if key is None and parent_key is None:
                painter.input_edge(drawing, source, node, index, ids[node])
            else:
                edges[source, target] = edges.get((source, target), 0) + 1
    for key in ranked:
        nodes = members[key]
        outputs[key] += [n for n in nodes if n in roots and n not in outputs[key]]
        highlighted = any(n in painter.highlight_nodes for n in nodes)
        drawing.node(group_ids[key], _group_label(key, nodes, outputs[key], painter,
                                                  highlighted))
    for node in singles:
        painter.value_node(drawing, node, ids[node])
        if node.parents:
            painter.op_node(drawing, node, ids[node])
    for (source, target), times in edges.items():
        drawing.edge(source, target, **({"label": f"×{times}"} if times > 1 else {}))
    # The outputs each box lists, in its rows' order (the module player fills them in).
    drawing.box_outputs = {group_ids[key]: outputs[key][:SHOWN_OUTPUTS] for key in ranked}
    drawing.node_ids = {n: ids[n] for n in singles} | {
        n: group_ids[k] for n, k in groups.items()}
    return count
