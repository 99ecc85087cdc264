"""LinearLR, ConstantLR, PolynomialLR, CosineAnnealingWarmRestarts and SequentialLR:
their learning-rate sequences equal torch's."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import scratchdl as sd

MAKERS = {
    "LinearLR": lambda L, o: L.optim.lr_scheduler.LinearLR(o, start_factor=0.1, total_iters=4),
    "LinearLR down": lambda L, o: L.optim.lr_scheduler.LinearLR(o, 1.0, 0.2, total_iters=5),
    "ConstantLR": lambda L, o: L.optim.lr_scheduler.ConstantLR(o, factor=0.5, total_iters=3),
    "PolynomialLR": lambda L, o: L.optim.lr_scheduler.PolynomialLR(o, total_iters=6, power=2.0),
    "WarmRestarts": lambda L, o: L.optim.lr_scheduler.CosineAnnealingWarmRestarts(
        o, T_0=3, T_mult=2, eta_min=0.01
    ),
    "SequentialLR": lambda L, o: L.optim.lr_scheduler.SequentialLR(
        o,
        [
            L.optim.lr_scheduler.LinearLR(o, start_factor=0.1, total_iters=3),
            L.optim.lr_scheduler.CosineAnnealingLR(o, T_max=8),
        ],
        milestones=[3],
    ),
}


def learning_rates(lib, make, epochs=14):
    """The lr at the start and after each of ``epochs`` scheduler steps."""
    param = lib.nn.Parameter(lib.zeros(1))
    optimizer = lib.optim.SGD([param], lr=0.1)
    scheduler = make(lib, optimizer)
    rates = [optimizer.param_groups[0]["lr"]]
    for _ in range(epochs):
        optimizer.step()
        scheduler.step()
        rates.append(optimizer.param_groups[0]["lr"])
    return np.array(rates), scheduler


@pytest.mark.parametrize("name", MAKERS)
def test_learning_rates_match_torch(torch, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's notes about the order of step() calls
        theirs, _ = learning_rates(torch, MAKERS[name])
    ours, scheduler = learning_rates(sd, MAKERS[name])
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
    assert scheduler.get_last_lr() == [ours[-1]]


def test_a_sequence_resumes_from_its_state_dict():
    _, scheduler = learning_rates(sd, MAKERS["SequentialLR"], epochs=5)
    param = sd.nn.Parameter(sd.zeros(1))
    optimizer = sd.optim.SGD([param], lr=0.1)
    resumed = MAKERS["SequentialLR"](sd, optimizer)
    resumed.load_state_dict(scheduler.state_dict())
    resumed.step()
    scheduler.step()
    assert resumed.get_last_lr() == scheduler.get_last_lr()


def test_bad_settings_are_refused():
    optimizer = sd.optim.SGD([sd.nn.Parameter(sd.zeros(1))], lr=0.1)
    with pytest.raises(ValueError, match="LinearLR: start_factor must lie in"):
        sd.optim.lr_scheduler.LinearLR(optimizer, start_factor=0)
    with pytest.raises(ValueError, match="SequentialLR: expected 1 milestones for 2"):
        sd.optim.lr_scheduler.SequentialLR(
            optimizer,
            [
                sd.optim.lr_scheduler.ConstantLR(optimizer),
                sd.optim.lr_scheduler.ConstantLR(optimizer),
            ],
            milestones=[],
        )
    plateau = sd.optim.lr_scheduler.ReduceLROnPlateau(optimizer)
    with pytest.raises(NotImplementedError, match="ReduceLROnPlateau has no closed form"):
        sd.optim.lr_scheduler.SequentialLR(optimizer, [plateau], milestones=[])
