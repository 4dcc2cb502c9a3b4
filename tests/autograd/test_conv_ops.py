"""Grouped, dilated, strided and transposed convolutions, max-unpooling: values against
plain loops, first and second derivatives against central differences (hypothesis)."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograd import (
    Tensor,
    avg_pool2d,
    conv2d,
    conv_transpose2d,
    grad,
    gradcheck,
    max_pool2d,
    max_unpool2d,
)


def conv_by_loops(x, w, b, stride, padding, dilation, groups):
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    n, c, h, width = x.shape
    f, cg, kh, kw = w.shape
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (width + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, f, oh, ow))
    for fi in range(f):
        group = fi // (f // groups)
        channels = slice(group * cg, (group + 1) * cg)
        for p in range(oh):
            for q in range(ow):
                patch = padded[:, channels, p * sh:p * sh + dh * (kh - 1) + 1:dh,
                               q * sw:q * sw + dw * (kw - 1) + 1:dw]
                out[:, fi, p, q] = (patch * w[fi]).sum(axis=(1, 2, 3))
        out[:, fi] += 0 if b is None else b[fi]
    return out


def transpose_by_loops(x, w, stride, padding, output_padding, dilation, groups):
    """Each input entry adds its weight-scaled filter into the window it stands for."""
    (sh, sw), (ph, pw), (dh, dw), (eh, ew) = stride, padding, dilation, output_padding
    n, c, h, width = x.shape
    _, fg, kh, kw = w.shape
    full = np.zeros((n, fg * groups, (h - 1) * sh + dh * (kh - 1) + 1 + eh,
                     (width - 1) * sw + dw * (kw - 1) + 1 + ew))
    per_group = c // groups
    for ci in range(c):
        outs = slice(ci // per_group * fg, (ci // per_group + 1) * fg)
        for p in range(h):
            for q in range(width):
                for i in range(kh):
                    for j in range(kw):
                        full[:, outs, p * sh + i * dh, q * sw + j * dw] += \
                            x[:, ci, p, q, None] * w[ci, :, i, j]
    return full[:, :, ph:full.shape[2] - ph, pw:full.shape[3] - pw]


def pool_indices_by_loops(x, kernel, stride, padding):
    n, c, h, width = x.shape
    oh, ow = (h + 2 * padding - kernel) // stride + 1, (width + 2 * padding - kernel) // stride + 1
    values, where = np.zeros((n, c, oh, ow)), np.zeros((n, c, oh, ow), dtype=int)
    for a in range(n):
        for b in range(c):
            for p in range(oh):
                for q in range(ow):
                    best = None
                    for i in range(kernel):
                        for j in range(kernel):
                            r, s = p * stride - padding + i, q * stride - padding + j
                            if 0 <= r < h and 0 <= s < width and (best is None or
                                                                  x[a, b, r, s] > best):
                                best, values[a, b, p, q], where[a, b, p, q] = \
                                    x[a, b, r, s], x[a, b, r, s], r * width + s
    return values, where


@st.composite
def conv_cases(draw):
    groups = draw(st.integers(1, 3))
    c, f = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))  # may exceed the kernel
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 1)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    size = (draw(st.integers(1, 6)), draw(st.integers(1, 5)))  # odd and even sides
    for a in (0, 1):
        assume(dilation[a] * (kernel[a] - 1) + 1 <= size[a] + 2 * padding[a])
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.standard_normal((2, c) + size)
    w = rng.standard_normal((f, c // groups) + kernel)
    b = rng.standard_normal(f) if draw(st.booleans()) else None
    return x, w, b, dict(stride=stride, padding=padding, dilation=dilation, groups=groups)


@settings(max_examples=30, deadline=None)
@given(case=conv_cases())
def test_conv2d_matches_loops_and_central_differences(case):
    x, w, b, geometry = case
    out = conv2d(Tensor(x), Tensor(w), None if b is None else Tensor(b), **geometry)
    assert np.allclose(out.data, conv_by_loops(x, w, b, **geometry))
    inputs = [x, w] if b is None else [x, w, b]
    assert gradcheck(lambda *t: conv2d(*t, **geometry), inputs)


@settings(max_examples=25, deadline=None)
@given(case=conv_cases(), extra=st.tuples(st.integers(0, 2), st.integers(0, 2)))
def test_conv_transpose2d_is_conv2d_input_gradient(case, extra):
    x, w, _, geometry = case
    extra = tuple(min(e, max(s, d) - 1) for e, s, d in
                  zip(extra, geometry["stride"], geometry["dilation"]))
    images = Tensor(x, requires_grad=True)
    y = conv2d(images, Tensor(w), **geometry)
    upstream = np.random.default_rng(1).standard_normal(y.shape)
    y.backward(upstream)
    # conv_transpose2d of the upstream, with conv2d's weight, IS conv2d's input gradient
    back = conv_transpose2d(Tensor(upstream), Tensor(w), **geometry,
                            output_padding=_leftover(x.shape, w.shape, geometry))
    assert np.allclose(back.data, images.grad)
    # and, as a layer of its own, it matches loops and central differences
    padding = geometry["padding"]
    ok = all((n - 1) * s - 2 * p + d * (k - 1) + e + 1 >= 1 for n, s, p, d, k, e in
             zip(y.shape[2:], geometry["stride"], padding, geometry["dilation"], w.shape[2:],
                 extra))
    assume(ok)
    expected = transpose_by_loops(upstream, w, geometry["stride"], padding, extra,
                                  geometry["dilation"], geometry["groups"])
    out = conv_transpose2d(Tensor(upstream), Tensor(w), output_padding=extra, **geometry)
    assert np.allclose(out.data, expected)
    assert gradcheck(lambda u, w_: conv_transpose2d(u, w_, output_padding=extra, **geometry),
                     [upstream, w])


def _leftover(x_shape, w_shape, geometry):
    """Rows and columns the last window did not reach: conv_transpose2d's output_padding."""
    return tuple((n + 2 * p - d * (k - 1) - 1) % s for n, k, s, p, d in
                 zip(x_shape[2:], w_shape[2:], geometry["stride"], geometry["padding"],
                     geometry["dilation"]))


