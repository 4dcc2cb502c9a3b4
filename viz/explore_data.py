"""What the explorer page is given: every node's texts, and the boxes that hold them.

Boxes come from the ``autograd.scope`` tags ``nn.Module.__call__`` leaves on nodes: one
box per distinct path of module calls (``MLP › layer 1 › neuron 3``). A parameter
or constant leaf (made in ``__init__``, outside any call) goes into the innermost box
holding every operation that uses it; inputs stay outside, where they are fed in.
Any box, or the top level, holding more than ``FOLD`` items is folded into boxes of
consecutive items (in the order they were computed), recursively: a chain of 10,000
operations opens as a handful of boxes.

    >>> from autograd import Value
    >>> x = Value(1.0, label="x")
    >>> y = x
    >>> for _ in range(100): y = y + 1
    >>> data = gather(y)
    >>> len(data.nodes), [g.title for g in data.groups][:2]
    (101, ['x … v39', 'v40 … v79'])
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd import RULES, Tensor, Value, explain
from autograd.graph import topological_order
from autograd.node import Node
from autograd.stepping import formula_with_number, node_names
from nn.module import Module

from . import labels, style
from .explore_paths import model_paths, named_paths, placed_scopes
from .painter import GraphTooLargeError, gradient_reader, node_kind, signed_size

DEFAULT_MAX_NODES = 20_000
FOLD = 40  # at most this many items side by side in one box (a screenful)
# explain() walks the whole graph per call: every node gets its explanation up to
# EXPLAIN_ALL nodes (MLP(2, [16, 16, 1]) has 408), a bigger graph EXPLAIN_BUDGET
# node-walks' worth (at least 10 calls)
EXPLAIN_ALL = 700
EXPLAIN_BUDGET = 100_000
EXPLAIN_LINES = 12
TEXT_CHARS = 2_000
# Characters a page cannot hold (lone surrogates cannot even be written as UTF-8) or
# that would garble it (C0 controls): shown as U+FFFD.
_UNWRITABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: Any, limit: int = TEXT_CHARS) -> str:
    """``text`` as a str a page can hold: unwritable characters become U+FFFD, cut at ``limit``.

    >>> clean("a\\ud800b")
    'a�b'
    """
    text = _UNWRITABLE.sub("\ufffd", str(text))
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass
class Group:
    """A box: a module call path (``kind="module"``) or a fold of consecutive items."""

    title: str
    path: str
    parent: int  # index of the enclosing box, -1 for the top level
    kind: str
    first: int  # position in the order of its first member (boxes sort by it)
    last: int  # position of its last member
    size: int = 0  # how many nodes it holds
    summary: str = ""
    grad_fill: str = style.UNKNOWN_GRAD_COLOR


@dataclass
class ExploreData:
    """Texts and structure of one graph, ready for the page (``payload()``)."""

    root_name: str
    nodes: list = field(default_factory=list)  # [name, op, kind, data, grad, fill, ink, group]
    parents: list = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    formulas: list = field(default_factory=list)
    explanations: list = field(default_factory=list)
    roots: list = field(default_factory=list)
    explain_note: str = ""  # why a node has no explanation written out
    scale: float = 1.0
    precision: int = 4

    def payload(self) -> dict:
        return {"nodes": self.nodes, "parents": self.parents,
                "groups": [[g.title, g.path, g.parent, g.kind, g.summary, g.grad_fill, g.first]
                           for g in self.groups],
                "formulas": self.formulas, "explain": self.explanations, "roots": self.roots,
                "explainNote": self.explain_note,
                "kinds": style.KIND_COLORS, "kindText": style.KIND_TEXT,
                "scale": style.format_number(self.scale, self.precision),
                "ends": [style.grad_color(-1, 1), style.grad_color(0, 1),
                         style.grad_color(1, 1)]}


def check_roots(root: Any) -> list:
    """``root`` as a non-empty list of graph nodes, each one number; else a clear error."""
    roots = list(root) if isinstance(root, (list, tuple)) else [root]
    if not roots:
        raise ValueError("explore needs a Value or Tensor to show, got an empty "
                         f"{type(root).__name__}; pass the output, e.g. explore(loss)")
    for item in roots:
        if isinstance(item, Module):
            raise TypeError(f"explore shows the graph a model made, not the model itself "
                            f"({type(item).__name__}); pass its output, e.g. "
                            f"explore(loss, model=model)")
        if not isinstance(item, Node):
            raise TypeError(f"explore shows graphs of autograd Values and Tensors, got "
                            f"{item!r:.80} of type {type(item).__name__}; pass the output "
                            f"of a computation, e.g. explore(loss)")
        if isinstance(item, Tensor) and item.data.size != 1:
            raise ValueError(f"explore follows the gradient of one number, got a Tensor of "
                             f"shape {item.data.shape}; pass a scalar such as out.sum() or "
                             f"the loss")
    return roots


def count_nodes(roots: list, limit: int | None) -> int:
    """Nodes under ``roots``, counting stops past ``limit`` (so a huge graph costs little)."""
    seen = {id(r): r for r in roots}
    stack = list(roots)
    while stack and (limit is None or len(seen) <= limit):
        for parent in stack.pop().parents:
            if id(parent) not in seen:
                seen[id(parent)] = parent
                stack.append(parent)
    return len(seen)


def ordered_nodes(roots: list) -> list:
    """Every node under ``roots``, parents first; a cycle is a clear error."""
    order, seen = [], set()
    for root in roots:
        try:
            walked = topological_order(root)
        except RuntimeError as error:
            raise ValueError(f"explore needs an acyclic graph, and the one under "
                             f"{root!r:.60} is not: {error}") from None
        for node in walked:
            if node not in seen:
                seen.add(node)
                order.append(node)
    return order


def _fold(items: list, parent: int, groups: list, parent_of: dict, prefix: str,
          names: list) -> None:
    """Put ``items`` (('n', i) or ('g', k), in order) into boxes of at most FOLD, recursively.

    A box is titled by its first and last item (``neuron 0 … neuron 39``, ``w0 … w39``),
    a box of such boxes by the positions of the nodes it holds (``nodes 1–1,600``).
    """
    while len(items) > FOLD:
        folded = []
        for start in range(0, len(items), FOLD):
            chunk = items[start:start + FOLD]
            first = _span(chunk[0], groups)[0]
            last = max(_span(item, groups)[1] for item in chunk)
            size = sum(1 if kind == "n" else groups[k].size for kind, k in chunk)
            if last - first + 1 == size and any(
                    kind == "g" and groups[k].kind == "fold" for kind, k in chunk):
                title = f"nodes {first + 1:,}–{last + 1:,}"
            else:
                inside = prefix + "." if prefix else ""  # (w.0 inside layers.0.neurons.3)
                ends = [names[k].removeprefix(inside) if kind == "n" else groups[k].title
                        for kind, k in (chunk[0], chunk[-1])]
                title = f"{ends[0]} … {ends[1]}"
            index = len(groups)
            groups.append(Group(clean(title, 120), prefix, parent, "fold", first, last, size))
            for item in chunk:
                parent_of[item] = index
                if item[0] == "g":
                    groups[item[1]].parent = index
            folded.append(("g", index))
        items = folded


def _span(item: tuple, groups: list) -> tuple[int, int]:
    """Positions of the first and last node of an item (a node or a box)."""
    if item[0] == "n":
        return item[1], item[1]
    return groups[item[1]].first, groups[item[1]].last


def build_groups(order: list, model: Any, roots: list,
                 names: list) -> tuple[list[Group], list[int]]:
    """The boxes and each node's innermost box (-1: top level).

    Outputs at the top level are never folded away: the view starts from them.
    """
    placed = placed_scopes(order)
    dotted = model_paths(model)
    groups: list[Group] = []
    by_scope: dict = {}
    parent_of: dict = {}  # ('n', i) or ('g', k) -> enclosing box
    # Operations first: boxes are numbered, and sorted, in the order their first
    # operation runs (the forward pass), not by their parameters, which come early.
    positions = sorted(range(len(order)), key=lambda i: (not order[i].parents, i))
    for position in positions:
        scope = placed[order[position]]
        for depth in range(1, len(scope) + 1):
            key = scope[:depth]
            if key not in by_scope:
                by_scope[key] = len(groups)
                path = dotted.get(key, ".".join(key))
                groups.append(Group(clean(key[-1], 80), clean(path, 200),
                                    by_scope.get(key[:-1], -1), "module", position, position))
                parent_of["g", by_scope[key]] = by_scope.get(key[:-1], -1)
            group = groups[by_scope[key]]
            group.last = max(group.last, position)
            group.size += 1
        parent_of["n", position] = by_scope[scope] if scope else -1
    if not dotted:  # no model: the parameters' stamped names tell the paths, if they can
        direct: dict = {}
        for i, node in enumerate(order):
            if parent_of["n", i] >= 0 and getattr(node, "role", "") == "parameter":
                direct.setdefault(parent_of["n", i], []).append(node.label)
        found = named_paths([g.title for g in groups], [g.parent for g in groups], direct)
        for k, path in found.items():
            groups[k].path = clean(path, 200)
    children: dict = {}
    for item, parent in parent_of.items():
        children.setdefault(parent, []).append(item)
    outputs = {("n", i) for i, node in enumerate(order) if any(node is r for r in roots)}
    for parent, items in list(children.items()):
        items = sorted((item for item in items if item not in outputs),
                       key=lambda item: _span(item, groups)[0])
        prefix = groups[parent].path if parent >= 0 else ""
        _fold(items, parent, groups, parent_of, prefix, names)
    return groups, [parent_of["n", i] for i in range(len(order))]


def _texts(node: Any, gradient: Any, precision: int) -> tuple[str, str]:
    """The data and grad as shown: a number, or a Tensor's shape and values on one line."""
    if labels.is_array_node(node):
        shape = "×".join(map(str, node.data.shape)) or "scalar"
        data, grad = (" ".join(labels.summarize(a, precision).split())  # (numpy wraps rows)
                      for a in (node.data, gradient))
        return f"{shape} {data}", grad
    return style.format_number(node.data, precision), style.format_number(gradient, precision)


