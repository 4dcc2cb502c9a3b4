"""Tensor semantics: dtypes, the backward contract, graph fields, no_grad, detach, memory."""

import gc
import warnings
import weakref

import numpy as np
import pytest

from autograd import (
    Tensor,
    concatenate,
    grad,
    gradcheck,
    graph,
    maximum,
    minimum,
    no_grad,
    scope,
    stack,
    where,
)


# --- dtypes ------------------------------------------------------------------------------------
def test_dtype_follows_the_input():
    assert Tensor(np.ones(3, dtype=np.float32)).dtype == np.float32
    assert Tensor([1, 2, 3]).dtype == np.float64
    assert Tensor(2).dtype == np.float64
    assert Tensor(np.arange(3)).dtype == np.int64  # integer arrays stay integer (labels)


@pytest.mark.parametrize("operation", [
    lambda x: x * 0.5, lambda x: 0.5 * x, lambda x: x + 1, lambda x: 1 - x, lambda x: x / 3,
    lambda x: 2.0 / x, lambda x: x ** 2, lambda x: 2.0 ** x, lambda x: x.exp().log(),
    lambda x: x.sigmoid().tanh(), lambda x: x.softmax(), lambda x: x.log_softmax(),
    lambda x: x.relu().leaky_relu(0.2), lambda x: x.clip(-1, 1), lambda x: x.mean(axis=0),
    lambda x: x @ x.T, lambda x: x.max(axis=1, keepdims=True) - x,
])
def test_float32_stays_float32_in_values_and_gradients(operation):
    x = Tensor(np.random.default_rng(0).uniform(0.5, 1.5, (3, 3)).astype(np.float32),
               requires_grad=True)
    y = operation(x)
    assert y.dtype == np.float32
    y.backward(np.ones(y.shape, dtype=np.float32))
    assert x.grad.dtype == np.float32 and x.grad.shape == x.shape


def test_float32_parameter_in_float64_expression_gets_float32_gradient():
    w = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    (w * Tensor([1.0, 2.0])).sum().backward()
    assert w.grad.dtype == np.float32 and w.grad.tolist() == [1.0, 2.0]


# --- the backward contract ---------------------------------------------------------------------
def test_backward_on_non_scalar_needs_grad():
    y = Tensor(np.ones((2, 3)), requires_grad=True) * 2
    with pytest.raises(RuntimeError, match=r"shape \(2, 3\) needs grad="):
        y.backward()
    y.backward(np.full((2, 3), 0.5))
    assert y.parents[0].grad.tolist() == [[1.0] * 3] * 2


def test_backward_seed_of_wrong_shape_names_both_shapes():
    y = Tensor(np.ones((2, 3)), requires_grad=True) * 2
    with pytest.raises(ValueError, match=r"\(3,\).*\(2, 3\)"):
        y.backward(np.ones(3))


def test_backward_without_any_input_requiring_grad():
    y = (Tensor([1.0, 2.0]) * 2).sum()
    assert y.parents == () and not y.requires_grad
    with pytest.raises(RuntimeError, match="requires_grad=True"):
        y.backward()


def test_gradients_accumulate_and_leaves_own_them():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()
    assert a.grad is not b.grad  # both came from the same upstream array
    a.grad *= 10  # an optimiser may do this in place
    assert b.grad.tolist() == [1.0, 1.0]
    (a + b).sum().backward()
    assert a.grad.tolist() == [11.0, 11.0] and b.grad.tolist() == [2.0, 2.0]


def test_only_inputs_that_need_gradients_get_them():
    x = Tensor(np.ones((4, 3)))  # data: no gradient wanted
    w = Tensor(np.ones((3, 2)), requires_grad=True)
    loss = (x @ w).relu().sum()
    edges = []
    graph.propagate(loss, np.ones(()), on_edge=lambda node, index, *_: edges.append(
        (node.op, index)))
    assert ("matmul", 0) not in edges and ("matmul", 1) in edges
    loss.backward()
    assert x.grad is None and w.grad.tolist() == [[4.0, 4.0]] * 3


