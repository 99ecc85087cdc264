"""Parameter: a Tensor that a Module learns."""

from __future__ import annotations

from typing import Any

from scratchdl.autograd import Tensor, tensor


class Parameter(Tensor):
    """A Tensor that requires grad and registers itself on the Module it is assigned to.

    ``Parameter(data)`` holds a copy of ``data`` (an array, a Tensor or nested lists),
    float32 unless ``data`` is float64, exactly as ``sd.tensor`` converts it.
    """

    __slots__ = ()

    def __init__(self, data: Any, requires_grad: bool = True) -> None:
        super().__init__(tensor(data).data, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
