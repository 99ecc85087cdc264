"""The array module behind every Tensor: NumPy on the CPU, CuPy on an NVIDIA GPU.

Computation in ``functional/`` asks ``xp = get_array_module(x)`` for the module that owns
its arrays, so the same code runs on NumPy and CuPy. CuPy is optional and imported only
where it is installed.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy

try:  # pragma: no cover - exercised only where CuPy is installed
    import cupy
except ImportError:
    cupy = None


ARRAY_TYPES: tuple[type, ...] = (numpy.ndarray,) if cupy is None else (numpy.ndarray, cupy.ndarray)
"""The array classes a Tensor may hold; ``isinstance(x, ARRAY_TYPES)`` is the cheap test."""


def get_array_module(*arrays: Any) -> ModuleType:
    """Return ``cupy`` if any of ``arrays`` is a CuPy array, else ``numpy``."""
    if cupy is None:
        return numpy
    return cupy.get_array_module(*arrays)  # pragma: no cover


def gpu_count() -> int:
    """How many CUDA devices CuPy sees (0 without CuPy or without a driver)."""
    if cupy is None:
        return 0
    try:  # pragma: no cover
        return int(cupy.cuda.runtime.getDeviceCount())
    except Exception:  # pragma: no cover - a CuPy without a driver raises its own errors
        return 0


def gpu_available() -> bool:
    """True when CuPy is installed and sees at least one CUDA device."""
    return gpu_count() > 0


def to_numpy(array: Any) -> numpy.ndarray:
    """Return ``array`` as a NumPy array (copying from the GPU when needed)."""
    if cupy is not None and isinstance(array, cupy.ndarray):  # pragma: no cover
        return cupy.asnumpy(array)
    return numpy.asarray(array)
