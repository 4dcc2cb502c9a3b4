"""step_through on a model: one step per module box, with gradient sizes that match
backward's gradients."""

from __future__ import annotations

import math
import random

import pytest

from nn import MLP
from viz import step_through
from viz.draw import GraphTooLargeError
from viz.module_player import ModulePlayer


@pytest.fixture
def mlp_loss():
    random.seed(0)
    model = MLP(2, [16, 16, 1])
    return model, (model([0.5, -1.0]) - 1.0) ** 2


def test_a_big_model_is_stepped_module_by_module_outputs_first(mlp_loss, tmp_path):
    model, loss = mlp_loss
    player = step_through(loss)
    assert isinstance(player, ModulePlayer) and len(player) == 5
    names = [player.caption(k)[0].split(":")[0] for k in range(1, len(player) + 1)]
    assert names == ["**2", "- 1", "MLP › layer 2 (layers.2)", "MLP › layer 1 (layers.1)",
                     "MLP › layer 0 (layers.0)"]
    html = player.save_html(tmp_path / "mlp.html")
    assert html.stat().st_size < 1_500_000
    assert "|dL/d parameters|" in player.caption(4)[0]


def test_module_step_sizes_are_the_norms_of_backwards_gradients(mlp_loss):
    model, loss = mlp_loss
    player = step_through(loss)
    loss.backward()
    for layer_number, step in zip((2, 1, 0), player.steps[2:], strict=True):
        params = model.layers[layer_number].parameters()
        expected = math.sqrt(sum(p.grad ** 2 for p in params))
        assert step.param_norm == pytest.approx(expected, rel=1e-12)
        assert step.parameters == len(params)
    # what layer 2 sends to its inputs is what layer 1's outputs receive
    assert player.steps[2].in_norm == pytest.approx(player.steps[3].out_norm, rel=1e-12)


def test_depth_opens_each_module_one_level(mlp_loss):
    _, loss = mlp_loss
    player = step_through(loss, depth=2)
    assert len(player) == 2 + 16 + 16 + 1
    assert player.caption(3)[0].startswith("MLP › layer 2 › neuron 0 (layers.2.neurons.0):")
    assert "step_through(root, depth=3) opens" in player.caption(0)[1]
    with pytest.raises(ValueError, match="depth must be a whole number"):
        step_through(loss, depth=-1)


def test_a_neuron_opens_to_be_stepped_edge_by_edge(mlp_loss):
    model, loss = mlp_loss
    player = step_through(loss, depth=2)
    step = player.caption(4)[0].split(":")[0]
    assert step == "MLP › layer 1 › neuron 15 (layers.1.neurons.15)"  # last one first
    neuron = player.open(4)
    assert len(neuron) == 16 + 16 + 1 + 1  # 16 weights, 16 inputs, bias, the relu
    inside = set(player.steps[3].members)
    assert all(s.node in inside for s in neuron.steps)
    # it starts from what backward sent its output (dL/d out) and ends with
    # backward's dL/d weight: the steps of backward inside it
    out = player.steps[3].outputs[0]
    weight = model.layers[1].neurons[15].w[0]
    loss.backward()
    assert neuron.grads_at(0) == {out: out.grad}
    assert neuron.grads_at(len(neuron))[weight] == pytest.approx(weight.grad, rel=1e-12)
    assert neuron.base.texts  # lays out: only the neuron and its inputs are drawn
    assert len(neuron.ids) < 40


def test_a_layer_opens_from_the_gradients_its_outputs_received(mlp_loss):
    """A layer has 16 outputs: frame 0 knows what backward sent each of them, the
    last frame backward's gradients of its weights; a layer too big for a cell says
    which module it is and what to open instead."""
    model, loss = mlp_loss
    player = step_through(loss)
    layer_0 = player.open(5)
    assert player.caption(5)[0].startswith("MLP › layer 0")
    assert len(layer_0) == 16 * (2 + 2 + 1 + 1)  # each neuron: 2 weights, 2 inputs, b, relu
    outputs = player.steps[4].outputs
    loss.backward()
    assert layer_0.grads_at(0) == {out: out.grad for out in outputs}
    assert layer_0.caption(0)[0].startswith("backward reaches the module knowing")
    last = layer_0.grads_at(len(layer_0))
    for weight in model.layers[0].parameters():
        assert last[weight] == pytest.approx(weight.grad, rel=1e-12)
    assert all(layer_0.ids[out] + "-grad" in layer_0.changes(0) for out in outputs)
    with pytest.raises(GraphTooLargeError, match=r"MLP › layer 1 \(layers.1\) .*depth=2"):
        player.open(4)


def test_a_step_reports_what_it_sends_not_what_its_inputs_end_with():
    random.seed(0)
    model = MLP(2, [16, 16, 1])
    out = model([0.5, -1.0])
    loss = out * out + out  # out gets gradient from two places: d loss/d out = 2 out + 1
    player = step_through(loss)
    plus, times = player.steps[0], player.steps[1]
    assert plus.name == "+" and plus.in_norm == pytest.approx(math.sqrt(2))
    assert times.name == "*" and times.in_norm == pytest.approx(abs(2 * out.data))
    layer = player.steps[2]
    assert layer.out_norm == pytest.approx(abs(2 * out.data + 1))  # both paths arrived


def test_boxes_fill_in_as_backward_reaches_them(mlp_loss):
    """Frame 0 knows only the loss's gradient; a layer's box shows its outputs'
    gradients and their size from the step that sends them, not before; the last frame
    shows backward's gradients."""
    model, loss = mlp_loss
    player = step_through(loss)
    first = player.texts_at(0)
    root_key = player.ids[loss] + "-grad"
    assert first[root_key] == "grad 1.0000"
    assert all("—" in text for key, text in first.items() if key != root_key), first
    layers = [step.box for step in player.steps[2:]]  # layer 2, 1, 0
    for number, box in enumerate(layers):  # a layer hears from the step before its own
        reached = 2 + number  # the frame of the step that sends to its outputs
        assert player.texts_at(reached - 1)[box + "-grad"] == "grad size —"
        assert player.texts_at(reached)[box + "-grad"] != "grad size —"
    loss.backward()
    last = player.texts_at(len(player))
    layer_1 = model.layers[1]
    outputs = player.drawing.box_outputs[layers[1]]
    for number, node in enumerate(outputs):
        assert last[f"{layers[1]}-out{number}"].endswith(f"grad {node.grad:.4f}")
    size = math.sqrt(sum(n.grad ** 2 for n in player.steps[3].outputs))
    assert last[layers[1] + "-grad"] == f"grad size {size:.4f}"
    assert len(player.steps[3].outputs) == len(layer_1.neurons)


def test_the_module_player_draws_the_names_its_captions_use_in_its_theme(mlp_loss):
    _, loss = mlp_loss
    player = step_through(loss, theme="dark")
    assert "|dL/d out|" in player.caption(1)[0]
    assert ">L<" in player.drawing.source  # the unlabelled root, named as in the captions
    assert player.theme == "dark"
    assert "#1e1e1e" in player.drawing.source.lower()
