"""Reductions over axes: sum, mean, max, min, var, logsumexp, and argmax (no gradient).

``axis`` is None (all axes), an int or a tuple of ints; ``keepdims=True`` keeps reduced
axes with length 1, as in NumPy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from scratchdl.autograd import Function, Tensor, as_tensor
from scratchdl.backend import get_array_module
from scratchdl.functional.shape import broadcast_to, reshape

Axis = int | Sequence[int] | None


def _axes(axis: Axis, ndim: int, op: str) -> tuple[int, ...]:
    """``axis`` as a sorted tuple of non-negative axes, checked against ``ndim``."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if not -ndim <= a < (ndim or 1):
            raise ValueError(f"{op}: axis {a} is out of range for a {ndim}-d tensor")
    return tuple(sorted(a % (ndim or 1) for a in axes))


def _keepdims_shape(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    """``shape`` with each reduced axis kept as length 1."""
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _count(shape: tuple[int, ...], axes: tuple[int, ...]) -> int:
    """How many elements a reduction over ``axes`` combines into each output."""
    return math.prod(shape[a] for a in axes)


def _spread(gy: Tensor, x_shape: tuple[int, ...], axes: tuple[int, ...]) -> Tensor:
    """Broadcast the gradient of a reduction back over the axes it reduced."""
    if len(axes) < len(x_shape):  # a full reduction's gradient broadcasts as it is
        gy = reshape(gy, _keepdims_shape(x_shape, axes))
    return broadcast_to(gy, x_shape)


def _spread_array(gy: Any, x_shape: tuple[int, ...], axes: tuple[int, ...]) -> Any:
    """``_spread`` on arrays: a read-only broadcast view, no copy."""
    xp = get_array_module(gy)
    return xp.broadcast_to(gy.reshape(_keepdims_shape(x_shape, axes)), x_shape)


class Reduction(Function):
    """Base of reductions: holds the normalized axes and ``keepdims``."""

    def __init__(self, axes: tuple[int, ...], keepdims: bool) -> None:
        self.axes, self.keepdims = axes, keepdims


class Sum(Reduction):
    """y = Σ x over axes;  ∂y/∂x = 1 for every summed element."""

    def forward(self, x):
        return x.sum(axis=self.axes, keepdims=self.keepdims)

    def backward(self, gy):
        return _spread(gy, self.inputs[0].shape, self.axes)

    def backward_arrays(self, gy):
        return _spread_array(gy, self.inputs[0].shape, self.axes)


class Mean(Reduction):
    """y = (1/n) Σ x over axes;  ∂y/∂x = 1/n."""

    def forward(self, x):
        return x.mean(axis=self.axes, keepdims=self.keepdims)

    def backward(self, gy):
        x = self.inputs[0]
        return _spread(gy, x.shape, self.axes) / _count(x.shape, self.axes)

    def backward_arrays(self, gy):
        x = self.inputs[0]
        return _spread_array(gy / _count(x.shape, self.axes), x.shape, self.axes)


class Extremum(Reduction):
    """y = max or min of x over axes; the gradient is shared among the tied extreme elements."""

    def backward(self, gy):
        x = self.inputs[0]
        y = self.output.data.reshape(_keepdims_shape(x.shape, self.axes))
        is_extreme = x.data == y
        share = is_extreme / is_extreme.sum(axis=self.axes, keepdims=True)
        return _spread(gy, x.shape, self.axes) * Tensor(share.astype(x.dtype))


class Max(Extremum):
    """y = max of x over axes."""

    def forward(self, x):
        return x.max(axis=self.axes, keepdims=self.keepdims)


class Min(Extremum):
    """y = min of x over axes."""

    def forward(self, x):
        return x.min(axis=self.axes, keepdims=self.keepdims)


class LogSumExp(Reduction):
    """y = log Σ exp(x) over axes, computed as m + log Σ exp(x − m) with m = max(x);
    ∂y/∂x = exp(x − y) = softmax(x)."""

    def forward(self, x):
        xp = get_array_module(x)
        m = x.max(axis=self.axes, keepdims=True)
        m = xp.where(xp.isfinite(m), m, 0)
        with np.errstate(divide="ignore"):  # all −∞ along an axis: the answer is −∞
            y = m + xp.log(xp.exp(x - m).sum(axis=self.axes, keepdims=True))
        return y if self.keepdims else y.squeeze(self.axes)

    def backward(self, gy):
        x = self.inputs[0]
        y = reshape(self.output, _keepdims_shape(x.shape, self.axes))
        return _spread(gy, x.shape, self.axes) * (x - y).exp()


def _reduce(cls: type[Reduction], x: Any, axis: Axis, keepdims: bool, op: str) -> Tensor:
    x = as_tensor(x)
    return cls(_axes(axis, x.ndim, op), keepdims)(x)


def sum(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Σ x over ``axis``."""
    return _reduce(Sum, x, axis, keepdims, "sum")


def mean(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """The arithmetic mean over ``axis``."""
    return _reduce(Mean, x, axis, keepdims, "mean")


def max(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """The maximum over ``axis`` (the gradient is split evenly among ties)."""
    return _reduce(Max, x, axis, keepdims, "max")


def min(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """The minimum over ``axis`` (the gradient is split evenly among ties)."""
    return _reduce(Min, x, axis, keepdims, "min")


def logsumexp(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """log Σ exp(x) over ``axis``, stable for large inputs."""
    return _reduce(LogSumExp, x, axis, keepdims, "logsumexp")


def var(x: Any, axis: Axis = None, keepdims: bool = False, ddof: int = 0) -> Tensor:
    """Variance Σ (x − mean)² / (n − ddof) over ``axis`` (NumPy's default ddof=0)."""
    x = as_tensor(x)
    axes = _axes(axis, x.ndim, "var")
    count = _count(x.shape, axes)
    if count - ddof <= 0:
        raise ValueError(f"var: {count} elements with ddof={ddof} leave no degrees of freedom")
    centered = x - mean(x, axis=axes, keepdims=True)
    return sum(centered * centered, axis=axes, keepdims=keepdims) / (count - ddof)


def argmax(x: Any, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Index of the maximum along ``axis`` (flattened when None); int64, not differentiable."""
    x = as_tensor(x)
    return Tensor(x.data.argmax(axis=axis, keepdims=keepdims))


def argmin(x: Any, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Index of the minimum along ``axis`` (flattened when None); int64, not differentiable."""
    x = as_tensor(x)
    return Tensor(x.data.argmin(axis=axis, keepdims=keepdims))
