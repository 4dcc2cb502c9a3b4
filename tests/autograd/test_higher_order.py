"""grad(..., create_graph=True): derivatives that are graphs themselves."""

import math

import pytest

from autograd import Value, grad, hessian


def derivatives(f, x, order):
    """[f'(x), f''(x), ...] by differentiating the derivative graph again."""
    v = Value(x)
    out = f(v)
    results = []
    for _ in range(order):
        (out,) = grad(out, [v], create_graph=True)
        results.append(out.data)
    return results


@pytest.mark.parametrize("x", [-1.2, 0.3, 2.0])
def test_tanh_up_to_third_derivative(x):
    t = math.tanh(x)
    expected = [1 - t ** 2, -2 * t * (1 - t ** 2), -2 * (1 - t ** 2) * (1 - 3 * t ** 2)]
    assert derivatives(Value.tanh, x, 3) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("x", [-2.0, 0.5, 3.0])
def test_cube_up_to_third_derivative(x):
    assert derivatives(lambda v: v ** 3, x, 3) == pytest.approx([3 * x ** 2, 6 * x, 6.0])


@pytest.mark.parametrize("x", [-1.0, 0.0, 0.7])
def test_sin_times_exp_up_to_third_derivative(x):
    s, c, e = math.sin(x), math.cos(x), math.exp(x)
    # (sin·exp)' = e(s + c), '' = 2e·c, ''' = 2e(c - s)
    expected = [e * (s + c), 2 * e * c, 2 * e * (c - s)]
    assert derivatives(lambda v: v.sin() * v.exp(), x, 3) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("f, x", [
    (lambda v: v.sigmoid(), 0.4), (lambda v: v.log(), 1.7), (lambda v: v.sqrt(), 2.2),
    (lambda v: 1 / v, 0.9), (lambda v: v.exp() / (1 + v * v), 0.3), (lambda v: v.cos(), 0.2),
    (lambda v: 2 ** v, 0.5), (lambda v: v ** v, 1.3), (lambda v: (v * 3).leaky_relu(0.2), -1.0),
])
def test_second_derivative_matches_finite_differences_of_the_first(f, x):
    eps = 1e-5
    first = lambda point: derivatives(f, point, 1)[0]  # noqa: E731
    numeric = (first(x + eps) - first(x - eps)) / (2 * eps)
    assert derivatives(f, x, 2)[1] == pytest.approx(numeric, rel=1e-5, abs=1e-7)


def test_grad_leaves_dot_grad_untouched():
    x = Value(2.0)
    y = x * x
    assert grad(y, [x]) == (4.0,)
    assert x.grad == 0.0 and y.grad == 0.0


def test_hessian_of_a_quadratic_and_a_mixed_function():
    assert hessian(lambda x, y: x * x * y, [1.0, 2.0]) == [[4.0, 2.0], [2.0, 0.0]]
    h = hessian(lambda x, y: (x * y).sin(), [0.5, 2.0])
    s, c = math.sin(1.0), math.cos(1.0)
    expected = [[-4 * s, c - s], [c - s, -0.25 * s]]
    for row, want in zip(h, expected):
        assert row == pytest.approx(want, rel=1e-9)


def test_hessian_of_a_linear_function_is_zero():
    assert hessian(lambda x, y: 3 * x + y, [1.0, 2.0]) == [[0.0, 0.0], [0.0, 0.0]]
