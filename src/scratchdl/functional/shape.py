"""Shape operations: reshape, permute, indexing, broadcasting, joining and splitting.

None of these change values, so each backward moves the gradient back into the input's
layout: reshape it back, permute it back, scatter it back, or sum it back.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from scratchdl.autograd import Function, Tensor, as_tensor, wrap
from scratchdl.autograd import dtype as dtypes
from scratchdl.autograd.tensor import checked_dim
from scratchdl.backend import ARRAY_TYPES, get_array_module, to_device
from scratchdl.functional.convert import cast


def _sizes(args: tuple[Any, ...]) -> tuple[int, ...]:
    """Sizes given as ``f(2, 3)`` or ``f((2, 3))`` (or a Size, a list, a tensor of them)."""
    if len(args) == 1 and not isinstance(args[0], int):
        return tuple(int(n) for n in args[0])
    return tuple(int(n) for n in args)


class Reshape(Function):
    """y = x with a new shape (same elements, same order)."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def forward(self, x):
        return x.reshape(self.shape)

    def backward(self, gy):
        return reshape(gy, self.inputs[0].shape)


class Permute(Function):
    """y = x with its dimensions reordered; the gradient is permuted back by the inverse."""

    def __init__(self, dims: tuple[int, ...]) -> None:
        self.dims = dims

    def forward(self, x):
        return x.transpose(self.dims)

    def backward(self, gy):
        inverse = tuple(sorted(range(len(self.dims)), key=self.dims.__getitem__))
        return permute(gy, inverse)


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


class IndexPut(Function):
    """y = x with y[index] = v (x[index] = v out of place);
    ∂y/∂x = 1 outside ``index`` and 0 inside, ∂y/∂v = gy[index] summed to v's shape."""

    def __init__(self, index: Any) -> None:
        self.index = index

    def forward(self, x, v):
        y = x.copy()
        y[self.index] = v
        return y

    def backward(self, gy):
        x, v = self.inputs
        mask = get_array_module(gy.data).ones(x.shape, dtype=gy.dtype)
        mask[self.index] = 0
        gv = sum_to(getitem(gy, self.index), v.shape) if v.requires_grad else None
        return gy * wrap(mask), gv


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
    """y = the inputs joined along ``dim``; each gets back its slice of the gradient."""

    def __init__(self, dim: int) -> None:
        self.dim = dim

    def forward(self, *xs):
        return get_array_module(xs[0]).concatenate(xs, axis=self.dim)

    def backward(self, gy):
        gxs, start = [], 0
        for x in self.inputs:
            index = [slice(None)] * gy.ndim
            index[self.dim] = slice(start, start + x.shape[self.dim])
            gxs.append(getitem(gy, tuple(index)))
            start += x.shape[self.dim]
        return tuple(gxs)


class Repeat(Function):
    """y = x tiled ``repeats`` times along each dimension (torch's repeat, NumPy's tile);
    the gradient sums the tiles: gy reshaped to (r₀, n₀, r₁, n₁, ...) summed over the r."""

    def __init__(self, repeats: tuple[int, ...]) -> None:
        self.repeats = repeats

    def forward(self, x):
        return get_array_module(x).tile(x, self.repeats)

    def backward(self, gy):
        x = self.inputs[0]
        sizes = (1,) * (len(self.repeats) - x.ndim) + tuple(x.shape)
        split = [n for pair in zip(self.repeats, sizes, strict=True) for n in pair]
        tiles = reshape(gy, split).sum(dim=tuple(range(0, len(split), 2)))
        return reshape(tiles, x.shape)


class Gather(Function):
    """y = x gathered along ``dim`` at ``index`` (y[i][j] = x[i][index[i][j]] for dim 1);
    the gradient adds gy back at the gathered places."""

    def __init__(self, dim: int, index: Any) -> None:
        self.dim, self.index = dim, index

    def forward(self, x):
        return get_array_module(x).take_along_axis(x, self.index, axis=self.dim)

    def backward(self, gy):
        return GatherAdjoint(self.dim, self.index, self.inputs[0].shape)(gy)


