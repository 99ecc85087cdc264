"""Sorting and selection along a dimension: sort, argsort, topk, kthvalue, median.

Each finds *indices* on the raw arrays, then takes the values with ``gather``, so the
gradient of the values is scattered back to the elements they came from: ∂yᵢ/∂x_{index[i]}
= 1, and 0 for the elements not selected. (``median`` of a whole tensor differs, as in
torch: elements tied with the median share its gradient.)

The order is torch's: ascending, NaN after every number (descending: NaN first), ties in
their original order (every sort here is stable, which is also a valid ``stable=False``
sort). A 0-d tensor is treated as a vector of one element, with ``dim`` 0 or -1.
"""

from __future__ import annotations

from typing import Any

from scratchdl import return_types
from scratchdl.autograd import Tensor, as_tensor, wrap
from scratchdl.autograd import dtype as dtypes
from scratchdl.autograd.tensor import checked_dim
from scratchdl.backend import get_array_module
from scratchdl.functional.reduce import Extremum
from scratchdl.functional.shape import gather, reshape, squeeze
from scratchdl.return_types import ValuesIndices


def at_least_1d(x: Any, dim: int, op: str) -> tuple[Tensor, int]:
    """(x as a Tensor with at least one dimension, ``dim`` checked and non-negative): a
    0-d tensor becomes a vector of one element, as torch's operations along a dim treat it."""
    x = as_tensor(x)
    dim = checked_dim(dim, x.ndim, op)
    return (reshape(x, 1) if x.ndim == 0 else x), dim


def sort_indices(data: Any, dim: int, descending: bool = False) -> Any:
    """The int64 indices that sort the array ``data`` along ``dim``, stably, in torch's
    order. Descending: sort the reversed lanes stably and read the result backwards, so
    ties keep their original order and NaN comes first."""
    xp = get_array_module(data)
    if not descending:
        return xp.argsort(data, axis=dim, kind="stable").astype(dtypes.int64, copy=False)
    backwards = xp.argsort(xp.flip(data, axis=dim), axis=dim, kind="stable")
    return (data.shape[dim] - 1 - xp.flip(backwards, axis=dim)).astype(dtypes.int64, copy=False)


def _narrow(array: Any, dim: int, start: int, length: int) -> Any:
    """``array[..., start:start + length, ...]`` along ``dim``."""
    return array[(slice(None),) * dim + (slice(start, start + length),)]


def _pick(
    x: Tensor, dim: int, indices: Any, keepdim: bool, ndim: int, kind: type[ValuesIndices]
) -> ValuesIndices:
    """The named tuple ``kind`` (values of x at ``indices`` along ``dim``, the indices as a
    tensor), ``dim`` dropped unless ``keepdim``, and 0-d when the input (of ``ndim``
    dimensions) was."""
    values, indices = gather(x, dim, indices), wrap(indices)
    if ndim == 0:
        values, indices = reshape(values, ()), reshape(indices, ())
    elif not keepdim:
        values, indices = squeeze(values, dim), squeeze(indices, dim)
    return kind(values, indices)


def sort(x: Any, dim: int = -1, descending: bool = False, *, stable: bool = False) -> ValuesIndices:
    """The named tuple (values, indices): x sorted along ``dim``, and where each value was.
    Differentiable in the values (the gradient goes back to where each value came from).
    The sort is always stable, so ``stable=False`` gives torch's stable order too."""
    x = as_tensor(x)
    vectors, dim = at_least_1d(x, dim, "sort")
    indices = sort_indices(vectors.data, dim, descending)
    return _pick(vectors, dim, indices, keepdim=True, ndim=x.ndim, kind=return_types.sort)


