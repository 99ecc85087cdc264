"""Saving and loading weights and training checkpoints, never with pickle.

Weights are a state dict (name -> array), saved by the file's suffix:

- ``.npz``: NumPy's zip of ``.npy`` arrays; every member carries a CRC-32, checked on load.
- ``.safetensors``: the optional ``safetensors`` package; a SHA-256 of the tensors is kept in
  the file's metadata and checked on load.

A checkpoint (model, optimizer, scheduler and loader state, the library's RNG state, the
epoch) is one ``.npz``: each array is stored under its path in the nested state, such as
``optimizer/state/0/exp_avg``, and the rest of the structure (numbers, strings, lists) as JSON
in a uint8 entry, so a resumed run continues exactly where the saved one stopped.

Every save is atomic: the bytes go to a temporary file beside ``path``, which is flushed,
fsynced and then renamed over ``path``; a save that fails leaves ``path`` as it was.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import tempfile
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np

from scratchdl.autograd import Tensor
from scratchdl.random import get_rng_state, set_rng_state

_UMASK = os.umask(0)  # read the process umask once (setting it is the only way to read it)
os.umask(_UMASK)

PathLike = str | os.PathLike
WEIGHT_FORMATS = (".npz", ".safetensors")
CHECKPOINT_ENTRY = "__checkpoint__"
CHECKPOINT_FORMAT = "scratchdl-checkpoint"
CHECKPOINT_VERSION = 1
_SHA256_KEY = "scratchdl.sha256"


class CorruptFileError(ValueError):
    """A file is truncated, corrupt, or not in the format its name promises."""


# ---------------------------------------------------------------------------- weights


def save(module_or_state_dict: Any, path: PathLike) -> None:
    """Save weights (a module's ``state_dict()``, or a mapping name -> array) to ``path``.

    The format follows the suffix: ``.npz`` or ``.safetensors``. Raises ValueError for any
    other suffix and TypeError for values that are not numeric arrays, before writing.
    """
    path = Path(path)
    suffix = _weight_format(path, "save")
    arrays = _numeric_arrays(_state_dict_of(module_or_state_dict), "save")
    if suffix == ".npz":
        atomic_write(path, lambda file: _write_npz(file, arrays))
    else:
        data = _safetensors_bytes(arrays)
        atomic_write(path, lambda file: file.write(data))


def load(path: PathLike) -> OrderedDict[str, np.ndarray]:
    """Load the state dict saved at ``path`` (``.npz`` or ``.safetensors``).

    Raises FileNotFoundError if it does not exist and CorruptFileError, naming the file, if
    it is truncated or corrupt.
    """
    path = Path(path)
    suffix = _weight_format(path, "load")
    _require_file(path, "load")
    if suffix == ".npz":
        return _read_npz(path)
    return _read_safetensors(path)


def _weight_format(path: Path, op: str) -> str:
    suffix = path.suffix.lower()
    if suffix not in WEIGHT_FORMATS:
        raise ValueError(
            f"{op}: cannot tell the format of {str(path)!r} from its suffix {suffix!r}; "
            f"expected one of {', '.join(WEIGHT_FORMATS)}"
        )
    return suffix


def _state_dict_of(module_or_state_dict: Any) -> Mapping:
    if isinstance(module_or_state_dict, Mapping):
        return module_or_state_dict
    if callable(getattr(module_or_state_dict, "state_dict", None)):
        return module_or_state_dict.state_dict()
    raise TypeError(
        f"save: expected a module (with state_dict()) or a mapping name -> array, "
        f"got {type(module_or_state_dict).__name__}"
    )


def _numeric_arrays(state: Mapping, op: str) -> OrderedDict[str, np.ndarray]:
    """The state's values as NumPy arrays (Tensors converted); names must be strings."""
    arrays = OrderedDict()
    for name, value in state.items():
        array = np.asarray(value)
        if not isinstance(name, str) or array.dtype.kind not in "biuf":
            raise TypeError(
                f"{op}: entry {name!r} must map a string name to a numeric array, got "
                f"{type(name).__name__} -> {type(value).__name__} (dtype {array.dtype})"
            )
        arrays[name] = array
    return arrays


def _require_file(path: Path, op: str) -> None:
    if not path.is_file():
        raise FileNotFoundError(f"{op}: no such file {str(path)!r}")


# -------------------------------------------------------------------- atomic writing


def atomic_write(path: Path, write: Callable[[IO[bytes]], Any]) -> None:
    """Run ``write`` on a temporary file beside ``path``, fsync it, then rename it to ``path``.

    The rename is atomic, so ``path`` holds either its old content or the complete new one;
    if ``write`` fails, the temporary file is removed and the error propagates. The file gets
    the usual permissions (0o666 less the umask), not mkstemp's private 0o600.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# ------------------------------------------------------------------------------- npz


def _write_npz(file: IO[bytes], arrays: Mapping[str, np.ndarray]) -> None:
    """Write ``arrays`` as an uncompressed ``.npz`` (what ``np.savez`` writes, minus pickle)."""
    with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED) as archive:
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)


def _read_npz(path: Path) -> OrderedDict[str, np.ndarray]:
    """Every array in the ``.npz`` at ``path``; reading each member checks its CRC-32."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            return OrderedDict((name, archive[name]) for name in archive.files)
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile) as error:
        raise CorruptFileError(
            f"load: {str(path)!r} is truncated or corrupt, or not a .npz file ({error})"
        ) from error


