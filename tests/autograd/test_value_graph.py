"""The backward pass: order, accumulation, no recursion, no cycles, no_grad, detach."""

import gc
import math
import sys
import threading
import weakref

import pytest

from autograd import Value, dot, grad, graph, no_grad, scope, sum_values, topological_order
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
    assert z.parents == (a,) and z.op == "x*c" and z.attrs == {"constant": 3.0}
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


def test_a_walk_interrupted_by_an_exception_leaves_no_trace():
    a, b = Value(2.0), Value(-3.0)
    d = a * b + a

    def fail(*edge):
        raise KeyError("stop")

    with pytest.raises(KeyError):
        graph.propagate(d, 1.0, on_edge=fail)
    d.backward()
    assert (a.grad, b.grad) == (-2.0, 2.0)  # d = ab + a: dd/da = b + 1, dd/db = a


def test_a_walk_may_start_inside_an_on_edge_hook():
    # The reference walk keeps its bookkeeping in dicts, so a hook may walk again.
    a = Value(2.0)
    y = a * a
    inner = []
    graph.propagate(y, 1.0, on_edge=lambda *edge: inner.append(grad(y, [a])[0]))
    assert inner == [4.0, 4.0]
    y.backward()
    assert a.grad == 4.0


def test_threads_backpropagating_through_shared_parameters_get_every_gradient():
    w = Value(0.5, label="w")
    xs = [0.01 * i for i in range(200)]

    def train(part):
        for x in part:
            ((w * x + w).tanh() * 2).backward()

    threads = [threading.Thread(target=train, args=(xs[i::4],)) for i in range(4)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads very often, so walks would interleave
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    expected = sum(2 * (1 - math.tanh(0.5 * x + 0.5) ** 2) * (x + 1) for x in xs)
    assert w.grad == pytest.approx(expected, rel=1e-12)


class _InterruptingGrad(float):
    """A .grad that raises KeyboardInterrupt when backward() adds to it (a Ctrl-C)."""

    def __add__(self, other):
        raise KeyboardInterrupt


def test_a_backward_cut_short_leaves_no_trace_and_a_cut_clean_up_is_finished_later(
        monkeypatch):
    from autograd import fast_backward

    x = Value(1.0)
    y = x
    for _ in range(50):
        y = y * 1.0 + 0.0
    middle = y
    for _ in range(50):
        y = y * 1.0 + 0.0
    middle.grad = _InterruptingGrad(0.0)
    with pytest.raises(KeyboardInterrupt):  # the walk stops half-way and cleans up
        y.backward()
    assert not any(node._waiting or node._pending is not None
                   for node in topological_order(y))
    real_clear, calls = fast_backward._clear, []

    def clear_interrupted_once(root):  # a second Ctrl-C lands during the clean-up
        calls.append(root)
        if len(calls) == 1:
            raise KeyboardInterrupt
        real_clear(root)

    monkeypatch.setattr(fast_backward, "_clear", clear_interrupted_once)
    with pytest.raises(KeyboardInterrupt):
        y.backward()
    assert any(node._waiting for node in topological_order(y))  # counts left half-way
    middle.grad = 0.0
    y.zero_grad()
    y.backward()  # finishes the clean-up first, then walks
    assert x.grad == 1.0 and len(calls) == 2 and len(topological_order(y)) == 201


def test_a_cycle_made_by_hand_gets_a_clear_error_and_leaves_no_trace():
    a = Value(2.0)
    b = a * 3
    c = b * a  # 3a², dc/da = 6a
    b.parents = (c,)
    with pytest.raises(RuntimeError, match="cycle"):
        grad(c, [a])
    with pytest.raises(RuntimeError, match="cycle"):
        topological_order(c)
    b.parents = (a,)
    assert grad(c, [a]) == (12.0,)


def test_walking_from_something_that_is_not_a_node_says_so():
    with pytest.raises(TypeError, match="starts from a Value or Tensor, got 3.0"):
        topological_order(3.0)
