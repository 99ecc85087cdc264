"""What the framework costs: TwoLayerNet trained by scratchdl against the same network
written directly in NumPy, one MNIST epoch each, in the same process, and against PyTorch
when it is installed.

All start from the same weights and see the same index batches (SGD lr 0.1, batch 100,
float32); the hand-written step is the book's backward pass with in-place updates, so the
difference between it and scratchdl is scratchdl's Modules, Functions, checks and autograd
engine, and its ratio to PyTorch is what scratchdl would reach if the framework cost nothing.
They alternate repeat by repeat after a settling pause (see bench/epoch.py).

    SCRATCHDL_DATA=/path/to/datasets python -m bench.handwritten
        [--repeats 12]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time

import numpy as np
from bench.epoch import SETTLE_SECONDS, WORKLOADS, scratchdl_steps, torch_epoch, torch_twin

import scratchdl as sd
from scratchdl import optim
from scratchdl.models import TwoLayerNet
from scratchdl.utils.data import to_arrays
from scratchdl.vision.datasets import MNIST
from scratchdl.vision.transforms import ToTensor

LR = 0.1
BATCH = 100


def handwritten_epoch(params: list[np.ndarray], images, labels, batches) -> float:
    """Seconds for one epoch of 784-100-10 ReLU with softmax cross-entropy, by hand:

    h = x·W1 + b1,  a = relu(h),  z = a·W2 + b2,  L = mean cross-entropy(z, t)
    ∂L/∂z = (softmax(z) − onehot(t)) / N,  ∂L/∂a = ∂L/∂z · W2ᵀ,  ∂L/∂h = ∂L/∂a ⊙ [h > 0]
    """
    W1, b1, W2, b2 = params  # the book's layout: W (in, out)
    started = time.perf_counter()
    for index in batches:
        x, t = images[index], labels[index]
        h = x @ W1
        h += b1
        a = np.maximum(h, 0)
        z = a @ W2
        z += b2
        z -= z.max(axis=1, keepdims=True)
        g = np.exp(z)
        g /= g.sum(axis=1, keepdims=True)
        g[np.arange(len(t)), t] -= 1
        g /= len(t)
        ga = g @ W2.T
        ga *= h > 0
        W2 -= LR * (a.T @ g)
        b2 -= LR * g.sum(axis=0)
        W1 -= LR * (x.T @ ga)
        b1 -= LR * ga.sum(axis=0)
    return time.perf_counter() - started


def book_layout(model: TwoLayerNet) -> list[np.ndarray]:
    """Copies of the model's parameters with each weight as the book writes it, (in, out)
    (nn.Linear stores (out, in), as PyTorch), contiguous. Always copies: the hand-written
    step updates them in place, and must not touch the model's own biases."""
    return [np.array(p.data.T if p.ndim == 2 else p.data, order="C") for p in model.parameters()]


def scratchdl_epoch(model: TwoLayerNet, images, labels, batches) -> float:
    """Seconds for one epoch of the same network through scratchdl's usual training loop."""
    optimizer = optim.SGD(model.parameters(), lr=LR)
    started = time.perf_counter()
    scratchdl_steps(model, optimizer, images, labels, batches)
    return time.perf_counter() - started


def check_same_training(images, labels, batches) -> float:
    """Largest |weight difference| after both loops train the same model on ``batches``:
    a check that the hand-written step is the same computation."""
    sd.manual_seed(0)
    model = TwoLayerNet(784, 100, 10)
    params = book_layout(model)
    handwritten_epoch(params, images, labels, batches)
    scratchdl_epoch(model, images, labels, batches)
    return max(float(np.abs(a - b).max()) for a, b in zip(params, book_layout(model), strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=12)
    args = parser.parse_args()
    images, labels = to_arrays(MNIST(train=True, download=True, transform=ToTensor()))
    images = images.reshape(len(images), -1)
    order = np.random.default_rng(0).permutation(len(labels))
    batches = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
    difference = check_same_training(images, labels, batches[:20])
    print(f"after 20 steps the two models' weights differ by at most {difference:.1e}")
    with_torch = importlib.util.find_spec("torch") is not None
    times: dict[str, list[float]] = {"NumPy by hand": [], "scratchdl": []}
    if with_torch:
        times["PyTorch"] = []
    for repeat in range(args.repeats):
        sd.manual_seed(repeat)
        model = TwoLayerNet(784, 100, 10)
        params = book_layout(model)
        twin = torch_twin(model) if with_torch else None
        time.sleep(SETTLE_SECONDS)
        times["NumPy by hand"].append(handwritten_epoch(params, images, labels, batches))
        time.sleep(SETTLE_SECONDS)
        times["scratchdl"].append(scratchdl_epoch(model, images, labels, batches))
        if with_torch:
            time.sleep(SETTLE_SECONDS)
            epoch = torch_epoch(WORKLOADS["twolayer"], twin, images, labels, batches)
            times["PyTorch"].append(epoch)
    medians = {name: statistics.median(seconds) for name, seconds in times.items()}
    reference = medians.get("PyTorch")
    print("| TwoLayerNet 784-100-10 epoch | median s | min–max s | ratio to PyTorch |")
    print("| --- | ---: | ---: | ---: |")
    for name, seconds in times.items():
        ratio = f"{medians[name] / reference:.2f}" if reference else "–"
        print(f"| {name} | {medians[name]:.3f} | {min(seconds):.3f}–{max(seconds):.3f} | {ratio} |")
    overhead = medians["scratchdl"] - medians["NumPy by hand"]
    print(f"framework cost: {overhead / len(batches) * 1e6:.0f} µs a step (difference of medians)")


if __name__ == "__main__":
    main()
