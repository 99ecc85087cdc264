"""Parameter: a Tensor that a Module learns."""

from __future__ import annotations

from typing import Any

from scratchdl.autograd import Tensor, as_tensor, tensor
from scratchdl.autograd.tensor import init_leaf
from scratchdl.backend import ARRAY_TYPES


class Parameter(Tensor):
    """A leaf Tensor that requires grad and registers itself on the Module it is assigned
    to, as ``torch.nn.Parameter``.

    ``Parameter(t)`` shares the data of a Tensor ``t``, keeping its dtype; an array is taken
    as ``sd.as_tensor`` takes it (shared when it is on the default device, else copied
    there); other data (nested lists) is converted as ``sd.tensor`` does. ``Parameter()``
    is empty.
    """

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            data = tensor([])
        if isinstance(data, Tensor):
            array = data.data
        elif isinstance(data, ARRAY_TYPES):
            array = as_tensor(data).data
        else:
            array = tensor(data).data
        init_leaf(self, array)
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
