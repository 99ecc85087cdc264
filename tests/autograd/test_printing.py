"""repr(tensor) against torch's, under its print options."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd

VALUES = [  # float values print as float32
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
    np.arange(60.0).reshape(3, 20) / 3,  # rows wrapped, a fixed number of elements a line
    np.ones((4, 5, 6, 7)),
    np.array(3.5),
    np.zeros((0, 3)),
    np.zeros(0),
    np.arange(3000).reshape(30, 100),
    np.array([True, False]),
    np.array([[1, -100], [5, 7]], dtype=np.int32),  # dtype named, on a new line if need be
    np.zeros(0, dtype=np.int64),  # empty: the dtype is named
]

OPTIONS = [
    {},
    {"precision": 2},
    {"precision": 6},
    {"sci_mode": True},
    {"sci_mode": False},
    {"profile": "short"},
    {"profile": "full", "linewidth": 120},
    {"linewidth": 40},
    {"threshold": 10, "edgeitems": 0},  # nothing but "..." and the size
    {"threshold": 5, "edgeitems": 1},
]


@pytest.fixture
def restore_printoptions(torch):
    yield
    for lib in (sd, torch):
        lib.set_printoptions(profile="default")


@pytest.mark.host  # torch's reprs are of CPU tensors (a device adds its suffix)
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_repr_matches_torch_under_print_options(torch, restore_printoptions, options):
    for lib in (sd, torch):
        lib.set_printoptions(**options)
    for values in VALUES:
        array = values.astype(np.float32) if values.dtype.kind == "f" else values
        expected = repr(torch.tensor(array)).replace("torch.", "scratchdl.")
        assert repr(sd.tensor(array)) == expected, values


def test_an_unknown_profile_is_refused_changing_nothing(restore_printoptions):
    before = repr(sd.tensor([0.123456]))
    with pytest.raises(ValueError, match="set_printoptions: profile must be one of"):
        sd.set_printoptions(precision=1, profile="long")
    assert repr(sd.tensor([0.123456])) == before
