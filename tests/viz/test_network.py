"""draw_network: the whiteboard picture of a fully connected network."""

from __future__ import annotations

import random
import re

import pytest

import viz
from nn import MLP, Perceptron
from nn.conv import Conv2d
from nn.layers import Dense, Linear, Sequential


def node_line(source: str, node_id: str) -> str:
    return next(line for line in source.splitlines() if line.strip().startswith(node_id + " ["))


def edge_line(source: str, a: str, b: str) -> str:
    return next(line for line in source.splitlines() if line.strip().startswith(f"{a} -> {b} "))


@pytest.fixture
def small_mlp():
    random.seed(1)
    model = MLP(2, [3, 1])
    first = model.layers[0].neurons
    for neuron in first:
        neuron.w[0].data, neuron.w[1].data = 0.1, 0.1
    first[1].w[0].data = -1.0          # the largest weight, negative
    first[2].w[1].data = 0.5
    first[2].b.data = 0.25
    return model


def test_columns_of_circles_with_a_weight_per_edge(small_mlp):
    source = viz.draw_network(small_mlp).source
    assert source.count("->") == 2 * 3 + 3 * 1
    assert "input layer (2)" in source and "hidden layer 1 (3)" in source
    assert "output layer (1)" in source
    assert "relu<br/>b 0.25" in node_line(source, "c1_2")
    assert "linear<br/>b 0.00" in node_line(source, "c2_0")


def test_edge_colour_and_width_follow_the_weight(small_mlp):
    source = viz.draw_network(small_mlp).source
    strongest = edge_line(source, "c0_0", "c1_1")
    half = edge_line(source, "c0_1", "c1_2")
    assert 'color="#2166acff"' in strongest and "penwidth=3.50" in strongest  # w = -1: blue
    assert "#b2182b" in half and "penwidth=1.90" in half                     # w = 0.5: red
    assert 'tooltip="w = -1"' in strongest


def test_units_stay_in_order_top_to_bottom(small_mlp):
    source = viz.draw_network(small_mlp).source
    heights = [float(re.search(r'pos="[-\d.]+,([-\d.]+)!"', node_line(source, f"c1_{i}"))
                     .group(1)) for i in range(3)]
    assert heights == sorted(heights, reverse=True)


def test_wide_layers_are_shortened(tmp_path):
    random.seed(0)
    model = Sequential(Dense(32, activation="relu", input_dim=784), Linear(32, 10))
    drawing = viz.draw_network(model, max_units=12)
    assert "773 more" in drawing.source and "21 more" in drawing.source
    assert drawing.source.count("->") == 11 * 11 + 11 * 10
    assert "relu" in node_line(drawing.source, "c1_0")
    assert "linear" in node_line(drawing.source, "c2_0")
    assert drawing.text.splitlines()[1].startswith("hidden layer 1: 32 units, relu, 784×32")
    path = viz.render(drawing, tmp_path / "net.png")
    assert path.read_bytes()[:4] == b"\x89PNG"


def test_things_it_cannot_draw_say_what_to_use():
    with pytest.raises(TypeError, match="draw_graph"):
        viz.draw_network(Sequential(Conv2d(1, 2, 3)))
    with pytest.raises(TypeError, match="nn.Module"):
        viz.draw_network([1, 2])
    with pytest.raises(ValueError, match="max_units"):
        viz.draw_network(MLP(2, [1]), max_units=1)


def test_a_perceptron_is_one_step_unit():
    p = Perceptron(2)
    p.w[0].data, p.b.data = 1.0, -0.5
    drawing = viz.draw_network(p)
    assert drawing.source.count("->") == 2
    assert "step<br/>b -0.50" in node_line(drawing.source, "c1_0")
    assert drawing.text.splitlines()[1].startswith("output layer: 1 units, step")


def test_an_unbuilt_keras_model_says_how_to_build_it():
    model = Sequential([Dense(8, activation="relu"), Dense(3, activation="softmax")])
    with pytest.raises(ValueError, match=r"model.build\(\(None, n_features\)\)"):
        viz.draw_network(model)
    model.build((None, 4))
    assert "hidden layer 1: 8 units, relu, 4×8" in viz.draw_network(model).text
