"""keras.utils: to_categorical, set_random_seed, normalize."""

from __future__ import annotations

import random
from typing import Any

import numpy as np

import scratchdl as sd


def to_categorical(x: Any, num_classes: int | None = None) -> np.ndarray:
    """One-hot rows for class indices: ``to_categorical([2, 0], 3)`` is
    ``[[0, 0, 1], [1, 0, 0]]`` (float64, as Keras gives). ``num_classes`` defaults to the
    largest index + 1; a trailing axis of size 1 in ``x`` is dropped first.

    Raises ValueError for non-integral or negative indices, or one >= num_classes.
    """
    labels = np.asarray(x)
    if labels.ndim > 1 and labels.shape[-1] == 1:
        labels = labels.reshape(labels.shape[:-1])
    if labels.size and (labels.dtype.kind not in "iub" and not np.all(labels == np.round(labels))):
        raise ValueError(f"to_categorical: class indices must be whole numbers, got {labels.dtype}")
    labels = labels.astype(np.int64)
    if labels.size and labels.min() < 0:
        raise ValueError(f"to_categorical: class indices must be >= 0, got {labels.min()}")
    if num_classes is None:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    if labels.size and labels.max() >= num_classes:
        raise ValueError(
            f"to_categorical: class index {labels.max()} is out of range for "
            f"num_classes={num_classes}"
        )
    return np.eye(num_classes)[labels]


def set_random_seed(seed: int) -> None:
    """Seed everything a Keras program draws from: scratchdl's generator (weights, dropout,
    shuffling), NumPy's global one and Python's ``random``."""
    sd.manual_seed(seed)
    np.random.seed(seed)
    random.seed(seed)


def normalize(x: Any, axis: int = -1, order: int = 2) -> np.ndarray:
    """``x`` divided by its ``order``-norm along ``axis`` (rows of norm 1); zero rows stay 0."""
    x = np.asarray(x, dtype=np.float32 if np.asarray(x).dtype.kind != "f" else None)
    norms = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / np.where(norms == 0, 1, norms)
