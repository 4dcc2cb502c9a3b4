"""Every scalar operation: forward value, gradient against central differences."""

import math

import pytest

from autograd import Value, grad, gradcheck

UNARY = {
    # name: (function on a Value, reference on a float, point inside the domain)
    "neg": (lambda x: -x, lambda x: -x, 0.7),
    "abs": (abs, abs, -1.3),
    "exp": (Value.exp, math.exp, 0.4),
    "log": (Value.log, math.log, 2.5),
    "sqrt": (Value.sqrt, math.sqrt, 3.0),
    "tanh": (Value.tanh, math.tanh, 0.3),
    "sigmoid": (Value.sigmoid, lambda x: 1 / (1 + math.exp(-x)), -0.8),
    "relu": (Value.relu, lambda x: max(x, 0.0), 1.7),
    "leaky_relu": (lambda x: x.leaky_relu(0.1), lambda x: x if x > 0 else 0.1 * x, -2.0),
    "sin": (Value.sin, math.sin, 1.1),
    "cos": (Value.cos, math.cos, 1.1),
    "square": (lambda x: x ** 2, lambda x: x ** 2, -1.5),
    "cube root": (lambda x: x ** (1 / 3), lambda x: x ** (1 / 3), 8.0),
    "reciprocal": (lambda x: 1 / x, lambda x: 1 / x, 0.5),
    # a Value and a plain number, on either side (one node each, the number folded in)
    "x + number": (lambda x: x + 2, lambda x: x + 2, 0.3),
    "number + x": (lambda x: 2 + x, lambda x: 2 + x, 0.3),
    "x - number": (lambda x: x - 2, lambda x: x - 2, 0.3),
    "number - x": (lambda x: 2 - x, lambda x: 2 - x, 0.3),
    "x * number": (lambda x: x * -3, lambda x: x * -3, 0.3),
    "number * x": (lambda x: -3 * x, lambda x: -3 * x, 0.3),
    "x / number": (lambda x: x / 7, lambda x: x / 7, 0.3),
    "number / x": (lambda x: 7 / x, lambda x: 7 / x, 0.3),
    "number ** x": (lambda x: 1.7 ** x, lambda x: 1.7 ** x, 0.3),
}

BINARY = {
    "+": (lambda a, b: a + b, 1.5, -2.0),
    "-": (lambda a, b: a - b, 1.5, -2.0),
    "*": (lambda a, b: a * b, 1.5, -2.0),
    "/": (lambda a, b: a / b, 1.5, -2.0),
    "pow": (lambda a, b: a ** b, 1.5, -2.0),
    "number - value": (lambda a, b: 3 - a * b, 0.5, 2.0),
    "number / value": (lambda a, b: 3 / (a + b), 0.5, 2.0),
    "number ** value": (lambda a, b: 2 ** (a * b), 0.5, 2.0),
}


@pytest.mark.parametrize("name", UNARY)
def test_unary_forward_and_gradient(name):
    f, reference, x = UNARY[name]
    assert f(Value(x)).data == pytest.approx(reference(x), rel=1e-12)
    assert gradcheck(f, [x])


@pytest.mark.parametrize("name", BINARY)
def test_binary_gradient(name):
    f, a, b = BINARY[name]
    assert gradcheck(f, [a, b])


def test_micrograd_readme_example():
    # The published numbers from micrograd's README.
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b ** 3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e ** 2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert round(g.data, 4) == 24.7041
    assert round(a.grad, 4) == 138.8338
    assert round(b.grad, 4) == 645.5773


def test_fan_out_accumulates():
    a = Value(3.0)
    y = a * a  # two edges into a
    assert y.parents == (a, a)
    y.backward()
    assert a.grad == 6.0


def test_step_passes_no_gradient():
    x = Value(0.5)
    y = x.step()
    y.backward()
    assert (y.data, x.grad) == (1.0, 0.0)
    assert Value(-0.5).step().data == 0.0 and Value(0.0).step().data == 0.0


def test_relu_and_abs_at_zero_use_pytorch_convention():
    for f in (Value.relu, abs):
        x = Value(0.0)
        f(x).backward()
        assert x.grad == 0.0


@pytest.mark.parametrize("x, expected", [(1000.0, 1.0), (-1000.0, 0.0)])
def test_sigmoid_saturates_without_overflow(x, expected):
    v = Value(x)
    y = v.sigmoid()
    y.backward()
    assert y.data == expected and v.grad == 0.0


