"""Weights files: .npz and .safetensors round trips, corruption detection, atomic saves."""

import os
import sys

import numpy as np
import pytest

import scratchdl.nn as nn
from scratchdl import io

FORMATS = [".npz", ".safetensors"]


def make_state():
    return {
        "fc.weight": np.arange(12, dtype=np.float32).reshape(3, 4),
        "fc.bias": np.array([0.5, -1.5, 2.0], dtype=np.float64),
        "steps": np.array(7, dtype=np.int64),
    }


@pytest.mark.parametrize("suffix", FORMATS)
def test_state_dict_round_trips_exactly(tmp_path, suffix):
    state = make_state()
    path = tmp_path / f"weights{suffix}"
    io.save(state, path)
    loaded = io.load(path)
    assert sorted(loaded) == sorted(state)
    for name, array in state.items():
        assert loaded[name].dtype == array.dtype
        np.testing.assert_array_equal(loaded[name], array)


@pytest.mark.parametrize("suffix", FORMATS)
def test_module_weights_load_into_a_fresh_module(tmp_path, suffix):
    saved, fresh = nn.Linear(4, 3), nn.Linear(4, 3)
    path = tmp_path / f"linear{suffix}"
    io.save(saved, path)
    fresh.load_state_dict(io.load(path))
    np.testing.assert_array_equal(fresh.weight.data, saved.weight.data)
    np.testing.assert_array_equal(fresh.bias.data, saved.bias.data)


@pytest.mark.parametrize("operation", [io.save, lambda _, path: io.load(path)])
def test_unknown_suffix_is_refused(tmp_path, operation):
    with pytest.raises(ValueError, match=r"weights\.pt.*\.npz, \.safetensors"):
        operation(make_state(), tmp_path / "weights.pt")


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nothing\.npz"):
        io.load(tmp_path / "nothing.npz")


def test_non_numeric_values_are_refused_before_writing(tmp_path):
    path = tmp_path / "bad.npz"
    with pytest.raises(TypeError, match=r"'names'.*dtype"):
        io.save({"names": np.array(["a", "b"], dtype=object)}, path)
    assert not path.exists()


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("damage", ["truncate", "flip_a_byte", "empty"])
def test_damaged_files_raise_naming_the_file(tmp_path, suffix, damage):
    path = tmp_path / f"weights{suffix}"
    io.save(make_state(), path)
    data = path.read_bytes()
    middle = len(data) // 2
    damaged = {
        "truncate": data[:middle],
        "flip_a_byte": data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :],
        "empty": b"",
    }[damage]
    path.write_bytes(damaged)
    with pytest.raises(io.CorruptFileError, match=f"weights\\{suffix}"):
        io.load(path)


@pytest.mark.parametrize("suffix", FORMATS)
def test_corrupt_tensor_data_is_detected(tmp_path, suffix):
    """Flip a byte inside the array values (not the header): the checksum catches it."""
    path = tmp_path / f"weights{suffix}"
    state = {"w": np.full(1000, 3.0, dtype=np.float32)}
    io.save(state, path)
    data = bytearray(path.read_bytes())
    value_offset = bytes(data).index(np.float32(3.0).tobytes() * 4) + 100
    data[value_offset] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(io.CorruptFileError, match="corrupt"):
        io.load(path)


def test_failed_save_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "weights.npz"
    io.save({"w": np.zeros(3)}, path)
    original = path.read_bytes()
    real_write_array = np.lib.format.write_array

    def write_then_fail(file, array, **kwargs):
        real_write_array(file, array, **kwargs)
        raise OSError("disk full")

    monkeypatch.setattr(np.lib.format, "write_array", write_then_fail)
    with pytest.raises(OSError, match="disk full"):
        io.save({"w": np.ones(100), "v": np.ones(100)}, path)
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["weights.npz"]


def test_failed_first_save_creates_no_file(tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np.lib.format, "write_array", fail)
    with pytest.raises(OSError):
        io.save({"w": np.zeros(3)}, tmp_path / "weights.npz")
    assert list(tmp_path.iterdir()) == []


def test_safetensors_without_the_package_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "safetensors", None)
    monkeypatch.setitem(sys.modules, "safetensors.numpy", None)
    with pytest.raises(ImportError, match=r"pip install scratchdl\[io\]"):
        io.save(make_state(), tmp_path / "weights.safetensors")


def test_save_refuses_objects_without_a_state_dict(tmp_path):
    with pytest.raises(TypeError, match="state_dict"):
        io.save([1, 2, 3], tmp_path / "weights.npz")


def test_saved_files_get_the_usual_permissions(tmp_path):
    """Not mkstemp's private 0o600: 0o666 less the umask, like any file the user writes."""
    path = tmp_path / "w.npz"
    io.save({"w": np.zeros(2)}, path)
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
