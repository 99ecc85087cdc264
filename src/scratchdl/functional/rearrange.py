"""Rearranging values: flip, roll, the triangles tril and triu, diagonal and diag.

Each moves or masks values without computing new ones, so each backward applies the
reverse move to the gradient: flip it back, roll it back, mask it the same way, put it
back on the diagonal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scratchdl.autograd import Function, Tensor, as_tensor
from scratchdl.autograd.tensor import checked_dim
from scratchdl.backend import get_array_module


class Flip(Function):
    """y = x reversed along ``dims`` (a copy);  the gradient is gy reversed the same way."""

    def __init__(self, dims: tuple[int, ...]) -> None:
        self.dims = dims

    def forward(self, x):
        return get_array_module(x).flip(x, self.dims).copy()

    def backward(self, gy):
        return Flip(self.dims)(gy)


class Roll(Function):
    """y = x shifted cyclically by ``shifts`` along ``dims`` (all elements, flattened, when
    dims is None);  the gradient is gy shifted back by −shifts."""

    def __init__(self, shifts: tuple[int, ...], dims: tuple[int, ...] | None) -> None:
        self.shifts, self.dims = shifts, dims

    def forward(self, x):
        shifts = self.shifts[0] if self.dims is None else self.shifts
        return get_array_module(x).roll(x, shifts, self.dims)

    def backward(self, gy):
        return Roll(tuple(-s for s in self.shifts), self.dims)(gy)


class Triangle(Function):
    """y = the lower (tril) or upper (triu) triangle of the last two dimensions of x, on and
    below (above) diagonal k, the rest 0;  the gradient is gy's same triangle."""

    def __init__(self, upper: bool, diagonal: int) -> None:
        self.upper, self.diagonal = upper, diagonal

    def forward(self, x):
        xp = get_array_module(x)
        return (xp.triu if self.upper else xp.tril)(x, self.diagonal)

    def backward(self, gy):
        return Triangle(self.upper, self.diagonal)(gy)


class Diagonal(Function):
    """y = the diagonal ``offset`` of the matrices in dimensions dim1 and dim2 of x, as the
    last dimension of y;  the gradient puts gy back on that diagonal of zeros."""

    def __init__(self, offset: int, dim1: int, dim2: int) -> None:
        self.offset, self.dim1, self.dim2 = offset, dim1, dim2

    def forward(self, x):
        return get_array_module(x).diagonal(x, self.offset, self.dim1, self.dim2).copy()

    def backward(self, gy):
        return DiagonalEmbed(self.offset, self.dim1, self.dim2, self.inputs[0].shape)(gy)


class DiagonalEmbed(Function):
    """y = zeros of ``shape`` with x (whose last dimension runs along the diagonal) written on
    diagonal ``offset`` of dimensions dim1 and dim2: Diagonal's adjoint, whose gradient is
    the Diagonal of gy."""

    def __init__(self, offset: int, dim1: int, dim2: int, shape: tuple[int, ...]) -> None:
        self.offset, self.dim1, self.dim2, self.shape = offset, dim1, dim2, shape

    def forward(self, x):
        xp = get_array_module(x)
        y = xp.zeros(self.shape, dtype=x.dtype)
        matrices = xp.moveaxis(y, (self.dim1, self.dim2), (-2, -1))  # a view of y
        steps = xp.arange(x.shape[-1])
        matrices[..., steps + max(-self.offset, 0), steps + max(self.offset, 0)] = x
        return y

    def backward(self, gy):
        return Diagonal(self.offset, self.dim1, self.dim2)(gy)


def flip(input: Any, dims: int | Sequence[int]) -> Tensor:
    """x with the order of its elements reversed along each dimension in ``dims``."""
    x = as_tensor(input)
    dims = _distinct_dims((dims,) if isinstance(dims, int) else tuple(dims), x.ndim, "flip")
    return Flip(dims)(x) if dims else x.clone()


def roll(
    input: Any, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None
) -> Tensor:
    """x shifted cyclically: element i along dims[k] moves to i + shifts[k] (mod its size);
    with dims None the flattened x is rolled and reshaped back."""
    x = as_tensor(input)
    shifts = (shifts,) if isinstance(shifts, int) else tuple(int(s) for s in shifts)
    if dims is not None:
        dims = (dims,) if isinstance(dims, int) else tuple(dims)
        dims = tuple(checked_dim(d, x.ndim, "roll") for d in dims)
    if not shifts:
        raise RuntimeError("roll: shifts required")
    if len(shifts) != (1 if dims is None else len(dims)):
        raise RuntimeError(
            f"roll: shifts and dimensions must align, got {len(shifts)} shifts and "
            f"{'no' if dims is None else len(dims)} dims"
        )
    return Roll(shifts, dims)(x)


def tril(input: Any, diagonal: int = 0) -> Tensor:
    """The lower triangle of x's last two dimensions: y[..., i, j] = x[..., i, j] where
    j − i <= diagonal, else 0."""
    return Triangle(False, diagonal)(_matrices(input, "tril"))


def triu(input: Any, diagonal: int = 0) -> Tensor:
    """The upper triangle of x's last two dimensions: y[..., i, j] = x[..., i, j] where
    j − i >= diagonal, else 0."""
    return Triangle(True, diagonal)(_matrices(input, "triu"))


def diagonal(input: Any, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The elements x[..., i, i + offset] of the matrices in dimensions dim1 and dim2 (a
    negative offset is below the main diagonal), as the last dimension of the result."""
    x = as_tensor(input)
    dim1, dim2 = _distinct_dims((dim1, dim2), x.ndim, "diagonal")
    return Diagonal(offset, dim1, dim2)(x)


def diag(input: Any, diagonal: int = 0) -> Tensor:
    """A vector's square matrix, zero except the vector on diagonal ``diagonal``; or a
    matrix's diagonal ``diagonal`` as a vector."""
    x = as_tensor(input)
    if x.ndim == 2:
        return Diagonal(diagonal, 0, 1)(x)
    if x.ndim != 1:
        raise RuntimeError(f"diag: supports 1-d or 2-d tensors, got {x.ndim}-d")
    size = x.shape[0] + abs(diagonal)
    return DiagonalEmbed(diagonal, 0, 1, (size, size))(x)


def _matrices(input: Any, op: str) -> Tensor:
    x = as_tensor(input)
    if x.ndim < 2:
        raise RuntimeError(f"{op}: input tensor must have at least 2 dimensions, got {x.ndim}")
    return x


def _distinct_dims(dims: tuple[int, ...], ndim: int, op: str) -> tuple[int, ...]:
    """``dims`` made non-negative; IndexError out of range, RuntimeError for a repeat."""
    dims = tuple(checked_dim(d, ndim, op) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"{op}: dims {list(dims)} name a dimension more than once")
    return dims
