"""Shape operations: reshape, transpose, indexing, broadcasting, joining.

None of these change values, so each backward moves the gradient back into the input's
layout: reshape it back, transpose it back, scatter it back, or sum it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scratchdl.autograd import Function, Tensor, as_tensor
from scratchdl.backend import get_array_module


def _normalize_axis(axis: int, ndim: int, op: str) -> int:
    if not -ndim <= axis < ndim:
        raise ValueError(f"{op}: axis {axis} is out of range for a {ndim}-d tensor")
    return axis % ndim


class Reshape(Function):
    """y = x with a new shape (same elements, same order)."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def forward(self, x):
        return x.reshape(self.shape)

    def backward(self, gy):
        return reshape(gy, self.inputs[0].shape)


class Transpose(Function):
    """y = x with its axes permuted; the gradient is permuted back by the inverse."""

    def __init__(self, axes: tuple[int, ...] | None) -> None:
        self.axes = axes

    def forward(self, x):
        return x.transpose(self.axes)

    def backward(self, gy):
        if self.axes is None:
            return transpose(gy)
        inverse = tuple(sorted(range(len(self.axes)), key=self.axes.__getitem__))
        return transpose(gy, *inverse)


class GetItem(Function):
    """y = x[index] for NumPy basic or advanced indices."""

    def __init__(self, index: Any) -> None:
        self.index = index

    def forward(self, x):
        return x[self.index]

    def backward(self, gy):
        x = self.inputs[0]
        return ScatterAdd(self.index, x.shape)(gy)


class ScatterAdd(Function):
    """The gradient of x[index]: zeros shaped like x with gy added at ``index``.

    Repeated indices accumulate (np.add.at); slices and single integers need no such
    care, so they take a plain in-place add.
    """

    def __init__(self, index: Any, shape: tuple[int, ...]) -> None:
        self.index, self.shape = index, shape

    def forward(self, gy):
        xp = get_array_module(gy)
        gx = xp.zeros(self.shape, dtype=gy.dtype)
        if _is_basic_index(self.index):
            gx[self.index] += gy
        else:
            xp.add.at(gx, self.index, gy)
        return gx

    def backward(self, ggx):
        return getitem(ggx, self.index)


def _is_basic_index(index: Any) -> bool:
    """True for indices built only of ints, slices, None and Ellipsis (no repeats possible)."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(part, (int, slice, type(None), type(Ellipsis))) for part in parts)


class BroadcastTo(Function):
    """y = x repeated to ``shape`` by NumPy broadcasting; the gradient is summed back."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def forward(self, x):
        return get_array_module(x).broadcast_to(x, self.shape)

    def backward(self, gy):
        return sum_to(gy, self.inputs[0].shape)


