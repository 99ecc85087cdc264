"""Batch normalisation: training with and without it, from four initial weight scales (the
book's section 6.3, figures 6-18 and 6-19).

Two nets 784-100-100-100-100-100-10 with ReLU, one of them with batch norm after every
hidden Linear layer, learn the first 1000 MNIST training images by SGD (lr 0.01, batch
100) for 20 epochs from the same initial weights, drawn from N(0, std²) for std = 1, 0.1,
0.01 and 0.001; the training accuracy is measured after every epoch. Without batch norm,
the net learns only from a well-chosen scale: too large and the activations explode (the
loss overflows), too small and the signal and the gradients fade out layer after layer.
With batch norm every scale learns, and learns faster.
Without the MNIST files the nets are 2-100×5-3, learning 300 spiral points.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import scratchdl as sd
import scratchdl.nn as nn
import scratchdl.optim as optim
from scratchdl import functional as F
from scratchdl.demos.plotting import new_figure, save_figure
from scratchdl.demos.training import DemoData, accuracy_curves, initialise_weights, load_demo_data
from scratchdl.models import MLP
from scratchdl.utils.data import DataLoader, TensorDataset

N_TRAIN = 1000
SPIRAL_PER_CLASS = (100, 1)
HIDDEN_SIZES = [100] * 5
WEIGHT_STDS = (1.0, 0.1, 0.01, 0.001)
EPOCHS = 20
LR = 0.01
BATCH_SIZE = 100
SEED = 0


def run(out_dir: Path) -> dict:
    """Draw ``batchnorm.png``; return the data set used, the final training accuracy with
    and without batch norm for each initial weight scale (NaN for a run that diverged), and
    the runs that diverged. Seeds the library generator."""
    data = load_demo_data(N_TRAIN, n_test=1, spiral_per_class=SPIRAL_PER_CLASS)  # no test here
    sizes = [data.n_inputs, *HIDDEN_SIZES, data.n_classes]
    figure, axes = new_figure(
        1,
        len(WEIGHT_STDS),
        title=f"Batch norm: training accuracy on {len(data.x_train)} {data.name} samples "
        f"(MLP {'-'.join(map(str, sizes))}, SGD lr {LR})",
        panel_size=(4.0, 3.8),
    )
    numbers: dict = {"dataset": data.name, "diverged": []}
    for ax, std in zip(axes[0], WEIGHT_STDS, strict=True):
        for batchnorm, label, style in ((True, "batch norm", "-"), (False, "without", "--")):
            accuracies = training_accuracies(data, sizes, std, batchnorm)
            run_name = f"std_{std:g}_{'batchnorm' if batchnorm else 'plain'}"
            diverged = len(accuracies) < EPOCHS
            numbers[f"final_train_accuracy_{run_name}"] = np.nan if diverged else accuracies[-1]
            if diverged:
                numbers["diverged"].append(run_name)
                label += f" (diverged in epoch {len(accuracies) + 1})"
            ax.plot(np.arange(1, len(accuracies) + 1), accuracies, linestyle=style, label=label)
        ax.set(xlabel="epoch", ylabel="training accuracy", ylim=(0, 1.02))
        ax.set_title(f"initial weights N(0, {std:g}²)")
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right")
    save_figure(figure, out_dir / "batchnorm.png")
    return numbers


def training_accuracies(data: DemoData, sizes: list[int], std: float, batchnorm: bool) -> list:
    """The training accuracy after every epoch of one net, with weights from N(0, std²)
    (the same for both nets: they draw them in the same order after seeding with SEED)."""
    sd.manual_seed(SEED)
    model = MLP(sizes, batchnorm=batchnorm)
    initialise_weights(model, lambda weight: nn.init.normal_(weight, std=std))
    loader = DataLoader(
        TensorDataset(data.x_train, data.y_train),
        batch_size=BATCH_SIZE,
        shuffle=True,
        generator=sd.Generator().manual_seed(SEED),
    )
    optimizer = optim.SGD(model.parameters(), lr=LR)
    sets = {"train": (data.x_train, data.y_train)}
    return accuracy_curves(model, F.cross_entropy, optimizer, loader, EPOCHS, sets)["train"]
