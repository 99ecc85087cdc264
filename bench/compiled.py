"""Epoch time of the compiled training step (``scratchdl.train.compile_step``) against the
eager ``train_step`` and PyTorch, in the same process.

The three alternate repeat by repeat, each from the same initial weights (copied into
PyTorch's twin) and on the same index batches, after a pause that lets BLAS threads go idle
(see bench/epoch.py, whose workloads and PyTorch twins this reuses). Medians with min-max.

    SCRATCHDL_DATA=/path/to/datasets python -m bench.compiled [--workloads twolayer mlp512]
        [--repeats 3] [--steps N]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from bench.epoch import (
    SETTLE_SECONDS,
    WORKLOADS,
    scratchdl_optimizer,
    scratchdl_steps,
    torch_optimizer,
    torch_steps,
    torch_twin,
)

import scratchdl as sd
import scratchdl.functional as F
from scratchdl.train import compile_step
from scratchdl.utils.data import to_arrays
from scratchdl.vision.datasets import MNIST
from scratchdl.vision.transforms import ToTensor


def compiled_steps(model, optimizer, images, labels, batches) -> None:
    """Train ``model`` on the given index batches with one compiled step."""
    step = compile_step(model, F.cross_entropy, optimizer)
    for index in batches:
        step(sd.from_numpy(images[index]), sd.from_numpy(labels[index]))


def timed(run, model, optimizer, images, labels, batches) -> float:
    time.sleep(SETTLE_SECONDS)
    started = time.perf_counter()
    run(model, optimizer, images, labels, batches)
    return time.perf_counter() - started


def measure(name: str, train: MNIST, repeats: int, steps: int | None) -> dict[str, list[float]]:
    workload = WORKLOADS[name]
    images, labels = to_arrays(train)
    images = images.reshape(len(images), -1) if workload.flat_input else images
    order = np.random.default_rng(0).permutation(len(labels))
    size = workload.batch_size
    batches = [order[i : i + size] for i in range(0, len(order), size)][:steps]
    times: dict[str, list[float]] = {"eager": [], "compiled": [], "torch": []}
    for repeat in range(repeats):
        for kind, run in (("eager", scratchdl_steps), ("compiled", compiled_steps)):
            sd.manual_seed(repeat)
            model = workload.build()
            optimizer = scratchdl_optimizer(workload, model)
            times[kind].append(timed(run, model, optimizer, images, labels, batches))
        sd.manual_seed(repeat)
        twin = torch_twin(workload.build())
        optimizer = torch_optimizer(workload, twin)
        times["torch"].append(timed(torch_steps, twin, optimizer, images, labels, batches))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", choices=WORKLOADS, default=["twolayer", "mlp512"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--steps", type=int, default=None, help="batches per epoch (all)")
    args = parser.parse_args()
    train = MNIST(train=True, download=True, transform=ToTensor())
    print("| workload | eager s | compiled s | PyTorch s | eager/PyTorch | compiled/PyTorch |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name in args.workloads:
        times = measure(name, train, args.repeats, args.steps)
        median = {kind: statistics.median(t) for kind, t in times.items()}
        cells = [f"{median[k]:.3f} ({min(t):.3f}–{max(t):.3f})" for k, t in times.items()]
        print(
            f"| {WORKLOADS[name].describe} | {' | '.join(cells)} "
            f"| {median['eager'] / median['torch']:.2f} "
            f"| {median['compiled'] / median['torch']:.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
