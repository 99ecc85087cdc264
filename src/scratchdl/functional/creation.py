"""Tensor factories, as torch names them: zeros, ones, full, empty, the ``_like`` forms,
rand, randn, randint, randperm, arange, linspace, eye, from_numpy.

Random draws come from the library generator (``sd.manual_seed`` fixes them). Every
factory takes torch's ``dtype``, ``device`` and ``requires_grad``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scratchdl.autograd import Tensor, wrap
from scratchdl.autograd import dtype as dtypes
from scratchdl.backend import to_device
from scratchdl.random import numpy_generator


def _sizes(size: tuple[Any, ...]) -> tuple[int, ...]:
    """Sizes given as ``f(2, 3)`` or ``f((2, 3))``."""
    if len(size) == 1 and not isinstance(size[0], int):
        return tuple(int(n) for n in size[0])
    return tuple(int(n) for n in size)


HARMLESS_OPTIONS = frozenset({"layout", "pin_memory", "memory_format"})
"""torch factory options that change nothing here (dense memory, no pinning)."""


def _check_options(options: dict[str, Any], op: str) -> None:
    unknown = set(options) - HARMLESS_OPTIONS
    if unknown:
        raise TypeError(f"{op}: unexpected keyword arguments {sorted(unknown)}")


def _finish(array: Any, dtype: Any, device: Any, requires_grad: bool) -> Tensor:
    """A leaf tensor of ``array`` in ``dtype`` on ``device``, requiring grad if asked."""
    if dtype is not None:
        array = array.astype(dtypes.as_dtype(dtype), copy=False)
    if device is not None:
        array = to_device(array, device)
    result = wrap(array)
    return result.requires_grad_() if requires_grad else result


def _float(dtype: Any) -> Any:
    return dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype)


def zeros(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False, **options: Any
) -> Tensor:
    """A tensor of zeros (float32 unless ``dtype``)."""
    _check_options(options, "zeros")
    return _finish(np.zeros(_sizes(size), _float(dtype)), None, device, requires_grad)


def ones(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False, **options: Any
) -> Tensor:
    """A tensor of ones (float32 unless ``dtype``)."""
    _check_options(options, "ones")
    return _finish(np.ones(_sizes(size), _float(dtype)), None, device, requires_grad)


empty = zeros  # scratchdl's "uninitialised" memory is zeroed: no stale values to trip on


def full(
    size: Any,
    fill_value: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    **options: Any,
) -> Tensor:
    """A tensor of ``fill_value``, with the dtype torch infers from it (1 → int64,
    1.5 → float32, True → bool) unless ``dtype``."""
    _check_options(options, "full")
    if dtype is None:
        dtype = (
            dtypes.python_number_dtype(fill_value) if dtypes.is_python_number(fill_value) else None
        )
    array = np.full(
        _sizes((size,)), fill_value, dtype=None if dtype is None else dtypes.as_dtype(dtype)
    )
    return _finish(array, None, device, requires_grad)


def _like(x: Any, dtype: Any, device: Any) -> tuple[tuple[int, ...], Any, Any]:
    """(shape, dtype, device) of a new tensor made like ``x``."""
    shape = tuple(x.shape)
    return shape, dtypes.as_dtype(dtype) if dtype is not None else x.dtype, device or x.device


def zeros_like(
    x: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False, **options: Any
) -> Tensor:
    """Zeros with x's shape, dtype and device."""
    _check_options(options, "zeros_like")
    shape, dtype, device = _like(x, dtype, device)
    return _finish(np.zeros(shape, dtype), None, device, requires_grad)


def ones_like(
    x: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False, **options: Any
) -> Tensor:
    """Ones with x's shape, dtype and device."""
    _check_options(options, "ones_like")
    shape, dtype, device = _like(x, dtype, device)
    return _finish(np.ones(shape, dtype), None, device, requires_grad)


empty_like = zeros_like


def full_like(
    x: Any,
    fill_value: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    **options: Any,
) -> Tensor:
    """``fill_value`` with x's shape, dtype and device."""
    _check_options(options, "full_like")
    shape, dtype, device = _like(x, dtype, device)
    return _finish(np.full(shape, fill_value, dtype), None, device, requires_grad)


