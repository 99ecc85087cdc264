"""Elementwise arithmetic: + - * / ** and exp, log, sqrt, abs, clamp, maximum, minimum, where.

Binary operations broadcast like NumPy and promote dtypes like PyTorch (``operands``):
``int64 * 0.5`` is float32, ``float32 * float64`` is float64, a Python number never widens
a float tensor. Their backward sums each gradient back to its input's shape with
``sum_to`` (an operand broadcast along an axis receives the sum of the gradients along it).
"""

from __future__ import annotations

from typing import Any

from scratchdl.autograd import Function, Tensor, as_tensor, wrap
from scratchdl.autograd import dtype as dtypes
from scratchdl.autograd.tensor import as_operand
from scratchdl.backend import get_array_module, to_device
from scratchdl.functional.convert import cast
from scratchdl.functional.shape import sum_to


def operands(a: Any, b: Any, floating: bool = False) -> tuple[Tensor, Tensor]:
    """a and b as Tensors of their common dtype by torch's promotion (``result_type``),
    the default float when ``floating`` and both are integers (true division). Tensors
    are cast differentiably; numbers and arrays become constants on the tensors' device."""
    same_dtype = isinstance(a, Tensor) and isinstance(b, Tensor) and a.dtype == b.dtype
    if same_dtype and (not floating or a.dtype.kind in "fc"):
        return a, b
    dtype = dtypes.result_type(a, b)
    if floating and dtype.kind in "biu":
        dtype = dtypes.get_default_dtype()
    like = a if isinstance(a, Tensor) else b if isinstance(b, Tensor) else None
    return _as_dtype(a, dtype, like), _as_dtype(b, dtype, like)


def _as_dtype(x: Any, dtype: Any, like: Tensor | None) -> Tensor:
    """``x`` in ``dtype``: a Tensor cast (differentiably), anything else a constant made in
    that dtype directly (2.5 must not pass through an integer tensor's dtype)."""
    if isinstance(x, Tensor):
        return x if x.dtype == dtype else cast(x, dtype)
    if like is None:
        return as_tensor(x, dtype)
    return wrap(get_array_module(like.data).asarray(x, dtype=dtype))


def _unbroadcast(gradient: Tensor, x: Tensor) -> Tensor | None:
    """The gradient summed back to x's shape, or None when x needs no gradient."""
    return sum_to(gradient, x.shape) if x.requires_grad else None


def _constant(array: Any) -> Tensor:
    """An array used inside a backward rule as a constant (no gradient flows into it)."""
    return wrap(array)


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

    uses_output = True

    def forward(self, a, b):
        return a**b

    def backward(self, gy):
        a, b = self.inputs
        ga = _unbroadcast(gy * b * a ** (b - 1), a) if a.requires_grad else None
        gb = _unbroadcast(gy * self.output * log(a), b) if b.requires_grad else None
        return ga, gb


class Exp(Function):
    """y = eˣ;  ∂y/∂x = eˣ = y."""

    uses_output = True

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

    uses_output = True

    def forward(self, x):
        return get_array_module(x).sqrt(x)

    def backward(self, gy):
        return gy / (2 * self.output)


class Sin(Function):
    """y = sin x;  ∂y/∂x = cos x."""

    def forward(self, x):
        return get_array_module(x).sin(x)

    def backward(self, gy):
        return gy * cos(self.inputs[0])


class Cos(Function):
    """y = cos x;  ∂y/∂x = −sin x."""

    def forward(self, x):
        return get_array_module(x).cos(x)

    def backward(self, gy):
        return -gy * sin(self.inputs[0])


class Abs(Function):
    """y = |x|;  ∂y/∂x = sign(x) (0 at x = 0, as in PyTorch)."""

    def forward(self, x):
        return get_array_module(x).abs(x)

    def backward(self, gy):
        (x,) = self.inputs
        return gy * _constant(get_array_module(x.data).sign(x.data))


class Clamp(Function):
    """y = min(max(x, low), high);  ∂y/∂x = 1 where low ≤ x ≤ high, else 0."""

    uses_output = True

    def __init__(self, low: Any, high: Any) -> None:
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


def _select_gradient(gy: Tensor, a: Tensor, b: Tensor, a_wins: Any) -> tuple[Any, Any]:
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


def add(a: Any, b: Any, alpha: Any = 1) -> Tensor:
    """a + alpha · b with broadcasting."""
    a, b = operands(a, b if alpha == 1 else mul(b, alpha))
    return Add()(a, b)


def sub(a: Any, b: Any, alpha: Any = 1) -> Tensor:
    """a − alpha · b with broadcasting."""
    a, b = operands(a, b if alpha == 1 else mul(b, alpha))
    return Sub()(a, b)


def mul(a: Any, b: Any) -> Tensor:
    """a · b elementwise with broadcasting."""
    return Mul()(*operands(a, b))


