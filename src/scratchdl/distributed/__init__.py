"""Process groups over MPI: the ``torch.distributed`` functions that data parallelism needs.

One process per rank, started by MPI's launcher (install with ``pip install scratchdl[mpi]``):

    mpiexec -n 2 python -m mpi4py train.py

    import scratchdl.distributed as dist
    dist.init_process_group("mpi")
    dist.all_reduce(tensor, op=dist.ReduceOp.AVG)   # in place, on every rank

MPI moves the bytes (mpi4py, MPICH); this package only keeps the default group and turns
Tensors into buffers. ``python -m mpi4py`` makes an uncaught exception on any rank abort the
whole job, and MPICH's ``mpiexec`` ends every rank when one is killed, so a failing rank
never leaves the others waiting in a collective.
"""

from scratchdl.distributed.collectives import (
    ReduceOp,
    all_reduce,
    barrier,
    broadcast,
    broadcast_object_list,
)
from scratchdl.distributed.process_group import (
    DistributedNotInitializedError,
    destroy_process_group,
    get_backend,
    get_rank,
    get_world_size,
    init_process_group,
    is_available,
    is_initialized,
)

__all__ = [
    "DistributedNotInitializedError",
    "ReduceOp",
    "all_reduce",
    "barrier",
    "broadcast",
    "broadcast_object_list",
    "destroy_process_group",
    "get_backend",
    "get_rank",
    "get_world_size",
    "init_process_group",
    "is_available",
    "is_initialized",
]
