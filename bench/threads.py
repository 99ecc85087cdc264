"""The thread pools' settings against each other on training steps, in the same process,
alternating: OpenBLAS's own idle spin (2^28 cycles) against scratchdl's (2^20), two BLAS
threads against one, and the compiled kernels on one thread against two.

It runs as a user's script does (NumPy imported first, no environment variables): the
settings are changed at run time through ``scratchdl.backend.threads``. Figures are
median ms a step (min–max over the repeats) on one random batch.

    python -m bench.threads [--repeats 5] [--steps 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import numpy as np
from bench.suite.measure import interleave

import scratchdl as sd
import scratchdl.functional as F
from scratchdl import optim
from scratchdl.backend import threads
from scratchdl.models import MLP, SimpleConvNet

# name: (OpenBLAS spin exponent, BLAS threads, kernel threads)
SETTINGS = {
    "OpenBLAS's spin, 2 BLAS threads, kernels 1": (28, 2, 1),
    "short spin, 2 BLAS threads, kernels 1": (20, 2, 1),
    "short spin, 2 BLAS threads, kernels 2": (20, 2, 2),
    "short spin, 1 BLAS thread, kernels 1": (20, 1, 1),
}


def workloads() -> dict[str, Callable[[], None]]:
    """One training step per workload, on a fixed random batch."""
    rng = np.random.default_rng(0)
    steps = {}
    for name, model, optimizer, shape in [
        ("SimpleConvNet, Adam, batch 100", SimpleConvNet(), optim.Adam, (100, 1, 28, 28)),
        ("MLP 784-1000-10 sigmoid, SGD 0.01, batch 100",
         MLP([784, 1000, 10], activation="sigmoid"), lambda p: optim.SGD(p, lr=0.01),
         (100, 784)),
    ]:  # fmt: skip
        x = sd.from_numpy(rng.standard_normal(shape, dtype=np.float32))
        t = sd.from_numpy(rng.integers(0, 10, shape[0]))
        steps[name] = _step(model, optimizer(model.parameters()), x, t)
    return steps


def _step(model, optimizer, x, t) -> Callable[[], None]:
    def step() -> None:
        optimizer.zero_grad()
        F.cross_entropy(model(x), t).backward()
        optimizer.step()

    return step


def trial(step: Callable[[], None], setting: tuple[int, int, int], steps: int):
    """A timed run of ``steps`` steps under ``setting``: ms a step."""
    spin, blas_threads, kernel_threads = setting

    def run(repeat: int) -> float:
        threads.set_num_threads(blas_threads)
        threads.set_kernel_threads(kernel_threads)
        threads.set_blas_spin(spin)
        started = time.perf_counter()
        for _ in range(steps):
            step()
        return (time.perf_counter() - started) / steps * 1e3

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; ms a step")
    for name, step in workloads().items():
        for _ in range(3):
            step()  # compile the kernels, warm the caches
        trials = {label: trial(step, s, args.steps) for label, s in SETTINGS.items()}
        times = interleave(args.repeats, trials, settle=0.1)
        print(f"\n{name}")
        for label, values in times.items():
            low, high = min(values), max(values)
            print(f"  {label}: {statistics.median(values):.2f} ({low:.2f}–{high:.2f})")
    print(f"\nload {os.getloadavg()[0]:.1f} at the end")
    threads.set_kernel_threads(threads.KERNEL_THREADS)


if __name__ == "__main__":
    main()
