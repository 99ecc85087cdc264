"""Layer normalisation: each sample normalised over its last dimensions."""

from __future__ import annotations

from typing import Any

from scratchdl.autograd import Tensor, as_tensor
from scratchdl.functional.math import sqrt
from scratchdl.functional.reduce import mean


def layer_norm(
    input: Any,
    normalized_shape: int | tuple[int, ...] | list[int],
    weight: Any = None,
    bias: Any = None,
    eps: float = 1e-5,
) -> Tensor:
    """y = (x − μ) / √(σ² + ε) · γ + β, with μ and σ² (biased) the mean and variance of each
    sample over its last len(normalized_shape) dimensions, as
    ``torch.nn.functional.layer_norm``; γ (``weight``) and β (``bias``) have the shape
    ``normalized_shape``. Composed of differentiable functions, so its gradient is theirs.
    Raises RuntimeError when x's last dimensions are not ``normalized_shape``."""
    x = as_tensor(input)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if not shape or tuple(x.shape[x.ndim - len(shape) :]) != shape or x.ndim < len(shape):
        raise RuntimeError(
            f"layer_norm: normalized_shape {list(shape)} must be the last dimensions of the "
            f"input, got input of shape {tuple(x.shape)}"
        )
    for name, value in (("weight", weight), ("bias", bias)):
        if value is not None and tuple(as_tensor(value).shape) != shape:
            raise RuntimeError(
                f"layer_norm: {name} of shape {tuple(as_tensor(value).shape)} does not match "
                f"normalized_shape {list(shape)}"
            )
    dims = tuple(range(x.ndim - len(shape), x.ndim))
    centered = x - mean(x, dims, keepdim=True)
    y = centered / sqrt(mean(centered * centered, dims, keepdim=True) + eps)
    if weight is not None:
        y = y * weight
    return y if bias is None else y + bias
