"""Conversions that keep the graph: to another dtype, a copy, to another device."""

from __future__ import annotations

from typing import Any

from scratchdl.autograd import Function, Tensor, as_tensor, wrap
from scratchdl.autograd import dtype as dtypes
from scratchdl.backend import to_device


class Cast(Function):
    """y = x converted to another floating-point dtype; the gradient is cast back."""

    def __init__(self, dtype: Any) -> None:
        self.dtype = dtype

    def forward(self, x):
        return x.astype(self.dtype)

    def backward(self, gy):
        (x,) = self.inputs
        return cast(gy, x.dtype)


class Clone(Function):
    """y = a copy of x;  ∂y/∂x = 1."""

    def forward(self, x):
        return x.copy()

    def backward(self, gy):
        return gy


class MoveToDevice(Function):
    """y = x copied to another device; the gradient is copied back to x's device."""

    def __init__(self, device: Any) -> None:
        self.device = device

    def forward(self, x):
        return to_device(x, self.device)

    def backward(self, gy):
        return move_to_device(gy, self.inputs[0].device)


def cast(x: Tensor, dtype: Any) -> Tensor:
    """x converted to ``dtype``: differentiable between floating dtypes, a constant
    otherwise."""
    dtype = dtypes.as_dtype(dtype)
    if x.dtype == dtype:
        return x
    if x.dtype.kind in "fc" and dtype.kind in "fc":
        return Cast(dtype)(x)
    return wrap(x.data.astype(dtype))


def clone(x: Any) -> Tensor:
    """A copy of x with its own memory; the gradient flows back to x."""
    return Clone()(as_tensor(x))


def move_to_device(x: Tensor, device: Any) -> Tensor:
    """x copied to ``device``; the gradient flows back to x's device."""
    return MoveToDevice(device)(x)
