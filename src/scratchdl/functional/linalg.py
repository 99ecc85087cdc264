"""Matrix products: matmul (batched, broadcasting), the fused affine map linear, and
dot, outer and addmm."""

from __future__ import annotations

from typing import Any

from scratchdl.autograd import Function, Tensor, as_tensor
from scratchdl.functional.math import operands
from scratchdl.functional.shape import reshape, sum_to, transpose


class MatMul(Function):
    """Y = A @ B for A (..., n, k), B (..., k, m);  ∂L/∂A = G @ Bᵀ, ∂L/∂B = Aᵀ @ G.

    Leading (batch) dimensions broadcast; their gradients are summed back to each input's
    shape.
    """

    def forward(self, a, b):
        return a @ b

    def backward(self, gy):
        a, b = self.inputs
        ga = sum_to(matmul(gy, transpose(b, -1, -2)), a.shape) if a.requires_grad else None
        gb = sum_to(matmul(transpose(a, -1, -2), gy), b.shape) if b.requires_grad else None
        return ga, gb


class Linear(Function):
    """y = x @ Wᵀ + b for x (N, in), W (out, in) — PyTorch's layout — and b (out,) or None.

    Fuses matmul, transpose and bias add into one Function (``linear_simple`` is the
    composition, and a test proves they agree):
        ∂L/∂x = G @ W,  ∂L/∂W = Gᵀ @ x,  ∂L/∂b = Σₙ G.
    """

    def forward(self, x, W, b=None):
        y = x @ W.T
        if b is not None:
            y += b
        return y

    def backward(self, gy):
        x, W, *bias = self.inputs
        gx = matmul(gy, W) if x.requires_grad else None  # skipped for input images
        gW = matmul(gy.T, x) if W.requires_grad else None
        return (gx, gW, gy.sum(dim=0)) if bias else (gx, gW)

    def backward_arrays(self, gy):
        x, W, *bias = self.inputs
        gx = gy @ W.data if x.requires_grad else None
        gW = _outer_or_matmul(gy.T, x.data) if W.requires_grad else None
        return (gx, gW, gy.sum(axis=0)) if bias else (gx, gW)


def _outer_or_matmul(a, b):
    """a @ b; for a batch of one (a: (m, 1), b: (1, k)) the broadcast product a · b, which
    skips the GEMM call's setup and runs about 3x faster at MNIST sizes."""
    return a * b if a.shape[-1] == 1 else a @ b


def matmul(a: Any, b: Any) -> Tensor:
    """Matrix product with NumPy's and torch's rules: 1-d operands are vectors, leading
    dimensions broadcast, dtypes promote.

    Raises RuntimeError naming both shapes when the inner dimensions differ.
    """
    a, b = operands(as_tensor(a), as_tensor(b))
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"matmul: both operands need at least 1 dimension, got shapes {tuple(a.shape)} "
            f"and {tuple(b.shape)}"
        )
    inner_b = b.shape[-2 if b.ndim > 1 else 0]
    if a.shape[-1] != inner_b:
        raise RuntimeError(
            f"matmul: shapes {tuple(a.shape)} and {tuple(b.shape)} cannot be multiplied: "
            f"{a.shape[-1]} (last dimension of the first) != {inner_b} "
            f"({'second-to-last' if b.ndim > 1 else 'only'} dimension of the second)"
        )
    if a.ndim == 1 or b.ndim == 1:  # vectors: promote to a row / column, then drop that axis
        y = matmul(reshape(a, 1, -1) if a.ndim == 1 else a, reshape(b, -1, 1) if b.ndim == 1 else b)
        dropped = {y.ndim - 2} if a.ndim == 1 else set()
        dropped |= {y.ndim - 1} if b.ndim == 1 else set()
        return reshape(y, tuple(n for i, n in enumerate(y.shape) if i not in dropped))
    return MatMul()(a, b)


mm = bmm = matmul


def linear(input: Any, weight: Any, bias: Any = None) -> Tensor:
    """The affine map y = x·Wᵀ + b with W of shape (out_features, in_features), as
    ``torch.nn.functional.linear``.

    x may have any leading dimensions (..., in_features). Raises RuntimeError when x's
    features or b's length do not match W.
    """
    x, W = as_tensor(input), as_tensor(weight)
    x_shape, w_shape = x.data.shape, W.data.shape
    if len(w_shape) != 2:
        raise RuntimeError(f"linear: weight must be 2-d (out_features, in_features), got {w_shape}")
    if not x_shape or x_shape[-1] != w_shape[1]:
        features = x_shape[-1] if x_shape else "no"
        raise RuntimeError(
            f"linear: input of shape {x_shape} has {features} features but weight of shape "
            f"{w_shape} (out_features, in_features) expects {w_shape[1]}"
        )
    if bias is not None and (bias := as_tensor(bias)).data.shape != w_shape[:1]:
        raise RuntimeError(
            f"linear: bias of shape {tuple(bias.data.shape)} does not match weight {w_shape}"
        )
    if x.dtype != W.dtype:
        x, W = operands(x, W)
    if bias is not None and bias.dtype != W.dtype:
        bias = operands(bias, W)[0]
    if len(x_shape) != 2:  # fold leading dimensions into one batch dimension
        y = linear(reshape(x, -1, w_shape[1]), W, bias)
        return reshape(y, (*x_shape[:-1], w_shape[0]))
    return Linear()(x, W) if bias is None else Linear()(x, W, bias)