def div(a: Any, b: Any, rounding_mode: str | None = None) -> Tensor:
    """a / b elementwise with broadcasting: true division (integers give floats), or
    rounded with ``rounding_mode`` 'floor' or 'trunc' (no gradient then)."""
    if rounding_mode is None:
        return Div()(*operands(a, b, floating=True))
    if rounding_mode not in ("floor", "trunc"):
        raise ValueError(
            f"div: rounding_mode must be None, 'floor' or 'trunc', got {rounding_mode!r}"
        )
    a, b = operands(a, b)
    check_integer_division(a, b, "floor_divide" if rounding_mode == "floor" else "div")
    xp = get_array_module(a.data)
    if rounding_mode == "floor":
        return wrap(xp.floor_divide(a.data, b.data))
    quotient = xp.trunc(a.data / b.data)
    return wrap(quotient.astype(a.dtype) if a.dtype.kind in "iu" else quotient)


def check_integer_division(a: Tensor, b: Tensor, op: str) -> None:
    """For a rounded division of a by b (operands of one dtype): NotImplementedError for
    bools and RuntimeError for an integer division by zero, naming ``op``, as torch."""
    if a.dtype == dtypes.bool_:
        raise NotImplementedError(f"{op}: not implemented for dtype bool")
    if a.dtype.kind in "iu" and bool((b.data == 0).any()):
        raise RuntimeError(f"{op}: integer division by zero (ZeroDivisionError)")


def floor_divide(a: Any, b: Any) -> Tensor:
    """⌊a / b⌋ elementwise (a // b); not differentiable."""
    return div(a, b, rounding_mode="floor")


def neg(x: Any) -> Tensor:
    """−x."""
    return Neg()(x)


def pow(a: Any, b: Any) -> Tensor:
    """aᵇ. A Python-number exponent is a constant (an integer tensor raised to a float
    becomes float32, as in torch); a Tensor exponent gets a gradient."""
    if isinstance(a, Tensor) and dtypes.is_python_number(b) and not isinstance(b, bool):
        if isinstance(b, float) and a.dtype.kind in "biu":
            a = cast(a, dtypes.get_default_dtype())
        return PowScalar(b)(a)
    return Pow()(*operands(a, b))


def _unary(function_class: type[Function], x: Any) -> Tensor:
    """Apply a floating-point function: integer tensors are converted to float32 first."""
    x = as_tensor(x)
    if x.dtype.kind in "biu":
        x = cast(x, dtypes.get_default_dtype())
    return function_class()(x)


def exp(x: Any) -> Tensor:
    """eˣ elementwise."""
    return _unary(Exp, x)


def log(x: Any) -> Tensor:
    """Natural logarithm elementwise."""
    return _unary(Log, x)


def sqrt(x: Any) -> Tensor:
    """Square root elementwise."""
    return _unary(Sqrt, x)


def rsqrt(x: Any) -> Tensor:
    """1 / √x elementwise."""
    return pow(_unary(Sqrt, x), -1)


def square(x: Any) -> Tensor:
    """x² elementwise."""
    return pow(as_tensor(x), 2)


def reciprocal(x: Any) -> Tensor:
    """1 / x elementwise (integers give floats)."""
    return div(1.0, as_tensor(x))


def sin(x: Any) -> Tensor:
    """sin x elementwise."""
    return _unary(Sin, x)


def cos(x: Any) -> Tensor:
    """cos x elementwise."""
    return _unary(Cos, x)


def abs(x: Any) -> Tensor:
    """|x| elementwise."""
    return Abs()(x)


def sign(x: Any) -> Tensor:
    """−1, 0 or 1 by the sign of each element; not differentiable."""
    x = as_tensor(x)
    return wrap(get_array_module(x.data).sign(x.data))


def floor(x: Any) -> Tensor:
    """⌊x⌋ elementwise; not differentiable."""
    x = as_tensor(x)
    return wrap(get_array_module(x.data).floor(x.data))


def ceil(x: Any) -> Tensor:
    """⌈x⌉ elementwise; not differentiable."""
    x = as_tensor(x)
    return wrap(get_array_module(x.data).ceil(x.data))


def round(x: Any, decimals: int = 0) -> Tensor:
    """x rounded half to even (to ``decimals`` places); not differentiable."""
    x = as_tensor(x)
    return wrap(get_array_module(x.data).round(x.data, decimals))


def clamp(x: Any, min: Any = None, max: Any = None) -> Tensor:
    """x limited to [min, max] (either bound may be None or a tensor); the gradient is 0
    outside. Raises ValueError when both are None."""
    if min is None and max is None:
        raise ValueError("clamp: at least one of min and max must be given")
    x = as_tensor(x)
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        if min is not None:
            x = maximum(x, min)
        return x if max is None else minimum(x, max)
    return Clamp(min, max)(x)


clip = clamp


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise maximum with broadcasting."""
    return Maximum()(*operands(a, b))


def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise minimum with broadcasting."""
    return Minimum()(*operands(a, b))


def where(condition: Any, a: Any = None, b: Any = None) -> Any:
    """Choose a where ``condition``, else b (all three broadcast; the condition is moved
    onto a's device). With the condition alone, the indices of its true elements, one
    tensor per dimension (as torch)."""
    condition = as_tensor(condition).data.astype(bool)
    if a is None and b is None:
        return tuple(wrap(index) for index in get_array_module(condition).nonzero(condition))
    a, b = operands(a, b)
    return Where(to_device(condition, a.device))(a, b)


def masked_fill(x: Any, mask: Any, value: Any) -> Tensor:
    """x with ``value`` where ``mask`` (broadcast to x) is true."""
    x = as_tensor(x)
    return where(mask, as_operand(value, x), x)
