"""Walking the graph: topological order and the chain rule, for every kind of node.

A node is an ``autograd.node.Node``: it has ``_parents`` (a tuple, or the one parent
itself), ``.local_grads`` (d node / d parent for each parent as numbers, or None) and
a ``_vjp(upstream, create_graph)`` method that returns one gradient contribution per
parent (``None`` for a parent that needs none). ``Value`` and ``Tensor`` both are, so
there is one walk for both.

Both walks here are Kahn's algorithm run from the output: count how many consumers
each node has below the root, then take a node once all of its consumers are done.
Iterative, so a chain of a million operations does not hit Python's recursion limit.

During a walk each node carries two scratch fields: ``_waiting`` (consumers not done
yet) and ``_pending`` (the gradient summed so far). Keeping them on the node rather
than in dicts keyed by node halves the cost of a walk (no hashing per edge), which is
most of ``backward()`` on a long chain. Two fields and not more: every field of a node
is one more thing Python's cyclic garbage collector reads each time it scans a large
graph, and a third one measurably slowed down building a million-node chain.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .node import Node

_ONE_WALK_AT_A_TIME = threading.Lock()


class _WalkState:
    """Which thread is walking, and the root of a walk whose clean-up was cut short."""

    owner: int | None = None
    unfinished: Any = None


@contextmanager
def _walking(root: Any) -> Iterator[None]:
    """Around every walk: walks take turns, and a walk cut short cleans up after itself.

    Walks write scratch fields on the nodes they visit, so two threads must not walk
    at once. A walk started from inside another walk in the same thread (from an
    ``on_edge`` hook) is refused with an error rather than left waiting for itself. A
    walk cut short by an exception resets the fields it left half-done; if even that is
    interrupted (a second Ctrl-C), the next walk finishes the job before it starts.
    """
    if not isinstance(root, Node):
        raise TypeError(f"a graph walk starts from a Value or Tensor, got {root!r} "
                        f"({type(root).__name__})")
    me = threading.get_ident()
    if _WalkState.owner == me:
        raise RuntimeError("a graph walk (backward, grad, topological_order) was started "
                           "inside another one, from an on_edge hook; record what you "
                           "need in the hook and walk after it returns")
    with _ONE_WALK_AT_A_TIME:
        _WalkState.owner = me
        try:
            if _WalkState.unfinished is not None:
                _clear(_WalkState.unfinished)
            _WalkState.unfinished = root
            yield
            _WalkState.unfinished = None
        except BaseException:
            _clear(root)
            _WalkState.unfinished = None
            raise
        finally:
            _WalkState.owner = None


def _clear(root: Any) -> None:
    """Reset ``_waiting`` and ``_pending`` on every node below ``root``."""
    seen = {root}
    stack = [root]
    while stack:
        node = stack.pop()
        node._waiting = 0
        node._pending = None
        for parent in node.parents:
            # (skip what is not a node: a broken graph's own error must show, not ours)
            if parent not in seen and isinstance(parent, Node):
                seen.add(parent)
                stack.append(parent)


def _count_consumers(root: Any) -> int:
    """Count into ``node._waiting`` how many consumers each node below ``root`` has.

    Outside a walk every node has ``_waiting == 0``, so a count above 0 means "already
    reached by this walk"; every walk brings each count back down to 0 as it goes.
    Returns how many nodes there are, root included.
    """
    reached = 1
    stack = [root]
    while stack:
        parents = stack.pop()._parents
        if type(parents) is not tuple:  # one parent, stored bare (see autograd.node)
            # The loop below for that one parent, spelled out: wrapping it in a tuple
            # to loop over was a sixth of backward() on a long chain.
            if parents._waiting:
                parents._waiting += 1
            else:  # reached for the first time: count its own parents next
                parents._waiting = 1
                reached += 1
                stack.append(parents)
            continue
        for parent in parents:
            if parent._waiting:
                parent._waiting += 1
            else:
                parent._waiting = 1
                reached += 1
                stack.append(parent)
    return reached


def _check_all_taken(reached: int, taken: int) -> None:
    """Kahn's algorithm takes every node of a DAG; it gets stuck only on a cycle."""
    if taken != reached:
        raise RuntimeError(f"the graph has a cycle: {reached - taken} of its {reached} nodes "
                           f"could not be put in order (was .parents changed by hand?); "
                           f"gradients need an acyclic graph")


