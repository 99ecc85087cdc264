"""Activation functions as modules, for use inside Sequential. ``inplace=True`` is
accepted (and shown in the repr, as torch does); the result is computed out of place."""

from __future__ import annotations

from typing import Any

from scratchdl import functional as F
from scratchdl.autograd import Tensor
from scratchdl.nn.module import Module


class _Activation(Module):
    """An activation with torch's optional ``inplace`` flag."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class ReLU(_Activation):
    """max(0, x) (see ``F.relu``)."""

    def forward(self, input: Any) -> Tensor:
        return F.relu(input)


class SiLU(_Activation):
    """x · σ(x) (see ``F.silu``)."""

    def forward(self, input: Any) -> Tensor:
        return F.silu(input)


class Sigmoid(Module):
    """1 / (1 + e⁻ˣ) (see ``F.sigmoid``)."""

    def forward(self, input: Any) -> Tensor:
        return F.sigmoid(input)


class Tanh(Module):
    """tanh(x) (see ``F.tanh``)."""

    def forward(self, input: Any) -> Tensor:
        return F.tanh(input)


class Softplus(Module):
    """(1/β)·ln(1 + e^(βx)) (see ``F.softplus``)."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Any) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class GELU(Module):
    """x·Φ(x), exact or with the tanh approximation (see ``F.gelu``)."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Any) -> Tensor:
        return F.gelu(input, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class ELU(Module):
    """x for x > 0, else α(eˣ − 1) (see ``F.elu``)."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Any) -> Tensor:
        return F.elu(input, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class LeakyReLU(Module):
    """x for x > 0, else negative_slope · x (see ``F.leaky_relu``)."""

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input: Any) -> Tensor:
        return F.leaky_relu(input, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class Softmax(Module):
    """Probabilities along ``dim`` (see ``F.softmax``)."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Any) -> Tensor:
        return F.softmax(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """log(softmax(x)) along ``dim``, computed stably (see ``F.log_softmax``)."""

    def forward(self, input: Any) -> Tensor:
        return F.log_softmax(input, self.dim)