@pytest.mark.parametrize("x, expected", [(1000.0, 1.0), (-1000.0, -1.0)])
def test_tanh_saturates_without_overflow(x, expected):
    v = Value(x)
    y = v.tanh()
    y.backward()
    assert y.data == expected and v.grad == 0.0


def test_value_exponent_gradient():
    a, b = Value(2.0), Value(3.0)
    (a ** b).backward()
    assert a.grad == pytest.approx(3 * 2.0 ** 2)
    assert b.grad == pytest.approx(8 * math.log(2))


def test_value_exponent_of_negative_base_gives_nan_gradient():
    a, b = Value(-2.0), Value(2.0)
    y = a ** b
    y.backward()
    assert y.data == 4.0 and a.grad == -4.0 and math.isnan(b.grad)


def test_number_exponent_records_one_parent():
    x = Value(3.0)
    y = x ** 2
    assert y.parents == (x,) and y.attrs == {"exponent": 2.0}


def test_repr_reads_like_the_docs():
    x = Value(0.8814, label="n")
    o = x.tanh()
    o.label = "o"
    o.backward()
    assert repr(o) == "Value(data=0.7071, grad=1.0, label='o', op='tanh')"
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"


def test_gradients_of_unused_inputs_are_zero():
    x, unused = Value(2.0), Value(5.0)
    assert grad(x * 3, [x, unused]) == (3.0, 0.0)


def test_comparisons_and_float():
    assert Value(2.0) > 1 and Value(2.0) >= Value(2.0) and Value(1.0) < 2 and Value(1.0) <= 1
    assert float(Value(2.5)) == 2.5


def test_powers_at_zero_follow_pytorch():
    x = Value(0.0)
    y = x ** 0  # flat everywhere: value 1, slope 0
    y.backward()
    assert (y.data, x.grad) == (1.0, 0.0)
    x = Value(0.0)
    y = x ** 0.5  # sqrt: value 0, vertical tangent
    y.backward()
    assert y.data == 0.0 and x.grad == math.inf
    x = Value(0.0)
    (x ** 2).backward()
    assert x.grad == 0.0


def test_a_number_operand_is_folded_into_one_node():
    x = Value(3.0, label="x")
    cases = {"x+c": x + 2, "x-c": x - 2, "c-x": 2 - x, "x*c": x * 2, "x/c": x / 2,
             "c/x": 2 / x, "c**x": 2 ** x}
    for op, node in cases.items():
        assert node.op == op and node.parents == (x,) and node.attrs == {"constant": 2.0}
    assert (2 + x).op == "x+c" and (2 * x).op == "x*c"  # commutative: the same rule
    assert (x + 1).attrs is (x + 1.0).attrs  # one shared dict per number, not one per node


def test_a_folded_zero_keeps_its_sign():
    minus_zero = Value(-0.0)
    assert math.copysign(1.0, (minus_zero + -0.0).data) == -1.0
    assert math.copysign(1.0, (minus_zero + 0.0).data) == 1.0
    assert math.copysign(1.0, (Value(1.0) + -0.0).attrs["constant"]) == -1.0


def test_number_to_a_value_power_with_a_negative_base():
    x = Value(2.0)
    y = (-2) ** x
    y.backward()
    assert y.data == 4.0 and math.isnan(x.grad)  # ln of a negative base: nan, as PyTorch


def test_numpy_scalars_fold_like_floats():
    import numpy as np

    x = Value(3.0)
    y = np.float64(2.0) * x + np.int64(1)
    y.backward()
    assert y.data == 7.0 and x.grad == 2.0 and y.op == "x+c"


def test_shared_constant_attrs_are_read_only_and_nan_is_never_cached():
    x = Value(3.0)
    with pytest.raises(TypeError):
        (x + 1).attrs["constant"] = 5.0
    from autograd import value

    cached = len(value._SHARED_ATTRS)
    for _ in range(50):
        x * float("nan")  # nan != nan: a cached one could never be found again
    assert len(value._SHARED_ATTRS) == cached
    assert (x + 3.0).attrs is (x + 3.0).attrs


def test_a_graph_with_folded_numbers_pickles_and_copies():
    import copy
    import pickle

    x = Value(3.0, label="x")
    y = (x * 2 + 1).tanh()
    for clone in (pickle.loads(pickle.dumps(y)), copy.deepcopy(y)):
        (xc,) = clone.parents[0].parents[0].parents
        assert clone.data == y.data and clone.parents[0].attrs == {"constant": 1.0}
        clone.backward()
        assert xc.label == "x" and xc.grad == pytest.approx(2 * (1 - y.data ** 2))
        assert x.grad == 0.0  # the original graph is untouched
