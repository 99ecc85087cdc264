"""Comparisons and logic: ==, <, isnan, and, or, ... Their results are bool tensors, which
carry no gradient (a comparison is flat almost everywhere)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from scratchdl.autograd import Tensor, as_tensor, wrap
from scratchdl.backend import get_array_module


def _values(x: Any) -> Any:
    """The array of a Tensor; anything else (a number, an array) as it is."""
    return x.data if isinstance(x, Tensor) else x


def _elementwise(compare: Callable[[Any, Any], Any], a: Any, b: Any) -> Tensor:
    return wrap(get_array_module(_values(a)).asarray(compare(_values(a), _values(b))))


def eq(a: Any, b: Any) -> Tensor:
    """a == b elementwise (bool)."""
    return _elementwise(operator.eq, a, b)


def ne(a: Any, b: Any) -> Tensor:
    """a != b elementwise (bool)."""
    return _elementwise(operator.ne, a, b)


def lt(a: Any, b: Any) -> Tensor:
    """a < b elementwise (bool)."""
    return _elementwise(operator.lt, a, b)


def le(a: Any, b: Any) -> Tensor:
    """a <= b elementwise (bool)."""
    return _elementwise(operator.le, a, b)


def gt(a: Any, b: Any) -> Tensor:
    """a > b elementwise (bool)."""
    return _elementwise(operator.gt, a, b)


def ge(a: Any, b: Any) -> Tensor:
    """a >= b elementwise (bool)."""
    return _elementwise(operator.ge, a, b)


def logical_and(a: Any, b: Any) -> Tensor:
    """a and b elementwise, nonzero meaning true (bool)."""
    return _elementwise(lambda x, y: get_array_module(x).logical_and(x, y), a, b)


def logical_or(a: Any, b: Any) -> Tensor:
    """a or b elementwise, nonzero meaning true (bool)."""
    return _elementwise(lambda x, y: get_array_module(x).logical_or(x, y), a, b)


def logical_xor(a: Any, b: Any) -> Tensor:
    """a xor b elementwise, nonzero meaning true (bool)."""
    return _elementwise(lambda x, y: get_array_module(x).logical_xor(x, y), a, b)


def logical_not(x: Any) -> Tensor:
    """not x elementwise, nonzero meaning true (bool)."""
    x = as_tensor(x)
    return wrap(get_array_module(x.data).logical_not(x.data))


def bitwise_not(x: Any) -> Tensor:
    """~x on the bits of an integer tensor (not, for a bool tensor)."""
    x = as_tensor(x)
    if x.dtype.kind not in "biu":
        raise TypeError(f"bitwise_not: expected an integer or bool tensor, got {x.dtype}")
    return wrap(get_array_module(x.data).invert(x.data))


def isnan(x: Any) -> Tensor:
    """Where x is NaN (bool)."""
    x = as_tensor(x)
    return wrap(get_array_module(x.data).isnan(x.data))


def isinf(x: Any) -> Tensor:
    """Where x is +inf or −inf (bool)."""
    x = as_tensor(x)
    return wrap(get_array_module(x.data).isinf(x.data))


def isfinite(x: Any) -> Tensor:
    """Where x is neither infinite nor NaN (bool)."""
    x = as_tensor(x)
    return wrap(get_array_module(x.data).isfinite(x.data))


def isclose(
    a: Any, b: Any, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False
) -> Tensor:
    """|a − b| <= atol + rtol·|b| elementwise (bool)."""
    xp = get_array_module(_values(a))
    return wrap(xp.isclose(_values(a), _values(b), rtol=rtol, atol=atol, equal_nan=equal_nan))


def allclose(
    a: Any, b: Any, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False
) -> bool:
    """True when ``isclose`` holds everywhere."""
    return bool(isclose(a, b, rtol, atol, equal_nan).data.all())


def equal(a: Any, b: Any) -> bool:
    """True when a and b have the same shape and the same values."""
    a, b = as_tensor(a), as_tensor(b)
    return a.shape == b.shape and bool((a.data == b.data).all())
