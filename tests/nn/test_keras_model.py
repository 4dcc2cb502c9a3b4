"""The Keras-shaped model API: seed 002's program, lazy Dense, Keras names, summary."""

import functools
import warnings

import numpy as np
import pytest

from autograd import Tensor, Value, gradcheck
from nn import (
    MLP,
    SGD,
    CategoricalCrossentropy,
    Dense,
    Linear,
    Sequential,
    binary_cross_entropy,
    binary_crossentropy,
    categorical_crossentropy,
    cross_entropy,
    fit,
    fur_and_wings,
    keras_names,
    manual_seed,
    one_hot,
    sparse_categorical_crossentropy,
)
from nn.callbacks import History


def seed_002_program():
    """Seed file 002's code with its imports changed (the data fixed by fur_and_wings)."""
    x_data, y_data = fur_and_wings()
    model = Sequential([
        Dense(3, activation='relu', kernel_initializer='random_uniform',
              bias_initializer='zeros'),
        Dense(3, activation='softmax'),
    ])
    model.compile(optimizer='SGD', loss='categorical_crossentropy', metrics=['accuracy'])
    history = model.fit(x_data, y_data, epochs=1000, verbose=0)
    return model, history


def hand_forward(X, W1, b1, W2, b2):
    hidden = np.maximum(X @ W1 + b1, 0.0)
    z = hidden @ W2 + b2
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def hand_loss(params, X, Y):
    """Categorical cross-entropy on probabilities, as Keras: clip to [1e-7, 1 - 1e-7]."""
    p = np.clip(hand_forward(X, *params), 1e-7, 1 - 1e-7)
    return float(np.mean(-(Y * np.log(p)).sum(axis=1)))


def test_seed_002_program_runs_and_its_first_loss_is_the_hand_calculation():
    X, Y = fur_and_wings()
    manual_seed(0)
    twin = Sequential([Dense(3, activation="relu", kernel_initializer="random_uniform"),
                       Dense(3, activation="softmax")]).build((None, 2))
    start = [p.data.copy() for p in twin.parameters()]   # the same draws fit makes
    manual_seed(0)
    model, history = seed_002_program()
    assert isinstance(history, History) and len(history.history["loss"]) == 1000
    # Keras's default: batch_size 32, so one batch of all 6 rows per epoch, and the
    # first epoch's loss is the loss of the initial weights
    assert history.history["loss"][0] == pytest.approx(hand_loss(start, X, Y), rel=1e-12)
    assert np.abs(start[0]).max() <= 0.05 and not start[1].any()   # random_uniform, zeros
    accuracy = history.history["accuracy"][-1]
    loss, evaluated = model.evaluate(X, Y)
    assert 0.0 <= accuracy <= 1.0 and evaluated == pytest.approx(
        np.mean(model.predict(X).argmax(1) == Y.argmax(1)))
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history["lr"][0] == 0.01                       # Keras's SGD default


def test_one_epoch_is_one_sgd_step_on_the_central_difference_gradient():
    X, Y = fur_and_wings()
    manual_seed(3)
    # random biases: with zero ones the rows [0, 0] sit on ReLU's kink, where central
    # differences average the two slopes
    model = Sequential([Dense(3, activation="relu", bias_initializer="random_uniform",
                              input_dim=2), Dense(3, "softmax")])
    model.build((None, 2))
    start = [p.data.copy() for p in model.parameters()]
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    model.fit(X, Y, epochs=1, verbose=0)
    h = 1e-6
    for i, (before, param) in enumerate(zip(start, model.parameters(), strict=True)):
        numeric = np.zeros_like(before)
        for index in np.ndindex(before.shape):
            up = [s.copy() for s in start]
            down = [s.copy() for s in start]
            up[i][index] += h
            down[i][index] -= h
            numeric[index] = (hand_loss(up, X, Y) - hand_loss(down, X, Y)) / (2 * h)
        np.testing.assert_allclose(param.data, before - 0.01 * numeric, atol=1e-9)


def test_keras_cross_entropies_take_probabilities():
    z = np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 3.0]])
    labels = np.array([0, 2])
    probs = Tensor(z).softmax(axis=1)
    expected = float(cross_entropy(Tensor(z), labels).data)
    assert float(categorical_crossentropy(probs, one_hot(labels, 3)).data) == \
        pytest.approx(expected)
    assert float(sparse_categorical_crossentropy(probs, labels).data) == pytest.approx(expected)
    assert float(categorical_crossentropy(Tensor(z), one_hot(labels, 3), from_logits=True)
                 .data) == pytest.approx(expected)
    assert float(CategoricalCrossentropy(from_logits=True)(Tensor(z), one_hot(labels, 3))
                 .data) == pytest.approx(expected)
    with pytest.raises(ValueError, match="holds 2, which is not a probability.*from_logits=True"):
        categorical_crossentropy(Tensor(z), one_hot(labels, 3))
    # the same numbers through the Value engine
    rows = [[Value(v) for v in row] for row in probs.data.tolist()]
    assert categorical_crossentropy(rows, one_hot(labels, 3)).data == pytest.approx(expected)


