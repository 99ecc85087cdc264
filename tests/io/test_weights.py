"""State dicts through save/load: both formats, any suffix, exact round trips, Tensors back."""

import io as stdlib_io

import numpy as np
import pytest

import scratchdl.nn as nn
from scratchdl import io
from scratchdl.autograd import Tensor

FORMATS = [".npz", ".safetensors"]
SUFFIXES = [".npz", ".safetensors", ".pt", ".pth", ".bin", ""]


def make_state():
    return {
        "fc.weight": np.arange(12, dtype=np.float32).reshape(3, 4),
        "fc.bias": np.array([0.5, -1.5, 2.0], dtype=np.float64),
        "steps": np.array(7, dtype=np.int64),
        "mask": np.array([True, False]),
        "empty": np.zeros((0, 3), dtype=np.float32),
        "big_endian": np.array([1.5, 2.5], dtype=">f4"),
    }


def assert_same_state(loaded, state):
    assert list(loaded) == list(state)
    for name, array in state.items():
        assert isinstance(loaded[name], Tensor), name
        assert loaded[name].shape == array.shape, name
        assert loaded[name].dtype == array.dtype.newbyteorder("="), name
        np.testing.assert_array_equal(loaded[name].numpy(), array, err_msg=name)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_state_dict_round_trips_exactly_whatever_the_suffix(tmp_path, suffix):
    path = tmp_path / f"weights{suffix}"
    io.save(make_state(), path)
    assert_same_state(io.load(path), make_state())


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_format_is_read_from_the_content_not_the_name(tmp_path, suffix):
    path = tmp_path / f"weights{suffix}"
    io.save(make_state(), path)
    renamed = path.rename(tmp_path / "renamed.weird")
    assert_same_state(io.load(renamed), make_state())


def test_safetensors_for_that_suffix_and_npz_for_every_other(tmp_path):
    io.save(make_state(), tmp_path / "a.safetensors")
    io.save(make_state(), tmp_path / "a.pt")
    assert (tmp_path / "a.safetensors").read_bytes()[8:9] == b"{"
    assert (tmp_path / "a.pt").read_bytes()[:2] == b"PK"
    with np.load(tmp_path / "a.pt", allow_pickle=False) as archive:  # NumPy reads it
        np.testing.assert_array_equal(archive["fc.weight"], make_state()["fc.weight"])


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_batchnorm_model_round_trips_with_its_0d_buffer(tmp_path, suffix):
    saved = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2))
    saved(Tensor(np.random.default_rng(0).normal(size=(4, 1, 5, 5)).astype(np.float32)))
    path = tmp_path / f"model{suffix}"
    io.save(saved.state_dict(), path)
    loaded = io.load(path)
    assert (
        loaded["1.num_batches_tracked"].shape == () and loaded["1.num_batches_tracked"].item() == 1
    )
    fresh = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2))
    fresh.load_state_dict(loaded)
    for name, array in saved.state_dict().items():
        np.testing.assert_array_equal(fresh.state_dict()[name], array, err_msg=name)


def test_a_module_is_saved_as_its_state_dict(tmp_path):
    model = nn.Linear(4, 3)
    io.save(model, tmp_path / "linear.pt")
    assert sorted(io.load(tmp_path / "linear.pt")) == ["bias", "weight"]


def test_tensors_are_saved_as_their_arrays(tmp_path):
    state = {"w": Tensor(np.arange(6.0).reshape(2, 3))}
    io.save(state, tmp_path / "w.safetensors")
    np.testing.assert_array_equal(io.load(tmp_path / "w.safetensors")["w"].numpy(), state["w"].data)


@pytest.mark.parametrize("suffix", FORMATS)
def test_loaded_tensors_own_writable_arrays(tmp_path, suffix):
    io.save({"w": np.zeros(3)}, tmp_path / f"w{suffix}")
    loaded = io.load(tmp_path / f"w{suffix}")["w"]
    loaded.data += 1  # not a read-only view of the file's bytes
    np.testing.assert_array_equal(loaded.numpy(), np.ones(3))


def test_save_and_load_through_open_binary_files():
    buffer = stdlib_io.BytesIO()
    io.save({"model": make_state(), "epoch": 3}, buffer)
    buffer.seek(0)
    loaded = io.load(buffer)
    assert loaded["epoch"] == 3
    assert_same_state(loaded["model"], make_state())


@pytest.mark.parametrize("location", [None, "cpu", {"cuda:0": "cpu"}])
def test_map_location_to_the_cpu_and_weights_only_change_nothing(tmp_path, location):
    io.save(make_state(), tmp_path / "w.pt")
    for weights_only in (True, False):
        loaded = io.load(tmp_path / "w.pt", map_location=location, weights_only=weights_only)
        assert_same_state(loaded, make_state())


def test_a_function_as_map_location_is_refused(tmp_path):
    io.save(make_state(), tmp_path / "w.pt")
    with pytest.raises(TypeError, match="map_location"):
        io.load(tmp_path / "w.pt", map_location=lambda storage, location: storage)


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize(
    "value", [np.array(["a", "b"]), np.array([1 + 2j]), np.array([None], dtype=object)]
)
def test_non_numeric_arrays_are_refused_before_writing(tmp_path, suffix, value):
    path = tmp_path / f"bad{suffix}"
    with pytest.raises(TypeError, match=r"'names'.*data"):
        io.save({"names": value}, path)
    assert list(tmp_path.iterdir()) == []


def test_the_structure_entry_name_is_reserved(tmp_path):
    with pytest.raises(ValueError, match="reserved"):
        io.save({"__scratchdl__": np.zeros(2)}, tmp_path / "w.pt")


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nothing\.pt"):
        io.load(tmp_path / "nothing.pt")


def test_loading_a_folder_says_it_is_a_folder(tmp_path):
    with pytest.raises(IsADirectoryError, match="is a folder"):
        io.load(tmp_path)
