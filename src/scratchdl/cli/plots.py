"""The three figures of a training run: learning curves, confusion matrix, misclassified.

Drawn with the demos' figure helpers (matplotlib, the optional ``plot`` extra; each
function raises ImportError without it) and saved atomically as PNG.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from scratchdl.cli.results import Evaluation
from scratchdl.demos.plotting import new_figure, save_figure
from scratchdl.train import History

GRID_SIDE = 5  # misclassified.png shows up to GRID_SIDE² test images
CONFUSION_INCHES = (7.5, 6.5)
GRID_INCHES = (8.5, 9.5)
TRAIN_STYLE = {"color": "tab:blue", "marker": "o", "label": "train"}
TEST_STYLE = {"color": "tab:orange", "marker": "s", "label": "test"}


def plot_curves(
    records: Sequence[Mapping[str, Any]], path: Path, title: str, stopped_epoch: int | None
) -> Path:
    """Loss and accuracy per epoch, train against test, with the best epoch (lowest test
    loss) marked, and where early stopping ended the run if it did."""
    history = History(records)
    best = history.best_epoch("val_loss")
    figure, axes = new_figure(1, 2, title=title)
    panels = (
        ("loss", "Loss", "cross-entropy (mean over the images)", 1.0),
        ("accuracy", "Accuracy", "accuracy (%)", 100.0),
    )
    for ax, (key, panel_title, ylabel, scale) in zip(axes[0], panels, strict=True):
        ax.plot(history.epochs, np.multiply(history[key], scale), **TRAIN_STYLE)
        ax.plot(history.epochs, np.multiply(history[f"val_{key}"], scale), **TEST_STYLE)
        ax.axvline(best, color="tab:green", linestyle="--", label=f"best: epoch {best}")
        if stopped_epoch is not None:
            ax.axvline(stopped_epoch, color="tab:red", linestyle=":", label="early stop")
        ax.set(xlabel="epoch", ylabel=ylabel, title=panel_title)
        ax.set_xticks(_epoch_ticks(history.epochs))
        ax.grid(alpha=0.3)
        ax.legend()
    return save_figure(figure, path)


def _epoch_ticks(epochs: Sequence[int]) -> list[int]:
    """Whole-number epoch ticks, at most about ten of them."""
    return list(range(epochs[0], epochs[-1] + 1, math.ceil(len(epochs) / 10)))


def plot_confusion(evaluation: Evaluation, class_names: Sequence[str], path: Path) -> Path:
    """A 10x10 heatmap of (true class, predicted class) counts, each count written in its
    cell. The colour is logarithmic so that the few mistakes show beside the diagonal."""
    from matplotlib.colors import LogNorm

    counts = evaluation.confusion_matrix()
    figure, axes = new_figure(1, 1)
    figure.set_size_inches(*CONFUSION_INCHES)
    ax = axes[0, 0]
    shown = np.ma.masked_equal(counts, 0)
    image = ax.imshow(shown, cmap="Blues", norm=LogNorm(vmin=1, vmax=max(2, counts.max())))
    figure.colorbar(image, ax=ax, label="images (log scale)")
    for (row, col), count in np.ndenumerate(counts):
        dark = count > np.sqrt(counts.max())
        ax.text(col, row, str(count), ha="center", va="center", fontsize=8,
                color="white" if dark else "black")  # fmt: skip
    ticks = np.arange(len(class_names))
    ax.set_xticks(ticks, class_names, rotation=45 if _long(class_names) else 0, ha="right")
    ax.set_yticks(ticks, class_names)
    accuracy = f"test accuracy {evaluation.accuracy:.2%}"
    ax.set(xlabel="predicted class", ylabel="true class", title=f"Confusion matrix ({accuracy})")
    return save_figure(figure, path)


def plot_misclassified(evaluation: Evaluation, class_names: Sequence[str], path: Path) -> Path:
    """The first GRID_SIDE² misclassified test images, each titled with its true and
    predicted class."""
    wrong = evaluation.misclassified()[: GRID_SIDE**2]
    figure, axes = new_figure(GRID_SIDE, GRID_SIDE)
    figure.set_size_inches(*GRID_INCHES)
    figure.suptitle(
        f"{len(evaluation.misclassified()):,} of {len(evaluation.labels):,} test images "
        f"misclassified (the first {len(wrong)} shown)"
    )
    for ax in axes.flat:
        ax.set_axis_off()
    for ax, index in zip(axes.flat, wrong, strict=False):
        ax.imshow(evaluation.images[index].squeeze(), cmap="gray", vmin=0, vmax=1)
        true, predicted = evaluation.labels[index], evaluation.predicted[index]
        ax.set_title(
            f"true {class_names[true]}\npredicted {class_names[predicted]}",
            fontsize=9,
            color="tab:red",
        )
    return save_figure(figure, path)


def _long(names: Sequence[str]) -> bool:
    return max(len(name) for name in names) > 2
