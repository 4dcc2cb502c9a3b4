"""Collapsing module calls into boxes, and drawing Tensor nodes."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

import viz
from autograd import Tensor, Value, scope
from nn import MLP


@pytest.fixture
def mlp_loss():
    random.seed(0)
    model = MLP(2, [16, 16, 1])
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.label = "loss"
    loss.backward()
    return model, loss


def boxes(source: str) -> list[str]:
    return re.findall(r"^\s*(g\d+) \[", source, flags=re.M)


def box_titles(source: str) -> list[str]:
    return re.findall(r"<b>([^<]*›[^<]*)</b>", source)


def test_depth_sets_how_many_levels_open(mlp_loss):
    _, loss = mlp_loss
    by_depth = {d: viz.draw_graph(loss, collapse="module", depth=d).source for d in (0, 1, 2)}
    assert len(boxes(by_depth[0])) == 1
    assert box_titles(by_depth[1]) == ["MLP › layer 0", "MLP › layer 1", "MLP › layer 2"]
    assert len(boxes(by_depth[2])) == 16 + 16 + 1
    assert "MLP › layer 1 › neuron 7" in box_titles(by_depth[2])


def test_boxes_hold_their_parameters_and_show_outputs(mlp_loss):
    model, loss = mlp_loss
    source = viz.draw_graph(loss, collapse="module", depth=1).source
    assert "32 operations, 48 parameters" in source     # layer 0: 16 dot + 16 relu, 16·3
    assert "32 operations, 272 parameters" in source    # layer 1: 16·(16+1)
    assert "1 operation, 17 parameters" in source
    # the two inputs stay visible and feed layer 0 sixteen times each
    assert re.findall(r"(n\d+) -> g0 \[label=\"×16\"\]", source) and source.count("×16") == 3
    out = model.layers[2].neurons[0].w[0]
    # parameters inside the boxes (labelled with their dotted names, changed on purpose)
    assert out.label == "layers.2.neurons.0.w.0" and f"<b>{out.label}</b>" not in source
    assert "×256" in source                                   # 16 outputs × 16 neurons


def test_collapsed_drawing_is_small_and_renders(mlp_loss, tmp_path):
    _, loss = mlp_loss
    drawing = viz.draw_graph(loss, collapse="module", color_by="grad")
    assert drawing.source.count(" [label=") < 20
    assert viz.render(drawing, tmp_path / "mlp.svg").stat().st_size > 1000


def test_nodes_outside_any_module_are_drawn_one_by_one():
    a = Value(1.0, label="a")
    with scope("block"):
        b = a * 2
        c = b + 1
    d = c.tanh()
    source = viz.draw_graph(d, collapse="module", depth=0).source
    assert boxes(source) == ["g0"]
    assert "<b>a</b>" in source and "tanh" in source
    assert "2 operations, 0 parameters" in source


def test_collapse_rejects_unknown_values():
    with pytest.raises(ValueError, match="'layers'"):
        viz.draw_graph(Value(1.0), collapse="layers")
    with pytest.raises(ValueError, match="depth must be"):
        viz.draw_graph(Value(1.0), collapse="module", depth=-1)


def test_tensor_nodes_show_shape_dtype_and_summaries():
    x = Tensor(np.arange(12.0).reshape(3, 4), requires_grad=True, label="x")
    w = Tensor(np.array([[1.0], [-1.0], [0.5], [2.0]], dtype=np.float64), requires_grad=True,
               label="w")
    y = (x @ w).sum()
    before = viz.draw_graph(y).source
    assert "3×4  float64" in before and "4×1  float64" in before
    assert "data min 0.0000  mean 5.5000  max 11.0000" in before      # 12 values: summary
    assert "data [[1.0000],<br/> [-1.0000],<br/> [0.5000],<br/> [2.0000]]" in before  # ≤ 6
    assert before.count("grad —") == 4                               # None until backward
    y.backward()
    after = viz.draw_graph(y, show_edge_grads=True).source
    assert "grad [[12.0000],<br/> [15.0000],<br/> [18.0000],<br/> [21.0000]]" in after
    assert "grad —" not in after
    # array edges have no single number: the rule table's formula labels them instead
    assert "d(A@B)/dA = upstream @ Bᵀ" in after


def test_tensor_float32_and_grad_colouring(tmp_path):
    x = Tensor(np.ones((2, 2), dtype=np.float32), requires_grad=True, label="x")
    y = (x * 3.0).sum()
    y.backward()
    source = viz.draw_graph(y, color_by="grad").source
    assert "2×2  float32" in source
    # x's gradient (3 everywhere) is the largest, so x is filled the deepest red
    x_line = next(line for line in source.splitlines() if "<b>x</b>" in line)
    assert 'bgcolor="#b2182b"' in x_line
    assert viz.render(y, tmp_path / "t.png").stat().st_size > 0


def test_collapsed_but_still_too_large_suggests_a_smaller_depth(mlp_loss):
    _, loss = mlp_loss
    with pytest.raises(viz.GraphTooLargeError, match="smaller depth=") as error:
        viz.draw_graph(loss, collapse="module", depth=2, max_nodes=20)
    assert "39 nodes" in str(error.value)
    assert len(boxes(viz.draw_graph(loss, collapse="module", depth=2, max_nodes=40).source)) == 33


def test_tensor_layer_boxes_show_output_shape_and_parameter_sizes():
    import numpy as np

    from autograd import Tensor
    from nn import Linear, ReLU, Sequential
    from viz import draw_graph

    model = Sequential(Linear(3, 5), ReLU(), Linear(5, 2))
    out = model(Tensor(np.ones((4, 3)))).sum()
    source = draw_graph(out, collapse="module").source
    assert "out 4×5 data" in source and "out 4×2 data" in source
    assert "2 parameters (20 numbers)" in source and "0 parameters" in source
    assert "1 operation," in source
