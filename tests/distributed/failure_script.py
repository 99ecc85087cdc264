"""Run on 2 ranks by test_failure.py: rank 1 fails in the middle of training while rank 0
trains on, and so waits in the next gradient all-reduce for a partner that never comes.

    mpiexec -n 2 python -m mpi4py -m tests.distributed.failure_script raise|kill
"""

import os
import signal
import sys

import numpy as np

import scratchdl as sd
import scratchdl.distributed as dist
import scratchdl.functional as F
from scratchdl import nn, optim
from scratchdl.nn.parallel import DistributedDataParallel

FAILING_STEP = 3


def fail(how: str) -> None:
    """Rank 1's failure: an exception from a bad input, or SIGKILL (as the kernel's
    out-of-memory killer would)."""
    if how == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    raise ValueError("rank 1 fails on purpose at step 3")


def main(how: str) -> None:
    dist.init_process_group("mpi")
    model = DistributedDataParallel(nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)))
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    rng = np.random.default_rng(dist.get_rank())
    step = 0
    while True:  # rank 0 would train forever on its own
        step += 1
        if dist.get_rank() == 1 and step == FAILING_STEP:
            fail(how)
        inputs = sd.from_numpy(rng.standard_normal((4, 4)).astype(np.float32))
        targets = sd.from_numpy(rng.integers(0, 2, 4))
        optimizer.zero_grad()
        F.cross_entropy(model(inputs), targets).backward()
        optimizer.step()


if __name__ == "__main__":
    main(sys.argv[1])