class GatherAdjoint(Function):
    """gx = zeros of x's shape with gy added at ``index`` along ``dim``: Gather's adjoint."""

    def __init__(self, dim: int, index: Any, shape: tuple[int, ...]) -> None:
        self.dim, self.index, self.shape = dim, index, shape

    def forward(self, gy):
        xp = get_array_module(gy)
        gx = xp.zeros(self.shape, dtype=gy.dtype)
        xp.add.at(gx, along_dim_grid(self.index, self.dim), gy)
        return gx

    def backward(self, ggx):
        return Gather(self.dim, self.index)(ggx)


class Contiguous(Function):
    """y = x laid out in row-major order (a copy);  ∂y/∂x = 1."""

    def forward(self, x):
        return get_array_module(x).ascontiguousarray(x)

    def backward(self, gy):
        return gy


def reshape(x: Any, *shape: Any) -> Tensor:
    """x with a new shape; ``reshape(x, 2, -1)`` or ``reshape(x, (2, -1))``. Raises
    RuntimeError (as torch) when the element counts differ."""
    x = as_tensor(x)
    shape = _sizes(shape)
    try:
        target = x.data.reshape(shape).shape  # resolves -1 and checks the size
    except ValueError:
        raise RuntimeError(
            f"reshape: shape {list(shape)} is invalid for a tensor of shape "
            f"{tuple(x.shape)} ({x.numel()} elements)"
        ) from None
    return x if target == x.data.shape else Reshape(target)(x)


def permute(x: Any, *dims: Any) -> Tensor:
    """x with its dimensions reordered: ``permute(x, 2, 0, 1)`` or ``permute(x, (2, 0, 1))``."""
    x = as_tensor(x)
    dims = _sizes(dims)
    if len(dims) != x.ndim or sorted(d % max(x.ndim, 1) for d in dims) != list(range(x.ndim)):
        raise RuntimeError(
            f"permute: dims {list(dims)} are not a permutation of the {x.ndim} dimensions "
            f"of a tensor of shape {tuple(x.shape)}"
        )
    dims = tuple(d % x.ndim for d in dims)
    return x if dims == tuple(range(x.ndim)) else Permute(dims)(x)


def transpose(x: Any, dim0: int, dim1: int) -> Tensor:
    """x with dimensions ``dim0`` and ``dim1`` swapped."""
    x = as_tensor(x)
    dims = list(range(x.ndim))
    d0, d1 = checked_dim(dim0, x.ndim, "transpose"), checked_dim(dim1, x.ndim, "transpose")
    dims[d0], dims[d1] = dims[d1], dims[d0]
    return permute(x, dims)


swapaxes = swapdims = transpose


def t(x: Any) -> Tensor:
    """The transpose of a matrix; a 0-d or 1-d tensor is returned as it is."""
    x = as_tensor(x)
    if x.ndim > 2:
        raise RuntimeError(f"t: expects a tensor with at most 2 dimensions, got {x.ndim}")
    return x if x.ndim < 2 else transpose(x, 0, 1)


def getitem(x: Any, index: Any) -> Tensor:
    """x[index]: ints, slices, None, Ellipsis, integer arrays, boolean masks or Tensors of them.

    Gradients of repeated integer indices accumulate. Index arrays are moved to x's device.
    """
    x = as_tensor(x)
    return GetItem(as_index(index, x.device))(x)


def as_index(index: Any, target: Any) -> Any:
    """An index the array module of device ``target`` understands: Tensors, lists and
    arrays inside it become arrays on that device."""
    if isinstance(index, tuple):
        return tuple(as_index(part, target) for part in index)
    if isinstance(index, Tensor):
        if index.ndim == 0 and index.dtype.kind in "iu":
            return index.item()
        index = index.data
    if isinstance(index, list):
        index = np.asarray(index)
    return to_device(index, target) if isinstance(index, ARRAY_TYPES) else index


def index_put(x: Any, index: Any, value: Any) -> Tensor:
    """x with ``value`` written at ``index``, out of place (the recorded form of
    ``x[index] = value``)."""
    x = as_tensor(x)
    return IndexPut(as_index(index, x.device))(x, value)


