"""state_dict / load_state_dict: names, shared memory, in-place loads, all-or-nothing errors."""

import copy
from collections import OrderedDict

import numpy as np
import pytest

from scratchdl import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.body = nn.Sequential(nn.ReLU(), nn.Linear(4, 2, bias=False))
        self.register_buffer("seen", np.zeros(2))


def test_names_are_dotted_like_torch():
    state = Net().state_dict()
    assert isinstance(state, OrderedDict)
    assert list(state) == ["seen", "fc1.weight", "fc1.bias", "body.1.weight"]
    assert state["fc1.weight"].shape == (4, 3)
    assert not state["fc1.weight"].requires_grad


def test_values_share_memory_as_in_torch_and_deepcopy_snapshots_them():
    net = Net()
    snapshot = copy.deepcopy(net.state_dict())
    net.state_dict()["fc1.bias"][:] = 7
    assert np.all(net.fc1.bias.data == 7)
    assert not np.any(snapshot["fc1.bias"].data == 7)
    assert net.state_dict(keep_vars=True)["fc1.bias"] is net.fc1.bias


def test_round_trip_copies_in_place():
    source, target = Net(), Net()
    source.seen[:] = 3
    weight_array = target.fc1.weight.data
    result = target.load_state_dict(source.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert target.fc1.weight.data is weight_array
    for name, value in source.state_dict().items():
        np.testing.assert_array_equal(target.state_dict()[name], value)


def test_values_are_cast_to_the_parameter_dtype():
    net = Net()
    state = {name: value.astype(np.float64) + 1 for name, value in net.state_dict().items()}
    net.load_state_dict(state)
    assert net.fc1.weight.dtype == np.float32
    np.testing.assert_allclose(net.fc1.weight.data, state["fc1.weight"], rtol=1e-6)


def test_strict_errors_list_every_problem_and_change_nothing():
    net = Net()
    before = copy.deepcopy(net.state_dict())
    state = copy.deepcopy(net.state_dict())
    del state["fc1.bias"]
    state["fc2.weight"] = np.zeros(2)
    state["body.1.weight"] = np.zeros((4, 2))
    state["fc1.weight"] = state["fc1.weight"] + 1  # valid, must still not be loaded
    with pytest.raises(RuntimeError) as error:
        net.load_state_dict(state)
    message = str(error.value)
    assert message.startswith("Error(s) in loading state_dict for Net (nothing was changed)")
    assert "missing key: fc1.bias" in message
    assert "unexpected key: fc2.weight" in message
    assert (
        "size mismatch for body.1.weight: the state has shape (4, 2), the model (2, 4)" in message
    )
    for name, value in net.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


def test_non_strict_loads_what_matches_and_reports_the_rest():
    net = Net()
    state = {"fc1.bias": np.ones(4), "extra": np.zeros(1)}
    result = net.load_state_dict(state, strict=False)
    assert result.missing_keys == ["seen", "fc1.weight", "body.1.weight"]
    assert result.unexpected_keys == ["extra"]
    np.testing.assert_array_equal(net.fc1.bias.data, np.ones(4))


def test_shape_mismatch_raises_even_when_not_strict():
    net = Net()
    with pytest.raises(RuntimeError, match=r"size mismatch for fc1\.bias: the state has shape"):
        net.load_state_dict({"fc1.bias": np.ones(5)}, strict=False)


def test_non_numeric_values_are_rejected():
    net = Net()
    state = dict(net.state_dict())
    state["seen"] = np.array(["a", "b"])
    with pytest.raises(RuntimeError, match="seen: the state holds <U1 data, expected numbers"):
        net.load_state_dict(state)
