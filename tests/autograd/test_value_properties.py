"""Property tests: random expression graphs over every operation vs central differences.

A random program applies operations to a growing pool of nodes (operands are drawn
from the whole pool, so nodes fan out and the graph is a true DAG). An operation whose
operands fall outside its domain, or next to a kink, is swapped for tanh, which is
smooth everywhere; that keeps finite differences meaningful without discarding examples.
"""

import math

from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, dot, grad, gradcheck, sum_values

KINK = 1e-3  # finite differences are meaningless this close to a corner


def away_from_zero(x):
    return abs(x) > KINK


UNARY = {
    "neg": (lambda x: -x, lambda x: True),
    "abs": (abs, away_from_zero),
    "exp": (Value.exp, lambda x: x < 8),
    "log": (Value.log, lambda x: x > 0.1),
    "sqrt": (Value.sqrt, lambda x: x > 0.1),
    "tanh": (Value.tanh, lambda x: True),
    "sigmoid": (Value.sigmoid, lambda x: True),
    "relu": (Value.relu, away_from_zero),
    "leaky_relu": (lambda x: x.leaky_relu(0.05), away_from_zero),
    "step": (Value.step, away_from_zero),
    "sin": (Value.sin, lambda x: True),
    "cos": (Value.cos, lambda x: True),
    "square": (lambda x: x ** 2, lambda x: True),
    "power 1.5": (lambda x: x ** 1.5, lambda x: x > 0.1),
    "reciprocal": (lambda x: x ** -1, lambda x: abs(x) > 0.1),
}
BINARY = {
    "+": (lambda a, b: a + b, lambda a, b: True),
    "-": (lambda a, b: a - b, lambda a, b: True),
    "*": (lambda a, b: a * b, lambda a, b: True),
    "/": (lambda a, b: a / b, lambda a, b: abs(b) > 0.1),
    "pow": (lambda a, b: a ** b, lambda a, b: 0.1 < a < 10 and abs(b) < 3),
    "dot": (lambda a, b: dot([a, b], [b, 0.5], bias=a), lambda a, b: True),
    "sum": (lambda a, b: sum_values([a, b, a]), lambda a, b: True),
}

instruction = st.one_of(
    st.tuples(st.sampled_from(sorted(UNARY)), st.integers(0, 10**6)),
    st.tuples(st.sampled_from(sorted(BINARY)), st.integers(0, 10**6), st.integers(0, 10**6)),
)
program_strategy = st.lists(instruction, min_size=1, max_size=12)
inputs_strategy = st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=3)


def run(program, inputs, decisions):
    """Execute ``program`` on ``inputs`` (Values).

    ``decisions`` says, per instruction, whether its operation is applied or swapped for
    tanh. The first run fills it at the point being checked; runs at x ± eps reuse it,
    so every run computes the same smooth function.
    """
    pool = list(inputs)
    for step, (name, *operands) in enumerate(program):
        args = [pool[i % len(pool)] for i in operands]
        fn, in_domain = (UNARY if len(args) == 1 else BINARY)[name]
        if len(decisions) <= step:
            decisions.append(in_domain(*[a.data for a in args]))
        if not decisions[step]:
            fn = lambda a, *_: a.tanh()  # noqa: E731
        out = fn(*args)
        if abs(out.data) > 1e3:  # keep magnitudes where float64 differences are accurate
            out = out.tanh()
        pool.append(out)
    return sum_values(pool[len(inputs):])


@given(program_strategy, inputs_strategy)
def test_random_graphs_match_central_differences(program, inputs):
    decisions = []
    run(program, [Value(x) for x in inputs], decisions)
    assert gradcheck(lambda *xs: run(program, xs, decisions), inputs, atol=1e-4, rtol=1e-4)


@given(program_strategy, inputs_strategy)
def test_backward_matches_grad_and_second_order_matches_differences(program, inputs):
    decisions = []
    leaves = [Value(x) for x in inputs]
    out = run(program, leaves, decisions)
    expected = grad(out, leaves)
    out.backward()
    assert [leaf.grad for leaf in leaves] == list(expected)
    # d/dx0 of the first derivative, against differences of the first derivative
    (first,) = grad(out, leaves[:1], create_graph=True)
    if not isinstance(first, Value) or not first.parents:
        return
    (second,) = grad(first, leaves[:1])
    eps = 1e-5

    def first_at(x0):
        xs = [Value(x0)] + [Value(x) for x in inputs[1:]]
        return grad(run(program, xs, decisions), xs[:1])[0]

    numeric = (first_at(inputs[0] + eps) - first_at(inputs[0] - eps)) / (2 * eps)
    assert math.isclose(second, numeric, rel_tol=1e-3, abs_tol=1e-3)
