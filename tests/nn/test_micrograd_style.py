"""Neuron, Layer and MLP behave like micrograd's, with gradients checked numerically."""

import random

import pytest

from autograd import Value, gradcheck
from nn import MLP, Layer, Neuron


def test_mlp_shape_parameters_and_last_layer_linear():
    random.seed(0)
    model = MLP(2, [16, 16, 1])
    assert len(model.parameters()) == (2 * 16 + 16) + (16 * 16 + 16) + (16 + 1)
    out = model([1.0, -1.0])
    assert isinstance(out, Value) and out.op == "dot"  # no activation on the last layer
    assert repr(model).startswith("MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2)")
    assert out.scope == ("MLP", "layer 2", "neuron 0")


def test_layer_of_several_outputs_returns_a_list():
    random.seed(0)
    outs = Layer(3, 4, activation="tanh")([0.1, 0.2, 0.3])
    assert isinstance(outs, list) and len(outs) == 4 and all(o.op == "tanh" for o in outs)


def test_zero_grad_and_parameter_names():
    random.seed(0)
    model = MLP(2, [3, 1])
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1",
                         "layers.0.neurons.0.b"]


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_mlp_gradient_with_respect_to_inputs_matches_differences(activation):
    random.seed(3)
    model = MLP(3, [4, 4, 1], activation=activation)
    # inputs away from ReLU kinks for this seed; a kink would show as a large mismatch
    assert gradcheck(lambda a, b, c: model([a, b, c]), [0.3, -0.7, 1.1])


def test_parameter_gradients_match_differences():
    random.seed(1)
    neuron = Neuron(2, activation="tanh")
    x = [0.5, -1.5]

    def loss(*params):
        for p, v in zip(neuron.parameters(), params):
            p.data = v.data
        return neuron(x) ** 2

    values = [p.data for p in neuron.parameters()]
    out = neuron(x) ** 2
    out.backward()
    analytic = [p.grad for p in neuron.parameters()]
    eps = 1e-6
    for i, v in enumerate(values):
        up, down = list(values), list(values)
        up[i], down[i] = v + eps, v - eps
        numeric = (loss(*map(Value, up)).data - loss(*map(Value, down)).data) / (2 * eps)
        assert analytic[i] == pytest.approx(numeric, rel=1e-5, abs=1e-8)


def test_training_reduces_the_loss():
    random.seed(2)
    model = MLP(2, [8, 1], activation="tanh")
    xs = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    ys = [-1.0, 1.0, 1.0, -1.0]
    losses = []
    for _ in range(100):
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.05 * p.grad
        losses.append(loss.data)
    assert losses[-1] < 0.1 * losses[0]
    assert [1 if model(x).data > 0 else -1 for x in xs] == [-1, 1, 1, -1]


def test_bad_widths_and_settings_are_named():
    random.seed(0)
    with pytest.raises(ValueError, match="expects 2 inputs, got 3"):
        MLP(2, [3, 1])([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        Neuron(2, activation="swish")
    with pytest.raises(ValueError, match="at least one layer"):
        MLP(2, [])
    with pytest.raises(TypeError, match=r"layer sizes as a list, e.g. MLP\(2, \[16, 1\]\)"):
        MLP(2, 1)