@settings(max_examples=15, deadline=None)
@given(case=conv_cases())
def test_second_derivatives_through_conv2d(case):
    x, w, _, geometry = case

    def input_gradient(x_, w_):  # d/dx Σ conv² = conv_transpose2d(2·conv, w): in x and w
        return grad((conv2d(x_, w_, **geometry) ** 2).sum(), [x_], create_graph=True)[0]

    def weight_gradient(x_, w_):
        return grad((conv2d(x_, w_, **geometry) ** 2).sum(), [w_], create_graph=True)[0]

    assert gradcheck(input_gradient, [x, w])
    assert gradcheck(weight_gradient, [x, w])


def test_second_derivatives_through_conv_transpose2d_with_bias():
    rng = np.random.default_rng(3)
    geometry = dict(stride=2, padding=1, output_padding=1, groups=2)
    x, w, b = (rng.standard_normal((2, 4, 3, 3)), rng.standard_normal((4, 1, 3, 3)),
               rng.standard_normal(2))

    def weight_gradient(x_, w_, b_):
        y = conv_transpose2d(x_, w_, b_, **geometry)
        return grad((y.tanh()).sum(), [w_], create_graph=True)[0]

    assert gradcheck(weight_gradient, [x, w, b])


@pytest.mark.parametrize("kernel, stride, padding", [(2, None, 0), (3, 1, 1), (2, 3, 0),
                                                     (3, 2, 1)])
def test_max_pool_indices_match_loops_and_unpool_inverts(kernel, stride, padding):
    rng = np.random.default_rng(kernel + 7 * padding)
    x = rng.permutation(2 * 3 * 7 * 5).reshape(2, 3, 7, 5) * 0.1  # distinct: no ties
    values, where = max_pool2d(Tensor(x), kernel, stride, padding, return_indices=True)
    expected_values, expected_where = pool_indices_by_loops(x, kernel, stride or kernel, padding)
    assert np.array_equal(where, expected_where)
    assert np.allclose(values.data, expected_values)
    back = max_unpool2d(values, where, kernel, stride, padding, output_size=x.shape)
    expected = np.zeros_like(x)  # each value back where it came from; shared maxima add
    for (a, b, p, q), k in np.ndenumerate(where):
        expected[a, b].flat[k] += values.data[a, b, p, q]
    assert np.allclose(back.data, expected)


