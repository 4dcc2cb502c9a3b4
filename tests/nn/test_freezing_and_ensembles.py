"""Freezing (no gradient, no update, counted non-trainable, drawn), ensembles, bagging."""

import numpy as np
import pytest

from nn import (
    MLP,
    SGD,
    Dense,
    Ensemble,
    Sequential,
    bootstrap,
    fit,
    fur_and_wings,
    manual_seed,
    mse,
)


def body_and_head():
    manual_seed(0)
    body = Sequential([Dense(6, "relu", input_dim=2)])
    head = Dense(3, "softmax", input_dim=6)
    return body, head, Sequential([body, head])


def test_a_frozen_layer_is_bit_identical_after_fit_and_gets_no_gradient():
    X, Y = fur_and_wings()
    body, head, model = body_and_head()
    body.trainable = False
    frozen = [p.data.copy() for p in body.parameters()]
    head_before = [p.data.copy() for p in head.parameters()]
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    model.fit(X, Y, epochs=20, verbose=0)
    assert all(np.array_equal(p.data, f) for p, f in zip(body.parameters(), frozen, strict=True))
    assert all(p.grad is None and not p.requires_grad for p in body.parameters())
    assert not all(np.array_equal(p.data, b)
                   for p, b in zip(head.parameters(), head_before, strict=True))
    assert len(model.optimizer.params) == 2                    # only the head's W and b
    summary = model.summary()
    assert (summary.trainable, summary.non_trainable) == (6 * 3 + 3, 2 * 6 + 6)


def test_a_frozen_batch_norm_keeps_its_running_statistics():
    from nn import BatchNorm1d

    X, Y = fur_and_wings()
    manual_seed(0)
    norm = BatchNorm1d(4)
    model = Sequential([Dense(4, input_dim=2), norm, Dense(3, "softmax")])
    norm.freeze()
    before = model.state_dict()
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    model.fit(X, Y, epochs=3, verbose=0)
    after = model.state_dict()
    for name in ("layers.1.running_mean", "layers.1.running_var", "layers.1.weight"):
        assert np.array_equal(before[name], after[name]), name
    assert not np.array_equal(before["layers.0.layers.0.weight"],
                              after["layers.0.layers.0.weight"])


def test_unfreezing_for_fine_tuning_needs_a_new_compile_as_in_keras():
    X, Y = fur_and_wings()
    body, head, model = body_and_head()
    body.freeze()
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    model.fit(X, Y, epochs=2, verbose=0)
    body.unfreeze()
    assert body.trainable and all(p.requires_grad for p in body.parameters())
    with pytest.raises(RuntimeError, match=r"call model.compile\(...\) again"):
        model.fit(X, Y, epochs=1, verbose=0)
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    before = [p.data.copy() for p in body.parameters()]
    model.fit(X, Y, epochs=2, verbose=0)
    assert not np.array_equal(body.parameters()[0].data, before[0])


def test_everything_frozen_is_an_error_and_trainable_takes_booleans():
    X, Y = fur_and_wings()
    _, _, model = body_and_head()
    model.freeze()
    with pytest.raises(ValueError, match="nothing to train: every parameter"):
        fit(model, X, Y, loss="categorical_crossentropy", optimizer="sgd", progress=False)
    with pytest.raises(ValueError, match="nothing to train"):
        fit(model, X, Y, loss="categorical_crossentropy", progress=False,
            optimizer=SGD(model.parameters(), lr=0.1))
    with pytest.raises(TypeError, match="trainable must be True or False, got 'no'"):
        model.trainable = "no"


def test_lazy_layers_made_after_freeze_are_frozen_too():
    layer = Dense(3).freeze()
    layer(np.ones((2, 4)))
    assert layer.trainable_parameters() == [] and not layer.layers[0].weight.requires_grad


def test_a_frozen_value_layer_is_not_updated():
    manual_seed(0)
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([1.0, 1.0, 0.0])
    model = MLP(2, [3, 1])
    model.layers[0].freeze()
    before = [p.data for p in model.layers[0].parameters()]
    fit(model, X, y, loss=mse, optimizer="sgd", epochs=5, progress=False)
    assert [p.data for p in model.layers[0].parameters()] == before
    with pytest.raises(ValueError, match="frozen parameters of a Value model"):
        fit(model, X, y, loss=mse, optimizer=SGD(model.parameters(), lr=0.1), progress=False)


def test_drawings_mark_frozen_parameters():
    from viz import draw_graph

    _, head, model = body_and_head()
    head.freeze()                 # frozen after a trainable layer: its weights are in the graph
    out = model(np.ones((1, 2)))
    source = draw_graph(out.sum()).source
    assert source.count("frozen") == 2                   # the head's W and b, nothing else


def test_ensemble_mean_vote_and_member_spread():
    manual_seed(0)
    members = [Sequential([Dense(4, "relu", input_dim=2), Dense(3, "softmax")])
               for _ in range(3)]
    x = np.array([[0.0, 1.0], [1.0, 0.0]])
    each = np.stack([m.predict(x) for m in members])
    ensemble = Ensemble(members)
    np.testing.assert_allclose(ensemble.predict(x), each.mean(axis=0))
    np.testing.assert_allclose(ensemble.member_predictions(x), each)
    votes = Ensemble(members, combine="vote").predict(x)
    for row in range(2):
        counts = np.bincount(each[:, row].argmax(axis=1), minlength=3) / 3
        np.testing.assert_allclose(votes[row], counts)
    # the mean is a graph: an ensemble trains as one model
    X, Y = fur_and_wings()
    ensemble.compile(optimizer="sgd", loss="categorical_crossentropy")
    history = ensemble.fit(X, Y, epochs=30, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert ensemble.summary().total == 3 * (2 * 4 + 4 + 4 * 3 + 3)


def test_bootstrap_draws_rows_with_replacement():
    X = np.arange(1000)
    sample, twice = bootstrap(X, X * 2, seed=1)
    assert len(sample) == 1000 and (twice == 2 * sample).all()
    # about 1 - 1/e = 63% of the rows appear
    assert 0.58 < len(np.unique(sample)) / 1000 < 0.68
    assert (bootstrap(X, seed=1)[0] == sample).all()
