"""Keras's callbacks: fed the same logs, they act as Keras's do; inside fit, they see
Keras's logs and can stop training."""

from __future__ import annotations

import numpy as np
import pytest

from scratchdl import keras
from scratchdl.keras import callbacks, layers

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class FakeModel:
    """Enough of a model for a callback: weights that record the epoch, an optimizer."""

    def __init__(self) -> None:
        self.weights = [np.zeros(1)]
        self.stop_training = False
        self.optimizer = type("Optimizer", (), {"learning_rate": 0.1})()

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [w.copy() for w in weights]


def run(callback, values, monitor="val_loss"):
    """Feed ``values`` of ``monitor`` epoch by epoch; return what happened each epoch."""
    model = FakeModel()
    callback.set_model(model)
    callback.on_train_begin({})
    events = []
    for epoch, value in enumerate(values):
        model.weights = [np.array([float(epoch)])]
        logs = {monitor: value, "loss": value}
        callback.on_epoch_end(epoch, logs)
        events.append(
            (model.stop_training, logs.get("learning_rate"), float(model.optimizer.learning_rate))
        )
        if model.stop_training:
            break
    callback.on_train_end({})
    return events, model


VAL_LOSSES = [1.0, 0.8, 0.81, 0.79, 0.795, 0.80, 0.81, 0.7, 0.9, 0.95, 0.96]


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"patience": 2},
        {"patience": 2, "min_delta": 0.02},
        {"patience": 1, "restore_best_weights": True},
        {"patience": 3, "baseline": 0.75},
        {"patience": 1, "start_from_epoch": 4},
        {"monitor": "val_accuracy", "patience": 2},
    ],
)
def test_early_stopping_acts_as_keras(real_keras, options):
    monitor = options.get("monitor", "val_loss")
    values = VAL_LOSSES if monitor == "val_loss" else [1 - v for v in VAL_LOSSES]
    mode = {"mode": "max"} if monitor == "val_accuracy" else {}
    ours, _ = run(callbacks.EarlyStopping(**options, **mode), values, monitor)
    reference = real_keras.callbacks.EarlyStopping(**options, **mode)
    theirs, their_model = run(reference, values, monitor)
    assert ours == theirs
    mine = callbacks.EarlyStopping(**options, **mode)
    _, my_model = run(mine, values, monitor)
    assert (mine.stopped_epoch, mine.best_epoch) == (reference.stopped_epoch, reference.best_epoch)
    np.testing.assert_array_equal(my_model.weights, their_model.weights)


@pytest.mark.parametrize(
    "options",
    [
        {"patience": 1},
        {"patience": 2, "factor": 0.5, "cooldown": 1},
        {"patience": 1, "min_lr": 0.005},
    ],
)
def test_reduce_lr_on_plateau_acts_as_keras(real_keras, options):
    ours, _ = run(callbacks.ReduceLROnPlateau(**options), VAL_LOSSES)
    theirs, _ = run(real_keras.callbacks.ReduceLROnPlateau(**options), VAL_LOSSES)
    assert [stop for stop, *_ in ours] == [stop for stop, *_ in theirs]
    for (_, logged, lr), (_, their_logged, their_lr) in zip(ours, theirs, strict=True):
        assert logged == pytest.approx(their_logged) and lr == pytest.approx(their_lr)


def test_csv_logger_writes_keras_file(real_keras, tmp_path):
    logs = [
        {"loss": 0.5, "accuracy": 0.75, "val_loss": 0.625, "val_accuracy": 0.5},
        {"loss": 0.25, "accuracy": 0.875, "val_loss": 0.5, "val_accuracy": 0.75},
    ]
    for name, module in (("ours.csv", callbacks), ("theirs.csv", real_keras.callbacks)):
        logger = module.CSVLogger(tmp_path / name)
        logger.on_train_begin()
        for epoch, entry in enumerate(logs):
            logger.on_epoch_end(epoch, dict(entry))
        logger.on_train_end()
    assert (tmp_path / "ours.csv").read_bytes() == (tmp_path / "theirs.csv").read_bytes()
    appended = callbacks.CSVLogger(tmp_path / "ours.csv", append=True)
    appended.on_train_begin()
    appended.on_epoch_end(2, dict(logs[0]))
    lines = (tmp_path / "ours.csv").read_text().splitlines()
    assert len(lines) == 4 and lines[0] == "epoch,accuracy,loss,val_accuracy,val_loss"


