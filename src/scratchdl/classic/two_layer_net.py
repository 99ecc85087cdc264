"""TwoLayerNet with the first "from scratch" book's API, and a fast numerical gradient.

The network is ``scratchdl.models.TwoLayerNet`` computing in float64; this class gives it the
book's face (a ``params`` dict, methods taking and returning NumPy arrays) and puts the two
ways of getting its gradient side by side: central differences and backpropagation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from scratchdl import functional as F
from scratchdl.autograd import Tensor, no_grad
from scratchdl.classic.numerical import numerical_gradient
from scratchdl.functional.creation import from_numpy
from scratchdl.models import TwoLayerNet as TwoLayerModule
from scratchdl.random import get_rng
from scratchdl.train import accuracy

PARAMETER_NAMES = {"W1": "fc1.weight", "b1": "fc1.bias", "W2": "fc2.weight", "b2": "fc2.bias"}
"""The book's name of each parameter → its name in the module."""

STEP = 1e-4
"""h of the central differences (as ``classic.numerical_gradient``'s default)."""

MAX_PERTURBED_ELEMENTS = 2**21
"""How many perturbed scores the fast numerical gradient holds at once (16 MiB in float64)."""


class TwoLayerNet:
    """x (N, input_size) → Affine(W1, b1) → ReLU → Affine(W2, b2) → scores (N, output_size),
    trained on the softmax cross-entropy L = −(1/N) Σₙ log softmax(sₙ)[tₙ].

        net = TwoLayerNet(784, 50, 10)
        grads = net.gradient(x_batch, t_batch)          # or net.numerical_gradient(...)
        for key in net.params:
            net.params[key] -= lr * grads[key]

    ``module`` is the ``scratchdl.models.TwoLayerNet`` that computes, in float64. ``params``
    maps the book's names W1 (input_size, hidden_size), b1, W2 (hidden_size, output_size), b2
    to the module's own parameter arrays: change them in place and the module changes. The
    module stores each weight as PyTorch does, (out, in), so W1 and W2 are transposed views
    of ``fc1.weight`` and ``fc2.weight``: the book's x W1 + b1 is the module's x W1ᵀ + b1.
    Weights start as weight_init_std · N(0, 1) drawn from ``sd.get_rng()``, biases at 0.
    Labels t are class indices (N,) or one-hot rows (N, output_size).
    """

    def __init__(
        self, input_size: int, hidden_size: int, output_size: int, weight_init_std: float = 0.01
    ) -> None:
        self.module = TwoLayerModule(input_size, hidden_size, output_size).double()
        for name, param in self.params.items():  # drawn in the book's (in, out) order
            param[...] = (
                0 if name.startswith("b") else get_rng().normal(0, weight_init_std, param.shape)
            )

    @property
    def params(self) -> dict[str, np.ndarray]:
        """{'W1', 'b1', 'W2', 'b2'} → views of the module's parameter arrays in the book's
        layout (not copies)."""
        parameters = dict(self.module.named_parameters())
        return {key: _book_layout(parameters[name].data) for key, name in PARAMETER_NAMES.items()}

    def predict(self, x: Any) -> np.ndarray:
        """The scores s = ReLU(x W1 + b1) W2 + b2, shape (N, output_size)."""
        with no_grad():
            return self.module(from_numpy(_as_float64(x))).numpy()

    def loss(self, x: Any, t: Any) -> float:
        """The softmax cross-entropy of the scores against labels t."""
        with no_grad():
            return self._loss(x, t).item()

    def accuracy(self, x: Any, t: Any) -> float:
        """The fraction of samples whose highest score is at their label."""
        return accuracy(self.predict(x), np.asarray(t))

    def numerical_gradient(self, x: Any, t: Any, fast: bool = False) -> dict[str, np.ndarray]:
        """∂L/∂θ for every parameter by central differences (L(θ + h) − L(θ − h)) / 2h.

        The book's way: ``classic.numerical_gradient`` moves each weight in turn and runs the
        whole network twice. ``fast=True`` computes the same differences with the same h
        many at a time (see ``fast_numerical_gradient``). Returns a dict keyed like params.
        """
        x = _as_float64(x)
        if fast:
            return fast_numerical_gradient(self, x, t)

        def loss_at_current_params(_: np.ndarray) -> float:
            return self.loss(x, t)

        return {
            key: numerical_gradient(loss_at_current_params, param, h=STEP)
            for key, param in self.params.items()
        }

    def gradient(self, x: Any, t: Any) -> dict[str, np.ndarray]:
        """∂L/∂θ for every parameter by backpropagation (scratchdl's autograd).

        Returns a dict keyed like params.
        """
        self.module.zero_grad()
        self._loss(x, t).backward()
        parameters = dict(self.module.named_parameters())
        return {
            key: _book_layout(parameters[name].grad.numpy())
            for key, name in PARAMETER_NAMES.items()
        }

    def _loss(self, x: Any, t: Any) -> Tensor:
        return F.cross_entropy(self.module(from_numpy(_as_float64(x))), _labels(t))


def _book_layout(array: np.ndarray) -> np.ndarray:
    """A weight (out, in) as the book writes it, (in, out): a transposed view; biases as
    they are."""
    return array.T if array.ndim == 2 else array


def _labels(t: Any) -> Any:
    """Class indices as int64, one-hot rows as float64 (the two label forms the book uses)."""
    t = np.asarray(t)
    return t.astype(np.int64) if t.ndim == 1 else t.astype(np.float64)