def test_tensor_graph_nodes_carry_what_the_visualiser_reads():
    x = Tensor([1.0, -2.0], requires_grad=True, label="x", role="input")
    with scope("layer"):
        y = x.leaky_relu(0.1).sum(axis=0)
    assert (x.label, x.role, x.op, x.parents) == ("x", "input", "", ())
    assert y.op == "reduce_sum" and y.attrs == {"axis": (0,), "keepdims": False}
    assert y.scope == ("layer",) and y.parents[0].op == "leaky_relu"
    assert y.parents[0].attrs == {"slope": 0.1}
    assert [n.op for n in graph.topological_order(y)] == ["", "leaky_relu", "reduce_sum"]
    constant = (x * 2.0).parents[1]
    assert constant.role == "constant" and constant.data == 2.0


def test_backward_fills_intermediate_gradients_too():
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * 3.0
    h.sum().backward()
    assert h.grad.tolist() == [1.0, 1.0] and x.grad.tolist() == [3.0, 3.0]


def test_zero_grad_clears_the_graph():
    x = Tensor([1.0], requires_grad=True)
    y = (x * 2).sum()
    y.backward()
    y.zero_grad()
    assert x.grad is None and y.grad is None


# --- no_grad, detach, create_graph -----------------------------------------------------------
def test_no_grad_records_nothing():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with no_grad():
        y = x * 3
    assert y.parents == () and not y.requires_grad and y.data.tolist() == [3.0, 6.0]


def test_detach_cuts_the_graph_and_shares_data():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x * 3).detach()
    assert y.parents == () and not y.requires_grad
    z = (x * y).sum()
    z.backward()
    assert x.grad.tolist() == [3.0, 6.0] and y.grad is None


def test_second_derivative_of_elementwise_ops_by_hand():
    x = Tensor([0.5, -1.0, 2.0], requires_grad=True)
    (first,) = grad((x ** 3 + x.sin()).sum(), [x], create_graph=True)
    assert np.allclose(first.data, 3 * x.data ** 2 + np.cos(x.data))
    (second,) = grad(first.sum(), [x])
    assert np.allclose(second, 6 * x.data - np.sin(x.data))


ELEMENTWISE = {
    "tanh": lambda x: x.tanh(), "sigmoid": lambda x: x.sigmoid(), "exp": lambda x: x.exp(),
    "log": lambda x: (x * x + 1.0).log(), "sqrt": lambda x: (x * x + 1.0).sqrt(),
    "div": lambda x: 1.0 / (x * x + 1.0), "pow": lambda x: (x * x + 1.0) ** x,
    "softmax": lambda x: x.softmax() * np.arange(1.0, 5.0),
    "log_softmax": lambda x: x.log_softmax() * np.arange(1.0, 5.0),
    "max": lambda x: x.max() * x, "mean": lambda x: x.mean(axis=0) * x,
    "index": lambda x: x[np.array([0, 0, 3])] * x[1:4],
    "leaky_relu": lambda x: x.leaky_relu(0.1) * x,
    "abs": lambda x: x.abs() * x * x,
    "sub and neg": lambda x: -(x - x * x) * x,
    "min": lambda x: x.min() * x,
    "clip": lambda x: x.clip(-0.5, 0.5) * x,
    "where": lambda x: where(x > 0, x * x, x ** 3),
    "maximum": lambda x: maximum(x * x, x) * x,
    "minimum": lambda x: minimum(x * x, 0.2) * x,
    "shapes": lambda x: (x.reshape(2, 2).T * x.reshape(2, 2)).broadcast_to((3, 2, 2)).sum(0),
    "concatenate and stack": lambda x: concatenate([x * x, stack([x, x]).sum(axis=0)]) * 1.5,
    "cos and sin": lambda x: x.cos() * x.sin(),
}


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_second_derivatives_match_finite_differences(name):
    f = ELEMENTWISE[name]
    x = np.array([0.3, -0.7, 1.1, 0.45])
    # gradcheck of the gradient: d/dx of (d Σf / dx), built with create_graph=True
    assert gradcheck(lambda t: grad(f(t).sum(), [t], create_graph=True)[0], [x])


def test_second_derivatives_through_matmul_and_broadcasting():
    rng = np.random.default_rng(0)
    w0, x0, b0 = rng.standard_normal((3, 2)), rng.standard_normal((4, 3)), rng.standard_normal(2)

    def gradient_wrt_w(w, x, b):
        return grad(((x @ w + b).tanh() ** 2).sum(), [w], create_graph=True)[0]

    assert gradcheck(gradient_wrt_w, [w0, x0, b0])


