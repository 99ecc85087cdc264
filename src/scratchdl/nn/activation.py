"""Activation functions as modules, for use inside Sequential."""

from __future__ import annotations

from typing import Any

from scratchdl import functional as F
from scratchdl.autograd import Tensor
from scratchdl.nn.module import Module


class ReLU(Module):
    """max(0, x) (see ``F.relu``)."""

    def forward(self, x: Any) -> Tensor:
        return F.relu(x)


class Sigmoid(Module):
    """1 / (1 + e⁻ˣ) (see ``F.sigmoid``)."""

    def forward(self, x: Any) -> Tensor:
        return F.sigmoid(x)


class Tanh(Module):
    """tanh(x) (see ``F.tanh``)."""

    def forward(self, x: Any) -> Tensor:
        return F.tanh(x)


class Softplus(Module):
    """ln(1 + eˣ) (see ``F.softplus``)."""

    def forward(self, x: Any) -> Tensor:
        return F.softplus(x)


class GELU(Module):
    """GELU, tanh approximation (see ``F.gelu``; PyTorch's ``GELU(approximate='tanh')``)."""

    def forward(self, x: Any) -> Tensor:
        return F.gelu(x)


class LeakyReLU(Module):
    """x for x > 0, else negative_slope · x (see ``F.leaky_relu``)."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x: Any) -> Tensor:
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Softmax(Module):
    """Probabilities along ``axis`` (see ``F.softmax``)."""

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        self.axis = axis

    def forward(self, x: Any) -> Tensor:
        return F.softmax(x, self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class LogSoftmax(Softmax):
    """log(softmax(x)) along ``axis``, computed stably (see ``F.log_softmax``)."""

    def forward(self, x: Any) -> Tensor:
        return F.log_softmax(x, self.axis)
