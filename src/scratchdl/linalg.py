"""``torch.linalg``'s norms: ``vector_norm``, ``matrix_norm`` (Frobenius) and ``norm``.

They build on ``F.norm`` (the p-norms) and ``amin``, compositions of differentiable
functions, so their gradients come from those.
"""

from __future__ import annotations

import math
from typing import Any

from scratchdl.autograd import Tensor, as_tensor, wrap
from scratchdl.functional import abs, amin
from scratchdl.functional import norm as norm_over
from scratchdl.functional.reduce import Dim


def vector_norm(
    x: Any, ord: float = 2, dim: Dim = None, keepdim: bool = False, *, dtype: Any = None
) -> Tensor:
    """‖x‖_ord over ``dim`` (every element when None), as ``torch.linalg.vector_norm``:
    (Σ |x|^ord)^(1/ord); ord inf the largest |x|, −inf the smallest, 0 the count of
    nonzero elements. Floating inputs only."""
    x = as_tensor(x)
    if dtype is not None:
        x = x.to(dtype)
    if x.dtype.kind not in "fc":
        raise RuntimeError(
            f"linalg.vector_norm: expected a floating point or complex tensor as input, got "
            f"{x.dtype}"
        )
    if ord == -math.inf:
        return amin(abs(x), () if dim is None else dim, keepdim)
    if ord == 0:
        return wrap((x.data != 0).sum(axis=dim, keepdims=keepdim).astype(x.dtype))
    return norm_over(x, ord, dim, keepdim)  # the p-norms, inf included


def matrix_norm(
    A: Any, ord: str = "fro", dim: tuple[int, int] = (-2, -1), keepdim: bool = False
) -> Tensor:
    """The Frobenius norm √(Σ |a_ij|²) over the two axes ``dim``, as
    ``torch.linalg.matrix_norm``; other ``ord`` values raise NotImplementedError."""
    A = as_tensor(A)
    if ord != "fro":
        raise NotImplementedError(f"linalg.matrix_norm: ord={ord!r} is not supported (only 'fro')")
    if A.ndim < 2:
        raise RuntimeError(
            f"linalg.matrix_norm: the input must have at least 2 dimensions, got shape "
            f"{tuple(A.shape)}"
        )
    return vector_norm(A, 2, tuple(dim), keepdim)


def norm(
    A: Any, ord: Any = None, dim: Dim = None, keepdim: bool = False, *, dtype: Any = None
) -> Tensor:
    """``torch.linalg.norm``: with ``ord`` None the 2-norm of the flattened input (or over
    ``dim``); otherwise a matrix norm over two dimensions (``ord`` a string, or any ``ord``
    of a matrix without ``dim``) or a vector norm over one."""
    A = as_tensor(A)
    over_matrix = isinstance(dim, (tuple, list)) and len(dim) == 2
    if ord is not None and (isinstance(ord, str) or over_matrix or (dim is None and A.ndim > 1)):
        return matrix_norm(A, ord, (-2, -1) if dim is None else tuple(dim), keepdim)
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
