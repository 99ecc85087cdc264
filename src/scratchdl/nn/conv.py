"""Conv2d: a 2-d convolution layer over NCHW images."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from scratchdl import functional as F
from scratchdl.autograd import Tensor
from scratchdl.autograd import dtype as dtypes
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
        padding: int | tuple[int, int] | str = 0,
        dilation: int | tuple[int, int] = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        for name, size in (("in_channels", in_channels), ("out_channels", out_channels)):
            if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
                raise ValueError(f"Conv2d: {name} must be a positive integer, got {size!r}")
        if padding_mode != "zeros":
            raise NotImplementedError(f"Conv2d: padding_mode={padding_mode!r} is not supported")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = as_pair(kernel_size, "kernel_size", "Conv2d", 1)
        self.stride = as_pair(stride, "stride", "Conv2d", 1)
        self.padding = (
            padding if isinstance(padding, str) else as_pair(padding, "padding", "Conv2d", 0)
        )
        self.dilation, self.groups = as_pair(dilation, "dilation", "Conv2d", 1), groups
        dtype = dtypes.float32 if dtype is None else dtypes.as_dtype(dtype)
        shape = (out_channels, in_channels, *self.kernel_size)
        self.weight = Parameter(np.empty(shape, dtype=dtype))
        self.bias = Parameter(np.empty(out_channels, dtype=dtype)) if bias else None
        self.reset_parameters()
        if device is not None:
            self.to(device)

    def reset_parameters(self) -> None:
        """Draw W and b again, as PyTorch initialises them."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_channels * math.prod(self.kernel_size))
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Any) -> Tensor:
        return F.conv2d(
            input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups
        )

    def extra_repr(self) -> str:
        text = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if self.padding not in ((0, 0), "valid"):
            text += f", padding={self.padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        return text
