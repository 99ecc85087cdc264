"""One training step's gradient of the book's TwoLayerNet (chapter 4), three ways.

TwoLayerNet 784-50-10 in float64 on a batch of 100 MNIST training images (random images
when the files are absent), the gradient of all 39,760 parameters by:
  - plain:    ``net.numerical_gradient(x, t)``, the book's loop: each weight moved by ±h
              in turn, the whole network run twice per weight (timed once: it is slow);
  - fast:     ``net.numerical_gradient(x, t, fast=True)``, the same central differences
              evaluated thousands at once (median of --repeats);
  - backprop: ``net.gradient(x, t)`` (median of --repeats).

    SCRATCHDL_DATA=... python bench/numerical_gradient.py [--repeats 5] [--skip-plain]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

import scratchdl as sd
from scratchdl.classic import TwoLayerNet
from scratchdl.datasets import DatasetError
from scratchdl.utils.data import to_arrays
from scratchdl.vision.datasets import MNIST
from scratchdl.vision.transforms import ToTensor

BATCH_SIZE, INPUT_SIZE, HIDDEN_SIZE, OUTPUT_SIZE = 100, 784, 50, 10


def batch() -> tuple[str, np.ndarray, np.ndarray]:
    """("MNIST", the first BATCH_SIZE training images and labels), or random ones."""
    try:
        mnist = MNIST(train=True, transform=ToTensor())
    except DatasetError:
        rng = np.random.default_rng(0)
        return "random", rng.random((BATCH_SIZE, INPUT_SIZE)), rng.integers(0, 10, BATCH_SIZE)
    images, labels = to_arrays(mnist, BATCH_SIZE)
    return "MNIST", images.reshape(BATCH_SIZE, -1), labels


def seconds(step: Callable[[], dict], repeats: int) -> tuple[float, dict]:
    """The median wall time of ``repeats`` calls, and the last call's gradients."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        gradients = step()
        times.append(time.perf_counter() - started)
    return statistics.median(times), gradients


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-plain", action="store_true", help="leave out the slow loop")
    args = parser.parse_args()
    sd.manual_seed(0)
    dataset, x, t = batch()
    net = TwoLayerNet(INPUT_SIZE, HIDDEN_SIZE, OUTPUT_SIZE)
    print(f"TwoLayerNet {INPUT_SIZE}-{HIDDEN_SIZE}-{OUTPUT_SIZE}, batch {BATCH_SIZE} ({dataset})")
    backprop_s, backprop = seconds(lambda: net.gradient(x, t), args.repeats)
    fast_s, fast = seconds(lambda: net.numerical_gradient(x, t, fast=True), args.repeats)
    results = {"fast": (fast_s, fast)}
    if not args.skip_plain:
        results["plain"] = seconds(lambda: net.numerical_gradient(x, t), 1)
    print(f"backprop:                  {backprop_s:8.4f} s")
    for name, (step_s, gradients) in results.items():
        difference = max(np.abs(gradients[key] - backprop[key]).mean() for key in gradients)
        print(
            f"numerical gradient, {name:5}: {step_s:8.3f} s  "
            f"(max over params of mean |numerical - backprop| = {difference:.1e})"
        )
    if "plain" in results:
        plain, fast = results["plain"][1], results["fast"][1]
        largest = max(np.abs(plain[key] - fast[key]).max() for key in plain)
        print(f"plain vs fast: largest |difference| {largest:.1e}")
        print(f"speed-up: {results['plain'][0] / fast_s:.0f}x")


if __name__ == "__main__":
    main()
