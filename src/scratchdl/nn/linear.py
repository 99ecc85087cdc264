"""Linear (fully connected) layer, Flatten and Identity."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from scratchdl import functional as F
from scratchdl.autograd import Tensor
from scratchdl.nn import init
from scratchdl.nn.module import Module
from scratchdl.nn.parameter import Parameter


class Linear(Module):
    """y = x @ W + b, with ``weight`` W of shape (in_features, out_features) and ``bias`` b of
    shape (out_features,) (None when ``bias=False``).

    Note the layout: PyTorch stores the transpose, (out_features, in_features).

    Initialisation is PyTorch's: W and b uniform in ±1/√in_features, which for W is
    ``init.kaiming_uniform_(W, a=√5)`` (gain √(2/(1 + 5)) times √(3/fan_in)).
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        super().__init__()
        for name, size in (("in_features", in_features), ("out_features", out_features)):
            if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
                raise ValueError(f"Linear: {name} must be a positive integer, got {size!r}")
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(np.empty((in_features, out_features), dtype=np.float32))
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        self.bias = Parameter(np.empty(out_features, dtype=np.float32)) if bias else None
        if bias:
            bound = 1 / math.sqrt(in_features)
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x: Any) -> Tensor:
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Flatten(Module):
    """Merge the axes from ``start_axis`` on into one: (N, C, H, W) -> (N, C·H·W)."""

    def __init__(self, start_axis: int = 1) -> None:
        super().__init__()
        self.start_axis = start_axis

    def forward(self, x: Any) -> Tensor:
        return F.flatten(x, self.start_axis)

    def extra_repr(self) -> str:
        return f"start_axis={self.start_axis}"


class Identity(Module):
    """Returns its input unchanged (a placeholder layer)."""

    def forward(self, x: Any) -> Tensor:
        return F.identity(x)
