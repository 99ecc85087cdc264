"""Kill and resume: training N epochs straight equals k epochs, a checkpoint, a fresh
process (new objects, another seed), and the remaining epochs, bit for bit."""

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.functional as F
from scratchdl import io
from scratchdl.models import MLP
from scratchdl.optim import Adam
from scratchdl.optim.lr_scheduler import StepLR
from scratchdl.train import History, fit
from scratchdl.utils.data import DataLoader, TensorDataset

EPOCHS, KILLED_AFTER = 4, 2


def build(blobs):
    """Model with dropout, Adam, a scheduler, and a shuffling loader: all RNG-dependent."""
    x, y = blobs
    model = MLP([2, 16, 3], dropout=0.3)
    optimizer = Adam(model.parameters(), lr=0.01)
    scheduler = StepLR(optimizer, step_size=1, gamma=0.7)
    loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)
    return model, optimizer, scheduler, loader


def train(parts, epochs, start_epoch=0):
    model, optimizer, scheduler, loader = parts
    return fit(
        model, loader, F.cross_entropy, optimizer, epochs, scheduler=scheduler,
        start_epoch=start_epoch,
    )  # fmt: skip


def train_straight(blobs):
    sd.manual_seed(11)
    parts = build(blobs)
    return train(parts, EPOCHS), parts[0]


def train_until_killed(blobs, path):
    sd.manual_seed(11)
    parts = build(blobs)
    history = train(parts, KILLED_AFTER)
    model, optimizer, scheduler, loader = parts
    io.save_checkpoint(
        path, model, optimizer, scheduler, epoch=KILLED_AFTER, loader=loader,
        extra={"records": history.records},
    )  # fmt: skip


def assert_same_weights(model, other):
    for name, array in model.state_dict().items():
        np.testing.assert_array_equal(other.state_dict()[name], array, err_msg=name)


def test_a_resumed_run_ends_exactly_where_the_straight_run_does(tmp_path, blobs):
    straight_history, straight_model = train_straight(blobs)
    path = tmp_path / "run.npz"
    train_until_killed(blobs, path)

    sd.manual_seed(12345)  # the new process seeds differently and builds everything afresh
    parts = build(blobs)
    model, optimizer, scheduler, loader = parts
    info = io.load_checkpoint(path, model, optimizer, scheduler, loader=loader)
    rest = train(parts, EPOCHS, start_epoch=info["epoch"])

    assert rest.epochs == [3, 4]
    assert History(info["extra"]["records"] + rest.records) == straight_history
    assert_same_weights(model, straight_model)


def test_without_the_rng_state_the_resumed_run_differs(tmp_path, blobs):
    """The check above is meaningful: shuffling and dropout depend on the restored RNG."""
    _, straight_model = train_straight(blobs)
    path = tmp_path / "run.npz"
    train_until_killed(blobs, path)

    parts = build(blobs)
    model, optimizer, scheduler, loader = parts
    io.load_checkpoint(path, model, optimizer, scheduler, loader=loader)
    sd.manual_seed(12345)  # overwrite the restored RNG state
    train(parts, EPOCHS, start_epoch=KILLED_AFTER)
    with pytest.raises(AssertionError):
        assert_same_weights(model, straight_model)
