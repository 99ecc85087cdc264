"""The ``.npz`` format, written with a SHA-256 of the whole file and read strictly.

An ``.npz`` is a zip archive holding one ``.npy`` file per array (``fc.weight.npy``); each
member carries a CRC-32 of its bytes. scratchdl stores the members uncompressed and ends
the archive with the zip comment ``scratchdl.sha256:<digest>``, the SHA-256 of the file
computed while the digest was 64 zeros, so any change anywhere in a file it wrote is found
(a CRC-32 misses damage to the zip's own directory, such as a member left out).

Reading checks everything before returning anything: the archive, every member's CRC-32,
its ``.npy`` header and size, that its data are numbers, that no two members hold the same
array (``a`` and ``a.npy``), and the digest when the file has one. Files written by
``np.savez`` load too, checked as far as their CRC-32s allow.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import zipfile
from collections.abc import Mapping
from typing import IO

import numpy as np

from scratchdl.io.integrity import DIGEST_LENGTH, ZEROS, CorruptFileError, digest_with_zeros
from scratchdl.io.tree import NUMERIC_KINDS

DIGEST_LABEL = b"scratchdl.sha256:"
COMMENT_LENGTH = len(DIGEST_LABEL) + DIGEST_LENGTH
END_RECORD, END_RECORD_SIZE = b"PK\x05\x06", 22  # the zip's last record, before its comment
MAX_COMMENT = 0xFFFF
CHUNK = 1 << 20


def write_npz(file: IO[bytes], arrays: Mapping[str, np.ndarray]) -> None:
    """Write ``arrays`` to ``file`` (opened for reading and writing, at its start) as an
    uncompressed ``.npz`` ending with its digest."""
    with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED) as archive:
        archive.comment = DIGEST_LABEL + ZEROS
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)
    end = file.tell()
    file.seek(0)
    digest = hashlib.sha256()
    while chunk := file.read(CHUNK):
        digest.update(chunk)
    file.seek(end - DIGEST_LENGTH)
    file.write(digest.hexdigest().encode())


def read_npz(path: str | os.PathLike, data: bytes) -> dict[str, np.ndarray]:
    """Every array of the ``.npz`` whose bytes are ``data``, by name; CorruptFileError
    naming ``path`` (and the member, when the damage is in one) for anything wrong."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as error:  # damaged bytes make zipfile raise many kinds of error
        raise CorruptFileError(path, f"it is not a readable zip archive ({error})") from None
    arrays: dict[str, np.ndarray] = {}
    member_of: dict[str, str] = {}
    for info in members:
        name = info.filename.removesuffix(".npy")
        if name in member_of:
            raise CorruptFileError(
                path, f"it holds the array {name!r} twice (also as {member_of[name]!r})",
                info.filename,
            )  # fmt: skip
        member_of[name] = info.filename
        arrays[name] = _read_member(path, archive, info)
    stored = stored_digest(data)
    if stored is not None and stored != digest_with_zeros(data, len(data) - DIGEST_LENGTH):
        raise CorruptFileError(
            path, "its SHA-256 does not match its bytes (the zip's directory or headers are "
            "damaged; every member passed its CRC-32 check)",
        )  # fmt: skip
    return arrays


def stored_digest(data: bytes) -> str | None:
    """The digest ending ``data`` if scratchdl wrote it, else None.

    Two marks say scratchdl wrote it: the label before the digest, and a zip end record
    announcing a comment of exactly that length. Either suffices, so that damage to one
    (or a cut through the comment) still leaves the file recognised; both lie in the
    bytes the digest covers.
    """
    record = data.rfind(END_RECORD, max(0, len(data) - END_RECORD_SIZE - MAX_COMMENT))
    announced = (
        data[record + END_RECORD_SIZE - 2 : record + END_RECORD_SIZE] if record >= 0 else b""
    )
    labelled = data[-COMMENT_LENGTH:-DIGEST_LENGTH] == DIGEST_LABEL
    if not labelled and int.from_bytes(announced, "little") != COMMENT_LENGTH:
        return None
    return data[-DIGEST_LENGTH:].decode("ascii", errors="replace")


def _read_member(path: str | os.PathLike, archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    """One member's array, after its CRC-32 (checked by ``read``) and ``.npy`` checks."""
    try:
        return parse_npy(archive.read(info))
    except Exception as error:  # zipfile's and parse_npy's errors on damaged bytes
        raise CorruptFileError(path, str(error) or type(error).__name__, info.filename) from None


def parse_npy(raw: bytes) -> np.ndarray:
    """The array in the ``.npy`` bytes ``raw``, in native byte order.

    ValueError unless the header is valid, the dtype numeric, and the data exactly as long
    as the header's shape and dtype say (checked before anything is allocated).
    """
    buffer = io.BytesIO(raw)
    version = np.lib.format.read_magic(buffer)
    if version == (1, 0):
        shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(buffer)
    elif version == (2, 0):
        shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(buffer)
    else:
        raise ValueError(f"unsupported .npy format version {version}")
    if dtype.kind not in NUMERIC_KINDS:
        raise ValueError(f"it holds {dtype} data; only bool, integer and float arrays load")
    count = math.prod(shape)
    expected, found = count * dtype.itemsize, len(raw) - buffer.tell()
    if found != expected:
        raise ValueError(
            f"its header promises {expected} bytes of data for shape {shape} {dtype}, "
            f"but {found} bytes follow"
        )
    flat = np.frombuffer(raw, dtype=dtype, count=count, offset=buffer.tell())
    array = flat.reshape(shape, order="F" if fortran_order else "C")
    return array.astype(dtype.newbyteorder("="), order="C", copy=True)
