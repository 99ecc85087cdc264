"""Tensor: an array that remembers the Function that computed it.

A Tensor wraps an array (``data``: NumPy on the CPU, CuPy on a GPU) and, once an operation
that requires a gradient produced it, the ``creator`` Function. ``backward()`` walks those
creators in reverse and leaves d(output)/d(leaf) in each leaf's ``grad``.

The PyTorch-named methods (``x.exp()``, ``x.sum(dim=1)``, ``x.view(-1, 784)``, the
operators, ...) live in ``TensorOps``; this file holds what a tensor *is*: its data and
version, its gradient and graph links, conversions between dtypes and devices, and
Python's protocols (``len``, ``bool``, ``float``, ``format``, ``repr``).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from scratchdl.autograd import dtype as dtypes
from scratchdl.autograd.printing import format_tensor
from scratchdl.autograd.tensor_ops import TensorOps
from scratchdl.backend import (
    ARRAY_TYPES,
    CPU,
    device,
    device_of,
    get_array_module,
    get_default_device,
    to_device,
    to_numpy,
)

if TYPE_CHECKING:
    from scratchdl.autograd.function import Function


class Size(tuple):
    """A tensor's shape, as ``x.size()`` returns it (a tuple, as torch.Size)."""

    __slots__ = ()

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds."""
        return int(np.prod(self, dtype=np.int64))

    def __repr__(self) -> str:
        return f"scratchdl.Size({list(self)})"


class RemovableHandle:
    """A registered hook; ``remove()`` unregisters it (as ``torch.utils.hooks``)."""

    _next_id = 0

    def __init__(self, hooks: dict[int, Any], hook: Any) -> None:
        RemovableHandle._next_id += 1
        self.hooks, self.id = hooks, RemovableHandle._next_id
        hooks[self.id] = hook

    def remove(self) -> None:
        """Unregister the hook (again is harmless)."""
        self.hooks.pop(self.id, None)


_NO_HOOKS: dict[int, Any] = {}  # shared by every tensor without hooks; never written

RETAIN_GRAD = "retain_grad"
"""The key under which ``retain_grad`` marks a tensor's gradient hooks."""


