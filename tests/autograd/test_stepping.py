"""backward_steps, explain and forward mode agree with backward() on random graphs."""

import math

import pytest
from hypothesis import assume, given
from random_graphs import inputs_strategy, program_strategy, run

from autograd import Value, backward_steps, derivative, explain, grad, gradcheck


def build(program, inputs):
    decisions = []
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(inputs)]
    return leaves, run(program, leaves, decisions), decisions


@given(program_strategy, inputs_strategy)
def test_consuming_every_step_equals_backward(program, inputs):
    leaves, out, decisions = build(program, inputs)
    steps = list(backward_steps(out))
    stepped = {id(n): n.grad for n in [out, *leaves]}
    twin_leaves = [Value(x) for x in inputs]
    twin = run(program, twin_leaves, decisions)
    twin.backward()
    assert [leaf.grad for leaf in leaves] == [leaf.grad for leaf in twin_leaves]
    assert stepped[id(out)] == 1.0
    for step in steps:  # every step is upstream × local, and totals add up
        assert step.contribution == step.upstream * step.local
        before = 0.0 if step.grad_before is None else step.grad_before
        assert step.grad_after == before + step.contribution


@given(program_strategy, inputs_strategy)
def test_explain_total_matches_grad_and_finite_differences(program, inputs):
    leaves, out, decisions = build(program, inputs)
    for leaf in leaves:
        explanation = explain(out, wrt=leaf, path_limit=50)
        (expected,) = grad(out, [leaf])
        assert math.isclose(explanation.total, expected, rel_tol=1e-9, abs_tol=1e-12)
        if explanation.paths:
            assert len(explanation.paths) == explanation.path_count
            for path in explanation.paths:  # each path runs from the root down to leaf
                assert path.factors[0].node is out and path.factors[-1].parent is leaf
    assert gradcheck(lambda *xs: run(program, xs, decisions), inputs, atol=1e-4, rtol=1e-4)


@given(program_strategy, inputs_strategy)
def test_forward_mode_matches_reverse_mode(program, inputs):
    assume(not any(name in ("dot", "sum") for name, *_ in program))  # Value-only functions
    leaves, out, decisions = build(program, inputs)
    reverse = grad(out, leaves[:1])[0]

    def f(x0):  # vary the first input, hold the others
        from autograd.forward_mode import Dual
        return run(program, [x0] + [Dual(x) for x in inputs[1:]], decisions)

    assert math.isclose(derivative(f, inputs[0]), reverse, rel_tol=1e-9, abs_tol=1e-12)


def test_steps_show_accumulation_where_a_node_fans_out():
    a = Value(3.0, label="a")
    y = a * a
    y.label = "y"
    first, second = list(backward_steps(y))
    assert first.grad_before is None and not first.accumulates
    assert second.accumulates and second.grad_before == 3.0 and second.grad_after == 6.0
    assert a.grad == 6.0
    assert str(second).startswith("dy/da += dy/dy · dy/da = 1 · 3 = 3")
    assert first.formula == "d(a*b)/da = b = 3"


def test_steps_update_grad_lazily_as_they_are_consumed():
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    steps = backward_steps(c)
    assert a.grad == 0.0
    next(steps)
    assert c.grad == 1.0 and a.grad == -3.0 and b.grad == 0.0
    next(steps)
    assert b.grad == 2.0


def test_explain_text_for_the_worked_example():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    d = c + a
    d.label = "d"
    L = d * c
    L.label = "L"
    text = str(explain(L, wrt=a))
    assert text.splitlines()[0] == "dL/da = dL/dd · dd/dc · dc/da + dL/dd · dd/da + dL/dc · dc/da"
    assert text.splitlines()[-1].endswith("= 24")
    assert "| dc/da | `d(a*b)/da = b` | -3 |" in explain(L, wrt=a)._repr_markdown_()


def test_explain_switches_to_per_node_form_over_the_path_limit():
    x = Value(0.5, label="x")
    y = x
    for _ in range(6):
        y = y * y + y  # 3 paths per stage: 3**6 = 729 in all
    y.label = "L"
    explanation = explain(y, wrt=x)
    assert explanation.path_count == 729 and explanation.paths == []
    assert "729 paths lead from x to L" in str(explanation)
    assert explanation.total == pytest.approx(grad(y, [x])[0])


def test_explain_of_an_unreachable_input_is_zero():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    out = a * 2
    out.label = "out"
    explanation = explain(out, wrt=b)
    assert explanation.total == 0.0 and "does not reach" in str(explanation)


def test_derivative_of_closed_forms():
    assert derivative(lambda x: x ** 3, 2.0) == pytest.approx(12.0)
    assert derivative(lambda x: x.sin() * x.exp(), 0.7) == pytest.approx(
        math.exp(0.7) * (math.sin(0.7) + math.cos(0.7)))
    with pytest.raises(TypeError, match="forward mode works on numbers"):
        derivative(lambda x: x + "a", 1.0)


def test_steps_on_a_fresh_tensor_graph_end_where_backward_does():
    import numpy as np

    from autograd import Tensor

    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    w = Tensor(np.array([0.5, -3.0]), requires_grad=True)
    steps = list(backward_steps((x * w).tanh().sum()))
    twin_x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    twin_w = Tensor(np.array([0.5, -3.0]), requires_grad=True)
    (twin_x * twin_w).tanh().sum().backward()
    assert len(steps) == 4  # sum <- tanh <- * <- (x, w)
    assert np.array_equal(x.grad, twin_x.grad) and np.array_equal(w.grad, twin_w.grad)


def test_explain_on_a_tensor_graph_says_what_to_use_instead():
    import numpy as np

    from autograd import Tensor

    x = Tensor(np.ones((2, 2)), requires_grad=True, label="x")
    with pytest.raises(TypeError, match=r"explain\(\) .*Value.*backward_steps"):
        explain((x * x).sum(), x)  # not an AttributeError from inside the engine


def test_forward_mode_takes_no_derivative_with_respect_to_a_number():
    # 0 ** v is 0 for every v > 0: d/dv = 0 in both modes (as PyTorch), not 0 · ln 0 = nan;
    # nothing is differentiated w.r.t. the 0
    x = Value(0.5)
    (reverse,) = grad(0 ** x, [x])
    assert derivative(lambda v: 0 ** v, 0.5) == 0.0 and reverse == 0.0
    assert derivative(lambda v: 2 - v * 3 + 1 / v, 2.0) == -3.25  # -3 - 1/v²


def test_a_tensor_step_prints_its_vjp_result_not_a_missing_local_number():
    import numpy as np

    from autograd import Tensor

    x = Tensor(np.array([1.0, 2.0]), requires_grad=True, label="x")
    lines = [str(step) for step in backward_steps((x * x).sum())]
    assert "None" not in " ".join(lines)
    assert lines[1].startswith("dL/dx = dL/dv1 · dv1/dx = [1. 2.]")
    assert lines[2].startswith("dL/dx += dL/dv1 · dv1/dx = [1. 2.]")
