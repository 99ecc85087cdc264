"""Perceptrons: logic gates with hand-picked weights, and Rosenblatt's learning rule.

A perceptron fires (outputs 1) when the weighted sum of its inputs plus a bias is positive:
    y = 1 if w·x + b > 0 else 0.
One perceptron draws a straight line through input space, so it can be AND, OR or NAND but
never XOR; stacking two layers of them (XOR = AND(NAND, OR)) can.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _fire(inputs: tuple[float, ...], weights: tuple[float, ...], bias: float) -> int:
    """1 if w·x + b > 0 else 0."""
    return int(np.dot(weights, inputs) + bias > 0)


def AND(x1: float, x2: float) -> int:
    """1 only when both inputs are 1: w = (0.5, 0.5), b = −0.7."""
    return _fire((x1, x2), weights=(0.5, 0.5), bias=-0.7)


def NAND(x1: float, x2: float) -> int:
    """NOT AND, 0 only when both inputs are 1: w = (−0.5, −0.5), b = 0.7."""
    return _fire((x1, x2), weights=(-0.5, -0.5), bias=0.7)


def OR(x1: float, x2: float) -> int:
    """1 when either input is 1: w = (0.5, 0.5), b = −0.2."""
    return _fire((x1, x2), weights=(0.5, 0.5), bias=-0.2)


def XOR(x1: float, x2: float) -> int:
    """1 when exactly one input is 1: a two-layer perceptron, AND(NAND(x1, x2), OR(x1, x2))."""
    return AND(NAND(x1, x2), OR(x1, x2))


class Perceptron:
    """A single perceptron ŷ = 1 if w·x + b > 0 else 0, trained by Rosenblatt's rule.

    After each sample (in order), a wrong prediction moves the boundary towards it:
        w ← w + lr·(y − ŷ)·x,   b ← b + lr·(y − ŷ).
    The weights start at zero, so training is deterministic. If the classes can be split
    by a line (a hyperplane), an epoch without mistakes comes after finitely many updates.

    Attributes:
        weights: w, shape (n_inputs,), float64.
        bias: b.
        converged: whether the last ``fit`` ended with an epoch without mistakes.
        epochs: how many epochs the last ``fit`` ran.
        errors_per_epoch: the number of misclassified samples in each of those epochs.
    """

    def __init__(self, n_inputs: int, lr: float = 0.1) -> None:
        if isinstance(n_inputs, bool) or not isinstance(n_inputs, int) or n_inputs < 1:
            raise ValueError(f"Perceptron: n_inputs must be a positive int, got {n_inputs!r}")
        if not lr > 0:
            raise ValueError(f"Perceptron: lr must be positive, got {lr!r}")
        self.lr = lr
        self.weights = np.zeros(n_inputs)
        self.bias = 0.0
        self.converged = False
        self.epochs = 0
        self.errors_per_epoch: list[int] = []

    def predict(self, X: Any) -> np.ndarray:
        """0/1 predictions (int) for samples X of shape (n_samples, n_inputs)."""
        return self._output(self._check_samples(X, "predict"))

    def fit(self, X: Any, y: Any, max_epochs: int = 100) -> Perceptron:
        """Pass over (X, y) until an epoch makes no mistake, at most ``max_epochs`` times.

        Continues from the current weights (zeros for a new perceptron). X has shape
        (n_samples, n_inputs); y holds one 0/1 label per sample. Returns self.
        """
        X = self._check_samples(X, "fit")
        y = _check_labels(y, len(X))
        if isinstance(max_epochs, bool) or not isinstance(max_epochs, int) or max_epochs < 1:
            raise ValueError(
                f"Perceptron.fit: max_epochs must be a positive int, got {max_epochs!r}"
            )
        self.errors_per_epoch = []
        self.converged = False
        while not self.converged and len(self.errors_per_epoch) < max_epochs:
            mistakes = sum(self._learn(x, target) for x, target in zip(X, y, strict=True))
            self.errors_per_epoch.append(mistakes)
            self.converged = mistakes == 0
        self.epochs = len(self.errors_per_epoch)
        return self

    def _learn(self, x: np.ndarray, target: int) -> int:
        """Apply the rule to one sample; return 1 if it was misclassified, else 0."""
        error = int(target) - int(self._output(x))
        self.weights += self.lr * error * x
        self.bias += self.lr * error
        return abs(error)

    def _output(self, X: np.ndarray) -> np.ndarray:
        """ŷ = 1 if w·x + b > 0 else 0, for one sample (n_inputs,) or a batch (n, n_inputs)."""
        return (X @ self.weights + self.bias > 0).astype(int)

    def _check_samples(self, X: Any, op: str) -> np.ndarray:
        """X as a float64 array of shape (n_samples, n_inputs)."""
        X = np.asarray(X, dtype=np.float64)
        n_inputs = len(self.weights)
        if X.ndim != 2 or X.shape[1] != n_inputs:
            raise ValueError(
                f"Perceptron.{op}: X has shape {tuple(X.shape)}; expected (n_samples, {n_inputs}) "
                f"for a perceptron with {n_inputs} inputs"
            )
        return X


def _check_labels(y: Any, n_samples: int) -> np.ndarray:
    """y as an int array of n_samples labels, each 0 or 1."""
    y = np.asarray(y)
    if y.shape != (n_samples,):
        raise ValueError(
            f"Perceptron.fit: y has shape {tuple(y.shape)}; expected ({n_samples},), one "
            "label per sample"
        )
    not_binary = (y != 0) & (y != 1)
    if not_binary.any():
        index = int(np.argmax(not_binary))
        raise ValueError(
            f"Perceptron.fit: labels must be 0 or 1, got {y[index].item()!r} at index {index}"
        )
    return y.astype(int)
