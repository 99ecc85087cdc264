"""How a file that cannot be trusted is reported, and the SHA-256 that scratchdl's own files
carry so that any damage to them is found."""

from __future__ import annotations

import hashlib
import os

DIGEST_LENGTH = 64
"""Hex characters of a SHA-256 digest."""

ZEROS = b"0" * DIGEST_LENGTH


class CorruptFileError(ValueError):
    """A file that cannot be read: truncated, damaged, or in no format scratchdl reads.

    ``path`` names the file and ``member`` the array or entry inside it where the problem
    was found (None when it lies in the file's own structure).
    """

    def __init__(self, path: str | os.PathLike, problem: str, member: str | None = None):
        place = repr(str(path)) if member is None else f"{str(path)!r}, member {member!r}"
        super().__init__(f"cannot read {place}: {problem}")
        self.path, self.member = str(path), member


def digest_with_zeros(data: bytes | memoryview, start: int) -> str:
    """SHA-256 of ``data`` with the 64 characters at ``start`` read as zeros.

    A file keeps its own digest at ``start``; it was computed while those characters were
    still zeros, so a reader recomputes it the same way.
    """
    view = memoryview(data)
    digest = hashlib.sha256(view[:start])
    digest.update(ZEROS)
    digest.update(view[start + DIGEST_LENGTH :])
    return digest.hexdigest()
