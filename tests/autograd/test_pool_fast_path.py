"""The fast path of max-pooling gives what the general path and plain loops give, and its
gradient passes central differences: max_pool2d 2x2 with stride 2, no padding, even sides
(the windows tile the image) takes its gradient from a reshape into windows, no zero fill.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor, gradcheck, max_pool2d, pooling


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
    np.testing.assert_array_equal(fast[1], _first_maximum_gradient(x, upstream))


def _first_maximum_gradient(x, upstream):
    """By loops: each window's upstream goes to its first maximum in reading order (a nan
    counts as the maximum), as PyTorch."""
    grad = np.zeros_like(x)
    for n, c, p, q in np.ndindex(upstream.shape):
        window = x[n, c, 2 * p:2 * p + 2, 2 * q:2 * q + 2].ravel()
        nans = np.flatnonzero(np.isnan(window))
        first = nans[0] if nans.size else int(np.argmax(window))
        grad[n, c, 2 * p + first // 2, 2 * q + first % 2] = upstream[n, c, p, q]
    return grad


def test_halving_max_pool_passes_central_differences():
    x = np.random.default_rng(5).standard_normal((2, 2, 4, 6))
    assert gradcheck(lambda t: max_pool2d(t, 2), [x])
