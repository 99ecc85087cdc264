"""Strict loading: any damage is one CorruptFileError naming the file (and the member),
never part of a file; foreign and hostile files are refused with the reason."""

import io as stdlib_io
import json
import re
import warnings
import zipfile

import numpy as np
import pytest

from scratchdl import io

FORMATS = [".pt", ".safetensors"]
STATE = {
    "fc.weight": np.arange(6, dtype=np.float32).reshape(2, 3),
    "fc.bias": np.array([1.5, 2.0]),
    "steps": np.array(3, dtype=np.int64),
}
NESTED = {"model": STATE, "epoch": 3, "history": [0.5, (1, "x")]}


def saved_bytes(tmp_path, obj, suffix):
    path = tmp_path / f"saved{suffix}"
    io.save(obj, path)
    return path.read_bytes()


def load_bytes(data):
    return io.load(stdlib_io.BytesIO(data))


def flipped(data, position, bit):
    damaged = bytearray(data)
    damaged[position] ^= 1 << bit
    return bytes(damaged)


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_single_bit_flip_is_found(tmp_path, suffix):
    data = saved_bytes(tmp_path, STATE, suffix)
    for position in range(len(data)):
        for bit in range(8):
            with pytest.raises(io.CorruptFileError):
                load_bytes(flipped(data, position, bit))


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_flip_anywhere_in_a_nested_object_is_found(tmp_path, suffix):
    data = saved_bytes(tmp_path, NESTED, suffix)
    for position in range(len(data)):
        with pytest.raises(io.CorruptFileError):
            load_bytes(flipped(data, position, position % 8))


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("obj", [STATE, NESTED], ids=["state_dict", "nested"])
def test_every_truncation_and_any_extension_is_found(tmp_path, suffix, obj):
    data = saved_bytes(tmp_path, obj, suffix)
    for length in range(len(data)):
        with pytest.raises(io.CorruptFileError):
            load_bytes(data[:length])
    with pytest.raises(io.CorruptFileError):
        load_bytes(data + b"\0")


@pytest.mark.parametrize("suffix", FORMATS)
def test_the_error_names_the_file_and_the_damaged_member(tmp_path, suffix):
    path = tmp_path / f"weights{suffix}"
    io.save({"first": np.zeros(100), "second": np.full(100, 3.0)}, path)
    data = bytearray(path.read_bytes())
    data[data.rindex(np.float64(3.0).tobytes()) + 3] ^= 0x10  # inside the second array
    path.write_bytes(bytes(data))
    with pytest.raises(io.CorruptFileError, match=rf"weights\{suffix}.*'second") as caught:
        io.load(path)
    assert caught.value.path == str(path) and caught.value.member.startswith("second")


def zip_of(members):
    """An .npz built by hand from (member name, array) pairs."""
    buffer = stdlib_io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about a repeated name, and writes it
        for name, array in members:
            with archive.open(name, "w") as member:
                np.lib.format.write_array(member, np.asarray(array), allow_pickle=False)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "members",
    [[("a", [1.0]), ("a.npy", [2.0])], [("a.npy", [1.0]), ("a.npy", [2.0])]],
    ids=["a_and_a.npy", "the_same_name_twice"],
)
def test_two_members_holding_the_same_array_are_refused(members):
    with pytest.raises(io.CorruptFileError, match="twice"):
        load_bytes(zip_of(members))


@pytest.mark.parametrize(
    ("array", "dtype_word"),
    [(np.array(["text"]), "<U4"), (np.zeros(2, dtype="i4,f4"), "[("), (np.array([1j]), "complex")],
)
def test_members_that_are_not_numbers_are_refused(array, dtype_word):
    with pytest.raises(io.CorruptFileError, match=re.escape(dtype_word) + ".*only bool, integer"):
        load_bytes(zip_of([("a.npy", array)]))


def test_a_member_whose_header_promises_more_data_than_it_holds_is_refused():
    raw = stdlib_io.BytesIO()
    np.lib.format.write_array(raw, np.zeros(4), allow_pickle=False)
    header_end = raw.getvalue().index(b"\n") + 1
    lying = raw.getvalue()[:header_end].replace(b"(4,)", b"(9,)") + raw.getvalue()[header_end:]
    buffer = stdlib_io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.npy", lying)
    with pytest.raises(io.CorruptFileError, match="promises 72 bytes"):
        load_bytes(buffer.getvalue())


