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
    assert names == ["**2", "- 1", "MLP › layer 2", "MLP › layer 1", "MLP › layer 0"]
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
    assert player.caption(3)[0].startswith("MLP › layer 2 › neuron 0:")
    assert "step_through(root, depth=3) opens" in player.caption(0)[1]
    with pytest.raises(ValueError, match="depth must be a whole number"):
        step_through(loss, depth=-1)
