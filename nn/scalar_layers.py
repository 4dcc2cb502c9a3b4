"""Networks of ``Value`` scalars, micrograd-style: ``Neuron``, ``Layer``, ``MLP``.

    >>> import random; random.seed(0)
    >>> from nn import MLP
    >>> model = MLP(2, [4, 1])
    >>> model([1.0, -2.0]).op          # the last layer is linear: a dot product
    'dot'
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from autograd import Value, dot

from .arguments import is_whole
from .module import Module

ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu", "step", None)


def _check_activation(activation: str | None) -> None:
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of "
                         f"{', '.join(repr(a) for a in ACTIVATIONS)}")


def as_inputs(x: Sequence[Any], expected: int, who: str) -> list[Value]:
    """The inputs as Values (numbers become leaves with role "input"), width checked."""
    if isinstance(x, (Value, int, float)):
        x = [x]
    x = list(x)
    if len(x) != expected:
        raise ValueError(f"{who} expects {expected} inputs, got {len(x)}: {x!r:.80}")
    return [v if isinstance(v, Value) else Value(v, role="input") for v in x]


class Neuron(Module):
    """activation(Σ w_i·x_i + b), with w_i ~ U(-1, 1) and b = 0 (as micrograd).

    The weighted sum is one ``dot`` node, so a neuron adds two nodes to the graph.
    """

    def __init__(self, nin: int, activation: str | None = "relu") -> None:
        if not is_whole(nin) or nin < 1:
            raise ValueError(f"Neuron needs a whole number of inputs >= 1, got {nin!r}")
        _check_activation(activation)
        self.w = [Value(random.uniform(-1, 1), label=f"w{i}", role="parameter")
                  for i in range(nin)]
        self.b = Value(0.0, label="b", role="parameter")
        self.activation = activation

    def forward(self, x: Sequence[Any]) -> Value:
        x = as_inputs(x, len(self.w), "Neuron")
        total = dot(self.w, x, self.b)
        return getattr(total, self.activation)() if self.activation else total

    def __repr__(self) -> str:
        kind = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid",
                "leaky_relu": "LeakyReLU", "step": "Step", None: "Linear"}[self.activation]
        return f"{kind}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons that all see the same inputs; one output returns a Value."""

    def __init__(self, nin: int, nout: int, activation: str | None = "relu") -> None:
        if not is_whole(nout) or nout < 1:
            raise ValueError(f"Layer needs a whole number of outputs >= 1, got {nout!r}")
        self.neurons = [Neuron(nin, activation) for _ in range(nout)]
        for i, neuron in enumerate(self.neurons):
            neuron.name = f"neuron {i}"
        self.nin = nin

    def forward(self, x: Sequence[Any]) -> Value | list[Value]:
        x = as_inputs(x, self.nin, "Layer")  # convert once, not once per neuron
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """Layers of sizes ``nouts`` on ``nin`` inputs; the last layer is linear.

    >>> import random; random.seed(1)
    >>> MLP(2, [3, 1])
    MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(3)]]
    """

    def __init__(self, nin: int, nouts: Sequence[int], activation: str | None = "relu") -> None:
        if not hasattr(nouts, "__iter__"):  # MLP(2, 1) for MLP(2, [1])
            raise TypeError(f"MLP takes the layer sizes as a list, e.g. MLP({nin!r}, "
                            f"[16, 1]); got nouts={nouts!r}")
        nouts = list(nouts)
        if not nouts:
            raise ValueError("MLP needs at least one layer size in nouts, e.g. [16, 1]")
        sizes = [nin] + nouts
        self.layers = [Layer(sizes[i], sizes[i + 1],
                             activation=activation if i < len(nouts) - 1 else None)
                       for i in range(len(nouts))]
        for i, layer in enumerate(self.layers):
            layer.name = f"layer {i}"
        self.nin = nin

    def forward(self, x: Sequence[Any]) -> Value | list[Value]:
        for layer in self.layers:
            x = layer(x)
        return x

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
