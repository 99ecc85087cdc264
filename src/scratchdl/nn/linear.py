"""Linear (fully connected) layer, Flatten, Unflatten and Identity."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from scratchdl import functional as F
from scratchdl.autograd import Tensor
from scratchdl.autograd import dtype as dtypes
from scratchdl.nn import init
from scratchdl.nn.module import Module
from scratchdl.nn.parameter import Parameter


def _check_size(op: str, name: str, size: Any) -> None:
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        raise ValueError(f"{op}: {name} must be a positive integer, got {size!r}")


class Linear(Module):
    """y = x·Wᵀ + b, as ``torch.nn.Linear``: ``weight`` W of shape (out_features,
    in_features), ``bias`` b of shape (out_features,) (None when ``bias=False``).

    The book writes the same layer as x @ W + b with W (in, out) — ``classic.Affine`` and
    ``classic.TwoLayerNet`` keep that form; here the weight is stored transposed so that
    state dicts move between PyTorch and scratchdl unchanged.

    Initialisation is PyTorch's: W and b uniform in ±1/√in_features, which for W is
    ``init.kaiming_uniform_(W, a=√5)`` (gain √(2/(1 + 5)) times √(3/fan_in)).
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        _check_size("Linear", "in_features", in_features)
        _check_size("Linear", "out_features", out_features)
        self.in_features = in_features
        self.out_features = out_features
        dtype = dtypes.float32 if dtype is None else dtypes.as_dtype(dtype)
        self.weight = Parameter(np.empty((out_features, in_features), dtype=dtype))
        self.bias = Parameter(np.empty(out_features, dtype=dtype)) if bias else None
        self.reset_parameters()
        if device is not None:
            self.to(device)

    def reset_parameters(self) -> None:
        """Draw W and b again, as PyTorch initialises them."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features)
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Any) -> Tensor:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Flatten(Module):
    """Merge dimensions ``start_dim`` to ``end_dim`` into one: (N, C, H, W) -> (N, C·H·W)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input: Any) -> Tensor:
        return F.flatten(input, self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dimension ``dim`` into ``unflattened_size``: (N, 784) -> (N, 1, 28, 28)."""

    def __init__(self, dim: int, unflattened_size: tuple[int, ...]) -> None:
        super().__init__()
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, input: Any) -> Tensor:
        return F.unflatten(input, self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


class Identity(Module):
    """Returns its input unchanged (a placeholder layer); any arguments are ignored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Any) -> Any:
        return input