def _explanations(order: list, roots: list) -> list:
    """``str(explain(root, wrt=node))`` per node (None where not worked out), lines capped.

    Each call walks the whole graph, so on a big graph only as many as EXPLAIN_BUDGET
    allows are written (see there), parameters and inputs first (what a learner asks
    about).
    """
    result: list = [None] * len(order)
    if len(roots) != 1 or not isinstance(roots[0], Value):
        return result
    position = {node: i for i, node in enumerate(order)}
    wanted = sorted(order, key=lambda n: (bool(n.parents), -position[n] if n.parents else 0))
    count = len(order)
    calls = count if count <= EXPLAIN_ALL else max(10, EXPLAIN_BUDGET // count)
    for node in wanted[:calls]:
        lines = explain(roots[0], wrt=node).lines()
        if len(lines) > EXPLAIN_LINES:
            lines = (lines[:EXPLAIN_LINES - 2] + [f"  … {len(lines) - EXPLAIN_LINES + 1} more "
                                                  f"lines: print(explain(root, wrt=node))"]
                     + lines[-1:])
        result[position[node]] = clean("\n".join(lines), 20 * TEXT_CHARS)
    return result


def _explain_note(roots: list, count: int) -> str:
    if len(roots) != 1:
        return (f"explain() follows one output, and this view has {len(roots)}; "
                f"in Python: print(explain(output, wrt=node))")
    if not isinstance(roots[0], Value):
        return ("explain() writes the chain rule with numbers, for Value graphs; in a "
                "Tensor graph each edge is a vector-Jacobian product (formulas above)")
    return (f"not written out here: each explain() walks the whole graph, so in a graph "
            f"of {count:,} nodes only the parameters, inputs and the operations nearest "
            f"the output get it; in Python: print(explain(root, wrt=node))")


def gather(root: Any, *, model: Any = None, precision: int = 4,
           max_nodes: int | None = DEFAULT_MAX_NODES) -> ExploreData:
    """Check ``root``, walk its graph once, and collect what the page shows."""
    roots = check_roots(root)
    if not isinstance(precision, int) or isinstance(precision, bool) or precision < 0:
        raise ValueError(f"precision must be a whole number of decimals >= 0, got "
                         f"{precision!r}")
    if max_nodes is not None and (not isinstance(max_nodes, int) or max_nodes < 1):
        raise ValueError(f"max_nodes must be a whole number >= 1 or None, got {max_nodes!r}")
    counted = count_nodes(roots, max_nodes)
    if max_nodes is not None and counted > max_nodes:
        raise GraphTooLargeError(
            f"the graph under the output has more than max_nodes={max_nodes:,} nodes "
            f"(counting stopped there); the page would hold every node's texts. Explore "
            f"a part (explore(node) on an intermediate node), or pass max_nodes=None to "
            f"try anyway")
    order = ordered_nodes(roots)
    names = node_names(order, roots[0] if len(roots) == 1 else None)
    grad_of = gradient_reader(roots, None)
    index = {node: i for i, node in enumerate(order)}
    groups, placed = build_groups(order, model, roots, [names[n] for n in order])
    sizes = [abs(s) for s in (signed_size(grad_of(n)) for n in order)
             if s is not None and math.isfinite(s)]
    scale = max(sizes, default=0.0) or 1.0
    data = ExploreData(clean(names[roots[0]], 80), groups=groups, scale=scale,
                       precision=precision, roots=[index[r] for r in roots])
    for i, node in enumerate(order):
        gradient = grad_of(node)
        fill = style.grad_color(signed_size(gradient), scale)
        data_text, grad_text = _texts(node, gradient, precision)
        op = clean(labels.op_text(node), 80) if node.parents else ""
        data.nodes.append([clean(names[node], 200), op, node_kind(node, roots),
                           clean(data_text), clean(grad_text), fill,
                           style.text_color_on(fill), placed[i]])
        data.parents.append([index[p] for p in node.parents])
        data.formulas.append([clean(formula_with_number(node, k) if node.op in RULES
                                    else node.op) for k in range(len(node.parents))])
    data.explanations = _explanations(order, roots)
    data.explain_note = _explain_note(roots, len(order))
    _summarize_groups(data, order, grad_of)
    return data


def _summarize_groups(data: ExploreData, order: list, grad_of: Any) -> None:
    """Each box's counts and the gradient leaving it (what a closed box still tells).

    A box's outputs are its members used outside it (or a root): for each edge, the
    boxes holding the parent but not the consumer, found by walking up from the parent.
    """
    count = len(data.groups)
    members, operations = [0] * count, [0] * count
    outputs: list[set] = [set() for _ in range(count)]
    chains = []
    for i, row in enumerate(data.nodes):
        chain, g = [], row[7]
        while g >= 0:
            chain.append(g)
            members[g] += 1
            operations[g] += bool(data.parents[i])
            g = data.groups[g].parent
        chains.append(chain)
    for i, parents in enumerate(data.parents):
        holding = set(chains[i])
        for p in parents:
            for g in chains[p]:
                if g in holding:
                    break
                outputs[g].add(p)
    for r in data.roots:
        for g in chains[r]:
            outputs[g].add(r)
    for g, group in enumerate(data.groups):
        grads = [grad_of(order[i]) for i in sorted(outputs[g])]
        known = [x for x in grads if x is not None and np.all(np.isfinite(x))]
        text = f"{_count(members[g], 'node')}, {_count(operations[g], 'op')}"
        if known:  # the size of the gradient through the box: what shrinks or explodes
            norm = float(np.sqrt(sum(np.sum(np.square(x)) for x in known)))
            text += f"\n‖grad out‖ {style.format_number(norm, data.precision)}"
            biggest = max((signed_size(x) for x in known), key=abs)
            group.grad_fill = style.grad_color(biggest, data.scale)
        group.summary = text


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def outline(data: ExploreData, depth: int = 2) -> str:
    """The graph as text: the output, then the boxes two levels deep (the static view)."""
    root = data.nodes[data.roots[0]]
    lines = [f"{root[0]} = {root[3]}  grad {root[4]}   ({len(data.nodes):,} nodes; "
             f"open this in a notebook or browser with scripts to explore it)"]
    children: dict = {}
    for k, group in enumerate(data.groups):
        children.setdefault(group.parent, []).append(k)
    stack = [(k, 1) for k in reversed(children.get(-1, []))]
    while stack and len(lines) < 60:
        k, level = stack.pop()
        group = data.groups[k]
        summary = group.summary.replace("\n", ", ")
        lines.append(f"{'  ' * level}{group.title}: {summary}")
        if level < depth:
            stack += [(c, level + 1) for c in reversed(children.get(k, []))]
    return "\n".join(lines)
