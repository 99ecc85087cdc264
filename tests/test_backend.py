"""The process settings of the backend: freed memory kept for reuse (the thread pools are
tested in tests/backend/test_threads.py)."""

import platform
import resource

import numpy as np
import pytest
from numpy._core.multiarray import _set_madvise_hugepage

from scratchdl.backend import keep_freed_memory

glibc_only = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="mallopt is glibc's",
)


def _page_faults_of_filling(nbytes: int) -> int:
    """Minor page faults taken while allocating and writing a fresh array of ``nbytes``."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    np.ones(nbytes // 4, dtype=np.float32)
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


@pytest.fixture
def small_pages():
    """NumPy's transparent huge pages off, so that each 4 KiB page faults once."""
    was_enabled = _set_madvise_hugepage(False)
    yield
    _set_madvise_hugepage(was_enabled)


@glibc_only
def test_a_freed_large_array_is_reused_without_page_faults(small_pages):
    assert keep_freed_memory()
    nbytes = 64 << 20  # 16,384 pages, twice glibc's largest default heap block
    _page_faults_of_filling(nbytes)
    assert _page_faults_of_filling(nbytes) < 100  # 16,385 without keep_freed_memory
