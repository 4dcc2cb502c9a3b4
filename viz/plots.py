"""Plots for training: loss curves, decision boundaries, activations, learning rates.

matplotlib is imported only when a plot is drawn (it is in the ``plots`` extra), so
``import viz`` works without it. Each function draws into ``ax`` when given one, else a
new figure, and returns the matplotlib ``Figure``; ``theme=`` (``viz.THEMES``) styles
it. The numbers behind a plot come from plain functions (``activation_curve``,
``decision_grid``) that need no matplotlib.

    >>> import numpy as np
    >>> x, y, dy = activation_curve("sigmoid", np.array([0.0]))
    >>> float(y[0]), float(dy[0])          # σ(0) = 0.5, σ'(0) = σ(0)(1 - σ(0)) = 0.25
    (0.5, 0.25)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import RULES, Value, grad
from nn.arguments import is_whole
from nn.metrics import predicted_classes
from nn.schedules import Schedule
from nn.training import History, predict

from .themes import themed_plot

ACTIVATIONS = ("step", "sigmoid", "tanh", "relu", "leaky_relu")


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("viz.plots needs matplotlib, which is not installed; install it "
                          "with: pip install 'chainrule[plots]' (or pip install matplotlib)"
                          ) from None
    return plt


def _axes(ax: Any, **figure: Any) -> tuple[Any, Any]:
    if ax is not None:
        return ax.figure, ax
    plt = _pyplot()
    fig, ax = plt.subplots(**figure)
    return fig, ax


def _line_style(plt: Any, k: int) -> dict[str, Any]:
    """The k-th style of the theme's line cycle (colour, and dashes in the print theme)."""
    cycle = plt.rcParams["axes.prop_cycle"].by_key()
    return {key: values[k % len(values)] for key, values in cycle.items()}


