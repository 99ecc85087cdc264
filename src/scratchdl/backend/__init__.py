"""Arrays and devices: NumPy (cpu) or CuPy (cuda), the device names, and process tuning.

``process`` is imported first: it sets OpenBLAS's thread spin before NumPy loads OpenBLAS.
"""

from scratchdl.backend import process  # first: it must run before NumPy loads
from scratchdl.backend.arrays import (
    ARRAY_TYPES,
    get_array_module,
    gpu_available,
    gpu_count,
    to_numpy,
)
from scratchdl.backend.device import CPU, device, device_of, to_device
from scratchdl.backend.process import BLAS_THREAD_TIMEOUT, keep_freed_memory

__all__ = [
    "ARRAY_TYPES",
    "BLAS_THREAD_TIMEOUT",
    "CPU",
    "device",
    "device_of",
    "get_array_module",
    "gpu_available",
    "gpu_count",
    "keep_freed_memory",
    "process",
    "to_device",
    "to_numpy",
]
