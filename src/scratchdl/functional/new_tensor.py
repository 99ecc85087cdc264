"""``Tensor.new_zeros``, ``new_ones``, ``new_full``, ``new_empty``, ``new_tensor``: factories
that make a tensor of self's dtype on self's device unless ``dtype`` or ``device`` say
otherwise (the new tensor shares nothing else with self: no data, no graph)."""

from __future__ import annotations

from typing import Any

from scratchdl.autograd import Tensor, tensor
from scratchdl.functional.creation import full, ones, zeros


def _placed(x: Tensor, dtype: Any, device: Any) -> dict[str, Any]:
    """The ``dtype`` and ``device`` arguments of a factory: those given, else x's."""
    return {
        "dtype": x.dtype if dtype is None else dtype,
        "device": x.device if device is None else device,
    }


def new_zeros(
    x: Tensor,
    *size: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    **options: Any,
) -> Tensor:
    """Zeros of ``size`` (``new_zeros(2, 3)`` or ``new_zeros((2, 3))``), x's dtype and device."""
    return zeros(*size, **_placed(x, dtype, device), requires_grad=requires_grad, **options)


new_empty = new_zeros  # as ``empty``: scratchdl's "uninitialised" memory is zeroed


def new_ones(
    x: Tensor,
    *size: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    **options: Any,
) -> Tensor:
    """Ones of ``size``, with x's dtype and device."""
    return ones(*size, **_placed(x, dtype, device), requires_grad=requires_grad, **options)


def new_full(
    x: Tensor,
    size: Any,
    fill_value: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    **options: Any,
) -> Tensor:
    """``fill_value`` in a tensor of ``size`` (a tuple), with x's dtype and device."""
    if isinstance(size, int):
        raise TypeError(
            f"new_full: argument 'size' must be a tuple of ints, not {type(size).__name__}"
        )
    placed = _placed(x, dtype, device)
    return full(size, fill_value, **placed, requires_grad=requires_grad, **options)


def new_tensor(
    x: Tensor, data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A new leaf holding a copy of ``data``, with x's dtype and device (``data``'s own
    dtype does not count: ``int_tensor.new_tensor([1.5])`` is int64 [1])."""
    return tensor(data, **_placed(x, dtype, device), requires_grad=requires_grad)