class Tensor(TensorOps):
    """An n-dimensional array with automatic differentiation.

    ``Tensor(data)`` is torch's legacy constructor: a float32 copy of ``data`` (a list, an
    array, a number sequence), and ``Tensor(2, 3)`` an uninitialised (here: zero) float32
    tensor of that shape. ``sd.tensor(data)`` infers the dtype instead; the library wraps
    its own arrays without a copy (``wrap``).

    Attributes:
        data: the array (reading it gives the array itself; assigning to it — including
            ``x.data *= 2`` — replaces the values and counts as an in-place change).
        grad: the accumulated gradient (a Tensor) after ``backward()``, else None.
            Gradients add up across backward calls until reset (``x.grad = None``, or an
            optimizer's ``zero_grad()``), as in PyTorch. Each leaf owns its gradient array.
        requires_grad: whether operations on this tensor record a graph.
        creator: the Function that produced this tensor (None for leaves); ``grad_fn``.
    """

    __slots__ = (
        "__weakref__",
        "_data",
        "_version",
        "creator",
        "grad",
        "gradient_hooks",
        "post_accumulate_grad_hooks",
        "requires_grad",
    )
    __hash__ = object.__hash__  # == is elementwise, so hash by identity
    __array_priority__ = 1000  # NumPy defers to our operators: array * tensor -> Tensor

    _data: Any
    _version: int
    creator: Function | None
    grad: Tensor | None
    requires_grad: builtins.bool
    gradient_hooks: dict[Any, Any]
    post_accumulate_grad_hooks: dict[int, Any]

    def __init__(self, *data: Any, requires_grad: builtins.bool = False) -> None:
        init_leaf(self, to_device(_legacy_constructor_array(data), get_default_device()))
        if requires_grad:
            self.requires_grad_(True)

    # ------------------------------------------------------------- data and version
    @property
    def data(self) -> Any:
        """The array holding the values (NumPy or CuPy), shared, not copied."""
        return self._data

    @data.setter
    def data(self, value: Any) -> None:
        self._data = value.data if isinstance(value, Tensor) else value
        self._version += 1

    def bump_version(self) -> None:
        """Record that the values changed in place (optimizers call it after an update):
        backward through a graph that saved the old values then raises."""
        self._version += 1

    # ------------------------------------------------------------------- attributes
    @property
    def shape(self) -> Size:
        """The shape, a ``Size`` (a tuple)."""
        return Size(self._data.shape)

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    @property
    def dtype(self) -> np.dtype:
        """The data type (``sd.float32``, ``sd.int64``, ... are NumPy dtypes)."""
        return self._data.dtype

    @property
    def device(self) -> device:
        """Where the data lives: ``device('cpu')`` or ``device('cuda', i)``."""
        return device_of(self._data)

    @property
    def is_cuda(self) -> builtins.bool:
        """True when the data lives on a GPU."""
        return self.device.type == "cuda"

    @property
    def is_leaf(self) -> builtins.bool:
        """True for tensors created by the user rather than by a recorded operation."""
        return self.creator is None

    @property
    def grad_fn(self) -> Function | None:
        """The Function that produced this tensor (PyTorch's name for ``creator``)."""
        return self.creator

    def size(self, dim: int | None = None) -> Any:
        """The shape as a ``Size``, or the length of dimension ``dim``."""
        if dim is None:
            return self.shape
        return self._data.shape[checked_dim(dim, self.ndim, "size")]

    def dim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    ndimension = dim

    def numel(self) -> int:
        """The number of elements."""
        return int(self._data.size)

    nelement = numel

    def element_size(self) -> int:
        """Bytes per element."""
        return self._data.itemsize

    def is_floating_point(self) -> builtins.bool:
        """True for float16/32/64 tensors."""
        return self._data.dtype.kind == "f"

    def is_contiguous(self) -> builtins.bool:
        """True when the elements lie in memory in row-major order."""
        return builtins.bool(self._data.flags.c_contiguous)

    # ------------------------------------------------------------------ conversions
    def numpy(self, force: builtins.bool = False) -> np.ndarray:
        """The data as a NumPy array (shared, not copied, when it already lives there)."""
        return to_numpy(self._data)

    def __array__(self, dtype: Any = None, copy: builtins.bool | None = None) -> np.ndarray:
        array = self.numpy()
        return array if dtype is None else array.astype(dtype, copy=False)

    def item(self) -> Any:
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise ValueError(
                f"item: a Tensor with {self._data.size} elements cannot be converted to a "
                "Python scalar; expected exactly 1"
            )
        return self._data.item()

    def tolist(self) -> Any:
        """The data as (nested) Python lists, or a number for a 0-d tensor."""
        return self._data.tolist()

    def detach(self) -> Tensor:
        """A new leaf sharing this tensor's data, cut from the graph."""
        return wrap(self._data)

    def detach_(self) -> Tensor:
        """Cut this tensor from the graph, in place; return it."""
        self.creator = None
        self.requires_grad = False
        return self

    def requires_grad_(self, requires_grad: builtins.bool = True) -> Tensor:
        """Set ``requires_grad`` in place and return self. Only floating-point (and complex)
        tensors can require gradients; only leaves can stop requiring them."""
        if requires_grad and self._data.dtype.kind not in "fc":
            raise RuntimeError(
                f"requires_grad_: only floating-point tensors can require gradients, "
                f"got dtype {self._data.dtype}; convert first, e.g. x.float()"
            )
        if not requires_grad and not self.is_leaf:
            raise RuntimeError(
                "requires_grad_: a tensor computed by a recorded operation always requires "
                "grad; use .detach() to get one that does not"
            )
        self.requires_grad = requires_grad
        return self

    def type(self, dtype: Any = None) -> Any:
        """Without an argument, torch's type name ("torch.FloatTensor"); with one, this
        tensor converted to that dtype."""
        if dtype is None:
            name = dtypes.TENSOR_TYPE_NAMES.get(self.dtype, f"{self.dtype}Tensor")
            return f"torch.{'cuda.' if self.is_cuda else ''}{name}"
        if isinstance(dtype, str) and dtype.removeprefix("torch.") in _TYPE_NAME_DTYPES:
            dtype = _TYPE_NAME_DTYPES[dtype.removeprefix("torch.")]
        return self.to(dtypes.as_dtype(dtype))

    def float(self) -> Tensor:
        """This tensor as float32."""
        return self.to(dtypes.float32)

    def double(self) -> Tensor:
        """This tensor as float64."""
        return self.to(dtypes.float64)

    def half(self) -> Tensor:
        """This tensor as float16."""
        return self.to(dtypes.float16)

    def long(self) -> Tensor:
        """This tensor as int64."""
        return self.to(dtypes.int64)

    def int(self) -> Tensor:
        """This tensor as int32."""
        return self.to(dtypes.int32)

    def short(self) -> Tensor:
        """This tensor as int16."""
        return self.to(dtypes.int16)

    def byte(self) -> Tensor:
        """This tensor as uint8."""
        return self.to(dtypes.uint8)

    def bool(self) -> Tensor:
        """This tensor as bool (nonzero is True)."""
        return self.to(dtypes.bool_)

    def cpu(self) -> Tensor:
        """This tensor on the CPU (self when already there)."""
        return self.to("cpu")

    def cuda(self, device: int | str | None = None) -> Tensor:
        """This tensor on a CUDA GPU (``device``: its index, default 0)."""
        return self.to(_cuda_device(device))

    # ----------------------------------------------------------------- autograd
    def backward(
        self,
        gradient: Any = None,
        retain_graph: builtins.bool | None = None,
        create_graph: builtins.bool = False,
    ) -> None:
        """Accumulate d(self)/d(leaf) into the ``grad`` of every leaf that requires it.

        Args:
            gradient: d(loss)/d(self), the same shape as self; may be omitted only for a
                one-element tensor (it is then 1).
            retain_graph: keep the graph so backward can run through it again; by default
                it is freed as it is used.
            create_graph: record the backward pass itself, for higher-order gradients
                (implies ``retain_graph``).
        """
        engine.backward(
            self, gradient, retain_graph=builtins.bool(retain_graph), create_graph=create_graph
        )

    def register_post_accumulate_grad_hook(self, hook: Callable[[Tensor], Any]) -> Any:
        """Call ``hook(self)`` after each backward pass has written this leaf's ``.grad``
        (after every leaf of that pass has its gradient). Returns a handle whose
        ``remove()`` unregisters it. Raises RuntimeError on a non-leaf tensor."""
        if not self.is_leaf:
            raise RuntimeError(
                "register_post_accumulate_grad_hook: only leaf tensors get a .grad; "
                "this tensor was computed by an operation"
            )
        if self.post_accumulate_grad_hooks is _NO_HOOKS:
            self.post_accumulate_grad_hooks = {}
        return RemovableHandle(self.post_accumulate_grad_hooks, hook)

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> Any:
        """Call ``hook(grad)`` whenever a backward pass has the whole gradient of the loss
        with respect to this tensor; a Tensor it returns replaces that gradient from there
        on (for a leaf: before it is added to ``.grad``). Returns a handle whose ``remove()``
        unregisters it. Raises RuntimeError on a tensor that does not require grad."""
        return RemovableHandle(self._gradient_hooks("register_hook"), hook)

    def retain_grad(self) -> None:
        """Keep this non-leaf tensor's gradient in ``.grad`` after backward (added up over
        backward calls, as a leaf's); a leaf keeps it already. The gradient kept is the
        one after this tensor's other hooks."""
        if not self.requires_grad:
            raise RuntimeError(
                "retain_grad: can't retain_grad on a tensor that doesn't require grad"
            )
        if not self.is_leaf:
            self._gradient_hooks("retain_grad")[RETAIN_GRAD] = None

    @property
    def retains_grad(self) -> builtins.bool:
        """Whether ``retain_grad()`` was called on this non-leaf tensor."""
        return RETAIN_GRAD in self.gradient_hooks

    def _gradient_hooks(self, op: str) -> dict[Any, Any]:
        """This tensor's own dict of gradient hooks, made on first use and shared with its
        creator (``Function.output_hooks``), which runs them during backward."""
        if not self.requires_grad:
            raise RuntimeError(
                f"{op}: cannot register a hook on a tensor that doesn't require gradient"
            )
        if self.gradient_hooks is _NO_HOOKS:
            self.gradient_hooks = {}
            if self.creator is not None:
                self.creator.output_hooks = self.gradient_hooks
        return self.gradient_hooks

    # -------------------------------------------------------------- Python protocols
    def __len__(self) -> builtins.int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def __iter__(self) -> Iterator[Tensor]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self._data)))

    def __bool__(self) -> builtins.bool:
        if self._data.size != 1:
            raise RuntimeError(
                f"Boolean value of a Tensor with {self._data.size} values is ambiguous; "
                "use .any() or .all()"
            )
        return builtins.bool(self._data)

    def __float__(self) -> builtins.float:
        return builtins.float(self.item())

    def __int__(self) -> builtins.int:
        return builtins.int(self.item())

    def __index__(self) -> builtins.int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError(
                "only integer tensors of a single element can be converted to an index, "
                f"got dtype {self._data.dtype} with {self._data.size} elements"
            )
        return builtins.int(self._data.item())

    def __contains__(self, value: Any) -> builtins.bool:
        other = value._data if isinstance(value, Tensor) else value
        return builtins.bool((self._data == other).any())

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return format(self.item(), spec)
        return format(str(self), spec)

    def __repr__(self) -> str:
        return format_tensor(self)

    def __copy__(self) -> Tensor:
        copied = object.__new__(type(self))
        for name in Tensor.__slots__[1:]:
            object.__setattr__(copied, name, getattr(self, name))
        return copied

    def __deepcopy__(self, memo: dict[int, Any]) -> Tensor:
        """A leaf with copies of the data and gradient (``copy.deepcopy(model)`` and
        ``copy.deepcopy(model.state_dict())`` rely on it)."""
        if not self.is_leaf:
            raise RuntimeError(
                "deepcopy: only tensors created by the user (graph leaves) can be deep-copied; "
                "copy x.detach() instead"
            )
        copied = object.__new__(type(self))
        init_leaf(copied, self._data.copy())
        copied.requires_grad = self.requires_grad
        memo[id(self)] = copied
        copied.grad = None if self.grad is None else self.grad.__deepcopy__(memo)
        return copied

    def __reduce__(self) -> Any:
        raise TypeError(
            "Tensors are not pickled by scratchdl (pickle runs code on load); save them "
            "with sd.save(obj, path)"
        )


