"""ArithmeticOps: Tensor's elementwise methods — arithmetic, activations, the pointwise
functions and the in-place updates — each one line calling ``scratchdl.functional``
(see ``tensor_ops``, which puts them together)."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scratchdl import functional as F
    from scratchdl.autograd.tensor import Tensor
else:
    F = None  # set to scratchdl.functional by tensor_ops.bind

Dim = int | Sequence[int] | None
Number = builtins.int | builtins.float | builtins.bool


class ArithmeticOps:
    """Elementwise methods of Tensor; each delegates to ``scratchdl.functional``."""

    __slots__ = ()

    # --------------------------------------------------------------- arithmetic
    def add(self, other: Any, alpha: Number = 1) -> Tensor:
        """self + alpha · other."""
        return F.add(self, other, alpha=alpha)

    def sub(self, other: Any, alpha: Number = 1) -> Tensor:
        """self − alpha · other."""
        return F.sub(self, other, alpha=alpha)

    subtract = sub

    def mul(self, other: Any) -> Tensor:
        """self · other elementwise."""
        return F.mul(self, other)

    multiply = mul

    def div(self, other: Any, rounding_mode: str | None = None) -> Tensor:
        """self / other (true division; ``rounding_mode`` 'floor' or 'trunc')."""
        return F.div(self, other, rounding_mode=rounding_mode)

    divide = true_divide = div

    def pow(self, exponent: Any) -> Tensor:
        """selfᵉˣᵖᵒⁿᵉⁿᵗ elementwise."""
        return F.pow(self, exponent)

    def neg(self) -> Tensor:
        """−self."""
        return F.neg(self)

    def abs(self) -> Tensor:
        """|self|."""
        return F.abs(self)

    def exp(self) -> Tensor:
        """eˢᵉˡᶠ."""
        return F.exp(self)

    def log(self) -> Tensor:
        """ln self."""
        return F.log(self)

    def sqrt(self) -> Tensor:
        """√self."""
        return F.sqrt(self)

    def rsqrt(self) -> Tensor:
        """1 / √self."""
        return F.rsqrt(self)

    def square(self) -> Tensor:
        """self²."""
        return F.square(self)

    def reciprocal(self) -> Tensor:
        """1 / self."""
        return F.reciprocal(self)

    def sin(self) -> Tensor:
        """sin self."""
        return F.sin(self)

    def cos(self) -> Tensor:
        """cos self."""
        return F.cos(self)

    def sign(self) -> Tensor:
        """−1, 0 or 1 by the sign of each element (no gradient)."""
        return F.sign(self)

    def floor(self) -> Tensor:
        """⌊self⌋ (no gradient)."""
        return F.floor(self)

    def ceil(self) -> Tensor:
        """⌈self⌉ (no gradient)."""
        return F.ceil(self)

    def round(self, decimals: builtins.int = 0) -> Tensor:
        """self rounded half to even (no gradient)."""
        return F.round(self, decimals=decimals)

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:
        """self limited to [min, max] (either may be None)."""
        return F.clamp(self, min, max)

    clip = clamp

    def clamp_min(self, min: Any) -> Tensor:
        """max(self, min)."""
        return F.clamp(self, min=min)

    def clamp_max(self, max: Any) -> Tensor:
        """min(self, max)."""
        return F.clamp(self, max=max)

    def maximum(self, other: Any) -> Tensor:
        """The elementwise maximum of self and other."""
        return F.maximum(self, other)

    def minimum(self, other: Any) -> Tensor:
        """The elementwise minimum of self and other."""
        return F.minimum(self, other)

    def where(self, condition: Any, other: Any) -> Tensor:
        """self where ``condition``, else other."""
        return F.where(condition, self, other)

    def masked_fill(self, mask: Any, value: Any) -> Tensor:
        """self with ``value`` where ``mask`` is true."""
        return F.masked_fill(self, mask, value)

    # --------------------------------------------------------------- activations
    def relu(self) -> Tensor:
        """max(0, self)."""
        return F.relu(self)

    def sigmoid(self) -> Tensor:
        """1 / (1 + e⁻ˢᵉˡᶠ)."""
        return F.sigmoid(self)

    def tanh(self) -> Tensor:
        """tanh self."""
        return F.tanh(self)

    def softmax(self, dim: builtins.int) -> Tensor:
        """Probabilities along ``dim``."""
        return F.softmax(self, dim)

    def log_softmax(self, dim: builtins.int) -> Tensor:
        """log softmax along ``dim``, computed stably."""
        return F.log_softmax(self, dim)

    # ----------------------------------------------------------------- in place
    def add_(self, other: Any, alpha: Number = 1) -> Tensor:
        """self += alpha · other, in place."""
        return F.inplace(self, F.add, other, alpha=alpha)

    def sub_(self, other: Any, alpha: Number = 1) -> Tensor:
        """self −= alpha · other, in place."""
        return F.inplace(self, F.sub, other, alpha=alpha)

    def mul_(self, other: Any) -> Tensor:
        """self ·= other, in place."""
        return F.inplace(self, F.mul, other)

    def div_(self, other: Any) -> Tensor:
        """self /= other, in place."""
        return F.inplace(self, F.div, other)

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:
        """self limited to [min, max], in place."""
        return F.inplace(self, F.clamp, min, max)

    def masked_fill_(self, mask: Any, value: Any) -> Tensor:
        """``value`` written where ``mask`` is true, in place."""
        return F.inplace(self, F.masked_fill, mask, value)

    def copy_(self, source: Any) -> Tensor:
        """``source``'s values (broadcast, converted to this dtype) written into self."""
        return F.inplace(self, F.copy_values, source)

    def zero_(self) -> Tensor:
        """Every element set to 0, in place."""
        return F.fill_(self, 0)

    def fill_(self, value: Any) -> Tensor:
        """Every element set to ``value``, in place."""
        return F.fill_(self, value)

    def uniform_(self, a: float = 0.0, b: float = 1.0) -> Tensor:
        """Filled with draws from U(a, b), in place."""
        return F.random_fill_(self, "uniform", a, b)

    def normal_(self, mean: float = 0.0, std: float = 1.0) -> Tensor:
        """Filled with draws from N(mean, std²), in place."""
        return F.random_fill_(self, "normal", mean, std)

    # ------------------------------------------------------- more pointwise
    def __rmod__(self, other: Any) -> Tensor:
        return F.remainder(other, self)

    def log1p(self) -> Tensor:
        """ln(1 + self)."""
        return F.log1p(self)

    def expm1(self) -> Tensor:
        """eˢᵉˡᶠ − 1."""
        return F.expm1(self)

    def trunc(self) -> Tensor:
        """self rounded toward zero."""
        return F.trunc(self)

    fix = trunc

    def frac(self) -> Tensor:
        """self − trunc(self)."""
        return F.frac(self)

    def fmod(self, other: Any) -> Tensor:
        """The remainder of self / other with self's sign."""
        return F.fmod(self, other)

    def remainder(self, other: Any) -> Tensor:
        """The remainder of self / other with other's sign (self % other)."""
        return F.remainder(self, other)

    def floor_divide(self, other: Any) -> Tensor:
        """⌊self / other⌋ (self // other)."""
        return F.floor_divide(self, other)

    def nan_to_num(
        self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
    ) -> Tensor:
        """self with NaN and ±inf replaced by finite numbers."""
        return F.nan_to_num(self, nan, posinf, neginf)

    def lerp(self, end: Any, weight: Any) -> Tensor:
        """self + weight · (end − self)."""
        return F.lerp(self, end, weight)

    def addcmul(self, tensor1: Any, tensor2: Any, *, value: Number = 1) -> Tensor:
        """self + value · tensor1 · tensor2."""
        return F.addcmul(self, tensor1, tensor2, value=value)

    def addcdiv(self, tensor1: Any, tensor2: Any, *, value: Number = 1) -> Tensor:
        """self + value · tensor1 / tensor2."""
        return F.addcdiv(self, tensor1, tensor2, value=value)

    def logaddexp(self, other: Any) -> Tensor:
        """ln(eˢᵉˡᶠ + eᵒᵗʰᵉʳ)."""
        return F.logaddexp(self, other)

    def hypot(self, other: Any) -> Tensor:
        """√(self² + other²)."""
        return F.hypot(self, other)

    def lerp_(self, end: Any, weight: Any) -> Tensor:
        """self ← self + weight · (end − self), in place."""
        return F.inplace(self, F.lerp, end, weight)

    def addcmul_(self, tensor1: Any, tensor2: Any, *, value: Number = 1) -> Tensor:
        """self += value · tensor1 · tensor2, in place."""
        return F.inplace(self, F.addcmul, tensor1, tensor2, value=value)

    def addcdiv_(self, tensor1: Any, tensor2: Any, *, value: Number = 1) -> Tensor:
        """self += value · tensor1 / tensor2, in place."""
        return F.inplace(self, F.addcdiv, tensor1, tensor2, value=value)

    def pow_(self, exponent: Any) -> Tensor:
        """self ← selfᵉˣᵖᵒⁿᵉⁿᵗ, in place."""
        return F.inplace(self, F.pow, exponent)

    def clamp_min_(self, min: Any) -> Tensor:
        """self ← max(self, min), in place."""
        return F.inplace(self, F.clamp, min=min)

    def clamp_max_(self, max: Any) -> Tensor:
        """self ← min(self, max), in place."""
        return F.inplace(self, F.clamp, max=max)

    def squeeze_(self, dim: Dim = None) -> Tensor:
        """Without the dimensions of length 1 (all, or those in ``dim``), in place."""
        return F.reshape_(self, F.squeeze, dim)

    def unsqueeze_(self, dim: builtins.int) -> Tensor:
        """With a new dimension of length 1 at ``dim``, in place."""
        return F.reshape_(self, F.unsqueeze, dim)

    def bernoulli(self, *, generator: Any = None) -> Tensor:
        """1 with probability self (elementwise), else 0."""
        return F.bernoulli(self, generator=generator)

    def bernoulli_(self, p: Any = 0.5, *, generator: Any = None) -> Tensor:
        """Filled with 1 with probability ``p``, else 0, in place."""
        return F.bernoulli_(self, p, generator=generator)

    def multinomial(
        self,
        num_samples: builtins.int,
        replacement: builtins.bool = False,
        *,
        generator: Any = None,
    ) -> Tensor:
        """``num_samples`` indices drawn with probabilities proportional to self's rows."""
        return F.multinomial(self, num_samples, replacement, generator=generator)

    def type_as(self, other: Any) -> Tensor:
        """This tensor with ``other``'s dtype and device."""
        return self.to(other.device, other.dtype)

    def new_zeros(self, *size: Any, **kwargs: Any) -> Tensor:
        """Zeros of ``size`` with this tensor's dtype and device (unless given)."""
        return F.new_zeros(self, *size, **kwargs)

    def new_ones(self, *size: Any, **kwargs: Any) -> Tensor:
        """Ones of ``size`` with this tensor's dtype and device (unless given)."""
        return F.new_ones(self, *size, **kwargs)

    def new_empty(self, *size: Any, **kwargs: Any) -> Tensor:
        """A tensor of ``size`` (zeroed) with this tensor's dtype and device (unless given)."""
        return F.new_empty(self, *size, **kwargs)

    def new_full(self, size: Any, fill_value: Any, **kwargs: Any) -> Tensor:
        """``fill_value`` in ``size``, with this tensor's dtype and device (unless given)."""
        return F.new_full(self, size, fill_value, **kwargs)

    def new_tensor(self, data: Any, **kwargs: Any) -> Tensor:
        """A copy of ``data`` with this tensor's dtype and device (unless given)."""
        return F.new_tensor(self, data, **kwargs)

    @property
    def itemsize(self) -> builtins.int:
        """Bytes per element."""
        return self.element_size()  # type: ignore[attr-defined]

    @property
    def nbytes(self) -> builtins.int:
        """Bytes of all the elements (numel · itemsize)."""
        return self.numel() * self.element_size()  # type: ignore[attr-defined]
