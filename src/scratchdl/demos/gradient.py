"""The gradient of f(x₀, x₁) = x₀² + x₁², and gradient descent on it at three learning rates.

Every −∇f arrow points towards the minimum at the origin, longer the further away.
Descent from (−3, 4) with the numerical gradient converges for lr 0.1, overshoots further
at every step for lr 10 (each step multiplies x by 1 − 2·lr = −19), and barely moves for
lr 1e-10. (The diverging run stops growing near 10¹³ only because there x ± h rounds to x
in float64, so the numerical gradient becomes 0.) Each path runs along the line through the
start and the minimum, so the diverging one is drawn up to its first step only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scratchdl.classic import gradient_descent, numerical_gradient
from scratchdl.demos.plotting import new_figure, save_figure

START = (-3.0, 4.0)
STEPS = 100
LEARNING_RATES = {"converges": 0.1, "diverges": 10.0, "stalls": 1e-10}


def f(x: np.ndarray) -> float:
    """f(x) = x₀² + x₁², minimal (0) at the origin."""
    return float(np.sum(x**2))


def run(out_dir: Path) -> dict:
    """Draw ``gradient.png``; return the end point of each descent after 100 steps."""
    figure, axes = new_figure(1, 3, title="Gradient descent on $f = x_0^2 + x_1^2$")
    field_ax, paths_ax, distance_ax = axes[0]
    _draw_negative_gradient(field_ax)
    _draw_contours(paths_ax)
    numbers = {}
    for outcome, lr in LEARNING_RATES.items():
        end, path = gradient_descent(f, START, lr=lr, steps=STEPS)
        numbers[f"end_point_lr_{lr:g}"] = end.tolist()
        label = f"lr={lr:g} ({outcome})"
        if outcome == "diverges":
            first_step = np.round(path[1]).astype(int).tolist()
            paths_ax.plot(*path[:2].T, "--", label=f"{label}: step 1 to {first_step}")
        else:
            paths_ax.plot(*path.T, "o-", markersize=4, label=label, zorder=3)
        distance_ax.semilogy(np.linalg.norm(path, axis=1), label=label)
    paths_ax.set(xlim=(-5, 5), ylim=(-5, 5), xlabel="$x_0$", ylabel="$x_1$")
    paths_ax.set_title(f"paths from {START}")
    paths_ax.legend(loc="lower left", fontsize="small")
    distance_ax.set(xlabel="step", ylabel="distance from the minimum |x|")
    distance_ax.set_title("distance from the minimum")
    distance_ax.legend(loc="lower left", fontsize="small")
    distance_ax.grid(alpha=0.3)
    save_figure(figure, out_dir / "gradient.png")
    return numbers


def _draw_negative_gradient(ax) -> None:
    """Arrows of −∇f on a grid, each gradient computed by numerical_gradient."""
    ticks = np.linspace(-2.0, 2.0, 11)
    x0, x1 = np.meshgrid(ticks, ticks)
    points = np.stack([x0.ravel(), x1.ravel()], axis=1)
    gradients = np.array([numerical_gradient(f, point) for point in points])
    ax.quiver(*points.T, *-gradients.T, color="tab:blue", angles="xy", scale_units="xy", scale=12)
    ax.plot(0, 0, "r*", markersize=12, label="minimum (0, 0)")
    ax.set(xlabel="$x_0$", ylabel="$x_1$", aspect="equal")
    ax.set_title("−∇f: downhill directions")
    ax.legend(loc="lower left", fontsize="small")


def _draw_contours(ax) -> None:
    """Level curves of f around the origin."""
    ticks = np.linspace(-5.0, 5.0, 201)
    x0, x1 = np.meshgrid(ticks, ticks)
    ax.contour(x0, x1, x0**2 + x1**2, levels=[1, 4, 9, 16, 25], colors="lightgray")
    ax.set_aspect("equal")
