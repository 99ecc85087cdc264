"""Checkpoints: one .npz holding model, optimizer, loader and RNG state, restored exactly."""

import numpy as np
import pytest

import scratchdl as sd
import scratchdl.nn as nn
from scratchdl import io
from scratchdl.optim import SGD
from scratchdl.random import get_rng
from scratchdl.utils.data import DataLoader, TensorDataset


def trained_model_and_optimizer():
    model = nn.Linear(3, 2)
    optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = sd.tensor(np.ones((4, 3)))
    for _ in range(2):
        optimizer.zero_grad()
        (model(x) ** 2).sum().backward()
        optimizer.step()
    return model, optimizer


def test_everything_round_trips(tmp_path):
    model, optimizer = trained_model_and_optimizer()
    generator = sd.Generator().manual_seed(3)
    loader = DataLoader(TensorDataset(np.zeros((6, 1))), 2, shuffle=True, generator=generator)
    list(loader)
    extra = {"best": 0.25, "tags": ["a", "b"], "shape": (2, 3), 7: None, "mean": np.arange(3.0)}
    path = tmp_path / "run.npz"
    io.save_checkpoint(path, model, optimizer, epoch=4, extra=extra, loader=loader)
    expected_draw = get_rng().random(5)

    fresh_model = nn.Linear(3, 2)
    fresh_optimizer = SGD(fresh_model.parameters(), lr=0.5)
    fresh_loader = DataLoader(
        TensorDataset(np.zeros((6, 1))), 2, shuffle=True, generator=sd.Generator()
    )
    info = io.load_checkpoint(path, fresh_model, fresh_optimizer, loader=fresh_loader)

    assert info["epoch"] == 4
    np.testing.assert_array_equal(info["extra"].pop("mean"), np.arange(3.0))
    assert info["extra"] == {"best": 0.25, "tags": ["a", "b"], "shape": (2, 3), 7: None}
    np.testing.assert_array_equal(fresh_model.weight.data, model.weight.data)
    group = fresh_optimizer.param_groups[0]
    assert group["lr"] == 0.1 and group["momentum"] == 0.9
    np.testing.assert_array_equal(
        fresh_optimizer.state[fresh_model.weight]["momentum_buffer"],
        optimizer.state[model.weight]["momentum_buffer"],
    )
    assert fresh_loader.state_dict() == loader.state_dict()
    np.testing.assert_array_equal(get_rng().random(5), expected_draw)


def test_arrays_are_stored_under_their_path_without_pickle(tmp_path):
    model, optimizer = trained_model_and_optimizer()
    path = tmp_path / "run.npz"
    io.save_checkpoint(path, model, optimizer)
    with np.load(path, allow_pickle=False) as archive:
        names = set(archive.files)
    assert {"model/weight", "model/bias", "optimizer/state/0/momentum_buffer"} <= names
    assert "__scratchdl__" in names  # the structure, as JSON text


def test_a_checkpoint_may_be_a_safetensors_file(tmp_path):
    model, optimizer = trained_model_and_optimizer()
    path = tmp_path / "run.safetensors"
    io.save_checkpoint(path, model, optimizer, epoch=2)
    fresh = nn.Linear(3, 2)
    assert io.load_checkpoint(path, fresh, SGD(fresh.parameters(), lr=0.5))["epoch"] == 2
    np.testing.assert_array_equal(fresh.weight.data, model.weight.data)


def test_a_model_that_does_not_match_is_left_unchanged(tmp_path):
    model, _ = trained_model_and_optimizer()
    path = tmp_path / "run.npz"
    io.save_checkpoint(path, model)
    other = nn.Linear(3, 5)
    before = other.weight.data.copy()
    with pytest.raises(RuntimeError, match="weight"):
        io.load_checkpoint(path, other)
    np.testing.assert_array_equal(other.weight.data, before)


def test_asking_for_a_part_the_file_lacks_changes_nothing(tmp_path):
    model, _ = trained_model_and_optimizer()
    path = tmp_path / "run.npz"
    io.save_checkpoint(path, model)
    fresh = nn.Linear(3, 2)
    before = fresh.weight.data.copy()
    with pytest.raises(ValueError, match="no optimizer state"):
        io.load_checkpoint(path, fresh, SGD(fresh.parameters(), lr=0.1))
    np.testing.assert_array_equal(fresh.weight.data, before)


def test_a_part_that_refuses_its_state_rolls_back_the_parts_before_it(tmp_path):
    model, optimizer = trained_model_and_optimizer()
    path = tmp_path / "run.npz"
    io.save_checkpoint(path, model, optimizer)
    fresh = nn.Linear(3, 2)
    before = fresh.weight.data.copy()
    only_the_weight = SGD([fresh.weight], lr=0.1, momentum=0.9)  # state for 1 parameter, not 2
    with pytest.raises(ValueError, match="parameter 1"):
        io.load_checkpoint(path, fresh, only_the_weight)
    np.testing.assert_array_equal(fresh.weight.data, before)


@pytest.mark.parametrize(
    "obj",
    [{"weight": np.zeros((2, 3))}, {"format": "other"}, [1, 2]],
    ids=["weights", "dict", "list"],
)
def test_other_files_are_not_checkpoints(tmp_path, obj):
    path = tmp_path / "weights.npz"
    io.save(obj, path)
    with pytest.raises(io.CorruptFileError, match="not a scratchdl checkpoint"):
        io.load_checkpoint(path, nn.Linear(3, 2))


def test_a_damaged_checkpoint_names_the_file_and_member_and_changes_nothing(tmp_path):
    model, optimizer = trained_model_and_optimizer()
    path = tmp_path / "run.npz"
    io.save_checkpoint(path, model, optimizer)
    data = bytearray(path.read_bytes())
    weight_bytes = model.weight.data.tobytes()
    data[data.index(weight_bytes) + 5] ^= 0x04
    path.write_bytes(bytes(data))
    fresh = nn.Linear(3, 2)
    before = fresh.weight.data.copy()
    with pytest.raises(io.CorruptFileError, match=r"run\.npz', member 'model/weight.npy'"):
        io.load_checkpoint(path, fresh)
    np.testing.assert_array_equal(fresh.weight.data, before)


def test_a_truncated_checkpoint_raises_naming_the_file(tmp_path):
    model, optimizer = trained_model_and_optimizer()
    path = tmp_path / "run.npz"
    io.save_checkpoint(path, model, optimizer)
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(io.CorruptFileError, match=r"run\.npz"):
        io.load_checkpoint(path, nn.Linear(3, 2))


def test_unstorable_extra_is_refused_before_writing(tmp_path):
    path = tmp_path / "run.npz"
    with pytest.raises(TypeError, match="cannot store a set at 'extra'"):
        io.save_checkpoint(path, nn.Linear(3, 2), extra={1, 2})
    assert not path.exists()
