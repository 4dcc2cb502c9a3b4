"""``Node``: what every node of a graph has, whether it holds a number or an array.

``.parents``, a tuple in operand order (``a*a`` has two entries), and three notes for
people and drawings: ``.label`` (its name), ``.role`` (``"parameter"``, ``"input"``,
``"constant"`` or ``""``) and ``.scope`` (the names of the ``autograd.scope`` blocks,
one per ``nn`` module call, it was made in).

    >>> from autograd import Value, scope
    >>> w = Value(3.0, label="w", role="parameter")
    >>> with scope("layer"):
    ...     y = w * 2
    >>> y.parents == (w,), y.scope, w.label, w.role
    (True, ('layer',), 'w', 'parameter')

Both are stored compactly. A graph can have millions of nodes, and Python's cyclic
garbage collector rereads every field of every node each time it scans a growing
graph; on a long chain that was half the time of building it. So:

- a node with one parent keeps it bare in ``_parents``, not in a tuple of one (on a
  chain those tuples were half of all the objects);
- the three notes share one field, ``_notes``: the nodes made in one scope with no
  label and no role all point to the same ``Notes`` record. Setting a note gives the
  node a record of its own. (Two threads setting the label and the role of one node
  at the same moment can lose one of the two.)

The graph walks (``autograd.graph``) read ``_parents`` directly; everything else uses
``.parents``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from . import pickling


class Notes(NamedTuple):
    """A node's label, role and scope, in one record that many nodes can share."""

    label: str = ""
    role: str = ""
    scope: tuple[str, ...] = ()


def notes_for(label: Any, role: Any, shared: Notes) -> Notes:
    """A new node's notes: ``shared`` (the current scope's) unless it has a label or role."""
    label, role = _text(label, "label"), _text(role, "role")
    if not label and not role:
        return shared
    return Notes(label, role, shared.scope)


def _text(text: Any, name: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, got {text!r} of type {type(text).__name__}")
    return text


def _scope(scope: Any) -> tuple[str, ...]:
    if not isinstance(scope, tuple) or not all(isinstance(name, str) for name in scope):
        raise TypeError(f"scope must be a tuple of str (outermost first), got {scope!r}")
    return scope


class Node:
    """The base of ``Value`` and ``Tensor``: parents and notes (see the module's text).

    A subclass has the slots ``_parents`` (a tuple, or the one parent itself) and
    ``_notes`` (a ``Notes``).
    """

    __slots__ = ()

    # Pickle and deep-copy without recursion, at any depth (see autograd.pickling).
    def __reduce_ex__(self, protocol: int) -> tuple:
        return pickling.reduce_node(self)

    def __setstate__(self, state: tuple) -> None:
        pickling.restore_node(self, state)

    def __copy__(self) -> Node:
        return pickling.copy_node(self)

    def __deepcopy__(self, memo: dict) -> Node:
        return pickling.deepcopy_node(self, memo)

    @property
    def parents(self) -> tuple:
        """The nodes this one was computed from, in operand order (``()`` for a leaf)."""
        parents = self._parents
        return parents if type(parents) is tuple else (parents,)

    @parents.setter
    def parents(self, parents: tuple) -> None:
        if isinstance(parents, Node):
            raise TypeError(f"parents must be a tuple of nodes; for one parent write "
                            f"(x,), not x (got {parents!r})")
        parents = tuple(parents)
        for parent in parents:
            if not isinstance(parent, Node):
                raise TypeError(f"parents must be Values or Tensors, got {parent!r} "
                                f"({type(parent).__name__})")
        self._parents = parents

    @property
    def label(self) -> str:
        """A name for drawings and messages (``""`` for none)."""
        return self._notes.label

    @label.setter
    def label(self, label: str) -> None:
        self._notes = self._notes._replace(label=_text(label, "label"))

    @property
    def role(self) -> str:
        """What ``nn`` or the user says the node is: parameter, input, constant or ``""``."""
        return self._notes.role

    @role.setter
    def role(self, role: str) -> None:
        self._notes = self._notes._replace(role=_text(role, "role"))

    @property
    def scope(self) -> tuple[str, ...]:
        """The names of the scopes the node was made in, outermost first."""
        return self._notes.scope

    @scope.setter
    def scope(self, scope: tuple[str, ...]) -> None:
        self._notes = self._notes._replace(scope=_scope(scope))
