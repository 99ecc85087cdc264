"""The safetensors format (Hugging Face's, read by PyTorch), written and read with NumPy.

    8 bytes    N, the length of the header (an unsigned little-endian integer)
    N bytes    a JSON object: each tensor's name -> {"dtype": "F32", "shape": [2, 3],
               "data_offsets": [begin, end]}, and "__metadata__": {str: str}; padded with
               spaces so that the data start at a multiple of 8
    the rest   the tensors' bytes, C-ordered and little-endian, back to back

scratchdl adds two entries to the metadata: ``"scratchdl.sha256"``, the SHA-256 of the
whole file computed while those 64 characters were zeros, so that any change anywhere in
a file it wrote is found, and ``"scratchdl.crc32"``, each tensor's CRC-32, to name the
tensor that changed. Either entry marks the file as scratchdl's, so damage to one still
leaves it recognised (and both lie in the bytes the digest covers).

Reading checks the header (valid JSON, no repeated name, known dtypes, offsets that tile
the data exactly, each tensor's size equal to its shape times its dtype) before it builds
any array. Other writers' files (``safetensors.torch.save_file``) load too; their BF16
tensors become float32 (NumPy has no bfloat16; the conversion is exact).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import zlib
from collections.abc import Mapping
from typing import IO, Any

import numpy as np

from scratchdl.io.integrity import DIGEST_LENGTH, ZEROS, CorruptFileError, digest_with_zeros
from scratchdl.io.tree import parse_json

DTYPES = {
    "BOOL": np.bool_, "U8": np.uint8, "I8": np.int8, "U16": np.uint16, "I16": np.int16,
    "F16": np.float16, "U32": np.uint32, "I32": np.int32, "F32": np.float32,
    "U64": np.uint64, "I64": np.int64, "F64": np.float64,
}  # fmt: skip
CODES = {np.dtype(dtype): code for code, dtype in DTYPES.items()}
METADATA = "__metadata__"
DIGEST_KEY, CRC_KEY = "scratchdl.sha256", "scratchdl.crc32"
DIGEST_FIELD = f'"{DIGEST_KEY}":"'.encode()
MAX_HEADER = 100 * 1024 * 1024  # the limit of the reference implementation


def write_safetensors(
    file: IO[bytes], arrays: Mapping[str, np.ndarray], metadata: Mapping[str, str]
) -> None:
    """Write ``arrays`` with ``metadata`` (and the checksums) to ``file`` as safetensors."""
    if METADATA in arrays:
        raise ValueError(f"save: the name {METADATA!r} is reserved in safetensors files")
    little = {name: _little_endian(array) for name, array in arrays.items()}
    crc32 = json.dumps({name: zlib.crc32(_bytes(array)) for name, array in little.items()})
    marks = {CRC_KEY: crc32, DIGEST_KEY: ZEROS.decode()}
    header: dict[str, Any] = {METADATA: {**metadata, **marks}}
    offset = 0
    for name, array in little.items():
        code = CODES[array.dtype.newbyteorder("=")]
        header[name] = {
            "dtype": code,
            "shape": list(array.shape),
            "data_offsets": [offset, offset + array.nbytes],
        }
        offset += array.nbytes
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    prefix = len(text).to_bytes(8, "little") + text
    digest = hashlib.sha256(prefix)
    for array in little.values():
        digest.update(_bytes(array))
    start = prefix.index(DIGEST_FIELD) + len(DIGEST_FIELD)
    file.write(prefix[:start] + digest.hexdigest().encode() + prefix[start + DIGEST_LENGTH :])
    for array in little.values():
        file.write(_bytes(array))


def _little_endian(array: np.ndarray) -> np.ndarray:
    """``array`` C-contiguous and little-endian, keeping its shape (0-d stays 0-d)."""
    if array.dtype.newbyteorder("=") not in CODES:
        raise TypeError(f"save: safetensors cannot hold {array.dtype} data")
    return np.require(array, dtype=array.dtype.newbyteorder("<"), requirements="C")


def _bytes(array: np.ndarray) -> np.ndarray:
    """The bytes of a C-contiguous array, as a flat uint8 view (no copy)."""
    return array.reshape(-1).view(np.uint8)


def is_safetensors(data: bytes) -> bool:
    """Whether ``data`` starts like a safetensors file: a length, then a JSON object."""
    return len(data) >= 9 and data[8:9] == b"{"


def read_safetensors(
    path: str | os.PathLike, data: bytes
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """The tensors (by name) and the metadata of the safetensors file whose bytes are
    ``data``; CorruptFileError naming ``path`` (and the tensor) for anything wrong."""
    header = _header(path, data)
    metadata = header.pop(METADATA, {})
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise CorruptFileError(path, "its __metadata__ is not a map of strings", METADATA)
    start = 8 + int.from_bytes(data[:8], "little")
    body = memoryview(data)[start:]
    end = 0
    arrays = {}
    for name, entry in sorted(header.items(), key=lambda item: _begin(item[1])):
        try:
            arrays[name] = _tensor(entry, body, end)
        except ValueError as error:
            raise CorruptFileError(path, str(error), name) from None
        end = entry["data_offsets"][1]
    if end != len(body):
        raise CorruptFileError(path, f"{len(body) - end} bytes follow the last tensor's data")
    _check_digest(path, data, metadata, arrays)
    return {name: arrays[name] for name in header}, metadata


def _header(path: str | os.PathLike, data: bytes) -> dict[str, Any]:
    size = int.from_bytes(data[:8], "little")
    if len(data) < 8 or size > min(MAX_HEADER, len(data) - 8):
        raise CorruptFileError(
            path, f"its header length ({size}) exceeds the file ({len(data)} bytes)"
        )
    try:
        return parse_json(data[8 : 8 + size])  # an object: is_safetensors saw its "{"
    except ValueError as error:
        raise CorruptFileError(path, f"its header is not valid JSON ({error})") from None


def _begin(entry: Any) -> int:
    """Where a tensor's data begin (-1 for a malformed entry, so it is checked first)."""
    try:
        begin = entry["data_offsets"][0]
    except (TypeError, KeyError, IndexError):
        return -1
    return begin if isinstance(begin, int) else -1