def linear_simple(input: Any, weight: Any, bias: Any = None) -> Tensor:
    """x·Wᵀ + b written as its parts (matmul, transpose, add): what the fused ``linear``
    computes, for reading and for the test that holds them equal."""
    y = matmul(input, transpose(as_tensor(weight), 0, 1))
    return y if bias is None else y + bias


def dot(input: Any, tensor: Any) -> Tensor:
    """The inner product Σᵢ aᵢ·bᵢ of two 1-d tensors of the same length and dtype (a 0-d
    result);  ∂/∂a = g·b, ∂/∂b = g·a."""
    a, b = as_tensor(input), as_tensor(tensor)
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"dot: 1-d tensors expected, but got {a.ndim}-d and {b.ndim}-d tensors")
    if a.dtype != b.dtype:
        raise RuntimeError(
            f"dot: expected both vectors to have the same dtype, but found {a.dtype} and {b.dtype}"
        )
    if a.shape != b.shape:
        raise RuntimeError(f"dot: inconsistent tensor size: {a.shape[0]} and {b.shape[0]} elements")
    return matmul(a, b)


def outer(input: Any, vec2: Any) -> Tensor:
    """The outer product yᵢⱼ = aᵢ·bⱼ of two 1-d tensors (dtypes promote);
    ∂/∂aᵢ = Σⱼ gᵢⱼ·bⱼ, ∂/∂bⱼ = Σᵢ gᵢⱼ·aᵢ."""
    a, b = as_tensor(input), as_tensor(vec2)
    for name, v in (("self", a), ("vec2", b)):
        if v.ndim != 1:
            raise RuntimeError(f"outer: expected 1-d argument {name}, but got {v.ndim}-d")
    return reshape(a, -1, 1) * reshape(b, 1, -1)


def addmm(input: Any, mat1: Any, mat2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta·input + alpha·(mat1 @ mat2) for matrices mat1 (n, k), mat2 (k, m) and input
    broadcastable to (n, m), all of one dtype; with beta = 0 the input is ignored (its nan
    and inf do not reach the result, as in torch; it gets no gradient, where torch gives
    zeros). ∂/∂input = beta·G summed to its shape, ∂/∂mat1 = alpha·G·mat2ᵀ,
    ∂/∂mat2 = alpha·mat1ᵀ·G."""
    x, m1, m2 = as_tensor(input), as_tensor(mat1), as_tensor(mat2)
    for name, m in (("mat1", m1), ("mat2", m2)):
        if m.ndim != 2:
            raise RuntimeError(f"addmm: {name} must be a matrix, got a {m.ndim}-d tensor")
    if m1.dtype != m2.dtype or x.dtype != m1.dtype:
        raise RuntimeError(
            f"addmm: self, mat1 and mat2 must have the same dtype, got {x.dtype}, "
            f"{m1.dtype} and {m2.dtype}"
        )
    if m1.shape[1] != m2.shape[0]:
        raise RuntimeError(
            f"addmm: mat1 and mat2 shapes cannot be multiplied ({m1.shape[0]}x{m1.shape[1]} "
            f"and {m2.shape[0]}x{m2.shape[1]})"
        )
    n, m = m1.shape[0], m2.shape[1]
    if x.ndim > 2 or any(s not in (1, t) for s, t in zip(x.shape[::-1], (m, n), strict=False)):
        raise RuntimeError(
            f"addmm: input of shape {tuple(x.shape)} does not broadcast to the product's "
            f"shape ({n}, {m})"
        )
    product = _scaled(matmul(m1, m2), alpha)
    return product if beta == 0 else product + _scaled(x, beta)


def _scaled(x: Tensor, factor: Any) -> Tensor:
    """factor · x in x's dtype (an integer tensor takes the factor's integer part, as
    torch's addmm does); x itself for a factor of 1."""
    if factor == 1:
        return x
    return x * (int(factor) if x.dtype.kind in "biu" else factor)
