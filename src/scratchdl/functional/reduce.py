"""Reductions over dimensions: sum, mean, var, std, prod, max, min, logsumexp, norm, and
the index and logical reductions (argmax, all, any) that carry no gradient.

``dim`` is None (every dimension), an int or a tuple of ints; ``keepdim=True`` keeps the
reduced dimensions with length 1. NumPy's names ``axis`` and ``keepdims`` are accepted too.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from scratchdl import return_types
from scratchdl.autograd import Function, Tensor, as_tensor, wrap
from scratchdl.autograd import dtype as dtypes
from scratchdl.autograd.mode import is_grad_enabled
from scratchdl.autograd.tensor import checked_dim
from scratchdl.backend import get_array_module
from scratchdl.functional.convert import cast
from scratchdl.functional.math import abs, maximum, minimum, sqrt
from scratchdl.functional.shape import broadcast_to, gather, reshape, squeeze

Dim = int | Sequence[int] | None


def _dims(dim: Dim, ndim: int, op: str) -> tuple[int, ...]:
    """``dim`` as a sorted tuple of non-negative dimensions (all of them for None or ())."""
    if dim is None or (not isinstance(dim, int) and len(dim) == 0):
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    return tuple(sorted(checked_dim(d, ndim, op) for d in dims))


def _aliases(op: str, dim: Any, keepdim: Any, axis: Any, keepdims: Any) -> tuple[Any, bool]:
    """(dim, keepdim) from torch's names or NumPy's (``axis``, ``keepdims``)."""
    if axis is not None:
        if dim is not None:
            raise TypeError(f"{op}: pass dim or axis, not both")
        dim = axis
    return dim, bool(keepdim if keepdims is None else keepdims)


def _keepdim_shape(shape: tuple[int, ...], dims: tuple[int, ...]) -> tuple[int, ...]:
    """``shape`` with each reduced dimension kept as length 1."""
    return tuple(1 if i in dims else n for i, n in enumerate(shape))


def _count(shape: tuple[int, ...], dims: tuple[int, ...]) -> int:
    """How many elements a reduction over ``dims`` combines into each output."""
    return math.prod(shape[d] for d in dims)


def _spread(gy: Tensor, x_shape: tuple[int, ...], dims: tuple[int, ...]) -> Tensor:
    """Broadcast the gradient of a reduction back over the dimensions it reduced."""
    if len(dims) < len(x_shape):  # a full reduction's gradient broadcasts as it is
        gy = reshape(gy, _keepdim_shape(x_shape, dims))
    return broadcast_to(gy, x_shape)


def _spread_array(gy: Any, x_shape: tuple[int, ...], dims: tuple[int, ...]) -> Any:
    """``_spread`` on arrays: a read-only broadcast view, no copy."""
    xp = get_array_module(gy)
    return xp.broadcast_to(gy.reshape(_keepdim_shape(x_shape, dims)), x_shape)


class Reduction(Function):
    """Base of reductions: holds the normalized dimensions and ``keepdim``."""

    def __init__(self, dims: tuple[int, ...], keepdim: bool) -> None:
        self.dims, self.keepdim = dims, keepdim


class Sum(Reduction):
    """y = Σ x over dims;  ∂y/∂x = 1 for every summed element."""

    def forward(self, x):
        return x.sum(axis=self.dims, keepdims=self.keepdim)

    def backward(self, gy):
        return _spread(gy, self.inputs[0].shape, self.dims)

    def backward_arrays(self, gy):
        return _spread_array(gy, self.inputs[0].shape, self.dims)


class Mean(Reduction):
    """y = (1/n) Σ x over dims;  ∂y/∂x = 1/n."""

    def forward(self, x):
        return x.mean(axis=self.dims, keepdims=self.keepdim)

    def backward(self, gy):
        x = self.inputs[0]
        return _spread(gy, x.shape, self.dims) / _count(x.shape, self.dims)

    def backward_arrays(self, gy):
        x = self.inputs[0]
        return _spread_array(gy / _count(x.shape, self.dims), x.shape, self.dims)


class Extremum(Reduction):
    """y = max or min of x over dims; the gradient is shared among the tied extreme
    elements (torch's amax/amin)."""

    uses_output = True

    def backward(self, gy):
        x = self.inputs[0]
        y = self.output.data.reshape(_keepdim_shape(x.shape, self.dims))
        is_extreme = self.selects(x.data, y)
        share = is_extreme / is_extreme.sum(axis=self.dims, keepdims=True)
        return _spread(gy, x.shape, self.dims) * wrap(share.astype(x.dtype))

    def selects(self, x: Any, y: Any) -> Any:
        """Where the elements of x are tied with the result y (y broadcast as x)."""
        return x == y


class Amax(Extremum):
    """y = max of x over dims."""

    def forward(self, x):
        return x.max(axis=self.dims, keepdims=self.keepdim)


class Amin(Extremum):
    """y = min of x over dims."""

    def forward(self, x):
        return x.min(axis=self.dims, keepdims=self.keepdim)


class LogSumExp(Reduction):
    """y = log Σ exp(x) over dims, computed as m + log Σ exp(x − m) with m = max(x);
    ∂y/∂x = exp(x − y) = softmax(x)."""

    uses_output = True

    def forward(self, x):
        xp = get_array_module(x)
        m = x.max(axis=self.dims, keepdims=True)
        m = xp.where(xp.isfinite(m), m, 0)
        with np.errstate(divide="ignore"):  # all −∞ along a dim: the answer is −∞
            y = m + xp.log(xp.exp(x - m).sum(axis=self.dims, keepdims=True))
        return y if self.keepdim else y.squeeze(self.dims)

    def backward(self, gy):
        x = self.inputs[0]
        y = reshape(self.output, _keepdim_shape(x.shape, self.dims))
        return _spread(gy, x.shape, self.dims) * (x - y).exp()


class Prod(Reduction):
    """y = Π x along one dim;  ∂y/∂xᵢ = Π_{j≠i} xⱼ, the product of the others, computed
    from exclusive cumulative products on both sides (exact where some xⱼ = 0)."""

    def forward(self, x):
        return x.prod(axis=self.dims, keepdims=self.keepdim)

    def backward(self, gy):
        x = self.inputs[0]
        (d,) = self.dims
        xp = get_array_module(x.data)
        ones = xp.ones_like(xp.take(x.data, [0], axis=d))
        before = xp.cumprod(xp.concatenate([ones, x.data], axis=d), axis=d)
        after = xp.flip(xp.cumprod(xp.flip(xp.concatenate([x.data, ones], axis=d), d), axis=d), d)
        length = x.shape[d]
        others = xp.take(before, range(length), axis=d) * xp.take(
            after, range(1, length + 1), axis=d
        )
        if is_grad_enabled():  # create_graph: ``others`` would be a constant, wrongly
            raise RuntimeError("prod: second derivatives (create_graph=True) are not supported")
        return _spread(gy, x.shape, self.dims) * wrap(others)


def _reduce(cls: type[Reduction], x: Any, dim: Dim, keepdim: bool, op: str) -> Tensor:
    x = as_tensor(x)
    return cls(_dims(dim, x.ndim, op), keepdim)(x)


def _sum_dtype(x: Tensor, dtype: Any) -> Tensor:
    """x in the dtype a sum accumulates in: ``dtype`` if given; int64 for integers and bools."""
    if dtype is not None:
        return cast(x, dtype)
    return cast(x, dtypes.int64) if x.dtype.kind in "biu" else x


def sum(
    x: Any,
    dim: Dim = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
    axis: Dim = None,
    keepdims: bool | None = None,
) -> Tensor:
    """Σ x over ``dim`` (integers and bools sum as int64)."""
    dim, keepdim = _aliases("sum", dim, keepdim, axis, keepdims)
    return _reduce(Sum, _sum_dtype(as_tensor(x), dtype), dim, keepdim, "sum")


def mean(
    x: Any,
    dim: Dim = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
    axis: Dim = None,
    keepdims: bool | None = None,
) -> Tensor:
    """The arithmetic mean over ``dim``. Integer tensors need ``dtype`` (or ``.float()``),
    as in torch."""
    dim, keepdim = _aliases("mean", dim, keepdim, axis, keepdims)
    x = as_tensor(x) if dtype is None else cast(as_tensor(x), dtype)
    if x.dtype.kind not in "fc":
        raise RuntimeError(
            f"mean: could not infer the output dtype: the input is {x.dtype}; mean needs a "
            "floating-point tensor (convert with .float(), or pass dtype=)"
        )
    return _reduce(Mean, x, dim, keepdim, "mean")


def var(
    x: Any,
    dim: Dim = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: float | None = None,
    axis: Dim = None,
    keepdims: bool | None = None,
    ddof: float | None = None,
) -> Tensor:
    """Variance Σ (x − mean)² / (n − correction) over ``dim``: unbiased (correction 1) by
    default, as torch; ``unbiased=False``, ``correction=0`` or NumPy's ``ddof=0`` for the
    population variance."""
    dim, keepdim = _aliases("var", dim, keepdim, axis, keepdims)
    x = as_tensor(x)
    dims = _dims(dim, x.ndim, "var")
    correction = _correction(unbiased, correction, ddof)
    count = _count(x.shape, dims)
    centered = x - mean(x, dims, keepdim=True)
    return sum(centered * centered, dims, keepdim=keepdim) / builtins.max(count - correction, 0)


def std(
    x: Any,
    dim: Dim = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: float | None = None,
    axis: Dim = None,
    keepdims: bool | None = None,
    ddof: float | None = None,
) -> Tensor:
    """Standard deviation √var over ``dim``, unbiased by default (see ``var``)."""
    return sqrt(
        var(x, dim, unbiased, keepdim, correction=correction, axis=axis, keepdims=keepdims,
            ddof=ddof)
    )  # fmt: skip


def _correction(unbiased: bool | None, correction: float | None, ddof: float | None) -> float:
    """The divisor's correction from torch's ``correction``/``unbiased`` or NumPy's ``ddof``."""
    if correction is not None:
        return correction
    if ddof is not None:
        return ddof
    return 0 if unbiased is False else 1


def prod(x: Any, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Π x over ``dim`` (every element when None)."""
    x = _sum_dtype(as_tensor(x), dtype)
    if dim is None:
        return _reduce(Prod, reshape(x, -1), 0, False, "prod")
    return _reduce(Prod, x, dim, keepdim, "prod")


def amax(x: Any, dim: Dim = (), keepdim: bool = False) -> Tensor:
    """The maximum over ``dim`` (all by default); ties share the gradient."""
    return _reduce(Amax, x, dim, keepdim, "amax")


def amin(x: Any, dim: Dim = (), keepdim: bool = False) -> Tensor:
    """The minimum over ``dim`` (all by default); ties share the gradient."""
    return _reduce(Amin, x, dim, keepdim, "amin")


def max(x: Any, dim: Any = None, keepdim: bool = False) -> Any:
    """torch.max: the largest element as a 0-d tensor; with ``dim``, the named tuple
    (values, indices) along it (the gradient goes to the first maximum); with a tensor
    in place of ``dim``, the elementwise maximum."""
    return _extreme(x, dim, keepdim, amax, argmax, "max")


def min(x: Any, dim: Any = None, keepdim: bool = False) -> Any:
    """torch.min: as ``max``, for the smallest elements."""
    return _extreme(x, dim, keepdim, amin, argmin, "min")


def _extreme(x: Any, dim: Any, keepdim: bool, whole: Any, arg: Any, op: str) -> Any:
    if isinstance(dim, Tensor):
        return (maximum if op == "max" else minimum)(x, dim)
    if dim is None:
        return whole(x)
    if not isinstance(dim, int):
        raise TypeError(f"{op}: dim must be an int (or a tensor to compare with), got {dim!r}")
    x = as_tensor(x)
    indices = arg(x, dim, keepdim=True)
    values = gather(x, dim, indices)
    if not keepdim:
        values, indices = squeeze(values, dim), squeeze(indices, dim)
    return getattr(return_types, op)(values, indices)


def logsumexp(x: Any, dim: Dim = None, keepdim: bool = False) -> Tensor:
    """log Σ exp(x) over ``dim``, stable for large inputs."""
    return _reduce(LogSumExp, x, dim, keepdim, "logsumexp")


def norm(x: Any, p: Any = "fro", dim: Dim = None, keepdim: bool = False) -> Tensor:
    """The p-norm over ``dim`` (all elements by default): (Σ |x|ᵖ)^(1/p); 'fro' and 2 the
    Euclidean norm, inf the largest |x|."""
    x = as_tensor(x)
    if p in ("fro", 2):
        return sqrt(sum(x * x, dim, keepdim))
    if p in (float("inf"), "inf"):
        return amax(abs(x), () if dim is None else dim, keepdim)
    if p == 1:
        return sum(abs(x), dim, keepdim)
    return sum(abs(x) ** p, dim, keepdim) ** (1 / p)


def argmax(
    x: Any, dim: int | None = None, keepdim: bool = False, *, axis: int | None = None
) -> Tensor:
    """Index of the maximum along ``dim`` (of the flattened tensor when None); int64."""
    x = as_tensor(x)
    return wrap(x.data.argmax(axis=dim if axis is None else axis, keepdims=keepdim))


def argmin(
    x: Any, dim: int | None = None, keepdim: bool = False, *, axis: int | None = None
) -> Tensor:
    """Index of the minimum along ``dim`` (of the flattened tensor when None); int64."""
    x = as_tensor(x)
    return wrap(x.data.argmin(axis=dim if axis is None else axis, keepdims=keepdim))


def all(x: Any, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Whether every element (along ``dim``) is nonzero: bool (uint8 for uint8, as torch)."""
    x = as_tensor(x)
    return _logical(x, x.data.all(axis=dim, keepdims=keepdim))


def any(x: Any, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Whether some element (along ``dim``) is nonzero: bool (uint8 for uint8, as torch)."""
    x = as_tensor(x)
    return _logical(x, x.data.any(axis=dim, keepdims=keepdim))


def _logical(x: Tensor, result: Any) -> Tensor:
    """``all``/``any``'s result in torch's dtype: uint8 for a uint8 input, else bool."""
    dtype = dtypes.uint8 if x.dtype == dtypes.uint8 else dtypes.bool_
    return wrap(get_array_module(x.data).asarray(result, dtype=dtype))