def fast_numerical_gradient(
    net: TwoLayerNet, x: Any, t: Any, h: float = STEP
) -> dict[str, np.ndarray]:
    """The central differences of ``net.numerical_gradient``, evaluated thousands at once.

    Moving one weight changes one column of one layer's pre-activation, and the rest of the
    network can be updated from the unperturbed forward pass instead of recomputed:

    - W2[j, c] ± h adds ±h·z[:, j] to the scores' column c (z = ReLU(a) the hidden output);
    - W1[j, k] ± h adds ±h·x[:, j] to a[:, k], so z[:, k] becomes z'ₖ = ReLU(a[:, k] ± h·x[:, j])
      and the scores gain (z'ₖ − z[:, k]) ⊗ W2[k, :];
    - a bias is the weight of an input that is always 1.

    So the perturbed scores of a block of weights are one broadcast expression, and their
    losses one batched log-sum-exp; no matrix product is recomputed. Takes (N, D) inputs
    (images are flattened), labels as for the net; returns a dict keyed like params.
    """
    module = net.module
    x = _as_float64(x).reshape(len(x), -1)
    with no_grad():
        a = module.fc1(from_numpy(x))
        z = module.relu(a)
        scores = module.fc2(z).numpy()
    # Softmax ignores a constant added to a sample's scores: subtracting each sample's
    # largest score changes no loss and keeps exp from overflowing in _cross_entropies.
    scores = scores - scores.max(axis=1, keepdims=True)
    a_by_unit, z_by_unit = a.numpy().T.copy(), z.numpy().T.copy()  # (H, N), contiguous
    x_by_input, z_by_input = _rows_by_input(x), _rows_by_input(z.numpy())  # (D + 1, N), (H + 1, N)
    targets = _one_hot(np.asarray(t), scores.shape[1])
    W2 = _book_layout(module.fc2.weight.data)  # (hidden, classes)
    n_hidden, n_classes = W2.shape

    def relu(values: np.ndarray) -> np.ndarray:
        with no_grad():
            return module.relu(from_numpy(values)).numpy()

    def first_layer_scores(rows: slice, step: float) -> np.ndarray:
        """Scores (J, H, N, C) with [W1; b1][j, k] moved by step, for j in rows."""
        moved_a = a_by_unit + step * x_by_input[rows, None, :]
        hidden_change = relu(moved_a) - z_by_unit
        return scores + hidden_change[..., None] * W2[:, None, :]

    def second_layer_scores(rows: slice, step: float) -> np.ndarray:
        """Scores (J, C, N, C) with [W2; b2][j, c] moved by step, for j in rows."""
        column_change = step * z_by_input[rows, None, :, None]
        return scores + column_change * np.eye(n_classes)[:, None, :]

    first = _central_differences(first_layer_scores, len(x_by_input), n_hidden, targets, h)
    second = _central_differences(second_layer_scores, len(z_by_input), n_classes, targets, h)
    return {"W1": first[:-1], "b1": first[-1], "W2": second[:-1], "b2": second[-1]}


def _central_differences(
    perturbed_scores: Callable[[slice, float], np.ndarray],
    n_rows: int,
    n_columns: int,
    targets: np.ndarray,
    h: float,
) -> np.ndarray:
    """(L(w + h) − L(w − h)) / 2h for every weight w of an (n_rows, n_columns) matrix.

    ``perturbed_scores(rows, step)`` gives the scores (J, n_columns, N, C) with weight [j, k]
    moved by step, for j in ``rows``; rows go in blocks of at most MAX_PERTURBED_ELEMENTS.
    """
    rows_per_block = max(1, MAX_PERTURBED_ELEMENTS // (n_columns * targets.size))
    blocks = []
    for start in range(0, n_rows, rows_per_block):
        rows = slice(start, start + rows_per_block)
        loss_plus = _cross_entropies(perturbed_scores(rows, h), targets)
        loss_minus = _cross_entropies(perturbed_scores(rows, -h), targets)
        blocks.append((loss_plus - loss_minus) / (2 * h))
    return np.concatenate(blocks)


def _cross_entropies(scores: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """The mean softmax cross-entropy of each batch of scores (..., N, C) against one-hot
    targets (N, C), shape (...):

        L = (1/N) Σₙ (log Σ_c exp(s_nc) − Σ_c t_nc s_nc)

    The scores must be small enough for exp (see fast_numerical_gradient)."""
    log_sum_exp = np.log(np.exp(scores).sum(axis=-1))
    return (log_sum_exp.sum(axis=-1) - np.tensordot(scores, targets, axes=2)) / len(targets)


def _one_hot(t: np.ndarray, n_classes: int) -> np.ndarray:
    """Labels as one-hot rows (N, C) float64: class indices are expanded, rows kept."""
    if t.ndim == 2:
        return t.astype(np.float64)
    return np.eye(n_classes)[t]


def _rows_by_input(inputs: np.ndarray) -> np.ndarray:
    """[inputs, 1]ᵀ (D + 1, N): one row per input feature, then a row of ones (the input a
    bias multiplies); contiguous, so the perturbed scores built from it are too."""
    rows = np.ones((inputs.shape[1] + 1, len(inputs)))
    rows[:-1] = inputs.T
    return rows


def _as_float64(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)
