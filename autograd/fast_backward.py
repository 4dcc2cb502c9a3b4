"""The optimised twin of ``graph.propagate``, run by plain ``backward()``.

Read ``autograd/graph.py`` first: this is the same walk (Kahn's order from the output,
upstream × local on each edge), taking the nodes and adding the contributions in the
same order, so it gives the same numbers to the last bit (a property test checks it,
``tests/autograd/test_two_walks.py``). What differs is only where it keeps things,
because on a graph of a million nodes the bookkeeping is most of the time:

- each node's count of consumers and its running sum live on the node itself, in the
  scratch fields ``_waiting`` and ``_pending``, not in dicts keyed by node;
- a Value's local derivatives are multiplied right here, without a method call;
- a node with one parent skips the loop.

benchmarks/NOTES.md says what each of these bought. Because the walk writes on the
nodes, walks take turns (a lock), and a walk cut short (an exception, Ctrl-C) puts the
fields back; if even that is interrupted, the next walk finishes it first.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .graph import check_all_taken, check_root
from .node import _BACKWARD_RAN, Node

_ONE_WALK_AT_A_TIME = threading.Lock()
_unfinished: list = []  # the root of a walk whose clean-up was cut short, if any


def backward(root: Any, seed: Any) -> None:
    """Add d root / d node into ``node.grad`` for every node of the graph.

    Each node's gradient for this pass is summed first and added once, so calling it
    twice exactly doubles every gradient. A node's gradient is added as soon as it is
    complete, so a pass cut short leaves the gradients added so far, as PyTorch's does.
    """
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
            parents = node._parents
            if type(parents) is not tuple:  # one parent, kept bare (see autograd.node)
                if type(upstream) is float:  # a Value: the common case of a chain, no loop
                    node.grad += upstream
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
            if upstream is None:  # no gradient reached it (a Tensor that wants none)
                contributions: Any = (None,) * len(parents)
            elif type(upstream) is float:  # a Value: its local derivatives are numbers
                node.grad += upstream
                contributions = [upstream * local for local in node.local_grads]
            else:
                node._accumulate(upstream)
                contributions = node._contributions(upstream, False) if parents else ()
            for parent, contribution in zip(parents, contributions):
                if contribution is not None:
                    before = parent._pending
                    parent._pending = contribution if before is None else before + contribution
                left = parent._waiting - 1
                parent._waiting = left
                if not left:
                    ready.append(parent)
        check_all_taken(reached, taken)
    _BACKWARD_RAN.add(root)


def _count_consumers(root: Node) -> int:
    """Count into ``node._waiting`` how many consumers each node below ``root`` has.

    Outside a walk every count is 0, so a count above 0 means "already reached".
    Returns how many nodes there are, root included.
    """
    reached = 1
    stack = [root]
    while stack:
        parents = stack.pop()._parents
        if type(parents) is not tuple:  # one parent, kept bare (see autograd.node): no loop
            if parents._waiting:
                parents._waiting += 1
            else:
                parents._waiting = 1
                reached += 1
                stack.append(parents)
            continue
        for parent in parents:
            if parent._waiting:
                parent._waiting += 1
            else:  # reached for the first time: count its own parents next
                parent._waiting = 1
                reached += 1
                stack.append(parent)
    return reached


@contextmanager
def _walking(root: Any) -> Iterator[None]:
    """Walks take turns, and a walk cut short puts the scratch fields back."""
    check_root(root)
    with _ONE_WALK_AT_A_TIME:
        try:
            while _unfinished:  # a clean-up was interrupted last time: finish it first
                _clear(_unfinished[-1])
                _unfinished.pop()
            yield
        except BaseException:
            _unfinished.append(root)
            _clear(root)
            _unfinished.pop()
            raise


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
