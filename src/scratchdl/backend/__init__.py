"""Arrays and devices: NumPy (cpu) or CuPy (cuda), the device names, and process tuning.

``process`` is imported first: it sets OpenBLAS's thread spin before NumPy loads OpenBLAS.
"""

from scratchdl.backend import process  # first: it must run before NumPy loads
from scratchdl.backend.arrays import (
    ARRAY_TYPES,
    get_array_module,
    gpu_available,
    gpu_count,
    gpu_descriptions,
    to_numpy,
)
from scratchdl.backend.device import (
    CPU,
    array_module,
    device,
    device_of,
    get_default_device,
    set_default_device,
    to_device,
)
from scratchdl.backend.process import BLAS_THREAD_TIMEOUT, keep_freed_memory

__all__ = [
    "ARRAY_TYPES",
    "BLAS_THREAD_TIMEOUT",
    "CPU",
    "array_module",
    "device",
    "device_of",
    "get_array_module",
    "get_default_device",
    "gpu_available",
    "gpu_count",
    "gpu_descriptions",
    "keep_freed_memory",
    "process",
    "set_default_device",
    "to_device",
    "to_numpy",
]
