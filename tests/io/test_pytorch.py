"""State dicts move between PyTorch and scratchdl as safetensors files, both ways."""

import numpy as np
import pytest

import scratchdl.nn as nn
from scratchdl import from_numpy, io


@pytest.fixture
def safetensors_torch():
    pytest.importorskip("safetensors")
    return pytest.importorskip("safetensors.torch")


def torch_twin(torch):
    """Conv2d, BatchNorm2d (running statistics from a few training batches) and Linear."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(2, 3, 3),
        torch.nn.BatchNorm2d(3),
        torch.nn.Flatten(),
        torch.nn.Linear(48, 5),
    )
    for _ in range(3):
        model(torch.randn(4, 2, 6, 6))
    return model.eval()


def scratchdl_twin():
    return nn.Sequential(
        nn.Conv2d(2, 3, 3), nn.BatchNorm2d(3), nn.Flatten(), nn.Linear(48, 5)
    ).eval()


def test_a_state_dict_pytorch_wrote_gives_the_same_outputs(tmp_path, torch, safetensors_torch):
    model = torch_twin(torch)
    path = tmp_path / "model.safetensors"
    safetensors_torch.save_file(model.state_dict(), path)
    twin = scratchdl_twin()
    twin.load_state_dict(io.load(path))
    x = np.random.default_rng(0).normal(size=(2, 2, 6, 6)).astype(np.float32)
    expected = model(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(twin(from_numpy(x)).numpy(), expected, rtol=1e-5, atol=1e-6)
    assert int(twin.state_dict()["1.num_batches_tracked"]) == 3


def test_a_state_dict_scratchdl_wrote_loads_into_pytorch(tmp_path, torch, safetensors_torch):
    twin = scratchdl_twin().train()
    twin(from_numpy(np.random.default_rng(1).normal(size=(4, 2, 6, 6)).astype(np.float32)))
    twin.eval()
    path = tmp_path / "model.safetensors"
    io.save(twin.state_dict(), path)
    model = torch_twin(torch)
    model.load_state_dict(safetensors_torch.load_file(path))  # strict: every name and shape
    x = np.random.default_rng(2).normal(size=(2, 2, 6, 6)).astype(np.float32)
    expected = twin(from_numpy(x)).numpy()
    np.testing.assert_allclose(model(torch.from_numpy(x)).detach().numpy(), expected, rtol=1e-5)
    assert model[1].num_batches_tracked.shape == ()


def test_bfloat16_tensors_load_as_float32_exactly(tmp_path, torch, safetensors_torch):
    values = torch.tensor([1.0, -2.5, 3.140625, 1e30]).to(torch.bfloat16)
    safetensors_torch.save_file({"w": values}, tmp_path / "w.safetensors")
    loaded = io.load(tmp_path / "w.safetensors")["w"]
    assert loaded.dtype == np.float32
    np.testing.assert_array_equal(loaded.numpy(), values.float().numpy())
