"""Each callback on a scripted sequence of losses, then in a real fit."""

import csv

import numpy as np
import pytest

from nn import (
    SGD,
    CSVLogger,
    Dense,
    EarlyStopping,
    LearningRateScheduler,
    Linear,
    ModelCheckpoint,
    ReduceLROnPlateau,
    Sequential,
    StepDecay,
    fur_and_wings,
    manual_seed,
)


def drive(callback, losses, model=None, key="loss"):
    """Run the callback over a scripted loss sequence; return the epochs it asked to stop."""
    model = model or Linear(1, 1)
    callback.on_train_begin(model)
    stops = []
    for epoch, loss in enumerate(losses, start=1):
        callback.on_epoch_begin(epoch, model)
        if callback.on_epoch_end(epoch, {key: loss}, model):
            stops.append(epoch)
            break  # as fit does
    callback.on_train_end(model)
    return stops


def test_reduce_lr_on_plateau_cuts_after_patience_with_cooldown_and_floor():
    model = Linear(1, 1)
    plateau = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2, min_lr=0.02,
                                cooldown=1, min_delta=0.0)
    plateau.optimizer = SGD(model.parameters(), lr=0.1)
    # improves at 1, 2; stalls at 3, 4 -> cut at 4. As Keras: the cooldown epoch 5 resets
    # the count, which starts again at once (5, 6 -> cut at 6); 7, 8 -> 0.0125 is floored
    # at min_lr 0.02; at 10 the rate is already at the floor, so nothing is cut
    losses = [1.0, 0.9, 0.95, 0.91, 0.99, 0.98, 0.97, 0.97, 0.96, 0.92]
    assert drive(plateau, losses, model) == []          # it never stops training
    assert plateau.reductions == [(4, 0.05), (6, 0.025), (8, 0.02)]
    assert plateau.optimizer.lr == 0.02
    with pytest.raises(TypeError, match="changes a number learning rate"):
        plateau.optimizer = SGD(model.parameters(), lr=StepDecay(0.1, 2))
        plateau.on_train_begin(model)
    with pytest.raises(ValueError, match=r"factor must be in \(0, 1\)"):
        ReduceLROnPlateau(factor=2)


def test_early_stopping_keras_keywords_and_restored_weights():
    model = Linear(1, 1)
    weights = []

    class Recorder(EarlyStopping):
        def on_epoch_end(self, epoch, logs, model):
            model.weight.data[...] = epoch          # a different weight each epoch
            weights.append(epoch)
            return super().on_epoch_end(epoch, logs, model)

    stopper = Recorder(patience=2, monitor="val_loss", restore_best_weights=True)
    assert drive(stopper, [3.0, 1.0, 2.0, 1.5, 0.5], model, key="val_loss") == [4]
    assert stopper.best_epoch == 2 and model.weight.data.item() == 2.0
    keep = EarlyStopping(patience=1, monitor="val_loss", restore_best_weights=False)
    drive(keep, [3.0, 1.0, 2.0], model, key="val_loss")
    assert keep.restore_best is False
    assert EarlyStopping().patience == 5 and EarlyStopping().restore_best is True  # unchanged
    accuracy = EarlyStopping(patience=1, monitor="val_accuracy")
    assert drive(accuracy, [0.5, 0.7, 0.6], key="val_accuracy") == [3]


