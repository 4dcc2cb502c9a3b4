"""Learning-rate schedules: the rate as a function of the optimizer's step number.

Pass one as an optimizer's ``lr``; the optimizer asks it for the rate before every
update (step 0 is the first update). Each schedule can also be asked directly, for a
plot: ``schedule(step)`` or ``schedule.rates(steps)``.

    >>> from nn.schedules import StepDecay
    >>> s = StepDecay(0.1, step_size=10, gamma=0.5)
    >>> s(0), s(9), s(10), s(25)
    (0.1, 0.1, 0.05, 0.025)
"""

from __future__ import annotations

import math

import numpy as np

from .arguments import is_real, is_whole


class Schedule:
    """Base class: subclasses define ``rate(step)``."""

    def rate(self, step: int) -> float:
        raise NotImplementedError(f"{type(self).__name__} must define rate(step)")

    def __call__(self, step: int) -> float:
        if not is_whole(step) or step < 0:
            raise ValueError(f"a schedule's step must be a whole number >= 0, got {step!r}")
        return self.rate(int(step))

    def rates(self, steps: int) -> np.ndarray:
        """The rate at steps 0, 1, ..., steps - 1 (for plotting)."""
        return np.array([self(i) for i in range(steps)])


def _positive(name: str, value: float) -> float:
    if not is_real(value) or not value > 0:
        raise ValueError(f"{name} must be a number > 0, got {value!r}")
    return float(value)


class StepDecay(Schedule):
    """lr_t = lr · gamma^floor(t / step_size): drop by ``gamma`` every ``step_size`` steps."""

    def __init__(self, lr: float, step_size: int, gamma: float = 0.1) -> None:
        self.lr = _positive("lr", lr)
        if not is_whole(step_size) or step_size < 1:
            raise ValueError(f"step_size must be a whole number >= 1, got {step_size!r}")
        self.step_size = step_size
        self.gamma = _positive("gamma", gamma)

    def rate(self, step: int) -> float:
        return self.lr * self.gamma ** (step // self.step_size)

    def __repr__(self) -> str:
        return f"StepDecay(lr={self.lr:g}, step_size={self.step_size}, gamma={self.gamma:g})"


class ExponentialDecay(Schedule):
    """lr_t = lr · gamma^t, a smooth version of step decay.

    >>> round(ExponentialDecay(1.0, gamma=0.9)(2), 6)
    0.81
    """

    def __init__(self, lr: float, gamma: float) -> None:
        self.lr = _positive("lr", lr)
        self.gamma = _positive("gamma", gamma)

    def rate(self, step: int) -> float:
        return self.lr * self.gamma ** step

    def __repr__(self) -> str:
        return f"ExponentialDecay(lr={self.lr:g}, gamma={self.gamma:g})"


class CosineDecay(Schedule):
    """Linear warm-up to ``lr`` over ``warmup_steps``, then half a cosine down to ``min_lr``.

        warm-up (t < w):   lr_t = lr · (t + 1) / w
        decay:             lr_t = min_lr + (lr - min_lr) · (1 + cos(π · p)) / 2,
                           p = (t - w) / (total_steps - w), held at 1 after the end

    Warm-up keeps the first updates small while Adam's statistics (or batch-norm's) are
    still noise; the cosine spends long at a high rate and ends gently.

    >>> s = CosineDecay(1.0, total_steps=10, warmup_steps=2)
    >>> s(0), s(1), s(2), s(6), s(10)
    (0.5, 1.0, 1.0, 0.5, 0.0)
    """

    def __init__(self, lr: float, total_steps: int, warmup_steps: int = 0,
                 min_lr: float = 0.0) -> None:
        self.lr = _positive("lr", lr)
        if not is_whole(total_steps) or total_steps < 1:
            raise ValueError(f"total_steps must be a whole number >= 1, got {total_steps!r}")
        if not is_whole(warmup_steps) or not 0 <= warmup_steps < total_steps:
            raise ValueError(f"warmup_steps must be a whole number in [0, total_steps="
                             f"{total_steps}), got {warmup_steps!r}")
        if not 0 <= min_lr < self.lr:
            raise ValueError(f"min_lr must be in [0, lr={self.lr:g}), got {min_lr!r}")
        self.total_steps, self.warmup_steps, self.min_lr = total_steps, warmup_steps, min_lr

    def rate(self, step: int) -> float:
        if step < self.warmup_steps:
            return self.lr * (step + 1) / self.warmup_steps
        progress = min(1.0, (step - self.warmup_steps) / (self.total_steps - self.warmup_steps))
        cosine = (1.0 + math.cos(math.pi * progress)) / 2.0
        return self.min_lr + (self.lr - self.min_lr) * cosine

    def __repr__(self) -> str:
        return (f"CosineDecay(lr={self.lr:g}, total_steps={self.total_steps}, "
                f"warmup_steps={self.warmup_steps}, min_lr={self.min_lr:g})")


class Constant(Schedule):
    """The same rate at every step (what a plain number ``lr`` means)."""

    def __init__(self, lr: float) -> None:
        self.lr = _positive("lr", lr)

    def rate(self, step: int) -> float:
        return self.lr

    def __repr__(self) -> str:
        return f"Constant({self.lr:g})"