def test_keras_cross_entropies_clip_as_keras_and_have_checked_gradients():
    certain = Tensor(np.array([[0.0, 1.0]]))
    assert float(categorical_crossentropy(certain, [[1, 0]]).data) == \
        pytest.approx(-np.log(1e-7))
    p = Tensor(np.array([[0.3], [0.9]]))
    assert float(binary_crossentropy(p, [1, 0]).data) == \
        pytest.approx(float(binary_cross_entropy(p, [1, 0]).data))
    assert float(binary_crossentropy(Tensor(np.array([[0.0]])), [1]).data) == \
        pytest.approx(-np.log(1e-7))

    def categorical(a, b, c):
        total = a + b + c
        return -(0.3 * (a / total).log() + 0.7 * (c / total).log())

    assert gradcheck(categorical, [0.2, 0.5, 0.3])
    probs = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]])
    target = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    t = Tensor(probs, requires_grad=True)
    categorical_crossentropy(t, target).backward()
    h = 1e-6
    numeric = np.zeros_like(probs)
    for index in np.ndindex(probs.shape):
        up, down = probs.copy(), probs.copy()
        up[index] += h
        down[index] -= h
        numeric[index] = (float(categorical_crossentropy(Tensor(up), target).data)
                          - float(categorical_crossentropy(Tensor(down), target).data)) / (2 * h)
    np.testing.assert_allclose(t.grad, numeric, atol=1e-6)


@pytest.mark.parametrize("table", ["LOSSES", "INITIALIZERS", "METRICS"])
def test_keras_names_round_trip(table):
    resolve = {"LOSSES": keras_names.get_loss, "INITIALIZERS": keras_names.get_initializer,
               "METRICS": keras_names.get_metric}[table]
    for name in getattr(keras_names, table):
        thing = resolve(name)
        assert resolve(keras_names.name_of(thing)) is thing
        camel = "".join(part.capitalize() for part in name.split("_"))
        assert resolve(camel) is thing and resolve(name.upper()) is thing


def test_keras_optimizer_names_round_trip_with_keras_defaults():
    params = [Linear(2, 1).weight]
    defaults = {"sgd": 0.01, "adam": 0.001, "rmsprop": 0.001, "adamw": 0.001}
    for name, lr in defaults.items():
        optimizer = keras_names.get_optimizer(name.upper(), params)
        assert optimizer.lr == lr and keras_names.name_of(optimizer) == name
    assert keras_names.get_optimizer("RMSprop", params).alpha == 0.9     # Keras's rho
    assert keras_names.get_optimizer("sgd", params, learning_rate=0.5).lr == 0.5
    with pytest.raises(ValueError, match=r"unknown optimizer 'adamm' \(did you mean 'adam'\?\)"
                                         r"; known names \(any case\): sgd, adam"):
        keras_names.get_optimizer("adamm", params)


def test_summary_counts_match_hand_counts():
    model = Sequential([Dense(4, "relu", input_dim=3), Dense(2, use_bias=False), Dense(1)])
    summary = model.summary()
    # 3·4 + 4 = 16;  4·2 (no bias) = 8;  2·1 + 1 = 3
    assert [row.params for row in summary.rows] == [16, 8, 3]
    assert [row.output_shape for row in summary.rows] == [(None, 4), (None, 2), (None, 1)]
    assert (summary.total, summary.trainable, summary.non_trainable) == (27, 27, 0)
    model.layers[0].trainable = False
    summary = model.summary()
    assert (summary.total, summary.trainable, summary.non_trainable) == (27, 11, 16)
    text = str(summary)
    assert "Total params: 27" in text and "Non-trainable params: 16" in text
    assert "<table" in summary._repr_html_() and "(None, 4)" in summary._repr_html_()
    scalar = MLP(2, [3, 1]).summary()                      # (2·3 + 3) + (3·1 + 1)
    assert scalar.total == 13 and [row.params for row in scalar.rows] == [9, 4]


def test_lazy_dense_learns_its_input_size_at_the_first_call_or_from_build():
    manual_seed(0)
    model = Sequential([Dense(5, activation="tanh"), Dense(2)])
    assert not model.built and model.parameters() == []
    assert [row.cells()[2] for row in model.summary().rows] == ["0 (unbuilt)"] * 2
    assert model(np.ones((3, 7))).shape == (3, 2) and model.built
    assert model.layers[0].layers[0].weight.shape == (7, 5)
    built = Sequential([Dense(4)]).build((None, 6))
    assert built.layers[0].layers[0].weight.shape == (6, 4)
    assert "input_dim=?" in repr(Dense(3)) and "input_dim=6" in repr(built.layers[0])


