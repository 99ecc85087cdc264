"""Callbacks: hook order, EarlyStopping, ModelCheckpoint, CSVLogger, ProgressBar."""

import csv
import sys

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.functional as F
from scratchdl import io
from scratchdl.models import MLP
from scratchdl.optim import SGD
from scratchdl.train import Callback, CSVLogger, EarlyStopping, ModelCheckpoint, ProgressBar, fit


def train(loaders, epochs, callbacks, lr=0.1, with_val=True):
    """Fit a seeded MLP; return (history, model)."""
    sd.manual_seed(3)
    model = MLP([2, 8, 3])
    val = loaders[1] if with_val else None
    history = fit(
        model, loaders[0], F.cross_entropy, SGD(model.parameters(), lr=lr), epochs, val,
        callbacks=callbacks,
    )  # fmt: skip
    return history, model


class Recorder(Callback):
    def __init__(self):
        self.calls = []

    def on_train_begin(self):
        self.calls.append(("train_begin", self.epochs, self.steps_per_epoch))

    def on_epoch_begin(self, epoch):
        self.calls.append(("epoch_begin", epoch))

    def on_batch_begin(self, step):
        self.calls.append(("batch_begin", step))

    def on_batch_end(self, step, logs):
        self.calls.append(("batch_end", step, sorted(logs)))

    def on_epoch_end(self, epoch, record):
        self.calls.append(("epoch_end", epoch, record["epoch"]))

    def on_train_end(self, history):
        self.calls.append(("train_end", len(history)))


def test_hooks_run_in_order_with_their_arguments(loaders):
    recorder = Recorder()
    _, model = train(loaders, 2, [recorder])
    assert recorder.model is model
    batches = [
        call
        for step in range(1, 9)
        for call in (("batch_begin", step), ("batch_end", step, ["accuracy", "loss"]))
    ]
    assert recorder.calls == [
        ("train_begin", 2, 8),
        ("epoch_begin", 1), *batches, ("epoch_end", 1, 1),
        ("epoch_begin", 2), *batches, ("epoch_end", 2, 2),
        ("train_end", 2),
    ]  # fmt: skip


def test_early_stopping_stops_after_patience_epochs_without_improvement(loaders):
    """With lr = 0 the validation loss never changes, so only epoch 1 is an improvement."""
    stopper = EarlyStopping(monitor="val_loss", patience=2)
    history, _ = train(loaders, 10, [stopper], lr=0.0)
    assert history.epochs == [1, 2, 3]
    assert (stopper.best_epoch, stopper.stopped_epoch) == (1, 3)


def test_early_stopping_restores_the_best_weights(loaders):
    """Monitoring the falling training loss in 'max' mode makes epoch 1 the best."""
    stopper = EarlyStopping(monitor="loss", mode="max", patience=1, restore_best_weights=True)
    history, model = train(loaders, 10, [stopper])
    _, after_one_epoch = train(loaders, 1, [])
    assert history.epochs == [1, 2]
    for name, array in after_one_epoch.state_dict().items():
        np.testing.assert_array_equal(model.state_dict()[name], array, err_msg=name)


def test_early_stopping_that_never_triggers_records_no_stop(loaders):
    stopper = EarlyStopping(monitor="loss", patience=5)
    history, _ = train(loaders, 3, [stopper])
    assert len(history) == 3 and stopper.stopped_epoch is None


def test_monitoring_a_missing_value_says_what_to_do(loaders):
    with pytest.raises(KeyError, match=r"'val_loss'.*pass val_loader"):
        train(loaders, 1, [EarlyStopping()], with_val=False)


def test_early_stopping_rejects_negative_patience():
    with pytest.raises(ValueError, match="patience"):
        EarlyStopping(patience=-1)


def test_model_checkpoint_saves_each_improvement(tmp_path, loaders):
    checkpoint = ModelCheckpoint(tmp_path / "w-{epoch}-{loss:.2f}.npz", monitor="loss")
    history, model = train(loaders, 3, [checkpoint])
    saved = sorted(path.name for path in tmp_path.iterdir())
    assert saved == [
        f"w-{e}-{loss:.2f}.npz" for e, loss in zip(history.epochs, history["loss"], strict=True)
    ]
    last = io.load(checkpoint.last_saved)
    for name, array in model.state_dict().items():
        np.testing.assert_array_equal(last[name], array)


def test_model_checkpoint_best_only_skips_worse_epochs(tmp_path, loaders):
    checkpoint = ModelCheckpoint(tmp_path / "best-{epoch}.safetensors", monitor="loss", mode="max")
    train(loaders, 3, [checkpoint])
    assert [path.name for path in tmp_path.iterdir()] == ["best-1.safetensors"]
    assert checkpoint.best_epoch == 1


def test_model_checkpoint_can_save_every_epoch(tmp_path, loaders):
    checkpoint = ModelCheckpoint(
        tmp_path / "w.npz", monitor="loss", mode="max", save_best_only=False
    )
    _, model = train(loaders, 2, [checkpoint])
    np.testing.assert_array_equal(io.load(tmp_path / "w.npz")["1.weight"], model[1].weight.data)


def test_csv_logger_writes_one_row_per_epoch_and_one_header(tmp_path, loaders):
    path = tmp_path / "log.csv"
    history, _ = train(loaders, 2, [CSVLogger(path)])
    train(loaders, 1, [CSVLogger(path, append=True)])
    with path.open() as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 3
    assert list(rows[0]) == history.keys()
    assert [float(row["val_loss"]) for row in rows[:2]] == history["val_loss"]
    assert path.read_text().count("epoch,") == 1


def test_csv_logger_starts_afresh_unless_appending(tmp_path, loaders):
    path = tmp_path / "log.csv"
    train(loaders, 2, [CSVLogger(path)])
    train(loaders, 1, [CSVLogger(path)])
    assert len(path.read_text().splitlines()) == 2


def test_progress_bar_is_silent_when_stdout_is_not_a_terminal(loaders, capsys):
    train(loaders, 1, [ProgressBar()])
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_progress_bar_shows_the_epoch_and_its_metrics(loaders, capsys):
    train(loaders, 2, [ProgressBar(disable=False)])
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    assert "val_accuracy=" in out and "lr=0.1" in out


def test_progress_bar_without_tqdm_is_silent(loaders, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    train(loaders, 1, [ProgressBar(disable=False)])
    assert capsys.readouterr().out == ""
