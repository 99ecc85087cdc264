"""More elementwise functions, as torch names them: log1p, expm1, trunc (fix), frac, fmod,
remainder, nan_to_num, lerp, addcmul, addcdiv, logaddexp, hypot.

Dtypes as torch: the transcendental ones turn integers into the default float (log1p,
expm1), the rounding ones leave integers as they are (trunc, nan_to_num), and those torch
does not define for integers (frac, lerp, logaddexp, hypot) raise NotImplementedError
naming the operation and the dtype. Binary ones broadcast and promote as ``operands``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scratchdl.autograd import Function, Tensor, as_tensor, wrap
from scratchdl.autograd import dtype as dtypes
from scratchdl.backend import get_array_module
from scratchdl.functional.convert import cast, clone
from scratchdl.functional.math import (
    _unary,
    _unbroadcast,
    add,
    check_integer_division,
    div,
    mul,
    operands,
    sub,
)


class Log1p(Function):
    """y = ln(1 + x), exact for small x;  ∂y/∂x = 1 / (1 + x)."""

    def forward(self, x):
        return get_array_module(x).log1p(x)

    def backward(self, gy):
        return gy / (1 + self.inputs[0])


class Expm1(Function):
    """y = eˣ − 1, exact for small x;  ∂y/∂x = eˣ = y + 1."""

    uses_output = True

    def forward(self, x):
        return get_array_module(x).expm1(x)

    def backward(self, gy):
        return gy * (self.output + 1)


class Trunc(Function):
    """y = x rounded toward zero;  ∂y/∂x = 0 (a step function; torch records it too)."""

    def forward(self, x):
        return get_array_module(x).trunc(x)

    def backward(self, gy):
        return gy * 0


class Frac(Function):
    """y = x − trunc(x), the fractional part with x's sign;  ∂y/∂x = 1."""

    def forward(self, x):
        return x - get_array_module(x).trunc(x)

    def backward(self, gy):
        return gy


class NanToNum(Function):
    """y = x with NaN, +∞ and −∞ replaced by finite numbers;  ∂y/∂x = 1 where x is finite,
    else 0."""

    def __init__(self, nan: float, posinf: float | None, neginf: float | None) -> None:
        self.nan, self.posinf, self.neginf = nan, posinf, neginf

    def forward(self, x):
        xp = get_array_module(x)
        return xp.nan_to_num(x, nan=self.nan, posinf=self.posinf, neginf=self.neginf)

    def backward(self, gy):
        (x,) = self.inputs
        finite = get_array_module(x.data).isfinite(x.data)
        return gy * wrap(finite.astype(gy.dtype))


class DivisionRemainder(Function):
    """y = a − q·b with q = a / b rounded down ('floor': the sign of b, Python's %) or
    toward zero ('trunc': the sign of a, C's fmod);  ∂y/∂a = 1, ∂y/∂b = −q."""

    def __init__(self, rounding_mode: str) -> None:
        self.rounding_mode = rounding_mode

    def forward(self, a, b):
        xp = get_array_module(a)
        with np.errstate(invalid="ignore", divide="ignore"):  # x % 0.0 is nan, as in torch
            return xp.remainder(a, b) if self.rounding_mode == "floor" else xp.fmod(a, b)

    def backward(self, gy):
        a, b = self.inputs
        if not b.requires_grad:
            return _unbroadcast(gy, a), None
        xp = get_array_module(a.data)
        rounded = xp.floor if self.rounding_mode == "floor" else xp.trunc
        with np.errstate(invalid="ignore", divide="ignore"):
            quotient = wrap(rounded(a.data / b.data))
        return _unbroadcast(gy, a), _unbroadcast(-gy * quotient, b)


class LogAddExp(Function):
    """y = ln(eᵃ + eᵇ), computed without overflow;  ∂y/∂a = eᵃ⁻ʸ, ∂y/∂b = eᵇ⁻ʸ."""

    uses_output = True

    def forward(self, a, b):
        return get_array_module(a).logaddexp(a, b)

    def backward(self, gy):
        a, b = self.inputs
        ga = _unbroadcast(gy * (a - self.output).exp(), a) if a.requires_grad else None
        gb = _unbroadcast(gy * (b - self.output).exp(), b) if b.requires_grad else None
        return ga, gb


class Hypot(Function):
    """y = √(a² + b²), computed without overflow;  ∂y/∂a = a / y, ∂y/∂b = b / y."""

    uses_output = True

    def forward(self, a, b):
        return get_array_module(a).hypot(a, b)

    def backward(self, gy):
        a, b = self.inputs
        ga = _unbroadcast(gy * a / self.output, a) if a.requires_grad else None
        gb = _unbroadcast(gy * b / self.output, b) if b.requires_grad else None
        return ga, gb


def _require_floating(op: str, *xs: Tensor) -> None:
    """NotImplementedError naming ``op`` unless one of ``xs`` is floating-point (the result
    then is); torch defines these functions for floating types only."""
    if all(x.dtype.kind in "biu" for x in xs):
        names = ", ".join(str(x.dtype) for x in xs)
        raise NotImplementedError(f"{op}: not implemented for integer or bool dtype {names}")


