"""Every Tensor operation's gradient against central differences, on random shapes.

Shapes come from hypothesis (pairs that broadcast), values from a seeded generator.
Inputs are kept away from kinks (0 for relu/abs, ties for max/maximum, the bounds of
clip), where a one-sided derivative would make the finite difference meaningless.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

from autograd import (
    Tensor,
    concatenate,
    cross_entropy,
    grad,
    gradcheck,
    log_softmax,
    maximum,
    minimum,
    softmax,
    stack,
    where,
)

FEW = settings(max_examples=20)
pairs = mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3)
shapes = array_shapes(min_dims=1, max_dims=3, max_side=4)
seeds = st.integers(0, 2**32 - 1)


def away_from_zero(rng, shape, low=0.2, high=2.0):
    """Entries with |x| in [low, high] and a random sign."""
    return np.asarray(rng.uniform(low, high, shape) * rng.choice([-1.0, 1.0], shape))


def distinct(rng, shape):
    """Entries at least 0.1 apart, so max/min have no ties."""
    size = int(np.prod(shape))
    return (rng.permutation(size) * 0.1 - size * 0.05).reshape(shape) + rng.uniform(0, 0.01)


# --- elementwise functions: rules shared with Value --------------------------------------
UNARY = {
    "exp": (lambda x: x.exp(), away_from_zero),
    "log": (lambda x: x.log(), lambda r, s: r.uniform(0.2, 3.0, s)),
    "sqrt": (lambda x: x.sqrt(), lambda r, s: r.uniform(0.2, 3.0, s)),
    "abs": (lambda x: x.abs(), away_from_zero),
    "abs()": (lambda x: abs(x), away_from_zero),
    "neg": (lambda x: -x, away_from_zero),
    "tanh": (lambda x: x.tanh(), away_from_zero),
    "sigmoid": (lambda x: x.sigmoid(), away_from_zero),
    "relu": (lambda x: x.relu(), away_from_zero),
    "leaky_relu": (lambda x: x.leaky_relu(0.1), away_from_zero),
    "sin": (lambda x: x.sin(), away_from_zero),
    "cos": (lambda x: x.cos(), away_from_zero),
    "x**3": (lambda x: x ** 3, away_from_zero),
    "x**-1.5": (lambda x: x ** -1.5, lambda r, s: r.uniform(0.3, 2.0, s)),
    "2**x": (lambda x: 2.0 ** x, away_from_zero),
    "clip": (lambda x: x.clip(-1.0, 1.0),
             lambda r, s: away_from_zero(r, s, 0.2, 0.9) + r.choice([0.0, 2.0, -2.0], s)),
    "clip(low only)": (lambda x: x.clip(0.5), away_from_zero),
}


@pytest.mark.parametrize("name", UNARY)
@FEW
@given(shape=shapes, seed=seeds)
def test_unary_gradients(name, shape, seed):
    f, make = UNARY[name]
    assert gradcheck(f, [make(np.random.default_rng(seed), shape)])


@pytest.mark.parametrize("name", ["step", "sign"])
def test_step_and_sign_pass_no_gradient(name):
    x = Tensor([-1.5, 0.5, 2.0], requires_grad=True)
    (getattr(x, name)() * 3.0).sum().backward()
    assert np.array_equal(x.grad, np.zeros(3))


# --- binary operations with broadcasting ----------------------------------------------------
BINARY = {
    "+": (lambda a, b: a + b, away_from_zero, away_from_zero),
    "-": (lambda a, b: a - b, away_from_zero, away_from_zero),
    "*": (lambda a, b: a * b, away_from_zero, away_from_zero),
    "/": (lambda a, b: a / b, away_from_zero, away_from_zero),
    "**": (lambda a, b: a ** b, lambda r, s: r.uniform(0.3, 2.0, s), away_from_zero),
    "@ reflected scalars": (lambda a, b: (2.0 - a) * (3.0 / b) + 1.0 / (a * a + 1.0),
                            away_from_zero, away_from_zero),
}


@pytest.mark.parametrize("name", BINARY)
@FEW
@given(pair=pairs, seed=seeds)
def test_binary_gradients_broadcast(name, pair, seed):
    f, make_a, make_b = BINARY[name]
    rng = np.random.default_rng(seed)
    a_shape, b_shape = pair.input_shapes
    assert gradcheck(f, [make_a(rng, a_shape), make_b(rng, b_shape)])


@FEW
@given(pair=pairs, seed=seeds)
def test_gradients_summed_back_to_each_input_shape(pair, seed):
    rng = np.random.default_rng(seed)
    a_shape, b_shape = pair.input_shapes
    a = Tensor(rng.standard_normal(a_shape), requires_grad=True)
    b = Tensor(rng.standard_normal(b_shape), requires_grad=True)
    (a * b).sum().backward()
    assert a.grad.shape == a_shape and b.grad.shape == b_shape
    # d Σ(a*b) / da = b summed over the broadcast copies
    expected = np.broadcast_to(b.data, pair.result_shape).sum(
        axis=tuple(range(len(pair.result_shape) - len(a_shape))))
    assert np.allclose(a.grad, expected.sum(
        axis=tuple(i for i, n in enumerate(a_shape) if n == 1), keepdims=True)
        .reshape(a_shape))


@pytest.mark.parametrize("name", ["maximum", "minimum"])
@FEW
@given(pair=pairs, seed=seeds)
def test_maximum_minimum_gradients(name, pair, seed):
    rng = np.random.default_rng(seed)
    a_shape, b_shape = pair.input_shapes
    # a on a grid of 0.1, b on the same grid shifted by 0.05: never a tie
    a = np.asarray(rng.integers(-20, 20, a_shape) * 0.1)
    b = np.asarray(rng.integers(-20, 20, b_shape) * 0.1 + 0.05)
    assert gradcheck(maximum if name == "maximum" else minimum, [a, b])


def test_maximum_splits_a_tie():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([1.0, 0.0], requires_grad=True)
    maximum(a, b).sum().backward()
    assert a.grad.tolist() == [0.5, 1.0] and b.grad.tolist() == [0.5, 0.0]


@FEW
@given(pair=pairs, seed=seeds)
def test_where_gradients(pair, seed):
    rng = np.random.default_rng(seed)
    a_shape, b_shape = pair.input_shapes
    condition = rng.random(pair.result_shape) > 0.5
    assert gradcheck(lambda a, b: where(condition, a, b) * 2.0,
                     [away_from_zero(rng, a_shape), away_from_zero(rng, b_shape)])


# --- matrix products --------------------------------------------------------------------
MATMUL_SHAPES = [((3,), (3,)), ((3,), (3, 2)), ((2, 3), (3,)), ((2, 3), (3, 4)),
                 ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)), ((5, 1, 2, 3), (4, 3, 2)),
                 ((3,), (5, 3, 2)), ((5, 2, 3), (3,))]


@pytest.mark.parametrize("a_shape, b_shape", MATMUL_SHAPES)
def test_matmul_gradients(a_shape, b_shape):
    rng = np.random.default_rng(len(a_shape) * 10 + len(b_shape))
    assert gradcheck(lambda a, b: a @ b,
                     [rng.standard_normal(a_shape), rng.standard_normal(b_shape)])


@FEW
@given(pair=mutually_broadcastable_shapes(signature="(m?,n),(n,p?)->(m?,p?)", max_dims=2,
                                          max_side=3), seed=seeds)
def test_matmul_gradients_on_random_batched_shapes(pair, seed):
    rng = np.random.default_rng(seed)
    a_shape, b_shape = pair.input_shapes
    assert gradcheck(lambda a, b: a @ b,
                     [rng.standard_normal(a_shape), rng.standard_normal(b_shape)])


@FEW
@given(n=st.integers(1, 4), k=st.integers(1, 4), m=st.integers(1, 4), seed=seeds)
def test_matmul_with_numpy_operands_on_either_side(n, k, m, seed):
    rng = np.random.default_rng(seed)
    constant = rng.standard_normal((k, m))
    assert gradcheck(lambda a: (a @ constant).tanh(), [rng.standard_normal((n, k))])
    assert gradcheck(lambda b: (constant.T @ b).tanh(), [rng.standard_normal((k, n))])


# --- reductions --------------------------------------------------------------------------
axes_of = st.one_of(st.none(), st.integers(0, 2), st.lists(st.integers(0, 2), min_size=1,
                                                            max_size=3, unique=True))


@pytest.mark.parametrize("name", ["sum", "mean", "max", "min"])
@FEW
@given(shape=array_shapes(min_dims=3, max_dims=3, max_side=3), axis=axes_of,
       keepdims=st.booleans(), seed=seeds)
def test_reduction_gradients(name, shape, axis, keepdims, seed):
    x = distinct(np.random.default_rng(seed), shape)
    assert gradcheck(lambda t: getattr(t, name)(axis=axis, keepdims=keepdims), [x])


def test_max_shares_gradient_between_ties():
    x = Tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]], requires_grad=True)
    x.max(axis=1).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]]


def test_negative_axis_and_keepdims_shapes():
    x = Tensor(np.ones((2, 3, 4)))
    assert x.sum(axis=-1).shape == (2, 3)
    assert x.mean(axis=(0, -1), keepdims=True).shape == (1, 3, 1)
    assert x.max().shape == ()


# --- softmax -------------------------------------------------------------------------------
@pytest.mark.parametrize("fn", [softmax, log_softmax])
@FEW
@given(shape=shapes, seed=seeds, data=st.data())
def test_softmax_gradients(fn, shape, seed, data):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = np.random.default_rng(seed).standard_normal(shape)
    assert gradcheck(lambda t: fn(t, axis=axis), [x])


def test_softmax_does_not_overflow_at_large_logits():
    x = Tensor([[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 999.0]], requires_grad=True)
    probabilities = x.softmax(axis=1)
    log_probabilities = x.log_softmax(axis=1)
    assert np.all(np.isfinite(probabilities.data)) and np.all(np.isfinite(log_probabilities.data))
    assert np.allclose(probabilities.data.sum(axis=1), 1.0)
    assert np.allclose(log_probabilities.data[0], [0.0, -1000.0, -2000.0])
    log_probabilities[np.arange(2), np.array([0, 2])].sum().backward()
    assert np.all(np.isfinite(x.grad))
    assert gradcheck(lambda t: t.log_softmax(axis=1), [x.data])


def test_sigmoid_is_stable_at_large_inputs():
    x = Tensor([-1000.0, 1000.0], requires_grad=True)
    y = x.sigmoid()
    y.sum().backward()
    assert y.data.tolist() == [0.0, 1.0] and x.grad.tolist() == [0.0, 0.0]


# --- shapes and indexing -------------------------------------------------------------------
SHAPE_OPS = {
    "reshape": lambda x: x.reshape(-1) * 2.0,
    "reshape tuple": lambda x: x.reshape((x.size, 1)) * 2.0,
    "flatten": lambda x: x.flatten() * 2.0,
    "transpose": lambda x: x.transpose() * np.arange(x.size).reshape(x.shape[::-1]),
    "T": lambda x: x.T * np.arange(x.size).reshape(x.shape[::-1]),
    "broadcast_to": lambda x: x.broadcast_to((2,) + x.shape) * np.arange(2.0).reshape(
        (2,) + (1,) * x.ndim),
    "first row": lambda x: x[0] * 3.0,
    "slice": lambda x: x[..., ::2] * 3.0,
    "repeated integer array": lambda x: x[np.array([0, 0, -1])] * np.arange(1.0, 4.0).reshape(
        (3,) + (1,) * (x.ndim - 1)),
    "boolean mask": lambda x: x[x.data > 0] * 2.0,
}


@pytest.mark.parametrize("name", SHAPE_OPS)
@FEW
@given(shape=shapes, seed=seeds)
def test_shape_and_index_gradients(name, shape, seed):
    assert gradcheck(SHAPE_OPS[name], [away_from_zero(np.random.default_rng(seed), shape)])


def test_gather_each_rows_target():
    logits = np.random.default_rng(0).standard_normal((5, 4))
    targets = np.array([3, 0, 0, 2, 1])
    assert gradcheck(lambda z: z.log_softmax(axis=1)[np.arange(5), targets].mean(), [logits])


def test_transpose_with_axes_and_flatten_range():
    x = np.random.default_rng(1).standard_normal((2, 3, 4))
    assert gradcheck(lambda t: t.transpose(2, 0, 1).flatten(1) * np.arange(6.0), [x])


@pytest.mark.parametrize("fn", [concatenate, stack])
@FEW
@given(shape=shapes, count=st.integers(1, 3), seed=seeds, data=st.data())
def test_concatenate_and_stack_gradients(fn, shape, count, seed, data):
    rng = np.random.default_rng(seed)
    top = len(shape) if fn is concatenate else len(shape) + 1
    axis = data.draw(st.integers(0, top - 1))
    parts = [rng.standard_normal(shape) for _ in range(count)]
    weights = rng.standard_normal(fn([Tensor(p) for p in parts], axis=axis).shape)
    assert gradcheck(lambda *ts: fn(list(ts), axis=axis) * weights, parts)


# --- a small network end to end ---------------------------------------------------------------
def test_mlp_with_cross_entropy():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((6, 5))
    targets = rng.integers(0, 3, 6)

    def loss(w1, b1, w2, b2):
        hidden = (x @ w1 + b1).tanh()
        return -(hidden @ w2 + b2).log_softmax(axis=1)[np.arange(6), targets].mean()

    assert gradcheck(loss, [rng.standard_normal((5, 4)), rng.standard_normal(4),
                            rng.standard_normal((4, 3)), rng.standard_normal(3)])


@FEW
@given(n=st.integers(1, 5), classes=st.integers(2, 5), seed=seeds)
def test_fused_cross_entropy_matches_the_four_step_form_and_differences(n, classes, seed):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((n, classes)) * 3
    targets = rng.integers(0, classes, n)
    fused = cross_entropy(Tensor(logits), targets)
    by_steps = -Tensor(logits).log_softmax(axis=1)[np.arange(n), targets].mean()
    assert np.isclose(fused.item(), by_steps.item())
    assert gradcheck(lambda z: cross_entropy(z, targets), [logits])
    assert gradcheck(lambda z: grad(cross_entropy(z, targets), [z], create_graph=True)[0],
                     [logits])


def test_cross_entropy_is_stable_and_keeps_float32():
    logits = Tensor(np.array([[1000.0, -1000.0], [0.0, 1000.0]], np.float32), requires_grad=True)
    loss = cross_entropy(logits, [0, 0])
    loss.backward()
    assert loss.dtype == np.float32 and logits.grad.dtype == np.float32
    assert np.isclose(loss.item(), 500.0) and np.all(np.isfinite(logits.grad))