def test_callbacks_inside_fit_see_keras_logs_and_can_stop_it(rng, tmp_path):
    x = rng.standard_normal((40, 3)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.float32)
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    seen = []

    class StopAfterThreeEpochs(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append((epoch, dict(logs)))
            if epoch == 2:
                self.model.stop_training = True

    batches = []
    recorder = callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: batches.append(batch)
    )
    checkpoint = callbacks.ModelCheckpoint(str(tmp_path / "model-{epoch:02d}.keras"))
    history = model.fit(
        x,
        y,
        batch_size=10,
        epochs=10,
        validation_split=0.5,
        verbose=0,
        callbacks=[StopAfterThreeEpochs(), recorder, checkpoint],
    )
    assert [epoch for epoch, _ in seen] == [0, 1, 2] and history.epoch == [0, 1, 2]
    assert list(seen[0][1]) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert batches == [0, 1] * 3
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "model-01.keras",
        "model-02.keras",
        "model-03.keras",
    ]


def test_reduce_lr_on_plateau_in_fit_logs_the_learning_rate(rng):
    x = rng.standard_normal((20, 3)).astype(np.float32)
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    reduce = callbacks.ReduceLROnPlateau(monitor="loss", patience=1, factor=0.5)
    history = model.fit(x, x[:, 0], epochs=3, verbose=0, callbacks=[reduce])
    assert history.history["learning_rate"] == [0.0, 0.0, 0.0]  # already at min_lr = 0
    model.compile(optimizer=keras.optimizers.SGD(1e-9), loss="mse")
    history = model.fit(x, x[:, 0], epochs=3, verbose=0, callbacks=[reduce])
    assert history.history["learning_rate"] == pytest.approx([1e-9, 1e-9, 5e-10])


def test_monitoring_a_metric_keras_cannot_place_asks_for_a_mode():
    stopping = callbacks.EarlyStopping(monitor="val_f1")
    stopping.set_model(FakeModel())
    stopping.on_train_begin()
    with pytest.raises(ValueError, match="Pass `mode='max'`"):
        stopping.on_epoch_end(0, {"val_f1": 0.5})


def test_model_checkpoint_wants_keras_suffixes(tmp_path):
    with pytest.raises(ValueError, match=r"must end in `\.keras` or `\.h5`"):
        callbacks.ModelCheckpoint(str(tmp_path / "model.h5x"))
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        callbacks.ModelCheckpoint(str(tmp_path / "w.keras"), save_weights_only=True)


def test_learning_rate_scheduler_acts_as_keras(real_keras):
    def halve_after_two(epoch, lr):
        return lr if epoch < 2 else lr * 0.5

    for schedule in (halve_after_two, lambda epoch: 0.1 / (epoch + 1)):
        ours, theirs = [], []
        for module, record in ((callbacks, ours), (real_keras.callbacks, theirs)):
            scheduler = module.LearningRateScheduler(schedule)
            model = FakeModel()
            scheduler.set_model(model)
            for epoch in range(4):
                scheduler.on_epoch_begin(epoch)
                logs = {"loss": 1.0}
                scheduler.on_epoch_end(epoch, logs)
                record.append(logs["learning_rate"])
        assert ours == pytest.approx(theirs)


def test_an_exponential_decay_schedule_sets_each_steps_rate(real_keras, rng):
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5)
    reference = real_keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)
    assert [schedule(step) for step in range(5)] == pytest.approx(
        [float(reference(step)) for step in range(5)]
    )
    staircase = keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5, staircase=True)
    assert [staircase(step) for step in range(4)] == pytest.approx([0.1, 0.1, 0.05, 0.05])
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=schedule), loss="mse")
    x = rng.standard_normal((8, 3)).astype(np.float32)
    model.fit(x, x[:, 0], batch_size=4, epochs=1, verbose=0)
    assert model.optimizer.learning_rate == pytest.approx(schedule(2))
    config = keras.optimizers.serialize(model.optimizer)
    assert keras.optimizers.get(config).learning_rate == pytest.approx(schedule(0))