@settings(max_examples=20, deadline=None)
@given(kernel=st.integers(1, 3), stride=st.integers(1, 4), dilation=st.integers(1, 2),
       size=st.tuples(st.integers(3, 7), st.integers(3, 6)), seed=st.integers(0, 2**32 - 1))
def test_pooling_first_and_second_derivatives(kernel, stride, dilation, size, seed):
    assume(dilation * (kernel - 1) + 1 <= min(size))
    rng = np.random.default_rng(seed)
    x = rng.permutation(2 * 2 * size[0] * size[1]).reshape((2, 2) + size) * 0.37
    assert gradcheck(lambda t: max_pool2d(t, kernel, stride, dilation=dilation), [x])
    assert gradcheck(lambda t: grad((max_pool2d(t, kernel, stride, dilation=dilation) ** 2)
                                    .sum(), [t], create_graph=True)[0], [x])
    assert gradcheck(lambda t: avg_pool2d(t, kernel, stride), [x])
    assert gradcheck(lambda t: grad((avg_pool2d(t, kernel, stride) ** 3).sum(), [t],
                                    create_graph=True)[0], [x])
    _, where = max_pool2d(Tensor(x), kernel, stride, dilation=dilation, return_indices=True)
    pooled = rng.standard_normal(where.shape)
    assert gradcheck(lambda t: max_unpool2d(t, where, kernel, stride, output_size=size),
                     [pooled])
    assert gradcheck(lambda t: grad((max_unpool2d(t, where, kernel, stride, output_size=size)
                                     ** 3).sum(), [t], create_graph=True)[0], [pooled])


def test_max_pool_propagates_nan_and_points_at_it():
    x = np.array([[[[1.0, np.nan], [3.0, 2.0]]]])
    values, where = max_pool2d(Tensor(x), 2, return_indices=True)
    assert np.isnan(values.data).all() and where.ravel().tolist() == [1]


@pytest.mark.parametrize("kernel, stride, dilation, extra", [(1, 1, 2, 1), (2, 1, 3, 2),
                                                            (3, 2, 1, 1)])
def test_conv_transpose2d_output_padding_beyond_the_last_window(kernel, stride, dilation, extra):
    # output_padding up to max(stride, dilation) - 1 adds rows no window of the conv reaches
    rng = np.random.default_rng(kernel)
    x, w = rng.standard_normal((2, 2, 4, 3)), rng.standard_normal((2, 3, kernel, kernel))
    geometry = dict(stride=stride, dilation=dilation, output_padding=extra)
    expected = transpose_by_loops(x, w, (stride,) * 2, (0, 0), (extra,) * 2, (dilation,) * 2, 1)
    assert np.allclose(conv_transpose2d(Tensor(x), Tensor(w), **geometry).data, expected)
    assert gradcheck(lambda x_, w_: conv_transpose2d(x_, w_, **geometry), [x, w])


def test_conv_transpose2d_upsamples_float32():
    x = Tensor(np.ones((1, 2, 3, 3), np.float32), requires_grad=True)
    w = Tensor(np.ones((2, 4, 2, 2), np.float32), requires_grad=True)
    y = conv_transpose2d(x, w, stride=2)
    y.sum().backward()
    assert y.shape == (1, 4, 6, 6) and y.dtype == x.grad.dtype == w.grad.dtype == np.float32