def init_leaf(t: Tensor, array: Any) -> None:
    """Fill the slots of a new leaf tensor holding ``array``."""
    t._data = array
    t._version = 0
    t.grad = None
    t.creator = None
    t.requires_grad = False
    t.gradient_hooks = t.post_accumulate_grad_hooks = _NO_HOOKS


def wrap(array: Any) -> Tensor:
    """A leaf Tensor holding ``array`` as it is: no copy, no dtype change (a NumPy scalar,
    as a full reduction returns, becomes a 0-d array). The library's own constructor for
    arrays it computed (``sd.from_numpy`` is the public one)."""
    t = object.__new__(Tensor)  # init_leaf's assignments, inline: this runs for every result
    t._data = array if isinstance(array, ARRAY_TYPES) else np.asarray(array)
    t._version = 0
    t.grad = None
    t.creator = None
    t.requires_grad = False
    t.gradient_hooks = t.post_accumulate_grad_hooks = _NO_HOOKS
    return t


def tensor(
    data: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: builtins.bool = False,
) -> Tensor:
    """A new leaf tensor holding a copy of ``data`` (numbers, nested lists, arrays,
    tensors), with torch's dtype inference: Python floats become float32, ints int64,
    bools bool; NumPy data keeps its dtype; made on ``device`` (None: the default device).
    Raises TypeError for non-numeric data."""
    array = _as_array(data, dtype, copy=True)
    result = wrap(to_device(array, _placement(data, array, device)))
    return result.requires_grad_() if requires_grad else result


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """``data`` as a Tensor, sharing memory where it can: a Tensor is returned as it is
    (converted if ``dtype``/``device`` differ), an array of the right dtype is wrapped
    without a copy when it is on ``device`` (None: the default device); anything else is
    converted as ``tensor`` does."""
    if isinstance(data, Tensor):
        return data.to(device, dtype) if (dtype is not None or device is not None) else data
    array = _as_array(data, dtype, copy=False)
    return wrap(to_device(array, _placement(data, array, device)))


