"""Elementwise arithmetic: + - * / ** and exp, log, sqrt, abs, clip, maximum, minimum, where.

Binary operations broadcast like NumPy; their backward sums each gradient back to its
input's shape with ``sum_to`` (an operand broadcast along an axis receives the sum of the
gradients along it).
"""

from __future__ import annotations

from typing import Any

from scratchdl.autograd import Function, Tensor, as_tensor
from scratchdl.backend import get_array_module
from scratchdl.functional.shape import sum_to


def _unbroadcast(gradient: Tensor, x: Tensor) -> Tensor | None:
    """The gradient summed back to x's shape, or None when x needs no gradient."""
    return sum_to(gradient, x.shape) if x.requires_grad else None


def _constant(array: Any) -> Tensor:
    """An array used inside a backward rule as a constant (no gradient flows into it)."""
    return Tensor(array)


class Add(Function):
    """y = a + b;  ∂y/∂a = 1, ∂y/∂b = 1."""

    def forward(self, a, b):
        return a + b

    def backward(self, gy):
        a, b = self.inputs
        return _unbroadcast(gy, a), _unbroadcast(gy, b)


class Sub(Function):
    """y = a − b;  ∂y/∂a = 1, ∂y/∂b = −1."""

    def forward(self, a, b):
        return a - b

    def backward(self, gy):
        a, b = self.inputs
        return _unbroadcast(gy, a), _unbroadcast(-gy, b) if b.requires_grad else None


class Mul(Function):
    """y = a · b;  ∂y/∂a = b, ∂y/∂b = a."""

    def forward(self, a, b):
        return a * b

    def backward(self, gy):
        a, b = self.inputs
        ga = _unbroadcast(gy * b, a) if a.requires_grad else None
        gb = _unbroadcast(gy * a, b) if b.requires_grad else None
        return ga, gb


class Div(Function):
    """y = a / b;  ∂y/∂a = 1/b, ∂y/∂b = −a/b²."""

    def forward(self, a, b):
        return a / b

    def backward(self, gy):
        a, b = self.inputs
        ga = gy / b
        gb = _unbroadcast(-ga * a / b, b) if b.requires_grad else None
        return _unbroadcast(ga, a), gb


class Neg(Function):
    """y = −x;  ∂y/∂x = −1."""

    def forward(self, x):
        return -x

    def backward(self, gy):
        return -gy


class PowScalar(Function):
    """y = xᶜ for a constant exponent c;  ∂y/∂x = c·xᶜ⁻¹."""

    def __init__(self, exponent: float) -> None:
        self.exponent = exponent

    def forward(self, x):
        return x**self.exponent

    def backward(self, gy):
        (x,) = self.inputs
        return gy * self.exponent * x ** (self.exponent - 1)


class Pow(Function):
    """y = aᵇ for tensors;  ∂y/∂a = b·aᵇ⁻¹, ∂y/∂b = aᵇ·ln a."""

    def forward(self, a, b):
        return a**b

    def backward(self, gy):
        a, b = self.inputs
        ga = _unbroadcast(gy * b * a ** (b - 1), a) if a.requires_grad else None
        gb = _unbroadcast(gy * self.output * log(a), b) if b.requires_grad else None
        return ga, gb


class Exp(Function):
    """y = eˣ;  ∂y/∂x = eˣ = y."""

    def forward(self, x):
        return get_array_module(x).exp(x)

    def backward(self, gy):
        return gy * self.output


class Log(Function):
    """y = ln x;  ∂y/∂x = 1/x."""

    def forward(self, x):
        return get_array_module(x).log(x)

    def backward(self, gy):
        (x,) = self.inputs
        return gy / x


class Sqrt(Function):
    """y = √x;  ∂y/∂x = 1 / (2√x) = 1 / (2y)."""

    def forward(self, x):
        return get_array_module(x).sqrt(x)

    def backward(self, gy):
        return gy / (2 * self.output)


class Abs(Function):
    """y = |x|;  ∂y/∂x = sign(x) (0 at x = 0, as in PyTorch)."""

    def forward(self, x):
        return get_array_module(x).abs(x)

    def backward(self, gy):
        (x,) = self.inputs
        return gy * _constant(get_array_module(x.data).sign(x.data))


