"""A rank that fails ends the whole job with a non-zero status, never a hang: under
``mpiexec -n 2 python -m mpi4py``, an uncaught exception calls MPI_Abort, and MPICH's
Hydra ends every rank when one is killed. (A hang fails the launch's timeout.)"""

import pytest


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("raise", "ValueError: rank 1 fails on purpose at step 3"),
        ("kill", "Killed (signal 9)"),
    ],
)
def test_a_failing_rank_ends_the_whole_job(mpiexec, how, message):
    job = mpiexec("tests.distributed.failure_script", how, check=False)
    assert job.returncode != 0
    assert message in job.stdout + job.stderr
