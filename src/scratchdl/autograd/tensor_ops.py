"""TensorOps: the PyTorch-named methods and operators of Tensor.

Each method is one line that calls the differentiable function of the same name in
``scratchdl.functional`` (``x.exp()`` is ``F.exp(x)``), where the maths and the backward
rule live. Functional sits above autograd in the architecture, so this module does not
import it: ``scratchdl.functional`` binds itself here (``bind``) when it loads, which
``import scratchdl`` always does first.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scratchdl.autograd import dtype as dtypes
from scratchdl.backend import device
from scratchdl.backend.device import DEVICE_TYPES

if TYPE_CHECKING:
    from scratchdl import functional as F
    from scratchdl.autograd.tensor import Tensor
else:
    F = None  # bound by scratchdl.functional (see ``bind``)

Dim = int | Sequence[int] | None
Number = builtins.int | builtins.float | builtins.bool


def bind(functional: Any) -> None:
    """Give the methods the functional package they call (done once, by that package)."""
    global F
    F = functional


class TensorOps:
    """The methods and operators a Tensor inherits; each delegates to ``scratchdl.functional``."""

    __slots__ = ()

    # ----------------------------------------------------------------- operators
    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """NumPy meeting a Tensor. With ``out=`` (an in-place update of a raw array, such as
        ``p.data -= lr * p.grad``) the ufunc runs on the arrays; ``array * tensor``,
        ``np.exp(tensor)`` and the like run as the Tensor operation, so the graph is kept;
        other ufuncs raise TypeError rather than silently drop the graph."""
        if kwargs.get("out") is not None:
            arrays = [x.data if isinstance(x, TensorOps) else x for x in inputs]
            return getattr(ufunc, method)(*arrays, **kwargs)
        operation = F.UFUNCS.get(ufunc.__name__) if method == "__call__" else None
        if operation is None or kwargs:
            raise TypeError(
                f"numpy.{ufunc.__name__} on a Tensor: use the scratchdl function (e.g. "
                f"sd.{ufunc.__name__}(x)) so that autograd sees it, or convert with "
                ".numpy() first"
            )
        return operation(*inputs)

    def __add__(self, other: Any) -> Tensor:
        return F.add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return F.add(other, self)

    def __sub__(self, other: Any) -> Tensor:
        return F.sub(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return F.sub(other, self)

    def __mul__(self, other: Any) -> Tensor:
        return F.mul(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return F.mul(other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return F.div(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return F.div(other, self)

    def __floordiv__(self, other: Any) -> Tensor:
        return F.floor_divide(self, other)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return F.floor_divide(other, self)

    def __mod__(self, other: Any) -> Tensor:
        return F.remainder(self, other)

    def __pow__(self, exponent: Any) -> Tensor:
        return F.pow(self, exponent)

    def __rpow__(self, base: Any) -> Tensor:
        return F.pow(base, self)

    def __matmul__(self, other: Any) -> Tensor:
        return F.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return F.matmul(other, self)

    def __neg__(self) -> Tensor:
        return F.neg(self)

    def __pos__(self) -> Tensor:
        return self  # type: ignore[return-value]

    def __abs__(self) -> Tensor:
        return F.abs(self)

    def __invert__(self) -> Tensor:
        return F.logical_not(self) if self.dtype == dtypes.bool_ else F.bitwise_not(self)

    def __and__(self, other: Any) -> Tensor:
        return F.logical_and(self, other)

    def __or__(self, other: Any) -> Tensor:
        return F.logical_or(self, other)

    def __xor__(self, other: Any) -> Tensor:
        return F.logical_xor(self, other)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return F.eq(self, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return F.ne(self, other)

    def __lt__(self, other: Any) -> Tensor:
        return F.lt(self, other)

    def __le__(self, other: Any) -> Tensor:
        return F.le(self, other)

    def __gt__(self, other: Any) -> Tensor:
        return F.gt(self, other)

    def __ge__(self, other: Any) -> Tensor:
        return F.ge(self, other)

    def __getitem__(self, index: Any) -> Tensor:
        return F.getitem(self, index)

    def __setitem__(self, index: Any, value: Any) -> None:
        F.setitem_(self, index, value)

    # In-place operators change this tensor (torch's semantics), not just the name.
    def __iadd__(self, other: Any) -> Tensor:
        return self.add_(other)

    def __isub__(self, other: Any) -> Tensor:
        return self.sub_(other)

    def __imul__(self, other: Any) -> Tensor:
        return self.mul_(other)

    def __itruediv__(self, other: Any) -> Tensor:
        return self.div_(other)

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

    # ---------------------------------------------------------------- comparisons
    def eq(self, other: Any) -> Tensor:
        """self == other, elementwise (bool)."""
        return F.eq(self, other)

    def ne(self, other: Any) -> Tensor:
        """self != other, elementwise (bool)."""
        return F.ne(self, other)

    def lt(self, other: Any) -> Tensor:
        """self < other, elementwise (bool)."""
        return F.lt(self, other)

    def le(self, other: Any) -> Tensor:
        """self <= other, elementwise (bool)."""
        return F.le(self, other)

    def gt(self, other: Any) -> Tensor:
        """self > other, elementwise (bool)."""
        return F.gt(self, other)

    def ge(self, other: Any) -> Tensor:
        """self >= other, elementwise (bool)."""
        return F.ge(self, other)

    def equal(self, other: Any) -> builtins.bool:
        """True when both have the same shape and values."""
        return F.equal(self, other)

    def allclose(
        self, other: Any, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: builtins.bool = False
    ) -> builtins.bool:
        """True when |self − other| <= atol + rtol·|other| everywhere."""
        return F.allclose(self, other, rtol, atol, equal_nan)

    def isnan(self) -> Tensor:
        """Where the elements are NaN (bool)."""
        return F.isnan(self)

    def isinf(self) -> Tensor:
        """Where the elements are ±inf (bool)."""
        return F.isinf(self)

    def isfinite(self) -> Tensor:
        """Where the elements are finite (bool)."""
        return F.isfinite(self)

    # ---------------------------------------------------------------- reductions
    def sum(self, dim: Dim = None, keepdim: builtins.bool = False, **kwargs: Any) -> Tensor:
        """Σ over ``dim`` (all by default)."""
        return F.sum(self, dim, keepdim, **kwargs)

    def mean(self, dim: Dim = None, keepdim: builtins.bool = False, **kwargs: Any) -> Tensor:
        """The mean over ``dim`` (floating-point tensors only, as in torch)."""
        return F.mean(self, dim, keepdim, **kwargs)

    def var(self, dim: Dim = None, *args: Any, **kwargs: Any) -> Tensor:
        """The variance over ``dim``, unbiased (correction=1) by default."""
        return F.var(self, dim, *args, **kwargs)

    def std(self, dim: Dim = None, *args: Any, **kwargs: Any) -> Tensor:
        """The standard deviation over ``dim``, unbiased (correction=1) by default."""
        return F.std(self, dim, *args, **kwargs)

    def prod(self, dim: builtins.int | None = None, keepdim: builtins.bool = False) -> Tensor:
        """Π over ``dim`` (all by default)."""
        return F.prod(self, dim, keepdim)

    def max(self, dim: Any = None, keepdim: builtins.bool = False) -> Any:
        """The largest element; with ``dim``, (values, indices) along it; with a tensor,
        the elementwise maximum."""
        return F.max(self, dim, keepdim)

    def min(self, dim: Any = None, keepdim: builtins.bool = False) -> Any:
        """The smallest element; with ``dim``, (values, indices) along it; with a tensor,
        the elementwise minimum."""
        return F.min(self, dim, keepdim)

    def amax(self, dim: Dim = (), keepdim: builtins.bool = False) -> Tensor:
        """The maximum over ``dim`` (all by default), values only."""
        return F.amax(self, dim, keepdim)

    def amin(self, dim: Dim = (), keepdim: builtins.bool = False) -> Tensor:
        """The minimum over ``dim`` (all by default), values only."""
        return F.amin(self, dim, keepdim)

    def argmax(
        self, dim: builtins.int | None = None, keepdim: builtins.bool = False, **kwargs: Any
    ) -> Tensor:
        """The index of the maximum (of the flattened tensor without ``dim``)."""
        return F.argmax(self, dim, keepdim, **kwargs)

    def argmin(
        self, dim: builtins.int | None = None, keepdim: builtins.bool = False, **kwargs: Any
    ) -> Tensor:
        """The index of the minimum (of the flattened tensor without ``dim``)."""
        return F.argmin(self, dim, keepdim, **kwargs)

    def logsumexp(self, dim: Dim, keepdim: builtins.bool = False) -> Tensor:
        """log Σ exp(self) over ``dim``, computed stably."""
        return F.logsumexp(self, dim, keepdim)

    def norm(self, p: Any = "fro", dim: Dim = None, keepdim: builtins.bool = False) -> Tensor:
        """The p-norm over ``dim`` (all elements by default)."""
        return F.norm(self, p, dim, keepdim)

    def all(self, dim: builtins.int | None = None, keepdim: builtins.bool = False) -> Tensor:
        """Whether every element (along ``dim``) is nonzero."""
        return F.all(self, dim, keepdim)

    def any(self, dim: builtins.int | None = None, keepdim: builtins.bool = False) -> Tensor:
        """Whether some element (along ``dim``) is nonzero."""
        return F.any(self, dim, keepdim)

    # ----------------------------------------------------------------- shapes
    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in a new shape (``reshape(2, -1)`` or ``reshape((2, -1))``)."""
        return F.reshape(self, *shape)

    def view(self, *shape: Any) -> Tensor:
        """``reshape`` under torch's name (scratchdl copies when memory requires it)."""
        return F.reshape(self, *shape)

    def view_as(self, other: Any) -> Tensor:
        """This tensor in ``other``'s shape."""
        return F.reshape(self, other.shape)

    reshape_as = view_as

    def flatten(self, start_dim: builtins.int = 0, end_dim: builtins.int = -1) -> Tensor:
        """Dimensions ``start_dim`` to ``end_dim`` merged into one."""
        return F.flatten(self, start_dim, end_dim)

    def squeeze(self, dim: Dim = None) -> Tensor:
        """Without the dimensions of length 1 (all of them, or those in ``dim``)."""
        return F.squeeze(self, dim)

    def unsqueeze(self, dim: builtins.int) -> Tensor:
        """With a new dimension of length 1 at ``dim``."""
        return F.unsqueeze(self, dim)

    def permute(self, *dims: Any) -> Tensor:
        """The dimensions reordered: ``x.permute(2, 0, 1)``."""
        return F.permute(self, *dims)

    def transpose(self, dim0: builtins.int, dim1: builtins.int) -> Tensor:
        """Dimensions ``dim0`` and ``dim1`` swapped."""
        return F.transpose(self, dim0, dim1)

    swapaxes = swapdims = transpose

    def t(self) -> Tensor:
        """The transpose of a matrix (a 0-d or 1-d tensor is returned as it is)."""
        return F.t(self)

    @property
    def T(self) -> Tensor:
        """The tensor with all its dimensions reversed."""
        return F.permute(self, *reversed(range(self.ndim)))

    @property
    def mT(self) -> Tensor:
        """The last two dimensions swapped (a batch of matrices transposed)."""
        return F.transpose(self, -2, -1)

    def expand(self, *sizes: Any) -> Tensor:
        """Broadcast to ``sizes`` (-1 keeps a dimension); the gradient is summed back."""
        return F.expand(self, *sizes)

    def expand_as(self, other: Any) -> Tensor:
        """Broadcast to ``other``'s shape."""
        return F.broadcast_to(self, other.shape)

    def repeat(self, *repeats: Any) -> Tensor:
        """Tiled ``repeats`` times along each dimension."""
        return F.repeat(self, *repeats)

    def contiguous(self) -> Tensor:
        """Self when its memory is in row-major order, else a row-major copy."""
        return F.contiguous(self)

    def chunk(self, chunks: builtins.int, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        """Split into ``chunks`` nearly equal pieces along ``dim``."""
        return F.chunk(self, chunks, dim)

    def split(self, split_size: Any, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        """Pieces of ``split_size`` (or the given sizes) along ``dim``."""
        return F.split(self, split_size, dim)

    def unbind(self, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        """The slices along ``dim``, that dimension removed."""
        return F.unbind(self, dim)

    def gather(self, dim: builtins.int, index: Any) -> Tensor:
        """out[i][j] = self[i][index[i][j]] for dim=1 (torch.gather)."""
        return F.gather(self, dim, index)

    def matmul(self, other: Any) -> Tensor:
        """The matrix product self @ other."""
        return F.matmul(self, other)

    mm = bmm = matmul

    def clone(self) -> Tensor:
        """A copy with its own data; the gradient flows back to this tensor."""
        return F.clone(self)

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """This tensor on another device and/or with another dtype: ``x.to("cuda")``,
        ``x.to(sd.float64)``, ``x.to(other)``, ``x.to(device, dtype)``. Returns self when
        nothing changes; otherwise a converted copy the gradient flows back through."""
        target_device, target_dtype = to_arguments(args, kwargs)
        result: Tensor = self  # type: ignore[assignment]
        if target_dtype is not None and target_dtype != result.dtype:
            result = F.cast(result, target_dtype)
        if target_device is not None and target_device != result.device:
            result = F.move_to_device(result, target_device)
        if kwargs.get("copy") and result is self:
            result = F.clone(result)
        return result

    def astype(self, dtype: Any) -> Tensor:
        """NumPy's name for ``to(dtype)``."""
        return self.to(dtype)

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

    # ---- sorting
    def sort(
        self,
        dim: builtins.int = -1,
        descending: builtins.bool = False,
        *,
        stable: builtins.bool = False,
    ) -> Any:
        """The named tuple (values, indices): sorted along ``dim``."""
        return F.sort(self, dim, descending, stable=stable)

    def argsort(
        self,
        dim: builtins.int = -1,
        descending: builtins.bool = False,
        *,
        stable: builtins.bool = False,
    ) -> Tensor:
        """The indices that sort along ``dim``."""
        return F.argsort(self, dim, descending, stable=stable)

    def topk(
        self,
        k: builtins.int,
        dim: builtins.int = -1,
        largest: builtins.bool = True,
        sorted: builtins.bool = True,
    ) -> Any:
        """The named tuple (values, indices) of the k largest (or smallest) along ``dim``."""
        return F.topk(self, k, dim, largest, sorted)

    def kthvalue(
        self, k: builtins.int, dim: builtins.int = -1, keepdim: builtins.bool = False
    ) -> Any:
        """The named tuple (values, indices) of the k-th smallest along ``dim``."""
        return F.kthvalue(self, k, dim, keepdim)

    def median(self, dim: builtins.int | None = None, keepdim: builtins.bool = False) -> Any:
        """The lower median of all elements; with ``dim``, (values, indices) along it."""
        return F.median(self, dim, keepdim)

    def cumsum(self, dim: builtins.int, *, dtype: Any = None) -> Tensor:
        """The cumulative sum along ``dim``."""
        return F.cumsum(self, dim, dtype=dtype)

    def cumprod(self, dim: builtins.int, *, dtype: Any = None) -> Tensor:
        """The cumulative product along ``dim``."""
        return F.cumprod(self, dim, dtype=dtype)

    def unique(
        self,
        sorted: builtins.bool = True,
        return_inverse: builtins.bool = False,
        return_counts: builtins.bool = False,
        dim: builtins.int | None = None,
    ) -> Any:
        """The distinct elements, ascending (with inverse indices and counts if asked)."""
        return F.unique(self, sorted, return_inverse, return_counts, dim)

    def bincount(self, weights: Any = None, minlength: builtins.int = 0) -> Tensor:
        """How often each value 0, 1, ..., max occurs (or the sum of its weights)."""
        return F.bincount(self, weights, minlength)

    def nonzero(self, *, as_tuple: builtins.bool = False) -> Any:
        """The indices of the nonzero elements."""
        return F.nonzero(self, as_tuple=as_tuple)

    def count_nonzero(self, dim: Dim = None) -> Tensor:
        """How many elements are nonzero over ``dim`` (all by default)."""
        return F.count_nonzero(self, dim)

    # ---- elementwise
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

    # ---- indexing
    def index_select(self, dim: builtins.int, index: Any) -> Tensor:
        """The slices along ``dim`` at the positions in ``index`` (torch.index_select)."""
        return F.index_select(self, dim, index)

    def scatter(
        self,
        dim: builtins.int,
        index: Any,
        src: Any = None,
        value: Any = None,
        *,
        reduce: Any = None,
    ) -> Tensor:
        """A copy with ``src`` (or ``value``) written along ``dim`` at ``index``."""
        return F.scatter(self, dim, index, src, value, reduce=reduce)

    def scatter_(
        self,
        dim: builtins.int,
        index: Any,
        src: Any = None,
        value: Any = None,
        *,
        reduce: Any = None,
    ) -> Tensor:
        """``src`` (or ``value``) written along ``dim`` at ``index``, in place."""
        return F.inplace(self, F.scatter, dim, index, src, value, reduce=reduce)

    def scatter_add(self, dim: builtins.int, index: Any, src: Any) -> Tensor:
        """A copy with ``src`` added along ``dim`` at ``index``."""
        return F.scatter_add(self, dim, index, src)

    def scatter_add_(self, dim: builtins.int, index: Any, src: Any) -> Tensor:
        """``src`` added along ``dim`` at ``index``, in place."""
        return F.inplace(self, F.scatter_add, dim, index, src)

    def index_add(self, dim: builtins.int, index: Any, source: Any, *, alpha: Number = 1) -> Tensor:
        """A copy with alpha · ``source``'s slices added along ``dim`` at ``index``."""
        return F.index_add(self, dim, index, source, alpha=alpha)

    def index_add_(
        self, dim: builtins.int, index: Any, source: Any, *, alpha: Number = 1
    ) -> Tensor:
        """alpha · ``source``'s slices added along ``dim`` at ``index``, in place."""
        return F.inplace(self, F.index_add, dim, index, source, alpha=alpha)

    def narrow(self, dim: builtins.int, start: Any, length: builtins.int) -> Tensor:
        """``length`` slices along ``dim`` from ``start``."""
        return F.narrow(self, dim, start, length)

    def repeat_interleave(
        self, repeats: Any, dim: builtins.int | None = None, *, output_size: Any = None
    ) -> Tensor:
        """Each slice along ``dim`` repeated ``repeats`` times, the copies side by side."""
        return F.repeat_interleave(self, repeats, dim, output_size=output_size)

    def flip(self, *dims: Any) -> Tensor:
        """Reversed along ``dims``: ``x.flip(0)``, ``x.flip(0, 1)`` or ``x.flip((0, 1))``."""
        return F.flip(self, dims[0] if len(dims) == 1 else dims)

    def roll(self, shifts: Any, dims: Any = None) -> Tensor:
        """Shifted cyclically by ``shifts`` along ``dims``."""
        return F.roll(self, shifts, dims)

    def tril(self, diagonal: builtins.int = 0) -> Tensor:
        """The lower triangle of the last two dimensions, the rest 0."""
        return F.tril(self, diagonal)

    def triu(self, diagonal: builtins.int = 0) -> Tensor:
        """The upper triangle of the last two dimensions, the rest 0."""
        return F.triu(self, diagonal)

    def diag(self, diagonal: builtins.int = 0) -> Tensor:
        """A vector's diagonal matrix, or a matrix's diagonal."""
        return F.diag(self, diagonal)

    def diagonal(
        self, offset: builtins.int = 0, dim1: builtins.int = 0, dim2: builtins.int = 1
    ) -> Tensor:
        """The diagonal ``offset`` of the matrices in dimensions dim1 and dim2."""
        return F.diagonal(self, offset, dim1, dim2)

    def dot(self, other: Any) -> Tensor:
        """The inner product with a 1-d tensor of the same length and dtype."""
        return F.dot(self, other)

    def outer(self, vec2: Any) -> Tensor:
        """The outer product with a 1-d tensor."""
        return F.outer(self, vec2)

    def addmm(self, mat1: Any, mat2: Any, *, beta: Number = 1, alpha: Number = 1) -> Tensor:
        """beta · self + alpha · (mat1 @ mat2)."""
        return F.addmm(self, mat1, mat2, beta=beta, alpha=alpha)


def to_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, Any]:
    """(device or None, dtype or None) from the arguments of ``Tensor.to`` / ``Module.to``
    in torch's forms: a device or its name, a dtype, a tensor (both), an int (cuda:i)."""
    target_device, target_dtype = kwargs.get("device"), kwargs.get("dtype")
    for arg in args:
        if isinstance(arg, TensorOps):  # a tensor: its device and dtype
            target_device, target_dtype = arg.device, arg.dtype  # type: ignore[attr-defined]
        elif isinstance(arg, device) or (isinstance(arg, str) and _is_device_name(arg)):
            target_device = arg
        elif isinstance(arg, builtins.int) and not isinstance(arg, builtins.bool):
            target_device = device("cuda", arg)
        elif arg is not None:
            target_dtype = arg
    return (
        None if target_device is None else device(target_device),
        None if target_dtype is None else dtypes.as_dtype(target_dtype),
    )


def _is_device_name(name: str) -> builtins.bool:
    return name.partition(":")[0] in DEVICE_TYPES
