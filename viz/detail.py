"""Level of detail: what to draw when a graph has more nodes than a cell shows legibly.

Above ``DETAIL_LIMIT`` drawn nodes (what stays readable in a 980 px notebook cell),
``draw_graph`` does not refuse, it draws less:

- a graph built from ``nn.Module`` calls is drawn collapsed, one box per module
  (``viz.collapse``);
- otherwise long chains of one operation (``y = y + 1`` a thousand times) fold into
  one "n more nodes" box, keeping each chain's first and last links;
- if that is still too much, only the output's neighbourhood is drawn: the nodes
  within some distance of the output, the rest in one "n more nodes" box.

Each such drawing carries a note saying what was left out and how to draw it all.

    >>> from autograd import Value
    >>> y = Value(1.0, label="x")
    >>> for _ in range(1000):
    ...     y = y + 1
    >>> folds = fold_chains(graph_order(y))
    >>> len(folds), len(folds[0].members), folds[0].text
    (1, 996, '… 996 more “+ 1” nodes')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from autograd import topological_order

from . import labels
from .painter import GraphTooLargeError, too_large_message

DETAIL_LIMIT = 150    # drawn nodes (values and operations) a cell shows legibly
KEEP = 2              # links of a folded chain drawn at each end
SHORTEST_FOLD = 6     # a chain this long or longer folds
FOLD_LIMIT = 100_000  # values; beyond, only the output's neighbourhood is looked at


@dataclass
class Fold:
    """Nodes drawn as one box: its DOT id, its text, the nodes it stands for."""

    box_id: str
    text: str
    members: list = field(default_factory=list)


def graph_order(root: Any) -> list:
    """Parents before children (for the doctest; ``draw_graph`` has its own order)."""
    return topological_order(root)


def drawn_count(order: Sequence[Any]) -> int:
    """Drawn nodes: one per value, one more per operation."""
    return len(order) + sum(1 for n in order if n.parents)


def consumers_of(order: Sequence[Any]) -> dict:
    """node -> the nodes that use it (as often as they use it)."""
    consumers: dict = {}
    for node in order:
        for parent in node.parents:
            consumers.setdefault(parent, []).append(node)
    return consumers


def fold_chains(order: Sequence[Any], roots: Sequence[Any] = ()) -> list[Fold]:
    """Long chains of one operation, each link used only by the next; their middles.

    A leaf used only inside a folded middle (a chain's constants) folds with it.
    """
    consumers = consumers_of(order)
    keep = set(roots)

    def link(node: Any) -> Any:
        """The previous link of ``node``'s chain, or None."""
        inner = [p for p in node.parents if p.parents]
        if len(inner) != 1:
            return None
        previous = inner[0]
        if previous.op != node.op or len(consumers.get(previous, ())) != 1 or previous in keep:
            return None
        return previous

    previous_of = {node: link(node) for node in order if node.parents}
    has_next = {p for p in previous_of.values() if p is not None}
    folds: list[Fold] = []
    for node in order:  # a chain's last link: has a previous link but no next one
        if node not in previous_of or node in has_next or previous_of[node] is None:
            continue
        chain = [node]
        while previous_of.get(chain[-1]) is not None:
            chain.append(previous_of[chain[-1]])
        chain.reverse()
        if len(chain) < SHORTEST_FOLD + 2 * KEEP:
            continue
        middle = chain[KEEP:-KEEP]
        inside = set(middle)
        leaves = [p for n in middle for p in n.parents if not p.parents
                  and all(c in inside for c in consumers.get(p, ()))]
        text = f"… {len(middle):,} more “{labels.op_text(node)}” nodes"
        folds.append(Fold(f"fold{len(folds)}", text, middle + list(dict.fromkeys(leaves))))
    return folds


def neighbourhood(roots: Sequence[Any], hidden: set, limit: int, count: int) -> tuple:
    """The nodes nearest the output that fit ``limit`` drawn nodes, and the box for
    the rest (None when everything fits).

    Breadth first from the output, towards the inputs, stopping as soon as the next
    layer does not fit: a million-node graph costs only the part drawn. Nodes already
    ``hidden`` (folded) are not counted. ``count`` is the graph's drawn node count.
    """
    seen = set(roots)
    near: list = [r for r in roots if r not in hidden]
    frontier = list(roots)
    shown = drawn_count(near)
    depth = 0
    while frontier:
        following = []
        for node in frontier:
            for parent in node.parents:
                if parent not in seen:
                    seen.add(parent)
                    following.append(parent)
        layer = [n for n in following if n not in hidden]
        cost = drawn_count(layer)
        if not following or shown + cost > limit:
            break
        near += layer
        shown += cost
        depth += 1
        frontier = following
    hidden_count = drawn_count([n for n in hidden])
    far = count - hidden_count - shown
    if far <= 0:
        return near, None
    text = f"… {far:,} more nodes farther from the output (more than {depth} steps)"
    return near, Fold("far", text)


@dataclass
class Plan:
    """What ``draw_graph`` draws: collapse by module, or these folds, and the note."""

    collapse: bool = False
    folds: list = field(default_factory=list)
    note: str = ""
    near: list | None = None  # only these nodes, when the neighbourhood is drawn

    def visible(self, order: list) -> list:
        """The nodes drawn one by one, parents before children."""
        if self.near is not None:
            near = set(self.near)
            return [node for node in order if node in near]
        if not self.folds:
            return order
        hidden = {node for fold in self.folds for node in fold.members}
        return [node for node in order if node not in hidden]


def plan(order: list, roots: Sequence[Any], max_nodes: int | str | None, collapse: bool,
         depth: int) -> Plan:
    """How to draw ``order`` within ``max_nodes`` (see the module docstring)."""
    if max_nodes not in ("auto", None) and (isinstance(max_nodes, bool)
                                            or not isinstance(max_nodes, int)):
        raise ValueError(f"max_nodes must be 'auto' (draw less of a big graph), a whole "
                         f"number (refuse beyond it) or None (draw everything), got "
                         f"{max_nodes!r}")
    count = drawn_count(order)
    limit = DETAIL_LIMIT if max_nodes == "auto" else max_nodes
    if collapse or limit is None or count <= limit:
        return Plan()
    scoped = any(getattr(node, "scope", ()) for node in order)
    if max_nodes != "auto":
        raise GraphTooLargeError(too_large_message(count, limit, scoped, False))
    everything = "max_nodes=None draws every node"
    if scoped:
        return Plan(collapse=True, note=(
            f"{count:,} nodes: drawn as one box per module call (depth={depth}); "
            f"depth={depth + 1} opens one more level, {everything}"))
    # Folding reads every node; past FOLD_LIMIT only the neighbourhood is read.
    folds = fold_chains(order, roots) if len(order) <= FOLD_LIMIT else []
    hidden = {node for fold in folds for node in fold.members}
    note = f"{count:,} nodes: long chains of one operation folded; {everything}"
    if drawn_count([n for n in order if n not in hidden]) + len(folds) <= DETAIL_LIMIT:
        return Plan(folds=folds, note=note)
    near, far = neighbourhood(roots, hidden, DETAIL_LIMIT - len(folds) - 1, count)
    note = f"{count:,} nodes: only the nodes nearest the output drawn; {everything}"
    return Plan(folds=folds + ([far] if far else []), note=note,
                near=[n for n in near if n not in hidden])
