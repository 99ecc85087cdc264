"""TensorOps: the PyTorch-named methods and operators of Tensor: the operators,
comparisons and reductions here, the elementwise methods in ``tensor_arithmetic`` and
the shape, selection, sorting and indexing methods in ``tensor_shape_ops``.

Each method is one line that calls the differentiable function of the same name in
``scratchdl.functional`` (``x.exp()`` is ``F.exp(x)``), where the maths and the backward
rule live. Functional sits above autograd in the architecture, so this module does not
import it: ``scratchdl.functional`` binds itself here (``bind``) when it loads, which
``import scratchdl`` always does first.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from scratchdl.autograd import dtype as dtypes
from scratchdl.autograd import tensor_arithmetic, tensor_shape_ops
from scratchdl.autograd.tensor_arithmetic import ArithmeticOps, Dim
from scratchdl.autograd.tensor_shape_ops import ShapeOps
from scratchdl.backend import device
from scratchdl.backend.device import DEVICE_TYPES

if TYPE_CHECKING:
    from scratchdl import functional as F
    from scratchdl.autograd.tensor import Tensor
else:
    F = None  # bound by scratchdl.functional (see ``bind``)


def bind(functional: Any) -> None:
    """Give the methods the functional package they call (done once, by that package)."""
    global F
    F = tensor_arithmetic.F = tensor_shape_ops.F = functional


class TensorOps(ArithmeticOps, ShapeOps):
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

    # ----------------------------------------------------------- conversions
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
