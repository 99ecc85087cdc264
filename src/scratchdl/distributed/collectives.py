"""Collectives on the default group: all_reduce, broadcast, broadcast_object_list, barrier.

Each works in place on a Tensor (its ``.data``) or an array (a list, for
broadcast_object_list), as ``torch.distributed`` does, and every rank must call it, in the
same order, with arrays of the same shape and dtype.
MPI reads and writes contiguous host memory: a non-contiguous or GPU array travels through
a contiguous NumPy copy that is written back.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from scratchdl.autograd import Tensor
from scratchdl.backend import ARRAY_TYPES, get_array_module, to_numpy
from scratchdl.distributed.process_group import get_world, import_mpi


class ReduceOp(enum.Enum):
    """How ``all_reduce`` combines the ranks' arrays, elementwise (PyTorch's names).

    AVG is the sum divided by the world size, for floating-point arrays only.
    """

    SUM = "sum"
    AVG = "avg"
    PRODUCT = "product"
    MIN = "min"
    MAX = "max"


_MPI_OPS = {ReduceOp.SUM: "SUM", ReduceOp.AVG: "SUM", ReduceOp.PRODUCT: "PROD"}
_OP_ALIASES = {"mean": ReduceOp.AVG}


def all_reduce(
    tensor: Tensor | Any,
    op: ReduceOp | str = ReduceOp.SUM,
    group: Any = None,
    async_op: bool = False,
) -> None:
    """Replace ``tensor`` on every rank by the elementwise reduction of all ranks' values.

    ``op`` is a ReduceOp or its name ("sum", "avg" or "mean", "product", "min", "max").
    Raises ValueError for an unknown op, TypeError for AVG on an integer array, before
    anything is sent.
    """
    world = get_world(group, "all_reduce")
    op = _reduce_op(op)
    array = _array_of(tensor, "all_reduce")
    if op is ReduceOp.AVG and array.dtype.kind not in "fc":
        raise TypeError(
            f"all_reduce: ReduceOp.AVG needs a floating-point tensor, got {array.dtype}; "
            "use ReduceOp.SUM and divide"
        )
    _check_sync(async_op, "all_reduce")
    mpi = import_mpi()
    mpi_op = getattr(mpi, _MPI_OPS.get(op, op.name))
    with _host_buffer(array) as buffer:
        world.Allreduce(mpi.IN_PLACE, buffer, op=mpi_op)
        if op is ReduceOp.AVG:
            buffer /= world.Get_size()


def broadcast(
    tensor: Tensor | Any, src: int = 0, group: Any = None, async_op: bool = False
) -> None:
    """Replace ``tensor`` on every rank by rank ``src``'s values.

    Raises ValueError when ``src`` is not a rank of the group, before anything is sent.
    """
    world = get_world(group, "broadcast")
    array = _array_of(tensor, "broadcast")
    size = world.Get_size()
    if isinstance(src, bool) or not isinstance(src, (int, np.integer)) or not 0 <= src < size:
        raise ValueError(f"broadcast: src must be a rank in 0..{size - 1}, got {src!r}")
    _check_sync(async_op, "broadcast")
    with _host_buffer(array) as buffer:
        world.Bcast(buffer, root=int(src))


def broadcast_object_list(
    object_list: list[Any], src: int = 0, group: Any = None, device: Any = None
) -> None:
    """Replace the items of ``object_list`` on every rank by rank ``src``'s, in place.

    PyTorch pickles the objects; scratchdl never unpickles, so they travel as JSON text:
    numbers (big integers included), strings, booleans, None, and lists and dicts of them
    (a tuple arrives as a list, a dict's keys as strings). ``device`` is accepted, as
    PyTorch's signature has it, and ignored. Raises TypeError on every rank when rank
    ``src``'s objects are not all of these.
    """
    world = get_world(group, "broadcast_object_list")
    text = _json_text(object_list) if world.Get_rank() == src else b""
    length = np.array([-1 if text is None else len(text)], dtype=np.int64)
    broadcast(length, src=src, group=group)
    if length[0] < 0:
        raise TypeError(
            f"broadcast_object_list: rank {src}'s objects cannot travel as JSON; expected "
            "numbers, strings, booleans, None, and lists and dicts of them"
        )
    payload = np.frombuffer(text, np.uint8).copy() if text else np.empty(length[0], np.uint8)
    broadcast(payload, src=src, group=group)
    object_list[:] = json.loads(payload.tobytes())


def barrier(group: Any = None, async_op: bool = False, device_ids: Any = None) -> None:
    """Wait until every rank of the group has called ``barrier``."""
    world = get_world(group, "barrier")
    _check_sync(async_op, "barrier")
    world.Barrier()


def _json_text(objects: list[Any]) -> bytes | None:
    """``objects`` as JSON text, or None when JSON cannot write them."""
    try:
        return json.dumps(objects).encode()
    except (TypeError, ValueError):
        return None


def _reduce_op(op: ReduceOp | str) -> ReduceOp:
    """``op`` as a ReduceOp: itself, or looked up by its name (case-insensitive)."""
    if isinstance(op, ReduceOp):
        return op
    name = op.lower() if isinstance(op, str) else op
    if name in _OP_ALIASES:
        return _OP_ALIASES[name]
    try:
        return ReduceOp(name)
    except ValueError:
        names = [member.value for member in ReduceOp] + list(_OP_ALIASES)
        raise ValueError(
            f"all_reduce: unknown op {op!r}; expected a ReduceOp or one of {names}"
        ) from None


def _array_of(tensor: Tensor | Any, op: str) -> Any:
    """The array a collective works on: a Tensor's data, or the array itself."""
    array = tensor.data if isinstance(tensor, Tensor) else tensor
    if not isinstance(array, ARRAY_TYPES):
        raise TypeError(f"{op}: expected a Tensor or an array, got {type(tensor).__name__}")
    return array


def _check_sync(async_op: bool, op: str) -> None:
    """Only blocking collectives exist: async_op=True is refused."""
    if async_op:
        raise NotImplementedError(f"{op}: async_op=True is not supported; the call blocks")


@contextmanager
def _host_buffer(array: Any) -> Iterator[np.ndarray]:
    """``with _host_buffer(array) as buffer``: a contiguous NumPy array MPI may read and
    write; ``array`` itself when it is one, else a copy written back into ``array`` after."""
    buffer = np.ascontiguousarray(to_numpy(array))
    yield buffer
    if buffer is not array:
        array[...] = get_array_module(array).asarray(buffer)
