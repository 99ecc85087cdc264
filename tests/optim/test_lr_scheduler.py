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
    ("MultiStepLR", {"milestones": [3, 7, 8], "gamma": 0.3}),
    ("LambdaLR", {"lr_lambda": lambda epoch: 1 / (1 + epoch)}),
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
    """An SGD with two parameter groups (the second at twice the lr)."""
    first, second = nn.Parameter([1.0]), nn.Parameter([1.0])
    return optim.SGD([{"params": [first]}, {"params": [second], "lr": 2 * lr}], lr=lr, momentum=0.9)


def torch_sgd(torch, lr=0.1):
    first, second = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)
    return torch.optim.SGD(
        [{"params": [first]}, {"params": [second], "lr": 2 * lr}], lr=lr, momentum=0.9
    )


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
        assert [g["lr"] for g in ours.optimizer.param_groups] == ours.get_last_lr()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_lr": 0.5, "total_steps": 40},
        {"max_lr": [0.5, 1.0], "epochs": 4, "steps_per_epoch": 10, "anneal_strategy": "linear"},
        {"max_lr": 0.5, "total_steps": 40, "three_phase": True, "pct_start": 0.25},
    ],
)
@pytest.mark.parametrize("adam", [False, True])
def test_one_cycle_matches_torch(torch, kwargs, adam):
    if adam:
        ours_opt = optim.Adam([nn.Parameter([1.0])], lr=0.1)
        theirs_opt = torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=0.1)
        kwargs = {**kwargs, "max_lr": 0.5}
    else:
        ours_opt, theirs_opt = sgd(), torch_sgd(torch)
    ours = lr_scheduler.OneCycleLR(ours_opt, **kwargs)
    theirs = torch.optim.lr_scheduler.OneCycleLR(theirs_opt, **kwargs)
    for _ in range(39):
        for mine, reference in zip(ours_opt.param_groups, theirs_opt.param_groups, strict=True):
            assert mine["lr"] == pytest.approx(reference["lr"], rel=1e-12)
            key = "betas" if adam else "momentum"
            assert mine[key] == pytest.approx(reference[key], rel=1e-12)
        theirs_opt.step()
        ours.step()
        theirs.step()
    with pytest.raises(ValueError, match="total_steps is 40"):
        ours.step()


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
    assert scheduler.lr_at(0, 1.0) == 1.0
    assert scheduler.lr_at(10, 1.0) == pytest.approx(1.0)


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
    plain = (int, float, str)
    assert all(
        isinstance(value, plain) or all(isinstance(v, plain) for v in value)
        for value in state.values()
    )


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
