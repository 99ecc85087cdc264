"""Compiled loops for the memory-bound array work of training: 2x2 max-pooling, im2col and
col2im, ReLU and the backward of ReLU, sigmoid and tanh, the SGD and Adam updates. numba
compiles them (``pip install 'scratchdl[fast]'``).

Each kernel is one plain loop that replaces a NumPy computation of the Function that
calls it; that NumPy version stays where it was, as the reference (and as the path of
CuPy arrays, other dtypes and layouts, and of an install without numba), and a test
holds the two equal. A kernel runs only when ``usable(*arrays)`` says so:

- numba is installed and ``enabled`` is True (as ``torch.backends.mkldnn.enabled``: set
  it to False, or use ``disabled()``, to run the NumPy versions);
- every array is a NumPy ndarray of float32 or float64, all of one dtype (and of the
  layout the kernel walks: most ask for C-contiguous arrays).

Every kernel writes each output element from one thread, adding in the order the NumPy
version adds, so its results are the same for any number of threads (``kernels.jit``).
numba is imported when the first kernel module is (``module(name)``), and each kernel
compiled at its first call, about a second each; the machine code is cached on disk (in
``__pycache__`` beside the modules, or numba's per-user cache where that is read-only),
so later processes load it in milliseconds.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from importlib.util import find_spec
from types import ModuleType
from typing import Any

import numpy as np

AVAILABLE = find_spec("numba") is not None
"""Whether numba is installed (checked without importing it)."""

enabled = True
"""Set to False to make every dispatch point take its NumPy version."""

_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def usable(*arrays: Any, contiguous: bool = False) -> bool:
    """Whether the compiled kernels may take ``arrays``: numba installed, kernels enabled,
    and every array a NumPy ndarray of float32 or float64, all of one dtype (and each
    C-contiguous, if ``contiguous``: kernels that walk flat indices ask for it)."""
    if not (AVAILABLE and enabled):
        return False
    dtype = arrays[0].dtype
    for array in arrays:
        if type(array) is not np.ndarray or array.dtype != dtype:
            return False
        if contiguous and not array.flags.c_contiguous:
            return False
    return dtype in _DTYPES


def memory_order(array: Any) -> tuple[int, ...] | None:
    """The axes of ``array`` from its largest stride to its smallest when its elements fill
    one block of memory in that order (C-contiguous once transposed so), else None: a
    kernel that walks flat memory can then take any such layout."""
    order = tuple(sorted(range(array.ndim), key=lambda axis: -array.strides[axis]))
    return order if array.transpose(order).flags.c_contiguous else None


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Within the block, every dispatch point takes its NumPy version."""
    global enabled
    was_enabled, enabled = enabled, False
    try:
        yield
    finally:
        enabled = was_enabled


def module(name: str) -> ModuleType:
    """The kernel module ``scratchdl.backend.kernels.<name>`` (imports numba the first
    time; call only after ``usable`` said yes)."""
    return importlib.import_module(f"scratchdl.backend.kernels.{name}")