def test_learning_rate_scheduler_with_a_keras_function_and_a_schedule_object():
    model = Linear(1, 1)
    seen = []

    def schedule(epoch, lr):
        seen.append((epoch, lr))
        return lr if epoch < 2 else lr * 0.5

    keras_style = LearningRateScheduler(schedule)
    keras_style.optimizer = SGD(model.parameters(), lr=0.1)
    drive(keras_style, [1.0] * 4, model)
    assert seen == [(0, 0.1), (1, 0.1), (2, 0.1), (3, 0.05)]     # Keras counts epochs from 0
    assert keras_style.optimizer.lr == 0.025
    ours = LearningRateScheduler(StepDecay(0.2, step_size=2, gamma=0.1))
    ours.optimizer = SGD(model.parameters(), lr=StepDecay(1.0, 1))   # replaced each epoch
    rates = []
    ours.on_train_begin(model)
    for epoch in range(1, 5):
        ours.on_epoch_begin(epoch, model)
        rates.append(ours.optimizer.lr)
    assert rates == pytest.approx([0.2, 0.2, 0.02, 0.02])
    broken = LearningRateScheduler(lambda epoch, lr: -1)
    broken.optimizer = SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="the schedule gave -1 for epoch 0"):
        drive(broken, [1.0], model)
    with pytest.raises(TypeError, match="schedule must be a function"):
        LearningRateScheduler(0.1)
    with pytest.raises(RuntimeError, match="has no optimizer: fit sets it"):
        drive(LearningRateScheduler(StepDecay(0.1, 1)), [1.0])


def test_model_checkpoint_saves_every_epoch_or_only_the_best(tmp_path):
    model = Linear(1, 1)
    every = ModelCheckpoint(tmp_path / "ckpt-{epoch:02d}-{loss:.1f}.npz")
    drive(every, [3.0, 1.0, 2.0], model)
    assert [p.split("/")[-1] for p in every.saved] == ["ckpt-01-3.0.npz", "ckpt-02-1.0.npz",
                                                       "ckpt-03-2.0.npz"]
    best = ModelCheckpoint(tmp_path / "best.npz", monitor="loss", save_best_only=True)
    saved_weights = []

    class Moving(ModelCheckpoint):
        def on_epoch_end(self, epoch, logs, model):
            model.weight.data[...] = epoch
            result = super().on_epoch_end(epoch, logs, model)
            saved_weights.append(len(self.saved))
            return result

    best = Moving(tmp_path / "best.npz", monitor="loss", save_best_only=True)
    drive(best, [3.0, 1.0, 2.0, 0.5, 0.7], model)
    assert saved_weights == [1, 2, 2, 3, 3]                  # epochs 1, 2 and 4 improved
    restored = Linear(1, 1).load(tmp_path / "best.npz")
    assert restored.weight.data.item() == 4.0
    bad = ModelCheckpoint(tmp_path / "{nothing}.npz")
    with pytest.raises(ValueError, match=r"cannot fill .*\{nothing\}"):
        drive(bad, [1.0], model)


def test_csv_logger_writes_a_row_per_epoch_and_appends(tmp_path):
    path = tmp_path / "log.csv"
    drive(CSVLogger(path), [3.0, 2.0])
    drive(CSVLogger(path, append=True), [1.0])
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["epoch", "loss"], ["1", "3.0"], ["2", "2.0"], ["1", "1.0"]]
    drive(CSVLogger(path), [5.0])                           # no append: starts afresh
    assert path.read_text().splitlines() == ["epoch,loss", "1,5.0"]


def test_callbacks_in_a_real_fit(tmp_path):
    manual_seed(0)
    X, Y = fur_and_wings()
    model = Sequential([Dense(4, "relu"), Dense(3, "softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    plateau = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_delta=10.0)
    log = tmp_path / "run.csv"
    history = model.fit(X, Y, epochs=4, verbose=0,
                        callbacks=[plateau, CSVLogger(log),
                                   ModelCheckpoint(tmp_path / "m.npz", save_best_only=True)])
    # min_delta=10: no epoch improves after the first, so the rate halves after epochs 2,
    # 3 (...); history["lr"] is the rate each epoch trained with
    assert history.history["lr"] == pytest.approx([0.01, 0.01, 0.005, 0.0025])
    with open(log, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [float(r["loss"]) for r in rows] == pytest.approx(history.history["loss"])
    assert [float(r["lr"]) for r in rows] == pytest.approx(history.history["lr"])
    assert (tmp_path / "m.npz").exists()
    np.testing.assert_array_equal(
        Sequential([Dense(4, "relu", input_dim=2), Dense(3, "softmax", input_dim=4)])
        .load(tmp_path / "m.npz").predict(X).shape, (6, 3))
