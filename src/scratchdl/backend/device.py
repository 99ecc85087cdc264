"""Devices: where a tensor's data lives — ``cpu`` (a NumPy array) or ``cuda`` (a CuPy array).

``device("cuda:0")`` names a place, as ``torch.device`` does; naming it never fails.
Moving data there (``to_device``) needs CuPy and a GPU, and says so when either is missing.
"""

from __future__ import annotations

from typing import Any

from scratchdl.backend.arrays import cupy, gpu_count, to_numpy

DEVICE_TYPES = ("cpu", "cuda")


class device:  # noqa: N801 - named like torch.device
    """A device: ``type`` ('cpu' or 'cuda') and ``index`` (None or the GPU's number).

    ``device("cpu")``, ``device("cuda")``, ``device("cuda:1")``, ``device("cuda", 1)``;
    a device passed in is returned as an equal device.
    """

    __slots__ = ("index", "type")

    def __init__(self, type: str | device, index: int | None = None) -> None:
        if isinstance(type, device):
            type, index = type.type, type.index if index is None else index
        if not isinstance(type, str):
            raise TypeError(f"device: expected a string such as 'cpu' or 'cuda:0', got {type!r}")
        name, _, number = type.partition(":")
        if number:
            if index is not None or not number.isdigit():
                raise ValueError(f"device: invalid device string {type!r}")
            index = int(number)
        if name not in DEVICE_TYPES:
            raise RuntimeError(
                f"device: unknown device type {name!r}; scratchdl runs on 'cpu' and 'cuda'"
            )
        if index is not None and (not isinstance(index, int) or index < 0):
            raise ValueError(f"device: index must be a non-negative integer, got {index!r}")
        if name == "cpu" and index not in (None, 0):
            raise ValueError(f"device: the CPU has no index {index}")
        self.type, self.index = name, index

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type={self.type!r})"
        return f"device(type={self.type!r}, index={self.index})"


CPU = device("cpu")


def device_of(array: Any) -> device:
    """The device an array lives on: ``cuda:i`` for a CuPy array, else ``cpu``."""
    if cupy is not None and isinstance(array, cupy.ndarray):  # pragma: no cover
        return device("cuda", array.device.id)
    return CPU


def to_device(array: Any, target: Any) -> Any:
    """``array`` on device ``target`` (a device or its name): itself when already there,
    else a copy. Raises RuntimeError for CUDA without CuPy or without a GPU."""
    target = device(target)
    if target.type == "cpu":
        return to_numpy(array)
    require_cuda(target)
    with cupy.cuda.Device(target.index or 0):  # pragma: no cover
        return cupy.asarray(array)


def require_cuda(target: device) -> None:
    """Raise RuntimeError, saying why, unless ``target`` (a cuda device) can be used."""
    if cupy is None:
        raise RuntimeError(
            f"{target}: CUDA is not available: CuPy is not installed "
            "(pip install scratchdl[cuda] on a machine with an NVIDIA GPU)"
        )
    count = gpu_count()
    if count == 0:
        raise RuntimeError(f"{target}: CUDA is not available: CuPy sees no NVIDIA GPU")
    if (target.index or 0) >= count:  # pragma: no cover
        raise RuntimeError(f"{target}: there are only {count} CUDA devices")
