"""Pooling layers: MaxPool2d and AvgPool2d over NCHW images."""

from __future__ import annotations

from typing import Any

from scratchdl import functional as F
from scratchdl.autograd import Tensor
from scratchdl.nn.module import Module


class _Pool2d(Module):
    """The settings shared by the pooling layers; ``stride`` defaults to ``kernel_size``."""

    def __init__(
        self,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] | None = None,
        padding: int | tuple[int, int] = 0,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding = padding

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPool2d(_Pool2d):
    """The maximum of each KH x KW window (see ``F.max_pool2d``):
    x (N, C, H, W) -> (N, C, OH, OW) with OH = (H + 2·padding − KH) // stride + 1."""

    def forward(self, x: Any) -> Tensor:
        return F.max_pool2d(x, self.kernel_size, self.stride, self.padding)


class AvgPool2d(_Pool2d):
    """The mean of each KH x KW window, zero padding included (see ``F.avg_pool2d``):
    x (N, C, H, W) -> (N, C, OH, OW)."""

    def forward(self, x: Any) -> Tensor:
        return F.avg_pool2d(x, self.kernel_size, self.stride, self.padding)
