"""Arrays and devices: NumPy (cpu) or CuPy (cuda), the device names, process tuning
(``process``, ``threads``) and the compiled kernels (``kernels``, with scratchdl[fast]).
"""

from scratchdl.backend import process, threads
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
from scratchdl.backend.process import keep_freed_memory
from scratchdl.backend.threads import get_num_threads, set_kernel_threads, set_num_threads

__all__ = [
    "ARRAY_TYPES",
    "CPU",
    "array_module",
    "device",
    "device_of",
    "get_array_module",
    "get_default_device",
    "get_num_threads",
    "gpu_available",
    "gpu_count",
    "gpu_descriptions",
    "keep_freed_memory",
    "process",
    "set_default_device",
    "set_kernel_threads",
    "set_num_threads",
    "threads",
    "to_device",
    "to_numpy",
]
