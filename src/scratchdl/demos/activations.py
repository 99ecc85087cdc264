"""Activation functions and their derivatives, the derivatives taken by scratchdl's autograd.

The step function's derivative is 0 wherever it exists, so no gradient flows through it:
the reason networks trained by gradient descent use smooth activations instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

import scratchdl as sd
from scratchdl import functional as F
from scratchdl.demos.plotting import new_figure, save_figure

ACTIVATIONS: dict[str, Callable[[sd.Tensor], sd.Tensor]] = {
    "step": F.step,
    "sigmoid": F.sigmoid,
    "ReLU": F.relu,
    "tanh": F.tanh,
    "softplus": F.softplus,
}


def run(out_dir: Path) -> dict:
    """Draw ``activations.png``: each activation on [−5, 5] and its derivative. Returns
    each derivative's largest value on that interval (sigmoid's is 0.25, tanh's 1)."""
    x = np.linspace(-5.0, 5.0, 1001)
    figure, axes = new_figure(1, 2, title="Activation functions and their derivatives")
    values_ax, derivatives_ax = axes[0]
    numbers = {}
    for name, activation in ACTIVATIONS.items():
        values, derivatives = value_and_derivative(activation, x)
        values_ax.plot(x, values, label=name)
        derivatives_ax.plot(x, derivatives, label=f"{name}'")
        numbers[f"max_derivative_{name.lower()}"] = float(derivatives.max())
    values_ax.set(title="h(x)", xlabel="x", ylabel="h(x)", ylim=(-1.2, 5.2))
    derivatives_ax.set(title="h'(x) by autograd", xlabel="x", ylabel="h'(x)", ylim=(-0.1, 1.1))
    for ax in axes[0]:
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left")
    save_figure(figure, out_dir / "activations.png")
    return numbers


def value_and_derivative(
    activation: Callable[[sd.Tensor], sd.Tensor], x: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """h(x) and h'(x) elementwise, h' by backpropagating from Σ h(x) (each output depends
    on its own input only). An output with no gradient (the step) has derivative 0."""
    inputs = sd.tensor(x, requires_grad=True)
    outputs = activation(inputs)
    if not outputs.requires_grad:
        return outputs.numpy(), np.zeros_like(x)
    outputs.sum().backward()
    return outputs.numpy(), inputs.grad.numpy()
