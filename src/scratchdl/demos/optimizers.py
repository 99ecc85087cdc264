"""Six optimizers on f(x, y) = x²/20 + y², 30 steps each from (−7, 2) (the book's fig. 6-8).

f is twenty times steeper along y than along x. Plain SGD zigzags across the steep valley
while crawling along the flat one; momentum builds speed along x but overshoots; AdaGrad,
RMSprop and Adam scale each coordinate's step by its own gradient history, so they head
for the minimum far more directly. Every run uses the library's optimizer on a 2-element
Parameter and the gradient from backward.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

import scratchdl.nn as nn
import scratchdl.optim as optim
from scratchdl.demos.plotting import new_figure, save_figure

START = (-7.0, 2.0)
STEPS = 30
CURVATURE = np.array([1 / 20, 1.0])  # f(x, y) = x²/20 + y² = Σ cᵢ θᵢ²

OPTIMIZERS: dict[str, Callable[[Iterable[nn.Parameter]], optim.Optimizer]] = {
    "SGD (lr 0.95)": lambda params: optim.SGD(params, lr=0.95),
    "Momentum (lr 0.1, 0.9)": lambda params: optim.SGD(params, lr=0.1, momentum=0.9),
    "Nesterov (lr 0.1, 0.9)": lambda params: optim.SGD(params, lr=0.1, momentum=0.9, nesterov=True),
    "AdaGrad (lr 1.5)": lambda params: optim.Adagrad(params, lr=1.5),
    "RMSprop (lr 0.1)": lambda params: optim.RMSprop(params, lr=0.1),
    "Adam (lr 0.3)": lambda params: optim.Adam(params, lr=0.3),
}


def run(out_dir: Path) -> dict:
    """Draw ``optimizers.png``; return each optimizer's end point and f there."""
    figure, axes = new_figure(2, 3, title="Optimizers on $f(x, y) = x^2/20 + y^2$, 30 steps")
    numbers = {}
    for ax, (name, make_optimizer) in zip(axes.flat, OPTIMIZERS.items(), strict=True):
        path = descend(make_optimizer)
        key = name.split()[0].lower()
        numbers[f"end_point_{key}"] = path[-1].tolist()
        numbers[f"final_f_{key}"] = float(f(path[-1]))
        _draw_contours(ax)
        ax.plot(*path.T, "o-", color="tab:red", markersize=3, label=f"{STEPS} steps")
        ax.plot(0, 0, "+", color="black", markersize=12, markeredgewidth=2, label="minimum")
        ax.set(xlim=(-10, 10), ylim=(-5, 5), xlabel="x", ylabel="y", title=name)
        ax.legend(loc="lower right", fontsize="small")
    save_figure(figure, out_dir / "optimizers.png")
    return numbers


def f(theta: np.ndarray) -> np.ndarray:
    """f(x, y) = x²/20 + y², over the last axis of theta."""
    return np.sum(CURVATURE * theta**2, axis=-1)


def descend(
    make_optimizer: Callable[[Iterable[nn.Parameter]], optim.Optimizer],
) -> np.ndarray:
    """The points (STEPS + 1, 2) an optimizer visits from START, gradients by backward."""
    theta = nn.Parameter(np.array(START))
    optimizer = make_optimizer([theta])
    path = [theta.numpy().copy()]
    for _ in range(STEPS):
        optimizer.zero_grad()
        (CURVATURE * theta * theta).sum().backward()
        optimizer.step()
        path.append(theta.numpy().copy())
    return np.array(path)


def _draw_contours(ax) -> None:
    """Level curves of f over the plotted window."""
    x, y = np.meshgrid(np.linspace(-10, 10, 201), np.linspace(-5, 5, 101))
    levels = [0.25, 0.5, 1, 2, 3, 4, 6, 9, 12]
    ax.contour(x, y, f(np.stack([x, y], axis=-1)), levels=levels, colors="lightgray")