class SumTo(Function):
    """y = x summed down to ``shape`` (the reverse of broadcasting to x's shape)."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def forward(self, x):
        return sum_to_array(x, self.shape)

    def backward(self, gy):
        return broadcast_to(gy, self.inputs[0].shape)


def sum_to_array(x: Any, shape: tuple[int, ...]) -> Any:
    """Sum array x over the axes NumPy broadcasting added or stretched to reach x.shape."""
    lead = x.ndim - len(shape)
    stretched = tuple(lead + i for i, n in enumerate(shape) if n == 1 and x.shape[lead + i] != 1)
    y = x.sum(axis=tuple(range(lead)) + stretched, keepdims=True)
    return y.reshape(shape) if lead else y


class Concatenate(Function):
    """y = the inputs joined along ``axis``; each gets back its slice of the gradient."""

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def forward(self, *xs):
        return get_array_module(xs[0]).concatenate(xs, axis=self.axis)

    def backward(self, gy):
        gxs, start = [], 0
        for x in self.inputs:
            index = [slice(None)] * gy.ndim
            index[self.axis] = slice(start, start + x.shape[self.axis])
            gxs.append(getitem(gy, tuple(index)))
            start += x.shape[self.axis]
        return tuple(gxs)


def reshape(x: Any, *shape: int | Sequence[int]) -> Tensor:
    """x with a new shape; accepts ``reshape(x, 2, -1)`` or ``reshape(x, (2, -1))``."""
    x = as_tensor(x)
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    try:
        target = x.data.reshape(shape).shape  # resolves -1 and checks the size
    except ValueError:
        raise ValueError(
            f"reshape: cannot reshape a tensor of shape {x.shape} ({x.size} elements) "
            f"into {tuple(shape)}"
        ) from None
    return x if target == x.shape else Reshape(target)(x)


def transpose(x: Any, *axes: int | Sequence[int]) -> Tensor:
    """x with axes permuted; no axes reverses them (like NumPy's ``x.transpose()``)."""
    if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = tuple(axes[0])
    x = as_tensor(x)
    if axes and sorted(a % max(x.ndim, 1) for a in axes) != list(range(x.ndim)):
        raise ValueError(f"transpose: axes {axes} are not a permutation of {x.ndim} axes")
    return Transpose(tuple(a % x.ndim for a in axes) if axes else None)(x)


def swapaxes(x: Any, axis1: int, axis2: int) -> Tensor:
    """x with two axes exchanged."""
    x = as_tensor(x)
    axes = list(range(x.ndim))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return transpose(x, *axes)


def getitem(x: Any, index: Any) -> Tensor:
    """x[index]: ints, slices, None, Ellipsis, integer arrays, boolean masks or Tensors of them.

    Gradients of repeated integer indices accumulate.
    """
    return GetItem(_as_index(index))(x)


def _as_index(index: Any) -> Any:
    """Replace Tensors and lists inside an index by arrays NumPy can index with."""
    if isinstance(index, tuple):
        return tuple(_as_index(part) for part in index)
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, list):
        return get_array_module().asarray(index)
    return index


def broadcast_to(x: Any, shape: Sequence[int]) -> Tensor:
    """x broadcast to ``shape``; the gradient sums over the broadcast axes."""
    x = as_tensor(x)
    shape = tuple(shape)
    if x.shape == shape:
        return x
    return BroadcastTo(shape)(x)


def sum_to(x: Any, shape: Sequence[int]) -> Tensor:
    """x summed down to ``shape``, which x.shape must broadcast from."""
    x = as_tensor(x)
    shape = tuple(shape)
    if x.shape == shape:
        return x
    return SumTo(shape)(x)


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis."""
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("concatenate: needs at least one tensor")
    axis = _normalize_axis(axis, tensors[0].ndim, "concatenate")
    return Concatenate(axis)(*tensors)


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join same-shaped tensors along a new axis."""
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("stack: needs at least one tensor")
    shapes = {t.shape for t in tensors}
    if len(shapes) > 1:
        raise ValueError(f"stack: all tensors must have the same shape, got {sorted(shapes)}")
    axis = _normalize_axis(axis, tensors[0].ndim + 1, "stack")
    return concatenate([expand_dims(t, axis) for t in tensors], axis=axis)


def expand_dims(x: Any, axis: int) -> Tensor:
    """x with a new axis of length 1 inserted at ``axis``."""
    x = as_tensor(x)
    axis = _normalize_axis(axis, x.ndim + 1, "expand_dims")
    return reshape(x, (*x.shape[:axis], 1, *x.shape[axis:]))


def squeeze(x: Any, axis: int | Sequence[int] | None = None) -> Tensor:
    """x without axes of length 1 (all of them, or those named by ``axis``)."""
    x = as_tensor(x)
    if axis is None:
        axes = {i for i, n in enumerate(x.shape) if n == 1}
    else:
        axes = {_normalize_axis(a, x.ndim, "squeeze") for a in _as_tuple(axis)}
        for a in axes:
            if x.shape[a] != 1:
                raise ValueError(f"squeeze: axis {a} of shape {x.shape} has length {x.shape[a]}")
    return reshape(x, tuple(n for i, n in enumerate(x.shape) if i not in axes))


def flatten(x: Any, start_axis: int = 0) -> Tensor:
    """x with the axes from ``start_axis`` on merged into one (all axes by default)."""
    x = as_tensor(x)
    start_axis = _normalize_axis(start_axis, max(x.ndim, 1), "flatten")
    return reshape(x, (*x.shape[:start_axis], -1))


def _as_tuple(axis: int | Sequence[int]) -> tuple[int, ...]:
    return (axis,) if isinstance(axis, int) else tuple(axis)
