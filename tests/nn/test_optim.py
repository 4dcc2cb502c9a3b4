import math

import numpy as np
import pytest

from autograd import Tensor, Value
from nn import SGD, Adam, AdamW, RMSprop, clip_grad_norm, l1_penalty, l2_penalty


def values(*numbers):
    return [Value(x, role="parameter") for x in numbers]


def run(opt, params, grads_per_step):
    """Feed fixed gradients; return the parameter values after each step."""
    trace = []
    for grads in grads_per_step:
        opt.zero_grad()
        for p, g in zip(params, grads, strict=True):
            p.grad = g
        opt.step()
        trace.append([p.data for p in params])
    return np.array(trace)


GRADS = [[1.0, -2.0], [0.5, 0.5], [-1.0, 3.0]]


def reference_sgd(theta, lr, momentum=0.0, nesterov=False, wd=0.0):
    theta, velocity, out = np.array(theta), None, []
    for g in np.array(GRADS):
        g = g + wd * theta
        if momentum:
            velocity = g if velocity is None else momentum * velocity + g
            g = g + momentum * velocity if nesterov else velocity
        theta = theta - lr * g
        out.append(theta.tolist())
    return np.array(out)


@pytest.mark.parametrize("momentum, nesterov, wd", [(0, False, 0), (0.9, False, 0),
                                                    (0.9, True, 0), (0.5, False, 0.1)])
def test_sgd_matches_the_update_formula(momentum, nesterov, wd):
    params = values(1.0, -1.0)
    opt = SGD(params, lr=0.1, momentum=momentum, nesterov=nesterov, weight_decay=wd)
    assert run(opt, params, GRADS) == pytest.approx(
        reference_sgd([1.0, -1.0], 0.1, momentum, nesterov, wd))


def reference_adam(theta, lr, b1=0.9, b2=0.999, eps=1e-8, wd=0.0, decoupled=False):
    theta, m, v, out = np.array(theta), 0.0, 0.0, []
    for t, g in enumerate(np.array(GRADS), start=1):
        if wd and not decoupled:
            g = g + wd * theta
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        if decoupled:
            theta = theta * (1 - lr * wd)
        theta = theta - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        out.append(theta.tolist())
    return np.array(out)


def test_adam_matches_the_update_formula_and_first_step_is_lr():
    params = values(1.0, -1.0)
    trace = run(Adam(params, lr=0.01), params, GRADS)
    assert trace == pytest.approx(reference_adam([1.0, -1.0], 0.01))
    assert trace[0] == pytest.approx([0.99, -0.99])   # m̂/sqrt(v̂) = sign(g) at t = 1


def test_adamw_decays_weights_directly():
    params = values(1.0, -1.0)
    trace = run(AdamW(params, lr=0.01, weight_decay=0.1), params, GRADS)
    assert trace == pytest.approx(reference_adam([1.0, -1.0], 0.01, wd=0.1, decoupled=True))
    params = values(1.0, -1.0)
    coupled = run(Adam(params, lr=0.01, weight_decay=0.1), params, GRADS)
    assert coupled == pytest.approx(reference_adam([1.0, -1.0], 0.01, wd=0.1))
    assert not np.allclose(coupled, trace)


def test_rmsprop_matches_the_update_formula():
    params = values(1.0, -1.0)
    trace = run(RMSprop(params, lr=0.01, alpha=0.9), params, GRADS)
    theta, s = np.array([1.0, -1.0]), 0.0
    for g, got in zip(np.array(GRADS), trace, strict=True):
        s = 0.9 * s + 0.1 * g * g
        theta = theta - 0.01 * g / (np.sqrt(s) + 1e-8)
        assert got == pytest.approx(theta)