@pytest.mark.parametrize("call, message", [
    (lambda: conv2d(Tensor(np.ones((1, 4, 5, 5))), Tensor(np.ones((6, 2, 3, 3))), groups=3),
     r"input channels \(4\) is not divisible by groups=3"),
    (lambda: conv2d(Tensor(np.ones((1, 4, 5, 5))), Tensor(np.ones((6, 2, 3, 3))), groups=4),
     r"filters \(6\) is not divisible by groups=4"),
    (lambda: conv2d(Tensor(np.ones((1, 4, 5, 5))), Tensor(np.ones((6, 4, 3, 3))), groups=2),
     r"second axis is 2"),
    (lambda: conv2d(Tensor(np.ones((1, 1, 4, 4))), Tensor(np.ones((1, 1, 3, 3))), dilation=2),
     r"spans 5, larger than the padded image's 4 .* increase padding"),
    (lambda: conv_transpose2d(Tensor(np.ones((1, 2, 4, 4))), Tensor(np.ones((2, 1, 3, 3))),
                              stride=2, output_padding=2),
     r"output_padding \(2, 2\) must be smaller than max\(stride, dilation\) = 2"),
    (lambda: conv_transpose2d(Tensor(np.ones((1, 2, 4, 4))), Tensor(np.ones((3, 1, 3, 3)))),
     r"\(C_in = 2, C_out/groups, KH, KW\)"),
    (lambda: max_unpool2d(Tensor(np.ones((1, 1, 2, 2))), np.zeros((1, 1, 2), int), 2),
     r"indices must be integers of the input's shape \(1, 1, 2, 2\), got int64 of shape"),
    (lambda: max_unpool2d(Tensor(np.ones((1, 1, 2, 2))), np.full((1, 1, 2, 2), 16), 2),
     r"indices range over 16\.\.16, outside an output plane of 4x4 = 16"),
    (lambda: max_pool2d(Tensor(np.ones((1, 1, 4, 4))), 3, padding=2), "at most half"),
    (lambda: conv2d(Tensor(np.ones((1, 1, 4, 4))), Tensor(np.ones((1, 1, 3, 3))),
                    stride=(1, 0)), r"stride must be an int >= 1 or a pair of them"),
])
def test_bad_geometry_gets_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("kernel, padding", [(3, 1), (1, 0), (2, 0)])
def test_results_never_share_conv_scratch_buffers(kernel, padding):
    # the tap products, the col2im buffer and the widened upstream are scratch
    # arrays kept between calls: no result may be a view of them
    rng = np.random.default_rng(8)
    w = Tensor(rng.standard_normal((4, 3, kernel, kernel)), requires_grad=True)
    results = []
    for _ in range(2):
        x = Tensor(rng.standard_normal((2, 3, 5, 5)), requires_grad=True)
        out = conv2d(x, w, padding=padding)
        out.backward(rng.standard_normal(out.shape))
        up = conv_transpose2d(Tensor(rng.standard_normal(out.shape)), w, padding=padding)
        results.append([out.data, x.grad, w.grad, up.data])
        w.zero_grad()
    first = [a.copy() for a in results[0]]
    for a, b, kept in zip(results[0], results[1], first):
        assert not np.shares_memory(a, b)
        assert np.array_equal(a, kept)


