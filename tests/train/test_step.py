"""train_step: the one training step every way of training calls."""

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.functional as F
import scratchdl.nn as nn
import scratchdl.optim as optim
from scratchdl.train import TrainingDiverged, train_step


def _batch(rng):
    return sd.tensor(rng.normal(size=(8, 3)).astype(np.float32)), sd.tensor(rng.integers(0, 2, 8))


def test_step_equals_the_hand_written_step(rng):
    x, t = _batch(rng)
    model, twin = nn.Linear(3, 2), nn.Linear(3, 2)
    twin.load_state_dict(model.state_dict())
    result = train_step(model, x, t, F.cross_entropy, optim.SGD(model.parameters(), lr=0.5))

    by_hand = optim.SGD(twin.parameters(), lr=0.5)
    outputs = twin(x)
    loss = F.cross_entropy(outputs, t)
    by_hand.zero_grad()
    loss.backward()
    by_hand.step()
    assert result.loss == loss.item()
    np.testing.assert_array_equal(result.outputs.data, outputs.data)
    for mine, theirs in zip(model.parameters(), twin.parameters(), strict=True):
        np.testing.assert_array_equal(mine.data, theirs.data)


def test_gradient_hooks_run_between_backward_and_update(rng):
    x, t = _batch(rng)
    model = nn.Linear(3, 2)
    before = [p.data.copy() for p in model.parameters()]
    seen = []

    def zero_gradients(m):
        seen.append([p.grad is not None for p in m.parameters()])
        for p in m.parameters():
            p.grad = sd.tensor(np.zeros_like(p.data))

    train_step(
        model, x, t, F.cross_entropy, optim.SGD(model.parameters(), lr=1.0), [zero_gradients]
    )
    assert seen == [[True, True]]  # the gradients were there for the hook
    for old, p in zip(before, model.parameters(), strict=True):
        np.testing.assert_array_equal(old, p.data)  # and the update used what it left


def test_a_diverged_loss_changes_nothing(rng):
    x, t = _batch(rng)
    x.data[0, 0] = np.nan
    model = nn.Linear(3, 2)
    before = [p.data.copy() for p in model.parameters()]
    with pytest.raises(TrainingDiverged, match="the loss became nan"):
        train_step(model, x, t, F.cross_entropy, optim.SGD(model.parameters(), lr=1.0))
    assert all(p.grad is None for p in model.parameters())
    for old, p in zip(before, model.parameters(), strict=True):
        np.testing.assert_array_equal(old, p.data)
