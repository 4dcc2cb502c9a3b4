"""The CNN layers of notebook 11: shapes, parameter counts, BatchNorm2d's statistics
against the formulas, gradients against central differences, clear errors, drawings."""

import numpy as np
import pytest

from autograd import Tensor, conv2d, conv_transpose2d, gradcheck
from nn import (
    BatchNorm1d,
    BatchNorm2d,
    ChannelShuffle,
    Concat,
    Conv2d,
    ConvTranspose2d,
    GlobalAvgPool2d,
    Linear,
    MaxPool2d,
    MaxUnpool2d,
    ReLU,
    Residual,
    SeparableConv2d,
    Sequential,
    manual_seed,
)
from viz import draw_graph


def count(module):
    return sum(p.data.size for p in module.parameters())


def test_conv2d_takes_pytorch_arguments_in_pytorch_order():
    manual_seed(0)
    layer = Conv2d(4, 6, (3, 1), 1, "same", 1, 2, False, dtype=np.float32)
    assert layer.weight.shape == (6, 2, 3, 1) and layer.bias is None
    assert layer.padding == (1, 0) and layer.weight.dtype == np.float32
    x = np.random.default_rng(0).standard_normal((2, 4, 5, 5)).astype(np.float32)
    out = layer(x)
    assert out.shape == (2, 6, 5, 5)
    expected = conv2d(Tensor(x), layer.weight, None, 1, (1, 0), 1, 2)
    assert np.allclose(out.data, expected.data)
    assert repr(layer) == "Conv2d(4, 6, kernel_size=(3, 1), padding=(1, 0), groups=2, bias=False)"


def test_conv2d_padding_same_keeps_size_with_dilation():
    assert Conv2d(1, 1, 3, padding="same", dilation=2)(np.ones((1, 1, 7, 6))).shape[2:] == (7, 6)


def test_separable_conv_counts_fewer_parameters_and_matches_its_two_convolutions():
    manual_seed(1)
    separable, standard = SeparableConv2d(8, 16, 3, padding=1), Conv2d(8, 16, 3, padding=1)
    assert count(separable) == 8 * 3 * 3 + 8 * 16 + 16
    assert count(standard) == 8 * 16 * 3 * 3 + 16
    x = np.random.default_rng(1).standard_normal((2, 8, 5, 5))
    by_hand = conv2d(conv2d(Tensor(x), separable.depthwise.weight, padding=1, groups=8),
                     separable.pointwise.weight, separable.pointwise.bias)
    assert np.allclose(separable(x).data, by_hand.data)


def test_conv_transpose_layer_upsamples_and_is_the_conv_input_gradient():
    manual_seed(2)
    up = ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1)
    y = np.random.default_rng(2).standard_normal((1, 4, 7, 7))
    out = up(y)
    assert out.shape == (1, 2, 14, 14)
    # the same weight read as a conv2d from (2, 14, 14) images to (4, 7, 7) maps
    x = Tensor(np.zeros((1, 2, 14, 14)), requires_grad=True)
    conv2d(x, up.weight, stride=2, padding=1).backward(y)
    assert np.allclose(out.data - up.bias.data[:, None, None], x.grad)
    assert np.allclose(out.data, conv_transpose2d(Tensor(y), up.weight, up.bias, 2, 1, 1).data)


def test_max_unpool_layer_puts_values_back_where_the_maxima_were():
    x = np.array([[[[1.0, 4.0, 0.0], [2.0, 3.0, 9.0], [5.0, 0.0, 1.0]]]])
    pooled, where = MaxPool2d(2, return_indices=True)(x)
    back = MaxUnpool2d(2)(pooled, where, output_size=x.shape)
    assert back.data[0, 0].tolist() == [[0, 4, 0], [0, 0, 0], [0, 0, 0]]


def test_batch_norm_2d_training_statistics_follow_the_formulas():
    rng = np.random.default_rng(3)
    x = rng.normal(2.0, 3.0, (4, 3, 5, 6))
    layer = BatchNorm2d(3, momentum=0.2)
    layer.weight.data[:] = [1.0, 2.0, 0.5]
    layer.bias.data[:] = [0.0, -1.0, 3.0]
    out = layer(x).data
    mean, var = x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3))  # biased, over N·H·W
    x_hat = (x - mean[:, None, None]) / np.sqrt(var[:, None, None] + 1e-5)
    assert np.allclose(out, x_hat * layer.weight.data[:, None, None]
                       + layer.bias.data[:, None, None])
    n = 4 * 5 * 6
    assert np.allclose(layer.running_mean, 0.8 * 0 + 0.2 * mean)
    assert np.allclose(layer.running_var, 0.8 * 1 + 0.2 * var * n / (n - 1))  # unbiased


