"""repr(tensor) against torch's, under its print options. (Rows too wide for one line
wrap at other places than torch's: NumPy fills each line, torch puts a fixed number of
elements on each; not covered here.)"""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd

VALUES = [
    np.array([1.0, 2.0]),
    np.array([0.123456, 12.5]),
    np.array([1e-6, 3.0]),
    np.array([[1.5, -2.25], [3.0, 4.0]]),
    np.zeros(3),
    np.arange(2000.0),  # whole numbers spanning more than 1000x: scientific, as torch
    np.arange(2000.0) / 7,  # summarised with an ellipsis
    np.ones((40, 40)) / 3,
    np.array([np.nan, 1.0, np.inf]),  # nan and inf do not widen the columns
    np.array([np.nan, 1.5, -np.inf, 100.25]),
]

OPTIONS = [
    {},
    {"precision": 2},
    {"precision": 6},
    {"sci_mode": True},
    {"sci_mode": False},
    {"profile": "short"},
    {"profile": "full"},
    {"threshold": 5, "edgeitems": 1},
]


@pytest.fixture
def restore_printoptions(torch):
    yield
    for lib in (sd, torch):
        lib.set_printoptions(profile="default")


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_repr_matches_torch_under_print_options(torch, restore_printoptions, options):
    for lib in (sd, torch):
        lib.set_printoptions(**options)
    for values in VALUES:
        if options.get("profile") == "full" and values.ndim > 1:
            continue  # printed whole, its 40-element rows wrap (see the module docstring)
        array = values.astype(np.float32)
        assert repr(sd.tensor(array)) == repr(torch.tensor(array)), values


def test_an_unknown_profile_is_refused_changing_nothing(restore_printoptions):
    before = repr(sd.tensor([0.123456]))
    with pytest.raises(ValueError, match="set_printoptions: profile must be one of"):
        sd.set_printoptions(precision=1, profile="long")
    assert repr(sd.tensor([0.123456])) == before
