"""The named tuples that reductions along a dimension return, as ``torch.return_types``:
``x.max(dim)``, ``min``, ``sort``, ``topk``, ``kthvalue`` and ``median`` give a tuple
(values, indices) whose type is named after the operation and prints as torch prints it:

    >>> scratchdl.tensor([[1., 3.], [4., 2.]]).max(dim=1)
    scratchdl.return_types.max(
    values=tensor([3., 4.]),
    indices=tensor([1, 0]))

Each unpacks (``values, indices = x.max(1)``), indexes (``[0]``) and names its fields
(``.values``, ``.indices``) like any named tuple.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from scratchdl.autograd import Tensor


class ValuesIndices(NamedTuple):
    """(values, indices): the base of every operation's named tuple below."""

    values: Tensor
    indices: Tensor

    def __repr__(self) -> str:
        name = f"{type(self).__module__}.{type(self).__qualname__}"
        return f"{name}(\nvalues={self.values!r},\nindices={self.indices!r})"


def _named(op: str) -> type[ValuesIndices]:
    """The ValuesIndices subclass that ``op`` returns, named ``op`` in this module (so that
    it prints as ``scratchdl.return_types.<op>``)."""
    return type(op, (ValuesIndices,), {"__slots__": (), "__module__": __name__, "__qualname__": op})


max = _named("max")
min = _named("min")
sort = _named("sort")
topk = _named("topk")
kthvalue = _named("kthvalue")
median = _named("median")

__all__ = ["ValuesIndices", "kthvalue", "max", "median", "min", "sort", "topk"]
