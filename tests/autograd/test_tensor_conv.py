"""conv2d and pooling: values against plain loops, gradients against central differences."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor, avg_pool2d, conv2d, gradcheck, max_pool2d


def conv_by_loops(x, w, b, stride, padding):
    n, c, h, width = x.shape
    f, _, kh, kw = w.shape
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    oh = (h + 2 * padding - kh) // stride + 1
    ow = (width + 2 * padding - kw) // stride + 1
    out = np.zeros((n, f, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = padded[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = np.einsum("nchw,fchw->nf", patch, w) + b
    return out


def pool_by_loops(x, kernel, stride, padding, reduce, fill):
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)),
                    constant_values=fill)
    oh = (padded.shape[2] - kernel) // stride + 1
    ow = (padded.shape[3] - kernel) // stride + 1
    out = np.zeros(x.shape[:2] + (oh, ow))
    for i in range(oh):
        for j in range(ow):
            window = padded[:, :, i * stride:i * stride + kernel, j * stride:j * stride + kernel]
            out[:, :, i, j] = reduce(window, axis=(2, 3))
    return out


conv_settings = st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 2),
                          st.integers(0, 2))


@settings(max_examples=15)
@given(sizes=conv_settings, seed=st.integers(0, 2**32 - 1))
def test_conv2d_matches_loops_and_central_differences(sizes, seed):
    kh, kw, stride, padding = sizes
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, 2, 5, 4))
    w = rng.standard_normal((3, 2, kh, kw))
    b = rng.standard_normal(3)
    out = conv2d(Tensor(x), Tensor(w), Tensor(b), stride=stride, padding=padding)
    assert np.allclose(out.data, conv_by_loops(x, w, b, stride, padding))
    assert gradcheck(lambda x_, w_, b_: conv2d(x_, w_, b_, stride=stride, padding=padding),
                     [x, w, b])


def test_conv2d_without_bias_and_only_weight_gradient():
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((2, 1, 4, 4)))
    w = Tensor(rng.standard_normal((2, 1, 3, 3)), requires_grad=True)
    conv2d(x, w).sum().backward()
    assert x.grad is None and w.grad.shape == (2, 1, 3, 3)
    assert gradcheck(lambda w_: conv2d(x, w_), [w.data])


def test_conv2d_keeps_float32():
    x = Tensor(np.ones((1, 2, 4, 4), np.float32), requires_grad=True)
    w = Tensor(np.ones((3, 2, 3, 3), np.float32), requires_grad=True)
    b = Tensor(np.zeros(3, np.float32), requires_grad=True)
    y = conv2d(x, w, b, padding=1)
    y.sum().backward()
    assert y.dtype == x.grad.dtype == w.grad.dtype == b.grad.dtype == np.float32


@pytest.mark.parametrize("kernel, stride, padding", [(2, None, 0), (3, 1, 1), (2, 1, 0),
                                                     (3, 2, 1)])
def test_max_pool_matches_loops_and_central_differences(kernel, stride, padding):
    rng = np.random.default_rng(kernel * 10 + padding)
    x = rng.permutation(2 * 2 * 5 * 6).reshape(2, 2, 5, 6) * 0.1  # distinct: no ties
    out = max_pool2d(Tensor(x), kernel, stride, padding)
    expected = pool_by_loops(x, kernel, stride or kernel, padding, np.max, -np.inf)
    assert np.allclose(out.data, expected)
    assert gradcheck(lambda t: max_pool2d(t, kernel, stride, padding), [x])


@pytest.mark.parametrize("kernel, stride, padding", [(2, None, 0), (3, 1, 1), (2, 1, 1)])
def test_avg_pool_matches_loops_and_central_differences(kernel, stride, padding):
    x = np.random.default_rng(kernel).standard_normal((2, 2, 5, 6))
    out = avg_pool2d(Tensor(x), kernel, stride, padding)
    assert np.allclose(out.data, pool_by_loops(x, kernel, stride or kernel, padding, np.mean, 0))
    assert gradcheck(lambda t: avg_pool2d(t, kernel, stride, padding), [x])


def test_small_cnn_end_to_end():
    rng = np.random.default_rng(5)
    images = Tensor(rng.standard_normal((3, 1, 6, 6)))
    targets = np.array([0, 2, 1])

    def loss(w1, b1, w2):
        h = max_pool2d(conv2d(images, w1, b1, padding=1).relu(), 2)  # (3, 2, 3, 3)
        logits = h.flatten(1) @ w2                                     # (3, 3)
        return -logits.log_softmax(axis=1)[np.arange(3), targets].mean()

    assert gradcheck(loss, [rng.standard_normal((2, 1, 3, 3)), rng.standard_normal(2),
                            rng.standard_normal((18, 3))])


def test_max_pool_gives_a_tied_window_gradient_to_one_entry():
    x = Tensor(np.ones((1, 1, 2, 4)), requires_grad=True)
    max_pool2d(x, 2).sum().backward()
    assert x.grad[0, 0].tolist() == [[1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]]


def test_max_pool_with_padding_works_on_integer_images():
    # -inf padding cannot be stored in an integer array; the pad must never win instead.
    x = -np.arange(2 * 5 * 6).reshape(1, 2, 5, 6) - 1  # all negative: a 0 pad would win
    out = max_pool2d(Tensor(x), 3, 2, padding=1)
    assert out.dtype == x.dtype
    assert np.array_equal(out.data, pool_by_loops(x.astype(float), 3, 2, 1, np.max, -np.inf))