def test_files_written_by_numpy_load_and_their_damage_is_found(tmp_path):
    path = tmp_path / "numpy.npz"
    np.savez(path, w=np.arange(50.0), b=np.array(2))
    loaded = io.load(path)
    assert loaded["b"].shape == () and loaded["w"].numpy().tolist() == list(range(50))
    data = bytearray(path.read_bytes())
    data[data.index(np.float64(25.0).tobytes())] ^= 0x01
    with pytest.raises(io.CorruptFileError, match=r"'w\.npy'.*CRC"):
        load_bytes(bytes(data))


def safetensors_file(header, body=b""):
    text = header if isinstance(header, bytes) else json.dumps(header).encode()
    return len(text).to_bytes(8, "little") + text + body


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (
            safetensors_file({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}),
            "data_offsets",
        ),
        (
            safetensors_file(
                {"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}, b"\0" * 8
            ),
            "bytes follow",
        ),
        (
            safetensors_file({"a": {"dtype": "Q7", "shape": [1], "data_offsets": [0, 1]}}, b"\0"),
            "dtype 'Q7'",
        ),
        (
            safetensors_file({"a": {"dtype": "U8", "shape": [-1], "data_offsets": [0, 1]}}, b"\0"),
            "integers >= 0",
        ),
        (safetensors_file({"a": {"dtype": "U8", "shape": [1]}}, b"\0"), "exactly dtype"),
        (safetensors_file({"__metadata__": {"k": 1}}), "map of strings"),
        (
            safetensors_file(
                {
                    "a": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2]},
                    "b": {"dtype": "U8", "shape": [2], "data_offsets": [1, 3]},
                },
                b"\0" * 3,
            ),
            "right after",
        ),
        (safetensors_file(b'{"a": 1, "a": 2}'), "appears twice"),
        ((10**9).to_bytes(8, "little") + b"{}", "header length"),
    ],
)
def test_malformed_safetensors_headers_are_refused(data, problem):
    with pytest.raises(io.CorruptFileError, match=problem):
        load_bytes(data)


def test_a_pytorch_pickle_is_refused_with_what_to_do_instead(tmp_path, torch):
    for legacy in (False, True):
        path = tmp_path / "model.pt"
        torch.save({"w": torch.zeros(2)}, path, _use_new_zipfile_serialization=not legacy)
        with pytest.raises(
            io.CorruptFileError, match=r"PyTorch pickle.*safetensors\.torch\.save_file"
        ):
            io.load(path)


@pytest.mark.parametrize(
    ("data", "problem"),
    [(b"", "empty"), (b"hello world, not weights", "neither an .npz nor a safetensors")],
)
def test_other_files_are_refused(data, problem):
    with pytest.raises(io.CorruptFileError, match=problem):
        load_bytes(data)


@pytest.mark.parametrize(
    "structure",
    [
        b"not json",
        b'{"format": "scratchdl", "version": 1, "tree": {"array": "missing"}}',
        b'{"format": "scratchdl", "version": 1, "tree": [{"array": "a"}, {"array": "a"}]}',
        b'{"format": "scratchdl", "version": 1, "tree": {"dict": [[1.5, 2]]}}',
        b'{"format": "scratchdl", "version": 1, "tree": {"set": [1]}}',
        b'{"format": "scratchdl", "version": 1, "tree": []}',
        b'{"format": "scratchdl", "version": 99, "tree": []}',
    ],
    ids=[
        "not_json",
        "missing_array",
        "array_twice",
        "float_key",
        "unknown_tag",
        "unused_array",
        "newer_version",
    ],
)
def test_a_damaged_structure_is_refused(structure):
    """Even with valid CRC-32s (a file rewritten by hand), the structure is checked."""
    data = zip_of([("a.npy", [1.0]), ("__scratchdl__.npy", np.frombuffer(structure, np.uint8))])
    with pytest.raises(io.CorruptFileError, match="__scratchdl__"):
        load_bytes(data)
