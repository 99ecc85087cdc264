"""The array module behind every Tensor: NumPy on the CPU, CuPy on an NVIDIA GPU, and
``strict`` (NumPy that refuses host arrays, see ``strict.py``) as a GPU's stand-in.

Computation in ``functional/`` asks ``xp = get_array_module(x)`` for the module that owns
its arrays, so the same code runs on all three. CuPy is optional and imported only where
it is installed.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy

from scratchdl.backend.strict import StrictArray, strict

try:  # pragma: no cover - exercised only where CuPy is installed
    import cupy
except ImportError:
    cupy = None


ARRAY_TYPES: tuple[type, ...] = (numpy.ndarray,) if cupy is None else (numpy.ndarray, cupy.ndarray)
"""The array classes a Tensor may hold; ``isinstance(x, ARRAY_TYPES)`` is the cheap test."""

_device_arrays_seen = cupy is not None
"""False until a strict array is made (or CuPy is there): until then every array is NumPy's,
and ``get_array_module`` answers without looking."""


def get_array_module(*arrays: Any) -> ModuleType:
    """The module owning ``arrays``: ``cupy`` if any is a CuPy array, ``strict`` if any is
    a strict array, else ``numpy``."""
    if not _device_arrays_seen:
        return numpy
    for array in arrays:
        if isinstance(array, StrictArray):
            return strict
        if cupy is not None and isinstance(array, cupy.ndarray):  # pragma: no cover
            return cupy
    return numpy


def strict_module() -> ModuleType:
    """The strict device's array module; from now on ``get_array_module`` looks for it."""
    global _device_arrays_seen
    _device_arrays_seen = True
    return strict


def gpu_count() -> int:
    """How many CUDA devices CuPy sees (0 without CuPy or without a driver)."""
    if cupy is None:
        return 0
    try:  # pragma: no cover
        return int(cupy.cuda.runtime.getDeviceCount())
    except Exception:  # pragma: no cover - a CuPy without a driver raises its own errors
        return 0


def gpu_descriptions() -> list[str]:
    """One line per CUDA device CuPy sees: 'cuda:0 NVIDIA H200, 139.8 GiB'."""
    lines = []
    for index in range(gpu_count()):  # pragma: no cover - needs a GPU
        properties = cupy.cuda.runtime.getDeviceProperties(index)
        name = properties["name"]
        name = name.decode() if isinstance(name, bytes) else str(name)
        lines.append(f"cuda:{index} {name}, {properties['totalGlobalMem'] / 2**30:.1f} GiB")
    return lines


def gpu_available() -> bool:
    """True when CuPy is installed and sees at least one CUDA device."""
    return gpu_count() > 0


def to_numpy(array: Any) -> numpy.ndarray:
    """Return ``array`` as a NumPy array (copying from a device when needed)."""
    if isinstance(array, StrictArray):
        return numpy.array(array.view(numpy.ndarray))
    if cupy is not None and isinstance(array, cupy.ndarray):  # pragma: no cover
        return cupy.asnumpy(array)
    return numpy.asarray(array)
