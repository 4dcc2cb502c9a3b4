"""``Node``: what every node of a graph has, whether it holds a number or an array.

``.parents``, a tuple in operand order (``a*a`` has two entries), ``.op`` and ``.attrs``
(the operation that made it and its settings), and three notes for people and
drawings: ``.label`` (its name), ``.role`` (``"parameter"``, ``"input"``,
``"constant"`` or ``""``) and ``.scope`` (the names of the ``autograd.scope`` blocks,
one per ``nn`` module call, it was made in).

    >>> from autograd import Value, scope
    >>> w = Value(3.0, label="w", role="parameter")
    >>> with scope("layer"):
    ...     y = w * 2
    >>> y.parents == (w,), y.scope, w.label, w.role
    (True, ('layer',), 'w', 'parameter')

Two fields are stored compactly, because Python's cyclic garbage collector rereads
every field of every live node while a large graph grows (benchmarks/NOTES.md):

- ``_parents`` keeps a single parent bare, not in a tuple of one (a million 1-tuples
  are a million more objects to rescan); ``.parents`` is always a tuple, and only
  ``record`` and the fast walk see the bare form;
- the three notes share ``_notes``: the nodes made in one scope with no label and no
  role all point to the same ``Notes`` record; setting a note gives the node its own.

The elementwise functions ``exp``, ``tanh``, ``relu``, ... are written here once for
``Value`` and ``Tensor``: each looks up its rule and records it with ``self._apply``.
"""

from __future__ import annotations

import numbers
import weakref
from typing import TYPE_CHECKING, Any, NamedTuple

from . import rules

if TYPE_CHECKING:  # (typing.Self is Python 3.11+; annotations are never evaluated)
    from typing import Self


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


class Attrs(dict):
    """An operation's settings (``{"exponent": 2.0}`` for ``x ** 2``): a dict to read.

    Read-only because one ``Attrs`` may be shared by many nodes (every ``x + 1`` points
    to the same ``{"constant": 1.0}``). A ``dict`` underneath, so ``**attrs`` is fast.
    """

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(f"a node's attrs are read-only (they may be shared by other nodes); "
                        f"got {dict(self)!r}")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only
    __ior__ = _read_only

    def __reduce__(self) -> tuple:  # pickle rebuilds it from a plain dict, not item by item
        return (Attrs, (dict(self),))

    def __repr__(self) -> str:
        return dict.__repr__(self)


NO_ATTRS = Attrs()  # the settings of an operation that has none, shared by all of them

# Roots that backward() has run from, so a drawing can tell "gradient 0" from "none yet".
_BACKWARD_RAN: weakref.WeakSet = weakref.WeakSet()


class Node:
    """The base of ``Value`` and ``Tensor``: parents, notes and the shared functions.

    A subclass has the slots ``op``, ``_parents`` (see above), ``attrs`` (an ``Attrs``)
    and ``_notes`` (a ``Notes``), and a method ``_apply(rule, attrs)`` that records
    ``rule`` on this one node.
    """

    __slots__ = ()

    def _apply(self, rule: rules.Rule, attrs: Attrs = NO_ATTRS) -> Self:
        raise NotImplementedError

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

    @property
    def backward_ran(self) -> bool:
        """True once ``backward()`` (or ``backward_steps``) has run from this node.

        ``.grad`` alone cannot say it: a gradient of 0 may be a result. ``zero_grad()``
        from this node sets it back to False.

        >>> from autograd import Value
        >>> y = Value(2.0) * 3
        >>> y.backward_ran, (y.backward(), y.backward_ran)[1]
        (False, True)
        """
        return self in _BACKWARD_RAN

    def _mark_backward(self, ran: bool) -> None:
        if ran:
            _BACKWARD_RAN.add(self)
        else:
            _BACKWARD_RAN.discard(self)

    # --- comparisons: of the numbers, no gradient (a Tensor gives a boolean array) -----
    # == is left as identity: nodes are dictionary keys in the walks.
    def __lt__(self, other: Any) -> Any:
        return self.data < _data(other)

    def __le__(self, other: Any) -> Any:
        return self.data <= _data(other)

    def __gt__(self, other: Any) -> Any:
        return self.data > _data(other)

    def __ge__(self, other: Any) -> Any:
        return self.data >= _data(other)

    # --- the elementwise functions Value and Tensor share (one rule each) -------------
    def __neg__(self) -> Self:
        return self._apply(rules.NEG)

    def __pos__(self) -> Self:
        return self

    def __abs__(self) -> Self:
        return self._apply(rules.ABS)

    def abs(self) -> Self:
        """|x|; d/dx = sign(x) (0 at 0, as PyTorch)."""
        return self._apply(rules.ABS)

    def exp(self) -> Self:
        """e**x; d/dx = e**x. Value: OverflowError above x = 709.78."""
        return self._apply(rules.EXP)

    def log(self) -> Self:
        """ln x; d/dx = 1/x. Value: ValueError for x <= 0; Tensor: -inf/nan, one warning."""
        return self._apply(rules.LOG)

    def sqrt(self) -> Self:
        """Square root; d/dx = 1/(2·sqrt(x)), inf at 0 (as PyTorch). Below 0: as log."""
        return self._apply(rules.SQRT)

    def tanh(self) -> Self:
        """tanh(x), d/dx = 1 - tanh(x)²; saturates to ±1 without overflow."""
        return self._apply(rules.TANH)

    def sigmoid(self) -> Self:
        """σ(x) = 1 / (1 + e**-x), d/dx = σ(x)(1 - σ(x)); 0 and 1 at ∓1000, no overflow."""
        return self._apply(rules.SIGMOID)

    def relu(self) -> Self:
        """max(x, 0); d/dx = 1 for x > 0, else 0 (0 at x = 0, as PyTorch)."""
        return self._apply(rules.RELU)

    def leaky_relu(self, slope: float = 0.01) -> Self:
        """x for x > 0, else slope·x; d/dx = 1 or slope."""
        if isinstance(slope, bool) or not isinstance(slope, numbers.Real):
            raise TypeError(f"leaky_relu slope must be a number, got {slope!r}")
        return self._apply(rules.LEAKY_RELU, Attrs(slope=float(slope)))

    def step(self) -> Self:
        """Heaviside step: 1 for x > 0, else 0.

        Its derivative is 0 everywhere it exists (and undefined at 0), so no gradient
        ever flows through it: a perceptron with a step activation cannot be trained by
        gradient descent. It learns by the perceptron rule instead, and networks use
        sigmoid, tanh or ReLU, whose slopes carry the error back.
        """
        return self._apply(rules.STEP)

    def sign(self) -> Self:
        """-1, 0 or 1; derivative 0."""
        return self._apply(rules.SIGN)

    def sin(self) -> Self:
        """sin(x), d/dx = cos(x)."""
        return self._apply(rules.SIN)

    def cos(self) -> Self:
        """cos(x), d/dx = -sin(x)."""
        return self._apply(rules.COS)


def _data(x: Any) -> Any:
    """A node's number or array; anything else as it is."""
    return x.data if isinstance(x, Node) else x
