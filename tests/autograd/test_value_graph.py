"""The backward pass: order, accumulation, no recursion, no cycles, no_grad, detach."""

import gc
import weakref

import pytest

from autograd import Value, dot, no_grad, scope, sum_values, topological_order
from autograd.state import enable_grad, is_grad_enabled


def test_topological_order_puts_parents_first():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    order = topological_order(d)
    assert order.index(a) < order.index(c) < order.index(d)
    assert order.index(b) < order.index(c)
    assert len(order) == len(set(order)) == 4


def test_backward_twice_doubles_every_gradient():
    a, b = Value(2.0), Value(-3.0)
    c = (a * b).tanh() + b
    c.backward()
    first = [a.grad, b.grad, c.grad]
    c.backward()
    assert [a.grad, b.grad, c.grad] == [2 * g for g in first]


def test_zero_grad_resets_the_whole_graph():
    a = Value(2.0)
    y = (a * a).exp()
    y.backward()
    y.zero_grad()
    assert all(node.grad == 0.0 for node in topological_order(y))
    y.backward()
    assert a.grad == pytest.approx(4 * 2.718281828 ** 4, rel=1e-6)


def test_million_operation_chain_backpropagates_without_recursion():
    x = Value(0.0)
    y = x
    for _ in range(1_000_000):
        y = y + 1
    y.backward()
    assert y.data == 1_000_000 and x.grad == 1.0


def test_deleting_the_output_frees_the_graph_without_the_cycle_collector():
    gc.disable()
    try:
        a = Value(2.0)
        hidden = (a * 3).tanh()
        out = hidden * hidden + dot([a], [hidden]) + sum_values([a, hidden])
        out.backward()
        watcher = weakref.ref(hidden)
        del hidden, out
        assert watcher() is None  # freed by reference counting alone
    finally:
        gc.enable()


def test_no_grad_records_no_parents_and_restores_state():
    a = Value(2.0)
    with no_grad():
        assert not is_grad_enabled()
        y = a * 3
        with enable_grad():
            z = a * 3
    assert is_grad_enabled()
    assert y.parents == () and y.op == "" and y.data == 6.0
    assert z.parents[0] is a and z.op == "*"
    y.backward()
    assert a.grad == 0.0


def test_detach_cuts_the_graph():
    a = Value(2.0)
    b = (a * 3).detach()
    (b * a).backward()
    assert b.parents == () and b.data == 6.0 and a.grad == 6.0


def test_dot_and_sum_values_are_single_nodes_with_the_right_gradients():
    w = [Value(0.5), Value(-1.0)]
    x = [Value(2.0), Value(3.0)]
    b = Value(0.25)
    y = dot(w, x, b)
    assert y.op == "dot" and len(y.parents) == 5 and y.data == pytest.approx(-1.75)
    y.backward()
    assert [v.grad for v in w] == [2.0, 3.0]
    assert [v.grad for v in x] == [0.5, -1.0]
    assert b.grad == 1.0
    s = sum_values(x + [4])
    assert s.op == "sum" and s.data == 9.0


def test_dot_without_bias():
    assert dot([Value(2.0)], [Value(3.0)]).data == 6.0


def test_scope_tags_nodes():
    with scope("layer 0"):
        with scope("neuron 1"):
            y = Value(1.0) * 2
    assert y.scope == ("layer 0", "neuron 1")
    assert (Value(1.0) + 1).scope == ()
