"""Fixtures for the visualiser tests: a small neuron, and a PATH without system Graphviz."""

from __future__ import annotations

import os
import shutil

import pytest

from autograd import Value


@pytest.fixture(autouse=True)
def no_system_dot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drop every PATH entry holding a ``dot`` program, so graphviz-pure does the rendering.

    CI then proves the path a user without system Graphviz takes.
    """
    entries = os.environ.get("PATH", "").split(os.pathsep)
    kept = [e for e in entries if not shutil.which("dot", path=e)]
    monkeypatch.setenv("PATH", os.pathsep.join(kept))


def make_neuron() -> tuple[Value, dict[str, Value]]:
    """o = tanh(x1·w1 + x2·w2 + b), micrograd's example neuron (x2 = 0, so dw2 = 0)."""
    x1, x2 = Value(2.0, label="x1", role="input"), Value(0.0, label="x2", role="input")
    w1 = Value(-3.0, label="w1", role="parameter")
    w2 = Value(1.0, label="w2", role="parameter")
    b = Value(6.8813735870195432, label="b", role="parameter")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    n = x1w1 + x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "n": n, "o": o}


@pytest.fixture
def neuron() -> tuple[Value, dict[str, Value]]:
    return make_neuron()


@pytest.fixture(name="make_neuron")
def make_neuron_fixture():
    """The builder itself, for tests that need two identical graphs."""
    return make_neuron
