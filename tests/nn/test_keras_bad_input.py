"""Every bad input at the boundary of fit / evaluate / predict gets a clear error."""

import numpy as np
import pytest

from nn import (
    SGD,
    CSVLogger,
    Dense,
    EarlyStopping,
    Ensemble,
    ModelCheckpoint,
    Sequential,
    evaluate,
    fit,
    fur_and_wings,
    manual_seed,
    predict,
)


@pytest.fixture
def model():
    manual_seed(0)
    m = Sequential([Dense(4, "relu"), Dense(3, "softmax")])
    m.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    return m


X, Y = fur_and_wings()


@pytest.mark.parametrize("x, y, error, message", [
    ([[0, 0], [1]], Y[:2], ValueError, r"x is ragged: row 0 has 2 entries but row 1 has 1"),
    ([["a", "b"]] * 6, Y, TypeError, r"x must hold numbers, got dtype <U1 \(first entry 'a'\)"),
    (None, Y, TypeError, r"fit: x is None; pass the x as an array"),
    (X, None, TypeError, r"fit: y is None; pass the y as an array"),
    (X, 5, ValueError, r"y is a single number \(5\); pass one target per sample"),
    (X, Y[:5], ValueError, r"X has 6 samples but y has 5; give one target per sample"),
    (np.zeros((0, 2)), np.zeros((0, 3)), ValueError, r"x has no rows \(shape \(0, 2\)\)"),
    (np.arange(6.0), Y, ValueError, r"Sequential cannot infer its input size from x of "
                                    r"shape \(6,\).*x.reshape\(-1, 1\)"),
])
def test_bad_data_for_fit(model, x, y, error, message):
    with pytest.raises(error, match=message):
        model.fit(x, y, verbose=0)
    plain = Sequential([Dense(4, "relu"), Dense(3, "softmax")])
    with pytest.raises(error, match=message):
        fit(plain, x, y, loss="categorical_crossentropy", optimizer="sgd", progress=False)


@pytest.mark.parametrize("settings, error, message", [
    ({"validation_data": X}, TypeError, r"validation_data must be a pair \(x_val, y_val\), "
                                        r"got ndarray"),
    ({"validation_data": (X, Y, Y)}, TypeError, r"validation_data must be a pair"),
    ({"validation_split": 1.0}, ValueError, r"validation_split must be a fraction in "
                                            r"\[0, 1\), got 1.0"),
    ({"validation_split": -0.1}, ValueError, r"got -0.1"),
    ({"validation_split": 0.9}, ValueError, r"validation_split=0.9 of 6 samples leaves no "
                                            r"training rows"),
    ({"epochs": 0}, ValueError, r"epochs must be a whole number >= 1, got 0"),
    ({"callbacks": ["early"]}, TypeError, r"callbacks\[0\] is 'early', not a callback"),
    ({"callbacks": [EarlyStopping]}, TypeError, r"a class needs its parentheses"),
])
def test_bad_settings_for_fit(model, settings, error, message):
    with pytest.raises(error, match=message):
        model.fit(X, Y, verbose=0, **settings)


def test_predict_and_evaluate_name_their_bad_input(model):
    model.build((None, 2))
    with pytest.raises(ValueError, match=r"predict: x has no rows \(shape \(0, 2\)\)"):
        model.predict(np.zeros((0, 2)))
    with pytest.raises(ValueError, match=r"predict: x has no rows"):
        predict(model, [])
    with pytest.raises(ValueError, match="evaluate: X has 6 samples but y has 2"):
        model.evaluate(X, Y[:2])
    with pytest.raises(TypeError, match=r"the first argument must be the model.*"
                                        r"model.evaluate\(x, y"):
        evaluate(X, Y, loss="mse")


def test_unknown_names_list_the_known_ones():
    m = Sequential([Dense(2)])
    with pytest.raises(ValueError, match=r"unknown loss 'categorical_crossentopy' \(did you "
                                         r"mean 'categorical_crossentropy'\?\); known names"):
        m.compile(optimizer="sgd", loss="categorical_crossentopy")
    with pytest.raises(ValueError, match=r"unknown optimizer 'sdg'.*known names \(any case\): "
                                         r"sgd, adam, rmsprop, adamw"):
        m.compile(optimizer="sdg", loss="mse")
    with pytest.raises(ValueError, match=r"unknown metric 'acuracy'.*known names"):
        m.compile(optimizer="sgd", loss="mse", metrics=["acuracy"])
    with pytest.raises(ValueError, match=r"unknown initializer 'glorot'.*glorot_uniform"):
        Dense(3, kernel_initializer="glorot")
    with pytest.raises(ValueError, match="compile needs a loss"):
        m.compile(optimizer="sgd")
    with pytest.raises(TypeError, match=r"optimizer must be a name \('sgd', 'adam', ...\)"):
        m.compile(optimizer=3, loss="mse")


