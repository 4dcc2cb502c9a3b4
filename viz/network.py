"""``draw_network``: the architecture diagram learners draw on a whiteboard.

Input, hidden and output layers are columns of circles; each weight is an edge whose
colour is its sign (red positive, blue negative) and whose thickness is its size
relative to the largest weight; each neuron shows its activation and bias. Works for
``nn.MLP`` / ``nn.Layer`` / ``nn.Neuron`` (scalars) and for ``nn.Linear`` layers with
activation modules (``nn.Sequential``, ``nn.Dense``).

    >>> import random; random.seed(0)
    >>> from nn import MLP
    >>> drawing = draw_network(MLP(2, [3, 1]))
    >>> drawing.source.count("->")        # 2·3 + 3·1 weights
    9
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn import Module
from nn.arguments import is_whole

from . import style
from .labels import html_text
from .notebook import GraphDrawing
from .themes import themed

ACTIVATION_MODULES = {"ReLU": "relu", "LeakyReLU": "leaky_relu", "Sigmoid": "sigmoid",
                      "Tanh": "tanh", "Softmax": "softmax"}
_POSITIVE, _NEGATIVE = "#b2182b", "#2166ac"
COLUMN_INCHES, ROW_INCHES = 2.4, 0.95


@dataclass
class DenseLayer:
    """One fully connected layer: weights[i, j] from input i to unit j, biases[j]."""

    weights: np.ndarray
    biases: np.ndarray | None
    activation: str | None


def _scalar_layer(neurons: list) -> DenseLayer:
    weights = np.array([[float(w.data) for w in n.w] for n in neurons]).T
    biases = np.array([float(n.b.data) for n in neurons])
    return DenseLayer(weights, biases, neurons[0].activation)


def dense_layers(model: Module) -> list[DenseLayer]:
    """The fully connected layers of ``model`` in forward order (iterative walk)."""
    if not isinstance(model, Module):
        raise TypeError(f"draw_network draws an nn.Module (e.g. nn.MLP), got {model!r:.80}; "
                        f"for a computation graph use draw_graph(output)")
    if not model.built:  # a Keras-style Dense learns its input size from the first batch
        raise ValueError(f"{type(model).__name__} has layers whose input size is not known "
                         f"yet; call model.build((None, n_features)) or run one batch "
                         f"through it before draw_network")
    layers: list[DenseLayer] = []
    stack = [model]
    while stack:
        module = stack.pop()
        weight = getattr(module, "weight", None)
        if hasattr(module, "neurons"):
            layers.append(_scalar_layer(module.neurons))
        elif isinstance(getattr(module, "w", None), list) and hasattr(module, "b"):
            layers.append(_scalar_layer([module]))
        elif weight is not None and np.ndim(weight.data) == 2:
            bias = getattr(module, "bias", None)
            layers.append(DenseLayer(np.asarray(weight.data, dtype=float),
                                     None if bias is None else np.asarray(bias.data, float), None))
        elif weight is not None and np.ndim(weight.data) > 2:
            raise TypeError(f"draw_network draws fully connected networks; "
                            f"{type(module).__name__} has a weight of shape "
                            f"{np.shape(weight.data)}. Draw its graph with "
                            f"draw_graph(output, collapse='module') instead")
        elif type(module).__name__ in ACTIVATION_MODULES and layers:
            layers[-1].activation = ACTIVATION_MODULES[type(module).__name__]
        else:
            stack.extend(reversed(list(module.children())))
    if not layers:
        raise ValueError(f"{type(model).__name__} has no fully connected layers to draw "
                         f"(nn.Neuron, nn.Layer, nn.MLP or nn.Linear)")
    return layers


def _shown(count: int, max_units: int) -> list[int | None]:
    """Indices of the units drawn; None marks the ellipsis standing for the rest."""
    if count <= max_units:
        return list(range(count))
    head = max_units // 2
    tail = max_units - head - 1
    return list(range(head)) + [None] + list(range(count - tail, count))


@themed
def draw_network(model: Module, *, precision: int = 2, max_units: int = 12) -> GraphDrawing:
    """Layers as columns of circles, weights as edges (colour = sign, width = size).

    Layers wider than ``max_units`` show their first and last units and a "... n more"
    circle; the edges of the units left out are not drawn.
    """
    if not is_whole(max_units) or max_units < 3:
        raise ValueError(f"max_units must be a whole number >= 3, got {max_units!r}")
    layers = dense_layers(model)
    sizes = [layers[0].weights.shape[0]] + [layer.weights.shape[1] for layer in layers]
    largest = max(float(np.max(np.abs(layer.weights))) if layer.weights.size else 0.0
                  for layer in layers) or 1.0
    # The grid is fixed, as on a whiteboard: every node is pinned at its place
    # (neato with pos="x,y!"), so unit 0 is always on top and columns are straight.
    drawing = GraphDrawing(
        graph_attr={"layout": "neato", "splines": "line", "outputorder": "edgesfirst",
                    "fontname": style.FONT,
                    "label": html_label_of_key(largest, precision), "labelloc": "b"},
        node_attr={"shape": "circle", "fixedsize": "true", "width": "0.75",
                   "fontname": style.FONT, "fontsize": "10", "style": "filled"},
        edge_attr={"arrowhead": "none"})
    tallest = max(len(_shown(size, max_units)) for size in sizes)
    columns: list[dict[int, str]] = []
    for column, size in enumerate(sizes):
        is_input, is_output = column == 0, column == len(sizes) - 1
        title = ("input layer" if is_input else "output layer" if is_output
                 else f"hidden layer {column}")
        shown = _shown(size, max_units)
        top = (len(shown) - 1) / 2 * ROW_INCHES
        x = column * COLUMN_INCHES
        drawing.node(f"title{column}", f"{title} ({size})", shape="plaintext", style="",
                     fixedsize="false", fontsize="12",
                     pos=f"{x:.2f},{(tallest - 1) / 2 * ROW_INCHES + 0.8:.2f}!")
        ids: dict[int, str] = {}
        for row, index in enumerate(shown):
            pos = f"{x:.2f},{top - row * ROW_INCHES:.2f}!"
            if index is None:
                drawing.node(f"c{column}_more", f"...\n{size - len(shown) + 1} more",
                             shape="plaintext", style="", pos=pos)
                continue
            node_id = f"c{column}_{index}"
            ids[index] = node_id
            if is_input:
                drawing.node(node_id, f"x{index}", fillcolor=style.kind_color("input"), pos=pos)
                continue
            layer = layers[column - 1]
            bias = "" if layer.biases is None else \
                f"<br/>b {html_text(style.format_number(layer.biases[index], precision))}"
            fill = style.kind_color("output") if is_output else "#fff4e0"
            drawing.node(node_id, f"<{html_text(layer.activation or 'linear')}{bias}>",
                         fillcolor=fill, pos=pos, tooltip=f"unit {index} of {title}")
        columns.append(ids)
    for column, layer in enumerate(layers):
        for i, source in columns[column].items():
            for j, target in columns[column + 1].items():
                weight = float(layer.weights[i, j])
                size = abs(weight) / largest
                # Alpha and width both follow |w|, so small weights fade into the background.
                alpha = f"{round(60 + 195 * size):02x}"
                color = (_POSITIVE if weight >= 0 else _NEGATIVE) + alpha
                drawing.edge(source, target, color=color, penwidth=f"{0.3 + 3.2 * size:.2f}",
                             tooltip=f"w = {weight:.{precision + 2}g}")
    drawing.text = network_text(layers, precision)
    return drawing


def html_label_of_key(largest: float, precision: int) -> str:
    """The diagram's caption: how to read edge colours and widths."""
    size = style.format_number(largest, precision)
    return (f'<<font point-size="10"><font color="{_POSITIVE}">red</font>: w &gt; 0, '
            f'<font color="{_NEGATIVE}">blue</font>: w &lt; 0; thickness follows |w| '
            f'(thickest: |w| = {html_text(size)}); b: bias</font>>')


def network_text(layers: list[DenseLayer], precision: int) -> str:
    """The architecture as text (what a notebook shows without a renderer)."""
    lines = [f"input layer: {layers[0].weights.shape[0]} inputs"]
    for number, layer in enumerate(layers, start=1):
        nin, nout = layer.weights.shape
        kind = "output layer" if number == len(layers) else f"hidden layer {number}"
        low, high = (style.format_number(v, precision) for v in
                     (layer.weights.min(), layer.weights.max()))
        lines.append(f"{kind}: {nout} units, {layer.activation or 'linear'}, "
                     f"{nin}×{nout} weights in [{low}, {high}]"
                     + ("" if layer.biases is None else f", {nout} biases"))
    return "\n".join(lines)