def rand(
    *size: Any,
    generator: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    **options: Any,
) -> Tensor:
    """Draws from U[0, 1) (float32 unless ``dtype``)."""
    _check_options(options, "rand")
    rng = _generator(generator)
    array = rng.random(_sizes(size), dtype=np.float64).astype(_float(dtype))
    return _finish(array, None, device, requires_grad)


def randn(
    *size: Any,
    generator: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    **options: Any,
) -> Tensor:
    """Draws from N(0, 1) (float32 unless ``dtype``)."""
    _check_options(options, "randn")
    rng = _generator(generator)
    array = rng.standard_normal(_sizes(size), dtype=np.float64).astype(_float(dtype))
    return _finish(array, None, device, requires_grad)


def rand_like(
    x: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False, **options: Any
) -> Tensor:
    """Draws from U[0, 1) with x's shape, dtype and device."""
    _check_options(options, "rand_like")
    shape, dtype, device = _like(x, dtype, device)
    return rand(shape, dtype=dtype, device=device, requires_grad=requires_grad)


def randn_like(
    x: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False, **options: Any
) -> Tensor:
    """Draws from N(0, 1) with x's shape, dtype and device."""
    _check_options(options, "randn_like")
    shape, dtype, device = _like(x, dtype, device)
    return randn(shape, dtype=dtype, device=device, requires_grad=requires_grad)


def randint(
    low: int,
    high: Any = None,
    size: Any = None,
    *,
    generator: Any = None,
    dtype: Any = None,
    device: Any = None,
    **options: Any,
) -> Tensor:
    """Integers drawn uniformly from [low, high): ``randint(high, size)`` or
    ``randint(low, high, size)`` (int64 unless ``dtype``)."""
    _check_options(options, "randint")
    if size is None and high is not None and not isinstance(high, int):
        low, high, size = 0, low, high  # randint(high, size)
    elif high is None:
        low, high = 0, low  # randint(high, size=...)
    if size is None:
        raise TypeError("randint: missing the size argument")
    array = _generator(generator).integers(low, high, _sizes((size,)), dtype=np.int64)
    return _finish(array, dtype, device, False)


def randperm(
    n: int, *, generator: Any = None, dtype: Any = None, device: Any = None, **options: Any
) -> Tensor:
    """A random permutation of 0 .. n−1 (int64 unless ``dtype``)."""
    _check_options(options, "randperm")
    return _finish(_generator(generator).permutation(n).astype(np.int64), dtype, device, False)


def arange(
    start: Any,
    end: Any = None,
    step: Any = 1,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    **options: Any,
) -> Tensor:
    """start, start + step, ... below end (``arange(n)`` is 0 .. n−1): int64 when every
    argument is an integer, else float32, unless ``dtype``."""
    _check_options(options, "arange")
    if end is None:
        start, end = 0, start
    whole = all(
        isinstance(v, int) or (isinstance(v, Tensor) and v.dtype.kind in "iu")
        for v in (start, end, step)
    )
    if dtype is None:
        dtype = dtypes.int64 if whole else dtypes.get_default_dtype()
    array = np.arange(float(start) if not whole else int(start), end, step)
    return _finish(array, dtype, device, requires_grad)


def linspace(
    start: float,
    end: float,
    steps: int,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    **options: Any,
) -> Tensor:
    """``steps`` evenly spaced values from start to end inclusive (float32 unless ``dtype``)."""
    _check_options(options, "linspace")
    return _finish(
        np.linspace(start, end, steps).astype(_float(dtype)), None, device, requires_grad
    )


def eye(
    n: int,
    m: int | None = None,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    **options: Any,
) -> Tensor:
    """The n x m identity matrix (square by default; float32 unless ``dtype``)."""
    _check_options(options, "eye")
    return _finish(np.eye(n, m, dtype=_float(dtype)), None, device, requires_grad)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing ``array``'s memory and dtype (changes to one show in the other)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected a numpy.ndarray, got {type(array).__name__}")
    return wrap(array)


def _generator(generator: Any) -> np.random.Generator:
    """The NumPy generator behind ``generator=`` (the library's one when None)."""
    return numpy_generator(generator, "generator")