def weight_grad_by_loops(x, g, kernel, stride, padding, dilation, groups):
    """d conv / dw[f, c, i, j] = Σ g[n, f, p, q]·x[n, c, p·s + i·d, q·s + j·d] (padded x)."""
    (sh, sw), (ph, pw), (dh, dw), (kh, kw) = stride, padding, dilation, kernel
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    f, cg = g.shape[1], x.shape[1] // groups
    grad = np.zeros((f, cg, kh, kw))
    for fi in range(f):
        channels = slice(fi // (f // groups) * cg, (fi // (f // groups) + 1) * cg)
        for i in range(kh):
            for j in range(kw):
                seen = padded[:, channels, i * dh:i * dh + sh * (g.shape[2] - 1) + 1:sh,
                              j * dw:j * dw + sw * (g.shape[3] - 1) + 1:sw]
                grad[fi, :, i, j] = (seen * g[:, fi, None]).sum(axis=(0, 2, 3))
    return grad


# The weight gradient multiplies the im2col columns by the upstream one of two ways round:
# with fewer column rows (C/G·KH·KW) than filters (F/G), as in a first layer, columnsᵀ is
# taken as a view; otherwise gᵀ is made contiguous. Both must give the sums above.
@pytest.mark.parametrize("channels, filters, kernel, groups, geometry", [
    (1, 16, 3, 1, {"padding": (1, 1)}),                    # 9 rows < 16 filters
    (6, 2, 3, 1, {"padding": (1, 1)}),                     # 54 rows > 2 filters
    (4, 8, 1, 2, {"stride": (2, 1)}),                      # grouped, 2 rows < 4 filters
    (3, 4, (2, 3), 1, {"dilation": (2, 1), "stride": (1, 2)}),  # 18 rows > 4 filters
    (2, 8, 1, 1, {}),                                      # 1x1: x is its own columns
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_weight_gradient_both_ways_round_matches_loops(channels, filters, kernel, groups,
                                                       geometry, dtype):
    rng = np.random.default_rng(4)
    kernel = (kernel, kernel) if isinstance(kernel, int) else kernel
    x = Tensor(rng.standard_normal((3, channels, 7, 6)).astype(dtype))
    w = Tensor(rng.standard_normal((filters, channels // groups) + kernel).astype(dtype),
               requires_grad=True)
    full = {"stride": (1, 1), "padding": (0, 0), "dilation": (1, 1), **geometry}
    out = conv2d(x, w, groups=groups, **full)
    upstream = rng.standard_normal(out.shape).astype(dtype)
    out.backward(upstream)
    assert w.grad.dtype == dtype
    expected = weight_grad_by_loops(x.data.astype(float), upstream.astype(float), kernel,
                                    groups=groups, **full)
    np.testing.assert_allclose(w.grad, expected, rtol=1e-4 if dtype == np.float32 else 1e-10,
                               atol=1e-4 if dtype == np.float32 else 1e-10)


@pytest.mark.parametrize("view", [
    lambda a: a[:, :, ::-1],                               # negative strides
    lambda a: a.transpose(0, 1, 3, 2),                     # Fortran-like order
    lambda a: a[:, :, ::2, 1:],                            # stepped slice
])
def test_conv2d_reads_any_strided_view_of_its_input(view):
    rng = np.random.default_rng(9)
    x = view(rng.standard_normal((2, 3, 10, 9)))
    w = rng.standard_normal((4, 3, 3, 2))
    for geometry in ({"stride": (1, 1), "padding": (1, 0), "dilation": (1, 1), "groups": 1},
                     {"stride": (2, 1), "padding": (0, 1), "dilation": (1, 2), "groups": 1}):
        xt, wt = Tensor(x, requires_grad=True), Tensor(w, requires_grad=True)
        out = conv2d(xt, wt, **geometry)
        np.testing.assert_allclose(out.data, conv_by_loops(x, w, None, **geometry))
        upstream = rng.standard_normal(out.shape)
        out.backward(upstream)
        np.testing.assert_allclose(wt.grad, weight_grad_by_loops(
            x, upstream, w.shape[2:], geometry["stride"], geometry["padding"],
            geometry["dilation"], 1))


@pytest.mark.parametrize("call", [
    lambda x: conv2d(x, Tensor(np.ones((2, 3, 3, 3)), requires_grad=True), padding=1),
    lambda x: conv2d(x, Tensor(np.ones((2, 3, 3, 3)), requires_grad=True), stride=2),
    lambda x: conv2d(x, Tensor(np.ones((3, 1, 3, 3)), requires_grad=True), groups=3),
    lambda x: conv_transpose2d(x, Tensor(np.ones((3, 2, 3, 3)), requires_grad=True)),
    lambda x: max_pool2d(x, 2),
])
def test_an_empty_batch_goes_forward_and_back(call):
    # PyTorch takes batches of zero images; a reshape must not ask numpy to infer a side
    x = Tensor(np.zeros((0, 3, 6, 6)), requires_grad=True)
    out = call(x)
    assert out.shape[0] == 0
    out.sum().backward()
    assert x.grad.shape == x.shape