def _tensor(entry: Any, body: memoryview, begin: int) -> np.ndarray:
    """The tensor an entry describes, whose data must start at ``begin`` in ``body``."""
    if not isinstance(entry, dict) or set(entry) != {"dtype", "shape", "data_offsets"}:
        raise ValueError("its entry must hold exactly dtype, shape and data_offsets")
    code, shape, offsets = entry["dtype"], entry["shape"], entry["data_offsets"]
    if code not in DTYPES and code != "BF16":
        raise ValueError(f"its dtype {code!r} is not one NumPy can hold")
    if not _ints(shape) or not _ints(offsets) or len(offsets) != 2:
        raise ValueError(
            f"its shape {shape!r} or data_offsets {offsets!r} are not lists of integers >= 0"
        )
    dtype = np.dtype(np.uint16 if code == "BF16" else DTYPES[code]).newbyteorder("<")
    size = math.prod(shape) * dtype.itemsize
    if offsets[0] != begin or offsets[1] - offsets[0] != size or offsets[1] > len(body):
        raise ValueError(
            f"its data_offsets {offsets} do not hold its {size} bytes right after the "
            f"previous tensor's (at {begin}, in {len(body)} bytes of data)"
        )
    flat = np.frombuffer(body, dtype=dtype, count=math.prod(shape), offset=begin)
    array = flat.reshape(shape).astype(dtype.newbyteorder("="))
    return _bfloat16_to_float32(array) if code == "BF16" else array


def _ints(values: Any) -> bool:
    return isinstance(values, list) and all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values
    )


def _bfloat16_to_float32(bits: np.ndarray) -> np.ndarray:
    """bfloat16 is the top half of a float32: shift its 16 bits up (exact)."""
    return (bits.astype(np.uint32) << 16).view(np.float32)


def _check_digest(
    path: str | os.PathLike, data: bytes, metadata: Mapping[str, str], arrays: Mapping[str, Any]
) -> None:
    """If scratchdl wrote the file, compare its digest with its bytes; when they differ,
    name the tensor whose CRC-32 changed, if one did."""
    if DIGEST_KEY not in metadata and CRC_KEY not in metadata:
        return
    position = data.find(DIGEST_FIELD, 8, 8 + int.from_bytes(data[:8], "little"))
    start = position + len(DIGEST_FIELD)
    stored = data[start : start + DIGEST_LENGTH].decode("ascii", errors="replace")
    if position >= 0 and metadata.get(DIGEST_KEY) == stored == digest_with_zeros(data, start):
        return
    raise CorruptFileError(
        path, "its SHA-256 does not match its bytes (the file is damaged)",
        _changed_tensor(metadata, arrays),
    )  # fmt: skip


def _changed_tensor(metadata: Mapping[str, str], arrays: Mapping[str, Any]) -> str | None:
    """The first tensor whose bytes no longer match the CRC-32 saved for it, if any."""
    try:
        saved = parse_json(metadata[CRC_KEY])
        changed = (
            name
            for name in arrays
            if zlib.crc32(_bytes(_little_endian(arrays[name]))) != saved[name]
        )
        return next(changed, None)
    except (ValueError, KeyError, TypeError):
        return None
