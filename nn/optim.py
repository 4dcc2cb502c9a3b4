"""Optimizers: turn gradients into parameter updates.

One code path serves both kinds of parameter: a model's ``Value`` parameters are read
into one numpy vector (their ``.data`` and ``.grad`` floats), each ``Tensor`` parameter
is its own array; every update rule is written once, on arrays.

    θ ← θ − η · g                      SGD
    v ← μ·v + g;  θ ← θ − η · v        SGD with momentum (PyTorch's form)

    >>> from autograd import Value
    >>> from nn.optim import SGD
    >>> w = Value(1.0, role="parameter")
    >>> opt = SGD([w], lr=0.1)
    >>> (w * w).backward()            # d(w²)/dw = 2
    >>> opt.step(); round(w.data, 6)
    0.8
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from autograd import Value, dot, sum_values

from .arguments import is_real
from .module import reset_grads
from .schedules import Schedule

# --- reading and writing parameters as arrays -----------------------------------------


class _ValueGroup:
    """All Value parameters as one vector (one numpy update instead of one per scalar)."""

    def __init__(self, params: list[Value]) -> None:
        self.params = params

    def read(self) -> tuple[np.ndarray, np.ndarray]:
        n = len(self.params)
        data = np.fromiter((p.data for p in self.params), float, n)
        grad = np.fromiter((p.grad for p in self.params), float, n)
        return data, grad

    def write(self, data: np.ndarray) -> None:
        for p, x in zip(self.params, data.tolist(), strict=True):
            p.data = x

    def scale_grad(self, factor: float) -> None:
        for p in self.params:
            p.grad *= factor


class _TensorGroup:
    """One Tensor parameter; a gradient of None (never used) means: no update."""

    def __init__(self, param: Any) -> None:
        self.params = [param]

    def read(self) -> tuple[np.ndarray, np.ndarray | None]:
        p = self.params[0]
        # the parameter's own float type: float32 models stay float32 (half the work)
        dtype = p.data.dtype if p.data.dtype.kind == "f" else np.float64
        grad = None if p.grad is None else np.asarray(p.grad, dtype=dtype)
        return np.asarray(p.data, dtype=dtype), grad

    def write(self, data: np.ndarray) -> None:
        p = self.params[0]
        p.data[...] = data  # in place: the array keeps its dtype and identity

    def scale_grad(self, factor: float) -> None:
        p = self.params[0]
        if p.grad is not None:
            p.grad = p.grad * factor


def _groups(params: list) -> list:
    values = [p for p in params if isinstance(p, Value)]
    groups: list = [_ValueGroup(values)] if values else []
    for p in params:
        if isinstance(p, Value):
            continue
        if not (hasattr(p, "data") and hasattr(p, "grad") and hasattr(p, "shape")):
            raise TypeError(f"an optimizer needs Value or Tensor parameters, got {p!r:.80}")
        groups.append(_TensorGroup(p))
    return groups


def _check_params(params: Iterable[Any], who: str) -> list:
    if isinstance(params, Value) or hasattr(params, "shape"):
        params = [params]
    params = list(params)
    if not params:
        raise ValueError(f"{who} got an empty parameter list; pass model.parameters() (a model "
                         f"with lazy Dense layers has none before model.build((None, n)); "
                         f"or give compile/fit the optimizer by name: optimizer='sgd')")
    seen: set[int] = set()
    unique = []
    for p in params:
        if id(p) not in seen:  # a parameter shared by two layers is updated once
            seen.add(id(p))
            unique.append(p)
    return unique


def _non_negative(name: str, value: float) -> float:
    if not is_real(value) or not value >= 0:
        raise ValueError(f"{name} must be a number >= 0, got {value!r}")
    return float(value)


def check_lr(lr: Any) -> float | Schedule:
    """A learning rate: a number > 0 or a ``Schedule``; anything else is rejected."""
    if isinstance(lr, Schedule):
        return lr
    if not is_real(lr):
        raise TypeError(f"lr must be a number or a Schedule, got {lr!r}")
    if not (lr > 0 and math.isfinite(lr)):
        raise ValueError(f"lr must be > 0 (a step downhill), got {lr!r}; try 0.1 for SGD or "
                         f"1e-3 for Adam")
    return float(lr)


class Optimizer:
    """Base class: holds parameters, the learning rate (number or schedule) and state.

    Subclasses write ``update(data, grad, state, lr) -> new data`` on numpy arrays.
    """

    def __init__(self, params: Iterable[Any], lr: float | Schedule) -> None:
        self.params = _check_params(params, type(self).__name__)
        self.lr = check_lr(lr)
        self.steps = 0  # updates made so far: the schedule's step number
        self._groups = _groups(self.params)
        self._state: list[dict] = [{} for _ in self._groups]

    @property
    def current_lr(self) -> float:
        """The rate the next ``step()`` will use."""
        return self.lr(self.steps) if isinstance(self.lr, Schedule) else self.lr

    def zero_grad(self) -> None:
        """Reset every parameter's gradient (0.0 for Values, None for Tensors)."""
        reset_grads(self.params)

    def step(self) -> None:
        """Update every parameter from its ``.grad``."""
        lr = self.current_lr
        for group, state in zip(self._groups, self._state, strict=True):
            data, grad = group.read()
            if grad is None:
                continue
            group.write(self.update(data, grad, state, lr))
        self.steps += 1

    def update(self, data: np.ndarray, grad: np.ndarray, state: dict, lr: float) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self._settings().items())
        return f"{type(self).__name__}({len(self.params)} parameters, lr={self.lr!r}, {settings})"

    def _settings(self) -> dict:
        return {}


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum, Nesterov and weight decay.

        g ← g + λ·θ                   (weight_decay λ: an L2 penalty λ/2·Σθ²)
        v ← μ·v + g                   (momentum μ; v starts as g)
        θ ← θ − η·v                   or, Nesterov, θ ← θ − η·(g + μ·v)
    """

    def __init__(self, params: Iterable[Any], lr: float | Schedule, momentum: float = 0.0,
                 nesterov: bool = False, weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = _non_negative("momentum", momentum)
        if self.momentum >= 1:
            raise ValueError(f"momentum must be < 1 (it is a fraction kept), got {momentum}")
        if nesterov and self.momentum == 0:
            raise ValueError("nesterov=True needs momentum > 0, e.g. momentum=0.9")
        self.nesterov = nesterov
        self.weight_decay = _non_negative("weight_decay", weight_decay)

    def update(self, data: np.ndarray, grad: np.ndarray, state: dict, lr: float) -> np.ndarray:
        if self.weight_decay:
            grad = grad + self.weight_decay * data
        if self.momentum:
            velocity = state.get("velocity")
            velocity = grad.copy() if velocity is None else self.momentum * velocity + grad
            state["velocity"] = velocity
            grad = grad + self.momentum * velocity if self.nesterov else velocity
        return data - lr * grad

    def _settings(self) -> dict:
        return {"momentum": self.momentum, "nesterov": self.nesterov,
                "weight_decay": self.weight_decay}


class RMSprop(Optimizer):
    """Divide each step by a running root-mean-square of that parameter's gradients.

        s ← α·s + (1 − α)·g²
        θ ← θ − η · g / (sqrt(s) + ε)

    Parameters with steadily large gradients take smaller steps, rare ones larger.
    """

    def __init__(self, params: Iterable[Any], lr: float | Schedule = 0.01, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0.0, momentum: float = 0.0) -> None:
        super().__init__(params, lr)
        if not 0 <= alpha < 1:
            raise ValueError(f"alpha must be in [0, 1), got {alpha!r}")
        self.alpha, self.eps = alpha, _non_negative("eps", eps)
        self.weight_decay = _non_negative("weight_decay", weight_decay)
        self.momentum = _non_negative("momentum", momentum)

    def update(self, data: np.ndarray, grad: np.ndarray, state: dict, lr: float) -> np.ndarray:
        if self.weight_decay:
            grad = grad + self.weight_decay * data
        square = state.get("square", np.zeros_like(data))
        square = self.alpha * square + (1 - self.alpha) * grad * grad
        state["square"] = square
        step = grad / (np.sqrt(square) + self.eps)
        if self.momentum:
            step = state["buffer"] = self.momentum * state.get("buffer", 0.0) + step
        return data - lr * step

    def _settings(self) -> dict:
        return {"alpha": self.alpha, "eps": self.eps, "weight_decay": self.weight_decay,
                "momentum": self.momentum}


class Adam(Optimizer):
    """Momentum and RMSprop together, with bias correction for the zero start.

        m ← β1·m + (1 − β1)·g          v ← β2·v + (1 − β2)·g²
        m̂ = m / (1 − β1^t)             v̂ = v / (1 − β2^t)
        θ ← θ − η · m̂ / (sqrt(v̂) + ε)

    ``weight_decay`` here is an L2 term added to g (as PyTorch's Adam); AdamW decays the
    weights directly instead.
    """

    decoupled = False

    def __init__(self, params: Iterable[Any], lr: float | Schedule = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        if len(betas) != 2 or not all(0 <= b < 1 for b in betas):
            raise ValueError(f"betas must be two numbers in [0, 1), got {betas!r}")
        self.betas, self.eps = (float(betas[0]), float(betas[1])), _non_negative("eps", eps)
        self.weight_decay = _non_negative("weight_decay", weight_decay)

    def update(self, data: np.ndarray, grad: np.ndarray, state: dict, lr: float) -> np.ndarray:
        if self.weight_decay and not self.decoupled:
            grad = grad + self.weight_decay * data
        beta1, beta2 = self.betas
        t = state["t"] = state.get("t", 0) + 1
        m = state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * grad
        v = state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * grad * grad
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        if self.weight_decay and self.decoupled:
            data = data * (1 - lr * self.weight_decay)
        return data - lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def _settings(self) -> dict:
        return {"betas": self.betas, "eps": self.eps, "weight_decay": self.weight_decay}


class AdamW(Adam):
    """Adam with decoupled weight decay: θ ← θ·(1 − η·λ) before the Adam step.

    Adding λθ to g (plain Adam) lets Adam's scaling shrink the decay for parameters
    with large gradients; decoupling keeps the decay the same for every weight.
    """

    decoupled = True

    def __init__(self, params: Iterable[Any], lr: float | Schedule = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.01) -> None:
        super().__init__(params, lr, betas, eps, weight_decay)


# --- penalties and clipping -------------------------------------------------------------


def l2_penalty(params: Iterable[Any], strength: float) -> Any:
    """strength · Σ θ², to add to the loss (Keras's ``l2``); its gradient is 2·strength·θ.

    SGD's ``weight_decay=λ`` does the same as ``l2_penalty(params, λ / 2)``.

    >>> from autograd import Value
    >>> l2_penalty([Value(1.0), Value(-2.0)], 0.1).data
    0.5
    """
    return _penalty(params, strength, "l2_penalty",
                    lambda values: dot(values, values),  # Σ w·w as one node
                    lambda t: (t * t).sum())


def l1_penalty(params: Iterable[Any], strength: float) -> Any:
    """strength · Σ |θ|; its gradient strength·sign(θ) pushes small weights to exactly 0.

    >>> from autograd import Value
    >>> l1_penalty([Value(1.0), Value(-2.0)], 0.1).data
    0.30000000000000004
    """
    return _penalty(params, strength, "l1_penalty",
                    lambda values: sum_values(abs(v) for v in values),
                    lambda t: t.abs().sum())


def _penalty(params: Iterable[Any], strength: float, who: str,
             values_term: Callable[[list[Value]], Value], tensor_term: Callable[[Any], Any]
             ) -> Any:
    """strength · (one term for all Value parameters, or the sum of one per Tensor)."""
    strength = _non_negative("strength", strength)
    params = _check_params(params, who)
    values = [p for p in params if isinstance(p, Value)]
    tensors = [p for p in params if not isinstance(p, Value)]
    if values and tensors:  # a Value loss and a Tensor loss cannot be added
        raise TypeError(f"{who} got {len(values)} Value and {len(tensors)} Tensor parameters; "
                        f"a penalty is added to one loss, so pass the parameters of one "
                        f"engine (model.parameters())")
    terms = [values_term(values)] if values else [tensor_term(t) for t in tensors]
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total * strength


def clip_grad_norm(params: Iterable[Any], max_norm: float) -> float:
    """Scale all gradients together so their joint L2 norm is at most ``max_norm``.

    Returns the norm before clipping (as ``torch.nn.utils.clip_grad_norm_``). The
    direction of the step is kept; only its length is limited.

    >>> from autograd import Value
    >>> a, b = Value(0.0), Value(0.0); a.grad, b.grad = 3.0, 4.0
    >>> clip_grad_norm([a, b], 1.0), round(a.grad, 3), round(b.grad, 3)
    (5.0, 0.6, 0.8)
    """
    if not is_real(max_norm) or not max_norm > 0:
        raise ValueError(f"max_norm must be a number > 0, got {max_norm!r}")
    groups = _groups(_check_params(params, "clip_grad_norm"))
    total = 0.0
    for group in groups:
        _, grad = group.read()
        if grad is not None:
            total += float(np.sum(grad * grad))
    norm = math.sqrt(total)
    if norm > max_norm:
        factor = max_norm / (norm + 1e-12)
        for group in groups:
            group.scale_grad(factor)
    return norm