# ----------------------------------------------------------------------- safetensors


def _import_safetensors(op: str) -> Any:
    try:
        import safetensors.numpy
    except ImportError as error:
        raise ImportError(
            f"{op}: .safetensors files need the optional 'safetensors' package; "
            "install it with `pip install scratchdl[io]`, or use a .npz path"
        ) from error
    return safetensors


def _tensors_digest(arrays: Mapping[str, np.ndarray]) -> str:
    """SHA-256 over every name and its array's bytes, in sorted name order."""
    digest = hashlib.sha256()
    for name in sorted(arrays):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(arrays[name]).tobytes())
    return digest.hexdigest()


def _safetensors_bytes(arrays: Mapping[str, np.ndarray]) -> bytes:
    safetensors = _import_safetensors("save")
    contiguous = {name: np.ascontiguousarray(array) for name, array in arrays.items()}
    return safetensors.numpy.save(contiguous, metadata={_SHA256_KEY: _tensors_digest(contiguous)})


def _read_safetensors(path: Path) -> OrderedDict[str, np.ndarray]:
    """The tensors in ``path``, after checking the header and, when present, the SHA-256."""
    safetensors = _import_safetensors("load")
    data = path.read_bytes()
    try:
        arrays = safetensors.numpy.load(data)
        metadata = _safetensors_metadata(data)
    except (safetensors.SafetensorError, ValueError) as error:
        raise CorruptFileError(
            f"load: {str(path)!r} is truncated or corrupt, or not a .safetensors file ({error})"
        ) from error
    expected = metadata.get(_SHA256_KEY)
    if expected is not None and expected != _tensors_digest(arrays):
        raise CorruptFileError(f"load: {str(path)!r} is corrupt: its tensors fail their SHA-256")
    return OrderedDict(arrays)


def _safetensors_metadata(data: bytes) -> dict[str, str]:
    """The ``__metadata__`` of a safetensors file: an 8-byte length, then a JSON header."""
    header_size = int.from_bytes(data[:8], "little")
    return json.loads(data[8 : 8 + header_size]).get("__metadata__") or {}


# ------------------------------------------------------------------------ checkpoints


def save_checkpoint(
    path: PathLike,
    model: Any,
    optimizer: Any = None,
    scheduler: Any = None,
    epoch: int = 0,
    extra: Any = None,
    loader: Any = None,
) -> None:
    """Save everything needed to resume training exactly, as one ``.npz`` at ``path``.

    Stores the state dicts of ``model``, ``optimizer``, ``scheduler`` and ``loader`` (each
    optional but the model), the library RNG state, ``epoch`` (the number of epochs done)
    and ``extra`` (arrays, numbers, strings, lists and dicts of them).
    """
    path = Path(path)
    if path.suffix.lower() != ".npz":
        raise ValueError(f"save_checkpoint: checkpoints are .npz files, got {str(path)!r}")
    checkpoint = {
        "model": model.state_dict(),
        "optimizer": None if optimizer is None else optimizer.state_dict(),
        "scheduler": None if scheduler is None else scheduler.state_dict(),
        "loader": None if loader is None else loader.state_dict(),
        "rng": get_rng_state(),
        "epoch": int(epoch),
        "extra": extra,
    }
    arrays: dict[str, np.ndarray] = {}
    structure = _flatten(checkpoint, "", arrays)
    header = {"format": CHECKPOINT_FORMAT, "version": CHECKPOINT_VERSION, "state": structure}
    arrays[CHECKPOINT_ENTRY] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    atomic_write(path, lambda file: _write_npz(file, arrays))


