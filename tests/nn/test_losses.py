import math

import numpy as np
import pytest

from autograd import Tensor, Value, gradcheck
from nn import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge,
    mae,
    mse,
)

LOGITS = np.array([[2.0, -1.0, 0.5], [0.1, 0.2, -0.3]])
LABELS = np.array([0, 2])


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def value_rows(array):
    return [[Value(x) for x in row] for row in array]


# --- values against the formulas, for Values and Tensors ------------------------------
def test_mse_and_mae_values():
    pred, target = np.array([0.5, 2.0, -1.0]), np.array([1.0, 1.0, 1.0])
    for make in (lambda a: [Value(x) for x in a], Tensor):
        assert float(mse(make(pred), target).data) == pytest.approx((0.25 + 1 + 4) / 3)
        assert float(mae(make(pred), target).data) == pytest.approx((0.5 + 1 + 2) / 3)


def test_cross_entropy_value_matches_minus_log_softmax_for_labels_and_one_hot():
    expected = -np.mean(np.log(softmax(LOGITS))[np.arange(2), LABELS])
    one_hot = np.eye(3)[LABELS]
    assert cross_entropy(value_rows(LOGITS), LABELS).data == pytest.approx(expected)
    assert cross_entropy(value_rows(LOGITS), one_hot).data == pytest.approx(expected)
    assert cross_entropy(Tensor(LOGITS), LABELS).item() == pytest.approx(expected)
    fused = cross_entropy(Tensor(LOGITS, requires_grad=True), LABELS)
    assert fused.op == "cross_entropy"                                  # the engine's rule
    assert cross_entropy(Tensor(LOGITS), one_hot).item() == pytest.approx(expected)


def test_binary_cross_entropy_forms_agree():
    z = np.array([-2.0, 0.0, 3.0])
    y = np.array([0.0, 1.0, 1.0])
    p = 1 / (1 + np.exp(-z))
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert binary_cross_entropy([Value(x) for x in p], y).data == pytest.approx(expected)
    assert binary_cross_entropy(Tensor(p), y).item() == pytest.approx(expected)
    assert binary_cross_entropy_with_logits([Value(x) for x in z], y).data == \
        pytest.approx(expected)
    assert binary_cross_entropy_with_logits(Tensor(z), y).item() == pytest.approx(expected)


def test_hinge():
    s = np.array([2.0, 0.5, -0.5])
    y = np.array([1, 1, -1])
    assert hinge([Value(x) for x in s], y).data == pytest.approx((0 + 0.5 + 0.5) / 3)
    assert hinge(Tensor(s), y).item() == pytest.approx((0 + 0.5 + 0.5) / 3)


# --- gradients against central differences --------------------------------------------
@pytest.mark.parametrize("loss, target", [
    (mse, [0.3, -1.0, 2.0]), (mae, [0.3, -1.0, 2.0]),
    (binary_cross_entropy_with_logits, [0.0, 1.0, 1.0]), (hinge, [1, -1, 1]),
])
def test_elementwise_loss_gradients_value(loss, target):
    assert gradcheck(lambda a, b, c: loss([a, b, c], target), [0.7, -0.4, 1.3])


def test_binary_cross_entropy_gradient_value():
    assert gradcheck(lambda a, b: binary_cross_entropy([a, b], [1.0, 0.0]), [0.3, 0.6])


def test_cross_entropy_gradient_value_matches_softmax_minus_target():
    assert gradcheck(lambda *z: cross_entropy([list(z[:3]), list(z[3:])], LABELS),
                     LOGITS.ravel().tolist())
    zs = value_rows(LOGITS)
    cross_entropy(zs, LABELS).backward()
    grads = np.array([[v.grad for v in row] for row in zs])
    assert grads == pytest.approx((softmax(LOGITS) - np.eye(3)[LABELS]) / 2)


@pytest.mark.parametrize("loss, target", [
    (mse, np.array([[0.3, -1.0, 2.0], [0.0, 1.0, 0.5]])),
    (mae, np.array([[0.3, -1.0, 2.0], [0.0, 1.0, 0.5]])),
    (binary_cross_entropy_with_logits, np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.5]])),
    (hinge, np.array([[1, 1, -1], [-1, 1, 1]])),  # no margin exactly 0 (a kink)
    (cross_entropy, LABELS), (cross_entropy, np.eye(3)[LABELS]),
])
def test_loss_gradients_tensor(loss, target):
    assert gradcheck(lambda z: loss(z, target), [LOGITS])


def test_binary_cross_entropy_gradient_tensor():
    assert gradcheck(lambda p: binary_cross_entropy(p, np.array([1.0, 0.0, 1.0])),
                     [np.array([0.2, 0.7, 0.9])])


