"""The default process group: every rank of the MPI job, set up by ``init_process_group``.

The group is the one piece of module state, as in ``torch.distributed``: a duplicate of
MPI's ``COMM_WORLD`` (so the library's messages never mix with a program's own MPI calls),
made by ``init_process_group`` and freed by ``destroy_process_group``.
"""

from __future__ import annotations

import importlib.util
from typing import Any

BACKEND = "mpi"
INSTALL_HINT = "pip install scratchdl[mpi]"
_world: Any = None  # the MPI communicator of the default group, None before init


class DistributedNotInitializedError(RuntimeError, ValueError):
    """A collective or query before ``init_process_group``. PyTorch raises ValueError here;
    this error is both a RuntimeError and a ValueError, so either ``except`` catches it."""


def is_available() -> bool:
    """True when mpi4py is installed, so ``init_process_group("mpi")`` can work."""
    return importlib.util.find_spec("mpi4py") is not None


def is_initialized() -> bool:
    """True between ``init_process_group`` and ``destroy_process_group``."""
    return _world is not None


def init_process_group(
    backend: str | None = None,
    init_method: str | None = None,
    timeout: Any = None,
    world_size: int = -1,
    rank: int = -1,
    store: Any = None,
    group_name: str = "",
    pg_options: Any = None,
    device_id: Any = None,
) -> None:
    """Join the default group of all the ranks that ``mpiexec`` started (a collective: every
    rank calls it).

    ``backend`` must be "mpi" (or None). MPI's launcher already tells each process its rank
    and the world size, so ``init_method``, ``timeout``, ``store``, ``group_name``,
    ``pg_options`` and ``device_id`` are accepted, as PyTorch's signature has them, and
    ignored;
    ``world_size`` and ``rank``, when given, must agree with MPI's. A script started
    without ``mpiexec`` is a group of one.

    Raises RuntimeError when the group already exists, ValueError for another backend or a
    disagreeing rank or size, ImportError (naming the extra to install) without mpi4py.
    """
    global _world
    if _world is not None:
        raise RuntimeError("init_process_group: the default process group is already initialized")
    if backend is not None and str(backend).lower() != BACKEND:
        raise ValueError(
            f"init_process_group: backend {backend!r} is not available; scratchdl runs its "
            f"process groups on MPI: init_process_group({BACKEND!r}) under mpiexec"
        )
    mpi = import_mpi()
    for name, given, actual in (
        ("world_size", world_size, mpi.COMM_WORLD.Get_size()),
        ("rank", rank, mpi.COMM_WORLD.Get_rank()),
    ):
        if given not in (-1, None) and given != actual:
            raise ValueError(
                f"init_process_group: {name}={given} but mpiexec started this process with "
                f"{name} {actual}; leave {name} out, MPI's launcher sets it"
            )
    _world = mpi.COMM_WORLD.Dup()


def destroy_process_group(group: Any = None) -> None:
    """Free the default group (a collective); ``init_process_group`` may be called again."""
    global _world
    world = get_world(group, "destroy_process_group")
    _world = None
    world.Free()


def get_rank(group: Any = None) -> int:
    """This process's rank in the default group: 0 .. world size − 1."""
    return get_world(group, "get_rank").Get_rank()


def get_world_size(group: Any = None) -> int:
    """The number of processes in the default group."""
    return get_world(group, "get_world_size").Get_size()


def get_backend(group: Any = None) -> str:
    """The name of the group's backend: always "mpi"."""
    get_world(group, "get_backend")
    return BACKEND


def get_world(group: Any, op: str) -> Any:
    """The default group's MPI communicator; raises DistributedNotInitializedError before
    ``init_process_group`` and ValueError for any ``group`` but the default (None)."""
    if group is not None:
        raise ValueError(f"{op}: only the default group (group=None) exists, got {group!r}")
    if _world is None:
        raise DistributedNotInitializedError(
            f"{op}: the default process group has not been initialized; call "
            f"scratchdl.distributed.init_process_group({BACKEND!r}) first, under mpiexec"
        )
    return _world


def import_mpi() -> Any:
    """mpi4py's MPI module (importing it initialises MPI), or an ImportError saying what to
    install."""
    try:
        from mpi4py import MPI
    except ImportError as error:
        raise ImportError(
            f"scratchdl.distributed needs mpi4py and an MPI library: {INSTALL_HINT}"
        ) from error
    return MPI
