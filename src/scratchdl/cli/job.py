"""The processes that run one ``scratchdl train``: this one alone, or every rank of an MPI job.

    mpiexec -n 4 python -m mpi4py -m scratchdl train ...

``python -m mpi4py`` runs the command so that an uncaught exception or a non-zero exit on
any rank aborts the whole job; seeing it, ``Job.start`` joins the default process group, so
that ``train.fit`` trains data-parallel. Rank 0 alone prints and writes.

The steps before training run ``together``: a failure on any rank ends every rank with
status 2, its error printed once. Once training has started, the ranks meet in every step's
all-reduce, so a rank that fails or is killed ends the job through MPI (MPI_Abort, or
``mpiexec`` killing the others): never a hang.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

import numpy as np

import scratchdl.distributed as dist
from scratchdl.cli.errors import UserError
from scratchdl.distributed.process_group import import_mpi

T = TypeVar("T")

LAUNCHER_SIZES = ("PMI_SIZE", "OMPI_COMM_WORLD_SIZE")
LAUNCHER_RANKS = ("PMI_RANK", "OMPI_COMM_WORLD_RANK")
"""What MPICH (and Intel MPI) and Open MPI tell each process they start: the job's size and
the process's rank."""


class AnotherRankFailedError(UserError):
    """A step failed on a lower rank, which prints the error: this rank exits with status 2
    and prints nothing."""

    def __init__(self) -> None:
        super().__init__()


def launched_rank() -> int:
    """This process's rank, as ``mpiexec`` numbered it (0 without it), known before MPI
    starts."""
    return max(int(os.environ.get(name, 0)) for name in LAUNCHER_RANKS)


@dataclass(frozen=True)
class Job:
    """This process's place in the job: ``rank`` of ``size`` processes."""

    rank: int = 0
    size: int = 1

    @classmethod
    def start(cls) -> Job:
        """The job this process belongs to, joining its process group when MPI started
        several ranks. UserError when ``mpiexec`` started several processes without
        ``python -m mpi4py``: each would train alone, into the same folder."""
        if "mpi4py.run" in sys.modules:  # started by python -m mpi4py
            if import_mpi().COMM_WORLD.Get_size() == 1:
                return cls()
            if not dist.is_initialized():
                dist.init_process_group("mpi")
            return cls(dist.get_rank(), dist.get_world_size())
        launched = max(int(os.environ.get(name, 1)) for name in LAUNCHER_SIZES)
        if launched > 1:
            raise UserError(
                f"mpiexec started {launched} processes, but without mpi4py they cannot "
                f"train together; launch: mpiexec -n {launched} python -m mpi4py -m "
                "scratchdl train ..."
            )
        return cls()

    @property
    def is_rank_zero(self) -> bool:
        return self.rank == 0

    def rank_zero_value(self, value: T) -> T:
        """Rank 0's ``value`` (a string, a number, ...: what JSON writes) on every rank."""
        if self.size == 1:
            return value
        shared = [value]
        dist.broadcast_object_list(shared, src=0)
        return shared[0]

    def together(self, step: Callable[[], T]) -> T:
        """``step()`` on every rank, then the ranks agree: if it raised anywhere, every rank
        leaves MPI and raises, the lowest failing rank its error, the others
        ``AnotherRankFailedError``; else ``step``'s result."""
        if self.size == 1:
            return step()
        result, error = None, None
        try:
            result = step()
        except Exception as raised:
            error = raised
        first_failing = np.array([self.size if error is None else self.rank])
        dist.all_reduce(first_failing, op=dist.ReduceOp.MIN)
        if first_failing[0] == self.size:
            return cast(T, result)
        _leave_mpi()
        if error is not None and self.rank == first_failing[0]:
            raise error
        raise AnotherRankFailedError()

    def on_rank_zero(self, step: Callable[[], None]) -> None:
        """``step()`` on rank 0 alone, its failure ending every rank as in ``together``."""
        self.together(step if self.is_rank_zero else lambda: None)


def _leave_mpi() -> None:
    """Free the process group and finalise MPI, as every rank does together: the job then
    ends with the ranks' own exit status, without MPI_Abort and its message."""
    dist.destroy_process_group()
    import_mpi().Finalize()
