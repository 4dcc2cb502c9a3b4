import numpy as np
import pytest

from nn import Perceptron, logic_gate


@pytest.mark.parametrize("gate", ["and", "or", "nand"])
def test_perceptron_learns_linearly_separable_gates_within_20_epochs(gate):
    X, y = logic_gate(gate)
    p = Perceptron(2)
    errors = p.fit(X, y, epochs=20, lr=1.0)
    assert errors[-1] == 0 and len(errors) <= 20
    assert p.predict(X).tolist() == y.tolist()


def test_perceptron_never_gets_xor_right():
    X, y = logic_gate("xor")
    p = Perceptron(2)
    errors = p.fit(X, y, epochs=100)
    assert len(errors) == 100 and min(errors) > 0
    assert np.mean(p.predict(X) == y) < 1.0


def test_forward_is_a_step_of_a_dot_product_in_the_graph():
    p = Perceptron(2)
    p.w[0].data, p.w[1].data, p.b.data = 1.0, 1.0, -1.5
    out = p([1.0, 1.0])
    assert out.op == "step" and out.parents[0].op == "dot" and out.data == 1.0
    assert len(p.parameters()) == 3 and repr(p) == "Perceptron(2)"


def test_bad_perceptron_input():
    p = Perceptron(2)
    with pytest.raises(ValueError, match="expects 2 inputs, got 3"):
        p([1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="targets must be 0 or 1"):
        p.fit([[0, 0]], [2])
    with pytest.raises(ValueError, match="lr must be a number > 0"):
        p.fit([[0, 0]], [1], lr=0)


def test_fit_keeps_weights_as_plain_floats():
    from nn import Perceptron, logic_gate

    p = Perceptron(2)
    p.fit(*logic_gate("and"))
    assert all(type(v.data) is float for v in p.parameters())
