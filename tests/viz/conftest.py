"""Fixtures for the visualiser tests: a small neuron, and a PATH without system Graphviz."""

from __future__ import annotations

import os
import shutil

import pytest

from autograd import Value, topological_order
from viz.cli import build_neuron


@pytest.fixture(autouse=True)
def no_system_dot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drop every PATH entry holding a ``dot`` program, so graphviz-pure does the rendering.

    CI then proves the path a user without system Graphviz takes.
    """
    entries = os.environ.get("PATH", "").split(os.pathsep)
    kept = [e for e in entries if not shutil.which("dot", path=e)]
    monkeypatch.setenv("PATH", os.pathsep.join(kept))


def make_neuron() -> tuple[Value, dict[str, Value]]:
    """The command line demo's neuron, o = tanh(x1·w1 + x2·w2 + b) (x2 = 0, so dw2 = 0),
    with its nodes by label."""
    o = build_neuron()
    return o, {node.label: node for node in topological_order(o)}


@pytest.fixture
def neuron() -> tuple[Value, dict[str, Value]]:
    return make_neuron()


@pytest.fixture(name="make_neuron")
def make_neuron_fixture():
    """The builder itself, for tests that need two identical graphs."""
    return make_neuron