class Clip(Function):
    """y = min(max(x, low), high);  ∂y/∂x = 1 where low ≤ x ≤ high, else 0."""

    def __init__(self, low: float | None, high: float | None) -> None:
        self.low, self.high = low, high

    def forward(self, x):
        return get_array_module(x).clip(x, self.low, self.high)

    def backward(self, gy):
        (x,) = self.inputs
        inside = x.data == self.output.data
        return gy * _constant(inside)


class Maximum(Function):
    """y = max(a, b) elementwise; the gradient goes to the larger operand (halved on ties)."""

    def forward(self, a, b):
        return get_array_module(a).maximum(a, b)

    def backward(self, gy):
        a, b = self.inputs
        return _select_gradient(gy, a, b, a.data > b.data)


class Minimum(Function):
    """y = min(a, b) elementwise; the gradient goes to the smaller operand (halved on ties)."""

    def forward(self, a, b):
        return get_array_module(a).minimum(a, b)

    def backward(self, gy):
        a, b = self.inputs
        return _select_gradient(gy, a, b, a.data < b.data)


def _select_gradient(gy: Tensor, a: Tensor, b: Tensor, a_wins: Any) -> tuple[Tensor, Tensor]:
    """Route gy to a where ``a_wins``, to b where b wins, half to each on a tie."""
    tie = a.data == b.data
    weight_a = _constant((a_wins + 0.5 * tie).astype(gy.dtype))
    weight_b = 1 - weight_a
    return _unbroadcast(gy * weight_a, a), _unbroadcast(gy * weight_b, b)


class Where(Function):
    """y = a where condition else b;  ∂y/∂a = condition, ∂y/∂b = not condition."""

    def __init__(self, condition: Any) -> None:
        self.condition = condition

    def forward(self, a, b):
        return get_array_module(a).where(self.condition, a, b)

    def backward(self, gy):
        a, b = self.inputs
        mask = _constant(self.condition.astype(gy.dtype))
        return _unbroadcast(gy * mask, a), _unbroadcast(gy * (1 - mask), b)


class Cast(Function):
    """y = x converted to another float dtype; the gradient is cast back."""

    def __init__(self, dtype: Any) -> None:
        self.dtype = dtype

    def forward(self, x):
        return x.astype(self.dtype)

    def backward(self, gy):
        (x,) = self.inputs
        return cast(gy, x.dtype)


def add(a: Any, b: Any) -> Tensor:
    """a + b with broadcasting."""
    return Add()(a, b)


def sub(a: Any, b: Any) -> Tensor:
    """a − b with broadcasting."""
    return Sub()(a, b)


def mul(a: Any, b: Any) -> Tensor:
    """a · b elementwise with broadcasting."""
    return Mul()(a, b)


def div(a: Any, b: Any) -> Tensor:
    """a / b elementwise with broadcasting."""
    return Div()(a, b)


def neg(x: Any) -> Tensor:
    """−x."""
    return Neg()(x)


def pow(a: Any, b: Any) -> Tensor:
    """aᵇ. A Python-number exponent is a constant; a Tensor exponent gets a gradient."""
    if isinstance(b, (int, float)) and isinstance(a, Tensor):
        return PowScalar(b)(a)
    return Pow()(a, b)


def exp(x: Any) -> Tensor:
    """eˣ elementwise."""
    return Exp()(x)


def log(x: Any) -> Tensor:
    """Natural logarithm elementwise."""
    return Log()(x)


def sqrt(x: Any) -> Tensor:
    """Square root elementwise."""
    return Sqrt()(x)


def abs(x: Any) -> Tensor:
    """|x| elementwise."""
    return Abs()(x)


def clip(x: Any, min: float | None = None, max: float | None = None) -> Tensor:
    """Limit x to [min, max] (either bound may be None); the gradient is 0 outside."""
    if min is None and max is None:
        raise ValueError("clip: at least one of min and max must be given")
    return Clip(min, max)(x)


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise maximum with broadcasting."""
    return Maximum()(a, b)


def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise minimum with broadcasting."""
    return Minimum()(a, b)


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """Choose a where ``condition`` is true, else b (broadcasting all three)."""
    condition = as_tensor(condition).data.astype(bool)
    return Where(condition)(a, b)


def cast(x: Tensor, dtype: Any) -> Tensor:
    """x converted to ``dtype``: differentiable between float dtypes, a constant otherwise."""
    if x.dtype == dtype:
        return x
    is_float_to_float = x.dtype.kind == "f" and get_array_module(x.data).dtype(dtype).kind == "f"
    if not is_float_to_float:
        return Tensor(x.data.astype(dtype))
    return Cast(dtype)(x)
