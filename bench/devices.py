"""Training epochs on a device: scratchdl there, PyTorch on the same device, scratchdl on the CPU.

    SCRATCHDL_DATA=/path/to/datasets python -m bench --device cuda [--steps 50] [--repeats 3]
        [--no-torch]

The five networks of bench/epoch.py train from the same initial weights on the same index
batches, each batch copied to the device as a user's loop does (``.to(device)``). Three
warm-up steps run first (CuPy compiles each kernel on first use), then --steps batches
are timed, the clock stopping once the device has finished (``synchronize``), and scaled
to a whole epoch of 60,000 images. ``--device strict`` runs the GPU code path on the CPU
(PyTorch then runs on the CPU): a check that the benchmark runs, not a figure to report.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import numpy as np
from bench.epoch import WORKLOADS, Workload, scratchdl_optimizer, torch_optimizer, torch_twin

import scratchdl as sd
import scratchdl.functional as F
from scratchdl.train import train_step
from scratchdl.utils.data import to_arrays
from scratchdl.vision.datasets import MNIST
from scratchdl.vision.transforms import ToTensor

WARM_UP_STEPS = 3
EPOCH_IMAGES = 60_000


def scratchdl_seconds(workload: Workload, device: str, data: tuple, batches: list) -> float:
    """Seconds for scratchdl to train ``batches`` on ``device``, after the warm-up."""
    images, labels = data
    model = workload.build().to(device)
    optimizer = scratchdl_optimizer(workload, model)

    def run(indices: list) -> None:
        for index in indices:
            inputs = sd.from_numpy(images[index]).to(device)
            targets = sd.from_numpy(labels[index]).to(device)
            train_step(model, inputs, targets, F.cross_entropy, optimizer)
        sd.cuda.synchronize() if device.startswith("cuda") else None

    run(batches[:WARM_UP_STEPS])
    started = time.perf_counter()
    run(batches)
    return time.perf_counter() - started


def torch_seconds(workload: Workload, device: str, data: tuple, batches: list) -> float:
    """Seconds for PyTorch to train the same network on ``batches`` on ``device``."""
    import torch

    images, labels = data
    model = torch_twin(workload.build(), workload).to(device)
    optimizer = torch_optimizer(workload, model)

    def run(indices: list) -> None:
        for index in indices:
            inputs = torch.from_numpy(images[index]).to(device)
            targets = torch.from_numpy(labels[index]).to(device)
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(inputs), targets).backward()
            optimizer.step()
        torch.cuda.synchronize() if device.startswith("cuda") else None

    run(batches[:WARM_UP_STEPS])
    started = time.perf_counter()
    run(batches)
    return time.perf_counter() - started


def measure(workload: Workload, device: str, train: Any, args: Any) -> dict[str, Any]:
    """Median seconds an epoch: scratchdl on ``device``, PyTorch there, scratchdl on the CPU."""
    images, labels = to_arrays(train)
    images = images.reshape(len(images), -1) if workload.flat_input else images
    order = np.random.default_rng(0).permutation(len(labels))
    size = workload.batch_size
    batches = [order[i : i + size] for i in range(0, args.steps * size, size)]
    scale = EPOCH_IMAGES / (len(batches) * size)
    torch_device = "cuda" if device.startswith("cuda") else "cpu"
    sides = {
        "scratchdl": lambda: scratchdl_seconds(workload, device, (images, labels), batches),
        "scratchdl_cpu": lambda: scratchdl_seconds(workload, "cpu", (images, labels), batches),
    }
    if not args.no_torch:
        sides["torch"] = lambda: torch_seconds(workload, torch_device, (images, labels), batches)
    seconds: dict[str, list[float]] = {name: [] for name in sides}
    for repeat in range(args.repeats):
        for name, side in sides.items():
            sd.manual_seed(repeat)
            seconds[name].append(side() * scale)
    return {
        "workload": workload.describe,
        "steps": len(batches),
        "epoch_seconds": seconds,
        "median": {name: statistics.median(values) for name, values in seconds.items()},
    }


def main(args: Any) -> None:
    """Print one table row per network: seconds an epoch on each side and the ratios."""
    device = str(sd.device(args.device))
    if device.startswith("cuda") and not sd.cuda.is_available():
        raise SystemExit(f"--device {device}: CUDA is not available on this machine")
    args.steps = args.steps or 50
    args.repeats = args.repeats or 3
    train = MNIST(root=args.data_dir, train=True, download=False, transform=ToTensor())
    torch_device = "cuda" if device.startswith("cuda") else "cpu"
    print(
        f"| network | scratchdl on {device} s | PyTorch on {torch_device} s "
        f"| scratchdl on cpu s | cpu / {device} | scratchdl / PyTorch |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for workload in WORKLOADS.values():
        median = measure(workload, device, train, args)["median"]
        torch_text = f"{median['torch']:.2f}" if "torch" in median else "—"
        ratio = f"{median['scratchdl'] / median['torch']:.2f}" if "torch" in median else "—"
        speedup = median["scratchdl_cpu"] / median["scratchdl"]
        print(
            f"| {workload.describe} | {median['scratchdl']:.2f} | {torch_text} "
            f"| {median['scratchdl_cpu']:.2f} | {speedup:.1f}x | {ratio} |",
            flush=True,
        )