def topological_order(root: Any) -> list:
    """Every node that ``root`` depends on, each after all of its parents.

    >>> from autograd import Value
    >>> a = Value(2.0, label="a"); b = a * Value(3.0, label="k"); c = b + a
    >>> [n.label or n.op for n in topological_order(c)]
    ['a', 'k', '*', '+']
    """
    order = []
    with _walking(root):
        reached = _count_consumers(root)
        ready = [root]
        while ready:
            node = ready.pop()
            order.append(node)
            for parent in node.parents:
                left = parent._waiting - 1
                parent._waiting = left
                if not left:
                    ready.append(parent)
        _check_all_taken(reached, len(order))
    order.reverse()
    return order


EdgeHook = Callable[[Any, int, Any, Any, Any], None]


def _walk_backward(root: Any, seed: Any, create_graph: bool, on_edge: EdgeHook | None,
                   totals: dict | None) -> None:
    """The chain rule over the whole graph, outputs first.

    A node is taken once all its consumers have added their contribution, so its
    total d root / d node is final: it goes into ``totals``, or, when ``totals`` is
    None, straight into ``node.grad`` (``backward``). Along each edge the parent
    receives upstream x local, added to what it has (the ``+=`` where a node fans out).
    """
    # The chain rule as numbers, with nobody watching: what backward() does on Values.
    plain = not create_graph and on_edge is None
    with _walking(root):
        reached = _count_consumers(root)
        taken = 0
        root._pending = seed
        ready = [root]
        while ready:
            node = ready.pop()
            taken += 1
            upstream = node._pending
            node._pending = None  # let go of the array as soon as it is used
            if upstream is not None:  # (None: no gradient reached it, e.g. a constant Tensor)
                if totals is None:
                    if type(node.grad) is float:  # a Value's: add in place, without a call
                        node.grad += upstream
                    else:
                        node._accumulate(upstream)
                else:
                    totals[node] = upstream
            parents = node._parents
            if type(parents) is not tuple:  # one parent, stored bare (see autograd.node)
                if plain and upstream is not None:
                    # The same as the loop below, for most nodes of a chain. Spelled out
                    # because a loop allocates iterators, and on a long chain those
                    # alone cost a quarter of the walk.
                    parent = parents
                    contribution = upstream * node.local_grads[0]
                    before = parent._pending
                    parent._pending = contribution if before is None else before + contribution
                    left = parent._waiting - 1
                    parent._waiting = left
                    if not left:
                        ready.append(parent)
                    continue
                parents = (parents,)
            elif not parents:
                continue
            # A Value keeps its local derivatives as numbers: multiply along each edge
            # right here, the chain rule literally. Tensors (vector-Jacobian products) and
            # gradients that must stay differentiable are worked out by the node's _vjp.
            local_grads = node.local_grads
            if upstream is None:  # nothing flows on, but the parents are still released
                vjp = (None,) * len(parents)
            elif local_grads is not None and not create_graph:
                vjp = None
            else:
                vjp = node._vjp(upstream, create_graph)
            for index, parent in enumerate(parents):
                contribution = upstream * local_grads[index] if vjp is None else vjp[index]
                if contribution is not None:
                    before = parent._pending
                    parent._pending = contribution if before is None else before + contribution
                    if on_edge is not None:
                        on_edge(node, index, upstream, contribution, before)
                left = parent._waiting - 1
                parent._waiting = left
                if not left:
                    ready.append(parent)
        _check_all_taken(reached, taken)


def propagate(root: Any, seed: Any, create_graph: bool = False,
              on_edge: EdgeHook | None = None) -> dict:
    """``{node: d root / d node}`` for every node the gradient reaches, ``.grad`` untouched.

    Visits the nodes in the order of ``reversed(topological_order(root))``.
    ``on_edge(node, index, upstream, contribution, total_before)`` is called for each
    edge in the order the contributions are added (the stepper records them);
    ``total_before`` is None for a parent's first contribution.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x"); y = x * x + x     # dy/dx = 2x + 1
    >>> propagate(y, 1.0)[x]
    7.0
    """
    totals: dict = {}
    _walk_backward(root, seed, create_graph, on_edge, totals)
    return totals


def backward(root: Any, seed: Any) -> None:
    """Add d root / d node into ``node.grad`` for every node of the graph.

    Each node's gradient for this pass is summed first and then added once, so calling
    backward twice exactly doubles every gradient, intermediate nodes included. A
    node's gradient is added as soon as it is complete, so a backward pass cut short
    (an exception, Ctrl-C) leaves the gradients added so far, as PyTorch's does: call
    ``zero_grad()`` before running it again.
    """
    _walk_backward(root, seed, False, None, None)
