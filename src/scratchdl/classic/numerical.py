"""Numerical differentiation and gradient descent, before backpropagation.

A derivative is the slope of f over a vanishing step h. A computer needs a finite h, so it
approximates: the central difference (f(x + h) − f(x − h)) / 2h has error O(h²), the forward
difference (f(x + h) − f(x)) / h only O(h). Slow (two evaluations of f per input element)
but simple, which makes it the reference that backpropagation is checked against.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

DIFFERENCE_METHODS = ("central", "forward")


def numerical_diff(
    f: Callable[[Any], float], x: Any, h: float = 1e-4, method: str = "central"
) -> float:
    """df/dx at x by a finite difference with step h.

    'central': (f(x + h) − f(x − h)) / 2h, error O(h²);
    'forward': (f(x + h) − f(x)) / h, error O(h), shown for comparison.
    Raises ValueError for another method or h ≤ 0.
    """
    if method not in DIFFERENCE_METHODS:
        raise ValueError(
            f"numerical_diff: unknown method {method!r}; expected 'central' or 'forward'"
        )
    if not h > 0:
        raise ValueError(f"numerical_diff: the step h must be positive, got {h!r}")
    if method == "central":
        return (f(x + h) - f(x - h)) / (2 * h)
    return (f(x + h) - f(x)) / h


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-4
) -> np.ndarray:
    """∂f/∂xᵢ for every element of a float array x (any shape), by central differences.

    Each element is perturbed in place, f is evaluated, and the element's original value is
    assigned back, so x ends bitwise unchanged. Returns a new array shaped like x.
    Raises TypeError unless x is a float NumPy array (integers cannot move by h).
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        got = f"an array of dtype {x.dtype}" if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(
            f"numerical_gradient: x must be a float NumPy array (it is perturbed in place by "
            f"h={h}), got {got}"
        )
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        gradient[index] = _partial_derivative(f, x, index, h)
    return gradient


def _partial_derivative(
    f: Callable[[np.ndarray], float], x: np.ndarray, index: tuple, h: float
) -> float:
    """∂f/∂x[index]: the numerical derivative of f along one element, x restored after."""
    original = x[index]

    def f_along_element(value: float) -> float:
        x[index] = value
        return f(x)

    try:
        return numerical_diff(f_along_element, original, h)
    finally:
        x[index] = original


def gradient_descent(
    f: Callable[[np.ndarray], float], init_x: Any, lr: float = 0.01, steps: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """Minimise f by repeating x ← x − lr · ∇f(x), with the numerical gradient.

    Returns (x, path): the final x (float64) and every point visited, shape
    (steps + 1, *x.shape) with path[0] = init_x. ``init_x`` itself is not modified.
    Too large an lr overshoots and diverges; too small an lr barely moves.
    """
    if not lr > 0:
        raise ValueError(f"gradient_descent: lr must be positive, got {lr!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"gradient_descent: steps must be a non-negative int, got {steps!r}")
    x = np.array(init_x, dtype=np.float64)
    path = np.empty((steps + 1, *x.shape))
    path[0] = x
    for step in range(1, steps + 1):
        x -= lr * numerical_gradient(f, x)
        path[step] = x
    return x, path
