"""The backward pass as you would write it by hand: read this one first.

Backprop is the chain rule applied edge by edge, from the output down:

    d root / d parent  +=  d root / d node  ×  d node / d parent
    (the parent's grad)     (upstream)          (local derivative, from rules.py)

A node may be taken only once every node that uses it has added its part, so the
nodes are taken in Kahn's order from the output: count each node's consumers, take
the output, and take a node as soon as its last consumer is done. No recursion, so a
chain of a million operations is fine.

``propagate`` is that walk; ``grad()``, ``backward_steps`` and ``explain`` use it.
Plain ``backward()`` runs its optimised twin, ``autograd.fast_backward``: the same
order and the same numbers, with the bookkeeping kept on the nodes for speed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .node import Node

EdgeHook = Callable[[Any, int, Any, Any, Any], None]


def topological_order(root: Any) -> list:
    """Every node that ``root`` depends on, each after all of its parents (Kahn's order).

    >>> from autograd import Value
    >>> a = Value(2.0, label="a"); b = a * Value(3.0, label="k"); c = b + a
    >>> [n.label or n.op for n in topological_order(c)]
    ['a', 'k', '*', '+']
    """
    check_root(root)
    waiting = {root: 0}  # node -> how many of its consumers are not taken yet
    stack = [root]
    while stack:
        for parent in stack.pop().parents:
            if parent in waiting:
                waiting[parent] += 1
            else:  # reached for the first time: count its own parents next
                waiting[parent] = 1
                stack.append(parent)
    order, ready = [], [root]
    while ready:
        node = ready.pop()
        order.append(node)
        for parent in node.parents:
            waiting[parent] -= 1
            if waiting[parent] == 0:  # its last consumer is done: it can go next
                ready.append(parent)
    check_all_taken(len(waiting), len(order))
    order.reverse()
    return order


def propagate(root: Any, seed: Any, create_graph: bool = False,
              on_edge: EdgeHook | None = None) -> dict:
    """``{node: d root / d node}`` for every node the gradient reaches; ``.grad`` untouched.

    ``seed`` is d root / d root (1.0). With ``create_graph=True`` the gradients are
    themselves graphs, to differentiate again. ``on_edge(node, index, upstream,
    contribution, total_before)`` is called on each edge as its contribution is added
    (``total_before`` is None for a parent's first one): the stepper records them.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x"); y = x * x + x     # dy/dx = 2x + 1
    >>> propagate(y, 1.0)[x]
    7.0
    """
    grads = {root: seed}
    for node in reversed(topological_order(root)):  # the output first
        upstream = grads.get(node)  # d root / d node, complete: all its consumers are done
        if upstream is None or not node.parents:
            continue
        # upstream × local derivative for each parent (for a Tensor: its VJP)
        contributions = node._contributions(upstream, create_graph)
        for index, (parent, contribution) in enumerate(zip(node.parents, contributions)):
            if contribution is None:  # an input that wants no gradient
                continue
            before = grads.get(parent)
            grads[parent] = contribution if before is None else before + contribution
            if on_edge is not None:
                on_edge(node, index, upstream, contribution, before)
    return grads


def check_root(root: Any) -> None:
    """A walk starts from a node; anything else gets a clear error."""
    if not isinstance(root, Node):
        raise TypeError(f"a graph walk starts from a Value or Tensor, got {root!r} "
                        f"({type(root).__name__})")


def check_all_taken(reached: int, taken: int) -> None:
    """Kahn's algorithm takes every node of a DAG; it gets stuck only on a cycle."""
    if taken != reached:
        raise RuntimeError(f"the graph has a cycle: {reached - taken} of its {reached} nodes "
                           f"could not be put in order (was .parents changed by hand?); "
                           f"gradients need an acyclic graph")
