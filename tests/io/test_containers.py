"""Nested containers through save/load, as torch.save / torch.load use them."""

import numpy as np
import pytest

import scratchdl.nn as nn
from scratchdl import io
from scratchdl.autograd import Tensor
from scratchdl.optim import SGD

FORMATS = [".pt", ".safetensors"]


def assert_equal_objects(loaded, expected):
    """Equal structure and values; arrays and tensors come back as Tensors."""
    if isinstance(expected, (np.ndarray, Tensor)):
        assert isinstance(loaded, Tensor)
        assert loaded.dtype == expected.dtype and loaded.shape == expected.shape
        np.testing.assert_array_equal(loaded.numpy(), np.asarray(expected))
    elif isinstance(expected, dict):
        assert isinstance(loaded, dict) and list(loaded) == list(expected)
        for key in expected:
            assert_equal_objects(loaded[key], expected[key])
    elif isinstance(expected, (list, tuple)):
        assert type(loaded) is type(expected) and len(loaded) == len(expected)
        for got, want in zip(loaded, expected, strict=True):
            assert_equal_objects(got, want)
    else:
        assert type(loaded) is type(expected) and (loaded == expected or loaded != loaded)


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_training_state_round_trips(tmp_path, suffix):
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2))
    optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9)
    state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 3}
    io.save(state, tmp_path / f"state{suffix}")
    assert_equal_objects(io.load(tmp_path / f"state{suffix}"), state)


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_kind_of_value_keeps_its_type(tmp_path, suffix):
    obj = {
        "tensor": Tensor(np.arange(4, dtype=np.int64)),
        "scalar_tensor": Tensor(np.array(2.5)),
        "numbers": [1, 2.5, True, None, "text", float("inf"), float("nan"), 2**80],
        "pair": (np.float32(0.5), np.int64(-3), np.bool_(True)),
        7: {"nested": [(), [], {}]},
    }
    io.save(obj, tmp_path / f"obj{suffix}")
    loaded = io.load(tmp_path / f"obj{suffix}")
    assert_equal_objects(loaded, obj)
    assert isinstance(loaded["pair"][0], np.float32)


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("obj", [Tensor(np.eye(2)), [np.zeros(2), np.ones(3)], 3, "text", None])
def test_anything_storable_may_be_the_top_level_object(tmp_path, suffix, obj):
    io.save(obj, tmp_path / f"obj{suffix}")
    assert_equal_objects(io.load(tmp_path / f"obj{suffix}"), obj)


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ({"a": {1, 2}}, "cannot store a set at 'a'"),
        ({"a": [object()]}, "cannot store a object at 'a/0'"),
        ({(1, 2): np.zeros(2)}, "key"),
        ({"a": {2.5: 1}}, "key 2.5 at 'a'"),
        ({"a": [np.array(["x"])]}, "'a/0'"),
    ],
)
def test_values_that_cannot_be_stored_are_refused_before_writing(tmp_path, obj, message):
    with pytest.raises(TypeError, match=message):
        io.save(obj, tmp_path / "obj.pt")
    assert list(tmp_path.iterdir()) == []


def test_two_entries_that_would_share_a_name_are_refused(tmp_path):
    with pytest.raises(ValueError, match="same name 'a/b'"):
        io.save({"a/b": np.zeros(1), "a": {"b": np.ones(1)}}, tmp_path / "obj.pt")


def test_a_saved_training_state_restores_a_model_and_optimizer_that_step_alike(tmp_path):
    """The PyTorch idiom: save {"model", "optimizer", "epoch"}, load it into fresh objects."""

    def step(model, optimizer):
        optimizer.zero_grad()
        (model(Tensor(np.ones((4, 3), dtype=np.float32))) ** 2).sum().backward()
        optimizer.step()

    model = nn.Linear(3, 2)
    optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9)
    step(model, optimizer)
    io.save(
        {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 1},
        tmp_path / "state.pt",
    )
    state = io.load(tmp_path / "state.pt")
    twin = nn.Linear(3, 2)
    twin_optimizer = SGD(twin.parameters(), lr=0.5)
    twin.load_state_dict(state["model"])
    twin_optimizer.load_state_dict(state["optimizer"])
    step(model, optimizer)
    step(twin, twin_optimizer)
    assert state["epoch"] == 1
    for name, array in model.state_dict().items():
        np.testing.assert_array_equal(twin.state_dict()[name], array, err_msg=name)