def _placement(data: Any, array: Any, target: Any) -> Any:
    """Where a tensor made from ``data`` goes: ``target`` if given, else where the data
    already lives if that is a device (or a Tensor), else the default device."""
    if target is not None:
        return target
    where = device_of(array)
    return where if where != CPU or isinstance(data, Tensor) else get_default_device()


def _as_array(data: Any, dtype: Any, copy: builtins.bool) -> Any:
    """``data`` as an array by torch's inference rule (``infer_dtype``), or of ``dtype``."""
    if isinstance(data, Tensor):
        data = data._data
    from_python = not isinstance(data, (*ARRAY_TYPES, np.generic))
    array = data if isinstance(data, ARRAY_TYPES) else np.asarray(data)
    if array.dtype.kind not in "biufc":
        raise TypeError(
            f"tensor: expected numeric data (bool, int, float or complex), got dtype "
            f"{array.dtype} from {type(data).__name__}"
        )
    target = dtypes.infer_dtype(array, from_python) if dtype is None else dtypes.as_dtype(dtype)
    return array.astype(target, copy=copy)


def _legacy_constructor_array(args: tuple[Any, ...]) -> Any:
    """The array ``Tensor(*args)`` holds (on the host; it goes to the default device):
    ``Tensor(data)`` a default-float copy of data, ``Tensor(2, 3)`` zeros of that shape,
    ``Tensor()`` an empty 1-d tensor."""
    default = dtypes.get_default_dtype()
    if not args:
        return np.zeros(0, default)
    if builtins.all(isinstance(n, builtins.int) and not isinstance(n, builtins.bool) for n in args):
        return np.zeros(args, default)
    if len(args) == 1:
        return _as_array(args[0], default, copy=True)
    raise TypeError(f"Tensor(): expected data or sizes, got {args!r}")


