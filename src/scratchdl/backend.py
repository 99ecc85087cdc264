"""The array module behind every Tensor: NumPy, or CuPy when data lives on a GPU.

Computation in ``functional/`` asks ``xp = get_array_module(x)`` for the module that owns
its arrays, so the same forward code runs on NumPy (CPU) and CuPy (GPU). CuPy is optional
and never imported unless installed.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy

try:  # pragma: no cover - exercised only where CuPy and a GPU are present
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


def gpu_available() -> bool:
    """True when CuPy is installed and sees at least one CUDA device."""
    if cupy is None:
        return False
    try:  # pragma: no cover
        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:  # pragma: no cover - a CuPy without a driver raises its own errors
        return False


def to_numpy(array: Any) -> numpy.ndarray:
    """Return ``array`` as a NumPy array (copying from the GPU when needed)."""
    if cupy is not None and isinstance(array, cupy.ndarray):  # pragma: no cover
        return cupy.asnumpy(array)
    return numpy.asarray(array)