def activation_curve(name: str, x: Sequence[float] | np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, f(x), f'(x)) for an activation, both from the engine: f'(x) is what backprop
    computes (``autograd.grad``), not a re-typed formula.

    >>> activation_curve("relu", [-1.0, 2.0])[2].tolist()
    [0.0, 1.0]
    """
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}")
    xs = np.asarray(x, dtype=float)
    if xs.ndim != 1:
        raise ValueError(f"activation_curve needs a 1-D list of points, got shape {xs.shape}")
    ys, dys = [], []
    for point in xs.tolist():
        leaf = Value(point)
        out = getattr(leaf, name)()
        ys.append(out.data)
        dys.append(float(grad(out, [leaf])[0]))
    return xs, np.array(ys), np.array(dys)


@themed_plot
def plot_activations(names: Sequence[str] = ACTIVATIONS, x_range: tuple[float, float] = (-5, 5),
                     points: int = 201) -> Any:
    """One panel per activation: the function and, beside it, its derivative.

    The derivative's formula from the rule table is the panel's legend.
    """
    plt = _pyplot()
    names = list(names)
    fig, axes = plt.subplots(len(names), 2, figsize=(8, 2.2 * len(names)), squeeze=False)
    x = np.linspace(*x_range, points)
    for row, name in zip(axes, names, strict=True):
        xs, ys, dys = activation_curve(name, x)
        row[0].plot(xs, ys, **_line_style(plt, 0))
        row[0].set_title(name)
        row[1].plot(xs, dys, **_line_style(plt, 1), label=RULES[name].formula(0, 1))
        row[1].set_title(f"d {name} / dx")
        row[1].legend(loc="best", fontsize="small")
        for ax in row:
            ax.axhline(0, color="grey", linewidth=0.5)
            ax.axvline(0, color="grey", linewidth=0.5)
    fig.tight_layout()
    return fig


@themed_plot
def plot_history(history: History | dict[str, History], keys: Sequence[str] | None = None,
                 ax: Any = None) -> Any:
    """Loss and metric curves over epochs; ``val_*`` curves dashed beside their partner.

    ``keys`` defaults to every logged number except the learning rate. Losses and
    metrics get separate panels (different scales) unless ``ax`` is given.

    To compare runs (learning rates, optimizers, initialisers), pass a dict
    ``{"SGD": history1, "Adam": history2}``: one panel per key (default ``"loss"``),
    one line per run.
    """
    if isinstance(history, dict):
        return _compare_histories(history, keys or ["loss"], ax)
    if not isinstance(history, History):
        raise TypeError(f"plot_history needs the History returned by fit, got {history!r:.60}")
    keys = [k for k in history.keys() if k != "lr"] if keys is None else list(keys)
    for key in keys:
        history[key]  # a KeyError naming the available keys
    losses = [k for k in keys if "loss" in k]
    others = [k for k in keys if "loss" not in k]
    if ax is not None:
        panels = [(ax, keys)]
        fig = ax.figure
    else:
        plt = _pyplot()
        groups = [g for g in (losses, others) if g]
        fig, axes = plt.subplots(1, len(groups), figsize=(5 * len(groups), 3.5), squeeze=False)
        panels = list(zip(axes[0], groups, strict=True))
    for panel, group in panels:
        for key in group:
            style = "--" if key.startswith("val_") else "-"
            panel.plot(history.epochs, history[key], style, label=key)
        panel.set_xlabel("epoch")
        panel.legend()
    fig.tight_layout()
    return fig


def _compare_histories(runs: dict[str, History], keys: Sequence[str], ax: Any) -> Any:
    for name, run in runs.items():
        if not isinstance(run, History):
            raise TypeError(f"plot_history: runs[{name!r}] is not a History, got {run!r:.60}")
        for key in keys:
            run[key]  # a KeyError naming the available keys
    if ax is not None:
        panels, fig = [(ax, key) for key in keys], ax.figure
    else:
        plt = _pyplot()
        fig, axes = plt.subplots(1, len(keys), figsize=(5 * len(keys), 3.5), squeeze=False)
        panels = list(zip(axes[0], keys, strict=True))
    for panel, key in panels:
        for name, run in runs.items():
            panel.plot(run.epochs, run[key], label=name)
        panel.set_xlabel("epoch")
        panel.set_ylabel(key)
        panel.legend()
    fig.tight_layout()
    return fig


def decision_grid(model: Any, X: Any, resolution: int = 200, padding: float = 0.5,
                  threshold: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xx, yy, classes): the model's predicted class on a grid covering X's 2 columns."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"a decision boundary needs 2-D inputs (N, 2), got shape {X.shape}")
    if not is_whole(resolution) or resolution < 2:
        raise ValueError(f"resolution must be a whole number of grid points >= 2 per side, "
                         f"got {resolution!r}")
    low, high = X.min(axis=0) - padding, X.max(axis=0) + padding
    xx, yy = np.meshgrid(np.linspace(low[0], high[0], resolution),
                         np.linspace(low[1], high[1], resolution))
    outputs = predict(model, np.column_stack([xx.ravel(), yy.ravel()]))
    classes = predicted_classes(outputs, threshold).reshape(xx.shape)
    return xx, yy, classes


@themed_plot
def plot_decision_boundary(model: Any, X: Any, y: Any, ax: Any = None, resolution: int = 200,
                           padding: float = 0.5, threshold: float = 0.5) -> Any:
    """Colour the plane by the class a 2-input classifier predicts; draw the data on top.

    One output: class 1 where output > ``threshold`` (0.5 for probabilities, use 0 for
    logits or ±1 scores). Several outputs: the argmax. Value models predict point by
    point, so keep ``resolution`` modest (say 50) for them.
    """
    xx, yy, classes = decision_grid(model, X, resolution, padding, threshold)
    fig, ax = _axes(ax, figsize=(5, 4.5))
    labels = np.asarray(y)
    if labels.ndim == 2:
        labels = labels.argmax(axis=1)
    # One colour scale for regions and points, over every class either of them has: a
    # model that never predicts some class must not shift the colours of the others.
    n_classes = int(max(classes.max(), labels.max())) + 1
    ax.contourf(xx, yy, classes, alpha=0.3, levels=np.arange(n_classes + 1) - 0.5)  # theme's map
    X = np.asarray(X, dtype=float)
    outline = _pyplot().rcParams["axes.edgecolor"]  # the theme's ink (black on light)
    ax.scatter(X[:, 0], X[:, 1], c=labels, edgecolors=outline, s=20,
               vmin=-0.5, vmax=n_classes - 0.5)
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    return fig


@themed_plot
def plot_schedule(schedule: Schedule, steps: int, ax: Any = None) -> Any:
    """The learning rate a schedule gives at steps 0 .. steps - 1."""
    if not isinstance(schedule, Schedule):
        raise TypeError(f"plot_schedule needs an nn schedule (StepDecay, CosineDecay, ...), "
                        f"got {schedule!r:.60}")
    fig, ax = _axes(ax, figsize=(5, 3))
    ax.plot(np.arange(steps), schedule.rates(steps))
    ax.set_xlabel("step")
    ax.set_ylabel("learning rate")
    ax.set_title(repr(schedule))
    return fig
