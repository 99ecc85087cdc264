"""In-place operations: ``x.add_(y)``, ``x += y``, ``x[i] = v``, ``x.zero_()``, ``x.normal_()``,
``x.squeeze_()``, ``x.bernoulli_()``.

PyTorch's rules. Outside a recorded graph (grad mode off, or nothing requires a gradient)
the values are written into the tensor's own array, and its version counter goes up, so a
backward that saved the old values raises instead of using the new ones. Inside a graph,
the operation is recorded: the new values are computed out of place, and the tensor takes
the result's place in the graph (``_take_place``) — the same object, now holding the result.
A leaf that requires grad may not change in place while recording (use ``sd.no_grad()``).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from scratchdl.autograd import Tensor, as_tensor, no_grad, wrap
from scratchdl.autograd.mode import grad_state
from scratchdl.backend import ARRAY_TYPES, get_array_module, to_device
from scratchdl.functional.convert import cast
from scratchdl.functional.math import masked_fill
from scratchdl.functional.sampling import bernoulli_mask, check_probability
from scratchdl.functional.shape import as_index, broadcast_to, index_put
from scratchdl.random import get_rng, numpy_generator


def inplace(t: Tensor, function: Callable[..., Tensor], *args: Any, **kwargs: Any) -> Tensor:
    """t ← function(t, *args, **kwargs), in place (the result is cast to t's dtype);
    returns t. RuntimeError when the result's shape is not t's (``x.add_(y)`` cannot grow
    x to the broadcast shape)."""
    if _records(t, args):
        old = _old_self(t)
        result = function(old, *args, **kwargs)
        _check_shape(t, result, function.__name__)
        _step_aside(t, old)
        _take_place(t, cast(result, t.dtype))
    else:
        with no_grad():
            result = function(t, *args, **kwargs)
        _check_shape(t, result, function.__name__)
        _write(t, result.data, function.__name__)
    return t


def reshape_(t: Tensor, function: Callable[..., Tensor], *args: Any) -> Tensor:
    """t ← function(t, *args) for a function that changes only the shape (``squeeze_``,
    ``unsqueeze_``): t's data becomes the result's view of it; returns t."""
    if _records(t, args):
        old = _old_self(t)
        result = function(old, *args)
        _step_aside(t, old)
        _take_place(t, result)
    else:
        with no_grad():
            t._data = function(t, *args).data
        t.bump_version()
    return t


def setitem_(t: Tensor, index: Any, value: Any) -> None:
    """t[index] = value, in place (``x[mask] = 0``, ``x[:, 1] = y``)."""
    if _records(t, (value,)):
        old = _old_self(t)
        result = index_put(old, index, cast(as_tensor(value), t.dtype))
        _step_aside(t, old)
        _take_place(t, result)
        return
    if isinstance(value, Tensor):
        value = value.data
    if isinstance(value, ARRAY_TYPES):
        value = to_device(value, t.device)
    t.data[as_index(index, t.device)] = value
    t.bump_version()


def fill_(t: Tensor, value: Any) -> Tensor:
    """Every element of t set to ``value``, in place."""
    return inplace(t, masked_fill, True, value)


def copy_values(x: Tensor, source: Any) -> Tensor:
    """``source`` broadcast to x's shape, in x's dtype and on x's device (``copy_``)."""
    source = as_tensor(source).to(x.device, x.dtype)
    return broadcast_to(source, x.shape)


def random_fill_(t: Tensor, distribution: str, a: float, b: float) -> Tensor:
    """t filled with draws from U(a, b) (``distribution='uniform'``) or N(a, b²)
    ('normal'), from the library generator, in place and without recording."""
    _refuse_recording(t, f"{distribution}_")
    rng = get_rng()
    draws = rng.uniform(a, b, t.shape) if distribution == "uniform" else rng.normal(a, b, t.shape)
    _write(t, get_array_module(t.data).asarray(draws), f"{distribution}_")
    return t


def bernoulli_(t: Tensor, p: Any = 0.5, *, generator: Any = None) -> Tensor:
    """t filled with 1 with probability ``p`` (a number, or a tensor broadcast to t's
    shape), else 0, from the library generator (or ``generator``), in place and without
    recording. RuntimeError for a probability outside [0, 1]."""
    _refuse_recording(t, "bernoulli_")
    check_probability("bernoulli_", p)
    if isinstance(p, Tensor):
        p = broadcast_to(p.to(t.device), t.shape).data
    mask = bernoulli_mask(numpy_generator(generator, "bernoulli_"), p, t.shape, t.data)
    _write(t, mask, "bernoulli_")
    return t


def _refuse_recording(t: Tensor, op: str) -> None:
    """RuntimeError naming ``op`` for a random fill of a leaf that requires grad while grad
    mode records (torch refuses it too)."""
    if _records(t, ()):
        raise RuntimeError(
            f"{op}: a leaf that requires grad cannot be filled in place while grad mode "
            "records; do it inside sd.no_grad()"
        )


def _records(t: Tensor, args: tuple[Any, ...]) -> bool:
    """Whether an in-place change of t with ``args`` must be recorded in the graph; raises
    for a leaf that requires grad, which torch forbids to change while recording."""
    if not grad_state.enabled:
        return False
    recorded = t.requires_grad or any(isinstance(a, Tensor) and a.requires_grad for a in args)
    if recorded and t.is_leaf and t.requires_grad:
        raise RuntimeError(
            "a leaf tensor that requires grad cannot be changed in place while grad mode "
            "records the graph; change it inside `with sd.no_grad():` (as optimizers do), "
            "or work on a copy"
        )
    return recorded


def _old_self(t: Tensor) -> Tensor:
    """A new Tensor object standing for t as it is now (same array, creator and version),
    so that the recorded in-place operation can use the old t as its input."""
    old = wrap(t.data)
    old.creator, old.requires_grad, old._version = t.creator, t.requires_grad, t._version
    return old


def _step_aside(t: Tensor, old: Tensor) -> None:
    """Give t's place in the graph to ``old`` (``_old_self(t)``): t's creator now made it."""
    if t.creator is not None:
        t.creator._output_ref = weakref.ref(old)


def _check_shape(t: Tensor, result: Tensor, op: str) -> None:
    """RuntimeError naming ``op`` unless the in-place result has t's shape."""
    if result.shape != t.shape:
        raise RuntimeError(
            f"{op}_: output with shape {list(t.shape)} doesn't match the broadcast shape "
            f"{list(result.shape)}"
        )


def _take_place(t: Tensor, result: Tensor) -> None:
    """Make t the result of a recorded in-place operation: its values, creator and graph."""
    t._data = result.data
    t.creator, t.requires_grad = result.creator, result.requires_grad
    t.bump_version()
    if result.creator is not None:
        result.creator._output_ref = weakref.ref(t)
        result.creator.output_version = t._version


def _write(t: Tensor, values: Any, op: str) -> None:
    """Write ``values`` into t's array (broadcast; casting within a kind, as torch)."""
    xp = get_array_module(t.data)
    try:
        xp.copyto(t.data, values, casting="same_kind")
    except TypeError:
        raise RuntimeError(
            f"{op}: the result type {values.dtype} can't be cast to the tensor's dtype {t.dtype}"
        ) from None
    t.bump_version()
