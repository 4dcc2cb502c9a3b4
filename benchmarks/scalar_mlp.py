"""micrograd's demo task on chainrule's Value engine, and on micrograd when installed.

MLP(2, [16, 16, 1]), 100 two-moons points (numpy, seed 0), SVM max-margin loss with
1e-4 L2, full batch, forward + backward + SGD, 20 steps. Both engines start from the
same weights and alternate step by step in one process, with the garbage collector on
(as users run them). Prints seconds per step, graph nodes per step, the ratio, and both
final losses (equal weights, so they should agree).

    python benchmarks/scalar_mlp.py            # pip install micrograd==0.1.0 for the peer
"""

from __future__ import annotations

import random
import time

import numpy as np

from autograd import dot, sum_values, topological_order
from nn import MLP

STEPS = 20
ALPHA = 1e-4


def two_moons(n: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, labels -1 / +1 (as sklearn's make_moons, in numpy)."""
    rng = np.random.default_rng(seed)
    half = n // 2
    t_out, t_in = np.linspace(0, np.pi, half), np.linspace(0, np.pi, n - half)
    outer = np.stack([np.cos(t_out), np.sin(t_out)], axis=1)
    inner = np.stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)], axis=1)
    X = np.concatenate([outer, inner]) + rng.normal(0, noise, (n, 2))
    y = np.concatenate([-np.ones(half), np.ones(n - half)])
    return X, y


def chainrule_step(model: MLP, X: np.ndarray, y: np.ndarray, lr: float, count: bool = False
                   ) -> tuple[float, int]:
    scores = [model(list(row)) for row in X.tolist()]
    margins = [(1 - yi * si).relu() for yi, si in zip(y.tolist(), scores)]
    params = model.parameters()
    loss = sum_values(margins) / len(margins) + ALPHA * dot(params, params)
    nodes = len(topological_order(loss)) if count else 0  # counted once, outside the timing
    model.zero_grad()
    loss.backward()
    for p in params:
        p.data -= lr * p.grad
    return loss.data, nodes


def micrograd_step(model, X: np.ndarray, y: np.ndarray, lr: float, count: bool = False
                   ) -> tuple[float, int]:
    from micrograd.engine import Value as MValue

    inputs = [list(map(MValue, row)) for row in X.tolist()]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(y.tolist(), scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    loss = data_loss + reg_loss
    nodes = _count_micrograd_nodes(loss) if count else 0
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data, nodes


def _count_micrograd_nodes(root) -> int:
    seen, stack = {id(root)}, [root]
    while stack:
        for child in stack.pop()._prev:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


def main() -> None:
    X, y = two_moons()
    random.seed(1337)
    ours = MLP(2, [16, 16, 1])
    try:
        from micrograd.nn import MLP as MicroMLP
    except ImportError:
        theirs = None
        print("micrograd not installed (pip install micrograd==0.1.0): timing chainrule only")
    else:
        theirs = MicroMLP(2, [16, 16, 1])
        for mine, other in zip(ours.parameters(), theirs.parameters(), strict=True):
            other.data = mine.data  # same starting weights: same losses expected
    times: dict[str, list[float]] = {"chainrule": [], "micrograd": []}
    nodes: dict[str, int] = {}
    losses: dict[str, float] = {}
    for k in range(STEPS):
        lr = 1.0 - 0.9 * k / 100
        runs = [("chainrule", chainrule_step, ours)]
        if theirs is not None:
            runs.append(("micrograd", micrograd_step, theirs))
        if k % 2:
            runs.reverse()  # alternate who goes first
        for name, step, model in runs:
            if k == 0:  # an untimed step to count the graph's nodes
                nodes[name] = step(model, X, y, 0.0, count=True)[1]
            start = time.perf_counter()
            losses[name], _ = step(model, X, y, lr)
            times[name].append(time.perf_counter() - start)
    per_step = {name: float(np.median(t)) for name, t in times.items() if t}
    for name, seconds in per_step.items():
        print(f"{name:>10}: {seconds * 1000:8.1f} ms/step (median of {STEPS}), "
              f"{nodes[name]:>6} nodes/step, final loss {losses[name]:.6f}")
    if "micrograd" in per_step:
        ratio = per_step["micrograd"] / per_step["chainrule"]
        print(f"chainrule is {ratio:.1f}x faster than micrograd per training step")


if __name__ == "__main__":
    main()
