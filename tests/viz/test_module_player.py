"""step_through on a model: one step per module box, with gradient sizes that match
backward's gradients."""

from __future__ import annotations

import math
import random

import pytest

from nn import MLP
from viz import step_through
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
    # inside the neuron the gradients are d out / d node (seeded with 1): times
    # dL/d out they are backward's dL/d node (the chain rule across the module's edge)
    out = player.steps[3].outputs[0]
    weight = model.layers[1].neurons[15].w[0]
    local = neuron.grads_at(len(neuron))[weight]
    assert neuron.grads_at(0)[out] == 1.0
    loss.backward()
    assert weight.grad == pytest.approx(local * out.grad, rel=1e-12)
    assert neuron.base.texts  # lays out: only the neuron and its inputs are drawn
    assert len(neuron.ids) < 40
    with pytest.raises(ValueError, match="has 16 outputs"):
        step_through(loss).open(4)


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
