"""``save`` and ``load``: PyTorch's ``torch.save`` / ``torch.load`` without pickle.

What they store: a state dict, or any nesting of dicts, lists and tuples of tensors, NumPy
arrays, numbers, strings and None, such as ``{"model": model.state_dict(), "optimizer":
optimizer.state_dict(), "epoch": 3}``. A module passed to ``save`` is saved as its state
dict (scratchdl never pickles a module).

Where: a path ending in ``.safetensors`` gets the safetensors format, any other path (``.pt``,
``.pth``, ``.npz``, ...) or an open binary file an ``.npz``; ``load`` tells the two apart by
their first bytes, not by the name. A state dict (names -> tensors or arrays) is stored as
plain arrays under their names, so PyTorch reads a ``.safetensors`` file with
``safetensors.torch.load_file`` and NumPy an ``.npz`` with ``np.load``; any other object
adds its structure as JSON (``scratchdl.io.tree``).

Every array comes back as a Tensor (as ``torch.load`` returns tensors); numbers, strings,
None and NumPy scalars as they were, dicts, lists and tuples as dicts, lists and tuples.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np

from scratchdl.autograd import Tensor, wrap
from scratchdl.io.atomic import atomic_write
from scratchdl.io.integrity import CorruptFileError
from scratchdl.io.npz import read_npz, write_npz
from scratchdl.io.safetensors import is_safetensors, read_safetensors, write_safetensors
from scratchdl.io.tree import decode_structure, encode_structure, flatten, numeric_array, unflatten

FileLike = str | os.PathLike | IO[bytes]
PATH_TYPES = (str, os.PathLike)
STRUCTURE = "__scratchdl__"
"""The name of the entry holding the JSON structure (an npz member, a safetensors
metadata key); no array may take it."""

PICKLE_ADVICE = (
    "scratchdl never unpickles (a pickle can run any code); in PyTorch, save the state "
    "dict with safetensors.torch.save_file(model.state_dict(), 'model.safetensors') and "
    "load that file"
)


def save(obj: Any, f: FileLike) -> None:
    """Save ``obj`` to ``f``, a path (written atomically) or a binary file open for writing.

    Raises TypeError, before writing anything, for a value that cannot be stored (an
    object, a string or complex array, a dict key that is not a str or an int).
    """
    if not isinstance(obj, Mapping) and callable(getattr(obj, "state_dict", None)):
        obj = obj.state_dict()
    arrays, structure = _layout(obj)
    write: Callable[[IO[bytes]], None]
    if isinstance(f, PATH_TYPES) and Path(f).suffix.lower() == ".safetensors":
        metadata = {} if structure is None else {STRUCTURE: structure.decode()}
        write = lambda file: write_safetensors(file, arrays, metadata)  # noqa: E731
    else:
        if structure is not None:
            arrays[STRUCTURE] = np.frombuffer(structure, dtype=np.uint8)
        write = lambda file: write_npz(file, arrays)  # noqa: E731
    if isinstance(f, PATH_TYPES):
        atomic_write(f, write)
        return
    buffer = io.BytesIO()
    write(buffer)
    f.write(buffer.getvalue())


def load(f: FileLike, map_location: Any = None, weights_only: bool = True) -> Any:
    """The object saved in ``f`` (a path or a binary file open for reading), its arrays as
    Tensors.

    ``map_location`` moves the tensors to a device (``"cpu"``, a ``device``, or a dict
    such as ``{"cuda:0": "cpu"}``; the files hold CPU tensors). ``weights_only`` is
    accepted for PyTorch's sake and changes nothing: scratchdl's formats hold only data.

    Raises FileNotFoundError or IsADirectoryError for a path that is no file, and
    CorruptFileError, naming the file and the member, for anything damaged or in another
    format (such as a PyTorch pickle); never returns part of a file.
    """
    return _placed(read_object(f, wrap=wrap), map_location)


def read_object(f: FileLike, wrap: Callable[[np.ndarray], Any]) -> Any:
    """What ``load`` returns, but with each array passed through ``wrap``."""
    name, data = _read_bytes(f)
    arrays, structure, member = _parse(name, data)
    if structure is None:
        return {key: wrap(array) for key, array in arrays.items()}
    try:
        return unflatten(decode_structure(structure), arrays, wrap)
    except ValueError as error:
        raise CorruptFileError(name, str(error), member) from None


def _layout(obj: Any) -> tuple[dict[str, np.ndarray], bytes | None]:
    """The arrays to store and, unless ``obj`` is a state dict, its JSON structure."""
    if _is_state_dict(obj):
        arrays = {name: numeric_array(value, f"the entry {name!r}") for name, value in obj.items()}
        structure = None
    else:
        arrays = {}
        structure = encode_structure(flatten(obj, arrays))
    if STRUCTURE in arrays:
        raise ValueError(f"save: the name {STRUCTURE!r} is reserved for the file's structure")
    return arrays, structure


def _is_state_dict(obj: Any) -> bool:
    """A mapping of string names to tensors or arrays, as ``Module.state_dict()`` returns."""
    return isinstance(obj, Mapping) and all(
        isinstance(name, str) and isinstance(value, (Tensor, np.ndarray))
        for name, value in obj.items()
    )


def _read_bytes(f: FileLike) -> tuple[str, bytes]:
    """The name to report and the bytes of ``f``."""
    if not isinstance(f, PATH_TYPES):
        return str(getattr(f, "name", "<file object>")), f.read()
    path = Path(f)
    if path.is_dir():
        raise IsADirectoryError(f"load: {str(path)!r} is a folder, not a file")
    if not path.exists():
        raise FileNotFoundError(f"load: no such file {str(path)!r}")
    return str(path), path.read_bytes()


def _parse(name: str, data: bytes) -> tuple[dict[str, np.ndarray], bytes | None, str]:
    """The arrays in ``data``, the structure (None for a plain state dict), and the name of
    the entry that held the structure (for errors)."""
    if not data:
        raise CorruptFileError(name, "the file is empty")
    if is_safetensors(data):
        arrays, metadata = read_safetensors(name, data)
        structure = metadata.get(STRUCTURE)
        return arrays, None if structure is None else structure.encode(), "__metadata__"
    if data[:1] == b"\x80" or _is_pytorch_archive(data):
        raise CorruptFileError(name, f"it is a PyTorch pickle file (torch.save); {PICKLE_ADVICE}")
    if data[:2] == b"PK":
        arrays = read_npz(name, data)
        entry = arrays.pop(STRUCTURE, None)
        return arrays, None if entry is None else entry.tobytes(), f"{STRUCTURE}.npy"
    raise CorruptFileError(
        name, f"it is neither an .npz nor a safetensors file (it starts with {data[:8]!r})"
    )


def _is_pytorch_archive(data: bytes) -> bool:
    """Whether ``data`` is the zip that ``torch.save`` writes (its pickle is data.pkl)."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except Exception:  # not a readable zip: read_npz will say why
        return False
    return any(name.endswith("data.pkl") for name in names)


def _placed(value: Any, map_location: Any) -> Any:
    """``value`` with its tensors on ``map_location``'s device (unchanged for the CPU)."""
    if isinstance(map_location, Mapping):
        map_location = map_location.get("cpu", "cpu")
    if map_location is None or str(map_location) == "cpu":
        return value
    if callable(map_location):
        raise TypeError("load: map_location must be a device, a device name or a dict of them")
    return _map_tensors(value, lambda tensor: tensor.to(map_location))


def _map_tensors(value: Any, function: Callable[[Tensor], Any]) -> Any:
    if isinstance(value, Tensor):
        return function(value)
    if isinstance(value, dict):
        return {key: _map_tensors(item, function) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_map_tensors(item, function) for item in value)
    return value
