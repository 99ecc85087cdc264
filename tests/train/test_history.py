"""History, Monitor and metrics: the bookkeeping around the loop."""

import numpy as np
import pytest

from scratchdl.train import History, Monitor, accuracy, get_metrics

RECORDS = [
    {"epoch": 1, "loss": 0.9, "accuracy": 0.5, "val_loss": 0.8, "lr": 0.1, "time": 1.0},
    {"epoch": 2, "loss": 0.5, "accuracy": 0.8, "val_loss": 0.6, "lr": 0.1, "time": 2.0},
    {"epoch": 3, "loss": 0.4, "accuracy": 0.9, "val_loss": 0.7, "lr": 0.05, "time": 3.0},
]


def test_columns_epochs_and_times():
    history = History(RECORDS)
    assert len(history) == 3
    assert history["val_loss"] == [0.8, 0.6, 0.7]
    assert history["train_loss"] == history["loss"] == [0.9, 0.5, 0.4]
    assert history.epochs == [1, 2, 3]
    assert history.times == [1.0, 2.0, 3.0]
    assert history.to_dict()["lr"] == [0.1, 0.1, 0.05]
    assert list(history.to_dict()) == ["epoch", "loss", "accuracy", "val_loss", "lr", "time"]


def test_unknown_column_lists_the_known_ones():
    with pytest.raises(KeyError, match=r"'val_accuracy'.*'val_loss'"):
        History(RECORDS)["val_accuracy"]


def test_equality_ignores_times_only():
    other = [dict(record, time=99.0) for record in RECORDS]
    assert History(RECORDS) == History(other)
    assert History(RECORDS) != History(RECORDS[:2])
    changed = [dict(record) for record in RECORDS]
    changed[1]["loss"] = 0.50001
    assert History(RECORDS) != History(changed)


def test_best_epoch_follows_the_monitor_direction():
    history = History(RECORDS)
    assert history.best_epoch("val_loss") == 2
    assert history.best_epoch("accuracy") == 3
    assert history.best_epoch("loss", mode="max") == 1


@pytest.mark.parametrize(
    ("name", "mode", "min_delta", "value", "best", "improves"),
    [
        ("val_loss", "auto", 0.0, 0.5, 0.6, True),
        ("val_loss", "auto", 0.0, 0.6, 0.6, False),
        ("val_loss", "auto", 0.2, 0.5, 0.6, False),
        ("val_accuracy", "auto", 0.0, 0.9, 0.8, True),
        ("loss", "max", 0.0, 0.9, 0.8, True),
        ("loss", "auto", 0.0, 123.0, None, True),
    ],
)
def test_monitor_improvement(name, mode, min_delta, value, best, improves):
    assert Monitor(name, mode, min_delta).improves(value, best) is improves


def test_monitor_rejects_bad_settings():
    with pytest.raises(ValueError, match="mode"):
        Monitor("loss", mode="lowest")
    with pytest.raises(ValueError, match="min_delta"):
        Monitor("loss", min_delta=-1)


def test_accuracy_with_indices_and_one_hot_targets():
    outputs = np.array([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [1.0, 0.0, 5.0], [9.0, 0.0, 0.0]])
    indices = np.array([0, 1, 0, 0])
    assert accuracy(outputs, indices) == 0.75
    assert accuracy(outputs, np.eye(3)[indices]) == 0.75


def test_accuracy_rejects_shapes_it_cannot_score():
    with pytest.raises(ValueError, match=r"\(N, C\).*metrics=\(\)"):
        accuracy(np.zeros(4), np.zeros(4))
    with pytest.raises(ValueError, match="do not match"):
        accuracy(np.zeros((4, 3)), np.zeros(5))


def test_get_metrics_resolves_names_and_functions():
    def top_score(outputs, targets):
        return float(outputs.max())

    assert get_metrics(["accuracy", top_score]) == {"accuracy": accuracy, "top_score": top_score}
    with pytest.raises(ValueError, match="unknown metric 'f1'"):
        get_metrics(["f1"])
    with pytest.raises(ValueError, match="used twice"):
        get_metrics(["accuracy", "accuracy"])
