"""Conv2d: a 2-d convolution layer over NCHW images."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from scratchdl import functional as F
from scratchdl.autograd import Tensor
from scratchdl.functional.conv import as_pair
from scratchdl.nn import init
from scratchdl.nn.module import Module
from scratchdl.nn.parameter import Parameter


class Conv2d(Module):
    """y = conv2d(x, W, b, stride, padding) (see ``F.conv2d``): x (N, C, H, W) ->
    y (N, OC, OH, OW) with OH = (H + 2·padding − KH) // stride + 1 (likewise OW).

    ``weight`` W has shape (OC, C, KH, KW), as in PyTorch, and ``bias`` b shape (OC,)
    (None when ``bias=False``). ``kernel_size``, ``stride`` and ``padding`` are ints or
    (height, width) pairs.

    Initialisation is PyTorch's: W and b uniform in ±1/√fan_in with fan_in = C·KH·KW, which
    for W is ``init.kaiming_uniform_(W, a=√5)``.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        bias: bool = True,
    ) -> None:
        super().__init__()
        for name, size in (("in_channels", in_channels), ("out_channels", out_channels)):
            if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
                raise ValueError(f"Conv2d: {name} must be a positive integer, got {size!r}")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = as_pair(kernel_size, "kernel_size", "Conv2d", 1)
        self.stride = as_pair(stride, "stride", "Conv2d", 1)
        self.padding = as_pair(padding, "padding", "Conv2d", 0)
        shape = (out_channels, in_channels, *self.kernel_size)
        self.weight = Parameter(np.empty(shape, dtype=np.float32))
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        self.bias = Parameter(np.empty(out_channels, dtype=np.float32)) if bias else None
        if bias:
            bound = 1 / math.sqrt(in_channels * math.prod(self.kernel_size))
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x: Any) -> Tensor:
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding)

    def extra_repr(self) -> str:
        text = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.bias is None:
            text += ", bias=False"
        return text
