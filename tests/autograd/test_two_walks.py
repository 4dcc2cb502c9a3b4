"""The reference walk (graph.propagate) and its optimised twin (fast_backward, run by
backward()) give the same gradients to the last bit, on random graphs of Values and of
Tensors, for first and second derivatives, and take the nodes in the same order."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from random_graphs import inputs_strategy, program_strategy, run

from autograd import Tensor, Value, grad, graph, topological_order


def same(a, b) -> bool:
    """Equal to the last bit (nan equals nan): the two walks add in the same order."""
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


def assert_walks_agree(out):
    reference = graph.propagate(out, out._seed(False))
    for node in topological_order(out):
        node.grad = 0.0 if isinstance(node, Value) else None
    out.backward()
    for node in topological_order(out):
        expected = reference.get(node)
        if expected is None:  # the gradient never reached it
            assert node.grad in (0.0, None)
        else:
            assert same(node.grad, expected), (node, node.grad, expected)


@given(program_strategy, inputs_strategy)
def test_values_first_and_second_order(program, inputs):
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(inputs)]
    out = run(program, leaves, [])
    assert_walks_agree(out)
    first = grad(out, leaves[:1], create_graph=True)[0]  # a graph of its own
    if isinstance(first, Value) and first.parents:
        assert_walks_agree(first)


SHAPE = (2, 3)
UNARY = {
    "tanh": lambda x: x.tanh(), "sigmoid": lambda x: x.sigmoid(), "sin": lambda x: x.sin(),
    "relu": lambda x: x.relu(), "exp∘tanh": lambda x: x.tanh().exp(),
    "square": lambda x: x ** 2, "x*0.5": lambda x: x * 0.5, "1-x": lambda x: 1 - x,
    "row sum": lambda x: x + x.sum(axis=0, keepdims=True),
    "mean": lambda x: x - x.mean(),
    "matmul": lambda x: x @ Tensor(np.linspace(-1, 1, 9).reshape(3, 3)),
    "softmax": lambda x: x.softmax(axis=1),
    "reshape": lambda x: x.reshape(3, 2).T,
}
BINARY = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: a / (b * b + 1),
    "broadcast": lambda a, b: a * b[0],
}
tensor_program = st.lists(st.one_of(
    st.tuples(st.sampled_from(sorted(UNARY)), st.integers(0, 99)),
    st.tuples(st.sampled_from(sorted(BINARY)), st.integers(0, 99), st.integers(0, 99)),
), min_size=1, max_size=8)


def run_tensors(program, leaves):
    pool = list(leaves)
    for name, *operands in program:
        args = [pool[i % len(pool)] for i in operands]
        pool.append((UNARY if len(args) == 1 else BINARY)[name](*args))
    total = leaves[0].sum()
    for node in pool[len(leaves):]:
        total = total + node.tanh().sum()
    return total


@settings(max_examples=60, deadline=None)
@given(tensor_program, st.integers(0, 2**16), st.booleans())
def test_tensors_first_and_second_order_and_the_order_of_nodes(program, seed, data_leaf):
    rng = np.random.default_rng(seed)
    leaves = [Tensor(rng.uniform(-1, 1, SHAPE), requires_grad=True, label="a"),
              Tensor(rng.uniform(-1, 1, SHAPE), requires_grad=not data_leaf, label="b")]
    out = run_tensors(program, leaves)
    assert_walks_agree(out)

    taken = []  # the order backward() completes the nodes in
    original = Tensor._accumulate

    def spy(node, gradient):
        taken.append(node)
        original(node, gradient)

    Tensor._accumulate = spy
    try:
        out.backward()
    finally:
        Tensor._accumulate = original
    reached = graph.propagate(out, out._seed(False))
    assert taken == [n for n in reversed(topological_order(out)) if n in reached]

    first = grad(out, leaves[:1], create_graph=True)[0]
    if first.parents:
        assert_walks_agree(first.sum())
