"""``scratchdl.cuda``: what torch.cuda answers about NVIDIA GPUs (through CuPy)."""

from __future__ import annotations

from scratchdl.backend.arrays import cupy, gpu_count
from scratchdl.backend.device import device as _device
from scratchdl.backend.device import require_cuda


def is_available() -> bool:
    """True when CuPy is installed and sees at least one CUDA device."""
    return gpu_count() > 0


def device_count() -> int:
    """The number of CUDA devices CuPy sees (0 without CuPy or a GPU)."""
    return gpu_count()


def synchronize(device: object = None) -> None:
    """Wait until the GPU has finished the work queued on it, as ``torch.cuda.synchronize``
    (timing GPU work needs this). RuntimeError without CuPy or a GPU."""
    target = _device("cuda" if device is None else device)
    require_cuda(target)
    with cupy.cuda.Device(target.index or 0):  # pragma: no cover - needs a GPU
        cupy.cuda.get_current_stream().synchronize()