def broadcast_to(x: Any, shape: Sequence[int]) -> Tensor:
    """x broadcast to ``shape``; the gradient sums over the broadcast dimensions."""
    x = as_tensor(x)
    shape = tuple(shape)
    if x.shape == shape:
        return x
    return BroadcastTo(shape)(x)


def expand(x: Any, *sizes: Any) -> Tensor:
    """x broadcast to ``sizes``, where -1 keeps the size of that dimension."""
    x = as_tensor(x)
    sizes = _sizes(sizes)
    lead = len(sizes) - x.ndim
    shape = tuple(x.shape[i - lead] if n == -1 else n for i, n in enumerate(sizes))
    return broadcast_to(x, shape)


def sum_to(x: Any, shape: Sequence[int]) -> Tensor:
    """x summed down to ``shape``, which x.shape must broadcast from."""
    x = as_tensor(x)
    shape = tuple(shape)
    if x.shape == shape:
        return x
    return SumTo(shape)(x)


def cat(tensors: Sequence[Any], dim: int = 0, *, axis: int | None = None) -> Tensor:
    """Join tensors along an existing dimension (``axis`` is NumPy's name for ``dim``)."""
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("cat: needs at least one tensor")
    dim = checked_dim(dim if axis is None else axis, tensors[0].ndim, "cat")
    dtype = dtypes.result_type(*tensors)  # promoted, as torch
    return Concatenate(dim)(*[cast(t, dtype) for t in tensors])


concat = concatenate = cat


def stack(tensors: Sequence[Any], dim: int = 0, *, axis: int | None = None) -> Tensor:
    """Join same-shaped tensors along a new dimension."""
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("stack: needs at least one tensor")
    shapes = {tuple(t.shape) for t in tensors}
    if len(shapes) > 1:
        raise RuntimeError(f"stack: all tensors must have the same shape, got {sorted(shapes)}")
    dim = checked_dim(dim if axis is None else axis, tensors[0].ndim + 1, "stack")
    return cat([unsqueeze(t, dim) for t in tensors], dim=dim)


def unsqueeze(x: Any, dim: int) -> Tensor:
    """x with a new dimension of length 1 at ``dim``."""
    x = as_tensor(x)
    dim = checked_dim(dim, x.ndim + 1, "unsqueeze")
    return reshape(x, (*x.shape[:dim], 1, *x.shape[dim:]))


def squeeze(x: Any, dim: int | Sequence[int] | None = None) -> Tensor:
    """x without its dimensions of length 1: all of them, or those among ``dim`` (a named
    dimension longer than 1 stays, as in torch)."""
    x = as_tensor(x)
    if dim is None:
        dims = set(range(x.ndim))
    else:
        dims = {
            checked_dim(d, x.ndim, "squeeze") for d in ((dim,) if isinstance(dim, int) else dim)
        }
    return reshape(x, tuple(n for i, n in enumerate(x.shape) if not (i in dims and n == 1)))


