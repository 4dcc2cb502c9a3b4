"""Regenerate the images of the README's tour: ``.venv/bin/python docs/make_images.py``.

Every picture is drawn by chainrule itself, so the README shows what a user gets.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

import viz
from autograd import Value
from nn import MLP, SGD, fit, logic_gate, manual_seed, mse
from viz.cli import build_neuron

IMAGES = Path(__file__).resolve().parent / "images"


def neuron() -> list[Path]:
    o = build_neuron()
    o.backward()
    return [viz.render(o, IMAGES / "neuron.svg"), viz.render(o, IMAGES / "neuron.png")]


def edge_gradients() -> list[Path]:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    L = (c + a) * c
    L.label = "L"
    L.backward()
    return [viz.render(L, IMAGES / "edge_gradients.png", show_edge_grads=True)]


def vanishing_gradients() -> list[Path]:
    """Eight sigmoid layers of one unit: the gradient shrinks by σ' <= 1/4 per layer."""
    x = Value(0.5, label="x", role="input")
    h = x
    for i in range(8):
        w = Value(1.5, label=f"w{i}", role="parameter")
        h = (h * w).sigmoid()
        h.label = f"h{i}"
    h.backward()
    return [viz.render(h, IMAGES / "vanishing_gradients.png", color_by="grad",
                       show_data=False, rankdir="LR")]


def collapsed_mlp() -> list[Path]:
    random.seed(0)
    model = MLP(2, [16, 16, 1])
    out = model([0.5, -1.0])
    out.backward()
    return [viz.render(out, IMAGES / "mlp_collapsed.png", collapse="module", depth=1)]


def xor_network() -> list[Path]:
    manual_seed(0)
    X, y = logic_gate("xor")
    model = MLP(2, [4, 1], activation="tanh")
    fit(model, X, y, loss=mse, optimizer=SGD(model.parameters(), lr=0.1), epochs=300,
        batch_size=4, progress=False)
    return [viz.render(viz.draw_network(model), IMAGES / "xor_network.png")]


def activations() -> list[Path]:
    from viz.plots import plot_activations

    figure = plot_activations()
    path = IMAGES / "activations.png"
    figure.savefig(path, dpi=90, bbox_inches="tight")
    return [path]


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    np.random.seed(0)
    for make in (neuron, edge_gradients, vanishing_gradients, collapsed_mlp, xor_network,
                 activations):
        for path in make():
            print(f"wrote {Path(path).relative_to(IMAGES.parent.parent)}")


if __name__ == "__main__":
    main()
