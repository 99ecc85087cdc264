"""Logic gates as perceptrons: AND, OR and NAND are one straight line; XOR is not.

Each panel shades where a gate outputs 1 around the unit square and marks the four
truth-table inputs. The XOR panel shades the two-layer XOR = AND(NAND, OR) and also draws
the line a single perceptron is left with after Rosenblatt's rule fails to separate XOR.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from scratchdl.classic import AND, NAND, OR, XOR, Perceptron
from scratchdl.demos.plotting import new_figure, save_figure

GATES: dict[str, Callable[[float, float], int]] = {"AND": AND, "OR": OR, "NAND": NAND, "XOR": XOR}
INPUTS = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=np.float64)
LIMITS = (-0.5, 1.5)
XOR_TRAINING_EPOCHS = 20


def run(out_dir: Path) -> dict:
    """Draw ``gates.png``; return each gate's truth table (outputs for the inputs 00, 10,
    01, 11) and how many XOR inputs a single trained perceptron still gets wrong."""
    truth_tables = {name: [gate(*x) for x in INPUTS] for name, gate in GATES.items()}
    perceptron = Perceptron(n_inputs=2).fit(
        INPUTS, truth_tables["XOR"], max_epochs=XOR_TRAINING_EPOCHS
    )
    xor_errors = int(np.sum(perceptron.predict(INPUTS) != truth_tables["XOR"]))

    figure, axes = new_figure(
        1, 4, title="Logic gates as perceptrons", panel_size=(3.8, 4.0), aspect="equal"
    )
    for ax, (name, gate) in zip(axes[0], GATES.items(), strict=True):
        _draw_gate(ax, gate, truth_tables[name])
        ax.set_title(f"{name}: one line separates\nthe 1s from the 0s")
    xor_ax = axes[0, 3]
    line_label = f"one perceptron: {xor_errors} of 4 wrong"
    _draw_perceptron_line(xor_ax, perceptron.weights, perceptron.bias, line_label)
    xor_ax.set_title("XOR: no line separates them;\ntwo layers, AND(NAND, OR), do")
    xor_ax.legend(loc="lower left", fontsize="small", framealpha=0.9)
    save_figure(figure, out_dir / "gates.png")
    return {
        **{f"truth_table_{name}": outputs for name, outputs in truth_tables.items()},
        "xor_single_perceptron_errors": xor_errors,
    }


def _grid() -> tuple[np.ndarray, np.ndarray]:
    """Coordinates (x₁, x₂) of a 241 × 241 grid over the plotted square."""
    ticks = np.linspace(*LIMITS, 241)
    return np.meshgrid(ticks, ticks)


def _draw_gate(ax, gate: Callable[[float, float], int], outputs: list[int]) -> None:
    """Shade where the gate outputs 1, outline that region, and mark the truth table."""
    x1, x2 = _grid()
    region = np.vectorize(gate)(x1, x2)
    ax.contourf(x1, x2, region, levels=[-0.5, 0.5, 1.5], colors=["white", "#cfe3f7"])
    ax.contour(x1, x2, region, levels=[0.5], colors="tab:blue", linewidths=1.5)
    for (point_x1, point_x2), y in zip(INPUTS, outputs, strict=True):
        style = {"marker": "o", "color": "black"} if y else {"marker": "x", "color": "tab:red"}
        ax.scatter(point_x1, point_x2, s=90, zorder=3, **style)
        ax.annotate(f"y={y}", (point_x1, point_x2), xytext=(6, 6), textcoords="offset points")
    ax.set(xlim=LIMITS, ylim=LIMITS, xlabel="$x_1$", ylabel="$x_2$")


def _draw_perceptron_line(ax, weights: np.ndarray, bias: float, label: str) -> None:
    """Draw the boundary w₁x₁ + w₂x₂ + b = 0 as the zero level of w·x + b on the grid."""
    x1, x2 = _grid()
    score = weights[0] * x1 + weights[1] * x2 + bias
    ax.contour(x1, x2, score, levels=[0.0], colors="tab:orange", linestyles="--")
    ax.plot([], [], "--", color="tab:orange", label=label)  # legend entry