def test_fit_before_compile_says_to_compile():
    m = Sequential([Dense(2)])
    for call in (lambda: m.fit(X, Y), lambda: m.evaluate(X, Y),
                 lambda: m.train_on_batch(X, Y)):
        with pytest.raises(RuntimeError, match=r"call model.compile\(optimizer=..., loss=..., "
                                               r"metrics=\[...\]\) before model\.\w+"):
            call()


def test_a_model_whose_input_size_cannot_be_inferred():
    with pytest.raises(ValueError, match=r"Dense\(2\) cannot infer its input size from inputs "
                                         r"of shape \(3,\).*x.reshape\(-1, 1\).*input_dim="):
        Dense(2)(np.ones(3))
    with pytest.raises(ValueError, match=r"build takes the input shape with the batch axis "
                                         r"first, e.g. \(None, 2\)"):
        Sequential([Dense(2)]).build((2,))
    with pytest.raises(RuntimeError, match="before the model knew its input size"):
        m = Sequential([Dense(2, input_dim=3), Dense(2)])
        fit(m, np.ones((4, 3)), np.ones((4, 2)), loss="mse",
            optimizer=SGD(m.layers[0].parameters(), lr=0.1))
    with pytest.raises(ValueError, match=r"SGD got an empty parameter list.*model.build"):
        SGD(Sequential([Dense(2)]).parameters(), lr=0.1)


def test_ensembles_refuse_empty_lists_and_mismatched_members():
    with pytest.raises(ValueError, match="Ensemble needs at least one model, got an empty list"):
        Ensemble([])
    with pytest.raises(TypeError, match="members must be nn Modules"):
        Ensemble([Dense(2), "model"])
    with pytest.raises(ValueError, match="combine must be one of mean, vote, got 'median'"):
        Ensemble([Dense(2)], combine="median")
    pair = Ensemble([Dense(2, input_dim=3), Dense(4, input_dim=3)])
    with pytest.raises(ValueError, match=r"outputs of different shapes \[\(1, 2\), \(1, 4\)\]"):
        pair.predict(np.ones((1, 3)))


def test_loading_weights_into_an_unbuilt_model_says_to_build_it(tmp_path):
    from nn import ModelFileError

    Sequential([Dense(2, input_dim=3)]).save(tmp_path / "w.npz")
    with pytest.raises(ModelFileError, match=r"lazy layers without weights yet; call "
                                             r"model.build\(\(None, n_features\)\)"):
        Sequential([Dense(2)]).load(tmp_path / "w.npz")
    assert Sequential([Dense(2)]).build((None, 3)).load(tmp_path / "w.npz").built


def test_loggers_into_a_missing_folder(tmp_path):
    missing = tmp_path / "no such folder" / "log.csv"
    with pytest.raises(FileNotFoundError, match="CSVLogger: the folder .*no such folder.* does "
                                                "not exist; create it first"):
        CSVLogger(missing)
    with pytest.raises(FileNotFoundError, match="ModelCheckpoint: the folder"):
        ModelCheckpoint(tmp_path / "missing" / "best.npz")


def test_numpy_numbers_are_numbers_and_bools_are_not():
    import numpy as np

    from nn import ReduceLROnPlateau

    plateau = ReduceLROnPlateau(factor=np.float32(0.5), patience=np.int64(2))
    assert plateau.patience == 2 and EarlyStopping(patience=np.int64(3)).patience == 3
    m = Sequential([Dense(2, input_dim=2)])
    m.compile(optimizer="sgd", loss="mse")
    history = m.fit(np.ones((5, 2)), np.ones((5, 2)), epochs=np.int64(2),
                    validation_split=np.float32(0.4), verbose=0)
    assert len(history) == 2 and "val_loss" in history
    with pytest.raises(ValueError, match="epochs must be a whole number >= 1, got True"):
        m.fit(np.ones((5, 2)), np.ones((5, 2)), epochs=True)
    with pytest.raises(ValueError, match="patience must be a whole number >= 0, got True"):
        EarlyStopping(patience=True)
