"""Activation functions: step, identity, sigmoid, tanh, ReLU, leaky ReLU, ELU, SiLU,
softplus, GELU, softmax and log-softmax. Each is stable for large inputs.

PyTorch's ``inplace=True`` is accepted and computes out of place: the values are the
same, and the graph stays correct.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from scratchdl.autograd import Function, Tensor, as_tensor, wrap
from scratchdl.autograd import dtype as dtypes
from scratchdl.autograd.tensor import checked_dim
from scratchdl.backend import get_array_module, kernels
from scratchdl.functional.convert import cast
from scratchdl.functional.math import exp, maximum, where


def _floating(x: Any) -> Tensor:
    """x as a floating-point tensor (integers become the default float)."""
    x = as_tensor(x)
    return x if x.dtype.kind in "fc" else cast(x, dtypes.get_default_dtype())


def step(x: Any) -> Tensor:
    """h(x) = 1 if x > 0 else 0: the perceptron's activation. Its derivative is 0 almost
    everywhere, so it returns a constant (no gradient): the reason networks use sigmoid."""
    x = _floating(x)
    return wrap((x.data > 0).astype(x.dtype))


def identity(x: Any) -> Tensor:
    """h(x) = x: the output activation for regression."""
    return as_tensor(x)


def compiled_elementwise(name: str, arrays: tuple[Any, ...], constant: Any) -> Any:
    """The compiled kernel ``name`` of kernels/activation.py on ``arrays`` and ``constant``
    (a number in their dtype), or None when the kernels cannot take them: not
    ``kernels.usable``, or not all of one shape and one dense memory layout (any axis
    order, such as conv2d's channel-major outputs). The result has the arrays' layout."""
    first = arrays[0]
    if not kernels.usable(*arrays):
        return None
    for array in arrays[1:]:
        if (array.shape, array.strides) != (first.shape, first.strides):
            return None
    kernel = getattr(kernels.module("activation"), name)
    if first.flags.c_contiguous:
        return kernel(*[a.reshape(-1) for a in arrays], constant).reshape(first.shape)
    order = kernels.memory_order(first)
    if order is None:
        return None
    arrays = tuple([a.transpose(order) for a in arrays])  # now C-contiguous
    result = kernel(*[a.reshape(-1) for a in arrays], constant).reshape(arrays[0].shape)
    return result.transpose(np.argsort(order))


class Sigmoid(Function):
    """σ(x) = 1 / (1 + e⁻ˣ);  σ'(x) = σ(x)(1 − σ(x)).

    For x below about −88, e⁻ˣ overflows float32 to inf and σ(x) = 1/inf = 0, which is
    the correctly rounded result, so the overflow warning is silenced. (This form costs
    half of (1 + tanh(x/2)) / 2: NumPy's float32 tanh is twice as slow as its exp.)
    """

    uses_output = True

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
        y = self.output.data
        gx = compiled_elementwise("sigmoid_backward", (gy, y), y.dtype.type(1))
        if gx is not None:  # one pass (kernels/activation.py) instead of the three below
            return gx
        g = 1 - y
        g *= y
        g *= gy
        return g


class Tanh(Function):
    """tanh(x);  tanh'(x) = 1 − tanh²(x)."""

    uses_output = True

    def forward(self, x):
        return get_array_module(x).tanh(x)

    def backward(self, gy):
        y = self.output
        return gy * (1 - y * y)

    def backward_arrays(self, gy):
        y = self.output.data
        gx = compiled_elementwise("tanh_backward", (gy, y), y.dtype.type(1))
        return gy * (1 - y * y) if gx is None else gx  # the kernel: one pass, not three


class ReLU(Function):
    """relu(x) = max(0, x);  relu'(x) = 1 if x > 0 else 0."""

    def forward(self, x):
        y = compiled_elementwise("relu", (x,), x.dtype.type(0))
        if y is not None:  # one compiled pass (kernels/activation.py), 2x NumPy's speed
            return y
        # Against a zero sample (an array) rather than the scalar 0: NumPy's vectorised
        # maximum loop needs both operands in memory, and with a scalar it runs 2-3x slower.
        xp = get_array_module(x)
        return xp.maximum(x, xp.zeros(x.shape[1:], x.dtype))

    def backward(self, gy):
        x = self.inputs[0]
        return gy * wrap(x.data > 0)  # a bool mask: float32 · bool stays float32

    def backward_arrays(self, gy):
        x = self.inputs[0].data
        gx = compiled_elementwise("relu_backward", (gy, x), x.dtype.type(0))
        return gy * (x > 0) if gx is None else gx  # the kernel: one pass, not two


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
        return gy * wrap(slope)


class Softplus(Function):
    """softplus(x) = ln(1 + eˣ), computed as logaddexp(0, x);  softplus'(x) = σ(x)."""

    def forward(self, x):
        return get_array_module(x).logaddexp(0, x)

    def backward(self, gy):
        return gy * sigmoid(self.inputs[0])


def sigmoid(x: Any) -> Tensor:
    """The logistic function 1 / (1 + e⁻ˣ)."""
    return Sigmoid()(_floating(x))


def tanh(x: Any) -> Tensor:
    """The hyperbolic tangent."""
    return Tanh()(_floating(x))


def relu(x: Any, inplace: bool = False) -> Tensor:
    """max(0, x)."""
    return ReLU()(x)


def leaky_relu(x: Any, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x for x > 0, else negative_slope · x."""
    return LeakyReLU(negative_slope)(_floating(x))


def elu(x: Any, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, else α(eˣ − 1)."""
    x = _floating(x)
    negative_part = -maximum(-x, 0.0)  # min(x, 0): e^x of the unused branch cannot overflow
    return where(x > 0, x, alpha * (exp(negative_part) - 1))


def silu(x: Any, inplace: bool = False) -> Tensor:
    """SiLU (swish): x · σ(x)."""
    x = _floating(x)
    return x * sigmoid(x)


def softplus(x: Any, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """(1/β)·ln(1 + e^(βx)); x itself where βx > ``threshold`` (as torch, for stability)."""
    x = _floating(x)
    smooth = Softplus()(x) if beta == 1 else Softplus()(x * beta) / beta
    return where(x * beta > threshold, x, smooth)


def gelu(x: Any, approximate: str = "none") -> Tensor:
    """GELU(x) = x·Φ(x), Φ the standard normal CDF: 0.5·x·(1 + erf(x/√2)) (``approximate
    ='none'``, with ``erf`` below), or the tanh form 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³)))
    (``approximate='tanh'``)."""
    x = _floating(x)
    if approximate == "tanh":
        inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
        return 0.5 * x * (1 + tanh(inner))
    if approximate != "none":
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return 0.5 * x * (1 + erf(x * (1 / math.sqrt(2))))


class Erf(Function):
    """y = erf(x);  ∂y/∂x = (2/√π)·e^(−x²)."""

    def forward(self, x):
        return erf_array(x)

    def backward(self, gy):
        x = self.inputs[0]
        return gy * (2 / math.sqrt(math.pi)) * exp(-x * x)


def erf(x: Any) -> Tensor:
    """The error function (2/√π) ∫₀ˣ e^(−t²) dt, elementwise."""
    return Erf()(_floating(x))


def erf_array(x: Any) -> Any:
    """The error function erf(x) = (2/√π) ∫₀ˣ e^(−t²) dt of an array, to about 1e-14
    (NumPy has no erf, and SciPy is not a dependency). Computed in float64, odd in x:

    - |x| < 2: the Taylor series (2/√π) Σₙ (−1)ⁿ x^(2n+1) / (n!·(2n + 1)), 35 terms;
    - |x| ≥ 2: 1 − erfc(x) with erfc(x) = e^(−x²) / (√π · (x + (1/2)/(x + 1/(x + (3/2)/
      (x + ...))))), the continued fraction evaluated from 60 levels deep.
    """
    xp = get_array_module(x)
    magnitude = xp.abs(x.astype(np.float64))
    near = magnitude < 2
    t = xp.where(near, magnitude, 0.0)
    term, total, t_squared = t.copy(), t.copy(), t * t
    for n in range(1, 35):
        term *= -t_squared / n
        total += term / (2 * n + 1)
    series = total * (2 / math.sqrt(math.pi))
    far = xp.where(near, 2.0, magnitude)
    fraction = far.copy()
    for k in range(60, 0, -1):
        fraction = far + (k / 2) / fraction
    tail = 1 - xp.exp(-far * far) / (math.sqrt(math.pi) * fraction)
    return (xp.sign(x) * xp.where(near, series, tail)).astype(x.dtype)


class Softmax(Function):
    """softmax(x)ᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m) with m = max(x) (so nothing overflows);
    backward: ∂L/∂x = y ⊙ (g − Σ g ⊙ y)."""

    uses_output = True

    def __init__(self, dim: int) -> None:
        self.dim = dim

    def forward(self, x):
        xp = get_array_module(x)
        e = xp.exp(x - x.max(axis=self.dim, keepdims=True))
        return e / e.sum(axis=self.dim, keepdims=True)

    def backward(self, gy):
        y = self.output
        return y * (gy - (gy * y).sum(dim=self.dim, keepdim=True))


class LogSoftmax(Function):
    """log_softmax(x) = x − logsumexp(x);  backward: ∂L/∂x = g − softmax(x) · Σ g."""

    uses_output = True

    def __init__(self, dim: int) -> None:
        self.dim = dim

    def forward(self, x):
        xp = get_array_module(x)
        shifted = x - x.max(axis=self.dim, keepdims=True)
        return shifted - xp.log(xp.exp(shifted).sum(axis=self.dim, keepdims=True))

    def backward(self, gy):
        softmax_x = self.output.exp()
        return gy - softmax_x * gy.sum(dim=self.dim, keepdim=True)


def softmax(
    x: Any,
    dim: int | None = None,
    _stacklevel: int = 3,
    dtype: Any = None,
    *,
    axis: int | None = None,
) -> Tensor:
    """Probabilities along ``dim``: exp(x) normalised to sum to 1."""
    x = _floating(x) if dtype is None else cast(as_tensor(x), dtype)
    return Softmax(_softmax_dim(x, dim if axis is None else axis, "softmax"))(x)


def log_softmax(
    x: Any,
    dim: int | None = None,
    _stacklevel: int = 3,
    dtype: Any = None,
    *,
    axis: int | None = None,
) -> Tensor:
    """log(softmax(x)) along ``dim``, computed without forming softmax (stable for large |x|)."""
    x = _floating(x) if dtype is None else cast(as_tensor(x), dtype)
    return LogSoftmax(_softmax_dim(x, dim if axis is None else axis, "log_softmax"))(x)


def _softmax_dim(x: Tensor, dim: int | None, op: str) -> int:
    """``dim`` checked; without it, torch's implicit choice (0 for 0-, 1- and 3-d inputs,
    else 1), with torch's warning."""
    if dim is None:
        dim = 0 if x.ndim in (0, 1, 3) else 1
        warnings.warn(
            f"Implicit dimension choice for {op} has been deprecated. Change the call to "
            "include dim=X as an argument.",
            UserWarning,
            stacklevel=3,
        )
    return checked_dim(dim, x.ndim, op)
