"""Indexing along a dimension: index_select, scatter, scatter_add, index_add, narrow and
repeat_interleave, as torch has them.

Each is an index into x (or into zeros shaped like x), so each reuses the Functions of
``x[index]``: selecting is GetItem (the gradient adds back at the selected places),
writing is IndexPut (the gradient of the overwritten places is zero), adding is
ScatterAdd (the gradient gathers back). The index arrays are moved to x's device first.
"""

from __future__ import annotations

from typing import Any

from scratchdl.autograd import Tensor, as_tensor, wrap
from scratchdl.autograd import dtype as dtypes
from scratchdl.autograd.tensor import checked_dim
from scratchdl.backend import get_array_module, to_device
from scratchdl.functional.shape import (
    IndexPut,
    ScatterAdd,
    along_dim_grid,
    check_index_range,
    flatten,
    getitem,
    index_along_dim,
    reshape,
)

INDEX_DTYPES = (dtypes.int32, dtypes.int64)


def index_select(input: Any, dim: int, index: Any) -> Tensor:
    """The slices of x along ``dim`` at the positions in ``index`` (a vector of int32 or
    int64): y.select(dim, i) = x.select(dim, index[i]). Repeated positions get their
    gradients added. IndexError for an index out of range, as torch."""
    x = as_tensor(input)
    if x.ndim == 0:
        return reshape(index_select(reshape(x, 1), 0, index), ())
    dim = checked_dim(dim, x.ndim, "index_select")
    positions = _vector_index(x, index, "index_select")
    try:
        check_index_range(positions, x.shape[dim], dim, "index_select")
    except RuntimeError as error:
        raise IndexError(f"{error} (index out of range in self)") from None
    return getitem(x, (slice(None),) * dim + (positions,))


def scatter(
    input: Any,
    dim: int,
    index: Any,
    src: Any = None,
    value: Any = None,
    *,
    reduce: str | None = None,
) -> Tensor:
    """x with the values of ``src`` (or the number ``value``) written along ``dim`` at
    ``index``: y[i][index[i][j]] = src[i][j] for dim 1; only src's leading block of
    index's shape is used. ∂y/∂x is 1 except at the written places (0); ∂y/∂src gathers
    gy back from them."""
    x = as_tensor(input)
    if reduce is not None:
        raise NotImplementedError(f"scatter: reduce={reduce!r} is not implemented, only None")
    if (src is None) == (value is None):
        raise TypeError("scatter: give exactly one of src (a tensor) or value (a number)")
    dim, index = index_along_dim(x, dim, index, "scatter")
    source = src if src is not None else value
    if isinstance(source, Tensor):
        values = _source_block(x, index, source, "scatter")
    else:
        values = wrap(get_array_module(x.data).asarray(source, dtype=x.dtype))
    return IndexPut(along_dim_grid(index, dim))(x, values)


def scatter_add(input: Any, dim: int, index: Any, src: Tensor) -> Tensor:
    """x with the values of ``src`` added along ``dim`` at ``index`` (repeated places
    accumulate): y[i][index[i][j]] += src[i][j] for dim 1. ∂y/∂x = 1; ∂y/∂src gathers
    gy back from the places."""
    x = as_tensor(input)
    if not isinstance(src, Tensor):
        raise TypeError(f"scatter_add: src must be a Tensor, not {type(src).__name__}")
    dim, index = index_along_dim(x, dim, index, "scatter_add")
    values = _source_block(x, index, src, "scatter_add")
    return x + ScatterAdd(along_dim_grid(index, dim), x.shape)(values)


