"""A trained network's predictions on the test set, and the numbers read from them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import scratchdl.functional as F
import scratchdl.nn as nn
from scratchdl.cli.config import NUM_CLASSES, TEST_BATCH_SIZE
from scratchdl.functional.creation import from_numpy
from scratchdl.train import predict
from scratchdl.utils.data import Dataset, to_arrays


@dataclass(frozen=True)
class Evaluation:
    """Images, their labels, and the network's logits for them."""

    images: np.ndarray  # (N, 1, 28, 28)
    labels: np.ndarray  # (N,) class indices
    logits: np.ndarray  # (N, 10)

    @property
    def predicted(self) -> np.ndarray:
        """The predicted class of each image: argmax of its logits."""
        return self.logits.argmax(axis=1)

    @property
    def accuracy(self) -> float:
        return float(np.mean(self.predicted == self.labels))

    @property
    def loss(self) -> float:
        """The mean cross-entropy of the logits against the labels."""
        return float(F.cross_entropy(from_numpy(self.logits), from_numpy(self.labels)).item())

    def confusion_matrix(self) -> np.ndarray:
        """(10, 10) counts: row = true class, column = predicted class."""
        pairs = self.labels * NUM_CLASSES + self.predicted
        return np.bincount(pairs, minlength=NUM_CLASSES**2).reshape(NUM_CLASSES, NUM_CLASSES)

    def misclassified(self) -> np.ndarray:
        """Indices of the images the network gets wrong, in dataset order."""
        return np.flatnonzero(self.predicted != self.labels)


def evaluate_on(model: nn.Module, dataset: Dataset) -> Evaluation:
    """Run ``model`` over the whole ``dataset`` (in evaluation mode, without a graph)."""
    images, labels = to_arrays(dataset)
    return Evaluation(images, labels, predict(model, images, batch_size=TEST_BATCH_SIZE))
