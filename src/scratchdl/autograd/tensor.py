"""Tensor: an array that remembers the Function that computed it.

A Tensor wraps an array (``data``) and, once an operation that requires a gradient produced
it, the ``creator`` Function. ``backward()`` walks those creators in reverse and leaves
d(output)/d(leaf) in each leaf's ``grad``.

Arithmetic operators and NumPy-named methods (``exp``, ``sum``, ``reshape``, ``@``, ...) are
differentiable Functions defined in ``scratchdl.functional``; that package attaches them to
this class when it is imported (``import scratchdl`` does it), because the engine sits below
the functions in the architecture and must not import them.
"""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any

import numpy as np

from scratchdl.backend import ARRAY_TYPES, to_numpy

if TYPE_CHECKING:
    from scratchdl.autograd.function import Function

DTypeLike = Any


def _to_array(data: Any, dtype: DTypeLike = None) -> np.ndarray:
    """Convert Python or NumPy data to a new array by ``sd.tensor``'s rule.

    NumPy float64 data stays float64; everything else (Python numbers and lists, ints, bools,
    float16/32) becomes float32, unless ``dtype`` says otherwise.
    """
    if isinstance(data, Tensor):
        data = data.data
    array = data if isinstance(data, ARRAY_TYPES) else np.asarray(data)
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"tensor: expected numeric data (bool, int or float), got dtype {array.dtype} "
            f"from {type(data).__name__}"
        )
    if dtype is None:
        keeps_float64 = array.dtype == np.float64 and isinstance(data, (*ARRAY_TYPES, np.generic))
        dtype = np.float64 if keeps_float64 else np.float32
    return array.astype(dtype, copy=True)


def tensor(data: Any, dtype: DTypeLike = None, requires_grad: bool = False) -> Tensor:
    """Create a Tensor holding a copy of ``data``.

    The dtype is float32 unless ``data`` is a NumPy float64 array or scalar (kept as float64)
    or ``dtype`` is given. Raises TypeError for non-numeric data.
    """
    return Tensor(_to_array(data, dtype), requires_grad=requires_grad)


def as_tensor(value: Any, dtype: DTypeLike = None) -> Tensor:
    """Return ``value`` as a Tensor without copying Tensors.

    A Python number takes ``dtype`` (the dtype of the tensor it meets in an operation), so
    ``x * 0.5`` stays float32 for a float32 ``x``; other data follows ``tensor``'s rule.
    """
    if isinstance(value, Tensor):
        return value
    is_number = isinstance(value, (int, float, bool)) and not isinstance(value, np.generic)
    if is_number and dtype is not None and np.dtype(dtype).kind == "f":
        return Tensor(np.asarray(value, dtype=dtype))
    return Tensor(_to_array(value))


_NO_HOOKS: dict[int, Any] = {}  # shared by every tensor without hooks; never written


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


class Tensor:
    """An n-dimensional array with automatic differentiation.

    ``Tensor(array)`` wraps a NumPy array (or NumPy scalar) as it is (any dtype, no copy);
    other data is converted by ``sd.tensor``'s rule. Use ``sd.tensor`` to copy.

    Attributes:
        data: the array.
        grad: the accumulated gradient (a Tensor) after ``backward()``, else None.
            Gradients add up across backward calls until reset (``x.grad = None``, or an
            optimizer's ``zero_grad()``), as in PyTorch.
        requires_grad: whether operations on this tensor record a graph.
        creator: the Function that produced this tensor (None for leaves).
    """

    __slots__ = (
        "__weakref__",
        "creator",
        "data",
        "grad",
        "post_accumulate_grad_hooks",
        "requires_grad",
    )
    # NumPy defers to our reflected operators (array * tensor -> Tensor) and refuses ufuncs
    # (np.exp(tensor) raises) instead of silently dropping the graph.
    __array_ufunc__ = None
    __hash__ = object.__hash__  # == is elementwise, so hash by identity

    def __init__(self, data: Any, requires_grad: bool = False) -> None:
        if not isinstance(data, ARRAY_TYPES):
            data = np.asarray(data) if isinstance(data, np.generic) else _to_array(data)
        self.data = data
        self.grad: Tensor | None = None
        self.creator: Function | None = None
        self.requires_grad = False
        self.post_accumulate_grad_hooks: dict[int, Any] = _NO_HOOKS
        if requires_grad:
            self.requires_grad_(True)

    # ----------------------------------------------------------------- array attributes
    @property
    def shape(self) -> tuple[int, ...]:
        """The array's shape."""
        return self.data.shape

    @property
    def ndim(self) -> int:
        """The number of axes."""
        return self.data.ndim

    @property
    def size(self) -> int:
        """The number of elements."""
        return self.data.size

    @property
    def dtype(self) -> np.dtype:
        """The array's dtype."""
        return self.data.dtype

    @property
    def is_leaf(self) -> bool:
        """True for tensors created by the user rather than by a recorded operation."""
        return self.creator is None

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    # ------------------------------------------------------------------- conversions
    def numpy(self) -> np.ndarray:
        """The data as a NumPy array (shared, not copied, when it already lives in NumPy)."""
        return to_numpy(self.data)

    def __array__(self, dtype: DTypeLike = None, copy: bool | None = None) -> np.ndarray:
        array = self.numpy()
        return array if dtype is None else array.astype(dtype, copy=False)

    def item(self) -> float | int | bool:
        """The value of a one-element tensor as a Python number."""
        if self.data.size != 1:
            raise ValueError(f"item: tensor has {self.data.size} elements, expected exactly 1")
        return self.data.item()

    def tolist(self) -> Any:
        """The data as (nested) Python lists."""
        return self.data.tolist()

    def detach(self) -> Tensor:
        """A new leaf sharing this tensor's data, cut from the graph."""
        return Tensor(self.data)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place and return self. Only float tensors can require it."""
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(
                f"requires_grad: only floating-point tensors can require gradients, "
                f"got dtype {self.data.dtype}; convert with .astype('float32') first"
            )
        self.requires_grad = requires_grad
        return self

    def register_post_accumulate_grad_hook(self, hook: Any) -> RemovableHandle:
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

    def backward(
        self,
        gradient: Any = None,
        retain_graph: bool = False,
        create_graph: bool = False,
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
        from scratchdl.autograd.engine import backward

        backward(self, gradient, retain_graph=retain_graph, create_graph=create_graph)

    # -------------------------------------------------- comparisons (never differentiable)
    def _compare(self, other: Any, compare: Any) -> Tensor:
        other_data = other.data if isinstance(other, Tensor) else other
        return Tensor(compare(self.data, other_data))

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, operator.eq)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, operator.ne)

    def __lt__(self, other: Any) -> Tensor:
        return self._compare(other, operator.lt)

    def __le__(self, other: Any) -> Tensor:
        return self._compare(other, operator.le)

    def __gt__(self, other: Any) -> Tensor:
        return self._compare(other, operator.gt)

    def __ge__(self, other: Any) -> Tensor:
        return self._compare(other, operator.ge)

    def __bool__(self) -> bool:
        return bool(self.data)

    def __repr__(self) -> str:
        body = np.array2string(to_numpy(self.data), separator=", ", prefix="tensor(")
        extras = []
        if self.data.dtype != np.float32:
            extras.append(f"dtype={self.data.dtype}")
        if self.creator is not None:
            extras.append(f"grad_fn=<{type(self.creator).__name__}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body, *extras]) + ")"
