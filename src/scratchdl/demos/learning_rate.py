"""The learning rate: the same small network trained with SGD at four learning rates.

A 784-50-10 ReLU MLP learns 2000 MNIST training images for 300 mini-batch steps (batch
100) from the same initial weights and batch order, at lr 0.001, 0.01, 0.1 and 1. Too small
a rate barely lowers the loss in that time; the larger rates learn faster, lr 1 fastest here
but in visible jumps (far larger rates overshoot and diverge, as the ``gradient`` demo shows).
Without the MNIST files (looked up as ``scratchdl.datasets.MNIST`` does, never downloaded
here) it trains a 2-30-3 MLP on the spiral set instead.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import scratchdl as sd
import scratchdl.optim as optim
from scratchdl import functional as F
from scratchdl.datasets import DatasetError, spiral
from scratchdl.demos.plotting import new_figure, save_figure
from scratchdl.models import MLP
from scratchdl.utils.data import DataLoader, TensorDataset, to_arrays
from scratchdl.vision.datasets import MNIST
from scratchdl.vision.transforms import ToTensor

LEARNING_RATES = (1e-3, 1e-2, 1e-1, 1.0)
N_IMAGES = 2000
STEPS = 300
BATCH_SIZE = 100
SMOOTHING = 10
SEED = 0


def run(out_dir: Path) -> dict:
    """Draw ``learning-rate.png``; return the data set used and, for each learning rate,
    the mean loss of the last SMOOTHING steps. Seeds the library generator."""
    dataset_name, X, y = load_training_data()
    layer_sizes = [X[0].size, 50, 10] if dataset_name == "MNIST" else [2, 30, 3]
    figure, axes = new_figure(
        1, 1, title=f"SGD at four learning rates ({dataset_name})", panel_size=(7, 5)
    )
    ax = axes[0, 0]
    numbers: dict = {"dataset": dataset_name}
    for lr in LEARNING_RATES:
        losses = training_losses(X, y, layer_sizes, lr)
        numbers[f"final_loss_lr_{lr:g}"] = float(np.mean(losses[-SMOOTHING:]))
        smoothed = np.convolve(losses, np.ones(SMOOTHING) / SMOOTHING, mode="valid")
        ax.plot(np.arange(SMOOTHING, STEPS + 1), smoothed, label=f"lr={lr:g}")
    ax.set(xlabel="step", ylabel=f"training loss (mean of the last {SMOOTHING} steps)")
    ax.set_title(f"MLP {'-'.join(map(str, layer_sizes))}, batch {BATCH_SIZE}, same start")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(loc="center right")
    save_figure(figure, out_dir / "learning-rate.png")
    return numbers


def load_training_data() -> tuple[str, np.ndarray, np.ndarray]:
    """("MNIST", the first N_IMAGES training images and labels) when the files are found,
    else ("spiral", a 3-class spiral of 300 points)."""
    try:
        mnist = MNIST(train=True, download=False, transform=ToTensor())
    except DatasetError:
        X, y = spiral(n_per_class=100, n_classes=3, seed=SEED)
        return "spiral", X, y
    return "MNIST", *to_arrays(mnist, N_IMAGES)


def training_losses(X: np.ndarray, y: np.ndarray, layer_sizes: list[int], lr: float) -> np.ndarray:
    """Cross-entropy of each of STEPS SGD steps, from weights and batch order fixed by SEED."""
    sd.manual_seed(SEED)
    model = MLP(layer_sizes)
    optimizer = optim.SGD(model.parameters(), lr=lr)
    generator = sd.Generator().manual_seed(SEED)
    loader = DataLoader(
        TensorDataset(X, y), batch_size=BATCH_SIZE, shuffle=True, generator=generator
    )
    losses: list[float] = []
    while len(losses) < STEPS:
        for images, labels in loader:
            loss = F.cross_entropy(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            if len(losses) == STEPS:
                break
    return np.array(losses)
