"""``scratchdl.cuda``: what torch.cuda answers about NVIDIA GPUs (through CuPy)."""

from __future__ import annotations

from scratchdl.backend.arrays import gpu_count


def is_available() -> bool:
    """True when CuPy is installed and sees at least one CUDA device."""
    return gpu_count() > 0


def device_count() -> int:
    """The number of CUDA devices CuPy sees (0 without CuPy or a GPU)."""
    return gpu_count()
