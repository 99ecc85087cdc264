"""Process settings that make NumPy training fast: glibc's handling of freed memory here,
the thread pools in ``backend.threads``. Each is explained where it is set."""

from __future__ import annotations

import ctypes
import os

# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3


def keep_freed_memory(limit: int = 1 << 30) -> bool:
    """Ask glibc's malloc to serve blocks of up to ``limit`` bytes from its heap, and to keep
    freed heap memory for reuse instead of handing it back to the system.

    Why: by default glibc maps each large block (over 128 KiB, rising to at most 32 MiB)
    fresh from the system and unmaps it when freed. A training step allocates the same large
    arrays every step — im2col's columns are 45 MB for a batch of 100 16-channel 28x28
    images — and the system must then fault in and zero every 4 KiB page of them again:
    on the reference machine a third of a convolution's forward and backward time. The
    price is that the process keeps its peak heap size until it exits.

    ``import scratchdl`` calls this unless ``SCRATCHDL_KEEP_FREED_MEMORY=0``. Returns whether
    the setting took effect (False, changing nothing, where the C library is not glibc).
    """
    if not _is_glibc():
        return False
    libc = ctypes.CDLL("libc.so.6")
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, limit) and libc.mallopt(_M_TRIM_THRESHOLD, limit))


def _is_glibc() -> bool:
    """Whether the C library is GNU libc (asked of the library itself: instant, where
    platform.libc_ver reads the Python executable, 13 ms)."""
    try:
        return os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc")
    except (AttributeError, ValueError, OSError):  # no confstr, or a name it does not know
        return False
