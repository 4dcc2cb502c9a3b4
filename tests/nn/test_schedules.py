import math

import pytest

from autograd import Value
from nn import SGD, CosineDecay, ExponentialDecay, StepDecay


def test_step_decay():
    s = StepDecay(0.1, step_size=3, gamma=0.5)
    assert [round(s(t), 6) for t in range(7)] == [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]


def test_exponential_decay():
    s = ExponentialDecay(2.0, gamma=0.5)
    assert s.rates(4).tolist() == [2.0, 1.0, 0.5, 0.25]


def test_cosine_decay_warms_up_linearly_then_follows_half_cosine():
    s = CosineDecay(1.0, total_steps=110, warmup_steps=10, min_lr=0.1)
    assert [s(t) for t in range(3)] == pytest.approx([0.1, 0.2, 0.3])
    assert s(9) == pytest.approx(1.0)
    assert s(60) == pytest.approx(0.1 + 0.9 * 0.5)
    t = 35
    assert s(t) == pytest.approx(0.1 + 0.9 * (1 + math.cos(math.pi * 25 / 100)) / 2)
    assert s(110) == pytest.approx(0.1) and s(500) == pytest.approx(0.1)
    rates = s.rates(110)
    assert all(a >= b for a, b in zip(rates[10:], rates[11:], strict=False))


def test_optimizer_asks_the_schedule_at_each_step():
    w = Value(0.0, role="parameter")
    opt = SGD([w], lr=StepDecay(1.0, step_size=1, gamma=0.5))
    for _ in range(3):
        opt.zero_grad()
        w.grad = 1.0
        opt.step()
    assert w.data == pytest.approx(-(1.0 + 0.5 + 0.25))
    assert opt.current_lr == 0.125


def test_schedule_arguments_are_checked():
    with pytest.raises(ValueError, match="lr must be a number > 0"):
        StepDecay(0.0, step_size=1)
    with pytest.raises(ValueError, match="warmup_steps"):
        CosineDecay(1.0, total_steps=5, warmup_steps=5)
    with pytest.raises(ValueError, match="step must be a whole number"):
        StepDecay(1.0, 2)(-1)