def test_batch_norm_2d_eval_uses_running_statistics_and_gradchecks_in_training():
    rng = np.random.default_rng(4)
    layer = BatchNorm2d(2)
    layer.running_mean, layer.running_var = np.array([1.0, -2.0]), np.array([4.0, 0.25])
    x = rng.standard_normal((2, 2, 3, 3))
    out = layer.eval()(x).data
    expected = (x - layer.running_mean[:, None, None]) / np.sqrt(
        layer.running_var[:, None, None] + 1e-5)
    assert np.allclose(out, expected)
    layer.train()

    def through(x_, gamma, beta):
        layer.weight, layer.bias = gamma, beta
        return (layer(x_) ** 3).sum()

    assert gradcheck(through, [x, rng.standard_normal(2), rng.standard_normal(2)])


@pytest.mark.parametrize("freeze", ["trainable", "requires_grad"])
@pytest.mark.parametrize("kind, shape", [(BatchNorm2d, (4, 3, 2, 2)), (BatchNorm1d, (4, 3))])
def test_a_frozen_batch_norm_runs_in_inference_mode(freeze, kind, shape):
    rng = np.random.default_rng(6)
    layer = kind(3)
    layer.running_mean, layer.running_var = rng.standard_normal(3), rng.random(3) + 0.5
    statistics = layer.running_mean.copy(), layer.running_var.copy()
    x = rng.standard_normal(shape)
    expected = layer.eval()(x).data
    layer.train()
    if freeze == "trainable":
        layer.trainable = False
    else:
        layer.weight.requires_grad = layer.bias.requires_grad = False
    assert np.array_equal(layer(x).data, expected)  # in training mode, yet as in eval
    assert np.array_equal(layer.running_mean, statistics[0])
    assert np.array_equal(layer.running_var, statistics[1])


def test_global_pool_shuffle_residual_and_concat_values():
    x = np.arange(2 * 6 * 2 * 2, dtype=float).reshape(2, 6, 2, 2)
    assert np.allclose(GlobalAvgPool2d()(x).data, x.mean(axis=(2, 3)))
    shuffled = ChannelShuffle(2)(x).data
    # channels 0..5 in groups (0 1 2)(3 4 5) interleave to 0 3 1 4 2 5
    assert np.array_equal(shuffled, x[:, [0, 3, 1, 4, 2, 5]])
    manual_seed(5)
    block = Sequential(Conv2d(6, 6, 1), ReLU())
    assert np.allclose(Residual(block)(x).data, block(x).data + x)
    short = Conv2d(6, 3, 1)
    assert np.allclose(Residual(Conv2d(6, 3, 1), short)(x).shape, (2, 3, 2, 2))
    both = Concat(Conv2d(6, 2, 1), MaxPool2d(3, 1, 1))
    assert both(x).shape == (2, 8, 2, 2)


def test_a_residual_network_gradchecks_end_to_end():
    manual_seed(6)
    model = Sequential(Conv2d(1, 2, 3, padding=1), BatchNorm2d(2), ReLU(),
                       Residual(Sequential(Conv2d(2, 2, 3, padding=1), ReLU())),
                       GlobalAvgPool2d(), Linear(2, 1))
    images = np.random.default_rng(6).standard_normal((3, 1, 4, 4))
    conv = model[0]

    def loss(w):
        conv.weight = w
        return (model(images) ** 2).sum()

    assert gradcheck(loss, [conv.weight.data.copy()])


@pytest.mark.parametrize("build, message", [
    (lambda: Conv2d(4, 6, 3, groups=4), r"out_channels = 6 is not divisible by groups = 4"),
    (lambda: Conv2d(1, 1, 3, stride=2, padding="same"), "padding='same' needs stride 1"),
    (lambda: Conv2d(1, 1, 2, padding="same"), "use an odd kernel_size"),
    (lambda: BatchNorm2d(3)(np.ones((4, 3))), r"got \(4, 3\) \(a 2-D input .* use BatchNorm1d"),
    (lambda: Residual(Conv2d(2, 3, 1))(np.ones((1, 2, 3, 3))), "give a shortcut that matches"),
    (lambda: Concat(Conv2d(2, 1, 3), Conv2d(2, 1, 1))(np.ones((1, 2, 5, 5))),
     "differ on other axes"),
    (lambda: ChannelShuffle(4)(np.ones((1, 6, 2, 2))), "divisible by 4"),
    (lambda: Conv2d(3, 2, 5)(np.ones((1, 3, 4, 4))), "larger than the padded image"),
])
def test_layers_say_which_argument_to_change(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_blocks_are_drawn_collapsed_by_module_with_their_names():
    manual_seed(7)
    model = Sequential(
        Residual(Sequential(Conv2d(1, 2, 3, padding=1), ReLU()), Conv2d(1, 2, 1)),
        Concat(Conv2d(2, 1, 1), SeparableConv2d(2, 1, 3, padding=1)),
        GlobalAvgPool2d())
    y = model(np.ones((1, 1, 5, 5))).sum()
    top = draw_graph(y, collapse="module", depth=1).source
    assert "0: Residual" in top and "1: Concat" in top and "2: GlobalAvgPool2d" in top
    inner = draw_graph(y, collapse="module", depth=2).source
    for name in ("block", "shortcut", "branch 0", "branch 1"):
        assert name in inner
