"""Gradient check: backpropagation against the numerical gradient, parameter by parameter.

Backpropagation is fast but easy to get wrong; central differences are slow but hard to get
wrong. If the two agree to about 1e-10 in float64, the backward pass is right.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import scratchdl as sd
from scratchdl.classic.two_layer_net import TwoLayerNet
from scratchdl.datasets import DatasetError
from scratchdl.utils.data import to_arrays
from scratchdl.vision.datasets import MNIST
from scratchdl.vision.transforms import ToTensor

INPUT_SIZE, HIDDEN_SIZE, OUTPUT_SIZE = 784, 50, 10


def gradient_check(net: TwoLayerNet, x: Any, t: Any, fast: bool = False) -> dict[str, float]:
    """The mean |backprop − numerical| of each parameter's gradient, keyed like net.params.

    ``fast`` computes the numerical gradient with ``fast_numerical_gradient`` (the same
    central differences, many at a time).
    """
    numerical = net.numerical_gradient(x, t, fast=fast)
    backprop = net.gradient(x, t)
    return {key: float(np.mean(np.abs(backprop[key] - numerical[key]))) for key in numerical}


def run_gradient_check(
    n: int = 3, data_root: str | Path | None = None, seed: int = 0, fast: bool = True
) -> dict[str, Any]:
    """The book's gradient check: a TwoLayerNet 784-50-10 on the first ``n`` MNIST training
    images (random images and labels when the MNIST files are not found; never downloads).

    Seeds the library generator with ``seed``. ``fast=False`` runs the book's loop, one
    weight at a time (seconds instead of a blink, the same numbers to about 1e-12).
    Returns ``{"dataset": "MNIST" or "random", "n": n, "W1": ..., "b1": ..., "W2": ...,
    "b2": ...}``: each parameter's mean |backprop − numerical| (the book reports about
    1e-10 to 1e-9).
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"run_gradient_check: n must be a positive integer, got {n!r}")
    sd.manual_seed(seed)
    dataset, x, t = _first_images(n, data_root)
    net = TwoLayerNet(INPUT_SIZE, HIDDEN_SIZE, OUTPUT_SIZE)
    return {"dataset": dataset, "n": n, **gradient_check(net, x, t, fast=fast)}


def _first_images(n: int, data_root: str | Path | None) -> tuple[str, np.ndarray, np.ndarray]:
    """("MNIST", the first n training images (n, 784) and labels), or ("random", n uniform
    images in [0, 1) and random labels) without the files."""
    try:
        mnist = MNIST(root=data_root, train=True, download=False, transform=ToTensor())
    except DatasetError:
        rng = sd.get_rng()
        return "random", rng.random((n, INPUT_SIZE)), rng.integers(0, OUTPUT_SIZE, n)
    images, labels = to_arrays(mnist, n)
    return "MNIST", images.reshape(n, -1), labels