def flatten(x: Any, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """x with dimensions ``start_dim`` to ``end_dim`` merged into one."""
    x = as_tensor(x)
    if x.ndim == 0:
        return reshape(x, 1)
    start, end = checked_dim(start_dim, x.ndim, "flatten"), checked_dim(end_dim, x.ndim, "flatten")
    if start > end:
        raise RuntimeError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    merged = math.prod(x.shape[start : end + 1])
    return reshape(x, (*x.shape[:start], merged, *x.shape[end + 1 :]))


def unflatten(x: Any, dim: int, sizes: Sequence[int]) -> Tensor:
    """x with dimension ``dim`` split into ``sizes`` (one may be -1)."""
    x = as_tensor(x)
    dim = checked_dim(dim, x.ndim, "unflatten")
    return reshape(x, (*x.shape[:dim], *sizes, *x.shape[dim + 1 :]))


def repeat(x: Any, *repeats: Any) -> Tensor:
    """x tiled ``repeats`` times along each dimension (at least x.ndim of them)."""
    x = as_tensor(x)
    repeats = _sizes(repeats)
    if len(repeats) < x.ndim:
        raise RuntimeError(
            f"repeat: {len(repeats)} repeats given for a tensor of {x.ndim} dimensions; "
            "expected at least one per dimension"
        )
    return Repeat(repeats)(x)


def contiguous(x: Any) -> Tensor:
    """x itself when its memory is row-major, else a row-major copy."""
    x = as_tensor(x)
    return x if x.data.flags.c_contiguous else Contiguous()(x)


def split(x: Any, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Pieces of x along ``dim``: of ``split_size`` each (the last may be shorter), or of
    the sizes in a list."""
    x = as_tensor(x)
    dim = checked_dim(dim, x.ndim, "split")
    length = x.shape[dim]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        sizes = [min(step, length - start) for start in range(0, length, step)]
    else:
        sizes = list(split_size_or_sections)
        if sum(sizes) != length:
            raise RuntimeError(f"split: sizes {sizes} do not add up to {length}")
    pieces, start = [], 0
    for size in sizes:
        index = (slice(None),) * dim + (slice(start, start + size),)
        pieces.append(getitem(x, index))
        start += size
    return tuple(pieces)


def chunk(x: Any, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """x split into ``chunks`` pieces of ⌈n / chunks⌉ along ``dim`` (fewer if n is small)."""
    x = as_tensor(x)
    length = x.shape[checked_dim(dim, x.ndim, "chunk")]
    return split(x, max(-(-length // chunks), 1), dim)


def unbind(x: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """The slices of x along ``dim``, that dimension removed."""
    x = as_tensor(x)
    dim = checked_dim(dim, x.ndim, "unbind")
    return tuple(getitem(x, (slice(None),) * dim + (i,)) for i in range(x.shape[dim]))


def gather(x: Any, dim: int, index: Any) -> Tensor:
    """Values of x along ``dim`` at ``index`` (an int64 tensor with x's number of dims)."""
    x = as_tensor(x)
    dim, index = index_along_dim(x, dim, index, "gather")
    return Gather(dim, index)(x)


def index_along_dim(x: Tensor, dim: int, index: Any, op: str) -> tuple[int, Any]:
    """(dim, index array on x's device) for gather and the scatters, checked as torch does:
    an int32/int64 index with x's number of dimensions, no longer than x apart from
    ``dim``, its values in [0, x.size(dim)). RuntimeError otherwise (IndexError for dim)."""
    dim = checked_dim(dim, x.ndim, op)
    index = to_device(as_tensor(index).data, x.device)
    if index.dtype not in (dtypes.int32, dtypes.int64):
        raise RuntimeError(f"{op}: expected an int32 or int64 index, got {index.dtype}")
    if index.ndim != x.ndim:
        raise RuntimeError(
            f"{op}: index of shape {tuple(index.shape)} must have the same number of "
            f"dimensions as the tensor of shape {tuple(x.shape)}"
        )
    if any(n > m for d, (n, m) in enumerate(zip(index.shape, x.shape, strict=True)) if d != dim):
        raise RuntimeError(
            f"{op}: index of shape {tuple(index.shape)} is larger than the tensor of shape "
            f"{tuple(x.shape)} apart from dimension {dim}"
        )
    check_index_range(index, x.shape[dim], dim, op)
    return dim, index


def check_index_range(index: Any, size: int, dim: int, op: str) -> None:
    """RuntimeError naming the first value of ``index`` outside [0, size)."""
    if index.size == 0:
        return
    low, high = int(index.min()), int(index.max())
    if low < 0 or high >= size:
        raise RuntimeError(
            f"{op}: index {low if low < 0 else high} is out of bounds for dimension {dim} "
            f"with size {size}"
        )


def along_dim_grid(index: Any, dim: int) -> tuple[Any, ...]:
    """The advanced index that pairs ``index`` with the positions of its other dimensions:
    x[along_dim_grid(index, 1)][i][j] = x[i][index[i][j]] (gather's and scatter's places)."""
    grid = list(get_array_module(index).indices(index.shape, sparse=True))
    grid[dim] = index
    return tuple(grid)