def argsort(x: Any, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Tensor:
    """The int64 indices that sort x along ``dim`` (``sort(x, ...).indices``, always
    stable); no gradient."""
    x = as_tensor(x)
    vectors, dim = at_least_1d(x, dim, "argsort")
    return reshape(wrap(sort_indices(vectors.data, dim, descending)), x.shape)


def topk(x: Any, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> ValuesIndices:
    """The named tuple (values, indices) of the ``k`` largest elements along ``dim`` (the
    smallest when ``largest=False``), in sorted order. RuntimeError when k is not in
    [0, size of dim]. Differentiable in the values."""
    x = as_tensor(x)
    if x.dtype == dtypes.bool_:
        raise RuntimeError("topk: does not support bool tensors (as torch on the CPU)")
    vectors, dim = at_least_1d(x, dim, "topk")
    size = vectors.shape[dim]
    if not 0 <= k <= size:
        raise RuntimeError(
            f"topk: selected index k out of range: k={k} for dimension {dim} of size {size} "
            f"(input shape {tuple(x.shape)}); expected 0 <= k <= {size}"
        )
    indices = _narrow(sort_indices(vectors.data, dim, descending=largest), dim, 0, k)
    return _pick(vectors, dim, indices, keepdim=True, ndim=x.ndim, kind=return_types.topk)


def kthvalue(x: Any, k: int, dim: int = -1, keepdim: bool = False) -> ValuesIndices:
    """The named tuple (values, indices) of the k-th smallest element along ``dim``
    (k = 1 is the minimum; NaN counts as the largest). Differentiable in the values."""
    x = as_tensor(x)
    vectors, dim = _reducible(x, dim, "kthvalue")
    size = vectors.shape[dim]
    if not 1 <= k <= size:
        raise RuntimeError(
            f"kthvalue: selected number k out of range: k={k} for dimension {dim} of size "
            f"{size} (input shape {tuple(x.shape)}); expected 1 <= k <= {size}"
        )
    indices = _narrow(sort_indices(vectors.data, dim), dim, k - 1, 1)
    return _pick(vectors, dim, indices, keepdim, x.ndim, return_types.kthvalue)


def median(x: Any, dim: int | None = None, keepdim: bool = False) -> Any:
    """The lower median: the ⌊(n − 1)/2⌋-th smallest of n elements (NaN when there is a
    NaN). Without ``dim``, of all elements, a 0-d tensor whose gradient the elements equal
    to it share (NaN for an empty tensor); with ``dim``, the named tuple (values, indices)
    along it, the gradient going to the element at ``indices``."""
    x = as_tensor(x)
    if dim is None:
        if keepdim:
            raise TypeError("median: keepdim=True needs dim (the median of all elements is 0-d)")
        _refuse_bool(x, "median")
        return MedianOfAll(tuple(range(x.ndim)), False)(x)
    vectors, dim = _reducible(x, dim, "median")
    indices = median_indices(vectors.data, dim)
    return _pick(vectors, dim, indices, keepdim, x.ndim, return_types.median)


def median_indices(data: Any, dim: int) -> Any:
    """The index along ``dim`` of each lane's lower median (of its first NaN, if it has
    one), with ``dim`` kept as length 1."""
    xp = get_array_module(data)
    middle = _narrow(sort_indices(data, dim), dim, (data.shape[dim] - 1) // 2, 1)
    if data.dtype.kind not in "fc":
        return middle
    is_nan = xp.isnan(data)
    first_nan = is_nan.argmax(axis=dim, keepdims=True).astype(dtypes.int64, copy=False)
    return xp.where(is_nan.any(axis=dim, keepdims=True), first_nan, middle)


class MedianOfAll(Extremum):
    """y = the lower median of all elements of x; ∂y/∂xᵢ = 1/m for the m elements equal to
    y (NaNs, when y is NaN), 0 for the others (torch's rule)."""

    def forward(self, x):
        xp = get_array_module(x)
        if x.size == 0:
            return xp.asarray(xp.nan, dtype=x.dtype)
        flat = x.reshape(-1)
        return flat[median_indices(flat, 0)].reshape(())

    def selects(self, x, y):
        xp = get_array_module(x)
        return (x == y) | (xp.isnan(x) & xp.isnan(y))


def _refuse_bool(x: Tensor, op: str) -> None:
    """NotImplementedError for a bool tensor, as torch raises."""
    if x.dtype == dtypes.bool_:
        raise NotImplementedError(f"{op}: not implemented for bool tensors (as in torch)")


def _reducible(x: Tensor, dim: int, op: str) -> tuple[Tensor, int]:
    """``at_least_1d`` for a selection that reduces ``dim``: refuses bool tensors
    (NotImplementedError) and an empty ``dim`` (IndexError), as torch does."""
    _refuse_bool(x, op)
    vectors, dim = at_least_1d(x, dim, op)
    if vectors.shape[dim] == 0:
        raise IndexError(
            f"{op}: expected reduction dim {dim} to have non-zero size (input shape "
            f"{tuple(x.shape)})"
        )
    return vectors, dim