def test_old_two_integer_dense_warns_with_the_new_spelling_and_still_works():
    manual_seed(0)
    with pytest.warns(DeprecationWarning,
                      match=r"write Keras's Dense\(3, activation='relu', "
                            r"kernel_initializer='uniform', input_dim=2\)"):
        old = Dense(2, 3, "relu", init="uniform")
    manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        new = Dense(3, activation="relu", kernel_initializer="uniform", input_dim=2)
    assert old.built and np.array_equal(old.layers[0].weight.data, new.layers[0].weight.data)
    assert type(old.layers[1]).__name__ == "ReLU"


def test_an_optimizer_by_name_is_built_at_the_first_batch_over_the_parameters_then():
    X, Y = fur_and_wings()
    model = Sequential([Dense(3, "relu"), Dense(3, "softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    assert model.optimizer is None
    model.fit(X, Y, epochs=2, verbose=0)
    assert model.optimizer.lr == 0.001 and len(model.optimizer.params) == 4
    with pytest.raises(RuntimeError, match="made before the model knew its input size"):
        Sequential([Dense(3, input_dim=2), Dense(2)]).compile(
            optimizer=SGD(Linear(1, 1).parameters(), lr=0.1), loss="mse")


def test_model_fit_and_nn_fit_run_the_same_loop():
    X, Y = fur_and_wings()
    results = []
    for use_method in (True, False):
        manual_seed(1)
        model = Sequential([Dense(4, "relu"), Dense(3, "softmax")])
        if use_method:
            model.compile(optimizer="sgd", loss="categorical_crossentropy",
                          metrics=["accuracy"])
            history = model.fit(X, Y, epochs=5, batch_size=2, verbose=0, seed=0)
        else:
            history = fit(model, X, Y, loss="categorical_crossentropy", optimizer="sgd",
                          metrics=["accuracy"], epochs=5, batch_size=2, progress=False, seed=0)
        results.append((history.history, [p.data.copy() for p in model.parameters()]))
    assert results[0][0] == results[1][0]
    assert all(np.array_equal(a, b) for a, b in zip(results[0][1], results[1][1], strict=True))


def test_evaluate_predict_train_on_batch_and_validation_split_as_keras():
    manual_seed(0)
    X, Y = fur_and_wings()
    model = Sequential([Dense(8, "relu"), Dense(3, "softmax")])
    model.compile(optimizer=functools.partial(SGD, lr=0.5), loss="categorical_crossentropy")
    first = model.train_on_batch(X, Y)
    assert isinstance(first, float) and isinstance(model.evaluate(X, Y), float)
    assert model.optimizer.lr == 0.5
    for _ in range(200):
        model.train_on_batch(X, Y)
    assert model.evaluate(X, Y) < first
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    loss, accuracy = model.evaluate(X, Y)
    assert model.train_on_batch(X[:2], Y[:2])[0] > 0
    assert model.predict(X).shape == (6, 3) and 0 <= accuracy <= 1
    history = model.fit(X, Y, epochs=2, validation_split=0.5, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy", "lr"}
    # the last half is held out, before shuffling, as Keras
    assert history.history["val_loss"][-1] == pytest.approx(model.evaluate(X[3:], Y[3:])[0])


def test_sequential_add_and_keras_activation_names():
    model = Sequential()
    model.add(Dense(4, activation="linear", input_dim=3))
    model.add(Dense(2, activation="sigmoid"))
    out = model.predict(np.ones((5, 3)))
    assert out.shape == (5, 2) and ((out > 0) & (out < 1)).all()
    assert [layer.name for layer in model] == ["0: Dense", "1: Dense"]
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        Dense(2, activation="swish")
    with pytest.raises(TypeError, match="takes kernel_initializer=, not init="):
        Dense(2, init="he_normal")


def test_verbose_2_prints_one_line_per_epoch_and_0_prints_nothing(capsys):
    X, Y = fur_and_wings()
    model = Sequential([Dense(3, "relu"), Dense(3, "softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(X, Y, epochs=2, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[1].startswith("epoch 2/2 - loss: ")
    assert "accuracy: " in lines[1]
    model.fit(X, Y, epochs=2, verbose=0)
    assert capsys.readouterr() == ("", "")


def test_a_metric_function_of_ones_own_in_compile():
    X, Y = fur_and_wings()

    def wrong_rows(outputs, targets):
        return float(np.sum(outputs.argmax(1) != targets.argmax(1)))

    model = Sequential([Dense(3, "relu"), Dense(3, "softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy",
                  metrics=[wrong_rows, "mae"])
    history = model.fit(X, Y, epochs=2, verbose=0, validation_data=(X, Y))
    assert {"wrong_rows", "mae", "val_wrong_rows", "val_mae"} <= set(history.history)
    loss, wrong, mae = model.evaluate(X, Y)
    assert wrong == np.sum(model.predict(X).argmax(1) != Y.argmax(1))
    assert mae == pytest.approx(np.mean(np.abs(model.predict(X) - Y)))
