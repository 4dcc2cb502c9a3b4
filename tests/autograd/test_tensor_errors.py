"""Bad input to Tensor gets an error that names the offending value or shape."""

import numpy as np
import pytest

from autograd import Tensor, Value, concatenate, conv2d, cross_entropy, max_pool2d, where


@pytest.mark.parametrize("data, message", [
    ("abc", "numbers"),
    (np.array(["a", "b"]), "dtype <U1"),
    (np.array([1, "x"], dtype=object), "dtype object"),
    ([[1.0, 2.0], [3.0]], "different lengths"),
    ({"a": 1}, "dict"),
    (np.array([1 + 2j]), "complex128"),
    (None, "NoneType"),
])
def test_rejects_data_that_is_not_a_real_array(data, message):
    with pytest.raises((TypeError, ValueError), match=message):
        Tensor(data)


def test_integer_tensor_cannot_require_grad():
    with pytest.raises(TypeError, match="dtype int64"):
        Tensor(np.arange(3), requires_grad=True)
    labels = Tensor(np.arange(3))
    with pytest.raises(TypeError, match="floating-point"):
        labels.requires_grad = True


def test_broadcast_mismatch_names_both_shapes():
    a = Tensor(np.ones((3, 2)), requires_grad=True)
    with pytest.raises(ValueError, match=r"\(3, 2\) and \(3,\) do not broadcast"):
        a + Tensor(np.ones(3))
    with pytest.raises(ValueError, match=r"\(3, 2\) and \(4,\)"):
        a * np.ones(4)


@pytest.mark.parametrize("left, right", [((3, 4), (5, 2)), ((4,), (3,)), ((2, 3), (2, 3))])
def test_matmul_mismatch_names_both_shapes(left, right):
    with pytest.raises(ValueError, match=rf"{left!s:s}.*{right!s:s}".replace("(", r"\(")
                       .replace(")", r"\)")):
        Tensor(np.ones(left)) @ Tensor(np.ones(right))


def test_matmul_of_a_zero_dimensional_tensor():
    with pytest.raises(ValueError, match="use \\*"):
        Tensor(2.0) @ Tensor(np.ones(2))


def test_mixing_value_and_tensor_raises_with_the_rule():
    t = Tensor([1.0, 2.0])
    with pytest.raises(TypeError, match="Tensor and a Value"):
        t + Value(1.0)
    with pytest.raises(TypeError, match="Tensor"):
        Value(1.0) * t
    with pytest.raises(TypeError, match="scalar graph node"):
        Tensor(Value(1.0))


def test_lists_and_strings_as_operands_are_rejected():
    t = Tensor([1.0, 2.0])
    with pytest.raises(TypeError, match="list"):
        t + [1.0, 2.0]
    with pytest.raises(TypeError, match="str"):
        t * "2"


@pytest.mark.parametrize("call, message", [
    (lambda t: t.sum(axis=2), "axis 2 is out of range"),
    (lambda t: t.sum(axis=(0, 0)), "twice"),
    (lambda t: t.reshape(5), r"shape \(2, 3\) \(6 entries\) into \(5,\)"),
    (lambda t: t.transpose(0, 0), "exactly once"),
    (lambda t: t[5], "index"),
    (lambda t: t[np.array([0.5])], "integers or booleans"),
    (lambda t: t.clip(), "low, high"),
    (lambda t: t.leaky_relu("a"), "slope"),
    (lambda t: t.item(), "one entry"),
    (lambda t: concatenate([]), "at least one"),
    (lambda t: concatenate([t, Tensor(np.ones((3, 3)))], axis=1), r"\(2, 3\) and \(3, 3\)"),
    (lambda t: where(np.ones((2, 3)), t, 0.0), "boolean"),
    (lambda t: t.flatten(1, 0), r"flatten\(1, 0\).*start_dim <= end_dim"),  # not a new axis
])
def test_bad_arguments(call, message):
    with pytest.raises((TypeError, ValueError, IndexError), match=message):
        call(Tensor(np.ones((2, 3))))


def test_conv_and_pool_check_their_shapes():
    images = Tensor(np.ones((2, 3, 5, 5)))
    with pytest.raises(ValueError, match=r"\(N, C, H, W\), got shape \(3, 5, 5\)"):
        conv2d(Tensor(np.ones((3, 5, 5))), Tensor(np.ones((1, 3, 2, 2))))
    with pytest.raises(ValueError, match="C = 3"):
        conv2d(images, Tensor(np.ones((4, 2, 3, 3))))
    with pytest.raises(ValueError, match=r"bias must have shape \(4,\)"):
        conv2d(images, Tensor(np.ones((4, 3, 3, 3))), Tensor(np.ones(3)))
    with pytest.raises(ValueError, match="stride must be an int >= 1"):
        conv2d(images, Tensor(np.ones((4, 3, 3, 3))), stride=0)
    with pytest.raises(ValueError, match="larger than"):
        max_pool2d(images, 7)


@pytest.mark.parametrize("targets, message", [
    ([0.0, 1.0], "integer class labels"), ([0], "N = 2"), ([0, 3], r"0\.\.2, got 0\.\.3"),
])
def test_cross_entropy_checks_its_labels(targets, message):
    with pytest.raises(ValueError, match=message):
        cross_entropy(Tensor(np.zeros((2, 3))), targets)


def test_flattening_a_zero_dimensional_tensor_gives_one_entry():
    assert Tensor(2.0).flatten().shape == (1,)  # as PyTorch, not an axis error
