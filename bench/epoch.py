"""Training-epoch time of scratchdl against PyTorch, in the same process.

Each workload trains one epoch of MNIST (or the first --steps batches of it) in both
frameworks from the same initial weights (copied from scratchdl's model into PyTorch's)
and with the same data order (the same index batches fed to both), float32, with the same
number of threads. The frameworks alternate, repeat by repeat, so drift in the machine's
speed hits both alike; the report gives medians and min-max, and the ratio of medians.

    SCRATCHDL_DATA=/path/to/datasets python bench/epoch.py [--workloads twolayer mlp512 cnn deepcnn]
        [--repeats 5] [--steps N] [--threads N]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

import scratchdl as sd
import scratchdl.functional as F
import scratchdl.nn as nn
from scratchdl import optim
from scratchdl.models import MLP, DeepConvNet, SimpleConvNet, TwoLayerNet
from scratchdl.train import train_step
from scratchdl.utils.data import to_arrays
from scratchdl.vision.datasets import MNIST
from scratchdl.vision.transforms import ToTensor


@dataclass
class Workload:
    name: str
    describe: str
    build: Callable[[], nn.Module]
    optimizer: str  # "sgd" or "adam"
    lr: float
    batch_size: int
    flat_input: bool


WORKLOADS = {
    w.name: w
    for w in [
        Workload(
            "twolayer",
            "TwoLayerNet 784-100-10, SGD 0.1, batch 100",
            lambda: TwoLayerNet(784, 100, 10),
            "sgd",
            0.1,
            100,
            True,
        ),
        Workload(
            "mlp1000",
            "MLP 784-1000-10 sigmoid, SGD 0.01, batch 100",
            lambda: MLP([784, 1000, 10], activation="sigmoid"),
            "sgd",
            0.01,
            100,
            True,
        ),
        Workload(
            "mlp512",
            "MLP 784-512-512-10, Adam, batch 128",
            lambda: MLP([784, 512, 512, 10]),
            "adam",
            1e-3,
            128,
            True,
        ),
        Workload("cnn", "SimpleConvNet, Adam, batch 100", SimpleConvNet, "adam", 1e-3, 100, False),
        Workload("deepcnn", "DeepConvNet, Adam, batch 100", DeepConvNet, "adam", 1e-3, 100, False),
    ]
}


def torch_twin(model: nn.Module, workload: Workload | None = None):
    """The same network in PyTorch, holding copies of ``model``'s initial weights.

    ``model`` must be a chain of Linear, Conv2d, ReLU, Sigmoid, MaxPool2d(2), Dropout and
    Flatten layers, registered in the order they run (``workload`` is not used).
    """
    import torch

    layers = []
    for module in model.modules():
        if isinstance(module, nn.Linear):
            twin = torch.nn.Linear(module.in_features, module.out_features)
            twin.weight.data = torch.from_numpy(module.weight.data.copy())
        elif isinstance(module, nn.Conv2d):
            twin = torch.nn.Conv2d(
                *module.weight.shape[1::-1],
                module.weight.shape[2:],
                stride=module.stride,
                padding=module.padding,
                bias=module.bias is not None,
            )
            twin.weight.data = torch.from_numpy(module.weight.data.copy())
        elif isinstance(module, nn.Dropout):
            twin = torch.nn.Dropout(module.p)
        elif isinstance(module, (nn.ReLU, nn.Sigmoid, nn.MaxPool2d, nn.Flatten)):
            twin = {
                nn.ReLU: torch.nn.ReLU,
                nn.Sigmoid: torch.nn.Sigmoid,
                nn.Flatten: torch.nn.Flatten,
            }.get(type(module), lambda: torch.nn.MaxPool2d(2))()
        else:
            continue
        if getattr(module, "bias", None) is not None:
            twin.bias.data = torch.from_numpy(module.bias.data.copy())
        layers.append(twin)
    return torch.nn.Sequential(*layers)


def scratchdl_optimizer(workload: Workload, model: nn.Module) -> optim.Optimizer:
    """The workload's optimizer over ``model``'s parameters."""
    opt_class = optim.SGD if workload.optimizer == "sgd" else optim.Adam
    return opt_class(model.parameters(), lr=workload.lr)


def scratchdl_steps(model: nn.Module, optimizer, images, labels, batches) -> None:
    """Train ``model`` on the given index batches: one ``train_step`` per batch."""
    for index in batches:
        inputs, targets = sd.from_numpy(images[index]), sd.from_numpy(labels[index])
        train_step(model, inputs, targets, F.cross_entropy, optimizer)


def scratchdl_epoch(workload: Workload, model: nn.Module, images, labels, batches) -> float:
    """Seconds to train ``model`` on the given index batches."""
    optimizer = scratchdl_optimizer(workload, model)
    started = time.perf_counter()
    scratchdl_steps(model, optimizer, images, labels, batches)
    return time.perf_counter() - started


def torch_optimizer(workload: Workload, model):
    """The workload's PyTorch optimizer over the twin's parameters."""
    import torch

    opt_class = torch.optim.SGD if workload.optimizer == "sgd" else torch.optim.Adam
    return opt_class(model.parameters(), lr=workload.lr)


def torch_steps(model, optimizer, images, labels, batches) -> None:
    """Train the PyTorch twin on the given index batches, as ``scratchdl_steps`` does."""
    import torch

    for index in batches:
        optimizer.zero_grad()
        x, y = torch.from_numpy(images[index]), torch.from_numpy(labels[index])
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()


def torch_epoch(workload: Workload, model, images, labels, batches) -> float:
    """Seconds to train the PyTorch twin on the same index batches."""
    optimizer = torch_optimizer(workload, model)
    started = time.perf_counter()
    torch_steps(model, optimizer, images, labels, batches)
    return time.perf_counter() - started


SETTLE_SECONDS = 0.25
"""A pause before each timed run: OpenBLAS's worker threads spin for about 0.1 s after a
NumPy matmul and would take a core from whatever runs next (on 2 cores, PyTorch)."""


def measure(workload: Workload, train: MNIST, repeats: int, steps: int | None) -> dict:
    images, labels = to_arrays(train)
    images = images.reshape(len(images), -1) if workload.flat_input else images
    order = np.random.default_rng(0).permutation(len(labels))
    batches = [
        order[i : i + workload.batch_size] for i in range(0, len(order), workload.batch_size)
    ]
    batches = batches[:steps] if steps else batches
    times: dict[str, list[float]] = {"scratchdl": [], "torch": []}
    for repeat in range(repeats):
        sd.manual_seed(repeat)
        model = workload.build()
        twin = torch_twin(model, workload)
        time.sleep(SETTLE_SECONDS)
        times["scratchdl"].append(scratchdl_epoch(workload, model, images, labels, batches))
        time.sleep(SETTLE_SECONDS)
        times["torch"].append(torch_epoch(workload, twin, images, labels, batches))
    medians = {fw: statistics.median(t) for fw, t in times.items()}
    return {
        "workload": workload.describe,
        "steps": len(batches),
        "seconds": times,
        "median": medians,
        "ratio": medians["scratchdl"] / medians["torch"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = [name for name in WORKLOADS if name != "deepcnn"]  # deepcnn: minutes an epoch
    parser.add_argument("--workloads", nargs="+", choices=WORKLOADS, default=default)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--steps", type=int, default=None, help="batches per epoch (all)")
    parser.add_argument(
        "--threads", type=int, default=None, help="threads for both frameworks (their defaults)"
    )
    args = parser.parse_args()
    import torch

    if args.threads is not None:
        sd.backend.set_num_threads(args.threads)
        torch.set_num_threads(args.threads)

    train = MNIST(train=True, download=True, transform=ToTensor())
    results = []
    print("| workload | steps | scratchdl s (min–max) | PyTorch s (min–max) | ratio |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name in args.workloads:
        result = measure(WORKLOADS[name], train, args.repeats, args.steps)
        results.append(result)
        ours, theirs = result["seconds"]["scratchdl"], result["seconds"]["torch"]
        print(
            f"| {result['workload']} | {result['steps']} "
            f"| {result['median']['scratchdl']:.3f} ({min(ours):.3f}–{max(ours):.3f}) "
            f"| {result['median']['torch']:.3f} ({min(theirs):.3f}–{max(theirs):.3f}) "
            f"| {result['ratio']:.2f} |",
            flush=True,
        )
    record = {
        "date": date.today().isoformat(),
        "machine": platform.processor() or platform.machine(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "repeats": args.repeats,
        "results": results,
    }
    out = Path(__file__).parent / "results" / f"epoch-{record['date']}.json"
    out.write_text(json.dumps(record, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
