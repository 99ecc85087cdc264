"""Run by test_cli.py: ``scratchdl train`` on 2 ranks, rank 1 failing at a training step.

    mpiexec -n 2 python -m mpi4py -m tests.distributed.cli_script raise|kill STEP ARGS...

Rank 1 raises (a bug, say) or is killed with SIGKILL (as the kernel's out-of-memory killer
would) when it starts its STEP-th training step, counted over the whole run; rank 0 trains
on and so waits in that step's all-reduce for a partner that never comes.
"""

import os
import signal
import sys

from mpi4py import MPI

from scratchdl.cli import main
from scratchdl.train import loop


def fail_on_rank_1(how: str, failing_step: int) -> None:
    """Make rank 1's ``failing_step``-th call of fit's train_step fail ``how``."""
    train_step, steps = loop.train_step, 0

    def failing_train_step(*args, **kwargs):
        nonlocal steps
        steps += 1
        if steps == failing_step:
            if how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            raise RuntimeError(f"rank 1 fails on purpose at step {failing_step}")
        return train_step(*args, **kwargs)

    if MPI.COMM_WORLD.Get_rank() == 1:
        loop.train_step = failing_train_step


if __name__ == "__main__":
    fail_on_rank_1(sys.argv[1], int(sys.argv[2]))
    sys.exit(main(sys.argv[3:]))