def _require_tensor(op: str, name: str, x: Any) -> Tensor:
    """``x`` when it is a Tensor; TypeError naming ``op`` and the argument otherwise."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}: argument '{name}' must be a Tensor, not {type(x).__name__}")
    return x


def log1p(input: Any) -> Tensor:
    """ln(1 + x) elementwise, accurate near 0 (integers give the default float)."""
    return _unary(Log1p, input)


def expm1(input: Any) -> Tensor:
    """eˣ − 1 elementwise, accurate near 0 (integers give the default float)."""
    return _unary(Expm1, input)


def trunc(input: Any) -> Tensor:
    """x rounded toward zero; an integer tensor comes back as a copy. Its gradient is 0."""
    x = as_tensor(input)
    if x.dtype == dtypes.bool_:
        raise NotImplementedError("trunc: not implemented for dtype bool")
    return clone(x) if x.dtype.kind in "iu" else Trunc()(x)


fix = trunc


def frac(input: Any) -> Tensor:
    """x − trunc(x): the fractional part, with x's sign (floating-point tensors only)."""
    x = as_tensor(input)
    _require_floating("frac", x)
    return Frac()(x)


def _remainder(a: Any, b: Any, rounding_mode: str, op: str) -> Tensor:
    """a − round(a / b)·b for ``remainder`` and ``fmod``; integer division by zero raises."""
    a, b = operands(a, b)
    check_integer_division(a, b, op)
    return DivisionRemainder(rounding_mode)(a, b)


def remainder(input: Any, other: Any) -> Tensor:
    """input − ⌊input / other⌋·other: the remainder with other's sign, as Python's %
    (``a % b``). ∂/∂input = 1, ∂/∂other = −⌊input / other⌋."""
    return _remainder(input, other, "floor", "remainder")


def fmod(input: Any, other: Any) -> Tensor:
    """input − trunc(input / other)·other: the remainder with input's sign, as C's fmod.
    ∂/∂input = 1, ∂/∂other = −trunc(input / other)."""
    return _remainder(input, other, "trunc", "fmod")


def nan_to_num(
    input: Any, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Tensor:
    """x with NaN → ``nan``, +∞ → ``posinf``, −∞ → ``neginf`` (None: the dtype's largest
    and smallest finite numbers). Integer and bool tensors come back as copies."""
    x = as_tensor(input)
    if x.dtype.kind in "biu":
        return clone(x)
    return NanToNum(nan, posinf, neginf)(x)


def lerp(input: Any, end: Any, weight: Any) -> Tensor:
    """input + weight·(end − input), with broadcasting. ``end`` is a Tensor of input's
    dtype; ``weight`` a number or a Tensor of that dtype (a 0-d one of any float dtype).
    Gradients: 1 − weight, weight, and end − input."""
    x = as_tensor(input)
    end = _require_tensor("lerp", "end", end)
    _require_floating("lerp", x)
    if end.dtype != x.dtype:
        raise RuntimeError(f"lerp: expected dtype {x.dtype} for `end` but got dtype {end.dtype}")
    if isinstance(weight, Tensor) and weight.dtype != x.dtype:
        if weight.ndim > 0:
            raise RuntimeError(
                f"lerp: expected dtype {x.dtype} for `weight` but got dtype {weight.dtype}"
            )
        weight = cast(weight, x.dtype)
    return add(x, mul(weight, sub(end, x)))


def _scale(value: Any, *xs: Tensor) -> Any:
    """``value`` as torch applies it to integer results: truncated to an int."""
    integral = dtypes.result_type(*xs).kind in "biu"
    return int(value) if integral and not isinstance(value, bool) else value


def addcmul(input: Any, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
    """input + value·tensor1·tensor2, with broadcasting and promotion over all three."""
    t1 = _require_tensor("addcmul", "tensor1", tensor1)
    t2 = _require_tensor("addcmul", "tensor2", tensor2)
    return add(input, mul(t1, t2), alpha=_scale(value, as_tensor(input), t1, t2))


def addcdiv(input: Any, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
    """input + value·tensor1 / tensor2, with broadcasting. RuntimeError when both tensor1
    and tensor2 are integers (torch no longer defines that division)."""
    t1 = _require_tensor("addcdiv", "tensor1", tensor1)
    t2 = _require_tensor("addcdiv", "tensor2", tensor2)
    if t1.dtype.kind in "biu" and t2.dtype.kind in "biu":
        raise RuntimeError(
            f"addcdiv: integer division is not supported (tensor1 {t1.dtype}, tensor2 "
            f"{t2.dtype}); compute input + value * tensor1.float() / tensor2 instead"
        )
    return add(input, div(t1, t2), alpha=value)


def logaddexp(input: Any, other: Any) -> Tensor:
    """ln(eᵃ + eᵇ) elementwise, stable for large |a|, |b| (floating-point results only)."""
    a = _require_tensor("logaddexp", "input", input)
    b = _require_tensor("logaddexp", "other", other)
    _require_floating("logaddexp", a, b)
    return LogAddExp()(*operands(a, b))


def hypot(input: Any, other: Any) -> Tensor:
    """√(a² + b²) elementwise, stable for large |a|, |b| (floating-point results only)."""
    a = _require_tensor("hypot", "input", input)
    b = _require_tensor("hypot", "other", other)
    _require_floating("hypot", a, b)
    return Hypot()(*operands(a, b))