@pytest.mark.parametrize("make", [
    lambda p: SGD(p, lr=0.1), lambda p: SGD(p, lr=0.05, momentum=0.9, nesterov=True),
    lambda p: RMSprop(p, lr=0.05), lambda p: Adam(p, lr=0.1), lambda p: AdamW(p, lr=0.1),
])
def test_every_optimizer_minimises_a_quadratic_on_values_and_tensors(make):
    # f = (a - 3)² + Σ (t - [1, -2])²: minimum at a = 3, t = [1, -2]
    a = Value(0.0, role="parameter")
    t = Tensor(np.zeros(2), requires_grad=True, role="parameter")
    opt = make([a, t])
    for _ in range(300):
        opt.zero_grad()
        ((a - 3.0) ** 2).backward()
        ((t - np.array([1.0, -2.0])) ** 2).sum().backward()
        opt.step()
    assert a.data == pytest.approx(3.0, abs=0.05)
    assert t.data == pytest.approx([1.0, -2.0], abs=0.05)


def test_tensor_without_gradient_is_left_alone():
    t = Tensor(np.ones(3), requires_grad=True, role="parameter")
    opt = Adam([t], lr=0.1)
    opt.step()
    assert t.data.tolist() == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("lr", [0, -0.1, float("nan")])
def test_non_positive_learning_rate_is_rejected(lr):
    with pytest.raises(ValueError, match="lr must be > 0"):
        SGD(values(1.0), lr=lr)


def test_other_bad_settings_are_rejected():
    with pytest.raises(ValueError, match="nesterov=True needs momentum"):
        SGD(values(1.0), lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="empty parameter list"):
        Adam([], lr=0.1)
    with pytest.raises(ValueError, match="betas"):
        Adam(values(1.0), betas=(0.9, 1.5))


def test_clip_grad_norm_scales_all_gradients_together():
    a, b = values(0.0, 0.0)
    t = Tensor(np.zeros(2), requires_grad=True, role="parameter")
    a.grad, b.grad, t.grad = 1.0, 2.0, np.array([2.0, 4.0])
    norm = clip_grad_norm([a, b, t], max_norm=1.0)
    assert norm == pytest.approx(5.0)
    assert [a.grad, b.grad, *t.grad] == pytest.approx([0.2, 0.4, 0.4, 0.8])
    assert clip_grad_norm([a, b, t], max_norm=10.0) == pytest.approx(1.0)
    assert a.grad == pytest.approx(0.2)   # below the limit: untouched


def test_penalties_and_their_gradients():
    w = values(1.5, -2.0)
    l2 = l2_penalty(w, 0.1)
    l2.backward()
    assert l2.data == pytest.approx(0.1 * (1.5 ** 2 + 4.0))
    assert [p.grad for p in w] == pytest.approx([0.3, -0.4])      # 2·λ·w
    w = values(1.5, -2.0)
    l1 = l1_penalty(w, 0.1)
    l1.backward()
    assert l1.data == pytest.approx(0.35)
    assert [p.grad for p in w] == pytest.approx([0.1, -0.1])      # λ·sign(w)
    t = Tensor(np.array([1.0, -3.0]), requires_grad=True, role="parameter")
    l2_penalty([t], 0.5).backward()
    assert t.grad.tolist() == pytest.approx([1.0, -3.0])
    t.grad = None
    l1_penalty([t], 0.5).backward()
    assert t.grad.tolist() == pytest.approx([0.5, -0.5])
    assert math.isclose(l2_penalty([t], 0.5).item(), 5.0)


def test_penalty_strength_and_parameter_kinds_are_checked():
    with pytest.raises(ValueError, match="strength must be a number >= 0, got -1"):
        l2_penalty(values(1.0), -1)
    a = Value(2.0, role="parameter")
    t = Tensor(np.array([1.0, -3.0]), requires_grad=True, role="parameter")
    with pytest.raises(TypeError, match="1 Value and 1 Tensor parameters"):
        l1_penalty([a, t], 0.5)
    u = Tensor(np.array([[2.0]]), requires_grad=True, role="parameter")
    assert float(l1_penalty([t, u], 0.5).data) == pytest.approx(0.5 * (1 + 3 + 2))