def load_checkpoint(
    path: PathLike,
    model: Any,
    optimizer: Any = None,
    scheduler: Any = None,
    loader: Any = None,
) -> dict[str, Any]:
    """Restore a checkpoint written by ``save_checkpoint``; return ``{"epoch", "extra"}``.

    The whole file is read and verified, and every requested part checked to be present,
    before anything changes. Then the model (``strict=True``: names and shapes must match),
    optimizer, scheduler and loader load their states; if one refuses, those already loaded
    are put back as they were, so a failed load changes nothing. Last, the RNG state.
    """
    path = Path(path)
    _require_file(path, "load_checkpoint")
    checkpoint = _read_checkpoint(path)
    parts = {"model": model, "optimizer": optimizer, "scheduler": scheduler, "loader": loader}
    parts = {part: target for part, target in parts.items() if target is not None}
    for part in parts:
        if checkpoint[part] is None:
            raise ValueError(
                f"load_checkpoint: {str(path)!r} holds no {part} state, but a {part} was given"
            )
    _load_all_or_nothing(parts, checkpoint)
    set_rng_state(checkpoint["rng"])
    return {"epoch": checkpoint["epoch"], "extra": checkpoint["extra"]}


def _load_all_or_nothing(parts: dict[str, Any], checkpoint: Mapping[str, Any]) -> None:
    """``load_state_dict`` on every part; if one raises, restore the parts loaded before it."""
    loaded: dict[str, Any] = {}
    try:
        for part, target in parts.items():
            previous = copy.deepcopy(target.state_dict())  # a module's shares its memory
            target.load_state_dict(checkpoint[part])
            loaded[part] = previous
    except Exception:
        for part, previous in loaded.items():
            parts[part].load_state_dict(previous)
        raise


def _read_checkpoint(path: Path) -> dict[str, Any]:
    arrays = _read_npz(path)
    if CHECKPOINT_ENTRY not in arrays:
        raise CorruptFileError(f"load_checkpoint: {str(path)!r} is not a scratchdl checkpoint")
    header = json.loads(arrays.pop(CHECKPOINT_ENTRY).tobytes().decode())
    if header.get("format") != CHECKPOINT_FORMAT or header.get("version") != CHECKPOINT_VERSION:
        raise CorruptFileError(
            f"load_checkpoint: {str(path)!r} has format {header.get('format')!r} version "
            f"{header.get('version')!r}; expected {CHECKPOINT_FORMAT!r} version "
            f"{CHECKPOINT_VERSION}"
        )
    try:
        return _unflatten(header["state"], arrays)
    except (KeyError, TypeError, ValueError) as error:
        raise CorruptFileError(
            f"load_checkpoint: {str(path)!r} has a damaged structure ({error!r})"
        ) from error


def _flatten(value: Any, path: str, arrays: dict[str, np.ndarray]) -> Any:
    """Move the arrays in a nested state into ``arrays`` (keyed by their path) and return
    the JSON-able structure that rebuilds it. Tags keep what JSON would lose: dict keys
    that are ints, tuples, and NumPy scalars."""
    if isinstance(value, Tensor):
        value = value.numpy()
    if isinstance(value, (np.ndarray, np.generic)):
        if path in arrays:
            raise ValueError(f"save_checkpoint: two entries share the path {path!r}")
        arrays[path] = np.asarray(value)
        return {"__array__" if isinstance(value, np.ndarray) else "__scalar__": path}
    if isinstance(value, Mapping):
        return {
            "__dict__": [
                [_checked_key(key, path), _flatten(item, _join(path, key), arrays)]
                for key, item in value.items()
            ]
        }
    if isinstance(value, (list, tuple)):
        items = [_flatten(item, _join(path, index), arrays) for index, item in enumerate(value)]
        return {"__tuple__": items} if isinstance(value, tuple) else items
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(
        f"save_checkpoint: cannot store a {type(value).__name__} at {path!r}; expected arrays, "
        "numbers, strings, None, and lists, tuples or dicts of them"
    )


def _checked_key(key: Any, path: str) -> str | int:
    if isinstance(key, bool) or not isinstance(key, (str, int)):
        raise TypeError(f"save_checkpoint: dict key {key!r} at {path!r} must be a str or an int")
    return key


def _join(path: str, key: str | int) -> str:
    return f"{path}/{key}" if path else str(key)


def _unflatten(node: Any, arrays: Mapping[str, np.ndarray]) -> Any:
    """Rebuild the nested state that ``_flatten`` turned into ``node`` and ``arrays``."""
    if isinstance(node, list):
        return [_unflatten(item, arrays) for item in node]
    if not isinstance(node, dict):
        return node
    ((tag, content),) = node.items()
    if tag == "__array__":
        return arrays[content]
    if tag == "__scalar__":
        return arrays[content][()]
    if tag == "__tuple__":
        return tuple(_unflatten(item, arrays) for item in content)
    if tag == "__dict__":
        return {key: _unflatten(item, arrays) for key, item in content}
    raise ValueError(f"unknown tag {tag!r}")
