"""Devices: the strict stand-in for a GPU, moving tensors and modules, the default device,
and the errors for mixing devices or asking for CUDA without one."""

from __future__ import annotations

import numpy as np
import pytest

import scratchdl as sd
from scratchdl import nn, optim
from scratchdl.backend import device_of, get_array_module, to_device, to_numpy
from scratchdl.backend.strict import HostDeviceMixingError, StrictArray, strict
from scratchdl.functional import math as F_math
from scratchdl.utils.data import DataLoader, TensorDataset

pytestmark = pytest.mark.host  # each test says where its tensors go


def test_strict_tensors_live_on_the_strict_device_and_copy_back_to_the_host():
    x = sd.tensor([[1.0, 2.0], [3.0, 4.0]], device="strict")
    assert x.device == sd.device("strict") and isinstance(x.data, StrictArray)
    assert get_array_module(x.data) is strict
    y = (x * 2 + 1).relu().sum(dim=0)
    assert y.device.type == "strict" and y.tolist() == [10.0, 14.0]
    host = y.cpu()
    assert host.device == sd.device("cpu") and type(host.data) is np.ndarray
    back = to_numpy(x.data)
    back[0, 0] = 99.0  # a copy: the device array keeps its value
    assert x[0, 0].item() == 1.0


def test_moving_to_the_device_it_is_on_returns_the_same_array():
    array = to_device(np.ones(3), "strict")
    assert to_device(array, "strict") is array
    host = np.ones(3)
    assert to_device(host, "cpu") is host


def test_host_data_moved_to_the_device_is_copied():
    host = np.zeros(3)
    x = sd.from_numpy(host).to("strict")
    host[0] = 5.0
    assert x.tolist() == [0.0, 0.0, 0.0]


def test_library_code_that_mixes_a_host_array_in_raises():
    device_array = to_device(np.ones(3), "strict")
    with pytest.raises(HostDeviceMixingError, match=r"numpy.add: a host \(NumPy\) array"):
        F_math.Add().forward(device_array, np.ones(3))  # forward runs as scratchdl's code


def test_test_code_may_mix_freely_as_numpys_testing_helpers_do():
    device_array = to_device(np.arange(3.0), "strict")
    np.testing.assert_array_equal(device_array + np.ones(3), [1.0, 2.0, 3.0])


def test_operations_on_two_devices_name_both():
    with pytest.raises(RuntimeError, match="two devices, cpu and strict"):
        sd.ones(3) + sd.ones(3, device="strict")
    with pytest.raises(RuntimeError, match=r"Linear: .* cpu and strict"):
        nn.Linear(3, 2).to("strict")(sd.ones(1, 3))


def test_a_module_and_its_optimizer_state_follow_the_device():
    sd.manual_seed(0)
    on_cpu = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    sd.manual_seed(0)
    on_device = nn.Sequential(
        nn.Linear(3, 4, device="strict"), nn.BatchNorm1d(4, device="strict"), nn.ReLU(),
        nn.Linear(4, 2, device="strict"),
    )  # fmt: skip
    for a, b in zip(on_cpu.parameters(), on_device.parameters(), strict=True):
        assert b.device.type == "strict"
        np.testing.assert_array_equal(a.numpy(), b.numpy())  # a seed draws the same weights
    x = np.random.default_rng(0).normal(size=(8, 3)).astype(np.float32)
    for model in (on_cpu, on_device):
        optimizer = optim.Adam(model.parameters(), lr=0.01)
        inputs = sd.tensor(x, device=next(model.parameters()).device)
        for _ in range(3):
            optimizer.zero_grad()
            model(inputs).square().mean().backward()
            optimizer.step()
    state = optimizer.state[next(on_device.parameters())]
    assert device_of(state["exp_avg"]).type == "strict"
    for a, b in zip(on_cpu.state_dict().values(), on_device.state_dict().values(), strict=True):
        assert b.device.type == "strict"
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6, atol=1e-7)


def test_a_checkpoint_loads_onto_either_device(tmp_path):
    model = nn.Linear(3, 2).to("strict")
    sd.save(model.state_dict(), tmp_path / "model.pt")
    on_host = sd.load(tmp_path / "model.pt")
    assert all(t.device.type == "cpu" for t in on_host.values())
    on_device = sd.load(tmp_path / "model.pt", map_location="strict")
    assert all(t.device.type == "strict" for t in on_device.values())
    fresh = nn.Linear(3, 2).to("strict")
    fresh.load_state_dict(on_host)  # copied onto the parameters' device
    assert fresh.weight.device.type == "strict"
    np.testing.assert_array_equal(fresh.weight.numpy(), model.weight.numpy())


def test_the_default_device_places_new_tensors_layers_and_batches():
    sd.set_default_device("strict")
    try:
        assert sd.get_default_device() == sd.device("strict")
        made = [sd.zeros(2), sd.randn(2), sd.tensor([1, 2]), sd.Tensor([1.0]), sd.arange(3)]
        assert all(t.device.type == "strict" for t in made)
        assert nn.Conv2d(1, 2, 3).weight.device.type == "strict"
        assert sd.from_numpy(np.ones(2)).device.type == "cpu"  # shares host memory, as torch's
        dataset = TensorDataset(np.ones((4, 2)), np.arange(4))
        for x, y in DataLoader(dataset, batch_size=2):
            assert x.device.type == y.device.type == "strict"
    finally:
        sd.set_default_device(None)
    assert sd.get_default_device() == sd.device("cpu")


def test_cuda_without_a_gpu_is_one_clear_error_that_changes_nothing():
    if sd.cuda.is_available():  # pragma: no cover - a GPU machine
        pytest.skip("this machine has a GPU")
    with pytest.raises(RuntimeError, match="CUDA is not available"):
        sd.set_default_device("cuda")
    assert sd.get_default_device() == sd.device("cpu")
    with pytest.raises(RuntimeError, match="CUDA is not available"):
        sd.ones(2).to("cuda")
    with pytest.raises(RuntimeError, match="CUDA is not available"):
        nn.Linear(2, 2, device="cuda")
