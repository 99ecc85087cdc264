"""Read IDX files, the format of MNIST and Fashion-MNIST (plain or gzip-compressed).

IDX layout: a big-endian uint32 magic ``0x00 0x00 <dtype> <ndim>``, then one big-endian
uint32 per dimension, then the payload in row-major order. Only dtype 0x08 (uint8) is
used by these datasets, so it is the only one read: 0x00000801 is a label vector,
0x00000803 a stack of images.
"""

from __future__ import annotations

import gzip
import math
import zlib
from pathlib import Path

import numpy as np

from scratchdl.datasets.errors import DatasetError

GZIP_MAGIC = b"\x1f\x8b"
UINT8_CODE = 0x08


def read_idx(path: str | Path, ndim: int | None = None) -> np.ndarray:
    """Read an IDX file (gzip when its name ends in .gz) into a read-only uint8 array.

    ``ndim`` (1 for labels, 3 for images) is checked against the header when given.
    Raises DatasetError naming the file for a bad gzip stream, magic number, dtype,
    dimension count or payload length.
    """
    path = Path(path)
    return parse_idx(_read_bytes(path), str(path), ndim)


def _read_bytes(path: Path) -> bytes:
    """The file's IDX bytes: decompressed when the name ends in .gz."""
    raw = path.read_bytes()
    if path.suffix != ".gz":
        return raw
    if not raw.startswith(GZIP_MAGIC):
        raise DatasetError(f"{path}: not a gzip file (it does not start with 1f 8b)")
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as error:
        raise DatasetError(f"{path}: corrupt or truncated gzip data ({error})") from None


def parse_idx(buffer: bytes, source: str = "<bytes>", ndim: int | None = None) -> np.ndarray:
    """Parse IDX bytes into a read-only uint8 array; ``source`` names them in errors."""
    if len(buffer) < 4:
        raise DatasetError(f"{source}: {len(buffer)} bytes is too short for an IDX header")
    zero, dtype_code, file_ndim = buffer[0:2], buffer[2], buffer[3]
    magic = int.from_bytes(buffer[:4], "big")
    if zero != b"\x00\x00" or dtype_code != UINT8_CODE:
        raise DatasetError(
            f"{source}: bad IDX magic number 0x{magic:08x}, expected 0x0000080N (uint8 data)"
        )
    if ndim is not None and file_ndim != ndim:
        raise DatasetError(
            f"{source}: IDX magic 0x{magic:08x} says {file_ndim} dimensions, expected {ndim} "
            f"(0x{0x800 + ndim:08x})"
        )
    header_size = 4 + 4 * file_ndim
    if len(buffer) < header_size:
        raise DatasetError(f"{source}: truncated IDX header ({len(buffer)} bytes)")
    shape = tuple(int(d) for d in np.frombuffer(buffer, dtype=">u4", count=file_ndim, offset=4))
    payload = len(buffer) - header_size
    if payload != math.prod(shape):
        raise DatasetError(
            f"{source}: payload has {payload} bytes, but dimensions {shape} need {math.prod(shape)}"
        )
    return np.frombuffer(buffer, dtype=np.uint8, offset=header_size).reshape(shape)
