"""The output layer and the loss follow from the problem (the table of the Keras note):

    problem      output layer                     loss                        metric
    binary       Dense(1, activation="sigmoid")   binary_crossentropy         accuracy
    multi-class  Dense(K, activation="softmax")   categorical_crossentropy    accuracy
    regression   Dense(1)  (linear)               mse                         mae

Why: sigmoid squashes a score into (0, 1), the probability of class 1, and binary
cross-entropy is the negative log-likelihood of that Bernoulli guess; softmax turns K
scores into K probabilities that sum to 1, and categorical cross-entropy is the negative
log-likelihood of the true class; a regression target can be any number, so the output
stays linear, and the mean squared error is the negative log-likelihood of Gaussian noise
(up to constants).

Each head is trained with ``scratchdl.keras`` (Adam, 100 epochs) on small 2-d data: two
spiral arms (binary), three arms (multi-class, one-hot targets) and y = sin(3x) + noise
(regression). The figure shows what each learned and its loss per epoch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scratchdl import keras
from scratchdl.datasets import spiral
from scratchdl.demos.plotting import new_figure, save_figure
from scratchdl.keras import layers

EPOCHS, BATCH_SIZE, LEARNING_RATE, SEED = 100, 32, 0.01, 0
GRID = 121  # points per side of the grid the decision regions are drawn on


@dataclass(frozen=True)
class Problem:
    """One row of the table: the output layer, the loss, the metric, and why."""

    units: int
    activation: str | None
    loss: str
    metric: str
    why: str


PROBLEMS = {
    "binary": Problem(
        units=1,
        activation="sigmoid",
        loss="binary_crossentropy",
        metric="accuracy",
        why="sigmoid: P(class 1), in (0, 1)\nBCE: -log P(true label)",
    ),
    "multi_class": Problem(
        units=3,
        activation="softmax",
        loss="categorical_crossentropy",
        metric="accuracy",
        why="softmax: 3 probabilities summing to 1\nCCE: -log P(true class)",
    ),
    "regression": Problem(
        units=1,
        activation=None,
        loss="mse",
        metric="mae",
        why="linear: any real number\nMSE: -log-likelihood of Gaussian noise",
    ),
}


def run(out_dir: Path) -> dict:
    """Draw ``problem-types.png``; return, for each problem, its output layer and loss, the
    final loss and metric, and the range of its outputs. Seeds the library generator."""
    keras.utils.set_random_seed(SEED)
    figure, axes = new_figure(2, 3, title="Output activation and loss by problem type")
    numbers: dict = {}
    for column, (name, problem) in enumerate(PROBLEMS.items()):
        x, y = _data(name)
        model = _model(problem, x.shape[1])
        history = model.fit(x, y, epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=0).history
        outputs = model.predict(x, verbose=0)
        numbers.update(_numbers(name, problem, history, outputs))
        _draw_fit(axes[0, column], name, model, x, y)
        axes[0, column].set_title(f"{name.replace('_', '-')}: {_output_layer(problem)}")
        _draw_loss(axes[1, column], problem, history)
    save_figure(figure, out_dir / "problem-types.png")
    return numbers


def _data(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Inputs and targets: spiral arms (class 1 of 2, or one-hot of 3), or a noisy sine."""
    if name == "binary":
        x, labels = spiral(n_per_class=100, n_classes=2, seed=SEED)
        return x, labels.astype(np.float32)
    if name == "multi_class":
        x, labels = spiral(n_per_class=100, n_classes=3, seed=SEED)
        return x, keras.utils.to_categorical(labels, 3)
    rng = np.random.default_rng(SEED)
    x = rng.uniform(-1, 1, (200, 1)).astype(np.float32)
    return x, (np.sin(3 * x[:, 0]) + 0.1 * rng.standard_normal(200)).astype(np.float32)


def _model(problem: Problem, n_inputs: int) -> keras.Sequential:
    hidden = "tanh" if problem.activation is None else "relu"
    model = keras.Sequential(
        [
            keras.Input((n_inputs,)),
            layers.Dense(32, activation=hidden),
            layers.Dense(32, activation=hidden),
            layers.Dense(problem.units, activation=problem.activation),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(LEARNING_RATE), loss=problem.loss, metrics=[problem.metric]
    )
    return model


def _output_layer(problem: Problem) -> str:
    activation = f', activation="{problem.activation}"' if problem.activation else ""
    return f"Dense({problem.units}{activation})"


def _numbers(name: str, problem: Problem, history: dict, outputs: np.ndarray) -> dict:
    numbers = {
        f"{name}_output_layer": _output_layer(problem),
        f"{name}_loss": problem.loss,
        f"{name}_final_loss": history["loss"][-1],
        f"{name}_final_{problem.metric}": history[problem.metric][-1],
        f"{name}_output_range": [float(outputs.min()), float(outputs.max())],
        f"{name}_why": problem.why.replace("\n", "; "),
    }
    if problem.activation == "softmax":
        sums = outputs.sum(axis=1)
        numbers[f"{name}_probability_sums"] = [float(sums.min()), float(sums.max())]
    return numbers


def _draw_fit(ax, name: str, model: keras.Sequential, x: np.ndarray, y: np.ndarray) -> None:
    """The data, over the decision regions (classifiers) or under the fitted curve."""
    if name == "regression":
        order = np.argsort(x[:, 0])
        ax.scatter(x[:, 0], y, s=8, alpha=0.5, label="data: sin(3x) + noise")
        ax.plot(
            x[order, 0],
            model.predict(x[order], verbose=0)[:, 0],
            color="black",
            label="linear output",
        )
        ax.set(xlabel="x", ylabel="y")
        ax.legend(loc="lower right", fontsize="small")
        return
    axis = np.linspace(-1.1, 1.1, GRID, dtype=np.float32)
    grid = np.stack(np.meshgrid(axis, axis), axis=-1).reshape(-1, 2)
    scores = model.predict(grid, verbose=0, batch_size=4096)
    regions = (scores[:, 0] > 0.5) if scores.shape[1] == 1 else scores.argmax(axis=1)
    labels = y if y.ndim == 1 else y.argmax(axis=1)
    ax.contourf(axis, axis, regions.reshape(GRID, GRID), alpha=0.25, cmap="viridis")
    ax.scatter(x[:, 0], x[:, 1], c=labels, s=8, cmap="viridis", edgecolors="none")
    ax.set(xlabel="x₁", ylabel="x₂", aspect="equal")


def _draw_loss(ax, problem: Problem, history: dict) -> None:
    epochs = np.arange(1, len(history["loss"]) + 1)
    ax.plot(epochs, history["loss"], label=f"loss: {problem.loss}")
    ax.plot(epochs, history[problem.metric], label=f"{problem.metric}", linestyle="--")
    ax.set(xlabel="epoch", yscale="log" if problem.metric == "mae" else "linear")
    ax.text(
        0.97,
        0.5,
        problem.why,
        transform=ax.transAxes,
        ha="right",
        va="center",
        fontsize="small",
        bbox={"facecolor": "white", "alpha": 0.8},
    )
    ax.legend(loc="upper right", fontsize="small")
    ax.grid(alpha=0.3)
