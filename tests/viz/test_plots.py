"""viz.plots: activation curves from the engine, histories, decision boundaries, schedules."""

import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from nn import (  # noqa: E402
    SGD,
    CosineDecay,
    Linear,
    Perceptron,
    Sequential,
    fit,
    logic_gate,
    manual_seed,
    mse,
)
from viz import plots  # noqa: E402


def test_activation_derivatives_come_from_the_engine():
    x = np.linspace(-3, 3, 13)
    _, y, dy = plots.activation_curve("tanh", x)
    assert y == pytest.approx(np.tanh(x)) and dy == pytest.approx(1 - np.tanh(x) ** 2)
    _, y, dy = plots.activation_curve("step", x)
    assert y.tolist() == (x > 0).astype(float).tolist() and not dy.any()
    _, _, dy = plots.activation_curve("leaky_relu", np.array([-1.0, 1.0]))
    assert dy.tolist() == [0.01, 1.0]
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        plots.activation_curve("swish", x)
    with pytest.raises(ValueError, match=r"1-D list of points, got shape \(2, 2\)"):
        plots.activation_curve("relu", np.ones((2, 2)))


def test_plot_activations_draws_function_and_derivative_panels():
    fig = plots.plot_activations(["sigmoid", "relu"], points=21)
    assert len(fig.axes) == 4
    line = fig.axes[1].lines[0]
    assert np.max(line.get_ydata()) == pytest.approx(0.25)    # max of σ' at 0
    assert "σ(x)·(1 - σ(x))" in fig.axes[1].get_legend().get_texts()[0].get_text()


def test_plot_history_separates_losses_and_metrics():
    manual_seed(0)
    X, y = logic_gate("and")
    model = Sequential(Linear(2, 1))
    history = fit(model, X, y, loss=mse, optimizer=SGD(model.parameters(), lr=0.1), epochs=5,
                  metrics=["accuracy"], validation_data=(X, y), progress=False)
    fig = plots.plot_history(history)
    loss_ax, metric_ax = fig.axes
    assert [line.get_label() for line in loss_ax.lines] == ["loss", "val_loss"]
    assert [line.get_label() for line in metric_ax.lines] == ["accuracy", "val_accuracy"]
    assert list(loss_ax.lines[0].get_ydata()) == history["loss"]
    with pytest.raises(KeyError, match="no 'auc'"):
        plots.plot_history(history, keys=["auc"])
    fig = plots.plot_history({"run a": history, "run b": history}, keys=["loss", "accuracy"])
    assert [ax.get_ylabel() for ax in fig.axes] == ["loss", "accuracy"]
    assert [line.get_label() for line in fig.axes[0].lines] == ["run a", "run b"]


def test_decision_boundary_of_a_perceptron_for_and():
    X, y = logic_gate("and")
    p = Perceptron(2)
    p.fit(X, y)
    xx, yy, classes = plots.decision_grid(p, X, resolution=11, padding=0.0)
    assert classes[0, 0] == 0 and classes[-1, -1] == 1          # corners (0,0) and (1,1)
    fig = plots.plot_decision_boundary(p, X, y, resolution=11)
    assert len(fig.axes[0].collections) >= 2
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        plots.decision_grid(p, np.ones((3, 3)))
    with pytest.raises(ValueError, match="resolution must be a whole number"):
        plots.decision_grid(p, X, resolution=0)
    # a model that predicts class 0 everywhere: regions and points still share one scale
    fig = plots.plot_decision_boundary(Perceptron(2), X, y, resolution=5)
    regions, points = fig.axes[0].collections[0], fig.axes[0].collections[-1]
    assert (regions.norm.vmin, regions.norm.vmax) == (points.norm.vmin, points.norm.vmax)


def test_plot_schedule_draws_its_rates():
    schedule = CosineDecay(0.1, total_steps=50, warmup_steps=5)
    fig = plots.plot_schedule(schedule, 60)
    assert fig.axes[0].lines[0].get_ydata() == pytest.approx(schedule.rates(60))


def test_missing_matplotlib_gives_an_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install 'chainrule\[plots\]'"):
        plots.plot_schedule(CosineDecay(0.1, total_steps=5), 5)
    assert plots.activation_curve("relu", [1.0])[2].tolist() == [1.0]   # numbers still work
