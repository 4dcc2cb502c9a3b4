"""Recording state: gradient mode and the current scope, per thread and per async task.

``current_recording()`` returns the current ``Recording``: ``.grad_enabled`` and ``.notes``,
the ``Notes`` record of the current scope, which every node made there without a
label or role shares (see ``autograd.node``). It lives in a ``contextvars.ContextVar``,
so ``no_grad()`` or ``scope()`` in one thread (or asyncio task) never changes what
another records — as PyTorch's grad mode is thread-local. A new thread starts with
recording on and no scope. Reading it costs one call, so creating a node stays cheap,
and the engine never needs to know who opened a scope (``nn`` opens one per module
call, ``viz`` reads the tags) — dependencies keep flowing one way.

    >>> import threading
    >>> from autograd import Value, no_grad
    >>> seen = []
    >>> with no_grad():
    ...     worker = threading.Thread(target=lambda: seen.append(is_grad_enabled()))
    ...     worker.start(); worker.join()
    >>> seen  # the other thread still records
    [True]
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar

from .node import Notes


class Recording:
    """What a node created now records: gradient mode and the scope's shared notes.

    Never changed once made: each change sets a new Recording, so a context that copied
    the variable (a new asyncio task) keeps what it saw when it started. (Slots, not a
    NamedTuple: reading a slot is the attribute access Python makes fastest.)
    """

    __slots__ = ("grad_enabled", "notes")

    def __init__(self, grad_enabled: bool, notes: Notes) -> None:
        self.grad_enabled = grad_enabled
        self.notes = notes


_RECORDING: ContextVar[Recording] = ContextVar(
    "chainrule_recording", default=Recording(True, Notes()))  # noqa: B039 - never changed
current_recording = _RECORDING.get


class _CurrentState:
    """``STATE.grad_enabled`` / ``STATE.notes``: read-only views of ``current_recording()``."""

    __slots__ = ()
    grad_enabled = property(lambda self: current_recording().grad_enabled)
    notes = property(lambda self: current_recording().notes)


STATE = _CurrentState()


@contextmanager
def _grad_mode(enabled: bool) -> Iterator[None]:
    token = _RECORDING.set(Recording(enabled, current_recording().notes))
    try:
        yield
    finally:
        _RECORDING.reset(token)


def no_grad() -> AbstractContextManager[None]:
    """Operations inside record no parents, so nothing is backpropagated through them.

    Only in this thread (or asyncio task); other threads keep recording.

    >>> from autograd import Value, no_grad
    >>> with no_grad():
    ...     y = Value(2.0) * 3
    >>> y.parents
    ()
    """
    return _grad_mode(False)


def enable_grad() -> AbstractContextManager[None]:
    """Turn recording back on inside a ``no_grad`` block (as ``torch.enable_grad``)."""
    return _grad_mode(True)


def is_grad_enabled() -> bool:
    """True when operations in this thread record their parents (the default)."""
    return current_recording().grad_enabled


class scope:
    """Tag every node created inside with ``name`` (nested scopes make a path).

    ``nn.Module.__call__`` opens one per call, so a drawing can group a layer's nodes.
    A class rather than ``@contextmanager``: it is entered once per module call, and
    a generator-based context manager costs several times more. Like ``no_grad``, it
    applies to this thread (or asyncio task) only.

    >>> from autograd import Value, scope
    >>> with scope("neuron"):
    ...     y = Value(1.0) + 2
    >>> y.scope
    ('neuron',)
    """

    __slots__ = ("name", "_tokens")

    def __init__(self, name: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"scope name must be a str, got {name!r} of type "
                            f"{type(name).__name__}")
        self.name = name
        self._tokens: list = []  # one per entry: a module may call itself recursively

    def __enter__(self) -> tuple[str, ...]:
        now = current_recording()
        notes = Notes(scope=now.notes.scope + (self.name,))
        self._tokens.append(_RECORDING.set(Recording(now.grad_enabled, notes)))
        return notes.scope

    def __exit__(self, *exc_info: object) -> None:
        _RECORDING.reset(self._tokens.pop())
