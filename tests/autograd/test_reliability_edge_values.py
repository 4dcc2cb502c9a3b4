"""nan, ±inf, 0 and -0.0 through every scalar operation.

Each operation either gives PyTorch's float64 answer or raises the error the ``Value``
docstring documents (only where no real number results). The named cases below run
everywhere; the random graphs are compared with PyTorch itself when the ``torch`` extra
is installed (``pip install -e '.[torch]'``), and skip otherwise.
"""

import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor, Value, dot, grad, sum_values

nan, inf = math.nan, math.inf
SPECIAL = [nan, inf, -inf, 0.0, -0.0, 1.0, -1.0, 0.5, 2.0, -3.0]
DOCUMENTED = (ZeroDivisionError, ValueError, OverflowError)


def same(a, b):
    """Equal as IEEE numbers: nan equals nan, inf must match its sign, 0.0 == -0.0."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def value_and_grads(f, *xs):
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    out.backward()
    return (out.data, *[leaf.grad for leaf in leaves])


# --- the cases the issue names, with PyTorch's numbers written out -----------------------
@pytest.mark.parametrize("f, xs, expected", [
    (lambda x: x.sqrt(), (0.0,), (0.0, inf)),              # a vertical tangent
    (lambda x: x.sqrt(), (-0.0,), (-0.0, -inf)),
    (lambda a, b: a ** b, (0.0, 0.0), (1.0, 0.0, 0.0)),
    (lambda a, b: a ** b, (0.0, 0.5), (0.0, inf, 0.0)),
    (lambda a, b: a ** b, (0.0, 2.0), (0.0, 0.0, 0.0)),     # d/db of 0**b is 0, not nan
    (lambda a, b: a ** b, (nan, 0.0), (1.0, 0.0, nan)),
    (lambda x: 0.0 ** x, (0.5,), (0.0, 0.0)),
    (lambda x: 0.0 ** x, (0.0,), (1.0, 0.0)),
    (lambda x: x ** 0, (0.0,), (1.0, 0.0)),
    (lambda x: x ** 0.5, (0.0,), (0.0, inf)),
    (lambda x: x.relu(), (nan,), (nan, 0.0)),               # nan stays nan (slope 0)
    (lambda x: x.relu(), (-inf,), (0.0, 0.0)),
    (lambda x: x.leaky_relu(0.1), (nan,), (nan, 0.1)),
    (lambda x: x.step(), (inf,), (1.0, 0.0)),
    (lambda x: x.step(), (-inf,), (0.0, 0.0)),
    (lambda x: x.step(), (nan,), (0.0, 0.0)),
    (lambda x: x.sign(), (inf,), (1.0, 0.0)),
    (lambda x: x.sign(), (-inf,), (-1.0, 0.0)),
    (lambda x: x.sign(), (nan,), (0.0, 0.0)),
    (lambda x: x.tanh(), (inf,), (1.0, 0.0)),
    (lambda x: x.sigmoid(), (-inf,), (0.0, 0.0)),
    (lambda x: x.exp(), (-inf,), (0.0, 0.0)),
    (lambda x: x.log(), (inf,), (inf, 0.0)),
    (lambda x: abs(x), (-0.0,), (0.0, 0.0)),
    (lambda a, b: a / b, (1.0, inf), (0.0, 0.0, -0.0)),
])
def test_named_edge_values_match_pytorch(f, xs, expected):
    assert all(map(same, value_and_grads(f, *xs), expected)), value_and_grads(f, *xs)


@pytest.mark.parametrize("f, x, error, words", [
    (lambda x: x ** 0.5, -inf, ValueError, "whole-number exponent"),  # as (-1) ** 0.5
    (lambda x: x ** 0.5, -1.0, ValueError, "whole-number exponent"),
    (lambda x: x ** -0.5, -inf, ValueError, "whole-number exponent"),
    (lambda x: x ** -1, 0.0, ZeroDivisionError, "negative power"),
    (lambda x: 1 / x, -0.0, ZeroDivisionError, "division by zero"),
    (lambda x: x.log(), 0.0, ValueError, "positive"),
    (lambda x: x.sqrt(), -inf, ValueError, ">= 0"),
    (lambda x: x.sin(), inf, ValueError, "sin(inf)"),
    (lambda x: x.exp(), 710.0, OverflowError, "exp(710"),
])
def test_documented_errors_name_the_operation(f, x, error, words):
    with pytest.raises(error, match=re.escape(words)):
        f(Value(x))


def test_the_exponent_gradient_at_zero_on_tensors():
    a = Tensor(np.array([0.0, 0.0, 2.0]), requires_grad=True)
    b = Tensor(np.array([0.0, 0.5, 3.0]), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from inside the engine
        (a ** b).sum().backward()
    assert a.grad.tolist() == [0.0, inf, 12.0]
    assert b.grad[:2].tolist() == [0.0, 0.0] and b.grad[2] == pytest.approx(8 * math.log(2))


def test_step_and_sign_gradients_on_tensors_are_zero_at_inf_and_nan():
    x = Tensor(np.array([inf, -inf, nan, 1.0]), requires_grad=True)
    (x.step() + x.sign()).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize("reduce", ["max", "min"])
def test_tensor_extreme_with_a_nan_sends_the_gradient_to_the_nan(reduce):
    x = Tensor(np.array([[1.0, nan, 3.0], [4.0, 5.0, -1.0]]), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = getattr(x, reduce)()
        out.backward()
    assert math.isnan(out.data)
    assert x.grad.tolist() == [[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    rows = Tensor(np.array([[1.0, nan], [4.0, 5.0]]), requires_grad=True)
    getattr(rows, reduce)(axis=1).sum().backward()
    expected = [[0.0, 1.0], [0.0, 1.0]] if reduce == "max" else [[0.0, 1.0], [1.0, 0.0]]
    assert rows.grad.tolist() == expected


def test_second_order_through_the_fixed_edge_rules():
    x = Value(0.0)
    (slope,) = grad(x ** 2.0, [x], create_graph=True)
    (curvature,) = grad(slope, [x])
    assert (slope.data, curvature) == (0.0, 2.0)


# --- random graphs: every scalar operation, compared with PyTorch float64 -----------------
UNARY = ["neg", "abs", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "leaky_relu",
         "step", "sign", "sin", "cos", "pow_number", "number_pow", "add_number", "sub_number",
         "number_sub", "mul_number", "div_number", "number_div"]
BINARY = ["+", "-", "*", "/", "pow"]
NARY = ["sum", "dot"]
NUMBERS = st.sampled_from([0.0, -0.0, 0.5, 2.0, -1.0, 3.0, inf, nan])


@st.composite
def programs(draw):
    """Leaves drawn from the special values, then a few operations on earlier nodes."""
    leaves = draw(st.lists(st.sampled_from(SPECIAL), min_size=1, max_size=3))
    steps = []
    for i in range(draw(st.integers(1, 6))):
        size = len(leaves) + i
        kind = draw(st.sampled_from(UNARY + BINARY + NARY))
        operands = draw(st.lists(st.integers(0, size - 1), min_size=1, max_size=4))
        number = draw(NUMBERS)
        steps.append((kind, operands, number))
    return leaves, steps


def apply_value(kind, nodes, number):
    x, y = nodes[0], nodes[-1]
    table = {
        "neg": lambda: -x, "abs": lambda: abs(x), "exp": x.exp, "log": x.log,
        "sqrt": x.sqrt, "tanh": x.tanh, "sigmoid": x.sigmoid, "relu": x.relu,
        "leaky_relu": lambda: x.leaky_relu(0.1), "step": x.step, "sign": x.sign,
        "sin": x.sin, "cos": x.cos, "pow_number": lambda: x ** number,
        "number_pow": lambda: number ** x, "add_number": lambda: x + number,
        "sub_number": lambda: x - number, "number_sub": lambda: number - x,
        "mul_number": lambda: x * number, "div_number": lambda: x / number,
        "number_div": lambda: number / x, "+": lambda: x + y, "-": lambda: x - y,
        "*": lambda: x * y, "/": lambda: x / y, "pow": lambda: x ** y,
        "sum": lambda: sum_values(nodes),
        "dot": lambda: dot(nodes, [number] * len(nodes), bias=x),
    }
    return table[kind]()


def torch_ops():
    torch = pytest.importorskip("torch", reason="the torch extra is not installed")

    def zero_slope(forward, slope):
        # PyTorch masks these gradients (0 even where the upstream is nan or inf); the
        # chain rule's product upstream · local gives nan there, as Value documents.
        class Function(torch.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                ctx.save_for_backward(t)
                return forward(t)

            @staticmethod
            def backward(ctx, g):
                (t,) = ctx.saved_tensors
                return g * slope(t)
        return Function.apply

    relu = zero_slope(torch.relu, lambda t: (t > 0).double())  # slope 0 at nan
    step = zero_slope(lambda t: (t > 0).double(), lambda t: torch.zeros_like(t))
    sign = zero_slope(torch.sign, lambda t: torch.zeros_like(t))
    to_the_zero = zero_slope(lambda t: t ** 0, lambda t: torch.zeros_like(t))

    class Power(torch.autograd.Function):
        """a ** b with PyTorch's own slopes, multiplied by the upstream gradient rather
        than masked (PyTorch's pow gives 0 where b = 0 even under a nan upstream)."""

        @staticmethod
        def forward(ctx, a, b):
            out = a ** b
            ctx.save_for_backward(a, b, out)
            return out

        @staticmethod
        def backward(ctx, g):
            a, b, out = ctx.saved_tensors
            with torch.enable_grad():
                a_, b_ = a.detach().requires_grad_(), b.detach().requires_grad_()
                slope_a, slope_b = torch.autograd.grad(a_ ** b_, (a_, b_))
            return g * slope_a, g * slope_b
    f64 = torch.float64

    def apply(kind, nodes, number):
        x, y = nodes[0], nodes[-1]
        c = torch.tensor(number, dtype=f64)
        table = {
            "neg": lambda: -x, "abs": x.abs, "exp": x.exp, "log": x.log, "sqrt": x.sqrt,
            "tanh": x.tanh, "sigmoid": x.sigmoid, "relu": lambda: relu(x),
            "leaky_relu": lambda: torch.nn.functional.leaky_relu(x, 0.1),
            "step": lambda: step(x), "sign": lambda: sign(x), "sin": x.sin, "cos": x.cos,
            "pow_number": lambda: x ** number if number != 0 else to_the_zero(x),
            "number_pow": lambda: torch.pow(c, x),
            "add_number": lambda: x + number, "sub_number": lambda: x - number,
            "number_sub": lambda: number - x, "mul_number": lambda: x * number,
            "div_number": lambda: x / number, "number_div": lambda: number / x,
            "+": lambda: x + y, "-": lambda: x - y, "*": lambda: x * y, "/": lambda: x / y,
            "pow": lambda: Power.apply(x, y), "sum": lambda: torch.stack(nodes).sum(),
            "dot": lambda: (torch.stack(nodes) * number).sum() + x,
        }
        return table[kind]()
    return torch, apply


@settings(max_examples=400, deadline=None)
@given(programs())
def test_random_graphs_match_pytorch_float64(program):
    torch, apply_torch = torch_ops()
    leaves, steps = program
    ours = [Value(x) for x in leaves]
    theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in leaves]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # never a RuntimeWarning from inside the engine
        for kind, operands, number in steps:
            picked = [ours[i] for i in operands]
            expected = apply_torch(kind, [theirs[i] for i in operands], number)
            try:
                ours.append(apply_value(kind, picked, number))
            except DOCUMENTED as error:  # only where no real number results
                assert not math.isfinite(expected.item()), (kind, picked, error)
                return
            theirs.append(expected)
            assert same(ours[-1].data, expected.item()), (kind, picked, number, expected)
        ours[-1].backward()
    theirs[-1].backward()
    for mine, reference in zip(ours[:len(leaves)], theirs[:len(leaves)], strict=True):
        expected = 0.0 if reference.grad is None else reference.grad.item()
        assert same(mine.grad, expected), (leaves, steps, mine.grad, expected)


def test_tensor_sign_and_abs_at_nan_agree_with_value():
    x = Tensor(np.array([nan, -2.0, 0.0], dtype=np.float32), requires_grad=True)
    assert x.sign().data.tolist() == [0.0, -1.0, 0.0] and x.sign().dtype == np.float32
    abs(x).sum().backward()
    assert x.grad.tolist() == [0.0, -1.0, 0.0]
    assert value_and_grads(lambda v: abs(v), nan)[1] == 0.0



def test_an_exponent_that_is_zero_still_has_a_derivative_in_the_exponent():
    # f(x) = (0.5 ** x) ** x = 0.5 ** (x²): f''(0) = 2 ln 0.5. The slope n·x**(n-1)
    # is 0 at n = 0, but its derivative in n is not, so a graph keeps the product.
    x = Value(0.0)
    (first,) = grad((0.5 ** x) ** x, [x], create_graph=True)
    (second,) = grad(first, [x])
    assert first.data == 0.0 and second == pytest.approx(2 * math.log(0.5))
