"""What the demos that train a network share: their data, their initial weights, and the
accuracy measured after every epoch.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

import scratchdl.nn as nn
from scratchdl.datasets import DatasetError, spiral
from scratchdl.train import Callback, TrainingDiverged, evaluate, fit
from scratchdl.utils.data import DataLoader, TensorDataset, to_arrays
from scratchdl.vision.datasets import MNIST
from scratchdl.vision.transforms import ToTensor

EVALUATION_BATCH_SIZE = 1000


@dataclass(frozen=True)
class DemoData:
    """A training and a test set: inputs (N, ...) float32 and class indices (N,)."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    @property
    def n_inputs(self) -> int:
        return self.x_train[0].size

    @property
    def n_classes(self) -> int:
        return int(self.y_train.max()) + 1


def load_demo_data(n_train: int, n_test: int, spiral_per_class: tuple[int, int]) -> DemoData:
    """The first n_train MNIST training and n_test test images when the files are found
    (looked up as ``MNIST`` does, never downloaded); else two 3-class spirals of
    spiral_per_class = (training, test) points per class, drawn with seeds 0 and 1."""
    try:
        train = MNIST(train=True, download=False, transform=ToTensor())
        test = MNIST(train=False, download=False, transform=ToTensor())
    except DatasetError:
        x_train, y_train = spiral(n_per_class=spiral_per_class[0], seed=0)
        x_test, y_test = spiral(n_per_class=spiral_per_class[1], seed=1)
        return DemoData("spiral", x_train, y_train, x_test, y_test)
    return DemoData("MNIST", *to_arrays(train, n_train), *to_arrays(test, n_test))


def initialise_weights(model: nn.Module, initialise: Callable[[Any], Any]) -> None:
    """Fill every Linear layer's weight with ``initialise(weight)`` and its bias with 0."""
    for module in model.modules():
        if isinstance(module, nn.Linear):
            initialise(module.weight)
            nn.init.zeros_(module.bias)


class AccuracyPerEpoch(Callback):
    """After every epoch, the model's accuracy on each named (x, y) set, in evaluation mode
    (dropout off, batch norm on its running statistics): ``self.accuracies[name]``."""

    def __init__(self, sets: Mapping[str, tuple[np.ndarray, np.ndarray]]) -> None:
        self.loaders = {
            name: DataLoader(TensorDataset(x, y), batch_size=EVALUATION_BATCH_SIZE)
            for name, (x, y) in sets.items()
        }
        self.accuracies: dict[str, list[float]] = {name: [] for name in sets}

    def on_epoch_end(self, epoch: int, record: Mapping[str, Any]) -> None:
        for name, loader in self.loaders.items():
            self.accuracies[name].append(evaluate(self.model, loader, None)["accuracy"])


def accuracy_curves(
    model: nn.Module,
    loss_fn: Callable,
    optimizer: Any,
    train_loader: DataLoader,
    epochs: int,
    sets: Mapping[str, tuple[np.ndarray, np.ndarray]],
) -> dict[str, list[float]]:
    """Train with ``scratchdl.train.fit``; return each set's accuracy after every epoch.

    A run whose loss overflows to NaN or infinity stops there (without overflow warnings:
    it is what the demo shows), so its curves hold fewer than ``epochs`` values.
    """
    recorder = AccuracyPerEpoch(sets)
    with np.errstate(over="ignore", invalid="ignore"), contextlib.suppress(TrainingDiverged):
        fit(model, train_loader, loss_fn, optimizer, epochs, metrics=(), callbacks=[recorder])
    return recorder.accuracies
