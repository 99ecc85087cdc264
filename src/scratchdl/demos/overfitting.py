"""Overfitting, and two cures for it (the book's section 6.4, figures 6-20, 6-21 and 6-23).

A deep net, 784-100-100-100-100-100-100-10 with ReLU and He initial weights, learns only
the first 300 MNIST training images by SGD (lr 0.01, batch 100) for 200 epochs; after
every epoch its accuracy is measured on those 300 images and on 1000 test images. Plain,
it comes to score 100% on the images it has seen and about 75% on the others: it
memorises rather than generalises. Weight decay (λ/2 · Σ‖W‖² added to the loss, λ = 0.1)
and dropout (p = 0.15 after every hidden layer) narrow that gap. Without the MNIST files
it trains a 2-100×6-3 net on 30 spiral points instead (tested on 300 others).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import scratchdl as sd
import scratchdl.nn as nn
import scratchdl.optim as optim
from scratchdl import functional as F
from scratchdl.autograd import Tensor
from scratchdl.demos.plotting import new_figure, save_figure
from scratchdl.demos.training import (
    DemoData,
    accuracy_curves,
    initialise_weights,
    load_demo_data,
)
from scratchdl.models import MLP
from scratchdl.utils.data import DataLoader, TensorDataset

N_TRAIN, N_TEST = 300, 1000
SPIRAL_PER_CLASS = (10, 100)
HIDDEN_SIZES = [100] * 6
EPOCHS = 200
LR = 0.01
BATCH_SIZE = 100
SEED = 0

REGULARISATIONS: dict[str, dict[str, float]] = {
    "plain": {"weight_decay": 0.0, "dropout": 0.0},
    "weight decay": {"weight_decay": 0.1, "dropout": 0.0},
    "dropout": {"weight_decay": 0.0, "dropout": 0.15},
}
"""Each trained net's weight decay λ and dropout probability p."""


def run(out_dir: Path) -> dict:
    """Draw ``overfitting.png``; return the data set used and, for each regularisation, the
    final training and test accuracy. Seeds the library generator."""
    data = load_demo_data(N_TRAIN, N_TEST, SPIRAL_PER_CLASS)
    sizes = [data.n_inputs, *HIDDEN_SIZES, data.n_classes]
    figure, axes = new_figure(
        1,
        len(REGULARISATIONS),
        title=f"Overfitting {len(data.x_train)} {data.name} training samples "
        f"(MLP {'-'.join(map(str, sizes))}, SGD lr {LR})",
    )
    numbers: dict = {"dataset": data.name}
    epochs = np.arange(1, EPOCHS + 1)
    for ax, (name, settings) in zip(axes[0], REGULARISATIONS.items(), strict=True):
        curves = train(data, sizes, **settings)
        key = name.replace(" ", "_")
        numbers[f"final_train_accuracy_{key}"] = curves["train"][-1]
        numbers[f"final_test_accuracy_{key}"] = curves["test"][-1]
        ax.plot(epochs, curves["train"], label="train")
        ax.plot(epochs, curves["test"], label="test", linestyle="--")
        ax.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1.02), title=_title(name, settings))
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right")
    save_figure(figure, out_dir / "overfitting.png")
    return numbers


def train(
    data: DemoData, sizes: list[int], weight_decay: float, dropout: float
) -> dict[str, list[float]]:
    """Train one net from He initial weights (fixed by SEED); its accuracy on the training
    and the test set after every epoch."""
    sd.manual_seed(SEED)
    model = MLP(sizes, dropout=dropout)
    initialise_weights(model, lambda weight: nn.init.kaiming_normal_(weight, nonlinearity="relu"))
    loader = DataLoader(
        TensorDataset(data.x_train, data.y_train),
        batch_size=BATCH_SIZE,
        shuffle=True,
        generator=sd.Generator().manual_seed(SEED),
    )
    return accuracy_curves(
        model,
        l2_penalised_cross_entropy(model, weight_decay),
        optim.SGD(model.parameters(), lr=LR),
        loader,
        EPOCHS,
        {"train": (data.x_train, data.y_train), "test": (data.x_test, data.y_test)},
    )


def l2_penalised_cross_entropy(model: nn.Module, weight_decay: float):
    """The loss L = cross_entropy(y, t) + λ/2 · Σ ‖W‖² over the Linear weights (not the
    biases), as the book adds weight decay; its gradient adds λW to each weight's."""
    weights = [module.weight for module in model.modules() if isinstance(module, nn.Linear)]

    def loss(outputs: Tensor, targets: Tensor) -> Tensor:
        cross_entropy = F.cross_entropy(outputs, targets)
        if weight_decay == 0:
            return cross_entropy
        return cross_entropy + 0.5 * weight_decay * sum((w * w).sum() for w in weights)

    return loss


def _title(name: str, settings: dict[str, float]) -> str:
    if settings["weight_decay"]:
        return f"{name}, λ = {settings['weight_decay']:g}"
    if settings["dropout"]:
        return f"{name}, p = {settings['dropout']:g}"
    return name
