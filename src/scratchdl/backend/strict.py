"""A stand-in for a GPU on a machine without one: the ``strict`` device.

Its arrays (``StrictArray``) are NumPy arrays that behave, inside scratchdl, as CuPy
arrays do: an operation that mixes one with a NumPy array (a host array), or indexes one
with a host array, raises instead of computing. So the code paths a GPU would take — every
allocation and random draw through the operand's array module, every host copy explicit —
are checked on any machine: ``python -m pytest --device strict`` runs the test suite on it.

Only code inside the ``scratchdl`` package is held to this (the operation's caller is
looked up); tests and user code may mix freely, as NumPy's testing helpers do. Explicit
transfers are the way between the two worlds: ``strict.asarray(host_array)`` and
``to_numpy(strict_array)``.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

import numpy

_PACKAGE = "scratchdl."


class HostDeviceMixingError(TypeError):
    """An operation inside scratchdl mixed a host (NumPy) array with a device array."""


class StrictArray(numpy.ndarray):
    """A NumPy array on the ``strict`` device (see the module docstring)."""

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        out = kwargs.get("out") or ()
        _refuse_host_operands(f"numpy.{ufunc.__name__}", (*inputs, *out))
        arrays = [_host_view(x) for x in inputs]
        if out:
            kwargs["out"] = tuple(_host_view(x) for x in out)
        result = getattr(ufunc, method)(*arrays, **kwargs)
        return out[0] if len(out) == 1 and method != "at" else _on_device(result)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        _refuse_host_operands(f"numpy.{func.__name__}", (*_leaves(args), *_leaves(kwargs)))
        return _on_device(func(*_unwrapped(args), **_unwrapped(kwargs)))

    def __getitem__(self, index: Any) -> Any:
        _refuse_host_operands("indexing", _leaves(index))
        return _on_device(_host_view(self)[_unwrapped(index)])

    def __setitem__(self, index: Any, value: Any) -> None:
        _refuse_host_operands("assignment into a device array", (*_leaves(index), value))
        _host_view(self)[_unwrapped(index)] = _unwrapped(value)


def _host_view(x: Any) -> Any:
    return x.view(numpy.ndarray) if isinstance(x, StrictArray) else x


def _on_device(result: Any) -> Any:
    """NumPy's result as device arrays (a reduction's scalar as a 0-d device array)."""
    if isinstance(result, tuple):
        return tuple(_on_device(item) for item in result)
    if isinstance(result, numpy.generic):
        return numpy.asarray(result).view(StrictArray)
    if isinstance(result, numpy.ndarray) and not isinstance(result, StrictArray):
        return result.view(StrictArray)
    return result


def _leaves(value: Any) -> list[Any]:
    """The arrays inside (nested) tuples, lists and dicts of arguments."""
    if isinstance(value, (tuple, list)):
        return [leaf for item in value for leaf in _leaves(item)]
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    return [value]


def _unwrapped(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(_unwrapped(item) for item in value)
    if isinstance(value, list):
        return [_unwrapped(item) for item in value]
    if isinstance(value, dict):
        return {key: _unwrapped(item) for key, item in value.items()}
    return _host_view(value)


def _refuse_host_operands(operation: str, operands: Any) -> None:
    """Raise HostDeviceMixingError if scratchdl's own code passed a host array here."""
    hosts = [x for x in operands if isinstance(x, numpy.ndarray) and not isinstance(x, StrictArray)]
    if hosts and _called_from_scratchdl():
        raise HostDeviceMixingError(
            f"{operation}: a host (NumPy) array of shape {hosts[0].shape} met an array on "
            "the device; on a GPU this fails. Move it explicitly (xp.asarray) or create it "
            "with the operand's array module (get_array_module)"
        )


def _called_from_scratchdl() -> bool:
    """Whether the first caller outside NumPy and this module is scratchdl's own code."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if not (name.startswith("numpy") or name == __name__):
            return name.startswith(_PACKAGE) and not name.startswith(_PACKAGE + "testing")
        frame = frame.f_back
    return False


class _StrictModule(ModuleType):
    """The array module of the strict device: NumPy's functions, whose new arrays are
    created on the device (``strict.zeros``, ``strict.asarray(host_array)``, ...)."""

    ndarray = StrictArray

    def asarray(self, a: Any, dtype: Any = None, **options: Any) -> StrictArray:
        """``a`` on the device: a device array as it is (cast if ``dtype`` differs), host
        data copied, as ``cupy.asarray`` copies from the host."""
        if isinstance(a, StrictArray):
            return _on_device(numpy.asarray(_host_view(a), dtype, **options))
        return numpy.array(a, dtype, copy=True, **options).view(StrictArray)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(numpy, name)
        if (
            isinstance(attribute, numpy.ufunc)
            or not callable(attribute)
            or isinstance(attribute, type)
        ):
            return attribute
        return lambda *args, **kwargs: _on_device(attribute(*args, **kwargs))


strict = _StrictModule("scratchdl.backend.strict.strict")
"""The array module of the strict device (what ``get_array_module`` returns for it)."""
