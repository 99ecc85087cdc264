"""Softmax outputs and the two classic losses, on the book's ten-class example.

A network outputs y, probabilities for the digits 0-9; the answer is 2 (one-hot t).
With the 0.6 on class 2 both losses are small; moved to class 7 both grow:
    sum of squares ½ Σₖ (yₖ − tₖ)²: 0.0975 → 0.5975,
    cross-entropy −Σₖ tₖ ln yₖ:      0.5108 → 2.3026.
Softmax exp(aₖ) / Σᵢ exp(aᵢ) is computed after subtracting max(a), which leaves the result
unchanged but keeps exp from overflowing on scores like [1010, 1000, 990].
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scratchdl import functional as F
from scratchdl import info
from scratchdl.demos.plotting import new_figure, save_figure

LABEL = 2
OUTPUT_CORRECT = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]
OUTPUT_WRONG = [0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]
SMALL_SCORES = [0.3, 2.9, 4.0]
LARGE_SCORES = [1010.0, 1000.0, 990.0]


def run(out_dir: Path) -> dict:
    """Draw ``softmax.png``; return both losses for both outputs, and the two softmaxes."""
    target = np.eye(len(OUTPUT_CORRECT))[LABEL]
    numbers = {}
    figure, axes = new_figure(2, 2, title="Softmax outputs and their losses (answer: class 2)")
    for ax, (case, output) in zip(
        axes[0], (("correct", OUTPUT_CORRECT), ("wrong", OUTPUT_WRONG)), strict=True
    ):
        sse = F.sum_squared_error(np.array(output), target).item()
        cross_entropy = info.cross_entropy(target, output, base="e")
        numbers[f"sse_{case}"] = sse
        numbers[f"cross_entropy_{case}"] = cross_entropy
        _draw_output(ax, output, target)
        ax.set_title(
            f"peak at class {int(np.argmax(output))}: SSE {sse:.4f}, CE {cross_entropy:.4f}"
        )
    for ax, (case, scores) in zip(
        axes[1], (("small", SMALL_SCORES), ("large", LARGE_SCORES)), strict=True
    ):
        probabilities = F.softmax(np.array(scores), dim=-1).numpy()
        numbers[f"softmax_{case}"] = probabilities.tolist()
        _draw_softmax(ax, scores, probabilities)
    axes[1, 1].text(
        0.95,
        0.6,
        "exp(1010) overflows;\nexp(a − max a) does not",
        ha="right",
        transform=axes[1, 1].transAxes,
    )
    save_figure(figure, out_dir / "softmax.png")
    return numbers


def _draw_output(ax, output: list[float], target: np.ndarray) -> None:
    """Bars of the network's output y beside the one-hot target t."""
    classes = np.arange(len(output))
    ax.bar(classes - 0.2, output, width=0.4, label="output y")
    ax.bar(classes + 0.2, target, width=0.4, label="target t (one-hot)")
    ax.set(xlabel="class", ylabel="probability", xticks=classes, ylim=(0, 1.15))
    ax.legend(loc="upper right")


def _draw_softmax(ax, scores: list[float], probabilities: np.ndarray) -> None:
    """Bars of softmax(scores), each labelled with its value."""
    names = [f"a={score:g}" for score in scores]
    bars = ax.bar(names, probabilities, color="tab:green")
    ax.bar_label(bars, labels=[f"{p:.5g}" for p in probabilities], padding=2)
    ax.set(xlabel="score", ylabel="softmax probability", ylim=(0, 1.15))
    ax.set_title(f"softmax([{', '.join(f'{score:g}' for score in scores)}])")