def index_add(input: Any, dim: int, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
    """x with alpha · source's slices added along ``dim`` at the positions in ``index``:
    y.select(dim, index[i]) += alpha · source.select(dim, i) (repeats accumulate).
    ∂y/∂x = 1; ∂y/∂source = alpha · gy selected at ``index``."""
    x, source = as_tensor(input), as_tensor(source)
    dim = checked_dim(dim, x.ndim, "index_add")
    positions = _vector_index(x, index, "index_add")
    _check_index_add_shapes(x, dim, positions, source)
    check_index_range(positions, x.shape[dim], dim, "index_add")
    scaled = source if alpha == 1 else source * alpha
    return x + ScatterAdd((slice(None),) * dim + (positions,), x.shape)(scaled)


def narrow(input: Any, dim: int, start: Any, length: int) -> Tensor:
    """The ``length`` slices of x along ``dim`` from ``start`` (negative counts from the
    end): x[..., start : start + length, ...]. IndexError for a start out of range,
    RuntimeError for a length that runs past the end."""
    x = as_tensor(input)
    if x.ndim == 0:
        raise RuntimeError("narrow: cannot be applied to a 0-dim tensor")
    dim = checked_dim(dim, x.ndim, "narrow")
    size, start = x.shape[dim], int(start)
    if not -size <= start <= size:
        raise IndexError(
            f"narrow: start {start} is out of range for dimension {dim} of size {size} "
            f"(expected {-size} to {size})"
        )
    if start < 0:
        start += size
    if length < 0:
        raise RuntimeError(f"narrow: length must be non-negative, got {length}")
    if start + length > size:
        raise RuntimeError(
            f"narrow: start ({start}) + length ({length}) exceeds dimension {dim}'s size ({size})"
        )
    return getitem(x, (slice(None),) * dim + (slice(start, start + length),))


def repeat_interleave(
    input: Any, repeats: Any = None, dim: int | None = None, *, output_size: int | None = None
) -> Tensor:
    """Each slice of x along ``dim`` repeated ``repeats`` times (an int, or a tensor with one
    count per slice), the copies next to each other: [a, b] → [a, a, b, b]. With dim None
    x is flattened first; with repeats None, x itself holds the counts of
    arange(len(x)). The gradient sums the copies of each slice."""
    if repeats is None:
        counts = as_tensor(input)
        positions = get_array_module(counts.data).arange(counts.numel())
        return repeat_interleave(wrap(positions), counts, 0, output_size=output_size)
    x = as_tensor(input)
    if dim is None:
        x, dim = flatten(x), 0
    dim = checked_dim(dim, x.ndim, "repeat_interleave")
    length = x.shape[dim] if x.ndim else 1
    xp = get_array_module(x.data)
    positions = xp.repeat(xp.arange(length), _repeat_counts(x, repeats, length))
    if output_size is not None and output_size != positions.size:
        raise RuntimeError(
            f"repeat_interleave: output_size {output_size} differs from the {positions.size} "
            "slices the repeats give"
        )
    return index_select(x, dim, wrap(positions))


def _repeat_counts(x: Tensor, repeats: Any, length: int) -> Any:
    """The repeat counts of repeat_interleave as an int or an int64 vector on x's device."""
    if not isinstance(repeats, Tensor):
        if int(repeats) < 0:
            raise RuntimeError(f"repeat_interleave: repeats must be non-negative, got {repeats}")
        return int(repeats)
    counts = to_device(repeats.data, x.device)
    if counts.dtype not in INDEX_DTYPES:
        raise RuntimeError(f"repeat_interleave: repeats must be int32 or int64, got {counts.dtype}")
    if counts.ndim > 1:
        raise RuntimeError(
            f"repeat_interleave: repeats must be a 0-dim or 1-dim tensor, got shape "
            f"{tuple(counts.shape)}"
        )
    if counts.size == 1:
        return _repeat_counts(x, int(counts.reshape(()).item()), length)
    if counts.size != length:
        raise RuntimeError(
            f"repeat_interleave: repeats must have the same size as input along dim, but got "
            f"{counts.size} repeats for {length} slices"
        )
    if counts.size and int(counts.min()) < 0:
        raise RuntimeError(f"repeat_interleave: repeats can not be negative, got {counts.tolist()}")
    return counts


def _vector_index(x: Tensor, index: Any, op: str) -> Any:
    """``index`` as a 1-d int32/int64 array on x's device (a 0-d one becomes length 1);
    IndexError for more dimensions, RuntimeError for another dtype, as torch."""
    positions = to_device(as_tensor(index).data, x.device)
    if positions.dtype not in INDEX_DTYPES:
        raise RuntimeError(f"{op}: expected an int32 or int64 index, got {positions.dtype}")
    if positions.ndim > 1:
        raise IndexError(
            f"{op}: index is supposed to be a vector, got shape {tuple(positions.shape)}"
        )
    return positions.reshape(-1)


def _check_index_add_shapes(x: Tensor, dim: int, positions: Any, source: Tensor) -> None:
    """RuntimeError unless source has x's dtype, x's shape apart from ``dim``, and one
    slice per position along ``dim``."""
    if source.dtype != x.dtype:
        raise RuntimeError(
            f"index_add: self ({x.dtype}) and source ({source.dtype}) must have the same dtype"
        )
    if source.ndim != x.ndim or any(
        n != m for d, (n, m) in enumerate(zip(source.shape, x.shape, strict=True)) if d != dim
    ):
        raise RuntimeError(
            f"index_add: source shape {tuple(source.shape)} must match self's shape "
            f"{tuple(x.shape)} apart from dimension {dim}"
        )
    if source.shape[dim] != positions.size:
        raise RuntimeError(
            f"index_add: the number of indices ({positions.size}) should equal "
            f"source.size({dim}) ({source.shape[dim]})"
        )


def _source_block(x: Tensor, index: Any, src: Tensor, op: str) -> Tensor:
    """src's leading block of index's shape, after torch's checks of src: x's dtype and
    at least index's size in every dimension."""
    if src.dtype != x.dtype:
        raise RuntimeError(
            f"{op}: expected self.dtype {x.dtype} to be equal to src.dtype {src.dtype}"
        )
    if src.ndim != index.ndim or any(n > m for n, m in zip(index.shape, src.shape, strict=True)):
        raise RuntimeError(
            f"{op}: index of shape {tuple(index.shape)} must be no larger than src of shape "
            f"{tuple(src.shape)}"
        )
    if tuple(src.shape) == tuple(index.shape):
        return src
    return getitem(src, tuple(slice(0, n) for n in index.shape))
