"""The fast paths of convolution and pooling give what the plain paths give, and their
gradients pass central differences.

- conv2d with stride 1, groups 1 and >= TAP_MIN_CHANNELS channels: one matrix product
  per kernel offset instead of im2col columns (forward, input and weight gradients);
- max_pool2d 2x2 with stride 2 and no padding: a reshape of the image into its windows
  instead of one strided slice per kernel offset.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor, conv2d, conv_math, gradcheck, max_pool2d, pooling


def _conv_and_grads(x, w, b, geometry):
    xt, wt, bt = (Tensor(a, requires_grad=True) for a in (x, w, b))
    out = conv2d(xt, wt, bt, **geometry)
    out.backward(np.cos(out.data))  # any upstream: not all ones, so errors cannot cancel
    return out.data, xt.grad, wt.grad, bt.grad


@settings(max_examples=20, deadline=None)
@given(kernel=st.tuples(st.integers(1, 4), st.integers(1, 4)),
       padding=st.tuples(st.integers(0, 2), st.integers(0, 2)),
       dilation=st.tuples(st.integers(1, 2), st.integers(1, 2)),
       channels=st.tuples(st.integers(8, 11), st.integers(8, 11)),
       dtype=st.sampled_from([np.float32, np.float64]), seed=st.integers(0, 2**32 - 1))
def test_conv2d_by_kernel_offsets_equals_im2col(kernel, padding, dilation, channels, dtype,
                                                seed):
    rng = np.random.default_rng(seed)
    size = tuple(d * (k - 1) + 1 + rng.integers(0, 4) for k, d in zip(kernel, dilation))
    c, f = channels
    x = rng.standard_normal((3, c) + size).astype(dtype)
    w = rng.standard_normal((f, c) + kernel).astype(dtype)
    b = rng.standard_normal(f).astype(dtype)
    geometry = dict(padding=padding, dilation=dilation)
    grid = conv_math._grid(size, kernel, (1, 1), padding, dilation)
    assert conv_math._by_taps(grid, w.shape, 1)  # the fast path is the one taken
    fast = _conv_and_grads(x, w, b, geometry)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(conv_math, "TAP_MIN_CHANNELS", 10**9)  # force im2col
        assert not conv_math._by_taps(grid, w.shape, 1)
        plain = _conv_and_grads(x, w, b, geometry)
    tolerance = 1e-4 if dtype == np.float32 else 1e-10
    for a, e in zip(fast, plain):
        assert a.dtype == dtype
        np.testing.assert_allclose(a, e, rtol=tolerance, atol=tolerance)


def test_conv2d_by_kernel_offsets_passes_central_differences():
    rng = np.random.default_rng(7)
    x, w, b = (rng.standard_normal((2, 8, 4, 5)), rng.standard_normal((8, 8, 3, 2)),
               rng.standard_normal(8))
    grid = conv_math._grid((4, 5), (3, 2), (1, 1), (1, 0), (1, 1))
    assert conv_math._by_taps(grid, w.shape, 1)
    assert gradcheck(lambda *t: conv2d(*t, padding=(1, 0)), [x, w, b])


def _pool_grad(x, upstream):
    xt = Tensor(x, requires_grad=True)
    out = max_pool2d(xt, 2)
    out.backward(upstream)
    return out.data, xt.grad


@settings(max_examples=20, deadline=None)
@given(sides=st.tuples(st.integers(1, 4), st.integers(1, 4)), levels=st.integers(1, 4),
       nan=st.booleans(), dtype=st.sampled_from([np.float32, np.float64]),
       seed=st.integers(0, 2**32 - 1))
def test_halving_max_pool_gradient_equals_the_general_one(sides, levels, nan, dtype, seed):
    rng = np.random.default_rng(seed)
    # few distinct values, so windows often hold ties (the first maximum must win)
    x = rng.integers(-1, levels, (2, 3, 2 * sides[0], 2 * sides[1])).astype(dtype)
    if nan:
        x[0, 0, 0, 1] = np.nan
    upstream = rng.standard_normal((2, 3) + sides).astype(dtype)
    assert pooling._halving(x.shape, kernel=(2, 2), stride=(2, 2), padding=(0, 0),
                            dilation=(1, 1))
    fast = _pool_grad(x, upstream)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pooling, "_halving", lambda *a, **k: False)  # the general path
        plain = _pool_grad(x, upstream)
    for a, e in zip(fast, plain):
        assert a.dtype == dtype
        np.testing.assert_array_equal(a, e)


def test_halving_max_pool_passes_central_differences():
    x = np.random.default_rng(5).standard_normal((2, 2, 4, 6))
    assert gradcheck(lambda t: max_pool2d(t, 2), [x])
