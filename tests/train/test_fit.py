"""fit, evaluate and predict: records, reproducibility, divergence, scheduling, modes."""

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.functional as F
from scratchdl.models import MLP
from scratchdl.optim import SGD, Adam
from scratchdl.optim.lr_scheduler import ReduceLROnPlateau, StepLR
from scratchdl.train import TrainingDiverged, evaluate, fit, predict
from scratchdl.utils.data import DataLoader, TensorDataset


def seeded_run(loaders, epochs=3):
    """A fresh seeded model trained with shuffling and dropout: (history, model)."""
    sd.manual_seed(7)
    model = MLP([2, 16, 3], dropout=0.2)
    train, val = loaders
    history = fit(model, train, F.cross_entropy, Adam(model.parameters(), lr=0.01), epochs, val)
    return history, model


def test_records_hold_train_and_val_loss_accuracy_lr_and_time(loaders):
    history, _ = seeded_run(loaders)
    assert history.epochs == [1, 2, 3]
    assert history.keys() == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr", "time"]
    assert history["loss"][-1] < history["loss"][0]
    assert history["val_accuracy"][-1] > 0.9
    assert history["lr"] == [0.01, 0.01, 0.01]
    assert all(t > 0 for t in history.times)


def test_the_same_seed_gives_an_identical_history_and_weights(loaders):
    first_history, first_model = seeded_run(loaders)
    second_history, second_model = seeded_run(loaders)
    assert first_history == second_history
    for name, array in first_model.state_dict().items():
        np.testing.assert_array_equal(second_model.state_dict()[name], array, err_msg=name)


def test_epoch_metrics_are_sample_weighted_means_of_the_batches():
    """Batches of 3 and 1 samples: the epoch's loss weights them 3:1."""
    model = MLP([2, 3])
    x = np.array([[1, 0], [0, 1], [1, 1], [2, 0]], dtype=np.float32)
    y = np.array([0, 1, 2, 0])
    loader = DataLoader(TensorDataset(x, y), batch_size=3)
    expected = evaluate(model, loader, F.cross_entropy)
    record = fit(model, loader, F.cross_entropy, SGD(model.parameters(), lr=0.0), 1).records[0]
    full = F.cross_entropy(model(sd.tensor(x)), y).item()
    assert record["loss"] == pytest.approx(full) == pytest.approx(expected["loss"])
    assert record["accuracy"] == expected["accuracy"]


def test_one_hot_targets_are_scored_through_their_argmax(blobs):
    x, y = blobs
    model = MLP([2, 3])
    one_hot = np.eye(3, dtype=np.float32)[y]
    by_index = evaluate(model, DataLoader(TensorDataset(x, y), 50), F.cross_entropy)
    by_one_hot = evaluate(model, DataLoader(TensorDataset(x, one_hot), 50), F.cross_entropy)
    assert by_one_hot == pytest.approx(by_index)


def test_a_nan_in_the_data_stops_naming_epoch_and_step():
    x = np.zeros((8, 2), dtype=np.float32)
    x[5, 0] = np.nan
    loader = DataLoader(TensorDataset(x, np.zeros(8, dtype=np.int64)), batch_size=2)
    model = MLP([2, 3])
    with pytest.raises(TrainingDiverged, match=r"epoch 1, step 3.*[Ll]ower the learning rate"):
        fit(model, loader, F.cross_entropy, SGD(model.parameters(), lr=0.1), epochs=2)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_a_huge_learning_rate_diverges_with_a_clear_error(loaders):
    model = MLP([2, 16, 3])
    with pytest.raises(TrainingDiverged, match=r"at epoch \d+, step \d+.*1e\+30"):
        fit(model, loaders[0], F.cross_entropy, SGD(model.parameters(), lr=1e30), epochs=5)


def test_the_scheduler_steps_once_per_epoch(loaders):
    model = MLP([2, 3])
    optimizer = SGD(model.parameters(), lr=0.1)
    history = fit(
        model, loaders[0], F.cross_entropy, optimizer, 3, scheduler=StepLR(optimizer, 1, 0.5)
    )
    assert history["lr"] == [0.1, 0.05, 0.025]
    assert optimizer.param_groups[0]["lr"] == 0.0125