def test_with_logits_gradient_is_exact_at_zero():
    # the relu(z) + log(1 + e^-|z|) shortcut gives -y here instead of σ(0) - y
    for y in (0.0, 1.0):
        z = Value(0.0)
        binary_cross_entropy_with_logits(z, y).backward()
        assert z.grad == pytest.approx(0.5 - y)
        t = Tensor(np.zeros(1), requires_grad=True)
        binary_cross_entropy_with_logits(t, [y]).backward()
        assert t.grad[0] == pytest.approx(0.5 - y)


# --- extreme logits -------------------------------------------------------------------
def test_extreme_logits_stay_finite_with_correct_gradients():
    z = [Value(1000.0), Value(0.0), Value(-1000.0)]
    loss = cross_entropy(z, 1)
    loss.backward()
    assert loss.data == pytest.approx(1000.0)
    assert [v.grad for v in z] == pytest.approx([1.0, -1.0, 0.0])
    t = Tensor(np.array([[1000.0, 0.0, -1000.0]]), requires_grad=True)
    loss = cross_entropy(t, [1])
    loss.backward()
    assert loss.item() == pytest.approx(1000.0)
    assert t.grad == pytest.approx(np.array([[1.0, -1.0, 0.0]]))
    for big in (1000.0, -1000.0):
        v = Value(big)
        bce = binary_cross_entropy_with_logits(v, 1.0)
        bce.backward()
        assert math.isfinite(bce.data) and bce.data == pytest.approx(max(0.0, -big))
        assert v.grad == pytest.approx((1.0 if big > 0 else 0.0) - 1.0)   # σ(z) - y
        tz = Tensor(np.array([big]), requires_grad=True)
        tb = binary_cross_entropy_with_logits(tz, [0.0])
        tb.backward()
        assert np.isfinite(tb.item()) and np.isfinite(tz.grad).all()


def test_probability_of_zero_is_clamped_not_infinite():
    assert binary_cross_entropy(Value(0.0), 1.0).data == pytest.approx(100.0)
    assert binary_cross_entropy(Tensor(np.array([0.0, 1.0])), [1.0, 1.0]).item() == \
        pytest.approx(50.0)


# --- bad input ------------------------------------------------------------------------
def test_out_of_range_class_label_is_named():
    with pytest.raises(ValueError, match=r"target 3 \(row 1\).*3 classes.*0\.\.2"):
        cross_entropy(value_rows(LOGITS), [0, 3])
    with pytest.raises(ValueError, match=r"target -1 \(row 0\)"):
        cross_entropy(Tensor(LOGITS), [-1, 0])
    with pytest.raises(ValueError, match=r"target 1.5"):
        cross_entropy(Tensor(LOGITS), [1.5, 0])


def test_mismatched_sizes_and_bad_targets_are_explained():
    with pytest.raises(ValueError, match="2 predictions but 3 targets"):
        mse([Value(1.0), Value(2.0)], [1, 2, 3])
    with pytest.raises(ValueError, match=r"shape \(2, 3\).*shape \(4,\)"):
        mse(Tensor(LOGITS), np.zeros(4))
    with pytest.raises(ValueError, match=r"shape \(2, 3\).*shape \(3, 2\)"):
        mse(Tensor(LOGITS), np.zeros((3, 2)))      # same size, transposed: not paired up
    column = Tensor(np.array([[1.0], [3.0]]))
    assert mse(column, [0.0, 1.0]).item() == pytest.approx(2.5)   # (N,) targets, (N, 1)
    with pytest.raises(TypeError, match="targets are None"):
        mse([Value(1.0)], None)                   # was a silent loss of nan
    with pytest.raises(ValueError, match="targets must be -1 or \\+1, got 0"):
        hinge([Value(1.0)], [0])
    with pytest.raises(ValueError, match="not a probability"):
        binary_cross_entropy(Value(1.5), 1.0)
    with pytest.raises(ValueError, match="1.5 is not a probability.*with_logits"):
        binary_cross_entropy(Tensor(np.array([1.5, 0.5])), [0.0, 1.0])


@pytest.mark.parametrize("loss, target", [
    (mse, np.zeros((2, 3))), (mae, np.zeros((2, 3))), (hinge, np.ones((2, 3))),
    (binary_cross_entropy, np.zeros((2, 3))), (binary_cross_entropy_with_logits, np.zeros((2, 3))),
    (cross_entropy, LABELS),
])
def test_float32_predictions_give_a_float32_loss(loss, target):
    # float64 targets must not lift a float32 model's loss and backward to float64
    z = Tensor(np.full((2, 3), 0.25, dtype=np.float32), requires_grad=True)
    out = loss(z, target)
    out.backward()
    assert out.dtype == np.float32 and z.grad.dtype == np.float32
