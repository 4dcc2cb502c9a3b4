"""Walking the graph: topological order and the chain rule, for every kind of node.

A node is anything with ``.parents`` and a ``_vjp(upstream, create_graph)`` method
that returns one gradient contribution per parent (``None`` for a parent that needs
none). ``Value`` and ``Tensor`` both are, so there is one walk for both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def topological_order(root: Any) -> list:
    """Every node that ``root`` depends on, each after all of its parents.

    Iterative (an explicit stack), so a chain of a million operations does not hit
    Python's recursion limit.

    >>> from autograd import Value
    >>> a = Value(2.0, label="a"); b = a * 3; c = b + a
    >>> [n.label or n.op for n in topological_order(c)]
    ['a', '', '*', '+']
    """
    order: list = []
    visited: set = set()
    stack: list = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if node in visited:
            continue
        visited.add(node)
        stack.append((node, True))
        for parent in reversed(node.parents):  # reversed: operand order on the way out
            if parent not in visited:
                stack.append((parent, False))
    return order


EdgeHook = Callable[[Any, int, Any, Any, Any], None]


def propagate(root: Any, seed: Any, create_graph: bool = False,
              on_edge: EdgeHook | None = None) -> dict:
    """The chain rule over the whole graph: ``{node: d root / d node}``.

    Visits nodes in reverse topological order; along each edge it adds
    upstream x local to the parent's total (the ``+=`` where a node fans out).
    ``on_edge(node, index, upstream, contribution, total_before)`` is called for each
    edge in the order the contributions are added (the stepper records them).
    """
    grads: dict = {root: seed}
    for node in reversed(topological_order(root)):
        parents = node.parents
        if not parents:
            continue
        upstream = grads[node]
        contributions = node._vjp(upstream, create_graph)
        for index, (parent, contribution) in enumerate(zip(parents, contributions)):
            if contribution is None:
                continue
            before = grads.get(parent)
            grads[parent] = contribution if before is None else before + contribution
            if on_edge is not None:
                on_edge(node, index, upstream, contribution, before)
    return grads


def backward(root: Any, seed: Any) -> None:
    """Add d root / d node into ``node.grad`` for every node of the graph.

    Each node's gradient for this pass is summed first and then added once, so calling
    backward twice exactly doubles every gradient, intermediate nodes included.
    """
    for node, gradient in propagate(root, seed).items():
        node._accumulate(gradient)
