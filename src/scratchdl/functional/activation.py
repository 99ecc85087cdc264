"""Activation functions: step, identity, sigmoid, tanh, ReLU, leaky ReLU, softplus, GELU,
softmax and log-softmax. Each is stable for large inputs."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from scratchdl.autograd import Function, Tensor, as_tensor
from scratchdl.backend import get_array_module


def step(x: Any) -> Tensor:
    """h(x) = 1 if x > 0 else 0: the perceptron's activation. Its derivative is 0 almost
    everywhere, so it returns a constant (no gradient): the reason networks use sigmoid."""
    x = as_tensor(x)
    return Tensor((x.data > 0).astype(x.dtype))


def identity(x: Any) -> Tensor:
    """h(x) = x: the output activation for regression."""
    return as_tensor(x)


class Sigmoid(Function):
    """σ(x) = 1 / (1 + e⁻ˣ);  σ'(x) = σ(x)(1 − σ(x)).

    For x below about −88, e⁻ˣ overflows float32 to inf and σ(x) = 1/inf = 0, which is
    the correctly rounded result, so the overflow warning is silenced. (This form costs
    half of (1 + tanh(x/2)) / 2: NumPy's float32 tanh is twice as slow as its exp.)
    """

    def forward(self, x):
        xp = get_array_module(x)
        y = xp.negative(x)
        with np.errstate(over="ignore"):
            xp.exp(y, out=y)  # in place: one temporary array, not two
        y += 1
        return xp.divide(1, y, out=y)

    def backward(self, gy):
        y = self.output
        return gy * y * (1 - y)

    def backward_arrays(self, gy):
        g = 1 - self.output.data
        g *= self.output.data
        g *= gy
        return g


class Tanh(Function):
    """tanh(x);  tanh'(x) = 1 − tanh²(x)."""

    def forward(self, x):
        return get_array_module(x).tanh(x)

    def backward(self, gy):
        y = self.output
        return gy * (1 - y * y)

    def backward_arrays(self, gy):
        y = self.output.data
        return gy * (1 - y * y)


class ReLU(Function):
    """relu(x) = max(0, x);  relu'(x) = 1 if x > 0 else 0."""

    def forward(self, x):
        # Against a zero sample (an array) rather than the scalar 0: NumPy's vectorised
        # maximum loop needs both operands in memory, and with a scalar it runs 2-3x slower.
        xp = get_array_module(x)
        return xp.maximum(x, xp.zeros(x.shape[1:], x.dtype))

    def backward(self, gy):
        x = self.inputs[0]
        return gy * Tensor(x.data > 0)  # a bool mask: float32 · bool stays float32

    def backward_arrays(self, gy):
        return gy * (self.inputs[0].data > 0)


class LeakyReLU(Function):
    """leaky_relu(x) = x if x > 0 else a·x;  derivative 1 or a."""

    def __init__(self, negative_slope: float) -> None:
        self.negative_slope = negative_slope

    def forward(self, x):
        return get_array_module(x).where(x > 0, x, x * self.negative_slope)

    def backward(self, gy):
        x = self.inputs[0]
        xp = get_array_module(x.data)
        slope = xp.where(x.data > 0, 1, self.negative_slope).astype(x.dtype)
        return gy * Tensor(slope)


class Softplus(Function):
    """softplus(x) = ln(1 + eˣ), computed as logaddexp(0, x);  softplus'(x) = σ(x)."""

    def forward(self, x):
        return get_array_module(x).logaddexp(0, x)

    def backward(self, gy):
        return gy * sigmoid(self.inputs[0])


def sigmoid(x: Any) -> Tensor:
    """The logistic function 1 / (1 + e⁻ˣ)."""
    return Sigmoid()(x)


def tanh(x: Any) -> Tensor:
    """The hyperbolic tangent."""
    return Tanh()(x)


def relu(x: Any) -> Tensor:
    """max(0, x)."""
    return ReLU()(x)


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Tensor:
    """x for x > 0, else negative_slope · x."""
    return LeakyReLU(negative_slope)(x)


def softplus(x: Any) -> Tensor:
    """ln(1 + eˣ), a smooth ReLU."""
    return Softplus()(x)


def gelu(x: Any) -> Tensor:
    """GELU with the tanh approximation (PyTorch's ``approximate='tanh'``):
    0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). NumPy has no erf, so the exact form is not
    offered; the two differ by less than 1e-3."""
    x = as_tensor(x)
    inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
    return 0.5 * x * (1 + tanh(inner))


class Softmax(Function):
    """softmax(x)ᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m) with m = max(x) (so nothing overflows);
    backward: ∂L/∂x = y ⊙ (g − Σ g ⊙ y)."""

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def forward(self, x):
        xp = get_array_module(x)
        e = xp.exp(x - x.max(axis=self.axis, keepdims=True))
        return e / e.sum(axis=self.axis, keepdims=True)

    def backward(self, gy):
        y = self.output
        return y * (gy - (gy * y).sum(axis=self.axis, keepdims=True))


class LogSoftmax(Function):
    """log_softmax(x) = x − logsumexp(x);  backward: ∂L/∂x = g − softmax(x) · Σ g."""

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def forward(self, x):
        xp = get_array_module(x)
        shifted = x - x.max(axis=self.axis, keepdims=True)
        return shifted - xp.log(xp.exp(shifted).sum(axis=self.axis, keepdims=True))

    def backward(self, gy):
        softmax_x = self.output.exp()
        return gy - softmax_x * gy.sum(axis=self.axis, keepdims=True)


def softmax(x: Any, axis: int = -1) -> Tensor:
    """Probabilities along ``axis``: exp(x) normalised to sum to 1."""
    return Softmax(axis)(x)


def log_softmax(x: Any, axis: int = -1) -> Tensor:
    """log(softmax(x)), computed without forming softmax (stable for large |x|)."""
    return LogSoftmax(axis)(x)
