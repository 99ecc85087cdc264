"""``scratchdl.accelerator``: torch.accelerator's questions, for the one accelerator
scratchdl knows (CUDA through CuPy)."""

from __future__ import annotations

from scratchdl.backend import cuda
from scratchdl.backend.device import device


def is_available() -> bool:
    """True when an accelerator (a CUDA GPU) can be used."""
    return cuda.is_available()


def current_accelerator(check_available: bool = False) -> device | None:
    """``device('cuda')`` where CUDA is available, else None (as torch on a CPU machine)."""
    return device("cuda") if cuda.is_available() else None


def device_count() -> int:
    """The number of accelerator devices."""
    return cuda.device_count()
