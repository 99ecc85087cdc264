"""What the framework costs, counted in instructions: a measure the machine's noise cannot move.

On a shared machine a step's time moves by ±20% from one minute to the next, so small
savings in scratchdl's own overhead drown in it. Valgrind's callgrind counts the
instructions a process executes, the same on every run. This runs TwoLayerNet 784-100-10
(SGD 0.1, one BLAS thread, one batch of random images repeated) under callgrind for 10 and
for 10 + N steps, both by scratchdl and by the same network written in NumPy
(bench/handwritten.py), and prints the difference per step: scratchdl's count minus the
hand-written one is the framework's.

    python -m bench.instructions [--batch-size 100] [--steps 20]     (needs valgrind)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys

WARMUP_STEPS = 10


def run_steps(kind: str, steps: int, batch_size: int) -> None:
    """Train ``steps`` steps of TwoLayerNet on one random batch, by ``kind`` (this is what
    runs under callgrind)."""
    import numpy as np
    from bench.epoch import scratchdl_steps
    from bench.handwritten import LR, handwritten_epoch

    import scratchdl as sd
    from scratchdl import optim
    from scratchdl.models import TwoLayerNet

    rng = np.random.default_rng(0)
    images = rng.random((batch_size, 784), dtype=np.float32)
    labels = rng.integers(0, 10, batch_size)
    batches = [np.arange(batch_size)] * steps
    sd.manual_seed(0)
    model = TwoLayerNet(784, 100, 10)
    if kind == "scratchdl":
        scratchdl_steps(model, optim.SGD(model.parameters(), lr=LR), images, labels, batches)
    else:
        handwritten_epoch([p.data for p in model.parameters()], images, labels, batches)


def counted_instructions(kind: str, steps: int, batch_size: int) -> int:
    """Instructions callgrind counts for a whole run of ``steps`` steps (one BLAS thread)."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "bench.instructions",
        "--run",
        kind,
        "--steps",
        str(steps),
        "--batch-size",
        str(batch_size),
    ]
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return int(re.search(r"Collected : (\d+)", result.stderr).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--run", choices=("scratchdl", "numpy"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_steps(args.run, args.steps, args.batch_size)
        return
    if shutil.which("valgrind") is None:
        sys.exit("bench.instructions needs valgrind (apt install valgrind)")
    per_step = {}
    for kind in ("numpy", "scratchdl"):
        start = counted_instructions(kind, WARMUP_STEPS, args.batch_size)
        end = counted_instructions(kind, WARMUP_STEPS + args.steps, args.batch_size)
        per_step[kind] = (end - start) / args.steps
        print(f"{kind}: {per_step[kind]:,.0f} instructions a step", flush=True)
    framework = per_step["scratchdl"] - per_step["numpy"]
    print(f"framework: {framework:,.0f} instructions a step (batch {args.batch_size})")


if __name__ == "__main__":
    main()
