import numpy as np
import pytest

from nn import (
    Adam,
    Linear,
    ReLU,
    Sequential,
    cross_entropy,
    evaluate,
    fit,
    grid_search,
    log_uniform,
    random_search,
    two_moons,
)

X, Y = two_moons(120, noise=0.15, seed=0)


def train(params, X_tr, y_tr, X_val, y_val):
    model = Sequential(Linear(2, params["hidden"]), ReLU(), Linear(params["hidden"], 2))
    fit(model, X_tr, y_tr, loss=cross_entropy, optimizer=Adam(model.parameters(), params["lr"]),
        epochs=params.get("epochs", 30), batch_size=32, progress=False, seed=0)
    return evaluate(model, X_val, y_val)["accuracy"]


def test_grid_search_ranks_every_combination_by_cross_validated_score():
    result = grid_search(train, {"hidden": [1, 16], "lr": [0.001, 0.05]}, X, Y, folds=3,
                         stratified=True, seed=0)
    assert len(result.results) == 4
    means = [r["mean_score"] for r in result.results]
    assert means == sorted(means, reverse=True)
    for r in result.results:
        assert len(r["scores"]) == 3 and r["mean_score"] == pytest.approx(np.mean(r["scores"]))
    assert result.best_params == {"hidden": 16, "lr": 0.05}
    assert result.best_score > 0.8
    table = result.table()
    assert table.splitlines()[0].split() == ["rank", "hidden", "lr", "mean", "std"]
    assert len(table.splitlines()) == 5


def test_search_is_reproducible_with_a_seed():
    grid = {"hidden": [4], "lr": [0.01]}
    a = grid_search(train, grid, X, Y, folds=2, seed=3)
    b = grid_search(train, grid, X, Y, folds=2, seed=3)
    assert a.results[0]["scores"] == b.results[0]["scores"]


def test_random_search_samples_lists_and_distributions_reproducibly():
    seen = []

    def record(params, X_tr, y_tr, X_val, y_val):
        seen.append(params)
        return -abs(np.log10(params["lr"]) + 2)      # best near lr = 0.01

    space = {"lr": log_uniform(1e-4, 1.0), "batch_size": [8, 16, 32]}
    result = random_search(record, space, X, Y, n_iter=6, folds=2, seed=7)
    assert len(result.results) == 6 and len(seen) == 12
    assert all(1e-4 <= p["lr"] <= 1.0 and p["batch_size"] in (8, 16, 32) for p in seen)
    again = random_search(record, space, X, Y, n_iter=6, folds=2, seed=7)
    assert [r["params"] for r in again.results] == [r["params"] for r in result.results]
    assert abs(np.log10(result.best_params["lr"]) + 2) == pytest.approx(-result.best_score)


def test_search_arguments_are_checked():
    with pytest.raises(ValueError, match="non-empty list"):
        grid_search(train, {"lr": []}, X, Y)
    with pytest.raises(ValueError, match="space is empty"):
        random_search(train, {}, X, Y)
    with pytest.raises(ValueError, match="space\\['lr'\\]"):
        random_search(train, {"lr": 0.1}, X, Y)


def test_search_leaves_the_callers_random_state_alone():
    import random

    from nn import manual_seed
    from nn.seeding import generator

    manual_seed(5)
    expected = (random.random(), generator().random())
    manual_seed(5)
    grid_search(train, {"hidden": [2], "lr": [0.01], "epochs": [1]}, X, Y, folds=2, seed=0)
    assert (random.random(), generator().random()) == expected


def test_results_table_rounds_floats():
    import numpy as np

    from nn import grid_search

    result = grid_search(lambda params, *data: 1.0, {"lr": [0.1 + 0.2]}, np.zeros((6, 1)),
                         np.zeros(6), folds=3)
    assert "0.30000000000000004" not in result.table() and " 0.3 " in result.table()