def test_grad_of_unused_input_is_zeros():
    x = Tensor([1.0, 2.0], requires_grad=True)
    unused = Tensor(np.ones((2, 2)), requires_grad=True)
    gx, gu = grad((x * x).sum(), [x, unused])
    assert gx.tolist() == [2.0, 4.0] and gu.tolist() == [[0.0, 0.0], [0.0, 0.0]]


# --- memory ------------------------------------------------------------------------------------
def test_graph_is_freed_by_reference_counting():
    gc.disable()
    try:
        x = Tensor(np.ones((3, 2)), requires_grad=True)
        y = (x @ Tensor(np.ones((2, 2)), requires_grad=True)).relu().log_softmax().sum()
        y.backward()
        probe = weakref.ref(y.parents[0])
        del y
        assert probe() is None  # no reference cycles keep the graph alive
    finally:
        gc.enable()


# --- numerics of log -------------------------------------------------------------------------
def test_log_of_zero_and_negative_follows_numpy_with_one_warning():
    x = Tensor([1.0, 0.0, -1.0], requires_grad=True)
    with pytest.warns(RuntimeWarning, match="log of 2 entries <= 0") as record:
        y = x.log()
    assert len(record) == 1
    assert y.data[0] == 0.0 and y.data[1] == -np.inf and np.isnan(y.data[2])
    with warnings.catch_warnings(record=True) as later:
        warnings.simplefilter("always")
        y.backward(np.ones(3))  # 1/x: inf at 0, as PyTorch; no second warning
    assert later == [] and x.grad[1] == np.inf


def test_sqrt_of_negative_is_nan_with_one_warning():
    with pytest.warns(RuntimeWarning, match="sqrt of 1 negative entry") as record:
        y = Tensor([4.0, -1.0]).sqrt()
    assert len(record) == 1 and y.data[0] == 2.0 and np.isnan(y.data[1])


@pytest.mark.parametrize("combine", [
    lambda a, b: a.T + b.T, lambda a, b: a.reshape(-1) + b.reshape(-1),
    lambda a, b: a + b, lambda a, b: a - b, lambda a, b: (a + b).sum(axis=0),
])
def test_each_leaf_gradient_is_its_own_writable_array(combine):
    a = Tensor(np.ones((2, 3)), requires_grad=True)
    b = Tensor(np.ones((2, 3)), requires_grad=True)
    out = combine(a, b)
    out.backward(np.ones(out.shape))
    before = b.grad.copy()
    a.grad *= 10  # in place, as an optimiser might
    assert np.array_equal(b.grad, before) and not np.shares_memory(a.grad, b.grad)


def test_grad_of_a_non_scalar_output_asks_for_a_reduction():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"shape \(2,\).*y.sum\(\)"):
        grad(x * 2, [x])


# --- Tensors in Python's truth tests, float() and for loops -------------------------------
def test_truth_value_of_one_entry_is_that_entry_and_of_several_is_an_error():
    assert not Tensor(0.0) and Tensor([2.0]) and float(Tensor([[2.5]])) == 2.5
    with pytest.raises(ValueError, match=r"shape \(3,\).*any\(\)"):
        bool(Tensor(np.zeros(3)))  # not silently True because it has entries
    with pytest.raises(ValueError, match=r"float\(\) .*shape \(2,\)"):
        float(Tensor([1.0, 2.0]))


def test_iterating_gives_rows_and_a_zero_dimensional_tensor_says_why_not():
    rows = list(Tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert [row.data.tolist() for row in rows] == [[1.0, 2.0], [3.0, 4.0]]
    with pytest.raises(TypeError, match=r"0-d Tensor.*item\(\)"):
        list(Tensor(1.0))  # not silently empty


def test_grad_returns_writable_arrays_of_its_own():
    import numpy as np

    from autograd import Tensor, grad

    w = Tensor(np.ones(3), requires_grad=True)
    (g,) = grad(w.sum(), [w])
    g *= 0.5  # a broadcast view would raise "output array is read-only"
    assert np.array_equal(g, [0.5, 0.5, 0.5])
    column = w.reshape(3, 1)
    a, b = grad((column * 2.0).sum() + w.sum(), [w, column])
    assert not np.shares_memory(a, b)
