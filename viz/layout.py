"""Sizing a drawing before it is laid out: which direction fits a notebook cell, and
what the layout will cost.

A cell is about 980 px wide and node text is 12 pt (16 px): the text stays at least
9 px on screen when the picture is at most ``980 / (9/16)`` px, about 1,300 pt, wide.
A graph is drawn left to right (micrograd's look) while that fits, else top to bottom,
where its width is the widest rank instead of the longest path.

Graphviz's cost grows with the edges times the ranks they cross (each crossing is a
virtual node to place); a chain ``x * x * ... * x`` has few nodes but 200 edges from
``x`` crossing up to 400 ranks each. ``virtual_nodes`` counts that before laying out.

    >>> from autograd import Value, topological_order
    >>> x = Value(1.0, label="x")
    >>> y = x * x * x * x
    >>> levels(topological_order(y))[y], virtual_nodes(topological_order(y))
    (3, 6)
"""

from __future__ import annotations

CELL_PT = 1300          # widest natural size (pt) whose 12 pt text stays >= 9 px in a cell
LR_VALUE_PT = 190       # a "label | data | grad" box in a row, and the gap after it
LR_OP_PT = 80           # an operation and the gap after it
EDGE_LABEL_PT = 130     # an edge's "local ..." label between a value and its operation
EDGE_CELL_PT = 980      # the same for 9 pt edge labels
TB_NODE_PT = 100        # a stacked "label / data / grad" box side by side with the next
MAX_VIRTUAL_NODES = 2_000  # with edge labels: 1,500 take 4 s, 3,400 take 70 s to lay out


def levels(order: list) -> dict:
    """Longest path from a leaf: 0 for leaves, 1 + the deepest parent otherwise."""
    level: dict = {}
    for node in order:
        level[node] = 1 + max((level.get(p, 0) for p in node.parents), default=-1)
    return level


def _ranks(order: list) -> tuple[dict, int]:
    """Each node's drawn rank (operations between values) and the widest rank's size.

    A leaf sits just above the first operation that uses it, as Graphviz places it.
    """
    level = levels(order)
    rank: dict = {}
    for node in order:
        if node.parents:
            rank[node] = 2 * level[node]
    consumers_rank: dict = {}
    for node in order:
        for parent in node.parents:
            if not parent.parents and node in rank:
                here = rank[node] - 2
                consumers_rank[parent] = min(consumers_rank.get(parent, here), here)
    for node in order:
        if not node.parents:
            rank[node] = consumers_rank.get(node, 0)
    breadth: dict = {}
    for node in order:
        breadth[rank[node]] = breadth.get(rank[node], 0) + 1
    return rank, max(breadth.values(), default=1)


def choose_rankdir(order: list, edge_labels: bool = False) -> str:
    """``"LR"`` when a left-to-right drawing fits a cell's width legibly, else ``"TB"``.

    Edge labels (9 pt) add width and need a larger scale to stay legible.

    >>> from autograd import Value, topological_order
    >>> y = Value(1.0, label="a") * Value(2.0, label="b")
    >>> choose_rankdir(topological_order(y))
    'LR'
    """
    if not order:
        return "LR"
    depth = max(levels(order).values())
    label_pt = EDGE_LABEL_PT if edge_labels else 0
    lr_width = (depth + 1) * LR_VALUE_PT + depth * (LR_OP_PT + label_pt)
    if lr_width <= (EDGE_CELL_PT if edge_labels else CELL_PT):
        return "LR"
    _, breadth = _ranks(order)
    return "TB" if breadth * (TB_NODE_PT + label_pt // 2) < lr_width else "LR"


def virtual_nodes(order: list) -> int:
    """How many ranks the edges cross in all (Graphviz's layout work grows with it)."""
    rank, _ = _ranks(order)
    total = 0
    for node in order:
        for parent in node.parents:
            if parent in rank:  # else an input from outside the nodes drawn
                total += max(0, rank[node] - 1 - rank[parent] - 1)
    return total
