"""Recording state shared by every node: gradient mode and the current scope.

``STATE.notes`` is the ``Notes`` record of the current scope, which every node made
there without a label or role shares (see ``autograd.node``). Kept in one tiny
object so creating a node costs two attribute reads, and so the
engine never needs to know who opened a scope (``nn`` opens one per module call,
``viz`` reads the tags) — dependencies keep flowing one way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .node import Notes


class _RecordingState:
    __slots__ = ("grad_enabled", "notes")

    def __init__(self) -> None:
        self.grad_enabled = True
        self.notes = Notes()


STATE = _RecordingState()


@contextmanager
def no_grad() -> Iterator[None]:
    """Operations inside record no parents, so nothing is backpropagated through them.

    >>> from autograd import Value, no_grad
    >>> with no_grad():
    ...     y = Value(2.0) * 3
    >>> y.parents
    ()
    """
    previous = STATE.grad_enabled
    STATE.grad_enabled = False
    try:
        yield
    finally:
        STATE.grad_enabled = previous


@contextmanager
def enable_grad() -> Iterator[None]:
    """Turn recording back on inside a ``no_grad`` block (as ``torch.enable_grad``)."""
    previous = STATE.grad_enabled
    STATE.grad_enabled = True
    try:
        yield
    finally:
        STATE.grad_enabled = previous


def is_grad_enabled() -> bool:
    """True when operations record their parents (the default)."""
    return STATE.grad_enabled


class scope:
    """Tag every node created inside with ``name`` (nested scopes make a path).

    ``nn.Module.__call__`` opens one per call, so a drawing can group a layer's nodes.
    A class rather than ``@contextmanager``: it is entered once per module call, and
    a generator-based context manager costs several times more.

    >>> from autograd import Value, scope
    >>> with scope("neuron"):
    ...     y = Value(1.0) + 2
    >>> y.scope
    ('neuron',)
    """

    __slots__ = ("name", "previous")

    def __init__(self, name: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"scope name must be a str, got {name!r} of type "
                            f"{type(name).__name__}")
        self.name = name

    def __enter__(self) -> tuple[str, ...]:
        self.previous = STATE.notes
        STATE.notes = Notes(scope=self.previous.scope + (self.name,))
        return STATE.notes.scope

    def __exit__(self, *exc_info: object) -> None:
        STATE.notes = self.previous
