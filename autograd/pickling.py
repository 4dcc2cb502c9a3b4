"""Pickling and deep-copying graphs of any depth, without recursion.

Python pickles an object by pickling what it refers to first, so a node pickled the
default way pickles its parents inside itself, and theirs inside them: a chain
``y = y + 1`` hit Python's recursion limit at ~250 nodes (``copy.deepcopy`` at ~140).
Here the node being pickled writes every node it depends on first, in topological
order, each holding only its own fields: by the time a node's parents are needed
they are already written, and pickle refers back to them. ``copy.deepcopy`` uses the
same protocol, so it is flat too. Labels, scopes, roles, gradients and shared nodes
(a node used twice is one node after loading) are kept.

    >>> import pickle
    >>> from autograd import Value
    >>> x = Value(1.0, label="x"); y = x
    >>> for _ in range(10_000):
    ...     y = y + 1
    >>> y.backward()
    >>> copy = pickle.loads(pickle.dumps(y))
    >>> copy.data, copy.parents[0].parents[0].data
    (10001.0, 9999.0)
"""

from __future__ import annotations

import copy
import copyreg
import operator
import threading
import weakref
from typing import Any

# Scratch fields of the fast walk (autograd.fast_backward): a loaded node starts outside it.
SCRATCH_FIELDS = {"_waiting": 0, "_pending": None}

# Nodes whose ancestors are being written right now, before them, so they write only
# their own fields: id -> weak reference. Whatever is in here, the result is right
# (a node's own fields and parent references are always a complete description);
# it only decides how deep pickle recurses. (A pickle that fails part-way leaves some
# marks behind; pickling such a node alone then recurses as Python's default does.)
class _Marks(threading.local):
    """Per thread: two threads pickling overlapping graphs never see each other's marks."""

    def __init__(self) -> None:
        self.written_in_order: dict[int, weakref.ref] = {}


_MARKS = _Marks()
_FIELDS: dict[type, tuple[tuple[str, ...], Any]] = {}
_SHARED_AS_IS = (float, int, str, bool, type(None))  # what deepcopy would return unchanged


def fields_of(cls: type) -> tuple[tuple[str, ...], Any]:
    """The slots that describe a node of class ``cls`` (all but ``__weakref__``), and
    a function reading them all at once."""
    known = _FIELDS.get(cls)
    if known is None:
        names = tuple(name for klass in reversed(cls.__mro__)
                      for name in getattr(klass, "__slots__", ())
                      if name not in ("__weakref__", "__dict__"))
        known = _FIELDS[cls] = (names, operator.attrgetter(*names))
    return known


class _EndOfAncestors:
    """Written after a node's ancestors: forgets their marks once they are written."""

    def __init__(self, keys: list[int]) -> None:
        self.keys = keys

    def __reduce__(self) -> tuple:
        for key in self.keys:
            _MARKS.written_in_order.pop(key, None)
        return type(None), ()  # loads as None


def reduce_node(node: Any) -> tuple:
    """``node.__reduce_ex__``: rebuild an empty node, then set its fields.

    At the top of a pickle (or deepcopy), the state also carries every ancestor in
    topological order, written before the node's own fields.
    """
    names, read = fields_of(type(node))
    state = (names, read(node))
    marks = _MARKS.written_in_order
    mark = marks.pop(id(node), None)
    if mark is not None and mark() is node:
        return copyreg.__newobj__, (type(node),), state
    from .graph import topological_order  # (graph imports node, which imports us)

    ancestors = topological_order(node)[:-1]
    keys = [id(ancestor) for ancestor in ancestors]
    marks.update(zip(keys, map(weakref.ref, ancestors)))
    ancestors.append(_EndOfAncestors(keys))
    return copyreg.__newobj__, (type(node),), (ancestors, *state)  # ancestors first


def restore_node(node: Any, state: tuple) -> None:
    """``node.__setstate__``: the fields written by ``reduce_node`` (its ancestors,
    if the state lists them, were restored before it)."""
    names, values = state[-2], state[-1]
    for name, value in zip(names, values, strict=True):
        object.__setattr__(node, name, SCRATCH_FIELDS.get(name, value))


def copy_node(node: Any) -> Any:
    """``node.__copy__``: a new node with the same fields (the same parents)."""
    names, read = fields_of(type(node))
    new = object.__new__(type(node))
    restore_node(new, (names, read(node)))
    return new


def deepcopy_node(node: Any, memo: dict) -> Any:
    """``node.__deepcopy__``: copy the graph node by node in topological order, each
    parent already copied when its consumers are (``copy.deepcopy`` through
    ``reduce_node`` is flat too, but three times slower)."""
    from .graph import topological_order

    for old in topological_order(node):
        if id(old) in memo:
            continue
        new = object.__new__(type(old))
        memo[id(old)] = new
        for name in fields_of(type(old))[0]:
            if name in SCRATCH_FIELDS:
                value = SCRATCH_FIELDS[name]
            elif name == "_parents":  # a tuple, or one parent stored bare (autograd.node)
                parents = old._parents
                value = (tuple(memo[id(p)] for p in parents) if type(parents) is tuple
                         else memo[id(parents)])
            else:
                value = getattr(old, name, None)
                if type(value) not in _SHARED_AS_IS:
                    value = copy.deepcopy(value, memo)
            object.__setattr__(new, name, value)
    return memo[id(node)]
