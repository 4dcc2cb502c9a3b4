import numpy as np
import pytest

from autograd import Tensor, gradcheck
from nn import (
    AvgPool2d,
    BatchNorm1d,
    Conv2d,
    Dense,
    Dropout,
    Flatten,
    LeakyReLU,
    Linear,
    MaxPool2d,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
    manual_seed,
)

RNG = np.random.default_rng(0)


def test_linear_is_x_at_w_plus_b_with_parameters_found():
    manual_seed(0)
    layer = Linear(3, 2)
    x = RNG.normal(size=(4, 3))
    assert layer(x).data == pytest.approx(x @ layer.weight.data + layer.bias.data)
    assert layer.weight.shape == (3, 2) and [n for n, _ in layer.named_parameters()] == [
        "weight", "bias"]
    assert all(p.role == "parameter" for p in layer.parameters())
    assert Linear(3, 2, bias=False).parameters()[0].shape == (3, 2)


def test_linear_init_uses_the_initialiser():
    manual_seed(0)
    w = Linear(500, 400, init="he_normal").weight.data
    assert w.std() == pytest.approx(np.sqrt(2 / 500), rel=0.02)
    assert Linear(2, 2, init="zeros").weight.data.tolist() == [[0, 0], [0, 0]]


def test_wrong_input_width_names_expected_and_received():
    model = Sequential(Linear(3, 2))
    with pytest.raises(ValueError, match=r"expects inputs of width 3, got width 5 .*\(2, 5\)"):
        model(np.ones((2, 5)))
    with pytest.raises(ValueError, match="expects 4 input channels, got 1"):
        Conv2d(4, 2, 3)(np.ones((1, 1, 5, 5)))
    with pytest.raises(ValueError, match=r"shape \(N, 3\), got \(2, 4\); change") as wide:
        BatchNorm1d(3)(np.ones((2, 4)))
    assert "BatchNorm2d" not in str(wide.value)
    with pytest.raises(ValueError, match=r"got \(2, 3, 4, 4\) \(images take BatchNorm2d\)"):
        BatchNorm1d(3)(np.ones((2, 3, 4, 4)))


def test_layer_gradients_match_central_differences():
    manual_seed(0)
    x = RNG.normal(size=(3, 4))
    layer = Linear(4, 2)

    def through_linear(x, w, b):  # the layer's own forward, with gradcheck's leaves in it
        layer.weight, layer.bias = w, b
        return (layer(x).tanh() ** 2).sum()

    assert gradcheck(through_linear, [x, layer.weight.data.copy(), layer.bias.data.copy()])
    conv = Conv2d(2, 3, 3, padding=1)
    img = RNG.normal(size=(2, 2, 5, 5))

    def through_conv(w, b):
        conv.weight, conv.bias = w, b
        return (MaxPool2d(2)(conv(img)) ** 2).sum()

    assert gradcheck(through_conv, [conv.weight.data.copy(), conv.bias.data.copy()])


@pytest.mark.parametrize("layer, f", [
    (ReLU(), lambda x: np.maximum(x, 0)),
    (LeakyReLU(0.1), lambda x: np.where(x > 0, x, 0.1 * x)),
    (Sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
    (Tanh(), np.tanh),
    (Softmax(), lambda x: np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True)),
])
def test_activation_layers(layer, f):
    x = RNG.normal(size=(2, 3))
    assert layer(Tensor(x)).data == pytest.approx(f(x))


def test_dropout_is_inverted_in_training_and_identity_in_eval():
    manual_seed(0)
    drop = Dropout(0.25)
    x = np.ones((200, 100))
    out = drop(Tensor(x)).data
    kept = out != 0
    assert kept.mean() == pytest.approx(0.75, abs=0.01)
    assert np.unique(out[kept]) == pytest.approx([1 / 0.75])
    assert out.mean() == pytest.approx(1.0, abs=0.02)          # expectation unchanged
    drop.eval()
    assert drop(Tensor(x)).data.tolist() == x.tolist()
    drop.train()

    def through_dropout(x):
        manual_seed(1)  # the same mask at every point gradcheck evaluates
        return (drop(x) ** 2).sum()

    assert gradcheck(through_dropout, [RNG.normal(size=(3, 4))])
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        Dropout(1.0)


