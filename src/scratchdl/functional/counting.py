"""Scans and counts: cumsum and cumprod (differentiable), and unique, bincount, nonzero,
count_nonzero (integer results, no gradient).

Integer and bool inputs of a scan accumulate in int64, as torch's do (``dtype=`` casts the
input first).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scratchdl.autograd import Function, Tensor, as_tensor, wrap
from scratchdl.autograd import dtype as dtypes
from scratchdl.backend import get_array_module
from scratchdl.functional.math import where
from scratchdl.functional.reduce import _dims, _sum_dtype
from scratchdl.functional.shape import reshape
from scratchdl.functional.sorting import at_least_1d


class CumSum(Function):
    """yᵢ = Σ_{j≤i} xⱼ along ``dim`` (with ``reverse``, yᵢ = Σ_{j≥i} xⱼ);
    ∂L/∂xⱼ = Σ_{i≥j} gyᵢ: the gradient is the cumulative sum in the other direction."""

    def __init__(self, dim: int, reverse: bool = False) -> None:
        self.dim, self.reverse = dim, reverse

    def forward(self, x):
        xp = get_array_module(x)
        if not self.reverse:
            return xp.cumsum(x, axis=self.dim)
        return xp.flip(xp.cumsum(xp.flip(x, axis=self.dim), axis=self.dim), axis=self.dim)

    def backward(self, gy):
        return CumSum(self.dim, not self.reverse)(gy)


class CumProd(Function):
    """yᵢ = Π_{j≤i} xⱼ along ``dim``;  ∂L/∂xₖ = Σ_{i≥k} gyᵢ · Π_{j≤i, j≠k} xⱼ.

    Before a lane's first zero, that is Σ_{i≥k} gyᵢ · yᵢ / xₖ. At its first zero z, the
    products leave x_z out: they are the cumulative products y' of x with x_z set to 1,
    giving Σ_{i≥z} gyᵢ · y'ᵢ. After z every product holds x_z = 0: the gradient is 0.
    So no rule divides by zero."""

    uses_output = True

    def __init__(self, dim: int) -> None:
        self.dim = dim

    def forward(self, x):
        return get_array_module(x).cumprod(x, axis=self.dim)

    def backward(self, gy):
        x, y, dim = self.inputs[0], self.output, self.dim
        is_zero = x.data == 0
        zeros_so_far = get_array_module(is_zero).cumsum(is_zero, axis=dim)
        before_zero = zeros_so_far == 0
        gx = CumSum(dim, reverse=True)(gy * y) / where(before_zero, x, 1)
        if before_zero.all():
            return gx
        first_zero = is_zero & (zeros_so_far == 1)
        y_without_zero = CumProd(dim)(where(first_zero, 1, x))
        gx_at_zero = CumSum(dim, reverse=True)(gy * y_without_zero)
        return where(before_zero, gx, where(first_zero, gx_at_zero, 0))


def _scan(cls: type[Function], x: Any, dim: int, dtype: Any, op: str) -> Tensor:
    """``cls(dim)`` applied to x (cast to its accumulation dtype) along ``dim``."""
    x = _sum_dtype(as_tensor(x), dtype)
    vectors, dim = at_least_1d(x, dim, op)
    return reshape(cls(dim)(vectors), x.shape)


def cumsum(x: Any, dim: int, *, dtype: Any = None) -> Tensor:
    """The cumulative sum along ``dim``: yᵢ = x₀ + … + xᵢ."""
    return _scan(CumSum, x, dim, dtype, "cumsum")


def cumprod(x: Any, dim: int, *, dtype: Any = None) -> Tensor:
    """The cumulative product along ``dim``: yᵢ = x₀ · … · xᵢ (gradients exact at zeros)."""
    return _scan(CumProd, x, dim, dtype, "cumprod")


def unique(
    x: Any,
    sorted: bool = True,
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: int | None = None,
) -> Any:
    """The distinct elements of x, ascending (also when ``sorted=False``; NaNs are not
    merged), as a 1-d tensor; with ``return_inverse``, also where each element of x is in
    it (x's shape), with ``return_counts``, how often each occurs (both int64)."""
    if dim is not None:
        raise NotImplementedError(
            f"unique: dim={dim} (unique slices along a dimension) is not supported; "
            "scratchdl's unique works on all elements (dim=None)"
        )
    x = as_tensor(x)
    xp = get_array_module(x.data)
    values, inverse, counts = xp.unique(
        x.data.reshape(-1), return_inverse=True, return_counts=True, equal_nan=False
    )
    results = [wrap(values)]
    if return_inverse:
        results.append(wrap(inverse.reshape(x.shape).astype(dtypes.int64)))
    if return_counts:
        results.append(wrap(counts.astype(dtypes.int64)))
    return tuple(results) if len(results) > 1 else results[0]


def bincount(x: Any, weights: Any = None, minlength: int = 0) -> Tensor:
    """How often each value 0, 1, …, max(x) occurs in the 1-d non-negative integer tensor
    x (at least ``minlength`` counts): int64; with ``weights``, the sum of the weights of
    each value's elements, float32 for float32 weights, else float64 (as torch)."""
    x = as_tensor(x)
    if x.dtype.kind not in "iu":
        raise NotImplementedError(f"bincount: not implemented for {x.dtype} (needs integers)")
    if x.ndim != 1 or (x.numel() > 0 and bool(x.data.min() < 0)):
        raise RuntimeError(
            "bincount only supports 1-d non-negative integral inputs; got a tensor of shape "
            f"{tuple(x.shape)} with minimum {x.data.min() if x.numel() else None}"
        )
    if minlength < 0:
        raise RuntimeError(f"bincount: minlength should be >= 0, got {minlength}")
    xp = get_array_module(x.data)
    if weights is None:
        return wrap(xp.bincount(x.data, minlength=minlength).astype(dtypes.int64))
    weights = as_tensor(weights)
    if weights.shape != x.shape:
        raise RuntimeError(
            "bincount: weights should be 1-d and have the same length as input: got weights "
            f"of shape {tuple(weights.shape)} for input of shape {tuple(x.shape)}"
        )
    dtype = dtypes.float32 if weights.dtype == dtypes.float32 else dtypes.float64
    sums = xp.bincount(x.data, weights=weights.data.astype(dtypes.float64), minlength=minlength)
    return wrap(sums.astype(dtype))


def nonzero(x: Any, *, as_tuple: bool = False) -> Any:
    """The indices of the nonzero elements of x: an int64 tensor of shape (count, x.ndim),
    one row per element; with ``as_tuple``, one 1-d tensor per dimension (a 0-d x counts
    as 1-d)."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    if as_tuple:
        return tuple(wrap(i.astype(dtypes.int64)) for i in xp.nonzero(xp.atleast_1d(x.data)))
    return wrap(xp.argwhere(x.data).astype(dtypes.int64))


def count_nonzero(x: Any, dim: int | Sequence[int] | None = None) -> Tensor:
    """How many elements of x are nonzero over ``dim`` (an int, a tuple, or None for all):
    int64."""
    data = as_tensor(x).data
    data = data.reshape(-1) if data.ndim == 0 else data
    xp = get_array_module(data)
    dims = _dims(dim, data.ndim, "count_nonzero")
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"count_nonzero: dim {dim} names a dimension more than once")
    counts = (data != 0).sum(axis=dims)
    return wrap(xp.asarray(counts, dtype=dtypes.int64))
