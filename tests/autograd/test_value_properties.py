"""Property tests: random expression graphs over every operation vs central differences."""

import math

from hypothesis import given
from random_graphs import inputs_strategy, program_strategy, run

from autograd import Value, grad, gradcheck


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