def test_batchnorm_uses_batch_statistics_in_training_and_running_ones_in_eval():
    bn = BatchNorm1d(2, momentum=0.5)
    x = np.array([[1.0, 10.0], [3.0, 30.0], [5.0, 20.0]])
    out = bn(Tensor(x)).data
    assert out.mean(axis=0) == pytest.approx([0, 0], abs=1e-9)
    assert out.std(axis=0) == pytest.approx([1, 1], abs=1e-4)
    assert bn.running_mean == pytest.approx(0.5 * x.mean(axis=0))
    assert bn.running_var == pytest.approx(0.5 + 0.5 * x.var(axis=0, ddof=1))
    bn.eval()
    one = bn(Tensor(x[:1])).data
    assert one == pytest.approx((x[:1] - bn.running_mean) / np.sqrt(bn.running_var + 1e-5))
    bn.train()
    with pytest.raises(ValueError, match="batches of 2 or more"):
        bn(Tensor(x[:1]))


def test_batchnorm_gradient():
    bn = BatchNorm1d(3)
    x = RNG.normal(size=(4, 3))
    weights = RNG.normal(size=(4, 3))

    def through_batchnorm(x, gamma, beta):
        bn.weight, bn.bias = gamma, beta
        return (bn(x) * weights).sum()

    assert gradcheck(through_batchnorm, [x, RNG.normal(size=3), RNG.normal(size=3)])


def test_conv_and_pool_shapes_and_values():
    manual_seed(0)
    x = RNG.normal(size=(2, 3, 8, 8))
    conv = Conv2d(3, 4, 3, stride=2, padding=1)
    assert conv(x).shape == (2, 4, Conv2d.output_size(8, 3, 2, 1), 4)
    grid = Tensor(np.arange(16.0).reshape(1, 1, 4, 4))
    assert MaxPool2d(2)(grid).data[0, 0].tolist() == [[5, 7], [13, 15]]
    assert AvgPool2d(2)(grid).data[0, 0].tolist() == [[2.5, 4.5], [10.5, 12.5]]
    assert Flatten()(Tensor(x)).shape == (2, 192)


def test_sequential_dense_and_repr():
    manual_seed(0)
    model = Sequential(Dense(3, "relu", kernel_initializer="random_uniform", input_dim=2),
                       Dense(3, "softmax", input_dim=3))
    out = model(np.array([[1.0, 0.0]]))
    assert out.data.sum() == pytest.approx(1.0)
    assert len(model) == 2 and isinstance(model[0][1], ReLU)
    body = model[:1]                                   # a Sequential sharing the layers
    assert isinstance(body, Sequential) and body[0] is model[0]
    assert body(np.array([[1.0, 0.0]])).data == pytest.approx(model[0](np.array([[1.0, 0.0]])).data)
    assert np.abs(model[0][0].weight.data).max() <= 0.05
    text = repr(Sequential(Linear(2, 3), ReLU(), Dropout(0.5)))
    assert "(0): Linear(nin=2, nout=3" in text and "(2): Dropout(p=0.5)" in text
    with pytest.raises(TypeError, match="Sequential takes Modules"):
        Sequential(Linear(2, 2), "relu")


def test_module_call_scopes_tensor_nodes():
    manual_seed(0)
    model = Sequential(Linear(2, 2), ReLU())
    out = model(np.ones((1, 2)))
    assert out.scope == ("Sequential", "1: ReLU")
    assert out.parents[0].scope == ("Sequential", "0: Linear")


def test_float32_layers_stay_float32():
    layer = Linear(3, 2, dtype=np.float32)
    out = layer(np.ones((2, 3), dtype=np.float32))
    assert out.dtype == np.float32


def test_activation_layers_take_arrays_and_values():
    from autograd import Value

    assert ReLU()(np.array([1.0, -1.0])).data.tolist() == [1.0, 0.0]   # not AttributeError
    assert Tanh()([0.0]).data.tolist() == [0.0]
    assert Sigmoid()(Value(0.0)).data == 0.5                          # Values stay Values