def checked_dim(dim: int, ndim: int, op: str) -> int:
    """``dim`` as a non-negative dimension of an ``ndim``-d tensor; IndexError naming ``op``."""
    if not -max(ndim, 1) <= dim < max(ndim, 1):
        raise IndexError(
            f"{op}: dimension {dim} is out of range for a {ndim}-d tensor "
            f"(expected {-max(ndim, 1)} to {max(ndim, 1) - 1})"
        )
    return dim % max(ndim, 1)


def _cuda_device(index: int | str | None) -> device:
    if index is None:
        return device("cuda", 0)
    return device(index) if isinstance(index, (str, device)) else device("cuda", index)


_TYPE_NAME_DTYPES = {name: dtype for dtype, name in dtypes.TENSOR_TYPE_NAMES.items()}


def as_operand(value: Any, like: Tensor) -> Tensor:
    """A non-Tensor operand (a Python number, an array) as a constant Tensor on ``like``'s
    device; Python numbers take ``like``'s dtype (torch's promotion has already chosen it)."""
    if isinstance(value, Tensor):
        return value
    xp = get_array_module(like._data)
    if dtypes.is_python_number(value):
        return wrap(xp.asarray(value, dtype=like._data.dtype))
    return wrap(xp.asarray(_as_array(value, None, copy=False)))


# Last: the engine imports this module, and needs Tensor (defined above) when it does.
from scratchdl.autograd import engine  # noqa: E402
