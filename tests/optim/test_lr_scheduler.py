"""Learning-rate schedulers: sequences equal torch.optim.lr_scheduler's."""

import math

import numpy as np
import pytest

from scratchdl import nn, optim
from scratchdl.optim import lr_scheduler

SCHEDULES = [
    ("StepLR", {"step_size": 4}),
    ("StepLR", {"step_size": 3, "gamma": 0.5}),
    ("ExponentialLR", {"gamma": 0.9}),
    ("CosineAnnealingLR", {"T_max": 10}),
    ("CosineAnnealingLR", {"T_max": 7, "eta_min": 0.01}),
]

# Falls, plateaus, improves by less than the threshold, then rises: exercises patience,
# cooldown and the relative threshold.
METRICS = [1.0, 0.9, 0.8, 0.8, 0.8, 0.8, 0.79999, 0.7, 0.7, 0.7, 0.7, 0.7, 0.6, 0.65, 0.7,
           0.7, 0.7, 0.7, 0.7, 0.7, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]  # fmt: skip
PLATEAU_SETTINGS = [
    {"patience": 2},
    {"patience": 1, "cooldown": 2, "factor": 0.5},
    {"patience": 0, "min_lr": 0.004, "threshold": 0.2, "threshold_mode": "abs"},
    {"mode": "max", "patience": 2, "threshold": 0.01},
]


def sgd(lr=0.1):
    return optim.SGD([nn.Parameter([1.0])], lr=lr)


def torch_sgd(torch, lr=0.1):
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)


@pytest.mark.parametrize(("name", "kwargs"), SCHEDULES)
def test_schedule_matches_torch(torch, name, kwargs):
    ours = getattr(lr_scheduler, name)(sgd(), **kwargs)
    theirs_opt = torch_sgd(torch)
    theirs = getattr(torch.optim.lr_scheduler, name)(theirs_opt, **kwargs)
    assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12)
    for _ in range(30):
        theirs_opt.step()
        ours.step()
        theirs.step()
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12, abs=1e-15)
        assert ours.optimizer.lr == ours.get_last_lr()[0]


@pytest.mark.parametrize("kwargs", PLATEAU_SETTINGS)
def test_reduce_on_plateau_matches_torch(torch, kwargs):
    ours = lr_scheduler.ReduceLROnPlateau(sgd(), **kwargs)
    theirs_opt = torch_sgd(torch)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(theirs_opt, **kwargs)
    metrics = METRICS if kwargs.get("mode") != "max" else [-m for m in METRICS]
    lrs = []
    for metric in metrics:
        ours.step(metric)
        theirs.step(metric)
        lrs.append(ours.get_last_lr()[0])
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12)
    assert min(lrs) < 0.1  # the script did trigger reductions


def test_cosine_reaches_eta_min_at_t_max():
    scheduler = lr_scheduler.CosineAnnealingLR(sgd(lr=1.0), T_max=5, eta_min=0.1)
    for _ in range(5):
        scheduler.step()
    assert scheduler.get_last_lr()[0] == pytest.approx(0.1)
    assert scheduler.lr_at(0) == 1.0
    assert scheduler.lr_at(10) == pytest.approx(1.0)


def advance(scheduler, epoch):
    """One epoch: ReduceLROnPlateau reads the scripted metric; return the new lr."""
    if isinstance(scheduler, lr_scheduler.ReduceLROnPlateau):
        scheduler.step(METRICS[epoch])
    else:
        scheduler.step()
    return scheduler.get_last_lr()[0]


@pytest.mark.parametrize(
    "build",
    [
        lambda o: lr_scheduler.StepLR(o, step_size=3, gamma=0.5),
        lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=8),
        lambda o: lr_scheduler.ReduceLROnPlateau(o, patience=1, cooldown=1),
    ],
)
def test_state_dict_round_trip_continues_identically(build):
    uninterrupted = build(sgd())
    expected = [advance(uninterrupted, epoch) for epoch in range(20)]

    first_opt = sgd()
    first = build(first_opt)
    for epoch in range(10):
        advance(first, epoch)
    saved_opt = first_opt.state_dict()
    saved = {name: np.asarray(value) for name, value in first.state_dict().items()}  # as npz

    resumed_opt = sgd(lr=5.0)
    resumed_opt.load_state_dict(saved_opt)
    resumed = build(resumed_opt)
    resumed.load_state_dict(saved)
    assert resumed.get_last_lr()[0] == expected[9]
    assert [advance(resumed, epoch) for epoch in range(10, 20)] == expected[10:]


def test_state_dict_holds_plain_values_only():
    state = lr_scheduler.ReduceLROnPlateau(sgd()).state_dict()
    assert "optimizer" not in state
    assert state["best"] == math.inf
    assert all(isinstance(value, (int, float, str)) for value in state.values())


def test_load_state_dict_rejects_other_schedulers_state():
    scheduler = lr_scheduler.StepLR(sgd(), step_size=2)
    other = lr_scheduler.CosineAnnealingLR(sgd(), T_max=3).state_dict()
    with pytest.raises(ValueError, match="missing entry: gamma") as error:
        scheduler.load_state_dict(other)
    assert "unexpected entry: T_max" in str(error.value)
    assert scheduler.step_size == 2


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda o: lr_scheduler.StepLR(o, step_size=0), "StepLR: step_size must be an integer"),
        (lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=2.5), "CosineAnnealingLR: T_max"),
        (lambda o: lr_scheduler.ExponentialLR(o, gamma=-1), "ExponentialLR: gamma"),
        (lambda o: lr_scheduler.ReduceLROnPlateau(o, factor=1.0), "ReduceLROnPlateau: factor"),
        (lambda o: lr_scheduler.ReduceLROnPlateau(o, mode="up"), "mode must be one of"),
        (lambda o: lr_scheduler.ReduceLROnPlateau(o, patience=-1), "patience"),
    ],
)
def test_bad_settings_are_rejected(build, message):
    with pytest.raises(ValueError, match=message):
        build(sgd())


def test_needs_an_optimizer():
    with pytest.raises(TypeError, match="StepLR: expected an Optimizer, got list"):
        lr_scheduler.StepLR([nn.Parameter([1.0])], step_size=1)