class RecordingPlateau(ReduceLROnPlateau):
    def step(self, metric):
        self.seen = [*getattr(self, "seen", []), metric]
        super().step(metric)


@pytest.mark.parametrize(
    ("with_val", "mode", "column"),
    [(True, "min", "val_loss"), (False, "min", "loss"), (True, "max", "val_accuracy")],
)
def test_reduce_on_plateau_gets_the_validation_value(loaders, with_val, mode, column):
    model = MLP([2, 3])
    optimizer = SGD(model.parameters(), lr=0.1)
    scheduler = RecordingPlateau(optimizer, mode=mode)
    val = loaders[1] if with_val else None
    history = fit(model, loaders[0], F.cross_entropy, optimizer, 2, val, scheduler=scheduler)
    assert scheduler.seen == history[column]


def test_start_epoch_numbers_the_remaining_epochs(loaders):
    model = MLP([2, 3])
    history = fit(
        model, loaders[0], F.cross_entropy, SGD(model.parameters(), lr=0.1), 5, start_epoch=3
    )
    assert history.epochs == [4, 5]


def test_log_interval_prints_the_running_loss(loaders, capsys):
    model = MLP([2, 3])
    fit(model, loaders[0], F.cross_entropy, SGD(model.parameters(), lr=0.1), 1, log_interval=4)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2  # 8 batches
    assert lines[0].startswith("epoch 1 step 4: loss ")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"epochs": 0}, "epochs must be an integer >= 1"),
        ({"epochs": 2, "start_epoch": 3}, "start_epoch"),
        ({"epochs": 1, "log_interval": 0}, "log_interval"),
    ],
)
def test_bad_arguments_are_refused(loaders, kwargs, message):
    model = MLP([2, 3])
    with pytest.raises(ValueError, match=message):
        fit(model, loaders[0], F.cross_entropy, SGD(model.parameters(), lr=0.1), **kwargs)


def test_batches_must_be_pairs():
    loader = DataLoader(TensorDataset(np.zeros((4, 2), dtype=np.float32)), batch_size=2)
    model = MLP([2, 3])
    with pytest.raises(ValueError, match=r"pair \(inputs, targets\).*1 items"):
        fit(model, loader, F.cross_entropy, SGD(model.parameters(), lr=0.1), 1)


def test_an_empty_loader_is_an_error():
    loader = DataLoader(TensorDataset(np.zeros((0, 2)), np.zeros(0)), batch_size=2)
    model = MLP([2, 3])
    with pytest.raises(ValueError, match="train_loader yielded no batches"):
        fit(model, loader, F.cross_entropy, SGD(model.parameters(), lr=0.1), 1)


@pytest.mark.parametrize("training", [True, False])
def test_evaluate_and_predict_run_in_eval_mode_and_restore_the_mode(blobs, training):
    x, y = blobs
    model = MLP([2, 16, 3], dropout=0.5).train(training)
    first = predict(model, x, batch_size=7)
    assert model.training is training
    # no dropout: equal up to rounding (BLAS may block a product differently per batch size)
    np.testing.assert_allclose(predict(model, x, batch_size=50), first, rtol=1e-6)
    scores = evaluate(model, DataLoader(TensorDataset(x, y), 32), F.cross_entropy)
    assert model.training is training
    assert scores["accuracy"] == np.mean(first.argmax(axis=1) == y)
    assert scores["loss"] == pytest.approx(F.cross_entropy(sd.tensor(first), y).item())


def test_evaluate_without_a_loss_reports_metrics_only(blobs):
    x, y = blobs
    scores = evaluate(MLP([2, 3]), DataLoader(TensorDataset(x, y), 32), None)
    assert list(scores) == ["accuracy"]


def test_evaluate_records_no_graph(blobs):
    x, y = blobs
    seen = []

    def spy_loss(outputs, targets):
        seen.append(outputs.requires_grad)
        return F.cross_entropy(outputs, targets)

    evaluate(MLP([2, 3]), DataLoader(TensorDataset(x, y), 64), spy_loss)
    assert seen == [False, False]


def test_predict_rejects_empty_input():
    with pytest.raises(ValueError, match="at least one sample"):
        predict(MLP([2, 3]), np.zeros((0, 2)))
