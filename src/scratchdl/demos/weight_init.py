"""How the initial weights shape the activations of a deep net (the book's section 6.2).

1000 random inputs pass through 5 fully connected layers of 100 units (no bias). With
sigmoid, weights of std 1 push activations to 0 and 1, where the derivative vanishes; std
0.01 collapses them all near 0.5, so every unit computes the same thing; Xavier
(std = √(2 / (fan_in + fan_out)) = 1/√100 here) keeps them spread. With ReLU, the
activations' scale shrinks layer after layer for std 0.01 and Xavier, explodes for std 1,
and stays level only with He (std = √(2 / fan_in)). ReLU histograms leave out the exact
zeros (about half the activations) and use a log scale, so a drifting scale shows as a
drifting peak.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

import scratchdl as sd
import scratchdl.nn as nn
from scratchdl import functional as F
from scratchdl.demos.plotting import new_figure, save_figure

N_SAMPLES = 1000
N_UNITS = 100
N_LAYERS = 5
SEED = 0

INITIALISERS: dict[str, Callable[[sd.Tensor], sd.Tensor]] = {
    "std 1": lambda weight: nn.init.normal_(weight, std=1.0),
    "std 0.01": lambda weight: nn.init.normal_(weight, std=0.01),
    "Xavier": nn.init.xavier_normal_,
    "He": lambda weight: nn.init.kaiming_normal_(weight, nonlinearity="relu"),
}
ACTIVATIONS: dict[str, Callable[[sd.Tensor], sd.Tensor]] = {"sigmoid": F.sigmoid, "ReLU": F.relu}


def run(out_dir: Path) -> dict:
    """Draw ``weight-init.png``; return the activations' std in each of the 5 layers for
    every (activation, initialisation) pair. Seeds the library generator with 0."""
    sd.manual_seed(SEED)
    inputs = np.random.default_rng(SEED).standard_normal((N_SAMPLES, N_UNITS))
    figure, axes = new_figure(
        len(ACTIVATIONS), len(INITIALISERS), title="Activations of a 5-layer net by initial weights"
    )
    numbers = {}
    for row, (activation_name, activation) in zip(axes, ACTIVATIONS.items(), strict=True):
        for ax, (init_name, initialise) in zip(row, INITIALISERS.items(), strict=True):
            layers = layer_activations(inputs, activation, initialise)
            stds = [float(a.std()) for a in layers]
            key = init_name.lower().replace(" ", "_")
            numbers[f"activation_std_{activation_name.lower()}_{key}"] = stds
            if activation is F.relu:
                _draw_relu_histograms(ax, layers, stds)
            else:
                _draw_sigmoid_histograms(ax, layers, stds)
            ax.set_title(f"{activation_name}, weights {init_name}")
            ax.set_ylim(top=ax.get_ylim()[1] * 1.5)  # headroom for the legend
            ax.legend(loc="upper center", fontsize="x-small", ncols=3, title="layer (std)")
    save_figure(figure, out_dir / "weight-init.png")
    return numbers


def layer_activations(
    inputs: np.ndarray,
    activation: Callable[[sd.Tensor], sd.Tensor],
    initialise: Callable[[sd.Tensor], sd.Tensor],
) -> list[np.ndarray]:
    """The output of each of the N_LAYERS layers h ← activation(h W), every W (100, 100)
    filled by ``initialise`` (float64, no gradients recorded)."""
    outputs = []
    hidden = sd.tensor(inputs)
    with sd.no_grad():
        for _ in range(N_LAYERS):
            weight = initialise(sd.tensor(np.empty((N_UNITS, N_UNITS))))
            hidden = activation(hidden @ weight)
            outputs.append(hidden.numpy())
    return outputs


def _draw_sigmoid_histograms(ax, layers: list[np.ndarray], stds: list[float]) -> None:
    """One outline histogram per layer over (0, 1)."""
    for index, (values, std) in enumerate(zip(layers, stds, strict=True), start=1):
        ax.hist(
            values.ravel(), bins=50, range=(0, 1), histtype="step", label=f"{index} ({std:.3g})"
        )
    ax.set(xlabel="activation", ylabel="count")


def _draw_relu_histograms(ax, layers: list[np.ndarray], stds: list[float]) -> None:
    """One outline histogram per layer of the positive activations, on log-spaced bins."""
    positive = [values[values > 0] for values in layers]
    low = min(values.min() for values in positive)
    high = max(values.max() for values in positive)
    bins = np.geomspace(low, high, 60)
    for index, (values, std) in enumerate(zip(positive, stds, strict=True), start=1):
        ax.hist(values, bins=bins, histtype="step", label=f"{index} ({std:.3g})")
    ax.set(xscale="log", xlabel="activation > 0 (log scale)", ylabel="count")
